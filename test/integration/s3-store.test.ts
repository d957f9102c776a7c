/**
 * S3Store against S3 servers started here:
 * - s3rver (a real S3 REST server, in process): the whole ObjectStore contract. s3rver ignores `If-None-Match`, so
 *   the test client answers a conditional PUT on an existing key with S3's 412 response (`emulateConditionalWrites`)
 *   and the adapter's real request and mapping are exercised. s3rver has no versioning.
 * - a versioned fake S3 speaking the REST/XML protocol to the SDK (below): the contract again, in versioned mode
 *   (version ids, `versionId` reads, ListObjectVersions with pagination, delete markers), which s3rver cannot do.
 * - canned error responses: 412/409 → AlreadyExistsError, 403/500 → StoreError with the cause, 404 → undefined.
 * The RoutedStore (archive bucket for `reports/`, data bucket for the rest) passes the contract on two s3rver buckets.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutedStore } from '../../functions/adapters/routed-store';
import { S3Store } from '../../functions/adapters/s3-store';
import { AlreadyExistsError, StoreError } from '../../functions/core/ports';
import { objectStoreContract } from '../contract/object-store-contract';
import { emulateConditionalWrites, httpResponse, type RunningS3rver, s3ErrorXml, startS3rver } from '../helpers/s3rver';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

let s3: RunningS3rver;
beforeAll(async () => {
  s3 = await startS3rver(['probe']);
});
afterAll(async () => {
  await s3?.stop();
});

let buckets = 0;
/** Each contract test gets a fresh bucket, so no test sees another's keys. */
async function freshS3rverStore(): Promise<S3Store> {
  const client = s3.client();
  emulateConditionalWrites(client);
  const bucket = `contract-${++buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3Store({ client, bucket, versioned: false });
}

objectStoreContract('S3Store on s3rver (If-None-Match answered by the test client, as S3 would)', freshS3rverStore, {
  conditionalWrites: true,
  versionHistory: { missing: 's3rver has no versioning: covered by the versioned fake S3 run in this file' },
});

describe('S3Store on s3rver specifics', () => {
  it('names content by its ETag when the bucket keeps no versions', async () => {
    const store = await freshS3rverStore();
    const { version } = await store.put('inbox/demo/x.xlsx', bytes('hello'));
    expect(version).toBe(createHash('md5').update('hello').digest('hex'));
    expect((await store.list('inbox/'))[0]?.version).toBe(version);
  });

  it('reads and lists keys with spaces, plus signs and Latvian letters', async () => {
    const store = await freshS3rverStore();
    const key = 'inbox/demo/Ceturksnis 3+labots ā.xlsx';
    await store.put(key, bytes('x'));
    expect(text((await store.get(key))?.bytes)).toBe('x');
    expect((await store.list('inbox/demo/')).map((o) => o.key)).toEqual([key]);
  });

  it('documents why emulation is needed: bare s3rver overwrites despite If-None-Match', async () => {
    const client = s3.client();
    await client.send(new PutObjectCommand({ Bucket: 'probe', Key: 'k', Body: 'first' }));
    await client.send(new PutObjectCommand({ Bucket: 'probe', Key: 'k', Body: 'second', IfNoneMatch: '*' }));
    const store = new S3Store({ client, bucket: 'probe', versioned: false });
    expect(text((await store.get('k'))?.bytes)).toBe('second');
  });
});

/** The stack's layout on s3rver: `reports/` in an archive bucket, everything else in a data bucket. */
async function freshRoutedStore(): Promise<{ store: RoutedStore; data: S3Store; archive: S3Store }> {
  const [data, archive] = await Promise.all([freshS3rverStore(), freshS3rverStore()]);
  return { store: new RoutedStore(data, [{ prefix: 'reports/', store: archive }]), data, archive };
}

objectStoreContract(
  'RoutedStore over two s3rver buckets (If-None-Match answered by the test client)',
  async () => (await freshRoutedStore()).store,
  {
    conditionalWrites: true,
    versionHistory: { missing: 's3rver has no versioning: covered by the versioned fake S3 run in this file' },
  },
);

describe('RoutedStore', () => {
  it('writes reports/ to the archive bucket only and lists across both buckets, sorted', async () => {
    const { store, data, archive } = await freshRoutedStore();
    for (const key of [
      'reports/2025-Q3/r1/manifest.json',
      'registry/r.xlsx',
      'reports/2025-Q3/r1/a.pdf',
      'rejections/x/v.json',
    ]) {
      await store.put(key, bytes(key));
    }
    expect((await archive.list('')).map((o) => o.key)).toEqual([
      'reports/2025-Q3/r1/a.pdf',
      'reports/2025-Q3/r1/manifest.json',
    ]);
    expect((await data.list('')).map((o) => o.key)).toEqual(['registry/r.xlsx', 'rejections/x/v.json']);
    expect((await store.list('re')).map((o) => o.key)).toEqual([
      'registry/r.xlsx',
      'rejections/x/v.json',
      'reports/2025-Q3/r1/a.pdf',
      'reports/2025-Q3/r1/manifest.json',
    ]);
    expect(text((await store.get('reports/2025-Q3/r1/a.pdf'))?.bytes)).toBe('reports/2025-Q3/r1/a.pdf');
  });

  it('never lists an object that sits in the wrong bucket (it could not be read back)', async () => {
    const { store, data } = await freshRoutedStore();
    await data.put('reports/stray.pdf', bytes('stray'));
    await store.put('registry/r.xlsx', bytes('r'));
    expect((await store.list('')).map((o) => o.key)).toEqual(['registry/r.xlsx']);
    expect(await store.get('reports/stray.pdf')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A versioned bucket, faked at the HTTP layer of the SDK client: the requests are the SDK's real ones, the answers
// follow the S3 API reference (version ids, IsLatest, delete markers, key/version-id markers, 404 NoSuchVersion).

interface FakeRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface FakeVersion {
  versionId: string;
  bytes?: Uint8Array;
  etag: string;
  lastModified: Date;
  deleteMarker?: boolean;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === 'string') return bytes(body);
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}

/** An in-memory versioned bucket answering GetObject, PutObject and ListObjectVersions. */
class FakeVersionedBucket {
  readonly objects = new Map<string, FakeVersion[]>(); // newest first, as S3 lists them
  readonly requests: FakeRequest[] = [];
  private clock = Date.parse('2025-10-01T06:00:00Z');

  constructor(
    readonly bucket: string,
    private readonly options: { versioning: boolean; pageSize: number } = { versioning: true, pageSize: 2 },
  ) {}

  client(): S3Client {
    return new S3Client({
      endpoint: 'http://fake-s3.test',
      region: 'eu-north-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
      maxAttempts: 1,
      requestHandler: { handle: (request: FakeRequest) => this.handle(request) } as never,
    });
  }

  /** A delete marker on top of the key, as DeleteObject in a versioned bucket leaves. */
  deleteKey(key: string): void {
    this.objects
      .get(key)
      ?.unshift({ versionId: this.newVersionId(), etag: '', lastModified: this.tick(), deleteMarker: true });
  }

  private tick(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  private newVersionId(): string {
    // S3 version ids are opaque, URL-safe, 32 characters.
    return randomBytes(24).toString('base64url');
  }

  async handle(request: FakeRequest) {
    this.requests.push(request);
    const [, bucket, ...rest] = request.path.split('/');
    if (bucket !== this.bucket)
      return { response: this.error(404, 'NoSuchBucket', 'The specified bucket does not exist') };
    const key = rest.map(decodeURIComponent).join('/');
    const query = request.query ?? {};
    if (request.method === 'GET' && key === '' && 'versions' in query) return { response: this.listVersions(query) };
    if (request.method === 'GET') return { response: this.getObject(key, query.versionId as string | undefined) };
    if (request.method === 'PUT') return { response: await this.putObject(key, request) };
    return { response: this.error(405, 'MethodNotAllowed', 'not in this fake') };
  }

  private error(status: number, code: string, message: string) {
    return httpResponse(status, { 'content-type': 'application/xml' }, s3ErrorXml(code, message));
  }

  private getObject(key: string, versionId: string | undefined) {
    const versions = this.objects.get(key) ?? [];
    const found = versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
    if (!found) {
      return versionId === undefined
        ? this.error(404, 'NoSuchKey', 'The specified key does not exist.')
        : this.error(404, 'NoSuchVersion', 'The specified version does not exist.');
    }
    if (found.deleteMarker) return this.error(404, 'NoSuchKey', 'The specified key does not exist.');
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(found.bytes!.byteLength),
      etag: `"${found.etag}"`,
      'last-modified': found.lastModified.toUTCString(),
    };
    if (this.options.versioning) headers['x-amz-version-id'] = found.versionId;
    return httpResponse(200, headers, found.bytes!);
  }

  private async putObject(key: string, request: FakeRequest) {
    const content = await bodyBytes(request.body);
    const versions = this.objects.get(key) ?? [];
    const current = versions[0];
    if (request.headers['if-none-match'] === '*' && current && !current.deleteMarker) {
      return this.error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    }
    const etag = createHash('md5').update(content).digest('hex');
    const version: FakeVersion = { versionId: this.newVersionId(), bytes: content, etag, lastModified: this.tick() };
    if (this.options.versioning) versions.unshift(version);
    else versions.splice(0, versions.length, version);
    this.objects.set(key, versions);
    const headers: Record<string, string> = { etag: `"${etag}"` };
    if (this.options.versioning) headers['x-amz-version-id'] = version.versionId;
    return httpResponse(200, headers);
  }

  private listVersions(query: Record<string, string | string[] | null>) {
    const prefix = (query.prefix as string | undefined) ?? '';
    const keyMarker = query['key-marker'] as string | undefined;
    const versionMarker = query['version-id-marker'] as string | undefined;
    const all = [...this.objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .flatMap((k) => this.objects.get(k)!.map((v, i) => ({ key: k, v, latest: i === 0 })));
    const start = keyMarker ? all.findIndex((e) => e.key === keyMarker && e.v.versionId === versionMarker) + 1 : 0;
    const page = all.slice(start, start + this.options.pageSize);
    const truncated = start + page.length < all.length;
    const last = page.at(-1);
    const entries = page.map(({ key, v, latest }) =>
      v.deleteMarker
        ? `<DeleteMarker><Key>${xml(key)}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified></DeleteMarker>`
        : `<Version><Key>${xml(key)}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>&quot;${v.etag}&quot;</ETag><Size>${v.bytes!.byteLength}</Size><StorageClass>STANDARD</StorageClass></Version>`,
    );
    const next =
      truncated && last
        ? `<NextKeyMarker>${xml(last.key)}</NextKeyMarker><NextVersionIdMarker>${last.v.versionId}</NextVersionIdMarker>`
        : '';
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${this.bucket}</Name><Prefix>${xml(prefix)}</Prefix><MaxKeys>${this.options.pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${entries.join('')}</ListVersionsResult>`;
    return httpResponse(200, { 'content-type': 'application/xml' }, body);
  }
}

objectStoreContract(
  'S3Store, versioned (fake versioned S3 at the HTTP layer)',
  async () => new S3Store({ client: new FakeVersionedBucket('data').client(), bucket: 'data' }),
  { conditionalWrites: true, versionHistory: true },
);

describe('S3Store in versioned mode', () => {
  it('reads a version with the versionId parameter and names content by version id', async () => {
    const fake = new FakeVersionedBucket('data');
    const store = new S3Store({ client: fake.client(), bucket: 'data' });
    const first = await store.put('inbox/demo/q3.xlsx', bytes('one'));
    await store.put('inbox/demo/q3.xlsx', bytes('two'));
    expect(first.version).toMatch(/^[A-Za-z0-9_-]{32}$/);
    fake.requests.length = 0;
    expect(text((await store.get('inbox/demo/q3.xlsx', first.version))?.bytes)).toBe('one');
    expect(fake.requests[0]?.query?.versionId).toBe(first.version);
    expect(await store.get('inbox/demo/q3.xlsx', 'AbsentVersionAbsentVersionAbsent')).toBeUndefined();
  });

  it('lists the latest version of each key across pages and leaves out deleted keys', async () => {
    const fake = new FakeVersionedBucket('data');
    const store = new S3Store({ client: fake.client(), bucket: 'data' });
    const latest: Record<string, string> = {};
    for (const [key, times] of [
      ['inbox/a/1.xlsx', 3],
      ['inbox/b/2.xlsx', 1],
      ['inbox/c/3.xlsx', 2],
    ] as const) {
      for (let i = 0; i < times; i++) latest[key] = (await store.put(key, bytes(`${key} ${i}`))).version;
    }
    await store.put('inbox/d/gone.xlsx', bytes('gone'));
    fake.deleteKey('inbox/d/gone.xlsx');

    const listed = await store.list('inbox/');
    expect(listed.map((o) => [o.key, o.version])).toEqual(Object.entries(latest));
    const pages = fake.requests.filter((r) => r.method === 'GET' && 'versions' in (r.query ?? {}));
    expect(pages.length).toBeGreaterThan(3); // 8 entries at 2 per page
    expect(await store.get('inbox/d/gone.xlsx')).toBeUndefined();
  });

  it('refuses to work on a bucket that returns no version ids (versioning off or suspended)', async () => {
    const fake = new FakeVersionedBucket('data', { versioning: false, pageSize: 2 });
    const store = new S3Store({ client: fake.client(), bucket: 'data' });
    const err = await store.put('inbox/a/1.xlsx', bytes('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/versioning must be enabled on data/);
  });
});

describe('S3Store error mapping (canned S3 responses)', () => {
  function cannedStore(status: number, code: string, message = code): { store: S3Store; calls: () => number } {
    let calls = 0;
    const client = new S3Client({
      endpoint: 'http://fake-s3.test',
      region: 'eu-north-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
      maxAttempts: 1,
      requestHandler: {
        handle: async () => {
          calls++;
          return {
            response: httpResponse(status, { 'content-type': 'application/xml' }, s3ErrorXml(code, message)),
          };
        },
      } as never,
    });
    return { store: new S3Store({ client, bucket: 'data' }), calls: () => calls };
  }

  it('maps 412 PreconditionFailed on a create-only write to AlreadyExistsError', async () => {
    const { store } = cannedStore(412, 'PreconditionFailed');
    const err = await store.put('deliveries/2025-Q3/r1/x.json', bytes('x'), { ifNoneMatch: true }).catch((e) => e);
    expect(err).toBeInstanceOf(AlreadyExistsError);
    expect((err as AlreadyExistsError).key).toBe('deliveries/2025-Q3/r1/x.json');
  });

  it('maps 409 ConditionalRequestConflict (a concurrent conditional write) to AlreadyExistsError', async () => {
    const { store } = cannedStore(409, 'ConditionalRequestConflict');
    await expect(store.put('a.json', bytes('x'), { ifNoneMatch: true })).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('keeps a 412 on a plain write a StoreError (no condition was asked for)', async () => {
    const { store } = cannedStore(412, 'PreconditionFailed');
    await expect(store.put('a.json', bytes('x'))).rejects.toBeInstanceOf(StoreError);
  });

  it('turns server faults into a StoreError carrying the SDK error as its cause', async () => {
    const { store } = cannedStore(500, 'InternalError', 'We encountered an internal error.');
    const err = (await store.put('a.json', bytes('x')).catch((e) => e)) as StoreError;
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toBe('cannot write s3://data/a.json');
    expect((err.cause as Error).name).toBe('InternalError');
    await expect(store.list('inbox/')).rejects.toBeInstanceOf(StoreError);
  });

  it('never reads 403 AccessDenied as "missing" (S3 answers 403 for absent keys without s3:ListBucket)', async () => {
    const { store } = cannedStore(403, 'AccessDenied', 'Access Denied');
    await expect(store.get('ingested/inbox/a/x.xlsx/v.json')).rejects.toBeInstanceOf(StoreError);
  });

  it('reads 404 NoSuchKey as undefined', async () => {
    const { store, calls } = cannedStore(404, 'NoSuchKey');
    expect(await store.get('nothing.json')).toBeUndefined();
    expect(calls()).toBe(1);
  });
});
