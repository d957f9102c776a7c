import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { RetentionMode } from '../config';
import { secureBucketProps } from './secure-bucket';

/** Properties of {@link ArchiveBucket}. */
export interface ArchiveBucketProps {
  /** Where server access logs go: they are the record of who downloaded which report. */
  readonly accessLogs: s3.IBucket;
  /**
   * Object Lock mode of the default retention. GOVERNANCE lets a principal with `s3:BypassGovernanceRetention`
   * shorten it (this bucket's policy denies that to everyone, see below); COMPLIANCE lets nobody, not even root.
   */
  readonly retentionMode: RetentionMode;
  /** Default retention of every report object, in years. */
  readonly retentionYears: number;
}

/**
 * The report archive (`reports/`): every revision of every report, its plan and its manifest, under Object Lock so
 * that what an auditor downloads years later is what was delivered. Retained when the stack is deleted.
 */
export class ArchiveBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'pmif-reports report archive (Object Lock)',
      enableKeyRotation: true,
      // Deleting this key would make the locked reports unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps(this.key, props.accessLogs, 'archive/'),
      objectLockEnabled: true,
    });
    // Set on the L1 in years: the L2 turns a Duration into days, and 3650 days fall two or three days short of
    // ten calendar years.
    (this.bucket.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: props.retentionMode, years: props.retentionYears } },
    };
    // No principal may bypass governance retention, whatever its IAM policies say. Removing this statement is a
    // bucket-policy change, visible in CloudTrail: the deliberate break-glass path.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyRetentionBypass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:BypassGovernanceRetention'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
  }
}
