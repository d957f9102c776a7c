import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureBucketProps } from './secure-bucket';

/** Properties of {@link ArchiveTrail}. */
export interface ArchiveTrailProps {
  /** The bucket whose object-level operations are recorded. */
  readonly archive: s3.IBucket;
  /** Where the trail bucket's own server access logs go. */
  readonly accessLogs: s3.IBucket;
  /** How long the trail's log files are kept: as long as the reports they speak of (the stack passes that). */
  readonly retention: Duration;
  /** The trail's events are also sent to a log group (searchable at once), kept and encrypted like the others. */
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
}

/**
 * A CloudTrail trail of the archive bucket's data events (`pmif:archiveTrail`): every read, write and deletion
 * attempt of an archived object, with who made it, beyond what S3 server access logs (best-effort, no request
 * outcome guarantees) give an auditor. Also this account's write management events in this region, which record a
 * change to the archive's bucket policy or Object Lock settings. The log files go to a bucket of their own, encrypted
 * with a key of their own, with digest files (log file validation) so that a deleted or altered log file shows.
 * The events also go to a CloudWatch log group, where an operator can search them within minutes (the files in
 * S3 are the lasting record). Its name is generated, like every other retained resource's, so a re-created stack
 * never collides with it.
 */
export class ArchiveTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ArchiveTrailProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { description: 'pmif-reports archive trail', enableKeyRotation: true });
    // CloudTrail encrypts each log file with a data key of this key; only trails of this account may ask for one.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailOfThisAccountToEncrypt',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*`,
          },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
      }),
    );
    const base = secureBucketProps(this.key, props.accessLogs, 'archive-trail/');
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...base,
      lifecycleRules: [
        ...(base.lifecycleRules ?? []),
        { id: 'expire-trail-logs', expiration: props.retention, noncurrentVersionExpiration: Duration.days(30) },
      ],
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: this.key,
      enableFileValidation: true,
      // The archive is in this region; global services (IAM, STS) are recorded by the account's own trail, if any.
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      managementEvents: cloudtrail.ReadWriteType.WRITE_ONLY,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: new logs.LogGroup(this, 'Logs', {
        retention: props.logRetention,
        encryptionKey: props.logKey,
      }),
    });
    this.trail.addS3EventSelector([{ bucket: props.archive }], {
      readWriteType: cloudtrail.ReadWriteType.ALL,
      includeManagementEvents: false,
    });
  }
}
