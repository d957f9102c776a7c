/**
 * The backfill bound (issue 14), shared by the local `run` and the state machine's plan step: a run that would issue
 * more than {@link BACKFILL_LIMIT} never-reported periods at once holds all of them and says so, unless it is asked
 * to backfill (`--backfill` on the CLI, `"backfill": true` in a state machine execution's input).
 */
import { BACKFILL_LIMIT } from '../core/calendar';
import type { Deps } from './deps';
import { revisionsOf } from './revisions';

export { BACKFILL_LIMIT };

/** Due periods no revision was ever planned for, oldest first. */
export async function neverReported(deps: Pick<Deps, 'store'>, due: readonly string[]): Promise<string[]> {
  const fresh: string[] = [];
  for (const period of due) {
    const { planned } = await revisionsOf(deps, period);
    if (planned === 0) fresh.push(period);
  }
  return fresh;
}

/** The never-reported periods of `due` a run without backfill holds: all of them when there are too many, else none. */
export async function heldWithoutBackfill(deps: Pick<Deps, 'store'>, due: readonly string[]): Promise<string[]> {
  const fresh = await neverReported(deps, due);
  return fresh.length > BACKFILL_LIMIT ? fresh : [];
}

/** The held periods as one failure: the range as its key and what the run would have done. */
export function heldFailure(held: readonly string[]): { key: string; what: string } {
  return {
    key: `${held[0]} … ${held.at(-1)}`,
    what: `this run would issue ${held.length} never-reported periods at once (more than ${BACKFILL_LIMIT}) and mail every manager about each`,
  };
}
