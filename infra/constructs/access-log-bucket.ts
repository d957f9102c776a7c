import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /**
   * How long access logs are kept. They record who downloaded which report, which auditors may ask about as long
   * as the reports themselves are kept, so the stack passes the archive's retention.
   */
  readonly retention: Duration;
}

/**
 * The target of the data and archive buckets' server access logs. S3 cannot deliver access logs to a bucket
 * encrypted with a customer managed key, so this one uses SSE-S3; it holds request metadata (keys, requesters,
 * times), not report content.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: props.retention, noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket itself; logging its own requests into itself would log the log deliveries.',
    });
  }
}
