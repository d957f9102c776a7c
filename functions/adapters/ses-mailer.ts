/**
 * The AWS runtime's mailer: Amazon SES (API v2) with the raw MIME message the outbox mailer writes, built by the
 * same {@link composeRawMessage} from the same Message-ID, so a mail reads the same whichever runtime sent it.
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import addressparser from 'nodemailer/lib/addressparser';
import { type Clock, MailError, type Mailer, type OutgoingMail } from '../core/ports';
import { composeRawMessage, mailDigest, notBuilt } from './outbox-mailer';

/** SES's errors are the Mailer port's {@link MailError}; re-exported for callers that import it from here. */
export { MailError };

/** Options of {@link SesMailer}. */
export interface SesMailerOptions {
  client: SESv2Client;
  /** Source of the Date header (SES replaces it with its own time of acceptance; it still fixes the bytes sent). */
  clock: Clock;
  /** SES configuration set, for bounce, complaint and delivery events. */
  configurationSet?: string;
  /** Right-hand side of the Message-ID; default: the domain of the From address, as the outbox mailer does. */
  domain?: string;
}

// Throttling and sending quotas clear with time; SES faults are SES's to fix.
const RETRYABLE = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'Throttling']);

interface SdkErrorLike {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

function toMailError(err: unknown): MailError {
  const e = (err ?? {}) as SdkErrorLike;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  // An HTTP status means SES answered, and an answer that is an error means it did not take the message.
  const answered = typeof status === 'number';
  const retryable = !answered || status >= 500 || RETRYABLE.has(name) || Boolean(e.$retryable);
  return new MailError(`SES did not send the message (${name}${answered ? ` ${status}` : ''})`, {
    cause: err,
    retryable,
    notSent: answered,
  });
}

/** The bare address of a From header (`Name <a@b.lv>` → `a@b.lv`). */
function addressOf(from: string): string | undefined {
  const [first] = addressparser(from, { flatten: true });
  return first?.address || undefined;
}

function domainOf(from: string): string {
  const domain = addressOf(from)?.split('@')[1];
  return domain && /^[A-Za-z0-9.-]+$/.test(domain) ? domain : 'pmif-reports.local';
}

/**
 * Sends each mail with `SendEmail` and `Content.Raw`. Recipients and sender come from the message's own To and
 * From headers. Returns SES's message id: SES replaces the Message-ID header with one built from it, and its
 * bounce and delivery events name it, so it is what the delivery ledger must record to be traceable.
 */
export class SesMailer implements Mailer {
  constructor(private readonly options: SesMailerOptions) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const messageId = `<${mailDigest(mail).slice(0, 32)}@${this.options.domain ?? domainOf(mail.from)}>`;
    const raw = await composeRawMessage(mail, this.options.clock.now(), messageId).catch(notBuilt);
    let sesId: string | undefined;
    const fromAddress = addressOf(mail.from);
    try {
      const res = await this.options.client.send(
        new SendEmailCommand({
          Content: { Raw: { Data: raw } },
          // Stated as well as in the header: send permission is conditioned on it (`ses:FromAddress`).
          ...(fromAddress ? { FromEmailAddress: fromAddress } : {}),
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
        }),
      );
      sesId = res.MessageId;
    } catch (err) {
      throw toMailError(err);
    }
    if (!sesId)
      throw new MailError('SES accepted the message but returned no message id', { retryable: false, notSent: false });
    return { messageId: sesId };
  }
}
