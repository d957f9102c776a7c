/**
 * Corrections runs: late or corrected uploads after a period was reported produce a new revision. Kept apart from
 * `schedule.ts` because planning pulls in the renderers, which the reminder function does not need.
 */
import type { Deps } from './deps';
import { type PlanOutcome, planRevision } from './generate';
import { duePeriods } from './schedule';

/** How many of the latest due periods a corrections run looks at: a year of quarters. */
export const CORRECTION_WINDOW = 4;

/** The outcome of a corrections run: the first period with changed sources, planned. */
export type CorrectionsOutcome = (PlanOutcome & { status: 'planned'; period: string }) | { status: 'no-changes' };

/**
 * A corrections run (late or corrected uploads after a period was reported): look at the latest
 * {@link CORRECTION_WINDOW} due periods, newest first, and plan a new revision of the first whose sources changed
 * since its last revision. A due period never reported at all is reported too: the daily run is the safety net for
 * a scheduled run that failed, or for a registry whose deadline setting differs from the stack's schedule days.
 * One period per run keeps one state machine execution per revision; the state machine runs plan again after
 * delivering, until nothing changed. Periods with unchanged sources are only read.
 */
export async function planCorrections(deps: Deps): Promise<CorrectionsOutcome | { status: 'no-registry' }> {
  const due = await duePeriods(deps);
  if (due === null) return { status: 'no-registry' };
  for (const period of due.slice(-CORRECTION_WINDOW).reverse()) {
    const outcome = await planRevision(deps, { period });
    if (outcome.status === 'planned') return { ...outcome, period };
  }
  return { status: 'no-changes' };
}
