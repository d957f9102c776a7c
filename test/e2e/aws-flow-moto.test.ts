/**
 * The AWS flow (aws-flow-suite.ts) on moto's S3, with no stand-ins in the client: real versioning (uploads are named
 * by their version id), real `If-None-Match` (412 on a second create-only write) and the archive bucket with Object
 * Lock default retention, as the stack makes it. moto sends no bucket notifications to a test process, so the
 * harness raises the ObjectCreated event after each upload, carrying the version id S3 would put in it.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startMoto } from '../helpers/moto';
import { awsFlowSuite, type CreatedObject } from './aws-flow-suite';

awsFlowSuite({
  name: 'moto',
  async start({ data, archive }) {
    const moto = await startMoto([{ name: data }, { name: archive, objectLock: { mode: 'GOVERNANCE', years: 10 } }]);
    const uploader = moto.client();
    const listeners: ((object: CreatedObject) => void)[] = [];
    return {
      versioned: true,
      client: () => moto.client(),
      async put(bucket, key, body) {
        const res = await uploader.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        const versionId = res.VersionId ?? '';
        for (const listener of listeners) listener({ bucket, key, versionId });
        return versionId;
      },
      onCreated(listener) {
        listeners.push(listener);
      },
      stop: () => moto.stop(),
    };
  },
});
