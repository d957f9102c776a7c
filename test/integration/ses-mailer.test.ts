/**
 * SesMailer against an SES v2 server started here (aws-ses-v2-local): a Latvian subject and PDF + XLSX attachments
 * go out as raw MIME, the server parses what it received, and the attachments come back byte for byte. The raw
 * message is also captured on the wire and compared with what the outbox mailer writes for the same mail.
 * SES error answers (throttling, rejection) and a lost connection are canned responses at the client's HTTP layer.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { MailError, SesMailer } from '../../functions/adapters/ses-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import { type OutgoingMail, StoreError } from '../../functions/core/ports';
import { httpResponse } from '../helpers/s3rver';
import { type RunningSesServer, startSesServer } from '../helpers/ses-server';

const AT = new Date('2025-10-16T06:00:07Z');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Binary content with every byte value: any re-encoding on the way would change its hash. */
function binary(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + seed * 17 + (i >> 8)) & 0xff;
  return out;
}

function reportMail(): OutgoingMail {
  return {
    from: 'PMIF pārskati <noreply@pmif.example.lv>',
    to: ['vaditajs@iem.example.lv', 'programme.officer@iem.example.lv'],
    subject: 'PMIF progresa pārskats 2025-Q3 (r1) — ceturkšņa dati',
    text: 'Labdien!\n\nPielikumā programmas pārskats par 2025. gada 3. ceturksni.\n',
    html: '<p>Labdien!</p><p>Pielikumā programmas pārskats par 2025. gada 3. ceturksni.</p>',
    attachments: [
      { filename: 'programma-2025-Q3-r1.pdf', content: binary(180_000, 1), contentType: 'application/pdf' },
      {
        filename: 'programma-2025-Q3-r1-pārskats.xlsx',
        content: binary(95_000, 2),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    ],
    headers: { 'X-PMIF-Delivery': '2025-Q3/r1/abc' },
  };
}

let ses: RunningSesServer;
beforeAll(async () => {
  ses = await startSesServer();
});
afterAll(async () => {
  await ses?.stop();
});
beforeEach(async () => {
  await ses.clear();
});

/** A client whose outgoing raw messages are kept, as sent. */
function capturingClient(): { client: SESv2Client; raws: Uint8Array[] } {
  const client = ses.client();
  const raws: Uint8Array[] = [];
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>) =>
      async (args: { input: { Content?: { Raw?: { Data?: Uint8Array } } } }) => {
        const data = args.input.Content?.Raw?.Data;
        if (data) raws.push(data);
        return next(args);
      }) as never,
    { step: 'initialize', name: 'captureRawMessage' },
  );
  return { client, raws };
}

describe('SesMailer against aws-ses-v2-local', () => {
  it('delivers the Latvian subject, both bodies and byte-equal PDF and XLSX attachments', async () => {
    const mail = reportMail();
    const { messageId } = await new SesMailer({ client: ses.client(), clock: fixedClock(AT) }).send(mail);

    const stored = await ses.mails();
    expect(stored).toHaveLength(1);
    const [got] = stored;
    expect(got?.messageId).toBe(messageId);
    expect(got?.subject).toBe('PMIF progresa pārskats 2025-Q3 (r1) — ceturkšņa dati');
    expect(got?.from).toBe('"PMIF pārskati" <noreply@pmif.example.lv>');
    expect(got?.destination.to).toEqual(['vaditajs@iem.example.lv, programme.officer@iem.example.lv']);
    expect(got?.body.text?.replace(/\r\n/g, '\n')).toBe(mail.text);
    expect(got?.body.html).toContain('2025. gada 3. ceturksni');
    expect(got?.attachments.map((a) => [a.filename, a.contentType, sha256(Buffer.from(a.content, 'base64'))])).toEqual(
      mail.attachments.map((a) => [a.filename, a.contentType, sha256(a.content)]),
    );
  });

  it('sends exactly the MIME bytes the outbox mailer writes for the same mail and time', async () => {
    const mail = reportMail();
    const { client, raws } = capturingClient();
    await new SesMailer({ client, clock: fixedClock(AT) }).send(mail);
    const outbox = await mkdtemp(join(tmpdir(), 'pmif-ses-outbox-'));
    try {
      await new OutboxMailer(outbox, { clock: fixedClock(AT) }).send(mail);
      const [eml] = await readdir(outbox);
      const written = new Uint8Array(await readFile(join(outbox, eml!)));
      expect(raws).toHaveLength(1);
      expect(sha256(raws[0]!)).toBe(sha256(written));

      const parsed = await simpleParser(Buffer.from(raws[0]!));
      expect(parsed.subject).toBe(mail.subject);
      expect(parsed.headers.get('x-pmif-delivery')).toBe('2025-Q3/r1/abc');
      expect(parsed.messageId).toMatch(/^<[0-9a-f]{32}@pmif\.example\.lv>$/);
    } finally {
      await rm(outbox, { recursive: true, force: true });
    }
  });

  it('passes the configuration set to SES', async () => {
    const { client } = capturingClient();
    const seen: unknown[] = [];
    client.middlewareStack.add(
      ((next: (args: unknown) => Promise<unknown>) => async (args: { input: unknown }) => {
        seen.push(args.input);
        return next(args);
      }) as never,
      { step: 'initialize', name: 'seeInput' },
    );
    await new SesMailer({ client, clock: fixedClock(AT), configurationSet: 'pmif-reports' }).send(reportMail());
    expect(seen[0]).toMatchObject({ ConfigurationSetName: 'pmif-reports' });
  });
});

describe('SesMailer error mapping (canned SES responses)', () => {
  function cannedMailer(respond: () => Promise<unknown>): SesMailer {
    const client = new SESv2Client({
      endpoint: 'http://fake-ses.test',
      region: 'eu-north-1',
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
      maxAttempts: 1,
      requestHandler: { handle: async () => ({ response: await respond() }) } as never,
    });
    return new SesMailer({ client, clock: fixedClock(AT) });
  }
  const sesError = (status: number, type: string, message: string) => async () =>
    httpResponse(status, { 'content-type': 'application/json', 'x-amzn-errortype': type }, JSON.stringify({ message }));

  it('maps throttling to a retryable MailError (a StoreError) that was certainly not sent', async () => {
    const err = await cannedMailer(sesError(429, 'TooManyRequestsException', 'Too many requests'))
      .send(reportMail())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailError);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ retryable: true, notSent: true });
    expect((err as MailError).cause).toMatchObject({ name: 'TooManyRequestsException' });
  });

  it('maps an exceeded sending quota to a retryable MailError', async () => {
    const err = await cannedMailer(sesError(429, 'LimitExceededException', 'Daily message quota exceeded'))
      .send(reportMail())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'MailError', retryable: true, notSent: true });
  });

  it('maps a rejected message to a MailError that retrying cannot fix', async () => {
    const err = await cannedMailer(sesError(400, 'MessageRejected', 'Email address is not verified.'))
      .send(reportMail())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'MailError', retryable: false, notSent: true });
  });

  it('marks a lost connection retryable but possibly sent', async () => {
    const err = await cannedMailer(async () => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    })
      .send(reportMail())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'MailError', retryable: true, notSent: false });
  });
});
