/**
 * The S3 presigned POST the drop page uploads with: one exact key, one content type, a size range, a short life.
 * Signed with the endpoint Lambda's own (temporary) credentials, which is fine because it is minted fresh for each
 * upload and lives minutes; the link in the e-mail never carries credentials (see core/signed-link.ts).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { PresignedPost, UploadGate } from '../core/ports';

export class S3UploadGate implements UploadGate {
  constructor(private readonly options: { client: S3Client; bucket: string }) {}

  async presignPost(
    key: string,
    limits: { maxBytes: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedPost> {
    const post = await createPresignedPost(this.options.client, {
      Bucket: this.options.bucket,
      Key: key,
      // The SDK adds the exact-match conditions itself: `{ key }`, `{ bucket }` and one per field below.
      Conditions: [['content-length-range', 1, limits.maxBytes]],
      Fields: { 'Content-Type': limits.contentType, success_action_status: '201' },
      Expires: limits.expiresInSeconds,
    });
    return { url: post.url, fields: post.fields };
  }
}
