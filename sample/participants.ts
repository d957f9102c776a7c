/**
 * The sample's participants: one generator that turns a project's cohort plans (`programme.json`) into enrolments,
 * and the enrolments into the `Dalībnieki` rows of each quarter.
 *
 * The figures depend on the order of the random draws, so the order is part of the contract: per quarter the
 * intake, then per person the outcome, the traits, the length of stay, the dates, and last the follow-up. Changing
 * that order (or a draw's condition) moves every figure of the project after it.
 */
import { addDays, daysBetween } from '../functions/core/period';
import {
  type Activity,
  CEFR_LEVELS,
  type CefrLevel,
  type IsoDate,
  type ParticipantRule,
} from '../functions/core/types';

/** A reporting quarter of one project, clipped to the project's dates. */
export interface Quarter {
  index: number;
  period: string;
  /** Calendar start and end of the quarter. */
  start: IsoDate;
  end: IsoDate;
  /** The part of the quarter inside the project. */
  activeStart: IsoDate;
  activeEnd: IsoDate;
}

/** A figure per quarter: `perQuarter[i]` in the project's i-th quarter, `after` beyond the list. */
export interface Series {
  perQuarter: number[];
  after: number;
  /** Scaled by a random factor in 1 ± jitter (one draw); absent: as given, no draw. */
  jitter?: number;
}

/** How a person's course ends, drawn before the traits. */
export type OutcomePlan =
  /** Asked whether it helped: cumulative shares of yes, no and no answer (one draw). */
  | { kind: 'asked'; answers: number[] }
  /** A course most complete; only those who complete say whether it helped. */
  | { kind: 'course'; completes: number; helpful: number }
  /** A language course: start level (cumulative shares A0, A1, …), drop-outs, gain of one level or (of those) two. */
  | { kind: 'language'; startLevels: number[]; drops: number; gains: number; gainsTwo: number; helpful: number };

export type TraitsPlan =
  | { kind: 'person'; male: number; minor: number; vulnerable: number }
  /** Staff: women or men, adults, no vulnerability recorded. */
  | { kind: 'staff'; male: number; over60: number };

/** A second enrolment of the same person. */
export type FollowUpPlan =
  /** Another activity in the same quarter. */
  | { kind: 'also'; activity: Activity; chance: number }
  /** Another activity starting no earlier than the first, in the same quarter or (chance `nextQuarter`) the next. */
  | { kind: 'after'; activity: Activity; chance: number; nextQuarter: number }
  /** The same activity again, `gap` quarters after the stay ends (a new application, a move between centres). */
  | { kind: 'return'; gap: number; chance: number };

/** One group of participants of a project, as data. */
export interface CohortPlan {
  /** Why the cohort looks as it does (not used by the generator). */
  note?: string;
  /** Pseudonyms `<idPrefix>-<n>`, `n` zero-padded to `idDigits`. */
  idPrefix: string;
  idDigits: number;
  activity: Activity;
  /** New participants per quarter, or fixed groups `[quarter index, size]`. */
  intake: Series | { groups: [number, number][] };
  outcome?: OutcomePlan;
  traits: TraitsPlan;
  /** Cumulative shares of staying 1, 2, … quarters; absent: one quarter, no draw. */
  quarters?: number[];
  /** The activity happens on one day: it ends the day it starts. */
  oneDay?: boolean;
  followUp?: FollowUpPlan;
}

/** One row of the `Dalībnieki` sheet, keyed by the schema's column ids. Dates are `YYYY-MM-DD`. */
export interface ParticipantRow {
  participantId: string;
  activity: Activity;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
  levelStart: string | null;
  levelEnd: string | null;
  helpful: 'Jā' | 'Nē' | null;
  gender: string | null;
  ageGroup: string | null;
  vulnerable: 'Jā' | 'Nē' | null;
}

/** One person in one activity over one or more consecutive quarters. */
interface Enrolment {
  id: string;
  activity: Activity;
  first: number;
  last: number;
  start: IsoDate;
  end: IsoDate;
  levelStart: CefrLevel | null;
  /** Reported only in the quarter the activity ends. */
  levelEnd: CefrLevel | null;
  helpful: boolean | null;
  gender: string;
  ageGroup: string;
  vulnerable: boolean | null;
}

type Person = Omit<Enrolment, 'activity' | 'first' | 'last' | 'start' | 'end'>;
type Rng = () => number;

const intBetween = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
export const chance = (rng: Rng, p: number): boolean => rng() < p;
/** `n` scaled by a random factor in 1 ± spread, rounded. */
export const jitter = (rng: Rng, n: number, spread: number): number =>
  Math.max(0, Math.round(n * (1 + (rng() * 2 - 1) * spread)));

/** The series' figure in quarter `index` (one draw if it jitters). */
export function seriesValue(series: Series, index: number, rng: Rng): number {
  const base = series.perQuarter[index] ?? series.after;
  return series.jitter === undefined ? base : jitter(rng, base, series.jitter);
}

export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

function dateBetween(rng: Rng, from: IsoDate, to: IsoDate): IsoDate {
  return addDays(from, intBetween(rng, 0, Math.max(0, daysBetween(from, to))));
}

/** An index drawn from cumulative shares, e.g. [0.6, 1] → 0 with 60 %, 1 with 40 %. */
function drawIndex(rng: Rng, cumulative: number[]): number {
  const r = rng();
  const i = cumulative.findIndex((c) => r < c);
  return i < 0 ? cumulative.length - 1 : i;
}

/** Every gender value occurs: a few persons say "other" and for a few it is not known (empty cell). */
function drawGender(rng: Rng, male: number): string {
  const r = rng();
  if (r < 0.02) return 'cits';
  if (r < 0.04) return '';
  return r < 0.04 + male * 0.96 ? 'vīrietis' : 'sieviete';
}

/** The Annex VIII brackets, about one adult in twelve over 60. */
function drawAgeGroup(rng: Rng, minor: number): string {
  const r = rng();
  if (r < minor) return '<18';
  return r > 1 - (1 - minor) / 12 ? '>60' : '18-60';
}

function drawTraits(rng: Rng, plan: TraitsPlan): Pick<Person, 'gender' | 'ageGroup' | 'vulnerable'> {
  if (plan.kind === 'staff') {
    const gender = chance(rng, plan.male) ? 'vīrietis' : 'sieviete';
    return { gender, ageGroup: chance(rng, plan.over60) ? '>60' : '18-60', vulnerable: null };
  }
  const gender = drawGender(rng, plan.male);
  const ageGroup = drawAgeGroup(rng, plan.minor);
  return { gender, ageGroup, vulnerable: chance(rng, plan.vulnerable) };
}

function drawOutcome(rng: Rng, plan: OutcomePlan | undefined): Pick<Person, 'levelStart' | 'levelEnd' | 'helpful'> {
  const none = { levelStart: null, levelEnd: null };
  if (!plan) return { ...none, helpful: null };
  if (plan.kind === 'asked') return { ...none, helpful: [true, false, null][drawIndex(rng, plan.answers)] ?? null };
  if (plan.kind === 'course') {
    const completed = chance(rng, plan.completes);
    return { ...none, helpful: completed ? chance(rng, plan.helpful) : null };
  }
  const levelStart = CEFR_LEVELS[drawIndex(rng, plan.startLevels)]!;
  const dropped = chance(rng, plan.drops);
  const gain = dropped ? 0 : chance(rng, plan.gains) ? (chance(rng, plan.gainsTwo) ? 2 : 1) : 0;
  const levelEnd = dropped ? null : CEFR_LEVELS[CEFR_LEVELS.indexOf(levelStart) + gain]!;
  return { levelStart, levelEnd, helpful: dropped ? null : chance(rng, plan.helpful) };
}

/** Enrol from quarter `first` for `span` quarters (clipped to the project), drawing the start and end dates. */
function enrol(rng: Rng, quarters: Quarter[], person: Person, activity: Activity, first: number, span: number) {
  const last = Math.min(quarters.length - 1, first + span - 1);
  const q0 = quarters[first]!;
  const q1 = quarters[last]!;
  const start = dateBetween(rng, q0.activeStart, q0.activeEnd);
  const end = dateBetween(rng, maxDate(start, q1.activeStart), q1.activeEnd);
  return { ...person, activity, first, last, start, end };
}

/** The second enrolment of a follow-up plan, if it is drawn. */
function followUp(rng: Rng, quarters: Quarter[], person: Person, stay: Enrolment, plan: FollowUpPlan) {
  if (plan.kind === 'also') {
    return chance(rng, plan.chance) ? enrol(rng, quarters, person, plan.activity, stay.first, 1) : null;
  }
  if (plan.kind === 'return') {
    const first = stay.last + plan.gap;
    return first < quarters.length && chance(rng, plan.chance)
      ? enrol(rng, quarters, person, stay.activity, first, 1)
      : null;
  }
  if (!chance(rng, plan.chance)) return null;
  const later = stay.first + 1 < quarters.length && chance(rng, plan.nextQuarter) ? 1 : 0;
  const support = enrol(rng, quarters, person, plan.activity, stay.first + later, 1);
  const start = maxDate(support.start, stay.start);
  return { ...support, start, end: maxDate(support.end, start) };
}

/** Every enrolment of one cohort, quarter by quarter (or group by group), drawing from `rng` in a fixed order. */
function cohortEnrolments(rng: Rng, quarters: Quarter[], plan: CohortPlan): Enrolment[] {
  const series = 'groups' in plan.intake ? null : plan.intake;
  const batches: [number, number | null][] =
    'groups' in plan.intake ? plan.intake.groups : quarters.map((q) => [q.index, null]);
  const enrolments: Enrolment[] = [];
  let n = 0;
  for (const [index, size] of batches) {
    // The intake of a quarter is drawn when its turn comes, after the persons of the quarters before.
    const count = series ? seriesValue(series, index, rng) : (size ?? 0);
    for (let i = 0; i < count; i++) {
      const outcome = drawOutcome(rng, plan.outcome);
      const person: Person = {
        id: `${plan.idPrefix}-${String(++n).padStart(plan.idDigits, '0')}`,
        ...outcome,
        ...drawTraits(rng, plan.traits),
      };
      const span = plan.quarters ? drawIndex(rng, plan.quarters) + 1 : 1;
      const stay = enrol(rng, quarters, person, plan.activity, index, span);
      enrolments.push(plan.oneDay ? { ...stay, end: stay.start } : stay);
      const next = plan.followUp && followUp(rng, quarters, person, stay, plan.followUp);
      if (next) enrolments.push(next);
    }
  }
  return enrolments;
}

/** Every enrolment of a project: its cohorts in order, from one random stream. */
export function projectEnrolments(rng: Rng, quarters: Quarter[], cohorts: CohortPlan[]): Enrolment[] {
  return cohorts.flatMap((plan) => cohortEnrolments(rng, quarters, plan));
}

const yesNo = (value: boolean | null): 'Jā' | 'Nē' | null => (value === null ? null : value ? 'Jā' : 'Nē');

/** Code-unit order: unlike `localeCompare`, the same on every machine and locale. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The `Dalībnieki` rows of one quarter: everyone enrolled in it, the end reported in the quarter it ends. */
export function rowsForQuarter(enrolments: Enrolment[], quarter: Quarter): ParticipantRow[] {
  return enrolments
    .filter((e) => e.first <= quarter.index && quarter.index <= e.last)
    .map((e) => {
      const ends = e.last === quarter.index;
      return {
        participantId: e.id,
        activity: e.activity,
        startDate: e.start,
        endDate: ends ? e.end : null,
        levelStart: e.levelStart,
        levelEnd: ends ? e.levelEnd : null,
        helpful: ends ? yesNo(e.helpful) : null,
        gender: e.gender || null,
        ageGroup: e.ageGroup,
        vulnerable: yesNo(e.vulnerable),
      };
    })
    .sort((a, b) => compareText(a.participantId, b.participantId) || compareText(a.activity, b.activity));
}

/** Whether a row qualifies for a participant rule (types.ts `ParticipantRule`: every given condition holds). */
export function rowQualifies(rule: ParticipantRule, row: ParticipantRow): boolean {
  if (rule.activities && !rule.activities.includes(row.activity)) return false;
  if (rule.helpful && row.helpful !== 'Jā') return false;
  if (rule.vulnerable && row.vulnerable !== 'Jā') return false;
  if (rule.improvedLevel) {
    const start = CEFR_LEVELS.indexOf(row.levelStart as CefrLevel);
    const end = CEFR_LEVELS.indexOf(row.levelEnd as CefrLevel);
    if (start < 0 || end < 0 || end < start + 1) return false;
  }
  return true;
}

/** Distinct participants among `rows` that qualify for `rule`. */
export function countQualifying(rule: ParticipantRule, rows: ParticipantRow[]): number {
  return new Set(rows.filter((row) => rowQualifies(rule, row)).map((row) => row.participantId)).size;
}
