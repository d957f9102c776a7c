/**
 * Aggregation across periods (docs/architecture.md §5): for one project, the submissions in force per period, and each
 * indicator's value this period and cumulative. `unique` counts distinct persons across all periods up to the
 * report period — never the sum of quarterly counts.
 */
import { comparePeriods, periodFromKey } from './period';
import type { CellRef, IndicatorDef, NormalisedSubmission, SourceRef } from './types';

/**
 * Upload order (docs/architecture.md §5): the later upload time wins; at the same time, the later version (the store's version
 * order). Never the file name: a coordinator's correction called `a.xlsx` must not lose to `b.xlsx`.
 */
export function uploadedAfter(a: SourceRef, b: SourceRef): boolean {
  const [ta, tb] = [Date.parse(a.uploadedAt), Date.parse(b.uploadedAt)];
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta > tb;
  if (a.uploadedAt !== b.uploadedAt) return a.uploadedAt > b.uploadedAt;
  return a.version > b.version;
}

function newer(a: NormalisedSubmission, b: NormalisedSubmission): boolean {
  return uploadedAfter(a.source, b.source);
}

export interface PeriodSubmissions {
  period: string;
  /** The newest accepted upload. */
  inForce: NormalisedSubmission;
  /** Every accepted upload for the period, oldest first (the lineage lists them all). */
  all: NormalisedSubmission[];
}

/** Group one project's submissions by period, up to and including `upTo`, oldest period first. */
export function submissionsInForce(submissions: readonly NormalisedSubmission[], upTo: string): PeriodSubmissions[] {
  const limit = periodFromKey(upTo);
  const byPeriod = new Map<string, NormalisedSubmission[]>();
  for (const s of submissions) {
    if (comparePeriods(periodFromKey(s.period), limit) > 0) continue;
    const list = byPeriod.get(s.period) ?? [];
    list.push(s);
    byPeriod.set(s.period, list);
  }
  return [...byPeriod.entries()]
    .sort(([a], [b]) => comparePeriods(periodFromKey(a), periodFromKey(b)))
    .map(([period, list]) => {
      const all = [...list].sort((a, b) => (newer(a, b) ? 1 : newer(b, a) ? -1 : 0));
      return { period, inForce: all[all.length - 1]!, all };
    });
}

/** A contributing source cell of a figure. */
export interface Contribution {
  period: string;
  source: SourceRef;
  cell: CellRef;
}

export interface AggregatedValue {
  thisPeriod: number;
  cumulative: number;
  origin: 'typed' | 'participants' | 'none';
  contributions: Contribution[];
  /** Person-based indicator without participant rows in some period: typed counts were added up instead. */
  summedTypedPersons: boolean;
}

/** Where one period's value of an indicator comes from: its participant rows, its typed cell, or nowhere. */
export type IndicatorSource =
  | { from: 'derived'; derived: NormalisedSubmission['derived'][number] }
  | { from: 'typed'; typed: NormalisedSubmission['indicators'][number] }
  | null;

/**
 * The choice of source for one upload in force (docs/architecture.md §5), shared by the value, its series and its
 * breakdown so they never disagree. Participant rows win over a typed value; for `unique`, derived persons are
 * used whenever the sheet had rows or nothing was typed; otherwise only when there were rows and a rule.
 */
export function indicatorSource(def: IndicatorDef, s: NormalisedSubmission): IndicatorSource {
  const derived = s.derived.find((d) => d.code === def.code);
  const typed = s.indicators.find((t) => t.code === def.code);
  const useDerived =
    def.aggregation === 'unique'
      ? derived !== undefined && (s.participantRows > 0 || !typed)
      : derived !== undefined && s.participantRows > 0 && Boolean(def.rule);
  if (useDerived) return { from: 'derived', derived: derived! };
  return typed ? { from: 'typed', typed } : null;
}

/** The entries of `history` up to and including `period`, in history order. */
export function historyUpTo(history: readonly PeriodSubmissions[], period: string): PeriodSubmissions[] {
  const limit = periodFromKey(period);
  return history.filter((h) => comparePeriods(periodFromKey(h.period), limit) <= 0);
}

/**
 * One indicator's value for `period` (this period and cumulative) from the submissions in force.
 * Participant-derived values win over typed ones; for `unique`, persons are counted once across periods.
 */
export function aggregateIndicator(
  def: IndicatorDef,
  history: readonly PeriodSubmissions[],
  period: string,
): AggregatedValue {
  const upTo = historyUpTo(history, period);
  const contributions: Contribution[] = [];
  let thisPeriod = 0;
  let origin: AggregatedValue['origin'] = 'none';
  let summedTypedPersons = false;

  if (def.aggregation === 'unique') {
    const persons = new Set<string>();
    let typedSum = 0;
    for (const h of upTo) {
      const s = h.inForce;
      const source = indicatorSource(def, s);
      if (source?.from === 'derived') {
        for (const id of source.derived.participantIds) persons.add(id);
        for (const cell of source.derived.lineage) contributions.push({ period: h.period, source: s.source, cell });
        if (h.period === period) thisPeriod = source.derived.value;
        origin = 'participants';
      } else if (source) {
        // No participant rows: the typed count is all we have; flagged because persons may repeat across periods.
        typedSum += source.typed.value;
        summedTypedPersons = true;
        contributions.push({ period: h.period, source: s.source, cell: source.typed.lineage });
        if (h.period === period) thisPeriod = source.typed.value;
        if (origin === 'none') origin = 'typed';
      }
    }
    return { thisPeriod, cumulative: persons.size + typedSum, origin, contributions, summedTypedPersons };
  }

  let cumulative = 0;
  for (const h of upTo) {
    const s = h.inForce;
    const source = indicatorSource(def, s);
    if (!source) continue;
    let value: number;
    if (source.from === 'derived') {
      value = source.derived.value;
      for (const cell of source.derived.lineage) contributions.push({ period: h.period, source: s.source, cell });
      origin = 'participants';
    } else {
      value = source.typed.value;
      contributions.push({ period: h.period, source: s.source, cell: source.typed.lineage });
      if (origin === 'none') origin = 'typed';
    }
    if (def.aggregation === 'latest') cumulative = value;
    else cumulative += value;
    if (h.period === period) thisPeriod = value;
  }
  if (def.aggregation === 'latest' && contributions.length > 0) {
    // Only the latest value counts, so only its cell is the source.
    const last = contributions[contributions.length - 1]!;
    return {
      thisPeriod,
      cumulative,
      origin,
      contributions: contributions.filter((c) => c.period === last.period),
      summedTypedPersons,
    };
  }
  return { thisPeriod, cumulative, origin, contributions, summedTypedPersons };
}

/**
 * The cumulative value at each of `periods`: `aggregateIndicator(def, history, p).cumulative` for each, in one pass
 * over the history instead of one per period (a report's series has a point per quarter of the project, and each
 * point of a `unique` indicator gathered every person again). History is oldest period first, as
 * {@link submissionsInForce} gives it; any other order is answered period by period.
 */
export function cumulativeSeries(
  def: IndicatorDef,
  history: readonly PeriodSubmissions[],
  periods: readonly string[],
): number[] {
  const keys = history.map((h) => periodFromKey(h.period));
  if (keys.some((k, i) => i > 0 && comparePeriods(keys[i - 1]!, k) > 0)) {
    return periods.map((p) => aggregateIndicator(def, history, p).cumulative);
  }
  // Only the history up to the last period asked for counts.
  let needed = 0;
  for (const p of periods) {
    const limit = periodFromKey(p);
    while (needed < keys.length && comparePeriods(keys[needed]!, limit) <= 0) needed++;
  }
  // after[i]: the cumulative value once history[0..i] is counted, as aggregateIndicator adds them up.
  const after: number[] = [];
  const persons = new Set<string>();
  let typedSum = 0;
  let cumulative = 0;
  for (const h of history.slice(0, needed)) {
    const source = indicatorSource(def, h.inForce);
    if (def.aggregation === 'unique') {
      if (source?.from === 'derived') for (const id of source.derived.participantIds) persons.add(id);
      else if (source) typedSum += source.typed.value;
      after.push(persons.size + typedSum);
      continue;
    }
    if (source) {
      const value = source.from === 'derived' ? source.derived.value : source.typed.value;
      cumulative = def.aggregation === 'latest' ? value : cumulative + value;
    }
    after.push(cumulative);
  }
  return periods.map((p) => {
    const limit = periodFromKey(p);
    let counted = 0;
    while (counted < keys.length && comparePeriods(keys[counted]!, limit) <= 0) counted++;
    return counted === 0 ? 0 : after[counted - 1]!;
  });
}

/** Spending this period and cumulative in whole cents, per budget line, from the submissions in force. */
export function aggregateExpenditure(history: readonly PeriodSubmissions[], period: string) {
  const limit = periodFromKey(period);
  const categories = new Map<string, { thisPeriod: number; cumulative: number; contributions: Contribution[] }>();
  for (const h of history) {
    if (comparePeriods(periodFromKey(h.period), limit) > 0) continue;
    for (const line of h.inForce.expenditure) {
      const key = line.category;
      const entry = categories.get(key) ?? { thisPeriod: 0, cumulative: 0, contributions: [] };
      entry.cumulative += line.amountCents;
      if (h.period === period) entry.thisPeriod += line.amountCents;
      entry.contributions.push({ period: h.period, source: h.inForce.source, cell: line.lineage });
      categories.set(key, entry);
    }
  }
  return categories;
}
