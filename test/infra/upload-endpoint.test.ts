/**
 * The upload endpoint as synthesised: a public Function URL (the signed link is the authorisation), throttled; the
 * bucket's CORS lets the Function URL's pages POST and nothing else; the mailing functions know the page's URL
 * and may read the link key; the endpoint's role may create objects only under inbox/; no cycle (synth succeeds).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveBucket } from '../../infra/constructs/archive-bucket';
import type { DataBucket } from '../../infra/constructs/data-bucket';
import type { ReportFunction } from '../../infra/constructs/report-function';
import { UPLOAD_ENDPOINT_CONCURRENCY, type UploadEndpoint } from '../../infra/constructs/upload-endpoint';
import { DISABLED_CONTROL_TOWER_RULES } from '../../infra/reporting-app';
import { ENV } from '../../infra/storage-layout';
import { resourcesOf, type Synthesized, synthesize } from './synth';
import { identityStatementsByRole, logicalIdOf } from './template-helpers';

let synth: Synthesized;
let endpoint: UploadEndpoint;

beforeAll(() => {
  synth = synthesize({}, { validateTemplate: false });
  endpoint = synth.stack.node.findChild('Uploads') as UploadEndpoint;
});

const fnId = (f: ReportFunction) => logicalIdOf(synth.stack, f.fn as never);

describe('upload endpoint', () => {
  it('is one Function URL, public, buffered, on a throttled function', () => {
    const urls = resourcesOf(synth.json, 'AWS::Lambda::Url');
    expect(urls).toHaveLength(1);
    const [, url] = urls[0]!;
    expect(url.AuthType).toBe('NONE');
    expect(url.TargetFunctionArn).toEqual({ 'Fn::GetAtt': [fnId(endpoint.function), 'Arn'] });
    const fn = synth.json.Resources[fnId(endpoint.function)]!.Properties!;
    expect(fn.ReservedConcurrentExecutions).toBe(UPLOAD_ENDPOINT_CONCURRENCY);
    expect((fn.Environment as { Variables: Record<string, unknown> }).Variables[ENV.linkKeySecret]).toBeDefined();
  });

  it('lets pages on Function URLs of the region POST to the data bucket, and nothing else', () => {
    const data = synth.stack.node.findChild('Data') as DataBucket;
    const bucket = synth.json.Resources[logicalIdOf(synth.stack, data.bucket as never)]!.Properties!;
    const rules = (bucket.CorsConfiguration as { CorsRules: Record<string, unknown>[] }).CorsRules;
    expect(rules).toHaveLength(1);
    expect(rules[0]!.AllowedMethods).toEqual(['POST']);
    expect(JSON.stringify(rules[0]!.AllowedOrigins)).toMatch(/https:\/\/\*\.lambda-url\..*\.on\.aws/);
  });

  it('gives the mailing functions the page URL and the link key', () => {
    for (const name of ['Ingest', 'Remind']) {
      const f = synth.stack.node.findChild(name) as ReportFunction;
      const vars = (synth.json.Resources[fnId(f)]!.Properties!.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(vars[ENV.uploadPageUrl]).toEqual({
        'Fn::GetAtt': [logicalIdOf(synth.stack, endpoint.url as never), 'FunctionUrl'],
      });
      expect(vars[ENV.linkKeySecret]).toEqual({ Ref: logicalIdOf(synth.stack, endpoint.linkKeys as never) });
    }
  });

  it("may create objects only under inbox/ and read only the one upload's records, the registry and the key", () => {
    const statements = identityStatementsByRole(synth.json).get(
      logicalIdOf(synth.stack, endpoint.function.role as never),
    )!;
    const s3 = statements
      .filter((s) => s.effect === 'Allow')
      .flatMap((s) => s.actions.filter((a) => a.startsWith('s3:')).flatMap((a) => s.resources.map((r) => `${a} ${r}`)));
    const puts = s3.filter((g) => g.startsWith('s3:PutObject '));
    expect(puts.length).toBe(1);
    expect(puts[0]).toMatch(/\/inbox\/\*$/);
    expect(s3.some((g) => /s3:(Delete|PutObjectRetention|PutBucket)/.test(g))).toBe(false);
    const secrets = statements.flatMap((s) => s.actions.filter((a) => a.startsWith('secretsmanager:')));
    expect(secrets.sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
  });

  it('gives deliver the page URL, the link key and the archive retention for download and revision links', () => {
    const deliver = synth.stack.node.findChild('Deliver') as ReportFunction;
    const vars = (
      synth.json.Resources[fnId(deliver)]!.Properties!.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(vars[ENV.uploadPageUrl]).toEqual({
      'Fn::GetAtt': [logicalIdOf(synth.stack, endpoint.url as never), 'FunctionUrl'],
    });
    expect(vars[ENV.linkKeySecret]).toEqual({ Ref: logicalIdOf(synth.stack, endpoint.linkKeys as never) });
    // The stack's default Object Lock retention (docs/deploy.md): auditors' revision links live as long.
    expect(vars[ENV.archiveRetentionYears]).toBe('10');
  });

  it('may read in the archive only reports/ (reports and manifests), and write nothing there', () => {
    const statements = identityStatementsByRole(synth.json).get(
      logicalIdOf(synth.stack, endpoint.function.role as never),
    )!;
    const archive = synth.stack.node.findChild('Archive') as ArchiveBucket;
    const archiveId = logicalIdOf(synth.stack, archive.bucket as never);
    const onArchive = statements
      .filter((s) => s.effect === 'Allow')
      .flatMap((s) =>
        s.actions
          .filter((a) => a.startsWith('s3:'))
          .flatMap((a) => s.resources.filter((r) => r.includes(archiveId)).map((r) => `${a} ${r}`)),
      );
    expect(onArchive).toEqual([`s3:GetObject <${archiveId}.Arn>/reports/*`]);
  });

  it('names a reason for each Control Tower rule the public URL trips', () => {
    expect(DISABLED_CONTROL_TOWER_RULES['ct-lambda-pr-2']).toMatch(/signed|token/);
    expect(DISABLED_CONTROL_TOWER_RULES['ct-lambda-pr-5']).toMatch(/AuthType NONE/);
    const failures = synth.reports.filter((r) => r.conclusion === 'failure');
    expect(failures.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
  });
});
