import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureBucketProps } from './secure-bucket';

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
      ...secureBucketProps(this.key, props.accessLogs, 'data/'),
    });
  }
}
