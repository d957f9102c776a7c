/**
 * `pmif:archiveTrail`: a CloudTrail trail of the archive bucket's data events, with its own encrypted, versioned,
 * expiring log bucket and file validation; absent by default. cdk-nag and the Control Tower rules find nothing
 * either way (the default synth, which has no trail, is checked in stack.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveBucket } from '../../infra/constructs/archive-bucket';
import type { ArchiveTrail } from '../../infra/constructs/archive-trail';
import type { LogKey } from '../../infra/constructs/log-key';
import { resourcesOf, type Synthesized, synthesize } from './synth';
import { flatten, logicalIdOf } from './template-helpers';

let synth: Synthesized;
const child = <T>(path: string) => synth.stack.node.findChild(path) as T;
const propsOf = <T>(id: string) => (synth.json.Resources[id]?.Properties ?? {}) as T;

beforeAll(() => {
  synth = synthesize({ 'pmif:archiveTrail': 'true', 'pmif:retentionYears': '10' }, { validateTemplate: false });
}, 300_000);

describe('the archive trail (pmif:archiveTrail=true)', () => {
  it('records every read and write of archived objects, and this region’s write management events', () => {
    const trails = resourcesOf(synth.json, 'AWS::CloudTrail::Trail');
    expect(trails).toHaveLength(1);
    const [, trail] = trails[0]!;
    expect(trail).toMatchObject({
      IsLogging: true,
      EnableLogFileValidation: true,
      IsMultiRegionTrail: false,
      IncludeGlobalServiceEvents: false,
    });
    // A generated name: a re-created stack never collides with the kept trail resources.
    expect(trail.TrailName).toBeUndefined();
    const archive = logicalIdOf(synth.stack, child<ArchiveBucket>('Archive').bucket);
    const selectors = trail.EventSelectors as Record<string, unknown>[];
    expect(selectors).toContainEqual({ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true });
    const data = selectors.find((s) => s.DataResources);
    expect(data).toMatchObject({ ReadWriteType: 'All', IncludeManagementEvents: false });
    const resources = data?.DataResources as { Type: string; Values: unknown[] }[];
    expect(resources.map((r) => r.Type)).toEqual(['AWS::S3::Object']);
    expect(resources[0]!.Values.map(flatten)).toEqual([`<${archive}.Arn>/`]);
  });

  it('writes to a bucket of its own: KMS with its own rotated key, versioned, TLS only, kept, expiring', () => {
    const { bucket, key } = child<ArchiveTrail>('ArchiveTrail');
    const bucketId = logicalIdOf(synth.stack, bucket);
    const keyId = logicalIdOf(synth.stack, key);
    const trail = resourcesOf(synth.json, 'AWS::CloudTrail::Trail')[0]![1];
    expect(trail.S3BucketName).toEqual({ Ref: bucketId });
    expect(flatten(trail.KMSKeyId)).toBe(`<${keyId}.Arn>`);
    expect(synth.json.Resources[bucketId]).toMatchObject({ DeletionPolicy: 'Retain' });
    const p = propsOf<Record<string, unknown>>(bucketId);
    expect(p.BucketName).toBeUndefined();
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(JSON.stringify(p.BucketEncryption)).toContain(keyId);
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const rules = (p.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    // Kept as long as the reports it speaks of (10 years here) and a month more.
    expect(rules).toContainEqual(
      expect.objectContaining({ Id: 'expire-trail-logs', ExpirationInDays: Math.ceil(10 * 365.25) + 31 }),
    );
    expect(propsOf<{ EnableKeyRotation: boolean }>(keyId).EnableKeyRotation).toBe(true);
    // Only CloudTrail of this account may have the key make data keys, for trails of this account.
    const statements = propsOf<{ KeyPolicy: { Statement: Record<string, unknown>[] } }>(keyId).KeyPolicy.Statement;
    const cloudTrail = statements.find((s) => s.Sid === 'AllowCloudTrailOfThisAccountToEncrypt');
    expect(cloudTrail).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    const like = (cloudTrail!.Condition as { StringLike: Record<string, unknown> }).StringLike;
    expect(flatten(like['kms:EncryptionContext:aws:cloudtrail:arn'])).toBe(
      'arn:<AWS::Partition>:cloudtrail:*:<AWS::AccountId>:trail/*',
    );
  });

  it('also sends the events to a log group with the stack’s retention and log key', () => {
    const trail = resourcesOf(synth.json, 'AWS::CloudTrail::Trail')[0]![1];
    const group = flatten(trail.CloudWatchLogsLogGroupArn).replace(/^<|\.Arn>$/g, '');
    const logKey = logicalIdOf(synth.stack, child<LogKey>('LogKey').key);
    expect(synth.json.Resources[group]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [logKey, 'Arn'] } },
    });
  });

  // The validation report lists only plugins with findings. buildReportingApp registers both for every synth; on
  // this one, before the trail had its log group, the Control Tower rules reported cloud_trail_cloud_watch_logs_enabled_check.
  it('leaves cdk-nag and the Control Tower rules with nothing to report', () => {
    const findings = synth.reports
      .filter((r) => r.pluginName !== 'Construct Annotations')
      .flatMap((r) => r.violations.map((v) => `${r.pluginName} ${v.ruleName}`));
    expect(findings).toEqual([]);
  });
});
