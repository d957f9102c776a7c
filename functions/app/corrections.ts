/**
 * The state machine's plan step: which period an execution (re)generates next, with the same backfill bound as the
 * local `run`. Kept apart from `schedule.ts` because planning pulls in the renderers, which the reminder function
 * does not need.
 */
import { BACKFILL_INPUT, heldFailure, heldWithoutBackfill } from './backfill';
import type { Deps } from './deps';
import { type PlanOutcome, planRevision } from './generate';
import { duePeriods } from './schedule';

/** How many of the latest due periods a corrections run looks at: a year of quarters. */
export const CORRECTION_WINDOW = 4;

/** Never-reported periods the plan did not issue: how many, the range, and what to do (one line for the alarm). */
export interface HeldPeriods {
  count: number;
  first: string;
  last: string;
  summary: string;
}

/** What the plan step asks for. */
export interface NextPlanOptions {
  /** A period given by hand: planned as asked (no bound, as `generate --period`). */
  period?: string;
  /** `scheduled`: the period whose deadline passed last; `corrections`: the newest period whose inputs changed. */
  mode: 'scheduled' | 'corrections';
  /** Issue every never-reported due period, however many (a first deployment); implies a corrections loop. */
  backfill: boolean;
  /** Periods this execution already tried and failed: not planned again in the same execution. */
  skip: readonly string[];
}

export type NextPlanOutcome =
  | (PlanOutcome & { status: 'planned'; period: string; held?: HeldPeriods })
  | { status: 'unchanged'; period: string; revision: number; held?: HeldPeriods }
  | { status: 'no-changes'; held?: HeldPeriods }
  | { status: 'nothing-due' }
  | { status: 'no-registry' }
  | { status: 'held'; period: string; held: HeldPeriods };

/**
 * Plan the next revision of an execution. A scheduled run plans the period whose deadline passed last. A corrections
 * run looks at the latest {@link CORRECTION_WINDOW} due periods (every due period when backfilling), newest first,
 * and plans the first whose inputs changed since its last revision, or that was never reported (the daily run is the
 * safety net for a scheduled run that failed). One period per plan keeps one revision per pass of the state
 * machine, which plans again after delivering until nothing changed.
 *
 * Without `backfill`, more than BACKFILL_LIMIT never-reported due periods are all held, exactly as the local `run`
 * holds them: every result carries `held`, and the state machine ends the execution failed with its summary.
 */
export async function planNext(deps: Deps, options: NextPlanOptions): Promise<NextPlanOutcome> {
  if (options.period) return planOne(deps, options.period);
  const due = await duePeriods(deps);
  if (due === null) return { status: 'no-registry' };
  const heldList = options.backfill ? [] : await heldWithoutBackfill(deps, due);
  const held = heldList.length > 0 ? describeHeld(heldList) : undefined;
  if (held) deps.log.warn('plan.backfill-held', { periods: held.count, first: held.first, last: held.last });
  const withHeld = <T extends object>(outcome: T) => (held ? { ...outcome, held } : outcome);
  if (options.mode === 'corrections' || options.backfill) {
    const window = options.backfill ? due : due.slice(-CORRECTION_WINDOW);
    const candidates = window.filter((p) => !heldList.includes(p) && !options.skip.includes(p)).reverse();
    for (const period of candidates) {
      const outcome = await planRevision(deps, { period });
      if (outcome.status === 'planned') return withHeld({ ...outcome, period });
    }
    return withHeld({ status: 'no-changes' as const });
  }
  const latest = due.at(-1);
  if (latest === undefined) return { status: 'nothing-due' };
  if (held && heldList.includes(latest)) return { status: 'held', period: latest, held };
  return withHeld(await planOne(deps, latest));
}

async function planOne(
  deps: Deps,
  period: string,
): Promise<Exclude<NextPlanOutcome, { status: 'held' | 'no-changes' | 'nothing-due' }>> {
  const outcome = await planRevision(deps, { period });
  if (outcome.status === 'no-registry') return outcome;
  if (outcome.status === 'unchanged') return { status: 'unchanged', period, revision: outcome.manifest.revision };
  return { ...outcome, period };
}

function describeHeld(held: readonly string[]): HeldPeriods {
  const { key, what } = heldFailure(held);
  return {
    count: held.length,
    first: held[0]!,
    last: held.at(-1)!,
    summary: `${key}: ${what}. Check the project dates in the registry; if these periods are really due, start an execution with ${BACKFILL_INPUT}.`,
  };
}
