/**
 * The local runtime's mailer (docs/architecture.md §2): instead of sending, it writes each message as a real RFC 5322 `.eml` file
 * into an outbox folder, which any mail client opens. The MIME is built by nodemailer's MailComposer, the same bytes
 * an SES adapter would hand to `SendRawEmail` via {@link composeRawMessage}.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { type Clock, MailError, type Mailer, type OutgoingMail } from '../core/ports';
import { systemClock } from './system-clock';

/** Options of {@link OutboxMailer}. */
export interface OutboxMailerOptions {
  /** Right-hand side of generated Message-IDs; default: the domain of the From address. */
  domain?: string;
  /** Source of the Date header and the file name's timestamp; default: the system clock. */
  clock?: Clock;
}

/**
 * Builds the raw MIME message: UTF-8 headers encoded per RFC 2047, a text and an HTML alternative, the attachments
 * with their content types, the extra headers, and the given Date and Message-ID. Multipart boundaries are derived
 * from the Message-ID instead of random bytes, so the same mail, date and id always give the same bytes.
 */
export async function composeRawMessage(mail: OutgoingMail, date: Date, messageId: string): Promise<Uint8Array> {
  const composer = new MailComposer(composerOptions(mail, date, messageId));
  const raw = windowsLineBreaks(await composer.compile().build());
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/**
 * The message as nodemailer's MailComposer is asked for it. No `newline: 'win'`: its stream transform looked at every
 * byte of the message in JavaScript (most of a report mail is its base64 attachments); {@link composeRawMessage} makes
 * the same change to the whole message, looking at its LFs only.
 */
export function composerOptions(mail: OutgoingMail, date: Date, messageId: string) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
      contentType: a.contentType,
    })),
    headers: mail.headers,
    messageId,
    date,
    baseBoundary: sha256Hex(messageId).slice(0, 24),
    // Content is always given inline; never let a value be read as a path or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/**
 * What nodemailer's `newline: 'win'` does to the built message (its `LeWindows` transform, which sees the whole
 * message as one stream): every LF that does not follow a CR becomes CR LF; nothing else changes. Only the LFs are
 * visited (`indexOf`), about one per 78 bytes.
 */
export function windowsLineBreaks(raw: Buffer): Buffer {
  const lone: number[] = [];
  for (let i = raw.indexOf(0x0a); i >= 0; i = raw.indexOf(0x0a, i + 1)) {
    if (i === 0 || raw[i - 1] !== 0x0d) lone.push(i);
  }
  if (lone.length === 0) return raw;
  const out = Buffer.allocUnsafe(raw.length + lone.length);
  let from = 0;
  let to = 0;
  for (const at of lone) {
    to += raw.copy(out, to, from, at);
    out[to++] = 0x0d;
    out[to++] = 0x0a;
    from = at + 1;
  }
  raw.copy(out, to, from);
  return out;
}

/**
 * A content hash of everything that makes a mail what it is: addresses, subject, bodies, attachments and the extra
 * headers (so the `X-PMIF-Delivery` id of the ledger is part of it). Not the date: a retried send of the same mail
 * keeps its Message-ID, so receivers can tell it is the same message.
 */
export function mailDigest(mail: OutgoingMail): string {
  const headers = Object.entries(mail.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => [a.filename, a.contentType, sha256Hex(a.content)]),
    headers,
  });
  return sha256Hex(canonical);
}

/**
 * Writes each mail to `<dir>/<yyyymmdd-hhmmss>-<hash>.eml` (UTC time from the clock). The file appears whole or not
 * at all (temp file, then rename), so a reader of the outbox never sees half a message. Returns the Message-ID,
 * angle brackets included, as the ledger records it.
 */
export class OutboxMailer implements Mailer {
  private readonly clock: Clock;
  private dirMade = false;

  constructor(
    readonly dir: string,
    private readonly options: OutboxMailerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const digest = mailDigest(mail);
    const messageId = `<${digest.slice(0, 32)}@${this.options.domain ?? domainOf(mail.from)}>`;
    const date = this.clock.now();
    const raw = await composeRawMessage(mail, date, messageId).catch(notBuilt);
    const path = join(this.dir, `${fileStamp(date)}-${digest.slice(0, 12)}.eml`);
    // The temp name does not end in .eml, so nothing that picks up the outbox's messages takes it for one.
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    // Synchronous calls, as in the folder store: a few microseconds on a local disk, without a thread-pool round trip.
    const write = () => {
      writeFileSync(tmp, raw);
      renameSync(tmp, path);
    };
    try {
      if (!this.dirMade) mkdirSync(this.dir, { recursive: true });
      this.dirMade = true;
      try {
        write();
      } catch (err) {
        // The outbox was removed since this mailer made it: made again.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        mkdirSync(this.dir, { recursive: true });
        write();
      }
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // no temp file was written
      }
      // The message file is renamed into place last, so any failure here means nothing was "sent".
      throw new MailError(`cannot write mail to the outbox ${this.dir}`, {
        cause: err,
        retryable: true,
        notSent: true,
      });
    }
    return { messageId };
  }
}

/** A message that cannot be built was certainly not sent, and building it again will not help. */
export function notBuilt(err: unknown): never {
  throw new MailError('the message could not be built', { cause: err, retryable: false, notSent: true });
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function domainOf(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  const address = first && 'address' in first ? first.address : undefined;
  const domain = address?.split('@')[1];
  return domain && /^[A-Za-z0-9.-]+$/.test(domain) ? domain : 'pmif-reports.local';
}

function fileStamp(date: Date): string {
  const iso = date.toISOString(); // 2025-10-16T06:00:00.000Z
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}
