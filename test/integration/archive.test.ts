/**
 * The archive against its storage:
 * - the folder store's retention (a contract-style suite): archived reports are never overwritten, held objects are
 *   never overwritten, hold markers stay out of the key space, and the port has no delete;
 * - the S3 half on s3rver, two buckets routed as the stack lays them out: two projects × two periods ingested and
 *   generated, then `archive verify`, tampering (one byte in a source upload, a PDF, a manifest), presigned
 *   downloads with their stated expiry, and legal holds.
 *
 * What s3rver cannot do, stated: it keeps no versions, so a version is an ETag (`versioned: false`); verify reads
 * the sources from the archive's content-addressed copies (`blobs/`), so a byte changed there is what fails. It
 * ignores `If-None-Match`
 * (answered by the test client, as in the other S3 tests) and has no Object Lock: PutObjectLegalHold answers
 * NotImplemented, so the hold requests are checked at the client's HTTP layer, after signing, as S3 would get them.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { RoutedStore } from '../../functions/adapters/routed-store';
import { S3ArchiveControl } from '../../functions/adapters/s3-archive-control';
import { S3Store } from '../../functions/adapters/s3-store';
import { fixedClock } from '../../functions/adapters/system-clock';
import { verifyPeriod } from '../../functions/app/archive/verify';
import { codeVersion } from '../../functions/app/code-version';
import type { Deps } from '../../functions/app/deps';
import { finishRevision, loadRevisionInputs, planRevision, renderProjectStep } from '../../functions/app/generate';
import { ingestObject } from '../../functions/app/ingest';
import { archiveCommand, parseExpiry } from '../../functions/cli/commands/archive';
import { localCode } from '../../functions/cli/local-deps';
import { ARCHIVE_PREFIXES, keys } from '../../functions/core/keys';
import type { Manifest } from '../../functions/core/manifest';
import { AlreadyExistsError, type ObjectStore, StoreError, silentLogger } from '../../functions/core/ports';
import { type SampleManifest, writeSampleData } from '../../sample/write-sample';
import { emulateConditionalWrites, httpResponse, type RunningS3rver, startS3rver } from '../helpers/s3rver';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('code version in plans and manifests', () => {
  it('is the package version, plus the commit when PMIF_COMMIT names one', () => {
    expect(codeVersion('0.1.0', undefined)).toBe('pmif-reports@0.1.0');
    expect(codeVersion('0.1.0', '')).toBe('pmif-reports@0.1.0');
    expect(codeVersion('0.1.0', ' 38619CA\n')).toBe('pmif-reports@0.1.0+38619ca');
    expect(() => codeVersion('0.1.0', 'main')).toThrow(/PMIF_COMMIT must be a git commit SHA/);
  });
});

// ─── Folder store retention ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Retention as the archive needs it from a store that enforces it itself. (On AWS the archive bucket's Object Lock
 * does this, asserted in the stack's tests; an S3 overwrite makes a new version and keeps the locked one.)
 */
function archiveRetentionContract(name: string, makeStore: () => Promise<FolderStore>) {
  describe(`${name} keeps the archive`, () => {
    const report = 'reports/2025-Q3/r1/latvian-language.pdf';

    it('refuses to overwrite an archived report, and keeps its content', async () => {
      const store = await makeStore();
      await store.put(report, bytes('as delivered'));
      const err = await store.put(report, bytes('altered')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as Error).message).toBe(`archived report ${report} cannot be overwritten`);
      await expect(store.put(report, bytes('as delivered'))).rejects.toBeInstanceOf(StoreError);
      expect(text((await store.get(report))?.bytes)).toBe('as delivered');
    });

    it('still answers a create-only write of an archived report with "already exists" (a resumed run)', async () => {
      const store = await makeStore();
      await store.put(report, bytes('once'), { ifNoneMatch: true });
      await expect(store.put(report, bytes('twice'), { ifNoneMatch: true })).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(text((await store.get(report))?.bytes)).toBe('once');
    });

    it('lets other keys be replaced as before (ledgers are updated in place)', async () => {
      const store = await makeStore();
      await store.put('deliveries/2025-Q3/r1/x.json', bytes('claimed'));
      await store.put('deliveries/2025-Q3/r1/x.json', bytes('sent'));
      expect(text((await store.get('deliveries/2025-Q3/r1/x.json'))?.bytes)).toBe('sent');
    });

    it('refuses every write to a held object; holding twice is holding once', async () => {
      const store = await makeStore();
      const { version } = await store.put('inbox/demo/q3.xlsx', bytes('upload'));
      await store.hold('inbox/demo/q3.xlsx', version);
      await store.hold('inbox/demo/q3.xlsx', version);
      for (const options of [{}, { ifNoneMatch: true }]) {
        const err = await store.put('inbox/demo/q3.xlsx', bytes('replaced'), options).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as Error).message).toBe('inbox/demo/q3.xlsx is under legal hold and cannot be overwritten');
      }
      expect(text((await store.get('inbox/demo/q3.xlsx', version))?.bytes)).toBe('upload');
    });

    it('holds only what exists, at the version named', async () => {
      const store = await makeStore();
      await expect(store.hold('inbox/demo/none.xlsx', 'v')).rejects.toThrow(/no such object/);
      await store.put('inbox/demo/a.xlsx', bytes('a'));
      await expect(store.hold('inbox/demo/a.xlsx', 'another-version')).rejects.toThrow(/its content is version/);
      await store.put('inbox/demo/a.xlsx', bytes('b'));
    });

    it('keeps hold markers out of the key space', async () => {
      const store = await makeStore();
      const { version } = await store.put('registry/r.xlsx', bytes('r'));
      await store.hold('registry/r.xlsx', version);
      expect((await store.list('')).map((o) => o.key)).toEqual(['registry/r.xlsx']);
      expect(await store.list('.legal-holds/')).toEqual([]);
      await expect(store.put('.legal-holds/registry/r.xlsx', bytes('x'))).rejects.toThrow(/invalid object key/);
      await expect(store.get('.legal-holds/registry/r.xlsx')).rejects.toThrow(/invalid object key/);
    });

    it('offers no delete', async () => {
      const store = await makeStore();
      expect((store as unknown as Record<string, unknown>).delete).toBeUndefined();
      expect(store.canHold('reports/x/r1/a.pdf') && store.canHold('inbox/a/b.xlsx')).toBe(true);
    });
  });
}

const folders: string[] = [];
archiveRetentionContract('FolderStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'pmif-retention-'));
  folders.push(root);
  return new FolderStore(root);
});
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

// ─── S3 (s3rver) ────────────────────────────────────────────────────────────────────────────────────────────────

const DATA = 'pmif-data';
const ARCHIVE = 'pmif-archive';
const PERIODS = ['2023-Q1', '2023-Q2'];
const PROJECTS = ['pmlp-reception', 'one-stop-shop'];
const GENERATE_AT = new Date('2023-07-16T03:00:00Z');

let s3: RunningS3rver;
let uploader: S3Client;
let sampleDir: string;
let sample: SampleManifest;
let deps: Deps;
/** PutObjectLegalHold requests as they left the client (signed), answered 200 as S3 would. */
const holdRequests: { bucket?: string; key?: string; versionId?: string; status?: string; query: string }[] = [];

interface MiddlewareArgs {
  input: { Bucket?: string; Key?: string; VersionId?: string; LegalHold?: { Status?: string } };
  request: { method?: string; query?: Record<string, unknown>; headers?: Record<string, string> };
}

/** A client that answers PutObjectLegalHold itself (s3rver cannot) and records what would have been sent. */
function holdAnsweringClient(): S3Client {
  const client = s3.client();
  client.middlewareStack.add(
    ((next: (args: MiddlewareArgs) => Promise<unknown>) => async (args: MiddlewareArgs) => {
      const query = args.request?.query ?? {};
      if (args.request?.method !== 'PUT' || !('legal-hold' in query)) return next(args);
      holdRequests.push({
        bucket: args.input.Bucket,
        key: args.input.Key,
        versionId: args.input.VersionId,
        status: args.input.LegalHold?.Status,
        query: Object.keys(query).join('&'),
      });
      return { response: httpResponse(200, {}) };
    }) as never,
    { step: 'deserialize', priority: 'low', name: 'answerLegalHold' },
  );
  return client;
}

async function archiveCli(client: S3Client, ...args: string[]) {
  let out = '';
  const command = archiveCommand({
    s3Client: client,
    versioned: false,
    write: (t) => {
      out += t;
    },
    now: () => new Date('2023-07-20T10:00:00Z'),
  });
  // Usage errors throw (and say nothing) instead of ending the test process.
  for (const c of [command, ...command.commands]) c.exitOverride().configureOutput({ writeErr: () => {} });
  process.exitCode = 0;
  await command.parseAsync([...args, '--bucket', DATA, '--archive-bucket', ARCHIVE], { from: 'user' });
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { lines: out.split('\n').filter(Boolean), exitCode };
}

async function readObject(bucket: string, key: string): Promise<Uint8Array> {
  const res = await uploader.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body!.transformToByteArray();
}

/** Replace an object behind the system's back with one byte changed; returns the undo (same bytes: same ETag). */
async function tamperObject(bucket: string, key: string) {
  const original = await readObject(bucket, key);
  const changed = Uint8Array.from(original);
  const i = Math.floor(changed.length / 2);
  changed[i] = changed[i]! ^ 0x20;
  await uploader.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: changed }));
  return () => uploader.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: original }));
}

function s3Deps(client: S3Client): { store: ObjectStore; control: S3ArchiveControl } {
  const data = new S3Store({ client, bucket: DATA, versioned: false });
  const archive = new S3Store({ client, bucket: ARCHIVE, versioned: false });
  const store = new RoutedStore(
    data,
    ARCHIVE_PREFIXES.map((prefix) => ({ prefix, store: archive })),
  );
  const bucketFor = (key: string) => (store.storeFor(key) === archive ? ARCHIVE : DATA);
  return {
    store,
    control: new S3ArchiveControl({ client, bucketFor, lockedPrefixes: ARCHIVE_PREFIXES, versioned: false }),
  };
}

beforeAll(async () => {
  s3 = await startS3rver([DATA, ARCHIVE]);
  uploader = s3.client();
  sampleDir = await mkdtemp(join(tmpdir(), 'pmif-archive-s3-'));
  sample = await writeSampleData(sampleDir);
  const client = s3.client();
  emulateConditionalWrites(client);
  const clock = fixedClock(GENERATE_AT);
  deps = {
    store: s3Deps(client).store,
    mailer: { send: async () => ({ messageId: 'test' }) },
    clock,
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
    code: localCode,
  };
  const put = async (key: string, file: string) =>
    uploader.send(new PutObjectCommand({ Bucket: DATA, Key: key, Body: await readFile(join(sampleDir, file)) }));
  await put('registry/Programmas reģistrs.xlsx', sample.registry);
  expect((await ingestObject(deps, 'registry/Programmas reģistrs.xlsx')).status).toBe('accepted');
  for (const s of sample.submissions.filter((x) => PROJECTS.includes(x.projectId) && x.period <= PERIODS[1]!)) {
    const key = `inbox/${s.projectId}/${s.period} atskaite.xlsx`;
    await put(key, s.file);
    expect((await ingestObject(deps, key)).status).toBe('accepted');
  }
  // The state machine's steps, every project on this thread.
  for (const period of PERIODS) {
    const planned = await planRevision(deps, { period });
    if (planned.status !== 'planned') throw new Error(`${period}: ${planned.status}`);
    const inputs = await loadRevisionInputs(deps, planned.plan);
    for (const id of planned.plan.projectIds) await renderProjectStep(deps, planned.plan, id, inputs);
    expect((await finishRevision(deps, planned.plan, inputs)).revision).toBe(1);
  }
}, 120_000);

afterAll(async () => {
  await s3?.stop();
  if (sampleDir) await rm(sampleDir, { recursive: true, force: true });
});

describe('archive on S3 (s3rver, data and archive buckets)', () => {
  it('verify passes for both periods: sources by version, records re-derived, reports re-rendered identical', async () => {
    const { lines, exitCode } = await archiveCli(uploader, 'verify', ...PERIODS);
    expect(exitCode).toBe(0);
    expect(lines.filter((l) => l.includes('MISMATCH'))).toEqual([]);
    expect(lines.filter((l) => /^2023-Q\d r1: VERIFIED/.test(l))).toHaveLength(2);
    // The reports of both projects in 2023-Q2, each hashed and re-rendered.
    for (const p of PROJECTS) {
      expect(lines).toContain(
        `  ok       output   ${keys.projectReport('2023-Q2', 1, p, 'pdf')}: hash ok · re-render identical`,
      );
    }
    const sources = lines.filter((l) => l.includes(' source ') && l.includes('2023-Q2/'));
    expect(sources.length).toBeGreaterThan(0);
  });

  it("a changed byte in the archive's copy of a source upload fails verify, naming the upload", async () => {
    const key = 'inbox/one-stop-shop/2023-Q2 atskaite.xlsx';
    const manifest = JSON.parse(text(await readObject(ARCHIVE, keys.manifest('2023-Q2', 1)))!) as Manifest;
    const sha = manifest.sources.find((s) => s.key === key)!.sha256;
    const undo = await tamperObject(ARCHIVE, keys.blob(sha));
    try {
      const { lines, exitCode } = await archiveCli(uploader, 'verify', '2023-Q2', '--quiet');
      expect(exitCode).toBe(1);
      const mismatch = lines.filter((l) => l.includes('MISMATCH'));
      expect(mismatch[0]).toMatch(
        new RegExp(
          `^  MISMATCH source   ${key}@[0-9a-f]{32}: ${keys.blob(sha)} holds content with SHA-256 [0-9a-f]{64}$`,
        ),
      );
      expect(mismatch).toHaveLength(2); // the upload and its record, which can no longer be re-derived
      expect(lines.at(-1)).toContain(`FAILED 2 of`);
    } finally {
      await undo();
    }
    expect((await verifyPeriod(deps, '2023-Q2'))[0]!.ok).toBe(true);
  });

  it('a changed PDF in the archive bucket fails verify, naming it', async () => {
    const key = keys.projectReport('2023-Q2', 1, 'pmlp-reception', 'pdf');
    const undo = await tamperObject(ARCHIVE, key);
    try {
      const [report] = await verifyPeriod(deps, '2023-Q2');
      expect(report!.checks.filter((c) => !c.ok).map((c) => [c.key, c.findings.length])).toEqual([[key, 2]]);
    } finally {
      await undo();
    }
  });

  it('a changed manifest fails verify, naming it', async () => {
    const key = keys.manifest('2023-Q1', 1);
    const undo = await tamperObject(ARCHIVE, key);
    try {
      const { lines, exitCode } = await archiveCli(uploader, 'verify', '2023-Q1', '--quiet');
      expect(exitCode).toBe(1);
      expect(lines.some((l) => l.startsWith(`  MISMATCH manifest ${key}: `))).toBe(true);
      expect(lines.at(-1)).toMatch(
        new RegExp(`^2023-Q1 r1: FAILED \\d+ of \\d+ checks: .*${key.replace(/\//g, '\\/')}`),
      );
    } finally {
      await undo();
    }
  });

  it('get --url: presigned links that download the archived bytes, with the expiry stated, signed and enforced', async () => {
    const { lines, exitCode } = await archiveCli(uploader, 'get', '2023-Q2', 'one-stop-shop', '--url');
    expect(exitCode).toBe(0);
    expect(lines[0]).toMatch(
      /^2023-Q2 r1 one-stop-shop: \d+ links, valid for 1 h until 2023-07-20T11:00:00\.000Z \(or until the signing credentials expire, if sooner\)$/,
    );
    const manifest = JSON.parse(text(await readObject(ARCHIVE, keys.manifest('2023-Q2', 1)))!) as Manifest;
    const expected = new Map<string, string>([
      ...manifest.outputs.map((o) => [o.key, o.sha256] as [string, string]),
      ...manifest.sources.map((s) => [s.key, s.sha256] as [string, string]),
      [manifest.registry.key, manifest.registry.sha256],
    ]);
    const urls = lines.filter((l) => l.startsWith('  http')).map((l) => l.trim());
    // Both editions' PDF and XLSX, the manifest and plan, the registry and the project's uploads.
    expect(urls.length).toBe(
      4 + 2 + 1 + manifest.sources.filter((s) => s.key.startsWith('inbox/one-stop-shop/')).length,
    );
    for (const url of urls) {
      const u = new URL(url);
      expect(u.searchParams.get('X-Amz-Expires')).toBe('3600');
      const key = decodeURIComponent(u.pathname.replace(`/${u.pathname.split('/')[1]}/`, ''));
      const res = await fetch(url);
      expect(res.status, key).toBe(200);
      const body = new Uint8Array(await res.arrayBuffer());
      if (expected.has(key)) expect(sha256(body), key).toBe(expected.get(key));
    }
    // The stated expiry is enforced by the server: a link signed for 1 s is refused once it has passed.
    const { control } = s3Deps(uploader);
    const short = await control.presignGet(keys.manifest('2023-Q2', 1), 'current', 1);
    expect((await fetch(short)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(short);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('get --edition: only that edition of the report, with the same manifest, plan and sources', async () => {
    const all = await archiveCli(uploader, 'get', '2023-Q2', 'one-stop-shop', '--url');
    const english = await archiveCli(uploader, 'get', '2023-Q2', 'one-stop-shop', '--url', '--edition', 'en');
    const reports = (lines: string[]) => lines.filter((l) => l.startsWith('report ')).map((l) => l.trim());
    expect(reports(english.lines)).toEqual(['report   one-stop-shop.en.pdf', 'report   one-stop-shop.en.xlsx']);
    expect(reports(all.lines)).toHaveLength(4);
    const rest = (lines: string[]) => lines.filter((l) => /^(manifest|plan|registry|source) /.test(l));
    expect(rest(english.lines)).toEqual(rest(all.lines));
    await expect(archiveCli(uploader, 'get', '2023-Q2', 'one-stop-shop', '--url', '--edition', 'de')).rejects.toThrow(
      /expected lv or en/,
    );
  });

  it('get --url --expires: up to 7 days, stated and signed; longer is refused', async () => {
    const { lines } = await archiveCli(uploader, 'get', '2023-Q2', 'programme', '--url', '--expires', '7d');
    expect(lines[0]).toContain('valid for 7 d until 2023-07-27T10:00:00.000Z');
    const url = new URL(lines.find((l) => l.startsWith('  http'))!.trim());
    expect(url.searchParams.get('X-Amz-Expires')).toBe('604800');
    expect(parseExpiry('90m')).toBe(5400);
    expect(() => parseExpiry('8d')).toThrow(/1 s to 7 days/);
    await expect(archiveCli(uploader, 'get', '2023-Q2', 'programme', '--url', '--expires', '8d')).rejects.toThrow(
      /1 s to 7 days/,
    );
  });

  it('hold: PutObjectLegalHold ON for every object of the revision and its archived inputs and code; the data bucket named as not held', async () => {
    holdRequests.length = 0;
    const { lines, exitCode } = await archiveCli(holdAnsweringClient(), 'hold', '2023-Q2');
    expect(exitCode).toBe(0);
    const revisionKeys = [
      'manifest.json',
      'plan.json',
      ...['one-stop-shop', 'pmlp-reception', 'programme'].flatMap((r) =>
        ['pdf', 'xlsx', 'en.pdf', 'en.xlsx'].map((ext) => `${r}.${ext}`),
      ),
    ].map((f) => `${keys.revisionPrefix('2023-Q2', 1)}${f}`);
    // And the revision's inputs and code in the content-addressed archive, each once.
    const manifest = JSON.parse(text(await readObject(ARCHIVE, keys.manifest('2023-Q2', 1)))!) as Manifest;
    const blobs = [...new Set([...manifest.archive!.items.map((i) => i.sha256), manifest.archive!.code!.sha256])];
    revisionKeys.push(...blobs.map(keys.blob));
    expect(holdRequests.map((r) => r.key).sort()).toEqual(revisionKeys.sort());
    for (const r of holdRequests) expect(r).toMatchObject({ bucket: ARCHIVE, status: 'ON', query: 'legal-hold' });
    const notHeld = lines.filter((l) => l.startsWith('not held'));
    expect(notHeld.length).toBeGreaterThan(0);
    for (const l of notHeld) expect(l).toMatch(/^not held {2}(inbox|submissions|registry|registry-versions)\//);
    expect(lines.at(-1)).toBe(
      `2023-Q2 r1: ${revisionKeys.length} objects under legal hold, ${notHeld.length} not holdable here`,
    );
  });

  it('hold reaches the server as a real request (s3rver refuses it, surfaced as a StoreError)', async () => {
    const { control } = s3Deps(uploader);
    const err = await control.hold(keys.manifest('2023-Q2', 1), 'ignored').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toBe(
      `cannot place a legal hold on s3://${ARCHIVE}/${keys.manifest('2023-Q2', 1)}`,
    );
    const cause = (err as StoreError).cause as { name?: string; $metadata?: { httpStatusCode?: number } };
    expect([cause.name, cause.$metadata?.httpStatusCode]).toEqual(['MethodNotAllowed', 405]);
    await expect(control.hold('inbox/one-stop-shop/x.xlsx', 'v')).rejects.toThrow(/not in an Object Lock bucket/);
  });
});
