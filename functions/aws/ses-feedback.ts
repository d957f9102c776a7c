/**
 * SES event publishing records (a configuration set's event destination, delivered by SNS) turned into bounce and
 * complaint reports. The shape is SES's "Contents of event data that Amazon SES publishes to Amazon SNS": a
 * top-level `eventType` (`notificationType` for an identity's own feedback notifications), `mail` (with
 * `messageId` and the original `headers`), and `bounce` or `complaint`. Nothing here keeps an address.
 */
import type { SNSEvent } from 'aws-lambda';
import type { MailFeedbackReport } from '../app/mail-feedback';

/** The header app/ledger.ts puts on every mail it sends: the ledger slot without `deliveries/`. */
export const DELIVERY_HEADER = 'X-PMIF-Delivery';

/** One SNS record: a report, an event of a kind this product does not record, or why it could not be read. */
export type FeedbackRecord =
  | { index: number; report: MailFeedbackReport }
  | { index: number; ignored: string }
  | { index: number; problem: string };

type Json = Record<string, unknown>;
const object = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function deliveryHeader(mail: Json): string | undefined {
  const headers = Array.isArray(mail.headers) ? mail.headers : [];
  const found = headers.map(object).find((h) => text(h?.name)?.toLowerCase() === DELIVERY_HEADER.toLowerCase());
  return text(found?.value);
}

/** One SES event record (the SNS message, parsed). */
export function feedbackOf(message: unknown): Omit<FeedbackRecord, 'index'> {
  const event = object(message);
  if (!event) return { problem: 'the message is not a JSON object' };
  const type = text(event.eventType) ?? text(event.notificationType);
  if (type !== 'Bounce' && type !== 'Complaint') return { ignored: `an SES ${type ?? 'event of no type'}` };
  const mail = object(event.mail);
  const messageId = text(mail?.messageId);
  if (!mail || !messageId) return { problem: `the ${type} names no message id` };
  const detail = object(type === 'Bounce' ? event.bounce : event.complaint);
  if (!detail) return { problem: `the ${type} record has no ${type.toLowerCase()} object` };
  const recipients = detail[type === 'Bounce' ? 'bouncedRecipients' : 'complainedRecipients'];
  const report: MailFeedbackReport = {
    kind: type === 'Bounce' ? 'bounced' : 'complained',
    messageId,
    reportedAt: text(detail.timestamp) ?? text(mail.timestamp) ?? '',
    recipients: Array.isArray(recipients) ? recipients.length : 0,
  };
  const kind = text(type === 'Bounce' ? detail.bounceType : detail.complaintFeedbackType);
  const subType = text(type === 'Bounce' ? detail.bounceSubType : detail.complaintSubType);
  if (kind) report.type = kind;
  if (subType) report.subType = subType;
  const header = deliveryHeader(mail);
  if (header) report.deliveryHeader = header;
  return { report };
}

/** Every record of an SNS event, in order. */
export function feedbackRecords(event: SNSEvent): FeedbackRecord[] {
  const records = Array.isArray(event?.Records) ? event.Records : [];
  return records.map((record, index) => {
    const raw = record?.Sns?.Message;
    if (typeof raw !== 'string') return { index, problem: 'the SNS record carries no message' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { index, problem: 'the SNS message is not JSON' };
    }
    return { index, ...feedbackOf(parsed) } as FeedbackRecord;
  });
}
