import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ARCHIVE, DATA } from '../storage-layout';
import { grantBucketAccess } from './bucket-access';
import { PersonRole } from './person-role';

/** A bucket and its key. */
export interface EncryptedBucket {
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
}

/** Properties of {@link ManagerReadRole}. */
export interface ManagerReadRoleProps {
  readonly archive: EncryptedBucket;
  /** Who may assume the role. */
  readonly assumedBy: iam.IPrincipal;
}

/**
 * Managers read the archived reports and Art. 42 transmissions (every period, cut-off and revision); they get
 * them by e-mail as well, and send the transmission on to the Commission.
 */
export class ManagerReadRole extends PersonRole {
  constructor(scope: Construct, id: string, props: ManagerReadRoleProps) {
    super(scope, id, {
      assumedBy: props.assumedBy,
      description: 'pmif-reports: managers read archived reports and transmissions',
      output: { description: 'Role managers assume to read reports/ and transmissions/', logicalId: 'ManagersRoleArn' },
    });
    grantBucketAccess(this.role, 'The managers role', {
      ...props.archive,
      read: [ARCHIVE.reports, ARCHIVE.transmissions],
      list: 'read-prefixes',
    });
  }
}

/** Properties of {@link AuditorReadRole}. */
export interface AuditorReadRoleProps {
  readonly archive: EncryptedBucket;
  readonly data: EncryptedBucket;
  /** Who may assume the role. */
  readonly assumedBy: iam.IPrincipal;
}

/**
 * Auditors read, and only read: the archived reports and Art. 42 transmissions, and the sources they were built from (the uploaded
 * workbooks, the registry and its normalised versions, the normalised submissions), every version of each, with
 * retention, legal-hold and checksum metadata; and the archive's content-addressed copies of the sources and of the
 * code that made each revision (`blobs/`), which is what `verify` re-renders a report with.
 */
export class AuditorReadRole extends PersonRole {
  constructor(scope: Construct, id: string, props: AuditorReadRoleProps) {
    super(scope, id, {
      assumedBy: props.assumedBy,
      description: 'pmif-reports: auditors read reports, transmissions and their sources (read-only)',
      output: { description: 'Role auditors assume (read-only)', logicalId: 'AuditorsRoleArn' },
    });
    grantBucketAccess(this.role, 'The auditors role', {
      ...props.archive,
      // blobs/: the inputs and code each revision is verified from (docs/audit.md).
      read: [ARCHIVE.reports, ARCHIVE.transmissions, ARCHIVE.blobs],
      readVersions: true,
      auditMetadata: true,
      list: 'read-prefixes',
    });
    grantBucketAccess(this.role, 'The auditors role', {
      ...props.data,
      read: [DATA.inbox, DATA.registry, DATA.registryVersions, DATA.submissions],
      readVersions: true,
      auditMetadata: true,
      list: 'read-prefixes',
    });
  }
}
