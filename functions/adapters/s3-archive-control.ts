/**
 * Legal holds and presigned downloads on S3 (the AWS side of {@link ArchiveControl}). Holds are placed only where
 * Object Lock is on (the archive bucket, `reports/`); the data bucket keeps every upload version by versioning.
 */
import { GetObjectCommand, PutObjectLegalHoldCommand, type S3Client } from '@aws-sdk/client-s3';
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

  async presignGet(key: string, version: string, expiresInSeconds: number): Promise<string> {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
      throw new RangeError(`a presigned URL expires in 1 s to 7 days, not ${expiresInSeconds} s`);
    }
    const command = new GetObjectCommand({ Bucket: this.options.bucketFor(key), Key: key, ...this.versionId(version) });
    return getSignedUrl(this.options.client, command, { expiresIn: expiresInSeconds });
  }
}
