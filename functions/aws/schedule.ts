/**
 * Which period a scheduled run is for, when the scheduler does not say. EventBridge Scheduler invokes at fixed
 * days (06:00 Europe/Riga), while the deadline and reminder days are registry settings, so the period is decided
 * from the registry in force and the clock, with the same rules as the local runner (`app/run.ts`).
 */

import type { Deps } from '../app/deps';
import { latestManifest, type PlanOutcome, planRevision } from '../app/generate';
import { loadRegistryInForce } from '../app/registry-store';
import { periodInReminderWindow, periodsDue } from '../core/calendar';
import { rigaDate } from '../core/period';
import { activeProjects } from '../core/report-model';

/** How many of the latest due periods a corrections run looks at: a year of quarters. */
export const CORRECTION_WINDOW = 4;

/** Due periods (deadline over, Riga time) with at least one active project, oldest first. */
async function duePeriods(deps: Deps): Promise<string[] | null> {
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

/** The outcome of a corrections run: the first period with changed sources, planned. */
export type CorrectionsOutcome = (PlanOutcome & { status: 'planned'; period: string }) | { status: 'no-changes' };

/**
 * A corrections run (late or corrected uploads after a period was reported): look at the latest
 * {@link CORRECTION_WINDOW} due periods that already have a complete revision, newest first, and plan a new
 * revision of the first whose sources changed since. Periods never generated are left to the scheduled run (and to
 * an operator re-running a failed execution with its period), so a corrections run never reports a period for the
 * first time. One period per run keeps one state machine execution per revision; the state machine runs plan again
 * after delivering, until nothing changed. Periods with unchanged sources are only read.
 */
export async function planCorrections(deps: Deps): Promise<CorrectionsOutcome | { status: 'no-registry' }> {
  const due = await duePeriods(deps);
  if (due === null) return { status: 'no-registry' };
  for (const period of due.slice(-CORRECTION_WINDOW).reverse()) {
    if (!(await latestManifest(deps, period))) continue;
    const outcome = await planRevision(deps, { period });
    if (outcome.status === 'planned') return { ...outcome, period };
  }
  return { status: 'no-changes' };
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
