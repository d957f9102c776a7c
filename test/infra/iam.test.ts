/**
 * Least privilege, asserted on every identity policy in the template: first the negatives that must hold for every
 * role, then what each role may do, resource by resource.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../infra/config';
import type { ArchiveBucket } from '../../infra/constructs/archive-bucket';
import type { ArchiveHoldRole } from '../../infra/constructs/archive-hold-role';
import type { CoordinatorUploadRole } from '../../infra/constructs/coordinator-upload-role';
import type { DataBucket } from '../../infra/constructs/data-bucket';
import type { MailFeedback } from '../../infra/constructs/mail-feedback';
import type { AuditorReadRole, ManagerReadRole } from '../../infra/constructs/reader-roles';
import type { ReportFunction } from '../../infra/constructs/report-function';
import { type Synthesized, synthesize } from './synth';
import { identityStatementsByRole, logicalIdOf, type Statement } from './template-helpers';

let synth: Synthesized;
let byRole: Map<string, Statement[]>;
let data: string;
let archive: string;
let dataKey: string;
let archiveKey: string;

const child = <T>(path: string) => synth.stack.node.findChild(path) as T;
const roleId = (path: string) => logicalIdOf(synth.stack, child<{ role: object }>(path).role as never);
const allows = (role: string) => (byRole.get(role) ?? []).filter((s) => s.effect === 'Allow');
/** `action resource` pairs a role is allowed, for one service prefix, with bucket and key ids named. */
const grants = (role: string, service: string) =>
  allows(role)
    .flatMap((s) =>
      s.actions.filter((a) => a.startsWith(`${service}:`)).flatMap((a) => s.resources.map((r) => `${a} ${r}`)),
    )
    .map((g) =>
      g
        .replaceAll(`<${data}.Arn>`, 'data')
        .replaceAll(`<${archive}.Arn>`, 'archive')
        .replaceAll(`<${dataKey}.Arn>`, 'data-key')
        .replaceAll(`<${archiveKey}.Arn>`, 'archive-key'),
    )
    .sort();

const FUNCTION_ROLES = ['Ingest', 'Plan', 'RenderProject', 'Finish', 'Deliver', 'Remind', 'Transmission', 'Feedback'];

beforeAll(() => {
  // Template validation runs in stack.test.ts; here only the policies matter.
  synth = synthesize({ 'pmif:coordinatorProjects': 'riga-integration,valmiera-lang' }, { validateTemplate: false });
  byRole = identityStatementsByRole(synth.json);
  data = logicalIdOf(synth.stack, child<DataBucket>('Data').bucket);
  archive = logicalIdOf(synth.stack, child<ArchiveBucket>('Archive').bucket);
  dataKey = logicalIdOf(synth.stack, child<DataBucket>('Data').key);
  archiveKey = logicalIdOf(synth.stack, child<ArchiveBucket>('Archive').key);
});

describe('every role', () => {
  const allAllowed = () => [...byRole.values()].flat().filter((s) => s.effect === 'Allow');

  it('finds the roles and their policies', () => {
    expect(byRole.size).toBeGreaterThanOrEqual(16);
    for (const name of FUNCTION_ROLES) expect(allows(roleId(name)).length).toBeGreaterThan(3);
  });

  it('has no wildcard action at all, s3:* included', () => {
    const wild = allAllowed().flatMap((s) => s.actions.filter((a) => a.includes('*')).map((a) => `${s.source}: ${a}`));
    // The only service wildcard is CloudWatch's use of the alarm topic's key, which lives in a key policy, not here.
    expect(wild).toEqual([]);
  });

  it('cannot bypass, shorten or reconfigure retention, nor delete anything', () => {
    // s3:PutObjectRetention without the bypass can only extend a retention: asserted on its own below.
    const forbidden =
      /^s3:(BypassGovernanceRetention|PutBucketObjectLockConfiguration|DeleteObject.*|DeleteBucket.*|PutBucketPolicy|PutLifecycleConfiguration|PutBucketVersioning)$/;
    // The purge role's one deletion is asserted on its own below.
    const purge = roleId('Purge');
    const found = [...byRole.entries()]
      .filter(([role]) => role !== purge)
      .flatMap(([, statements]) => statements.filter((s) => s.effect === 'Allow'))
      .flatMap((s) => s.actions.filter((a) => forbidden.test(a)).map((a) => `${s.source}: ${a}`));
    expect(found).toEqual([]);
  });

  it('lets only the functions that archive inputs (generate finish, transmission) set a retention, and only on the archive blobs they reuse', () => {
    const setters = [...byRole.entries()].flatMap(([role, statements]) =>
      statements.filter((st) => st.effect === 'Allow' && st.actions.includes('s3:PutObjectRetention')).map(() => role),
    );
    expect([...new Set(setters)].sort()).toEqual([roleId('Finish'), roleId('Transmission')].sort());
    for (const role of ['Finish', 'Transmission'])
      expect(grants(roleId(role), 's3').filter((g) => g.startsWith('s3:PutObjectRetention'))).toEqual([
        's3:PutObjectRetention archive/blobs/*',
      ]);
  });

  it('lets only the purge role delete, and only upload and rejection versions in the data bucket', () => {
    const deleters = [...byRole.entries()]
      .filter(([, statements]) =>
        statements.some((s) => s.effect === 'Allow' && s.actions.some((a) => a.startsWith('s3:Delete'))),
      )
      .map(([role]) => role);
    expect(deleters).toEqual([roleId('Purge')]);
    expect(grants(roleId('Purge'), 's3')).toEqual(
      [
        's3:DeleteObjectVersion data/inbox/*',
        's3:DeleteObjectVersion data/rejections/*',
        's3:GetObject data/inbox/*',
        's3:GetObject data/purges/*',
        's3:GetObject data/rejections/*',
        's3:GetObjectVersion data/inbox/*',
        's3:GetObjectVersion data/purges/*',
        's3:GetObjectVersion data/rejections/*',
        's3:PutObject data/purges/*',
      ].sort(),
    );
    expect(synth.json.Resources[roleId('Purge')]?.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it('grants a legal hold only to the archive-hold role', () => {
    const holders = [...byRole.entries()]
      .filter(([, statements]) =>
        statements.some((s) => s.effect === 'Allow' && s.actions.includes('s3:PutObjectLegalHold')),
      )
      .map(([role]) => role);
    expect(holders).toEqual([logicalIdOf(synth.stack, child<ArchiveHoldRole>('ArchiveHold').role)]);
  });

  it('uses Resource "*" only for actions that have no resource-level permissions', () => {
    const unscoped = allAllowed()
      .filter((s) => s.resources.includes('*'))
      .flatMap((s) => s.actions);
    for (const action of unscoped)
      expect(action).toMatch(
        /^(xray:|logs:(Create|Get|Update|Delete|List)LogDelivery|logs:ListLogDeliveries|logs:PutResourcePolicy|logs:Describe)/,
      );
  });

  it('sends mail only from the From address, and only from the functions that mail people', () => {
    const senders = [...byRole.entries()].filter(([, st]) =>
      st.some((s) => s.actions.some((a) => a.startsWith('ses:'))),
    );
    expect(senders.map(([r]) => r).sort()).toEqual(
      [roleId('Ingest'), roleId('Deliver'), roleId('Remind'), roleId('Transmission')].sort(),
    );
    for (const [role] of senders) {
      const configurationSet = logicalIdOf(synth.stack, child<MailFeedback>('MailFeedback').configurationSet as never);
      expect(grants(role, 'ses')).toEqual(
        ['ses:SendEmail', 'ses:SendRawEmail'].flatMap((a) => [
          // The configuration set every mail goes out with (its bounces and complaints reach the ledger).
          `${a} arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSet}>`,
          // Every identity: in the sandbox SES checks each recipient's identity too.
          `${a} arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*`,
        ]),
      );
      const statements = (byRole.get(role) ?? []).filter((s) => s.actions.some((a) => a.startsWith('ses:')));
      for (const s of statements) {
        expect(s.condition).toEqual({
          StringEquals: { 'ses:FromAddress': DEFAULTS.placeholderIdentity, 'ses:ApiVersion': '2' },
        });
      }
    }
  });

  it('uses the bucket keys only through S3', () => {
    for (const s of [...byRole.values()].flat().filter((s) => s.actions.some((a) => a.startsWith('kms:')))) {
      expect(s.condition).toEqual({ StringEquals: { 'kms:ViaService': expect.anything() } });
    }
  });
});

describe('ingest', () => {
  it('reads uploads and its own records, and writes only submissions, rejections, receipts, registry versions and its mail ledger', () => {
    expect(grants(roleId('Ingest'), 's3')).toEqual(
      [
        ...['deliveries/*', 'inbox/*', 'ingested/*', 'pending/*', 'registry-versions/*', 'registry/*'].flatMap((p) => [
          `s3:GetObject data/${p}`,
          `s3:GetObjectVersion data/${p}`,
        ]),
        's3:ListBucket data',
        's3:ListBucketVersions data',
        ...['deliveries/*', 'ingested/*', 'pending/*', 'registry-versions/*', 'rejections/*', 'submissions/*'].map(
          (p) => `s3:PutObject data/${p}`,
        ),
      ].sort(),
    );
  });

  it('cannot touch the archive bucket or its key at all', () => {
    const statements = byRole.get(roleId('Ingest')) ?? [];
    for (const s of statements) {
      for (const r of s.resources) {
        expect(r).not.toContain(archive);
        expect(r).not.toContain(archiveKey);
      }
    }
  });

  it('cannot overwrite an upload', () => {
    expect(
      grants(roleId('Ingest'), 's3').filter(
        (g) => g.startsWith('s3:PutObject data/inbox') || g.startsWith('s3:PutObject data/registry/'),
      ),
    ).toEqual([]);
  });
});

describe('generate', () => {
  it.each(['Plan', 'RenderProject'])('%s reads the sources and writes only reports/ in the archive', (name) => {
    expect(grants(roleId(name), 's3')).toEqual(
      [
        's3:GetObject archive/reports/*',
        's3:GetObject data/registry-versions/*',
        's3:GetObject data/submissions/*',
        's3:ListBucket archive',
        's3:ListBucket data',
        's3:ListBucketVersions archive',
        's3:ListBucketVersions data',
        's3:PutObject archive/reports/*',
      ].sort(),
    );
    expect(grants(roleId(name), 'kms')).toEqual([
      'kms:Decrypt archive-key',
      'kms:Decrypt data-key',
      'kms:GenerateDataKey archive-key',
    ]);
  });

  it('Finish also copies the exact upload versions into blobs/, and may only extend retention there', () => {
    expect(grants(roleId('Finish'), 's3')).toEqual(
      [
        's3:GetObject archive/blobs/*',
        's3:GetObject archive/reports/*',
        's3:GetObject data/inbox/*',
        's3:GetObject data/registry-versions/*',
        's3:GetObject data/registry/*',
        's3:GetObject data/submissions/*',
        's3:GetObjectRetention archive/blobs/*',
        's3:GetObjectRetention archive/reports/*',
        's3:GetObjectVersion data/inbox/*',
        's3:GetObjectVersion data/registry-versions/*',
        's3:GetObjectVersion data/registry/*',
        's3:GetObjectVersion data/submissions/*',
        's3:ListBucket archive',
        's3:ListBucket data',
        's3:ListBucketVersions archive',
        's3:ListBucketVersions data',
        's3:PutObject archive/blobs/*',
        's3:PutObject archive/reports/*',
        's3:PutObjectRetention archive/blobs/*',
      ].sort(),
    );
    const all = allows(roleId('Finish')).flatMap((st) => st.actions);
    expect(all).not.toContain('s3:BypassGovernanceRetention');
    expect(grants(roleId('Finish'), 'kms')).toEqual([
      'kms:Decrypt archive-key',
      'kms:Decrypt data-key',
      'kms:GenerateDataKey archive-key',
    ]);
  });
});

describe('mail feedback', () => {
  it('reads and rewrites only the mail ledger, and can neither send mail nor touch the archive', () => {
    expect(grants(roleId('Feedback'), 's3')).toEqual(
      [
        's3:GetObject data/deliveries/*',
        's3:ListBucket data',
        's3:ListBucketVersions data',
        's3:PutObject data/deliveries/*',
      ].sort(),
    );
    expect(grants(roleId('Feedback'), 'kms')).toEqual(['kms:Decrypt data-key', 'kms:GenerateDataKey data-key']);
    expect(grants(roleId('Feedback'), 'ses')).toEqual([]);
  });
});

describe('deliver and remind', () => {
  it('deliver reads reports and sources, and writes only its ledger', () => {
    expect(grants(roleId('Deliver'), 's3')).toEqual(
      [
        's3:GetObject archive/reports/*',
        's3:GetObject data/deliveries/*',
        's3:GetObject data/registry-versions/*',
        's3:GetObject data/submissions/*',
        's3:ListBucket archive',
        's3:ListBucket data',
        's3:ListBucketVersions archive',
        's3:ListBucketVersions data',
        's3:PutObject data/deliveries/*',
      ].sort(),
    );
  });

  it('remind reads the registry and submissions, writes only its ledger, and has no archive access', () => {
    expect(grants(roleId('Remind'), 's3')).toEqual(
      [
        's3:GetObject data/deliveries/*',
        's3:GetObject data/registry-versions/*',
        's3:GetObject data/submissions/*',
        's3:ListBucket data',
        's3:ListBucketVersions data',
        's3:PutObject data/deliveries/*',
      ].sort(),
    );
  });
});

describe('transmission', () => {
  it('reads the registry, submissions and its ledger, writes its ledger, transmissions/ and the blobs of its inputs and code', () => {
    expect(grants(roleId('Transmission'), 's3')).toEqual(
      [
        's3:GetObject archive/blobs/*',
        's3:GetObject archive/transmissions/*',
        's3:GetObject data/deliveries/*',
        // The exact upload versions and registry workbooks it was made from, copied into blobs/.
        's3:GetObject data/inbox/*',
        's3:GetObject data/registry-versions/*',
        's3:GetObject data/registry/*',
        's3:GetObject data/submissions/*',
        's3:GetObjectRetention archive/blobs/*',
        's3:GetObjectRetention archive/transmissions/*',
        's3:GetObjectVersion data/inbox/*',
        's3:GetObjectVersion data/registry/*',
        's3:ListBucket archive',
        's3:ListBucket data',
        's3:ListBucketVersions archive',
        's3:ListBucketVersions data',
        's3:PutObject archive/blobs/*',
        's3:PutObject archive/transmissions/*',
        's3:PutObject data/deliveries/*',
        's3:PutObjectRetention archive/blobs/*',
      ].sort(),
    );
    expect(allows(roleId('Transmission')).flatMap((st) => st.actions)).not.toContain('s3:BypassGovernanceRetention');
    expect(grants(roleId('Transmission'), 'kms')).toEqual([
      'kms:Decrypt archive-key',
      'kms:Decrypt data-key',
      'kms:GenerateDataKey archive-key',
      'kms:GenerateDataKey data-key',
    ]);
  });
});

describe('people', () => {
  it('gives each listed project a coordinator role that can only upload into its own inbox folder', () => {
    for (const projectId of ['riga-integration', 'valmiera-lang']) {
      const role = logicalIdOf(synth.stack, child<CoordinatorUploadRole>(`Coordinator-${projectId}`).role);
      expect(grants(role, 's3')).toEqual([`s3:PutObject data/inbox/${projectId}/*`]);
      expect(grants(role, 'kms')).toEqual(['kms:Decrypt data-key', 'kms:GenerateDataKey data-key']);
      expect(
        allows(role)
          .flatMap((s) => s.actions)
          .every((a) => a.startsWith('s3:') || a.startsWith('kms:')),
      ).toBe(true);
      // Trusted: this account's root by default, i.e. principals the account's administrators allow to assume it.
      expect(synth.json.Resources[role]?.Properties?.AssumeRolePolicyDocument).toMatchObject({
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: expect.anything() } }],
      });
    }
  });

  it('lets managers read reports and transmissions only', () => {
    const role = logicalIdOf(synth.stack, child<ManagerReadRole>('Managers').role);
    expect(grants(role, 's3')).toEqual([
      's3:GetObject archive/reports/*',
      's3:GetObject archive/transmissions/*',
      's3:ListBucket archive',
    ]);
    expect(grants(role, 'kms')).toEqual(['kms:Decrypt archive-key']);
  });

  it('lets auditors read, only read, reports, transmissions, their sources and archived code, every version', () => {
    const role = logicalIdOf(synth.stack, child<AuditorReadRole>('Auditors').role);
    const s3 = grants(role, 's3');
    for (const g of s3) expect(g).toMatch(/^s3:(Get|List)/);
    const readable = new Set(s3.filter((g) => g.startsWith('s3:GetObjectVersion ')).map((g) => g.split(' ')[1]));
    expect([...readable].sort()).toEqual(
      [
        'archive/blobs/*',
        'archive/reports/*',
        'archive/transmissions/*',
        'data/inbox/*',
        'data/registry-versions/*',
        'data/registry/*',
        'data/submissions/*',
      ].sort(),
    );
    expect(s3).toContain('s3:GetObjectRetention archive/reports/*');
    expect(s3).toContain('s3:GetObjectRetention archive/transmissions/*');
    expect(grants(role, 'kms')).toEqual(['kms:Decrypt archive-key', 'kms:Decrypt data-key']);
    const listPrefixes = allows(role)
      .filter((s) => s.actions.includes('s3:ListBucket'))
      .map((s) => (s.condition as { StringLike: { 's3:prefix': string[] } }).StringLike['s3:prefix']);
    expect(listPrefixes.flat().sort()).toEqual(
      [
        'blobs/',
        'blobs/*',
        'inbox/',
        'inbox/*',
        'registry-versions/',
        'registry-versions/*',
        'registry/',
        'registry/*',
        'reports/',
        'reports/*',
        'submissions/',
        'submissions/*',
        'transmissions/',
        'transmissions/*',
      ].sort(),
    );
  });

  it('lets the archive-hold role set legal holds, and otherwise only read what the hold command reads', () => {
    const role = logicalIdOf(synth.stack, child<ArchiveHoldRole>('ArchiveHold').role);
    expect(grants(role, 's3')).toEqual(
      [
        's3:GetObject archive/blobs/*',
        's3:GetObject archive/reports/*',
        's3:GetObject data/registry-versions/*',
        's3:GetObject data/submissions/*',
        's3:GetObjectLegalHold archive/blobs/*',
        's3:GetObjectLegalHold archive/reports/*',
        's3:GetObjectVersion archive/blobs/*',
        's3:GetObjectVersion archive/reports/*',
        's3:GetObjectVersion data/registry-versions/*',
        's3:GetObjectVersion data/submissions/*',
        's3:ListBucket archive',
        's3:ListBucket data',
        's3:ListBucketVersions archive',
        's3:ListBucketVersions data',
        's3:PutObjectLegalHold archive/blobs/*',
        's3:PutObjectLegalHold archive/reports/*',
      ].sort(),
    );
    expect(grants(role, 'kms')).toEqual(['kms:Decrypt archive-key', 'kms:Decrypt data-key']);
  });
});

describe('function roles', () => {
  it('start from nothing: no managed policies, logs only to their own group', () => {
    for (const name of FUNCTION_ROLES) {
      const fn = child<ReportFunction>(name);
      const role = logicalIdOf(synth.stack, fn.role);
      expect(synth.json.Resources[role]?.Properties?.ManagedPolicyArns).toBeUndefined();
      expect(grants(role, 'logs')).toEqual([
        `logs:CreateLogStream <${logicalIdOf(synth.stack, fn.logGroup)}.Arn>`,
        `logs:PutLogEvents <${logicalIdOf(synth.stack, fn.logGroup)}.Arn>`,
      ]);
    }
  });
});
