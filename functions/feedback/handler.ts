/**
 * Lambda entry point of the mail feedback: the SES configuration set publishes bounces and complaints to an SNS
 * topic, which invokes this with the records. Each is recorded in the ledger attempt that sent the message and
 * counted (`DeliveriesBounced`, `DeliveriesComplained`: alarmed). A record that cannot be read is logged and
 * skipped (retrying would not make it readable); a store fault fails the invocation, which is retried.
 */
import type { Context, SNSEvent } from 'aws-lambda';
import { type MailFeedbackOutcome, recordMailFeedback } from '../app/mail-feedback';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import { feedbackRecords } from '../aws/ses-feedback';
import { METRIC } from '../core/metric-names';

export interface FeedbackResult {
  outcomes: MailFeedbackOutcome[];
  ignored: number;
  unreadable: number;
}

/** The feedback handler on a given runtime (tests pass one wired to local servers). */
export function createFeedbackHandler(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;
  return (event: SNSEvent, context?: Context): Promise<FeedbackResult> =>
    runtime.invoke(context, async () => {
      const result: FeedbackResult = { outcomes: [], ignored: 0, unreadable: 0 };
      for (const record of feedbackRecords(event)) {
        if ('problem' in record) {
          deps.log.error('mail-feedback.unreadable', { record: record.index, problem: record.problem });
          result.unreadable++;
          continue;
        }
        if ('ignored' in record) {
          deps.log.info('mail-feedback.ignored', { record: record.index, what: record.ignored });
          result.ignored++;
          continue;
        }
        const outcome = await recordMailFeedback(deps, record.report);
        // A repeat of an event already counted (SNS delivers at least once) is not counted again.
        if (outcome.status !== 'already-recorded') {
          metrics.count(outcome.kind === 'bounced' ? METRIC.deliveriesBounced : METRIC.deliveriesComplained, 1);
        }
        result.outcomes.push(outcome);
      }
      return result;
    });
}

const handlers = onColdStart('feedback', createFeedbackHandler);

/** Lambda handler: configured from the environment. */
export const handler = async (event: SNSEvent, context?: Context): Promise<FeedbackResult> =>
  handlers()(event, context);
