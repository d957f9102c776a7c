/**
 * Gender × age-bracket breakdowns of person indicators (Reg. 2021/1147 Annex VIII: "All indicators relating to
 * persons shall be reported by age brackets (< 18, 18-60, > 60) and by gender"). Cumulative, with unique persons:
 * the cells of a breakdown always add up to the indicator's cumulative value, because an old unsplit `18+`, an
 * unknown gender or a typed value given without breakdown each have their own cell.
 */
import type { PeriodSubmissions } from './aggregate';
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

export function splitProfile(profile: PersonProfile | undefined): [Gender, AgeBracket] {
  if (!profile) return ['unknown', 'unknown'];
  const [g, a] = profile.split('/') as [Gender, AgeBracket];
  return [g, a];
}

/** Each person's profile in the earliest period they appear (their first activity in the project). */
function firstProfiles(upTo: readonly PeriodSubmissions[]): Map<string, PersonProfile> {
  const first = new Map<string, PersonProfile>();
  for (const h of upTo) {
    const profiles = h.inForce.profiles ?? {};
    for (const [id, profile] of Object.entries(profiles)) if (!first.has(id)) first.set(id, profile);
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
 * `aggregateIndicator`: participant rows win over typed values, and `unique` counts each person once.
 */
export function personBreakdown(def: IndicatorDef, history: readonly PeriodSubmissions[], period: string): Breakdown {
  const upTo = history.filter((h) => comparePeriods(periodFromKey(h.period), periodFromKey(period)) <= 0);
  const profiles = firstProfiles(upTo);
  const persons = new Set<string>();
  let out = emptyBreakdown();
  for (const h of upTo) {
    const s = h.inForce;
    const derived = s.derived.find((d) => d.code === def.code);
    const typed = s.indicators.find((t) => t.code === def.code);
    const useDerived =
      def.aggregation === 'unique'
        ? derived !== undefined && (s.participantRows > 0 || !typed)
        : derived !== undefined && s.participantRows > 0 && def.rule !== undefined;
    if (!useDerived && !typed) continue;
    if (def.aggregation === 'latest') out = emptyBreakdown();
    if (useDerived) {
      for (const id of derived!.participantIds) {
        if (def.aggregation === 'unique' && persons.has(id)) continue;
        persons.add(id);
        const [g, a] = splitProfile(profiles.get(id));
        addToBreakdown(out, g, a, 1);
      }
    } else addTyped(out, s, def.code, typed!.value);
  }
  return out;
}

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
