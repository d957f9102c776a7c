/**
 * Legal holds, retention and presigned downloads on S3 (the AWS side of {@link ArchiveControl}). Holds are placed
 * only where Object Lock is on (the archive bucket: `reports/`, `transmissions/`, `blobs/`); the data bucket keeps
 * every upload version by versioning.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type ArchiveControl, MAX_PRESIGN_SECONDS, StoreError } from '../core/ports';

export { MAX_PRESIGN_SECONDS };

/** Options of {@link S3ArchiveControl}. */
export interface S3ArchiveControlOptions {
  client: S3Client;
  /** The bucket that holds a key (the same routing as the store's). */
  bucketFor: (key: string) => string;
  /** Key prefixes whose bucket has Object Lock enabled: only these can be held. */
  lockedPrefixes: readonly string[];
  /**
   * Whether the buckets keep versions (default `true`). Versions are then S3 version ids and name the exact object
   * version to hold or sign; without versioning (a test server) a version is an ETag and the current object is used.
   */
  versioned?: boolean;
}

export class S3ArchiveControl implements ArchiveControl {
  private readonly versioned: boolean;

  constructor(private readonly options: S3ArchiveControlOptions) {
    this.versioned = options.versioned ?? true;
  }

  private versionId(version: string): { VersionId?: string } {
    return this.versioned ? { VersionId: version } : {};
  }

  canHold(key: string): boolean {
    return this.options.lockedPrefixes.some((prefix) => key.startsWith(prefix));
  }

  async hold(key: string, version: string): Promise<void> {
    const bucket = this.options.bucketFor(key);
    if (!this.canHold(key)) throw new StoreError(`s3://${bucket}/${key} is not in an Object Lock bucket`);
    try {
      await this.options.client.send(
        new PutObjectLegalHoldCommand({
          Bucket: bucket,
          Key: key,
          ...this.versionId(version),
          LegalHold: { Status: 'ON' },
        }),
      );
    } catch (err) {
      throw new StoreError(`cannot place a legal hold on s3://${bucket}/${key}`, { cause: err });
    }
  }

  private versionOf(version: string | undefined): { VersionId?: string } {
    return version === undefined ? {} : this.versionId(version);
  }

  async retainUntil(key: string, version?: string): Promise<Date | null> {
    return (await this.retention(key, version))?.until ?? null;
  }

  /**
   * An object's retention, from its headers: HEAD returns them (with `s3:GetObjectRetention`, which the roles
   * that read retention have), and moto, which has no GetObjectRetention, answers HEAD as S3 does.
   */
  private async retention(key: string, version?: string): Promise<{ mode?: string; until: Date } | null> {
    const bucket = this.options.bucketFor(key);
    if (!this.canHold(key)) return null;
    try {
      const out = await this.options.client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, ...this.versionOf(version) }),
      );
      const until = out.ObjectLockRetainUntilDate;
      return until ? { ...(out.ObjectLockMode ? { mode: out.ObjectLockMode } : {}), until } : null;
    } catch (err) {
      throw new StoreError(`cannot read the retention of s3://${bucket}/${key}`, { cause: err });
    }
  }

  /**
   * Retained at least until `until`: only ever later, in the mode the object has (the bucket default's, GOVERNANCE
   * or COMPLIANCE): S3 lets retention be extended in either mode without `s3:BypassGovernanceRetention`, which no
   * function is granted, and refuses a shorter date.
   */
  async extendRetention(key: string, until: Date, version?: string): Promise<void> {
    const bucket = this.options.bucketFor(key);
    if (!this.canHold(key)) throw new StoreError(`s3://${bucket}/${key} is not in an Object Lock bucket`);
    const current = await this.retention(key, version);
    if (current && current.until >= until) return;
    try {
      await this.options.client.send(
        new PutObjectRetentionCommand({
          Bucket: bucket,
          Key: key,
          ...this.versionOf(version),
          Retention: { Mode: current?.mode === 'COMPLIANCE' ? 'COMPLIANCE' : 'GOVERNANCE', RetainUntilDate: until },
        }),
      );
    } catch (err) {
      // Another writer (a period generated at the same time reusing the blob) may have extended it further between
      // the read above and this write; S3 then refuses the shorter date. Already retained long enough is done.
      const now = await this.retention(key, version);
      if (now && now.until >= until) return;
      throw new StoreError(`cannot extend the retention of s3://${bucket}/${key}`, { cause: err });
    }
  }

  async presignGet(key: string, version: string, expiresInSeconds: number): Promise<string> {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
      throw new RangeError(`a presigned URL expires in 1 s to 7 days, not ${expiresInSeconds} s`);
    }
    const command = new GetObjectCommand({ Bucket: this.options.bucketFor(key), Key: key, ...this.versionId(version) });
    return getSignedUrl(this.options.client, command, { expiresIn: expiresInSeconds });
  }
}
