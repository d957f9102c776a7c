/**
 * Bounces and complaints reach the ledger: the feedback handler, fed SNS events in the shape SES event publishing
 * sends them ("Examples of event data that Amazon SES publishes to Amazon SNS"), marks the ledger attempt that sent
 * the message `bounced` or `complained`, counts it for the alarm, and never makes the slot send again. On the
 * folder store (the local mode) and on moto's versioned S3 (as deployed), where the claim stays the attempt's first
 * version and the bounce a later one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { S3Store } from '../../functions/adapters/s3-store';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import { type LedgerAttempt, readSlot, sendOnce } from '../../functions/app/ledger';
import { keys } from '../../functions/core/keys';
import { METRIC } from '../../functions/core/metric-names';
import type { Mailer, ObjectStore, OutgoingMail } from '../../functions/core/ports';
import { createFeedbackHandler } from '../../functions/feedback/handler';
import { localRuntime } from '../helpers/aws-runtime';
import { createBucket, type RunningMoto, startMoto } from '../helpers/moto';
import { type LogLine, recordingLogger } from '../helpers/small-programme';

const SLOT = keys.deliverySlot('2025-Q3', 2, 'c'.repeat(32));
const RECIPIENT = 'parskati.vadiba@example.lv';

/** SES's own message ids look like this: one per accepted send. */
class SesLikeMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    this.sent.push(mail);
    return {
      messageId: `0102019c7e5f${String(this.sent.length).padStart(4, '0')}-8c1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8-000000`,
    };
  }
}

/** The `mail` object of an SES event record, with the original headers of the message. */
function mailObject(messageId: string, headers: { name: string; value: string }[]) {
  return {
    timestamp: '2025-10-16T04:00:01.120Z',
    source: 'pmif@example.lv',
    sourceArn: 'arn:aws:ses:eu-central-1:123456789012:identity/example.lv',
    sendingAccountId: '123456789012',
    messageId,
    destination: [RECIPIENT],
    headersTruncated: false,
    headers: [
      { name: 'From', value: 'pmif@example.lv' },
      { name: 'To', value: RECIPIENT },
      { name: 'Subject', value: 'PMIF progresa pārskats 2025-Q3 (r2)' },
      { name: 'MIME-Version', value: '1.0' },
      ...headers,
    ],
    commonHeaders: { from: ['pmif@example.lv'], to: [RECIPIENT], messageId, subject: 'PMIF progresa pārskats' },
    tags: {
      'ses:configuration-set': ['PmifReports-MailFeedbackConfigurationSet-1A2B3C'],
      'ses:source-ip': ['192.0.2.10'],
      'ses:from-domain': ['example.lv'],
      'ses:caller-identity': ['PmifReports-DeliverRole'],
    },
  };
}

function bounce(messageId: string, headers: { name: string; value: string }[], timestamp = '2025-10-16T04:00:03.500Z') {
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        { emailAddress: RECIPIENT, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      ],
      timestamp,
      feedbackId: '0102019c7e5f0003-11112222-3333-4444-5555-666677778888-000000',
      reportingMTA: 'dsn; mx.example.lv',
    },
    mail: mailObject(messageId, headers),
  };
}

function complaint(messageId: string, headers: { name: string; value: string }[]) {
  return {
    eventType: 'Complaint',
    complaint: {
      complainedRecipients: [{ emailAddress: RECIPIENT }],
      timestamp: '2025-10-17T08:12:00.000Z',
      feedbackId: '0102019c7e5f0004-aaaabbbb-cccc-dddd-eeee-ffff00001111-000000',
      userAgent: 'ExampleCorp Feedback Loop (V0.01)',
      complaintFeedbackType: 'abuse',
      arrivalDate: '2025-10-17T08:11:58.000Z',
    },
    mail: mailObject(messageId, headers),
  };
}

/** The SNS envelope Lambda receives: each record's `Sns.Message` is the SES event record as a JSON string. */
function snsEvent(...messages: (object | string)[]): SNSEvent {
  return {
    Records: messages.map((m, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-central-1:123456789012:PmifReports-MailFeedbackTopic:abcd',
      Sns: {
        Type: 'Notification',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${i}`,
        TopicArn: 'arn:aws:sns:eu-central-1:123456789012:PmifReports-MailFeedbackTopic',
        Subject: null as unknown as string,
        Message: typeof m === 'string' ? m : JSON.stringify(m),
        Timestamp: '2025-10-16T04:00:03.600Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-0000.pem',
        UnsubscribeUrl: 'https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    })),
  };
}

async function attempt(store: ObjectStore, k = 1): Promise<LedgerAttempt> {
  const obj = await store.get(keys.ledgerAttempt(SLOT, k));
  if (!obj) throw new Error('no ledger attempt');
  return JSON.parse(new TextDecoder().decode(obj.bytes)) as LedgerAttempt;
}

interface Setup {
  store: ObjectStore;
  /** Every version of a key, oldest first (moto only). */
  versions?: (key: string) => Promise<number>;
}

function feedbackSuite(name: string, make: () => Promise<Setup>) {
  describe(`bounces and complaints in the ledger (${name})`, () => {
    let setup: Setup;
    let deps: Deps;
    let mailer: SesLikeMailer;
    let lines: LogLine[];
    const header = () => ({ name: 'X-PMIF-Delivery', value: mailer.sent[0]!.headers!['X-PMIF-Delivery']! });
    const deliver = () =>
      sendOnce(deps, {
        slot: SLOT,
        event: 'deliver',
        about: { period: '2025-Q3', revision: 2 },
        compose: () => ({
          from: 'pmif@example.lv',
          to: [RECIPIENT],
          subject: 'PMIF progresa pārskats 2025-Q3 (r2)',
          text: 'x',
          html: '<p>x</p>',
          attachments: [],
        }),
      });

    beforeAll(async () => {
      setup = await make();
      mailer = new SesLikeMailer();
      lines = [];
      deps = {
        store: setup.store,
        mailer,
        clock: fixedClock(new Date('2025-10-16T04:00:00Z')),
        log: recordingLogger(lines),
        mailFrom: 'pmif@example.lv',
      };
      expect(await deliver()).toMatchObject({ status: 'sent', attempt: 1 });
    }, 60_000);

    it('marks the attempt that sent the message bounced, counts it once, and never sends the slot again', async () => {
      const sent = await attempt(setup.store);
      const rt = localRuntime(deps);
      const handler = createFeedbackHandler(rt);
      const event = snsEvent(bounce(sent.messageId!, [header()]));
      expect(await handler(event)).toEqual({
        outcomes: [{ status: 'recorded', kind: 'bounced', attempt: 1 }],
        ignored: 0,
        unreadable: 0,
      });
      const marked = await attempt(setup.store);
      expect(marked).toMatchObject({
        status: 'bounced',
        messageId: sent.messageId,
        claimedAt: sent.claimedAt,
        feedback: { kind: 'bounced', type: 'Permanent', subType: 'General', recipients: 1 },
      });
      expect(marked.feedback?.reportedAt).toBe('2025-10-16T04:00:03.500Z');
      expect(rt.counts[METRIC.deliveriesBounced]).toBe(1);
      // SNS delivers at least once: the same event again changes and counts nothing.
      expect((await handler(event)).outcomes).toEqual([{ status: 'already-recorded', kind: 'bounced', attempt: 1 }]);
      expect(rt.counts[METRIC.deliveriesBounced]).toBe(1);
      // A bounced slot is settled: resending to an address that bounced would not help.
      expect(await readSlot(deps, SLOT)).toMatchObject({ status: 'sent' });
      expect(await deliver()).toEqual({ status: 'already-sent', attempt: 1 });
      expect(mailer.sent).toHaveLength(1);
      if (setup.versions) {
        // claimed (the create-only write), sent, bounced: each a version of the one attempt object.
        expect(await setup.versions(keys.ledgerAttempt(SLOT, 1))).toBe(3);
      }
    });

    it('records a later complaint about the same message as complained', async () => {
      const rt = localRuntime(deps);
      const sent = await attempt(setup.store);
      const result = await createFeedbackHandler(rt)(snsEvent(complaint(sent.messageId!, [header()])));
      expect(result.outcomes).toEqual([{ status: 'recorded', kind: 'complained', attempt: 1 }]);
      expect(await attempt(setup.store)).toMatchObject({
        status: 'complained',
        feedback: { kind: 'complained', type: 'abuse', recipients: 1 },
      });
      expect(rt.counts[METRIC.deliveriesComplained]).toBe(1);
    });

    it('writes nothing for a message the ledger did not send, or a header that names no slot, but still counts it', async () => {
      const before = (await setup.store.list('')).map((o) => `${o.key} ${o.version ?? ''}`);
      const rt = localRuntime(deps);
      const result = await createFeedbackHandler(rt)(
        snsEvent(
          bounce('0102019c7e5fffff-00000000-0000-0000-0000-000000000000-000000', [header()]),
          bounce((await attempt(setup.store)).messageId!, [{ name: 'X-PMIF-Delivery', value: '../inbox/x/../../y' }]),
          bounce((await attempt(setup.store)).messageId!, []),
        ),
      );
      expect(result.outcomes).toEqual([
        { status: 'not-in-ledger', kind: 'bounced' },
        { status: 'not-in-ledger', kind: 'bounced' },
        { status: 'not-in-ledger', kind: 'bounced' },
      ]);
      expect(rt.counts[METRIC.deliveriesBounced]).toBe(3);
      expect((await setup.store.list('')).map((o) => `${o.key} ${o.version ?? ''}`)).toEqual(before);
    });

    it('skips, without failing, what it cannot read or does not record, and logs no address', async () => {
      const rt = localRuntime(deps);
      const delivery = { eventType: 'Delivery', mail: mailObject('x', []), delivery: { recipients: [RECIPIENT] } };
      const result = await createFeedbackHandler(rt)(
        snsEvent('not json', [1, 2], delivery, { eventType: 'Bounce', mail: {} }),
      );
      expect(result).toEqual({ outcomes: [], ignored: 1, unreadable: 3 });
      expect(rt.counts).toEqual({});
      expect(JSON.stringify(lines)).not.toContain('@');
    });
  });
}

let dir: string;
let moto: RunningMoto;
let client: S3Client;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-mail-feedback-'));
  moto = await startMoto([]);
  client = moto.client();
  await createBucket(client, { name: 'feedback-data' });
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

feedbackSuite('folder store', async () => ({ store: new FolderStore(join(dir, 'bucket')) }));
feedbackSuite('S3 on moto, versioned', async () => ({
  store: new S3Store({ client, bucket: 'feedback-data' }),
  versions: async (key) => {
    const listed = await client.send(new ListObjectVersionsCommand({ Bucket: 'feedback-data', Prefix: key }));
    return (listed.Versions ?? []).filter((v) => v.Key === key).length;
  },
}));
