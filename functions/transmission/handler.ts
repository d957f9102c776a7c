/**
 * Lambda entry point of the Art. 42 transmission: `{ cutoff? }` → the transmission of that cut-off (default: the
 * latest one due, after the Q4 and Q2 deadlines) produced and archived (a new revision only when a figure changed),
 * then e-mailed to the programme's managers, exactly once per recipient and revision (the ledger). Safe to run
 * daily: an unchanged transmission is neither re-archived nor re-sent.
 */
import type { Context } from 'aws-lambda';
import { UnsentMailError } from '../app/ledger';
import { loadRegistryInForce } from '../app/registry-store';
import {
  deliverTransmission,
  produceTransmission,
  type TransmissionDeliverOutcome,
  type TransmissionOutcome,
} from '../app/transmission';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import { BadEventError } from '../aws/s3-event';
import { latestDueCutoff } from '../core/calendar';
import { METRIC } from '../core/metric-names';
import { rigaDate } from '../core/period';

export interface TransmissionEvent {
  /** `YYYY-06-30` or `YYYY-12-31`; default: the latest due. */
  cutoff?: string;
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

/** The transmission handler on a given runtime (tests pass one wired to local servers). */
export function createTransmissionHandler(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;
  return (event: TransmissionEvent, context?: Context): Promise<TransmissionResult> =>
    runtime.invoke(context, async () => {
      const asked = cutoffField(event);
      const registry = await loadRegistryInForce(deps.store);
      if (!registry) return { status: 'no-registry' };
      const cutoff = asked ?? latestDueCutoff(registry, rigaDate(deps.clock.now()));
      if (!cutoff) return { status: 'not-due' };
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
