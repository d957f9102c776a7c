import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ARCHIVE, DATA } from '../storage-layout';
import { acknowledgePrefixWildcard, grantBucketAccess } from './bucket-access';
import { PersonRole } from './person-role';
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
export class ArchiveHoldRole extends PersonRole {
  constructor(scope: Construct, id: string, props: ArchiveHoldRoleProps) {
    super(scope, id, {
      assumedBy: props.assumedBy,
      description: 'pmif-reports: audit administrators place and lift legal holds on archived reports',
      output: { description: 'Role for placing legal holds on reports', logicalId: 'ArchiveHoldRoleArn' },
    });
    // The revision's files, and the inputs and code it was made from (content-addressed, `blobs/`).
    const patterns = [`${ARCHIVE.reports.prefix}*`, `${ARCHIVE.blobs.prefix}*`];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObjectLegalHold', 's3:GetObjectLegalHold'],
        resources: patterns.map((p) => props.archive.bucket.arnForObjects(p)),
      }),
    );
    for (const [pattern, what] of [
      [patterns[0]!, ARCHIVE.reports],
      [patterns[1]!, ARCHIVE.blobs],
    ] as const)
      acknowledgePrefixWildcard(
        this.role,
        props.archive.bucket,
        pattern,
        `A legal hold may be needed on anything a revision is verified from (${what.holds}); the role can set or read the hold flag, and read, under ${what.prefix} only.`,
      );
    grantBucketAccess(this.role, 'The archive-hold role', {
      ...props.archive,
      read: [ARCHIVE.reports, ARCHIVE.blobs],
      readVersions: true,
      list: 'read-prefixes',
    });
    grantBucketAccess(this.role, 'The archive-hold role', {
      ...props.data,
      read: [DATA.registryVersions, DATA.submissions],
      readVersions: true,
      list: 'read-prefixes',
    });
  }
}
