/**
 * The AWS flow (aws-flow-suite.ts) on s3rver, an in-process S3 REST server. What s3rver lacks, and its stand-ins:
 * it ignores `If-None-Match`, so the handlers' client answers conditional writes as S3 would
 * (`emulateConditionalWrites`); it keeps no versions, so versions are ETags (`versioned: false`). Its own
 * ObjectCreated events drive ingest. The same flow on moto, with none of these stand-ins: aws-flow-moto.test.ts.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { emulateConditionalWrites, startS3rver } from '../helpers/s3rver';
import { awsFlowSuite } from './aws-flow-suite';

awsFlowSuite({
  name: 's3rver',
  async start({ data, archive }) {
    const server = await startS3rver([data, archive]);
    const uploader = server.client();
    return {
      versioned: false,
      client() {
        const client = server.client();
        emulateConditionalWrites(client);
        return client;
      },
      async put(bucket, key, body) {
        const res = await uploader.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        return (res.ETag ?? '').replace(/"/g, '');
      },
      onCreated(listener) {
        server.server.on('event', (event: S3Event) => {
          for (const record of event.Records) {
            if (!record.eventName.startsWith('ObjectCreated')) continue;
            // s3rver reports the key as stored (not URL-encoded as S3 does): the harness encodes it.
            listener({ bucket: record.s3.bucket.name, key: record.s3.object.key });
          }
        });
      },
      stop: () => server.stop(),
    };
  },
});
