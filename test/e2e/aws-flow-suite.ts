/**
 * The AWS flow end to end on real protocols, with the handlers Lambda runs, over an S3 server ({@link FlowBackend}):
 * an ObjectCreated event → ingest handler → submissions in S3 → remind → generate steps in the state machine's order
 * (plan → render each project, concurrently as the Map does → finish) → reports in the archive bucket → deliver →
 * mails in the SES server (aws-ses-v2-local), attachments byte-equal to the archive.
 *
 * Run by aws-flow-s3rver.test.ts and aws-flow-moto.test.ts. Stand-ins, stated: the S3 bucket notification (prefix
 * `inbox/` or `registry/`, suffix `.xlsx`) is the harness, which URL-encodes keys as S3 does. Step Functions passes
 * JSON between steps: the plan is serialised here as it would be. What each backend lacks is said in its file.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noMetrics } from '../../functions/adapters/lambda-logger';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { ExecutionFailures } from '../../functions/app/render-failures';
import { resolvePlan } from '../../functions/app/revisions';
import { createAwsRuntime, type JobName } from '../../functions/aws/deps';
import type { LogFields, Logger } from '../../functions/core/ports';
import { createDeliverHandler } from '../../functions/deliver/handler';
import { createGenerateHandlers, type PlanResult } from '../../functions/generate/handler';
import { createIngestHandler, type IngestSummary } from '../../functions/ingest/handler';
import { createRemindHandler } from '../../functions/remind/handler';
import { type SampleManifest, writeSampleData } from '../../sample/write-sample';
import { encodeEventKey } from '../helpers/s3rver';
import { type RunningSesServer, type StoredMail, startSesServer } from '../helpers/ses-server';

const DATA = 'pmif-data';
const ARCHIVE = 'pmif-archive';
const ENV = { DATA_BUCKET: DATA, ARCHIVE_BUCKET: ARCHIVE, MAIL_FROM: 'PMIF pārskati <noreply@pmif.example.lv>' };
/** 06:00 in Riga on the day after the 2023-Q2 deadline (30 June + 15 days): when the generate schedule fires. */
const GENERATE_AT = new Date('2023-07-16T03:00:00Z');
/** Inside the 2023-Q2 reminder window (deadline − 5 days .. deadline). */
const REMIND_AT = new Date('2023-07-12T03:00:00Z');
const PERIOD = '2023-Q2';
/** The small programme's one English-reading manager (language `en` in the registry). */
const ENGLISH_READERS = new Set(['programme.officer@iem.example.lv']);

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** An object created in a bucket, as the harness's bucket notification sees it (the key not yet URL-encoded). */
export interface CreatedObject {
  bucket: string;
  key: string;
  versionId?: string;
}

/** An S3 server started for one run of the suite, with the data and archive buckets made as the stack makes them. */
export interface RunningBackend {
  /** Whether the buckets keep versions (then the adapter names uploads by version id, else by ETag). */
  versioned: boolean;
  /** A client for the handlers' runtimes (and the harness). */
  client(): S3Client;
  /** Upload as a coordinator would; resolves with the stored version (version id, or the ETag). */
  put(bucket: string, key: string, body: Uint8Array): Promise<string>;
  /** Every object created, once the server (or the harness, for a server without notifications) reports it. */
  onCreated(listener: (object: CreatedObject) => void): void;
  stop(): Promise<void>;
}

export interface FlowBackend {
  name: string;
  start(buckets: { data: string; archive: string }): Promise<RunningBackend>;
}

export function awsFlowSuite(backend: FlowBackend): void {
  let s3: RunningBackend;
  let ses: RunningSesServer;
  let sampleDir: string;
  let sample: SampleManifest;
  let uploader: S3Client;
  const logged: { level: string; event: string; fields: LogFields }[] = [];

  function recordingLogger(): Logger {
    const at =
      (level: string) =>
      (event: string, fields: LogFields = {}) =>
        logged.push({ level, event, fields });
    return { info: at('info'), warn: at('warn'), error: at('error') };
  }

  /** A job's runtime as `createAwsRuntime` builds it in Lambda, with the clients pointed at the local servers. */
  function runtime(job: JobName, now: Date) {
    return createAwsRuntime(job, {
      env: ENV,
      overrides: {
        s3Client: s3.client(),
        sesClient: ses.client(),
        clock: fixedClock(now),
        versioned: s3.versioned,
        log: recordingLogger(),
        metrics: noMetrics,
      },
    });
  }

  // The bucket notification: one asynchronous invocation per created object that matches the filter.
  const invocations: Promise<void>[] = [];
  const ingestResults: IngestSummary[] = [];
  const ingestErrors: unknown[] = [];

  let notify: (created: CreatedObject) => void = () => {};
  const lastEvent = new Map<string, CreatedObject>();
  /** S3 delivers the last event of a key again (at least once). */
  function redeliver(key: string): void {
    const created = lastEvent.get(key);
    if (!created) throw new Error(`no event for ${key} yet`);
    notify(created);
  }

  async function settleInvocations(): Promise<void> {
    while (invocations.length > 0) await Promise.all(invocations.splice(0));
  }

  async function upload(
    key: string,
    file: string,
    transform: (b: Uint8Array) => Uint8Array = (b) => b,
  ): Promise<string> {
    const body = transform(new Uint8Array(await readFile(join(sampleDir, file))));
    return s3.put(DATA, key, body);
  }

  /** The same workbook saved again: other bytes (another zip compression), the same cells. */
  const resaved = (xlsx: Uint8Array) => zipSync(unzipSync(xlsx), { level: 1 });

  async function readObject(bucket: string, key: string): Promise<Uint8Array> {
    const res = await uploader.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return res.Body!.transformToByteArray();
  }

  async function keysIn(bucket: string, prefix: string): Promise<string[]> {
    const res = await uploader.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (res.Contents ?? []).map((o) => o.Key!).sort();
  }

  const submissionFile = (projectId: string, period: string) =>
    sample.submissions.find((s) => s.projectId === projectId && s.period === period)!.file;

  beforeAll(async () => {
    [s3, ses] = await Promise.all([backend.start({ data: DATA, archive: ARCHIVE }), startSesServer()]);
    uploader = s3.client();
    sampleDir = await mkdtemp(join(tmpdir(), 'pmif-e2e-sample-'));
    sample = await writeSampleData(sampleDir);

    notify = (created: CreatedObject) => {
      const { bucket, key, versionId } = created;
      if (bucket !== DATA || !/^(inbox|registry)\/.+\.xlsx$/i.test(key)) return;
      lastEvent.set(key, created);
      const record = {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: bucket }, object: { key: encodeEventKey(key), ...(versionId ? { versionId } : {}) } },
      };
      invocations.push(
        createIngestHandler(runtime('ingest', GENERATE_AT))({ Records: [record] } as never).then(
          (summary) => void ingestResults.push(summary),
          (err: unknown) => void ingestErrors.push(err),
        ),
      );
    };
    s3.onCreated(notify);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([s3?.stop(), ses?.stop()]);
    if (sampleDir) await rm(sampleDir, { recursive: true, force: true });
  });

  describe(`the AWS flow on ${backend.name} and aws-ses-v2-local`, () => {
    it('ingests the registry from its ObjectCreated event (a key with a space and Latvian letters)', async () => {
      await upload('registry/Programmas reģistrs 2023.xlsx', sample.registry);
      await settleInvocations();
      expect(ingestErrors).toEqual([]);
      expect(ingestResults.flatMap((r) => r.results)).toMatchObject([
        { key: 'registry/Programmas reģistrs 2023.xlsx', status: 'accepted' },
      ]);
      expect(await keysIn(DATA, 'registry-versions/')).toHaveLength(1);
    });

    it('reminds the coordinators who have not submitted, once', async () => {
      const remind = createRemindHandler(runtime('remind', REMIND_AT));
      expect(await remind({})).toEqual({
        period: PERIOD,
        reminded: ['pmlp-reception', 'one-stop-shop'],
        alreadyReminded: [],
        submitted: [],
        inDoubt: [],
        failed: [],
        gaveUp: [],
      });
      expect(await remind({})).toMatchObject({ reminded: [], alreadyReminded: ['pmlp-reception', 'one-stop-shop'] });
      const mails = await ses.mails();
      expect(mails.map((m) => m.destination.to.join())).toEqual([
        'ilze.berzina@pmlp.example.lv, pmif.projekti@pmlp.example.lv',
        'maris.ozols@vpa.example.lv',
      ]);
      await ses.clear();
    });

    it('ingests submissions from their events into submissions/ and sends the receipts', async () => {
      ingestResults.length = 0;
      await upload('inbox/pmlp-reception/2023 Q1 atskaite+labota.xlsx', submissionFile('pmlp-reception', '2023-Q1'));
      await upload('inbox/pmlp-reception/2023 Q2 ceturksnis.xlsx', submissionFile('pmlp-reception', PERIOD));
      const oneStopVersion = await upload('inbox/one-stop-shop/2023-Q2.xlsx', submissionFile('one-stop-shop', PERIOD));
      await upload('inbox/one-stop-shop/notes.txt', submissionFile('one-stop-shop', PERIOD)); // filtered out like S3 would
      await settleInvocations();

      expect(ingestErrors).toEqual([]);
      const results = ingestResults
        .flatMap((r) => r.results)
        .sort((a, b) => ('key' in a && 'key' in b && a.key < b.key ? -1 : 1));
      expect(results.map((r) => ('key' in r ? [r.key, r.status] : r))).toEqual([
        ['inbox/one-stop-shop/2023-Q2.xlsx', 'accepted'],
        ['inbox/pmlp-reception/2023 Q1 atskaite+labota.xlsx', 'accepted'],
        ['inbox/pmlp-reception/2023 Q2 ceturksnis.xlsx', 'accepted'],
      ]);
      const submissions = await keysIn(DATA, 'submissions/');
      expect(submissions.map((k) => k.split('/').slice(0, 3).join('/'))).toEqual([
        'submissions/2023-Q1/pmlp-reception',
        'submissions/2023-Q2/one-stop-shop',
        'submissions/2023-Q2/pmlp-reception',
      ]);
      // The version in a submission key is the stored object's version (the version id, or the ETag unversioned).
      expect(submissions).toContain(`submissions/2023-Q2/one-stop-shop/${oneStopVersion}.json`);
      expect((await ses.mails()).map((m) => m.destination.to.join()).sort()).toEqual([
        'ilze.berzina@pmlp.example.lv, pmif.projekti@pmlp.example.lv',
        'ilze.berzina@pmlp.example.lv, pmif.projekti@pmlp.example.lv',
        'maris.ozols@vpa.example.lv',
      ]);
      await ses.clear();

      // A repeated event (S3 delivers at least once), twice at once, changes nothing.
      ingestResults.length = 0;
      redeliver('inbox/one-stop-shop/2023-Q2.xlsx');
      redeliver('inbox/one-stop-shop/2023-Q2.xlsx');
      await settleInvocations();
      expect(ingestResults.flatMap((r) => r.results)).toMatchObject([
        { status: 'skipped', reason: 'already-ingested' },
        { status: 'skipped', reason: 'already-ingested' },
      ]);
      expect(await ses.mails()).toEqual([]);
    });

    let planned: PlanResult & { status: 'planned' };

    it('generates the period in the state machine order, reports in the archive bucket only', async () => {
      const generate = createGenerateHandlers(runtime('generate', GENERATE_AT));
      // Scheduled run: no period given, the one whose deadline just passed (Europe/Riga). Two executions race (the
      // schedule and an operator's start, or a retried step): one revision between them, the same plan for both.
      const racing = createGenerateHandlers(runtime('generate', GENERATE_AT));
      // A first deployment over projects that started in 2019: 18 never-reported quarters are due, more than the
      // backfill bound, so the scheduled run holds them all and says what to do (the execution then fails, named).
      const held = await generate.plan({});
      expect(held).toMatchObject({
        status: 'held',
        period: PERIOD,
        held: { count: 18, first: '2019-Q1', last: PERIOD, summary: expect.stringContaining('"backfill": true') },
      });
      expect(await generate.plan({ mode: 'corrections' })).toMatchObject({ status: 'no-changes', held: { count: 18 } });
      expect(await keysIn(ARCHIVE, 'reports/')).toEqual([]);
      // The operator starts it with { "backfill": true }: newest first, one period per pass of the state machine.
      const [first, second] = await Promise.all([
        generate.plan({ backfill: true }),
        racing.plan({ mode: 'scheduled', backfill: true }),
      ]);
      const plan = JSON.parse(JSON.stringify(first)) as PlanResult;
      expect(plan).toMatchObject({ status: 'planned', period: PERIOD, revision: 1 });
      expect(second).toMatchObject({ status: 'planned', period: PERIOD, revision: 1 });
      expect((second as typeof planned).plan).toEqual((first as typeof planned).plan);
      planned = plan as typeof planned;
      expect(planned.plan.projectIds).toEqual(['pmlp-reception', 'one-stop-shop']);

      // Map state: every project, concurrently.
      const rendered = await Promise.all(
        planned.plan.projectIds.map((projectId) => generate.renderProject({ plan: planned.plan, projectId })),
      );
      // Each project in both editions: Latvian, then English (`.en` before the extension).
      expect(rendered.map((r) => r.outputs.map((o) => o.key))).toEqual(
        ['pmlp-reception', 'one-stop-shop'].map((id) =>
          ['.pdf', '.xlsx', '.en.pdf', '.en.xlsx'].map((ext) => `reports/2023-Q2/r1/${id}${ext}`),
        ),
      );
      // A retried Map iteration writes nothing new and fails nothing (same bytes).
      await generate.renderProject({ plan: planned.plan, projectId: 'one-stop-shop' });

      expect(await generate.finish({ plan: planned.plan })).toEqual({
        status: 'complete',
        period: PERIOD,
        revision: 1,
        manifestKey: 'reports/2023-Q2/r1/manifest.json',
        outputs: 12,
      });
      expect(await keysIn(ARCHIVE, 'reports/')).toEqual([
        'reports/2023-Q2/r1/manifest.json',
        'reports/2023-Q2/r1/one-stop-shop.en.pdf',
        'reports/2023-Q2/r1/one-stop-shop.en.xlsx',
        'reports/2023-Q2/r1/one-stop-shop.pdf',
        'reports/2023-Q2/r1/one-stop-shop.xlsx',
        'reports/2023-Q2/r1/plan.json',
        'reports/2023-Q2/r1/pmlp-reception.en.pdf',
        'reports/2023-Q2/r1/pmlp-reception.en.xlsx',
        'reports/2023-Q2/r1/pmlp-reception.pdf',
        'reports/2023-Q2/r1/pmlp-reception.xlsx',
        'reports/2023-Q2/r1/programme.en.pdf',
        'reports/2023-Q2/r1/programme.en.xlsx',
        'reports/2023-Q2/r1/programme.pdf',
        'reports/2023-Q2/r1/programme.xlsx',
      ]);
      expect(await keysIn(DATA, 'reports/')).toEqual([]);
      const manifest = JSON.parse(
        new TextDecoder().decode(await readObject(ARCHIVE, 'reports/2023-Q2/r1/manifest.json')),
      );
      for (const output of manifest.outputs as { key: string; sha256: string }[]) {
        expect(sha256(await readObject(ARCHIVE, output.key))).toBe(output.sha256);
      }

      // Nothing changed since: the next scheduled run plans nothing (and still names the 17 held quarters).
      expect(await generate.plan({})).toMatchObject({
        status: 'unchanged',
        period: PERIOD,
        revision: 1,
        held: { count: 17, first: '2019-Q1', last: '2023-Q1' },
      });
      // A corrections run without backfill issues none of them either.
      expect(await generate.plan({ mode: 'corrections' })).toMatchObject({ status: 'no-changes', held: { count: 17 } });
    }, 180_000); // finish also copies every input into the archive (blobs/): more requests on a loaded server

    it('delivers to every manager once, attachments byte-equal to the archived reports', async () => {
      const deliver = createDeliverHandler(runtime('deliver', GENERATE_AT));
      // Two runs at once (a retried step beside the original): every manager gets the mail once between them.
      const other = createDeliverHandler(runtime('deliver', GENERATE_AT));
      const runs = await Promise.all([deliver({ period: planned.period }), other({ period: planned.period })]);
      for (const run of runs) expect(run).toMatchObject({ period: PERIOD, revision: 1, failed: 0, gaveUp: 0 });
      // Sent once between them. (On a loaded machine the slower run may find a claim still unsettled after its
      // wait and report it in doubt rather than send: at most once, by design.)
      expect(runs.map((r) => r.sent).reduce((a, b) => a + b)).toBe(3);
      expect((await ses.mails()).length).toBe(3);
      const mails = await ses.mails();
      expect(mails.map((m) => m.destination.to.join()).sort()).toEqual([
        'integracija@km.example.lv',
        'pmif.vadiba@iem.example.lv',
        'programme.officer@iem.example.lv',
      ]);
      const archived = new Map<string, string>();
      for (const key of await keysIn(ARCHIVE, 'reports/2023-Q2/r1/'))
        archived.set(key, sha256(await readObject(ARCHIVE, key)));
      // An English reader's attachments are the English edition (`.en` before the extension in the archive).
      const reportKey = (filename: string, en: boolean) => {
        const m = /^(.+)-(\d{4}-Q[1-4])-r(\d+)\.(pdf|xlsx)$/.exec(filename);
        return m ? `reports/${m[2]}/r${m[3]}/${m[1]}${en ? '.en' : ''}.${m[4]}` : filename;
      };
      const attachmentsOf = (mail: StoredMail) =>
        mail.attachments.map((a) => [
          reportKey(a.filename ?? '', ENGLISH_READERS.has(mail.destination.to.join())),
          sha256(Buffer.from(a.content, 'base64')),
        ]);
      for (const mail of mails) {
        expect(mail.subject).toMatch(/2023-Q2/);
        for (const [key, hash] of attachmentsOf(mail)) expect(hash, key).toBe(archived.get(key!));
      }
      const byRecipient = new Map(mails.map((m) => [m.destination.to.join(), attachmentsOf(m).map(([key]) => key)]));
      expect(byRecipient.get('pmif.vadiba@iem.example.lv')).toEqual([
        'reports/2023-Q2/r1/programme.pdf',
        'reports/2023-Q2/r1/programme.xlsx',
        'reports/2023-Q2/r1/pmlp-reception.pdf',
        'reports/2023-Q2/r1/pmlp-reception.xlsx',
        'reports/2023-Q2/r1/one-stop-shop.pdf',
        'reports/2023-Q2/r1/one-stop-shop.xlsx',
      ]);
      // This manager follows three projects, of which only one-stop-shop is active in the period.
      expect(byRecipient.get('integracija@km.example.lv')).toEqual([
        'reports/2023-Q2/r1/programme.pdf',
        'reports/2023-Q2/r1/programme.xlsx',
        'reports/2023-Q2/r1/one-stop-shop.pdf',
        'reports/2023-Q2/r1/one-stop-shop.xlsx',
      ]);

      // The ledger holds: a repeated deliver (a retried state machine step) sends nothing.
      await ses.clear();
      expect(await deliver({ period: PERIOD })).toMatchObject({ sent: 0, alreadySent: 3, inDoubt: 0 });
      expect(await ses.mails()).toEqual([]);
      expect(await keysIn(DATA, 'deliveries/2023-Q2/r1/')).toHaveLength(3);
      // Only the held quarters' warning (the plan step's, above); nothing went wrong.
      expect(logged.filter((l) => l.level !== 'info' && l.event !== 'plan.backfill-held')).toEqual([]);
      expect(logged.filter((l) => l.event === 'plan.backfill-held')[0]?.fields).toEqual({
        periods: 18,
        first: '2019-Q1',
        last: PERIOD,
      });
    });

    it('re-reports a period after a late correction: corrections run → r2 → delivered, r1 kept', async () => {
      ingestResults.length = 0;
      await upload('inbox/one-stop-shop/2023-Q2 labots.xlsx', submissionFile('one-stop-shop', PERIOD), resaved);
      await settleInvocations();
      expect(ingestResults.flatMap((r) => r.results)).toMatchObject([{ status: 'accepted' }]);
      await ses.clear();

      const generate = createGenerateHandlers(runtime('generate', new Date('2023-07-20T03:00:00Z')));
      const correction = JSON.parse(JSON.stringify(await generate.plan({ mode: 'corrections' }))) as PlanResult;
      expect(correction).toMatchObject({ status: 'planned', period: PERIOD, revision: 2 });
      const { plan } = correction as typeof planned;
      // Latest wins, nothing lost: both uploads are in the lineage.
      const fullPlan = await resolvePlan(runtime('generate', new Date('2023-07-20T03:00:00Z')).deps, plan);
      const oneStopSources = fullPlan.sources.filter((s) => s.key.startsWith('inbox/one-stop-shop/')).map((s) => s.key);
      expect(oneStopSources.sort()).toEqual([
        'inbox/one-stop-shop/2023-Q2 labots.xlsx',
        'inbox/one-stop-shop/2023-Q2.xlsx',
      ]);
      await Promise.all(plan.projectIds.map((projectId) => generate.renderProject({ plan, projectId })));
      expect(await generate.finish({ plan })).toMatchObject({ status: 'complete', revision: 2 });
      expect(await generate.plan({ mode: 'corrections' })).toMatchObject({ status: 'no-changes' });

      const deliver = createDeliverHandler(runtime('deliver', new Date('2023-07-20T03:00:00Z')));
      expect(await deliver({ period: PERIOD })).toMatchObject({ revision: 2, sent: 3 });
      const mails = await ses.mails();
      expect(mails).toHaveLength(3);
      for (const mail of mails) {
        expect(mail.subject).toMatch(/r2/);
        for (const a of mail.attachments) {
          const m = /^(.+)-2023-Q2-r2\.(pdf|xlsx)$/.exec(a.filename ?? '');
          expect(m, a.filename).not.toBeNull();
          const edition = ENGLISH_READERS.has(mail.destination.to.join()) ? '.en' : '';
          const archived = await readObject(ARCHIVE, `reports/2023-Q2/r2/${m![1]}${edition}.${m![2]}`);
          expect(sha256(Buffer.from(a.content, 'base64'))).toBe(sha256(archived));
        }
      }
      expect(await keysIn(ARCHIVE, 'reports/2023-Q2/r1/')).toHaveLength(14);
    });

    it("isolates each Map item: one project's failed render leaves the others archived, names it, delivers nothing; the next execution resumes", async () => {
      ingestResults.length = 0;
      await upload('inbox/pmlp-reception/2023 Q2 labots.xlsx', submissionFile('pmlp-reception', PERIOD), resaved);
      await settleInvocations();
      expect(ingestResults.flatMap((r) => r.results)).toMatchObject([{ status: 'accepted' }]);
      await ses.clear();
      const at = new Date('2023-07-21T03:00:00Z');
      const generate = createGenerateHandlers(runtime('generate', at));
      const planned3 = JSON.parse(JSON.stringify(await generate.plan({ mode: 'corrections' }))) as PlanResult;
      expect(planned3).toMatchObject({ status: 'planned', period: PERIOD, revision: 3 });
      const { plan } = planned3 as typeof planned;

      // A record of pmlp-reception is truncated after planning: only its render step can fail.
      const full = await resolvePlan(runtime('generate', at).deps, plan);
      const recordKey = full.sources.find((s) =>
        s.recordKey.startsWith(`submissions/${PERIOD}/pmlp-reception/`),
      )!.recordKey;
      const good = await readObject(DATA, recordKey);
      await s3.put(DATA, recordKey, good.subarray(0, Math.floor(good.byteLength / 2)));

      // The Map as Step Functions runs it: each item's error is caught (Catch States.ALL → ProjectFailed) and becomes
      // { projectId, error, cause }, the cause being Lambda's error JSON; a rendered item gives {}.
      const mapItems = (projectIds: string[]) =>
        Promise.all(
          projectIds.map((projectId) =>
            generate.renderProject({ plan, projectId }).then(
              () => ({}),
              (err: Error) => ({
                projectId,
                error: err.name,
                cause: JSON.stringify({ errorType: err.name, errorMessage: err.message, trace: [err.stack] }),
              }),
            ),
          ),
        );
      const rendered = await mapItems(plan.projectIds);
      const failures: ExecutionFailures = { count: 0, periods: [], summary: '' };
      const finished = await generate.finish({ plan, rendered, failures });
      expect(finished).toMatchObject({
        status: 'failed',
        period: PERIOD,
        revision: 3,
        failed: [
          { projectId: 'pmlp-reception', error: 'CorruptRecordError', message: expect.stringContaining(recordKey) },
        ],
        failures: { count: 1, periods: [PERIOD] },
      });
      if (finished.status !== 'failed') throw new Error('expected the period to fail');
      const { summary } = finished.failures;
      expect(summary).toContain('pmlp-reception: CorruptRecordError');
      expect(summary).toContain(`{"period": "${PERIOD}"}`);
      // The other project's reports are archived; the revision has no manifest, so nothing of it can be delivered.
      expect(await keysIn(ARCHIVE, 'reports/2023-Q2/r3/')).toEqual([
        'reports/2023-Q2/r3/one-stop-shop.en.pdf',
        'reports/2023-Q2/r3/one-stop-shop.en.xlsx',
        'reports/2023-Q2/r3/one-stop-shop.pdf',
        'reports/2023-Q2/r3/one-stop-shop.xlsx',
        'reports/2023-Q2/r3/plan.json',
      ]);
      // The corrections loop goes on past the failed period (none other has changed here).
      expect(await generate.plan({ mode: 'corrections', failures: finished.failures })).toMatchObject({
        status: 'no-changes',
      });
      expect(await ses.mails()).toEqual([]);

      // The record restored, a new execution for the period resumes r3 and completes it; the managers get r3 once.
      await s3.put(DATA, recordKey, good);
      const resumed = JSON.parse(JSON.stringify(await generate.plan({ period: PERIOD }))) as PlanResult;
      expect(resumed).toMatchObject({ status: 'planned', revision: 3, resumed: true });
      expect(await mapItems(plan.projectIds)).toEqual([{}, {}]);
      expect(await generate.finish({ plan, rendered: [{}, {}], failures })).toMatchObject({
        status: 'complete',
        revision: 3,
        outputs: 12,
      });
      const deliver = createDeliverHandler(runtime('deliver', at));
      expect(await deliver({ period: PERIOD })).toMatchObject({ revision: 3, sent: 3, failed: 0 });
    });
  });
}
