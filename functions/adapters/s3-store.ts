/**
 * The AWS runtime's store (docs/architecture.md §3): one S3 bucket behind the {@link ObjectStore} port. Create-only writes are
 * S3 conditional writes (`If-None-Match: *`), so "already exists" is decided by S3, not by a read before the write.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  AlreadyExistsError,
  type ObjectInfo,
  type ObjectPurger,
  type ObjectStore,
  type PutOptions,
  type StoredObject,
  StoreError,
} from '../core/ports';

/** Options of {@link S3Store}. */
export interface S3StoreOptions {
  /** A client with the SDK's defaults in production (request checksums on: Object Lock uploads need them). */
  client: S3Client;
  bucket: string;
  /**
   * Whether the bucket keeps versions (default `true`: both buckets of the stack do). A versioned store names
   * content by its S3 version id and refuses to work on a bucket that returns none (versioning off or suspended
   * would make two uploads of one key share the version `null`). An unversioned store (a test server without
   * versioning) names content by its ETag, which identifies the bytes.
   */
  versioned?: boolean;
}

interface SdkErrorLike {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function errorName(err: unknown): string {
  const e = err as SdkErrorLike | undefined;
  return e?.name ?? e?.Code ?? '';
}

function httpStatus(err: unknown): number | undefined {
  return (err as SdkErrorLike | undefined)?.$metadata?.httpStatusCode;
}

/**
 * "No such object (version)". Asked for a version, S3 answers 404 NoSuchVersion for an unknown id, 400
 * InvalidArgument for a malformed one and 405 for a delete marker: none of them is content to return.
 */
function isMissing(err: unknown, askedForVersion: boolean): boolean {
  const name = errorName(err);
  const status = httpStatus(err);
  if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion' || status === 404) return true;
  return askedForVersion && (name === 'InvalidArgument' || status === 400 || status === 405);
}

/**
 * A conditional write lost: 412 PreconditionFailed (the key exists) or 409 ConditionalRequestConflict (another
 * conditional write of the key is in flight). Both mean someone else is doing this write: "already done".
 */
function isConditionFailed(err: unknown): boolean {
  const name = errorName(err);
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || httpStatus(err) === 412;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** One S3 bucket as an {@link ObjectStore}. */
export class S3Store implements ObjectStore, ObjectPurger {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly versioned: boolean;

  constructor(options: S3StoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.versioned = options.versioned ?? true;
  }

  private where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private versionOf(key: string, versionId: string | undefined, etag: string | undefined): string {
    if (this.versioned) {
      if (!versionId || versionId === 'null') {
        throw new StoreError(`${this.where(key)} has no version id: versioning must be enabled on ${this.bucket}`);
      }
      return versionId;
    }
    if (!etag) throw new StoreError(`${this.where(key)} has no ETag`);
    return etag.replace(/"/g, '');
  }

  /** Deletes one object version for good (no delete marker): only the purge role is allowed to. */
  async deleteVersion(key: string, version: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: key, ...(this.versioned ? { VersionId: version } : {}) }),
      );
    } catch (err) {
      throw new StoreError(`cannot delete ${this.where(key)} version ${version}`, { cause: err });
    }
  }

  async get(key: string, version?: string): Promise<StoredObject | undefined> {
    const askedForVersion = version !== undefined;
    let bytes: Uint8Array;
    let current: string;
    let lastModified: Date | undefined;
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(this.versioned && askedForVersion ? { VersionId: version } : {}),
        }),
      );
      if (!res.Body) throw new Error('GetObject returned no body');
      bytes = await res.Body.transformToByteArray();
      current = this.versionOf(key, res.VersionId, res.ETag);
      lastModified = res.LastModified;
    } catch (err) {
      if (err instanceof StoreError) throw err;
      if (isMissing(err, askedForVersion)) return undefined;
      throw new StoreError(`cannot read ${this.where(key)}`, { cause: err });
    }
    // Without versioning only the current content exists: another version of it is "not here".
    if (askedForVersion && current !== version) return undefined;
    if (!lastModified) throw new StoreError(`${this.where(key)} has no Last-Modified time`);
    return { key, bytes, version: current, lastModified };
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<{ version: string }> {
    let res: { VersionId?: string; ETag?: string };
    try {
      res = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ...(options.contentType ? { ContentType: options.contentType } : {}),
          ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        }),
      );
    } catch (err) {
      if (options.ifNoneMatch && isConditionFailed(err)) throw new AlreadyExistsError(key);
      throw new StoreError(`cannot write ${this.where(key)}`, { cause: err });
    }
    return { version: this.versionOf(key, res.VersionId, res.ETag) };
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    try {
      const out = this.versioned ? await this.listLatestVersions(prefix) : await this.listObjects(prefix);
      return out.sort(byKey);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot list ${this.where(prefix)}`, { cause: err });
    }
  }

  private async listObjects(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        out.push({
          key: o.Key,
          version: this.versionOf(o.Key, undefined, o.ETag),
          size: o.Size ?? 0,
          lastModified: o.LastModified ?? new Date(0),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /**
   * ListObjectsV2 carries no version ids, so a versioned store lists versions and keeps the latest of each key.
   * A key whose latest version is a delete marker has no latest entry among the versions: it is gone.
   */
  private async listLatestVersions(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
          ...(versionMarker !== undefined ? { VersionIdMarker: versionMarker } : {}),
        }),
      );
      for (const v of page.Versions ?? []) {
        if (!v.IsLatest || v.Key === undefined) continue;
        out.push({
          key: v.Key,
          version: this.versionOf(v.Key, v.VersionId, v.ETag),
          size: v.Size ?? 0,
          lastModified: v.LastModified ?? new Date(0),
        });
      }
      const more = page.IsTruncated === true;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return out;
  }
}
