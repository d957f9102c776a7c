/**
 * S3Store against moto's S3 (a faithful local AWS in a child process): the whole ObjectStore contract with real
 * versioning and real conditional writes (no emulation in the client), on a versioned data bucket and on an archive
 * bucket with Object Lock default retention, as the stack creates them; and what Object Lock must guarantee for a
 * report. The client keeps the SDK's production defaults (checksums on), which Object Lock uploads require.
 */
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutedStore } from '../../functions/adapters/routed-store';
import { S3Store } from '../../functions/adapters/s3-store';
import { AlreadyExistsError } from '../../functions/core/ports';
import { objectStoreContract } from '../contract/object-store-contract';
import { createBucket, type RunningMoto, startMoto } from '../helpers/moto';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const LOCK = { mode: 'GOVERNANCE', years: 10 } as const;

let moto: RunningMoto;
let client: S3Client;
let buckets = 0;
beforeAll(async () => {
  moto = await startMoto([]);
  client = moto.client();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

/** A fresh bucket per test, made the way the stack makes it. */
async function freshBucket(objectLock: boolean): Promise<string> {
  const name = `moto-${++buckets}`;
  await createBucket(client, { name, ...(objectLock ? { objectLock: LOCK } : {}) });
  return name;
}

objectStoreContract(
  'S3Store on moto, versioned data bucket',
  async () => new S3Store({ client, bucket: await freshBucket(false) }),
  { conditionalWrites: true, versionHistory: true },
);

objectStoreContract(
  'S3Store on moto, Object Lock archive bucket (default retention)',
  async () => new S3Store({ client, bucket: await freshBucket(true) }),
  { conditionalWrites: true, versionHistory: true },
);

objectStoreContract(
  'RoutedStore on moto: reports/ in the Object Lock bucket, the rest in the data bucket',
  async () =>
    new RoutedStore(new S3Store({ client, bucket: await freshBucket(false) }), [
      { prefix: 'reports/', store: new S3Store({ client, bucket: await freshBucket(true) }) },
    ]),
  { conditionalWrites: true, versionHistory: true },
);

describe('a report in the Object Lock bucket (moto)', () => {
  it('gets the default retention, and a second create-only write is refused with 412', async () => {
    const bucket = await freshBucket(true);
    const store = new S3Store({ client, bucket });
    const key = 'reports/2025-Q3/r1/riga.pdf';
    const { version } = await store.put(key, bytes('report'), { ifNoneMatch: true });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: version }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    const until = head.ObjectLockRetainUntilDate?.getTime() ?? 0;
    expect(until).toBeGreaterThan(Date.now() + 9.9 * 365.25 * 24 * 3600 * 1000);

    const raw = await client
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'tampered', IfNoneMatch: '*' }))
      .then(
        () => 200,
        (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode,
      );
    expect(raw).toBe(412);
    await expect(store.put(key, bytes('tampered'), { ifNoneMatch: true })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(text((await store.get(key))?.bytes)).toBe('report');
  });

  it('cannot be deleted or overwritten: the locked version stays readable, byte for byte', async () => {
    const bucket = await freshBucket(true);
    const store = new S3Store({ client, bucket });
    const key = 'reports/2025-Q3/r1/manifest.json';
    const { version } = await store.put(key, bytes('{"manifest":1}'), { ifNoneMatch: true });

    const deleteVersion = await client
      .send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version }))
      .then(
        () => 'deleted',
        (err: { name?: string }) => err.name,
      );
    expect(deleteVersion).toBe('AccessDenied');
    // A plain put or delete adds a version or a delete marker on top; the locked version is untouched.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'other' }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    expect(text((await store.get(key, version))?.bytes)).toBe('{"manifest":1}');
  });
});
