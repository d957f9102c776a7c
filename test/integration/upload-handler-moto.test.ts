/**
 * The upload endpoint's Lambda handler as it runs on AWS, against moto (S3 and Secrets Manager) and the SES test
 * server: link keys from the secret's AWSCURRENT/AWSPREVIOUS versions, a presigned POST for one key, the upload
 * ingested as the bucket event would, the verdict. moto does not enforce presigned-POST policies, so the policy
 * document itself is asserted: exact key, exact content type, the size range, a short expiry.
 */
import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noMetrics } from '../../functions/adapters/lambda-logger';
import { fixedClock } from '../../functions/adapters/system-clock';
import { ingestObject } from '../../functions/app/ingest';
import { loadRegistryInForce } from '../../functions/app/registry-store';
import { uploadLinkFor } from '../../functions/app/upload-links';
import { type AwsRuntime, createAwsRuntime } from '../../functions/aws/deps';
import { XLSX_CONTENT_TYPE } from '../../functions/core/cells';
import { signDownloadLink } from '../../functions/core/download-link';
import { signUploadLink } from '../../functions/core/upload-link';
import { createUploadHandler } from '../../functions/upload/handler';
import { type RunningMoto, startMoto } from '../helpers/moto';
import { type RunningSesServer, startSesServer } from '../helpers/ses-server';
import { type SmallProgramme, smallProgramme } from '../helpers/small-programme';

const DATA = 'pmif-data';
const ARCHIVE = 'pmif-archive';
const SECRET = 'pmif-link-keys';
const NOW = new Date('2025-10-10T03:00:00Z');
let moto: RunningMoto;
let ses: RunningSesServer;
let secrets: SecretsManagerClient;
let runtime: AwsRuntime;
let handler: ReturnType<typeof createUploadHandler>;
let programme: SmallProgramme;

function event(method: string, path: string, query: Record<string, string>, body?: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    requestContext: { http: { method, path } } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

function newRuntime(): AwsRuntime {
  return createAwsRuntime('upload', {
    env: {
      DATA_BUCKET: DATA,
      ARCHIVE_BUCKET: ARCHIVE,
      MAIL_FROM: 'PMIF <noreply@pmif.example.lv>',
      UPLOAD_PAGE_URL: 'https://abc123.lambda-url.eu-north-1.on.aws/',
      LINK_KEY_SECRET: SECRET,
    },
    overrides: {
      s3Client: moto.client(),
      sesClient: ses.client(),
      secretsClient: secrets,
      clock: fixedClock(NOW),
      metrics: noMetrics,
    },
  });
}

async function inbox(): Promise<string[]> {
  const out = await moto.client().send(new ListObjectsV2Command({ Bucket: DATA, Prefix: 'inbox/' }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

async function link(project: string, period: string): Promise<string> {
  const registry = await loadRegistryInForce(runtime.deps.store);
  return new URL((await uploadLinkFor(runtime.deps, registry, project, period))!).searchParams.get('t')!;
}

beforeAll(async () => {
  [moto, ses, programme] = await Promise.all([
    startMoto([{ name: DATA }, { name: ARCHIVE, objectLock: { mode: 'GOVERNANCE', years: 1 } }]),
    startSesServer(),
    smallProgramme(['2025-Q3']),
  ]);
  secrets = new SecretsManagerClient({
    endpoint: moto.endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await secrets.send(new CreateSecretCommand({ Name: SECRET, SecretString: randomBytes(48).toString('base64') }));
  runtime = newRuntime();
  handler = createUploadHandler(runtime, { s3Client: moto.client(), region: 'eu-north-1' });
  await runtime.deps.store.put(programme.registry.key, programme.registry.bytes);
  expect((await ingestObject(runtime.deps, programme.registry.key)).status).toBe('accepted');
});

afterAll(async () => {
  secrets?.destroy();
  await Promise.all([moto?.stop(), ses?.stop()]);
});

describe('upload endpoint handler on moto', () => {
  it('serves the page and a presigned POST whose policy allows one key, xlsx only, up to 10 MB, for 15 minutes', async () => {
    const token = await link('pmlp-reception', '2025-Q3');
    const page = await handler(event('GET', '/upload', { t: token }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('pmlp-reception');
    expect(String(page.headers?.['content-security-policy'])).toContain(`https://${DATA}.s3.eu-north-1.amazonaws.com`);

    const bytes = programme.submissions.find((s) => s.key === 'inbox/pmlp-reception/2025-Q3.xlsx')!.bytes;
    const res = await handler(
      event('POST', '/api/uploads', { t: token }, JSON.stringify({ name: 'Q3.xlsx', size: bytes.byteLength })),
    );
    expect(res.statusCode).toBe(200);
    const permit = JSON.parse(res.body!) as {
      post: { url: string; fields: Record<string, string> };
      verdictToken: string;
    };
    const key = permit.post.fields.key!;
    expect(key).toMatch(/^inbox\/pmlp-reception\/2025-Q3--\d{8}T\d{6}Z-[a-z0-9]+--Q3\.xlsx$/);

    const policy = JSON.parse(Buffer.from(permit.post.fields.Policy!, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual({ key });
    expect(policy.conditions).toContainEqual({ bucket: DATA });
    expect(policy.conditions).toContainEqual({ 'Content-Type': XLSX_CONTENT_TYPE });
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 10_000_000]);
    // Nothing lets the browser choose another key or type: no starts-with condition at all.
    expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
    const life = Date.parse(policy.expiration) - Date.now();
    expect(life).toBeGreaterThan(0);
    expect(life).toBeLessThanOrEqual(15 * 60 * 1000);

    // The browser's POST, as the page sends it (fields first, the file last).
    const form = new FormData();
    for (const [k, v] of Object.entries(permit.post.fields)) form.append(k, v);
    form.append('file', new Blob([bytes], { type: XLSX_CONTENT_TYPE }), 'Q3.xlsx');
    const posted = await fetch(permit.post.url, { method: 'POST', body: form });
    expect(posted.status).toBe(201);
    expect(await inbox()).toContain(key);

    // The bucket notification invokes ingest; then the page's poll sees the verdict.
    const waiting = JSON.parse((await handler(event('GET', '/api/verdict', { v: permit.verdictToken }))).body!);
    expect(waiting.status).toBe('waiting');
    expect((await ingestObject(runtime.deps, key)).status).toBe('accepted');
    const verdict = JSON.parse((await handler(event('GET', '/api/verdict', { v: permit.verdictToken }))).body!);
    expect(verdict).toMatchObject({
      status: 'accepted',
      project: 'pmlp-reception',
      period: '2025-Q3',
      deadline: '2025-10-15',
    });
    // The receipt e-mail carries the next link, to the Function URL.
    const mails = await ses.mails();
    expect(JSON.stringify(mails.at(-1))).toContain('https://abc123.lambda-url.eu-north-1.on.aws/upload?t=');
  });

  it('returns the pre-filled template as a base64 body', async () => {
    const res = await handler(event('GET', '/api/template', { t: await link('one-stop-shop', '2025-Q3') }));
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(true);
    expect(Buffer.from(res.body!, 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses expired and altered links with a page, and hands out no POST', async () => {
    const before = await inbox();
    const ring = await runtime.deps.links!.keys.keyRing();
    const expired = signUploadLink(ring, { project: 'pmlp-reception', period: '2025-Q3' }, new Date('2025-10-01'));
    const good = await link('pmlp-reception', '2025-Q3');
    const altered = good.replace(/.(?=\.)/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const [token, status] of [
      [expired, 410],
      [altered, 403],
    ] as const) {
      const page = await handler(event('GET', '/upload', { t: token }));
      expect(page.statusCode).toBe(status);
      expect(page.body).toContain('role="alert"');
      const permit = await handler(
        event('POST', '/api/uploads', { t: token }, JSON.stringify({ name: 'a.xlsx', size: 10 })),
      );
      expect(permit.statusCode).toBe(status);
      expect(permit.body).not.toContain('Policy');
    }
    expect(await inbox()).toEqual(before);
  });

  it('keeps links through a rotation (AWSPREVIOUS) and ends them when that stage is removed', async () => {
    const old = await link('pmlp-reception', '2025-Q3');
    await secrets.send(
      new PutSecretValueCommand({ SecretId: SECRET, SecretString: randomBytes(48).toString('base64') }),
    );
    // A new container (the key cache is per container) sees both versions.
    const rotated = createUploadHandler(newRuntime(), { s3Client: moto.client(), region: 'eu-north-1' });
    expect((await rotated(event('GET', '/upload', { t: old }))).statusCode).toBe(200);
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: SECRET }));
    const previous = Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) =>
      stages.includes('AWSPREVIOUS'),
    )![0];
    await secrets.send(
      new UpdateSecretVersionStageCommand({
        SecretId: SECRET,
        VersionStage: 'AWSPREVIOUS',
        RemoveFromVersionId: previous,
      }),
    );
    const revoked = createUploadHandler(newRuntime(), { s3Client: moto.client(), region: 'eu-north-1' });
    expect((await revoked(event('GET', '/upload', { t: old }))).statusCode).toBe(403);
  });
});

describe('download links on moto (issue 18)', () => {
  const PDF = 'reports/2025-Q3/r1/pmlp-reception.en.pdf';
  const XLSX = 'reports/2025-Q3/r1/pmlp-reception.en.xlsx';
  const OTHER = 'reports/2025-Q3/r1/programme.en.pdf';

  it('redirects to a 5-minute presigned GET of exactly the named object, whose bytes are the archived ones', async () => {
    const pdf = randomBytes(4096);
    for (const [key, bytes] of [
      [PDF, pdf],
      [XLSX, randomBytes(100)],
      [OTHER, randomBytes(100)],
    ] as const) {
      await runtime.deps.store.put(key, bytes);
    }
    const ring = await runtime.deps.links!.keys.keyRing();
    const token = signDownloadLink(ring, [PDF, XLSX], new Date(NOW.getTime() + 86_400_000));
    const res = await handler(event('GET', '/download', { t: token, k: PDF }));
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers?.location));
    // Archive bucket, that key, signed for minutes by the function's own credentials; no token in it.
    expect(location.pathname).toBe(`/${ARCHIVE}/${PDF}`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(location.searchParams.get('response-content-disposition')).toContain('2025-Q3-r1-pmlp-reception.en.pdf');
    const got = await fetch(location);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(pdf)).toBe(true);

    // The programme report is in the same bucket and prefix: the token does not name it, so nothing is signed.
    const other = await handler(event('GET', '/download', { t: token, k: OTHER }));
    expect(other.statusCode).toBe(403);
    expect(other.headers?.location).toBeUndefined();
  });
});
