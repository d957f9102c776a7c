/**
 * Prefix-scoped S3 access, written out action by action. The `grant*` helpers of aws-cdk-lib hand out wildcard
 * actions (`s3:GetObject*`, `s3:DeleteObject*`, `s3:Abort*`, `kms:ReEncrypt*`), which is wider than any role here
 * needs and wider than the tests allow; these statements name each action and each prefix.
 *
 * A grant on `prefix/*` is a wildcard resource to cdk-nag (AwsSolutions-IAM5). Each one is acknowledged here, on the
 * role, with its exact finding id and a reason that says which keys the prefix holds and why nothing narrower works.
 */
import { Aws, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { StoragePrefix } from '../storage-layout';

/** What one principal may do in one bucket. */
export interface BucketAccess {
  readonly bucket: s3.IBucket;
  /** The bucket's customer managed key (SSE-KMS). */
  readonly key: kms.IKey;
  /** Prefixes it may read (`s3:GetObject`). */
  readonly read?: readonly StoragePrefix[];
  /** Prefixes it may create objects under (`s3:PutObject`; no delete, no retention, no ACLs). */
  readonly write?: readonly StoragePrefix[];
  /** Also read a given version of an object (`s3:GetObjectVersion`), e.g. the exact upload an event names. */
  readonly readVersions?: boolean;
  /** Also read what auditors check about an object: retention, legal hold, checksums and sizes. */
  readonly auditMetadata?: boolean;
  /** Prefixes whose objects' Object Lock retention it may read (`s3:GetObjectRetention`). */
  readonly readRetention?: readonly StoragePrefix[];
  /**
   * Prefixes whose objects' retention it may set (`s3:PutObjectRetention`). Without `s3:BypassGovernanceRetention`,
   * which no role here has, S3 allows only extending it, never shortening.
   */
  readonly extendRetention?: readonly StoragePrefix[];
  /**
   * `true`: list the whole bucket, versions included. Functions need it: without `s3:ListBucket`, S3 answers a GET
   * of a missing key with 403 instead of 404, and "not there yet" is how the idempotency checks read; the S3 store
   * lists with ListObjectVersions (`s3:ListBucketVersions`) to learn each key's version id. `'read-prefixes'`: list
   * only under the readable prefixes (people's roles).
   */
  readonly list?: true | 'read-prefixes';
}

const AUDIT_METADATA_ACTIONS = [
  's3:GetObjectAttributes',
  's3:GetObjectVersionAttributes',
  's3:GetObjectRetention',
  's3:GetObjectLegalHold',
];

/** The flattened form cdk-nag gives an object ARN under a prefix: `<LogicalId.Arn>/prefix/*`. */
export function nagObjectResource(bucket: s3.IBucket, pattern: string): string {
  const cfn = bucket.node.defaultChild as CfnElement | undefined;
  if (!cfn) throw new Error(`bucket ${bucket.node.path} has no CloudFormation resource to name in an acknowledgement`);
  return `<${Stack.of(bucket).getLogicalId(cfn)}.Arn>/${pattern}`;
}

const acknowledged = new WeakMap<iam.IRole, Set<string>>();

/** Acknowledge cdk-nag's wildcard-resource finding for `bucket/pattern` on `scope`, once per scope. */
export function acknowledgePrefixWildcard(scope: iam.IRole, bucket: s3.IBucket, pattern: string, reason: string): void {
  const id = `AwsSolutions-IAM5[Resource::${nagObjectResource(bucket, pattern)}]`;
  const done = acknowledged.get(scope) ?? new Set<string>();
  if (done.has(id)) return;
  done.add(id);
  acknowledged.set(scope, done);
  Validations.of(scope).acknowledge({ id, reason });
}

/** Keys may only be used through S3 in this region, not for direct encrypt/decrypt calls. */
function viaS3(): Record<string, unknown> {
  return { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } };
}

/**
 * Give `role` exactly the access described, as statements in its default policy, and acknowledge each prefix
 * wildcard. `who` names the role in the reasons ("The ingest function").
 */
export function grantBucketAccess(role: iam.IRole, who: string, access: BucketAccess): void {
  const { bucket, key } = access;
  const read = access.read ?? [];
  const write = access.write ?? [];
  const uses = new Map<string, string[]>();
  const use = (p: StoragePrefix, verb: string) => uses.set(p.prefix, [...(uses.get(p.prefix) ?? []), verb]);

  if (read.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          's3:GetObject',
          ...(access.readVersions ? ['s3:GetObjectVersion'] : []),
          ...(access.auditMetadata ? AUDIT_METADATA_ACTIONS : []),
        ],
        resources: read.map((p) => bucket.arnForObjects(`${p.prefix}*`)),
      }),
    );
    for (const p of read) use(p, 'reads');
  }
  if (write.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: write.map((p) => bucket.arnForObjects(`${p.prefix}*`)),
      }),
    );
    for (const p of write) use(p, 'writes');
  }
  const readRetention = access.readRetention ?? [];
  const extendRetention = access.extendRetention ?? [];
  if (readRetention.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObjectRetention'],
        resources: readRetention.map((p) => bucket.arnForObjects(`${p.prefix}*`)),
      }),
    );
    for (const p of readRetention) use(p, 'reads the retention of');
  }
  if (extendRetention.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObjectRetention'],
        resources: extendRetention.map((p) => bucket.arnForObjects(`${p.prefix}*`)),
      }),
    );
    for (const p of extendRetention) use(p, 'extends the retention of');
  }
  if (access.list === true) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [bucket.bucketArn] }),
    );
  } else if (access.list === 'read-prefixes' && read.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket', ...(access.readVersions ? ['s3:ListBucketVersions'] : [])],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': read.flatMap((p) => [p.prefix, `${p.prefix}*`]) } },
      }),
    );
  }
  const kmsActions = [
    ...(read.length > 0 ? ['kms:Decrypt'] : []),
    ...(write.length > 0 ? ['kms:GenerateDataKey'] : []),
  ];
  if (kmsActions.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: kmsActions, resources: [key.keyArn], conditions: viaS3() }),
    );
  }

  const holds = new Map([...read, ...write, ...readRetention, ...extendRetention].map((p) => [p.prefix, p.holds]));
  for (const [prefix, verbs] of uses) {
    acknowledgePrefixWildcard(
      role,
      bucket,
      `${prefix}*`,
      `${who} ${verbs.join(' and ')} objects under ${prefix} (${holds.get(prefix)}). Their keys are made at run time ` +
        'from periods, project ids and S3 version ids, so the prefix is the narrowest resource that covers them.',
    );
  }
}
