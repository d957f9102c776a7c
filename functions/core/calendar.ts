/**
 * The reporting calendar: which periods are due for reports and which one is in its reminder window, from the
 * registry's deadline settings. Shared by the local runner and the scheduled Lambdas.
 */
import {
  addDays,
  comparePeriods,
  formatPeriod,
  nextPeriod,
  type Period,
  periodOfDate,
  periodStart,
  submissionDeadline,
} from './period';
import type { Registry } from './types';

/**
 * At most this many never-reported periods are issued by one run unless it is asked to backfill (issue 14). Normal
 * operation issues one per quarter; a scheduler that was down for up to a year catches up by itself. More at once is
 * a first deployment over old projects (ask for it: `--backfill`) or a registry mistake (a start year of 1923 would
 * issue four hundred periods and mail every manager about each).
 */
export const BACKFILL_LIMIT = 4;

/** Periods whose submission deadline is over on `today`, from the first project start, oldest first. */
export function periodsDue(registry: Registry, today: string): string[] {
  if (registry.projects.length === 0) return [];
  const first = registry.projects.map((p) => p.start).sort()[0]!;
  const last = registry.projects
    .map((p) => p.end)
    .sort()
    .at(-1)!;
  const out: string[] = [];
  const stop = periodOfDate(today < last ? today : last);
  for (let p: Period = periodOfDate(first); comparePeriods(p, stop) <= 0; p = nextPeriod(p)) {
    if (submissionDeadline(p, registry.settings.deadlineDays) < today) out.push(formatPeriod(p));
  }
  return out;
}

/** The period whose reminder window (deadline − reminder days .. deadline) contains `today`, if any. */
export function periodInReminderWindow(registry: Registry, today: string): string | null {
  const { deadlineDays, reminderDays } = registry.settings;
  // The deadline falls after the period's end, so the candidate is the previous or the current period.
  const current = periodOfDate(today);
  const previous = periodOfDate(addDays(periodStart(current), -1));
  for (const p of [previous, current]) {
    const deadline = submissionDeadline(p, deadlineDays);
    if (addDays(deadline, -reminderDays) <= today && today <= deadline) return formatPeriod(p);
  }
  return null;
}

/**
 * The latest Art. 42 indicator cut-off (30 June or 31 December) whose quarter's submission deadline is over on
 * `today`, if an AMIF 2021-2027 project had started by then. Data for it are due by 31 July / 31 January.
 */
export function latestDueCutoff(registry: Registry, today: string): string | null {
  const year = Number(today.slice(0, 4));
  const candidates = [`${year}-12-31`, `${year}-06-30`, `${year - 1}-12-31`, `${year - 1}-06-30`];
  for (const cutoff of candidates) {
    if (addDays(cutoff, registry.settings.deadlineDays) >= today) continue;
    const started = registry.projects.some((p) => p.fund === 'AMIF-2021-2027' && p.start <= cutoff);
    return started ? cutoff : null;
  }
  return null;
}
