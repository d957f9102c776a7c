/**
 * Reporting periods: calendar quarters, written `2025-Q3`. Dates are zone-less calendar dates; instants are
 * compared in Europe/Riga, where a period and a deadline day begin and end.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import type { IsoDate } from './types';

export const PROGRAMME_ZONE = 'Europe/Riga';

export interface Period {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

const QUARTER_WORDS = /^(\d{4})\.?\s*gada\s*(\d)\.?\s*ceturksnis$/i;

/** Parse `2025-Q3`, `2025 Q3`, `Q3 2025`, `2025/Q3`, `2025. gada 3. ceturksnis`; null when not a period. */
export function parsePeriod(text: string): Period | null {
  const t = text.trim().replace(/\s+/g, ' ');
  let year: number | undefined;
  let quarter: number | undefined;
  const a = /^(\d{4})\s*[-/ ]?\s*[Qq]\s*(\d)$/.exec(t);
  const b = /^[Qq]\s*(\d)\s*[-/ ]?\s*(\d{4})$/.exec(t);
  const c = QUARTER_WORDS.exec(t);
  if (a) [year, quarter] = [Number(a[1]), Number(a[2])];
  else if (b) [year, quarter] = [Number(b[2]), Number(b[1])];
  else if (c) [year, quarter] = [Number(c[1]), Number(c[2])];
  if (year === undefined || quarter === undefined) return null;
  if (quarter < 1 || quarter > 4 || year < 2000 || year > 2100) return null;
  return { year, quarter: quarter as Period['quarter'] };
}

export function formatPeriod(p: Period): string {
  return `${p.year}-Q${p.quarter}`;
}

/** Parse a canonical `YYYY-Qn` key (as used in storage keys); throws on anything else. */
export function periodFromKey(key: string): Period {
  const m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!m) throw new Error(`not a period key: ${key}`);
  return { year: Number(m[1]), quarter: Number(m[2]) as Period['quarter'] };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function periodStart(p: Period): IsoDate {
  return `${p.year}-${pad((p.quarter - 1) * 3 + 1)}-01`;
}

export function periodEnd(p: Period): IsoDate {
  const month = p.quarter * 3;
  const last = new Date(Date.UTC(p.year, month, 0)).getUTCDate();
  return `${p.year}-${pad(month)}-${pad(last)}`;
}

export function nextPeriod(p: Period): Period {
  return p.quarter === 4
    ? { year: p.year + 1, quarter: 1 }
    : { year: p.year, quarter: (p.quarter + 1) as Period['quarter'] };
}

export function comparePeriods(a: Period, b: Period): number {
  return a.year - b.year || a.quarter - b.quarter;
}

/** The period containing a calendar date. */
export function periodOfDate(date: IsoDate): Period {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return { year: y, quarter: (Math.floor((m - 1) / 3) + 1) as Period['quarter'] };
}

/** Every period from the one containing `from` to the one containing `to`, inclusive. */
export function periodsBetween(from: IsoDate, to: IsoDate): Period[] {
  const out: Period[] = [];
  const last = periodOfDate(to);
  for (let p = periodOfDate(from); comparePeriods(p, last) <= 0; p = nextPeriod(p)) out.push(p);
  return out;
}

/** Whole days from a to b (b − a) between calendar dates. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The calendar date of an instant in Europe/Riga. */
export function rigaDate(instant: Date): IsoDate {
  const ms = instant.getTime();
  const offset = rigaHourOffset(ms);
  // The wall clock of the instant, read as UTC: the same fields the zone's own date gives.
  if (offset !== null) return new Date(ms + offset * 60_000).toISOString().slice(0, 10);
  const z = new TZDate(ms, PROGRAMME_ZONE);
  return `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
}

const HOUR_MS = 3_600_000;
/** Riga's offset from UTC in minutes for each UTC hour asked about (null: it changes within that hour). */
const hourOffsets = new Map<number, number | null>();

/**
 * The zone's offset throughout the UTC hour holding `ms`, when it is one whole number of minutes for the whole
 * hour (every hour since 1926: Riga changes its clocks on whole UTC hours); null otherwise, and for dates outside
 * 1970-2100. The zone's offset is asked of Intl once per hour instead of for every instant (each is an Intl
 * format): a report reads every upload's date.
 */
function rigaHourOffset(ms: number): number | null {
  if (!(ms >= 0 && ms < 4_102_444_800_000)) return null;
  const hour = Math.floor(ms / HOUR_MS);
  let offset = hourOffsets.get(hour);
  if (offset === undefined) {
    const first = tzOffset(PROGRAMME_ZONE, new Date(hour * HOUR_MS));
    const last = tzOffset(PROGRAMME_ZONE, new Date(hour * HOUR_MS + HOUR_MS - 1));
    offset = first === last && Number.isInteger(first) ? first : null;
    // A bound on the cache: a run reads a few thousand distinct hours at most.
    if (hourOffsets.size >= 8192) hourOffsets.clear();
    hourOffsets.set(hour, offset);
  }
  return offset;
}

/** The instant a Riga calendar day starts. */
export function rigaStartOfDay(date: IsoDate): Date {
  return rigaWallClock(date, 0, 0);
}

/** The instant a Riga wall-clock time happens on a calendar day (the zone's own summer-time rule applies). */
export function rigaWallClock(date: IsoDate, hour: number, minute: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, hour, minute, 0, PROGRAMME_ZONE).getTime());
}

/** Submission deadline: the last day on which an upload is on time (period end + deadline days). */
export function submissionDeadline(p: Period, deadlineDays: number): IsoDate {
  return addDays(periodEnd(p), deadlineDays);
}

/** Whether an upload at `instant` is on time for a deadline day (inclusive, Riga time). */
export function isOnTime(instant: Date, deadline: IsoDate): boolean {
  return rigaDate(instant) <= deadline;
}

/** Whether the project's dates overlap the period. */
export function projectActiveIn(project: { start: IsoDate; end: IsoDate }, p: Period): boolean {
  return project.start <= periodEnd(p) && project.end >= periodStart(p);
}

/**
 * Elapsed share of a project's duration at the end of `asOf` (inclusive), clamped to 0..1.
 * Days are counted inclusively: a project 2023-01-01..2023-12-31 is half done at 2023-07-02.
 */
export function elapsedShare(start: IsoDate, end: IsoDate, asOf: IsoDate): number {
  const total = daysBetween(start, end) + 1;
  if (total <= 0) return 1;
  const done = daysBetween(start, asOf) + 1;
  return Math.min(1, Math.max(0, done / total));
}
