/**
 * The S3 presigned GET a checked download link redirects to (issue 18): one archived object, a few minutes, saved
 * under a readable name. Signed with the endpoint Lambda's own temporary credentials, which is fine because it is
 * minted fresh on each click; the link in the e-mail carries no credentials and outlives them (core/download-link.ts).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DownloadGate } from '../core/ports';

export class S3DownloadGate implements DownloadGate {
  constructor(private readonly options: { client: S3Client; bucket: string }) {}

  async presignGet(
    key: string,
    options: { expiresInSeconds: number; filename: string; contentType: string },
  ): Promise<string> {
    const ascii = options.filename.replace(/[^A-Za-z0-9._-]/g, '_');
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      // S3 answers with these headers, so the browser saves the file under its name, whatever the key looks like.
      ResponseContentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(options.filename)}`,
      ResponseContentType: options.contentType,
    });
    return getSignedUrl(this.options.client, command, { expiresIn: options.expiresInSeconds });
  }
}
