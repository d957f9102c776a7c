/**
 * Bounces and complaints (SES event publishing through the configuration set): each is recorded in the ledger
 * attempt that sent the message, so the ledger shows which sent e-mail never reached its reader, and counted, so
 * an alarm tells a person. The message is found by the slot its `X-PMIF-Delivery` header names and the message id.
 */
import { keys } from '../core/keys';
import type { Deps } from './deps';
import { type FeedbackKind, type MailFeedback, recordFeedback } from './ledger';

/** One bounce or complaint, as the mail service reported it, with the delivery header of the message. */
export interface MailFeedbackReport extends MailFeedback {
  /** The message's `X-PMIF-Delivery` header; absent when the message was not sent through the ledger. */
  deliveryHeader?: string;
}

export type MailFeedbackOutcome =
  | { status: 'recorded' | 'already-recorded'; kind: FeedbackKind; attempt: number }
  /** The header names no slot, or no attempt of it holds the message id: someone else's mail, or a stale event. */
  | { status: 'not-in-ledger'; kind: FeedbackKind };

export async function recordMailFeedback(
  deps: Pick<Deps, 'store' | 'clock' | 'log'>,
  report: MailFeedbackReport,
): Promise<MailFeedbackOutcome> {
  const { deliveryHeader, ...feedback } = report;
  const slot = deliveryHeader === undefined ? undefined : keys.slotOfDeliveryHeader(deliveryHeader);
  const result = slot ? await recordFeedback(deps, slot, feedback) : { status: 'unmatched' as const };
  const details = { kind: feedback.kind, type: feedback.type, subType: feedback.subType };
  if (result.status === 'unmatched') {
    // No address and no header value in the log: the header of a mail we did not send is not ours to echo.
    deps.log.warn('mail-feedback.not-in-ledger', { ...details, headerPresent: deliveryHeader !== undefined });
    return { status: 'not-in-ledger', kind: feedback.kind };
  }
  deps.log.warn(`mail-feedback.${result.status}`, { ...result.about, attempt: result.attempt, ...details });
  return { status: result.status, kind: feedback.kind, attempt: result.attempt };
}
