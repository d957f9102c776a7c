/**
 * Which period a scheduled run is for, when the scheduler does not say. EventBridge Scheduler invokes at fixed
 * days (06:00 Europe/Riga), while the deadline and reminder days are registry settings, so the period is decided
 * from the registry in force and the clock, with the same rules as the local runner (`app/run.ts`).
 */

import { periodInReminderWindow, periodsDue } from '../core/calendar';
import { rigaDate } from '../core/period';
import { activeProjects } from '../core/report-model';
import type { Deps } from './deps';
import { loadRegistryInForce } from './registry-store';

/** Due periods (deadline over, Riga time) with at least one active project, oldest first. */
export async function duePeriods(deps: Deps): Promise<string[] | null> {
  const registry = await loadRegistryInForce(deps.store);
  if (!registry) return null;
  return periodsDue(registry, rigaDate(deps.clock.now())).filter((p) => activeProjects(registry, p).length > 0);
}

/**
 * The period a scheduled generate run is for: the latest one whose submission deadline has passed. The schedule
 * fires the day after the deadline, so that is the period that just closed; run late, it is still the right one.
 * `undefined` when no period is due yet, `null` when there is no registry.
 */
export async function scheduledGeneratePeriod(deps: Deps): Promise<string | null | undefined> {
  const due = await duePeriods(deps);
  return due === null ? null : due.at(-1);
}

/**
 * The period a scheduled reminder run is for: the one whose reminder window (deadline − reminder days ..
 * deadline) contains today. The reminder ledger makes a daily schedule send each reminder once.
 */
export async function scheduledReminderPeriod(deps: Deps): Promise<string | null | undefined> {
  const registry = await loadRegistryInForce(deps.store);
  if (!registry) return null;
  return periodInReminderWindow(registry, rigaDate(deps.clock.now())) ?? undefined;
}
