/**
 * Lambda entry point of deliver, the state machine's last step (and a manual re-send): `{ period }` → the period's
 * latest complete revision e-mailed to its managers, exactly once per recipient and revision (the ledger).
 */
import type { Context } from 'aws-lambda';
import { type DeliverOutcome, deliverPeriod } from '../app/deliver';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import { periodField } from '../aws/invocation-events';
import { METRIC } from '../aws/metric-names';

export interface DeliverEvent {
  period: string;
}

/** The deliver handler on a given runtime (tests pass one wired to local servers). */
export function createDeliverHandler(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;
  return (event: DeliverEvent, context?: Context): Promise<DeliverOutcome> =>
    runtime.invoke(context, async () => {
      const outcome = await deliverPeriod(deps, periodField(event, 'deliver', true));
      metrics.count(METRIC.mailsSent, outcome.sent);
      metrics.count(METRIC.deliveriesInDoubt, outcome.inDoubt);
      return outcome;
    });
}

const handlers = onColdStart('deliver', createDeliverHandler);

/** Lambda handler: configured from the environment. */
export const handler = async (event: DeliverEvent, context?: Context): Promise<DeliverOutcome> =>
  handlers()(event, context);
