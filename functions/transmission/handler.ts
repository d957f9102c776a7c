/**
 * Lambda entry point of the Art. 42 transmission: `{ cutoff?, backfill? }` → the transmission of that cut-off
 * (default: the latest one due, after the Q4 and Q2 deadlines) produced and archived (a new revision only when a
 * figure changed), then e-mailed to the programme's managers, exactly once per recipient and revision (the ledger).
 * Safe to run daily: an unchanged transmission is neither re-archived nor re-sent.
 *
 * The backfill bound holds here as in the state machine's plan step and the local `run` (issue 14): when more than
 * BACKFILL_LIMIT due periods were never reported and the transmission would count any of them, nothing is written or
 * mailed and the invocation fails with {@link TransmissionHeldError}, unless the input says `"backfill": true`.
 */
import type { Context } from 'aws-lambda';
import { heldInTransmission, heldWithoutBackfill, TransmissionHeldError } from '../app/backfill';
import { UnsentMailError } from '../app/ledger';
import { loadRegistryInForce } from '../app/registry-store';
import { duePeriods } from '../app/schedule';
import {
  deliverTransmission,
  produceTransmission,
  type TransmissionDeliverOutcome,
  type TransmissionOutcome,
} from '../app/transmission';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import { backfillField } from '../aws/invocation-events';
import { BadEventError } from '../aws/s3-event';
import { latestDueCutoff } from '../core/calendar';
import { METRIC } from '../core/metric-names';
import { rigaDate } from '../core/period';

export interface TransmissionEvent {
  /** `YYYY-06-30` or `YYYY-12-31`; default: the latest due. */
  cutoff?: string;
  /** Transmit even if it counts more than BACKFILL_LIMIT never-reported periods (the CLI's `run --backfill`). */
  backfill?: boolean;
}

export type TransmissionResult =
  | { status: 'not-due' }
  | { status: 'no-registry' }
  | { status: 'done'; produced: TransmissionOutcome; delivered: TransmissionDeliverOutcome };

function cutoffField(event: unknown): string | undefined {
  if (event === null || event === undefined) return undefined;
  if (typeof event !== 'object' || Array.isArray(event))
    throw new BadEventError('transmission: the input must be an object');
  const value = (event as Record<string, unknown>).cutoff;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{4}-(?:06-30|12-31)$/.test(value))
    throw new BadEventError(`transmission: cutoff must be YYYY-06-30 or YYYY-12-31: ${JSON.stringify(value)}`);
  return value;
}

/** Throws {@link TransmissionHeldError} when the backfill bound holds periods the transmission of `cutoff` counts. */
async function refuseIfHeld({ deps }: AwsRuntime, cutoff: string): Promise<void> {
  const held = heldInTransmission(await heldWithoutBackfill(deps, (await duePeriods(deps)) ?? []), cutoff);
  if (held.length === 0) return;
  deps.log.warn('transmission.backfill-held', { cutoff, periods: held.length, first: held[0], last: held.at(-1) });
  throw new TransmissionHeldError(cutoff, held);
}

/** The transmission handler on a given runtime (tests pass one wired to local servers). */
export function createTransmissionHandler(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;
  return (event: TransmissionEvent, context?: Context): Promise<TransmissionResult> =>
    runtime.invoke(context, async () => {
      const asked = cutoffField(event);
      const backfill = backfillField(event, 'transmission');
      const registry = await loadRegistryInForce(deps.store);
      if (!registry) return { status: 'no-registry' };
      const cutoff = asked ?? latestDueCutoff(registry, rigaDate(deps.clock.now()));
      if (!cutoff) return { status: 'not-due' };
      if (!backfill) await refuseIfHeld(runtime, cutoff);
      const produced = await produceTransmission(deps, { cutoff });
      const count = (outcome: TransmissionDeliverOutcome) => {
        metrics.count(METRIC.mailsSent, outcome.sent);
        metrics.count(METRIC.deliveriesInDoubt, outcome.inDoubt);
        metrics.count(METRIC.deliveriesGaveUp, outcome.gaveUp);
      };
      try {
        const delivered = await deliverTransmission(deps, cutoff);
        count(delivered);
        return { status: 'done', produced, delivered };
      } catch (err) {
        if (err instanceof UnsentMailError) count(err.outcome as TransmissionDeliverOutcome);
        throw err;
      }
    });
}

const handlers = onColdStart('transmission', createTransmissionHandler);

/** Lambda handler: configured from the environment. */
export const handler = async (event: TransmissionEvent, context?: Context): Promise<TransmissionResult> =>
  handlers()(event, context);
