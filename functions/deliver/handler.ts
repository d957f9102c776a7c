/**
 * Lambda entry point of deliver, the state machine's last step (and a manual re-send): `{ period }` → the period's
 * latest complete revision e-mailed to its managers, exactly once per recipient and revision (the ledger).
 */
import type { Context } from 'aws-lambda';
import { type DeliverOptions, type DeliverOutcome, deliverPeriod, ReportIntegrityError } from '../app/deliver';
import { UnsentMailError } from '../app/ledger';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import { periodField } from '../aws/invocation-events';
import { BadEventError } from '../aws/s3-event';
import { METRIC } from '../core/metric-names';

export interface DeliverEvent {
  period: string;
  /** An operator's manual run: resend to recipients in doubt or given up, or confirm that they got it. */
  resolve?: 'resend' | 'confirm';
}

function resolveField(event: DeliverEvent): DeliverOptions {
  const resolve = (event as { resolve?: unknown } | null)?.resolve;
  if (resolve === undefined) return {};
  if (resolve !== 'resend' && resolve !== 'confirm')
    throw new BadEventError(`deliver: resolve must be "resend" or "confirm": ${JSON.stringify(resolve)}`);
  return { resolve };
}

/** The deliver handler on a given runtime (tests pass one wired to local servers). */
export function createDeliverHandler(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;
  return (event: DeliverEvent, context?: Context): Promise<DeliverOutcome> =>
    runtime.invoke(context, async () => {
      const count = (outcome: DeliverOutcome) => {
        metrics.count(METRIC.mailsSent, outcome.sent);
        metrics.count(METRIC.deliveriesInDoubt, outcome.inDoubt);
        metrics.count(METRIC.deliveriesGaveUp, outcome.gaveUp);
      };
      try {
        const outcome = await deliverPeriod(deps, periodField(event, 'deliver', true), resolveField(event));
        count(outcome);
        return outcome;
      } catch (err) {
        // Some sends certainly failed: count what was done, then fail the step so the state machine retries it.
        if (err instanceof UnsentMailError) count(err.outcome as DeliverOutcome);
        // A report file that does not match its manifest: nothing was mailed; the alarm tells an operator.
        if (err instanceof ReportIntegrityError) metrics.count(METRIC.reportIntegrityFailed, 1);
        throw err;
      }
    });
}

const handlers = onColdStart('deliver', createDeliverHandler);

/** Lambda handler: configured from the environment. */
export const handler = async (event: DeliverEvent, context?: Context): Promise<DeliverOutcome> =>
  handlers()(event, context);
