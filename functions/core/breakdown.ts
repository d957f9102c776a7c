/**
 * Gender × age-bracket breakdowns of person indicators (Reg. 2021/1147 Annex VIII: "All indicators relating to
 * persons shall be reported by age brackets (< 18, 18-60, > 60) and by gender"). Cumulative, with unique persons:
 * the cells of a breakdown always add up to the indicator's cumulative value, because an old unsplit `18+`, an
 * unknown gender or a typed value given without breakdown each have their own cell.
 */
import { historyUpTo, indicatorSource, type PeriodSubmissions } from './aggregate';
import { comparePeriods, periodFromKey } from './period';
import {
  AGE_BRACKETS,
  type AgeBracket,
  GENDERS,
  type Gender,
  type IndicatorDef,
  type NormalisedSubmission,
  type PersonProfile,
} from './types';

export type BreakdownCounts = Record<Gender, Record<AgeBracket, number>>;

export interface Breakdown {
  counts: BreakdownCounts;
  total: number;
}

export function emptyBreakdown(): Breakdown {
  const counts = {} as BreakdownCounts;
  for (const g of GENDERS) {
    counts[g] = {} as Record<AgeBracket, number>;
    for (const a of AGE_BRACKETS) counts[g][a] = 0;
  }
  return { counts, total: 0 };
}

export function addToBreakdown(b: Breakdown, gender: Gender, age: AgeBracket, n: number): void {
  b.counts[gender][age] += n;
  b.total += n;
}

/** Sum of breakdowns (the programme summary adds projects' breakdowns cell by cell). */
export function sumBreakdowns(list: readonly Breakdown[]): Breakdown {
  const out = emptyBreakdown();
  for (const b of list)
    for (const g of GENDERS) for (const a of AGE_BRACKETS) addToBreakdown(out, g, a, b.counts[g][a]);
  return out;
}

/** The few profile strings there are (gender × age bracket), each split once: a big report splits thousands. */
const splitCache = new Map<string, [Gender, AgeBracket]>();

export function splitProfile(profile: PersonProfile | undefined): [Gender, AgeBracket] {
  if (!profile) return ['unknown', 'unknown'];
  const cached = splitCache.get(profile);
  if (cached) return cached;
  const [g, a] = profile.split('/') as [Gender, AgeBracket];
  // Records hold only the 20 valid profiles; the bound keeps an unexpected one from growing the cache.
  if (splitCache.size < 64) splitCache.set(profile, [g, a]);
  return [g, a];
}

/**
 * Each person's gender and age bracket in the earliest period up to `period` they appear in (their first activity
 * in the project). The same for every person indicator of a report, so a report builds it once.
 */
export function firstProfiles(
  history: readonly PeriodSubmissions[],
  period: string,
): Map<string, readonly [Gender, AgeBracket]> {
  const limit = periodFromKey(period);
  const first = new Map<string, readonly [Gender, AgeBracket]>();
  for (const h of history) {
    if (comparePeriods(periodFromKey(h.period), limit) > 0) continue;
    const profiles = h.inForce.profiles ?? {};
    for (const id of Object.keys(profiles)) if (!first.has(id)) first.set(id, splitProfile(profiles[id]));
  }
  return first;
}

/** A typed value's breakdown cells; any part the sheet did not break down is counted as not known. */
function addTyped(out: Breakdown, s: NormalisedSubmission, code: string, value: number): void {
  const given = (s.breakdowns ?? []).find((b) => b.code === code);
  let rest = value;
  for (const cell of given?.cells ?? []) {
    addToBreakdown(out, cell.gender, cell.age, cell.value);
    rest -= cell.value;
  }
  if (rest > 0) addToBreakdown(out, 'unknown', 'unknown', rest);
}

/**
 * The cumulative breakdown of one person indicator at `period`, following the same choice of sources as
 * `aggregateIndicator`: participant rows win over typed values, and `unique` counts each person once. `profiles`:
 * {@link firstProfiles} of the same history and period, when the caller has them already.
 */
export function personBreakdown(
  def: IndicatorDef,
  history: readonly PeriodSubmissions[],
  period: string,
  profiles: ReadonlyMap<string, readonly [Gender, AgeBracket]> = firstProfiles(history, period),
): Breakdown {
  const persons = new Set<string>();
  let out = emptyBreakdown();
  for (const h of historyUpTo(history, period)) {
    const s = h.inForce;
    const source = indicatorSource(def, s);
    if (!source) continue;
    if (def.aggregation === 'latest') out = emptyBreakdown();
    if (source.from === 'derived') addPersons(out, source.derived.participantIds, profiles, persons, def);
    else addTyped(out, s, def.code, source.typed.value);
  }
  return out;
}

/**
 * One period's persons into the breakdown, one each (`unique`: each person once over the periods, `persons` holding
 * those already counted). Counted per profile first and added once per cell: the same whole numbers, without a
 * keyed update per person. A cell that already holds a fraction (a typed value) is added to one by one, as before.
 */
function addPersons(
  out: Breakdown,
  ids: readonly string[],
  profiles: ReadonlyMap<string, readonly [Gender, AgeBracket]>,
  persons: Set<string>,
  def: IndicatorDef,
): void {
  const perProfile = new Map<readonly [Gender, AgeBracket], number>();
  for (const id of ids) {
    if (def.aggregation === 'unique') {
      if (persons.has(id)) continue;
      persons.add(id);
    }
    const profile = profiles.get(id) ?? UNKNOWN_PROFILE;
    perProfile.set(profile, (perProfile.get(profile) ?? 0) + 1);
  }
  for (const [[g, a], n] of perProfile) {
    if (Number.isInteger(out.counts[g][a]) && Number.isInteger(out.total)) addToBreakdown(out, g, a, n);
    else for (let i = 0; i < n; i++) addToBreakdown(out, g, a, 1);
  }
}

const UNKNOWN_PROFILE = ['unknown', 'unknown'] as const;

/** Row and column names of a breakdown, shared by the PDF, the XLSX and the transmission so they never drift. */
export const GENDER_LABELS: Record<Gender, { lv: string; en: string }> = {
  female: { lv: 'Sievietes', en: 'Female' },
  male: { lv: 'Vīrieši', en: 'Male' },
  other: { lv: 'Cits', en: 'Other' },
  unknown: { lv: 'Nav zināms', en: 'Not known' },
};

export const AGE_LABELS: Record<AgeBracket, { lv: string; en: string }> = {
  '<18': { lv: '<18', en: '<18' },
  '18-60': { lv: '18-60', en: '18-60' },
  '>60': { lv: '>60', en: '>60' },
  '18+': { lv: '18+ nesadalīts', en: '18+ not split' },
  unknown: { lv: 'Vecums nav zināms', en: 'Age not known' },
};

export const BREAKDOWN_TEXT = {
  title: { lv: 'Dzimums un vecuma grupa', en: 'Gender and age bracket' },
  intro: {
    lv: 'Personās mērītie rādītāji kumulatīvi, unikālas personas, pēc dzimuma un vecuma pirmās aktivitātes sākumā (Regulas 2021/1147 VIII pielikums).',
    en: "Person indicators cumulatively, unique persons, by gender and by age at the start of the person's first activity (Reg. 2021/1147 Annex VIII).",
  },
  gender: { lv: 'Dzimums', en: 'Gender' },
  total: { lv: 'Kopā', en: 'Total' },
} as const;
