import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of {@link DataBucket}. */
export interface DataBucketProps {
  /** Where server access logs go. */
  readonly accessLogs: s3.IBucket;
}

/**
 * The working bucket: uploads (`inbox/`, `registry/`), what ingest makes of them, and the delivery ledgers.
 * Versioned because an upload's S3 version id is its identity in the lineage, and nothing here is ever deleted by
 * the system. Kept when the stack is deleted: the uploads are the sources auditors check reports against.
 */
export class DataBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'pmif-reports data bucket (uploads, submissions, ledgers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket and hour instead of one KMS request per object: cheaper, same protection.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'data/',
      targetObjectKeyFormat: s3.TargetObjectKeyFormat.partitionedPrefix(s3.PartitionDateSource.EVENT_TIME),
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
  }
}
