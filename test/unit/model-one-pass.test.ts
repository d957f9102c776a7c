/**
 * The report model's figures computed in one pass (issue 19) against a recomputation written here from the rules
 * (docs/architecture.md §5), on generated histories: each point of an indicator's series, each cell of a person
 * breakdown, and the Riga date of an upload (on time or late). Histories mix periods with participant rows, typed
 * values only, both, and neither; persons repeat across periods; some uploads are superseded.
 */
import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { aggregateIndicator, cumulativeSeries, type PeriodSubmissions } from '../../functions/core/aggregate';
import { AGE_LABELS, GENDER_LABELS, personBreakdown } from '../../functions/core/breakdown';
import { buildCatalogue, isPersonIndicator } from '../../functions/core/catalogue';
import { isOnTime, rigaDate } from '../../functions/core/period';
import type { AgeBracket, Gender, IndicatorDef, NormalisedSubmission, PersonProfile } from '../../functions/core/types';
import { SUBMISSION_SCHEMA_VERSION } from '../../functions/core/types';
import { mulberry32 } from '../../sample/sample-projects';

/** A small seeded generator (mulberry32), so each case is the same on every run. */
function random(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const catalogue = buildCatalogue();
const withRule = catalogue.all.find((d) => d.aggregation === 'unique' && d.rule !== undefined)!;
const typedOnly = catalogue.all.find((d) => d.aggregation === 'sum' && d.rule === undefined)!;
// The catalogue has unique counts with a rule and sums without; the other combinations are made from them.
const DEFS: IndicatorDef[] = [
  withRule,
  { ...withRule, code: 'X.SUM', aggregation: 'sum' },
  typedOnly,
  { ...typedOnly, code: 'X.LATEST', aggregation: 'latest' },
  { ...withRule, code: 'X.LATEST.RULE', aggregation: 'latest' },
];
const PERSON_DEFS = [
  ...catalogue.all.filter((d) => isPersonIndicator(d) && d.rule !== undefined).slice(0, 2),
  ...DEFS.slice(1).filter((d) => d.rule !== undefined),
];
const GENDERS = Object.keys(GENDER_LABELS) as Gender[];
const AGES = Object.keys(AGE_LABELS) as AgeBracket[];
const PERIODS = ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'];

/** One upload in force for `period`: for each code, participant rows, a typed value, both, or neither. */
function upload(r: ReturnType<typeof random>, period: string, codes: readonly IndicatorDef[]): NormalisedSubmission {
  const persons = Array.from({ length: r.int(12) }, () => `PM-${r.int(30)}`);
  const profiles: Record<string, PersonProfile> = {};
  for (const id of persons) profiles[id] ??= `${r.pick(GENDERS)}/${r.pick(AGES)}` as PersonProfile;
  const derived: NormalisedSubmission['derived'] = [];
  const indicators: NormalisedSubmission['indicators'] = [];
  for (const def of codes) {
    const shape = r.int(4);
    if (shape === 0 || shape === 2) {
      const ids = [...new Set(persons.filter(() => r.next() < 0.7))].sort();
      derived.push({ code: def.code, value: ids.length, participantIds: ids, lineage: [] });
    }
    if (shape === 1 || shape === 2) {
      const value = def.integer ? r.int(20) : Math.round(r.next() * 1000) / 10;
      indicators.push({ code: def.code, value, comment: '', lineage: { sheet: 'Rādītāji', cell: 'C2', raw: '' } });
    }
  }
  return {
    schemaVersion: SUBMISSION_SCHEMA_VERSION,
    kind: 'submission',
    source: { key: `inbox/p/${period}.xlsx`, version: 'v1', sha256: 'a'.repeat(64), bytes: 1, uploadedAt: '' },
    registryVersion: 'r1',
    catalogueVersion: 'test',
    projectId: 'p',
    period,
    indicators,
    derived,
    participantRows: r.next() < 0.8 ? persons.length : 0,
    profiles,
    breakdowns: [],
    expenditure: [],
    narrative: { achievements: null, problems: null, nextSteps: null },
    warnings: [],
  };
}

function history(seed: number, codes: readonly IndicatorDef[]): PeriodSubmissions[] {
  const r = random(seed);
  return PERIODS.filter(() => r.next() < 0.7).map((period) => {
    const inForce = upload(r, period, codes);
    return { period, inForce, all: r.next() < 0.3 ? [upload(r, period, codes), inForce] : [inForce] };
  });
}

/** Where a period's value comes from, as the rules say, for the recomputations below. */
function chosen(def: IndicatorDef, s: NormalisedSubmission) {
  const derived = s.derived.find((d) => d.code === def.code);
  const typed = s.indicators.find((t) => t.code === def.code);
  const rows = s.participantRows > 0;
  if (derived && (def.aggregation === 'unique' ? rows || !typed : rows && def.rule)) return { derived };
  return typed ? { typed } : null;
}

/** The cumulative value at `period`, recomputed from the rules: unique persons once, sums, or the latest value. */
function cumulativeAt(def: IndicatorDef, h: readonly PeriodSubmissions[], period: string): number {
  const upTo = h.filter((x) => x.period <= period);
  if (def.aggregation === 'unique') {
    const persons = new Set<string>();
    let typed = 0;
    for (const x of upTo) {
      const c = chosen(def, x.inForce);
      if (c?.derived) for (const id of c.derived.participantIds) persons.add(id);
      else if (c?.typed) typed += c.typed.value;
    }
    return persons.size + typed;
  }
  let value = 0;
  for (const x of upTo) {
    const c = chosen(def, x.inForce);
    if (!c) continue;
    const v = c.derived ? c.derived.value : c.typed!.value;
    value = def.aggregation === 'latest' ? v : value + v;
  }
  return value;
}

/** Each person once (`unique`), in the gender and bracket of the first period they appear in, counted one by one. */
function breakdownAt(def: IndicatorDef, h: readonly PeriodSubmissions[], period: string) {
  const upTo = h.filter((x) => x.period <= period);
  const first = new Map<string, string>();
  for (const x of upTo)
    for (const [id, p] of Object.entries(x.inForce.profiles ?? {})) if (!first.has(id)) first.set(id, p);
  let cells = new Map<string, number>();
  const seen = new Set<string>();
  for (const x of upTo) {
    const c = chosen(def, x.inForce);
    if (!c) continue;
    if (def.aggregation === 'latest') cells = new Map();
    const add = (key: string, n: number) => cells.set(key, (cells.get(key) ?? 0) + n);
    if (c.derived) {
      for (const id of c.derived.participantIds) {
        if (def.aggregation === 'unique' && seen.has(id)) continue;
        seen.add(id);
        add(first.get(id) ?? 'unknown/unknown', 1);
      }
    } else add('unknown/unknown', c.typed!.value);
  }
  return cells;
}

describe('figures computed in one pass', () => {
  it('has an indicator of each aggregation and person indicators to test with', () => {
    expect(withRule?.rule).toBeDefined();
    expect(typedOnly).toBeDefined();
    expect(PERSON_DEFS.length).toBeGreaterThan(0);
  });

  for (let seed = 1; seed <= 40; seed++) {
    it(`gives every point of a series as the rules do, and as the value of each period (seed ${seed})`, () => {
      const h = history(seed, DEFS);
      const periods = ['2024-Q2', ...PERIODS];
      for (const def of DEFS) {
        const series = cumulativeSeries(def, h, periods);
        expect(series).toEqual(periods.map((p) => cumulativeAt(def, h, p)));
        expect(series).toEqual(periods.map((p) => aggregateIndicator(def, h, p).cumulative));
        // A part of the series, or its periods in another order, answers the same for each period asked.
        const asked = [...periods].reverse().slice(0, 3);
        expect(cumulativeSeries(def, h, asked)).toEqual(asked.map((p) => cumulativeAt(def, h, p)));
      }
    });

    it(`counts each person of a breakdown as the rules do (seed ${seed})`, () => {
      const h = history(seed + 1000, PERSON_DEFS);
      for (const def of PERSON_DEFS) {
        for (const period of PERIODS) {
          const b = personBreakdown(def, h, period);
          const expected = breakdownAt(def, h, period);
          for (const g of GENDERS) {
            for (const a of AGES)
              expect(b.counts[g][a], `${def.code} ${period} ${g}/${a}`).toBe(expected.get(`${g}/${a}`) ?? 0);
          }
          expect(b.total).toBe([...expected.values()].reduce((x, y) => x + y, 0));
        }
      }
    });
  }

  it('answers the cumulative series of a history in another order period by period', () => {
    const h = history(7, DEFS).reverse();
    for (const def of DEFS) {
      expect(cumulativeSeries(def, h, PERIODS)).toEqual(PERIODS.map((p) => aggregateIndicator(def, h, p).cumulative));
    }
  });
});

describe('the Riga date of an instant', () => {
  const pad = (n: number) => String(n).padStart(2, '0');
  const zoned = (ms: number) => {
    const z = new TZDate(ms, 'Europe/Riga');
    return `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
  };

  it('is the zone date around every clock change from 2000 to 2040', () => {
    const hour = 3_600_000;
    for (let year = 2000; year <= 2040; year++) {
      for (const month of [2, 9]) {
        // The last Sunday of March and October, the day either side of it, every quarter hour and the millisecond
        // before it.
        let sunday = Date.UTC(year, month + 1, 0);
        while (new Date(sunday).getUTCDay() !== 0) sunday -= 24 * hour;
        for (let ms = sunday - 24 * hour; ms <= sunday + 48 * hour; ms += hour / 4) {
          for (const t of [ms, ms - 1]) expect(rigaDate(new Date(t)), new Date(t).toISOString()).toBe(zoned(t));
        }
      }
    }
  });

  it('is the zone date at random instants from 1900 to 2150, and for an invalid date', () => {
    const r = random(19);
    for (let i = 0; i < 20_000; i++) {
      const t = Date.UTC(1900, 0, 1) + Math.floor(r.next() * 250 * 365.25 * 86_400_000);
      expect(rigaDate(new Date(t)), new Date(t).toISOString()).toBe(zoned(t));
    }
    expect(rigaDate(new Date(Number.NaN))).toBe(zoned(Number.NaN));
  });

  it('decides on time by the Riga day: the last minute of the deadline day is on time, the next is late', () => {
    // 15 October 2025 ends at 21:00 UTC (summer time); 15 January 2026 at 22:00 UTC (winter time).
    expect(isOnTime(new Date('2025-10-15T20:59:59.999Z'), '2025-10-15')).toBe(true);
    expect(isOnTime(new Date('2025-10-15T21:00:00.000Z'), '2025-10-15')).toBe(false);
    expect(isOnTime(new Date('2026-01-15T21:59:59.999Z'), '2026-01-15')).toBe(true);
    expect(isOnTime(new Date('2026-01-15T22:00:00.000Z'), '2026-01-15')).toBe(false);
  });
});
