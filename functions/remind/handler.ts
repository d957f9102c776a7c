/**
 * Lambda entry point of remind, invoked by the schedule before each deadline: `{ period? }` → a reminder to the
 * coordinators of every active project that has not submitted, once per project and period (the ledger).
 */
import type { Context } from 'aws-lambda';
import { UnsentMailError } from '../app/ledger';
import { type RemindOutcome, remindPeriod } from '../app/remind';
import { scheduledReminderPeriod } from '../app/schedule';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import { periodField } from '../aws/invocation-events';
import { METRIC } from '../core/metric-names';

/** No period: the one whose reminder window contains today (Europe/Riga). */
export interface RemindEvent {
  period?: string;
}

export type RemindResult = RemindOutcome | { status: 'no-reminder-due' } | { status: 'no-registry' };

/** The remind handler on a given runtime (tests pass one wired to local servers). */
export function createRemindHandler(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;
  return (event: RemindEvent, context?: Context): Promise<RemindResult> =>
    runtime.invoke(context, async () => {
      const period = periodField(event, 'remind') ?? (await scheduledReminderPeriod(deps));
      if (period === null) return { status: 'no-registry' };
      if (period === undefined) return { status: 'no-reminder-due' };
      const count = (outcome: RemindOutcome) => {
        metrics.count(METRIC.remindersSent, outcome.reminded.length);
        metrics.count(METRIC.deliveriesInDoubt, outcome.inDoubt.length);
        metrics.count(METRIC.deliveriesGaveUp, outcome.gaveUp.length);
      };
      try {
        const outcome = await remindPeriod(deps, period);
        count(outcome);
        return outcome;
      } catch (err) {
        // Some reminders certainly failed: count what was done, then fail so Lambda retries the invocation.
        if (err instanceof UnsentMailError) count(err.outcome as RemindOutcome);
        throw err;
      }
    });
}

const handlers = onColdStart('remind', createRemindHandler);

/** Lambda handler: configured from the environment. */
export const handler = async (event: RemindEvent, context?: Context): Promise<RemindResult> =>
  handlers()(event, context);
