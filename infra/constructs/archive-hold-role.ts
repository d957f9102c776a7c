import { CfnOutput } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ARCHIVE, DATA } from '../storage-layout';
import { acknowledgePrefixWildcard, grantBucketAccess } from './bucket-access';
import type { EncryptedBucket } from './reader-roles';

/** Properties of {@link ArchiveHoldRole}. */
export interface ArchiveHoldRoleProps {
  readonly archive: EncryptedBucket;
  readonly data: EncryptedBucket;
  /** Who may assume the role (the audit authority's administrators). */
  readonly assumedBy: iam.IPrincipal;
}

/**
 * The only role that may change anything about a report's lock: it may place and lift a legal hold, which keeps a
 * report beyond its retention while an audit or dispute is open. It can neither shorten retention
 * (`s3:PutObjectRetention`, `s3:BypassGovernanceRetention`) nor delete or write a report. It reads what
 * `pmif-reports archive hold` reads to find a revision's files and sources (the plan or manifest, the records).
 */
export class ArchiveHoldRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ArchiveHoldRoleProps) {
    super(scope, id);
    const pattern = `${ARCHIVE.reports.prefix}*`;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: props.assumedBy,
      description: 'pmif-reports: audit administrators place and lift legal holds on archived reports',
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObjectLegalHold', 's3:GetObjectLegalHold'],
        resources: [props.archive.bucket.arnForObjects(pattern)],
      }),
    );
    acknowledgePrefixWildcard(
      this.role,
      props.archive.bucket,
      pattern,
      `A legal hold may be needed on any archived report (${ARCHIVE.reports.holds}); the role can set or read the hold flag, and read, under ${ARCHIVE.reports.prefix} only.`,
    );
    grantBucketAccess(this.role, 'The archive-hold role', {
      ...props.archive,
      read: [ARCHIVE.reports],
      readVersions: true,
      list: 'read-prefixes',
    });
    grantBucketAccess(this.role, 'The archive-hold role', {
      ...props.data,
      read: [DATA.registryVersions, DATA.submissions],
      readVersions: true,
      list: 'read-prefixes',
    });
    new CfnOutput(this, 'RoleArn', {
      description: 'Role for placing legal holds on reports',
      value: this.role.roleArn,
    }).overrideLogicalId('ArchiveHoldRoleArn');
  }
}
