/**
 * The content-addressed archive on S3, on moto (versioning, Object Lock default retention, conditional writes), wired
 * as the stack wires it (`functions/aws/deps.ts`): a revision's inputs and code go into the Object Lock bucket under
 * `blobs/sha256/<hash>`, once per content; a later revision that reuses them stores nothing again and extends their
 * retention to its own; a blob can be neither overwritten nor deleted; an input that is not what the plan says
 * stops the archiving. An Art. 42 transmission archives its inputs and code the same way, into the same blobs.
 */
import { DeleteObjectCommand, HeadObjectCommand, PutObjectRetentionCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutedStore } from '../../functions/adapters/routed-store';
import { S3ArchiveControl } from '../../functions/adapters/s3-archive-control';
import { S3Store } from '../../functions/adapters/s3-store';
import {
  ArchiveInputError,
  archiveRevisionInputs,
  archiveTransmissionInputs,
} from '../../functions/app/archive-inputs';
import { recordBytes, sha256Hex } from '../../functions/app/deps';
import type { RevisionPlan } from '../../functions/app/revisions';
import { ARCHIVE_PREFIXES, keys } from '../../functions/core/keys';
import { AlreadyExistsError, silentLogger } from '../../functions/core/ports';
import { createBucket, type RunningMoto, startMoto } from '../helpers/moto';

const bytes = (s: string) => new TextEncoder().encode(s);
const DATA = 'blobs-data';
const ARCHIVE = 'blobs-archive';

let moto: RunningMoto;
let client: S3Client;
let store: RoutedStore;
let control: S3ArchiveControl;
const code = { bytes: bytes('// the verifier bundle, as archived\n'), sha256: '' };
code.sha256 = sha256Hex(code.bytes);

/** What S3 reports of an object's retention (moto has no GetObjectRetention; HEAD carries the same headers). */
async function retention(key: string): Promise<{ mode?: string; until: number }> {
  const out = await client.send(new HeadObjectCommand({ Bucket: ARCHIVE, Key: key }));
  return { mode: out.ObjectLockMode, until: out.ObjectLockRetainUntilDate?.getTime() ?? 0 };
}

/** A registry and one submission in the data bucket, and the plan of a revision built from them. */
async function planFor(revision: number): Promise<RevisionPlan> {
  const registryRaw = bytes('registry workbook bytes');
  const reg = await store.put('registry/registry.xlsx', registryRaw);
  const registryRecord = { source: { key: 'registry/registry.xlsx', sha256: sha256Hex(registryRaw) } };
  await store.put(keys.registryVersion(reg.version), recordBytes(registryRecord));
  const uploadRaw = bytes('submission workbook bytes');
  const up = await store.put('inbox/p-one/2025-Q1.xlsx', uploadRaw);
  const recordKey = keys.submission('2025-Q1', 'p-one', up.version);
  await store.put(recordKey, recordBytes({ kind: 'submission', registryVersion: reg.version }));
  return {
    schemaVersion: 1,
    kind: 'plan',
    period: '2025-Q1',
    revision,
    generatedAt: '2025-04-16T04:00:00.000Z',
    language: 'lv',
    codeVersion: 'test',
    registry: { key: 'registry/registry.xlsx', version: reg.version, sha256: sha256Hex(registryRaw) },
    sources: [{ key: 'inbox/p-one/2025-Q1.xlsx', version: up.version, sha256: sha256Hex(uploadRaw), recordKey }],
    projectIds: ['p-one'],
  };
}

const deps = () => ({ store, archiveControl: control, code: async () => code, log: silentLogger });

beforeAll(async () => {
  moto = await startMoto([]);
  client = moto.client();
  await createBucket(client, { name: DATA });
  await createBucket(client, { name: ARCHIVE, objectLock: { mode: 'GOVERNANCE', years: 1 } });
  const archive = new S3Store({ client, bucket: ARCHIVE });
  store = new RoutedStore(
    new S3Store({ client, bucket: DATA }),
    ARCHIVE_PREFIXES.map((prefix) => ({ prefix, store: archive })),
  );
  control = new S3ArchiveControl({
    client,
    bucketFor: (key) => (store.storeFor(key) === archive ? ARCHIVE : DATA),
    lockedPrefixes: ARCHIVE_PREFIXES,
  });
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

describe('blobs/ in the Object Lock bucket (moto)', () => {
  it('a revision stores each input and the code once, under Object Lock; a later one reuses them and extends their retention', async () => {
    const plan = await planFor(1);
    const r1Report = keys.programmeReport('2025-Q1', 1, 'pdf');
    await store.put(r1Report, bytes('%PDF r1'));
    const first = await archiveRevisionInputs(deps(), plan, r1Report);
    expect(first.code).toEqual({ sha256: code.sha256, bytes: code.bytes.byteLength, protocol: 1 });
    expect(first.items.map((i) => i.role)).toEqual(['record', 'registry', 'registry-record', 'source']);
    const blobs = (await store.list(keys.blobsPrefix)).map((o) => o.key).sort();
    expect(blobs).toEqual([...new Set([...first.items.map((i) => i.sha256), code.sha256])].map(keys.blob).sort());
    // Where they live: the Object Lock bucket, with its default retention.
    for (const key of blobs) expect((await retention(key)).mode).toBe('GOVERNANCE');

    // Revision 2 of the same sources, written later: its report's retention ends later than revision 1's.
    const r2Report = keys.programmeReport('2025-Q1', 2, 'pdf');
    await store.put(r2Report, bytes('%PDF r2'));
    const later = new Date((await retention(r2Report)).until + 30 * 86_400_000);
    await control.extendRetention(r2Report, later);
    const second = await archiveRevisionInputs(deps(), { ...plan, revision: 2 }, r2Report);
    expect(second).toEqual(first);
    expect((await store.list(keys.blobsPrefix)).map((o) => o.key).sort()).toEqual(blobs);
    for (const key of blobs) expect(await retention(key)).toEqual({ mode: 'GOVERNANCE', until: later.getTime() });

    // Never shortened: an earlier date leaves the retention as it is.
    await control.extendRetention(blobs[0]!, new Date(Date.now() + 86_400_000));
    expect((await retention(blobs[0]!)).until).toBe(later.getTime());
  });

  it('a transmission of the same inputs stores nothing again, names the code with protocol 2 and extends the retention to its own', async () => {
    const plan = await planFor(4);
    const r4Report = keys.programmeReport('2025-Q1', 4, 'pdf');
    await store.put(r4Report, bytes('%PDF r4'));
    const revision = await archiveRevisionInputs(deps(), plan, r4Report);
    const blobs = (await store.list(keys.blobsPrefix)).map((o) => o.key).sort();
    // The transmission's plan is its first object in the Object Lock bucket; its retention ends later still.
    const planKey = keys.transmissionPlan('2025-06-30', 1);
    await store.put(planKey, bytes('{"kind":"transmission-plan"}'));
    const later = new Date(Math.max(...(await Promise.all(blobs.map(retention))).map((r) => r.until)) + 86_400_000);
    await control.extendRetention(planKey, later);
    const basis = { registry: plan.registry, sources: plan.sources };
    const archived = await archiveTransmissionInputs(deps(), basis, planKey, { cutoff: '2025-06-30', revision: 1 });
    expect(archived.code).toEqual({ sha256: code.sha256, bytes: code.bytes.byteLength, protocol: 2 });
    expect(archived.items).toEqual(revision.items);
    expect((await store.list(keys.blobsPrefix)).map((o) => o.key).sort()).toEqual(blobs);
    for (const sha of [...archived.items.map((i) => i.sha256), code.sha256])
      expect(await retention(keys.blob(sha))).toEqual({ mode: 'GOVERNANCE', until: later.getTime() });
  });

  it('two writers extending one blob at once: the one with the earlier date neither fails nor shortens it', async () => {
    const key = keys.blob(sha256Hex(bytes('shared by two periods')));
    await store.put(key, bytes('shared by two periods'), { ifNoneMatch: true });
    const start = (await retention(key)).until;
    const sooner = new Date(start + 10 * 86_400_000);
    const later = new Date(start + 40 * 86_400_000);
    // Fault injection: the other writer extends to its later date between this writer's read and its write; and S3
    // refuses to shorten a retention without s3:BypassGovernanceRetention (which no function has), where moto
    // would shorten it, so the wrapper refuses as S3 does.
    let raced = false;
    const racing = new S3ArchiveControl({
      client: {
        send: async (command: unknown) => {
          if (command instanceof PutObjectRetentionCommand) {
            const asked = command.input.Retention?.RetainUntilDate;
            if (asked && asked.getTime() < (await retention(key)).until)
              throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
          }
          const out = await client.send(command as HeadObjectCommand);
          if (!raced && command instanceof HeadObjectCommand) {
            raced = true;
            await control.extendRetention(key, later);
          }
          return out;
        },
      } as unknown as S3Client,
      bucketFor: () => ARCHIVE,
      lockedPrefixes: ARCHIVE_PREFIXES,
    });
    await racing.extendRetention(key, sooner);
    expect(raced).toBe(true);
    expect(await retention(key)).toEqual({ mode: 'GOVERNANCE', until: later.getTime() });
  });

  it('a blob cannot be overwritten (412) nor its version deleted (Object Lock)', async () => {
    const [blob] = await store.list(keys.blobsPrefix);
    await expect(store.put(blob!.key, bytes('other'), { ifNoneMatch: true })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: ARCHIVE, Key: blob!.key, VersionId: blob!.version })),
    ).rejects.toThrow();
    expect((await store.get(blob!.key))?.version).toBe(blob!.version);
  });

  it('an upload whose bytes are not the ones the plan names is not archived', async () => {
    const plan = await planFor(3);
    const forged = { ...plan, sources: plan.sources.map((s) => ({ ...s, sha256: '0'.repeat(64) })) };
    await expect(archiveRevisionInputs(deps(), forged, keys.programmeReport('2025-Q1', 1, 'pdf'))).rejects.toThrow(
      ArchiveInputError,
    );
  });
});
