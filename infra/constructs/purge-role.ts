import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DATA } from '../storage-layout';
import { acknowledgePrefixWildcard, grantBucketAccess } from './bucket-access';
import { PersonRole } from './person-role';
import type { EncryptedBucket } from './reader-roles';

/** Properties of {@link PurgeRole}. */
export interface PurgeRoleProps {
  readonly data: EncryptedBucket;
  /** Who may assume the role (the operators the account's administrators allow). */
  readonly assumedBy: iam.IPrincipal;
}

/**
 * The one deletion the system may make (docs/architecture.md §7): `pmif-reports purge-upload` removes an upload that
 * should never have been kept (personal data), with its rejection record and annotated copy, and leaves a purge record.
 * This role may delete object versions under `inbox/` and `rejections/` only — never a submission, a registry, a report
 * or the archive — and write under `purges/`. No function has it.
 */
export class PurgeRole extends PersonRole {
  constructor(scope: Construct, id: string, props: PurgeRoleProps) {
    super(scope, id, {
      assumedBy: props.assumedBy,
      description: 'pmif-reports: operators purge an upload that should never have been kept (purge-upload)',
      output: { description: 'Role for purge-upload, the one deletion the system may make', logicalId: 'PurgeRoleArn' },
    });
    const doomed = [DATA.inbox, DATA.rejections];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:DeleteObjectVersion'],
        resources: doomed.map((p) => props.data.bucket.arnForObjects(`${p.prefix}*`)),
      }),
    );
    for (const p of doomed) {
      acknowledgePrefixWildcard(
        this.role,
        props.data.bucket,
        `${p.prefix}*`,
        `An upload to purge may be any version under ${p.prefix} (${p.holds}); the role may delete versions there and nowhere else.`,
      );
    }
    grantBucketAccess(this.role, 'The purge role', {
      ...props.data,
      read: [DATA.inbox, DATA.rejections, DATA.purges],
      write: [DATA.purges],
      readVersions: true,
    });
  }
}
