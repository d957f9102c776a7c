import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DATA } from '../storage-layout';
import { acknowledgePrefixWildcard } from './bucket-access';
import { PersonRole } from './person-role';

/** Properties of {@link CoordinatorUploadRole}. */
export interface CoordinatorUploadRoleProps {
  /** The project whose inbox folder this role may upload to (`[a-z0-9-]`). */
  readonly projectId: string;
  /** The data bucket and its key. */
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
  /** Who may assume the role (the coordinator's IAM user or federated role, or an account). */
  readonly assumedBy: iam.IPrincipal;
}

/**
 * What one project's coordinator may do: put workbooks into `inbox/<projectId>/`, nothing else. No read (not even
 * of their own uploads: receipts come by e-mail), no list, no delete, no other project's folder.
 */
export class CoordinatorUploadRole extends PersonRole {
  constructor(scope: Construct, id: string, props: CoordinatorUploadRoleProps) {
    const folder = `${DATA.inbox.prefix}${props.projectId}/`;
    super(scope, id, {
      assumedBy: props.assumedBy,
      description: `pmif-reports: coordinator of ${props.projectId} uploads submission workbooks to ${folder}`,
      output: {
        description: `Role the coordinator of ${props.projectId} assumes to upload to s3://<data bucket>/${folder}`,
      },
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.bucket.arnForObjects(`${folder}*`)] }),
    );
    // SSE-KMS uploads need a data key; uploads large enough for multipart (the AWS CLI switches at 8 MB) also need
    // kms:Decrypt to assemble the parts. Usable only through S3, and this role can read no object.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
      }),
    );
    acknowledgePrefixWildcard(
      this.role,
      props.bucket,
      `${folder}*`,
      `The coordinator of ${props.projectId} uploads workbooks of their choosing names into their own project folder ${folder}; the folder is the narrowest resource that covers them.`,
    );
  }
}
