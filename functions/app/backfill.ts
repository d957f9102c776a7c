/**
 * The backfill bound (issue 14), shared by the local `run`, the state machine's plan step and the transmission
 * function: a run that would issue more than {@link BACKFILL_LIMIT} never-reported periods at once holds all of them
 * and says so, unless it is asked to backfill (`--backfill` on the CLI, `"backfill": true` in a state machine
 * execution's or the transmission function's input). The Art. 42 transmission whose figures would count a held period
 * is held with them: it would otherwise send the Commission's figures for quarters no report has shown.
 */
import { BACKFILL_LIMIT } from '../core/calendar';
import { cutoffPeriod } from '../core/transmission';
import type { Deps } from './deps';
import { revisionsOf } from './revisions';

export { BACKFILL_LIMIT };

/** What an operator does to issue held periods on AWS (the CLI's `--backfill`). */
export const BACKFILL_INPUT = '{"mode": "corrections", "backfill": true}';

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

/**
 * The held periods the transmission of `cutoff` would count (those up to its quarter; a transmission sums every
 * project's values up to the cut-off). Any at all holds the transmission.
 */
export function heldInTransmission(held: readonly string[], cutoff: string): string[] {
  const last = cutoffPeriod(cutoff);
  return held.filter((period) => period <= last);
}

/**
 * The held periods as one failure: the range as its key and what the run would have done, naming the transmission
 * of `cutoff` when it is held with them.
 */
export function heldFailure(held: readonly string[], cutoff?: string | null): { key: string; what: string } {
  const transmission =
    cutoff && heldInTransmission(held, cutoff).length > 0
      ? `, and send the Art. 42 transmission of ${cutoff} counting them (held as well: nothing written or mailed)`
      : '';
  return {
    key: `${held[0]} … ${held.at(-1)}`,
    what: `this run would issue ${held.length} never-reported periods at once (more than ${BACKFILL_LIMIT}) and mail every manager about each${transmission}`,
  };
}

/**
 * Thrown by the transmission function when the transmission it was asked for is held: the invocation fails (and, after
 * Lambda's retries, lands on its dead-letter queue, which is alarmed) with what to do.
 */
export class TransmissionHeldError extends Error {
  constructor(
    readonly cutoff: string,
    readonly held: readonly string[],
  ) {
    super(
      `the Art. 42 transmission of ${cutoff} is held, nothing written or mailed: it would count ${held.length} never-reported periods (${held[0]} … ${held.at(-1)}) that the backfill bound holds (more than ${BACKFILL_LIMIT} at once). Check the project dates in the registry; if these periods are really due, start a state machine execution with ${BACKFILL_INPUT}, then invoke this function with {"backfill": true}.`,
    );
    this.name = 'TransmissionHeldError';
  }
}
