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
