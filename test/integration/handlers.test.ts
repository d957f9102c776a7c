/**
 * The Lambda entry points as Lambda calls them: S3 event keys decoded (`+` and %-encoding, S3 notifications and
 * EventBridge), every record processed when some fail, the failure rethrown at the end; configuration validated
 * whole; invocation inputs checked; Powertools logs and EMF metrics on stdout.
 */
import type { Context, S3Event } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaTelemetry } from '../../functions/adapters/lambda-logger';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { RevisionPlan } from '../../functions/app/generate';
import { type AwsConfig, ConfigError, readConfig } from '../../functions/aws/config';
import type { AwsRuntime } from '../../functions/aws/deps';
import { BadEventError, decodeEventKey, eventRecords, RecordsFailedError } from '../../functions/aws/s3-event';
import { METRIC, METRICS_NAMESPACE, type MetricName } from '../../functions/core/metric-names';
import {
  type LogFields,
  type Logger,
  type ObjectInfo,
  type ObjectStore,
  type StoredObject,
  StoreError,
} from '../../functions/core/ports';
import { createDeliverHandler } from '../../functions/deliver/handler';
import { createGenerateHandlers } from '../../functions/generate/handler';
import { createIngestHandler, handler as ingestLambda } from '../../functions/ingest/handler';
import { createRemindHandler } from '../../functions/remind/handler';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const CONFIG: AwsConfig = {
  dataBucket: 'pmif-data',
  archiveBucket: 'pmif-archive',
  mailFrom: 'noreply@pmif.example.lv',
  logLevel: 'INFO',
};

/** A store that has nothing, except keys that fail: records what was asked for. */
class RecordingStore implements ObjectStore {
  readonly gets: string[] = [];
  constructor(private readonly failing: Set<string> = new Set()) {}
  async get(key: string): Promise<StoredObject | undefined> {
    this.gets.push(key);
    if (this.failing.has(key)) throw new StoreError(`cannot read s3://pmif-data/${key}`);
    return undefined;
  }
  async put(): Promise<{ version: string }> {
    throw new Error('not expected');
  }
  async list(): Promise<ObjectInfo[]> {
    return [];
  }
}

function recordingLogger(): Logger & { lines: { level: string; event: string; fields: LogFields }[] } {
  const lines: { level: string; event: string; fields: LogFields }[] = [];
  const at =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      lines.push({ level, event, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

function testRuntime(store: ObjectStore) {
  const log = recordingLogger();
  const counts: Partial<Record<MetricName, number>> = {};
  let published = 0;
  const runtime: AwsRuntime = {
    config: CONFIG,
    deps: {
      store,
      mailer: { send: async () => ({ messageId: 'x' }) },
      clock: fixedClock(new Date('2025-10-16T03:00:00Z')),
      log,
      mailFrom: CONFIG.mailFrom,
    },
    metrics: {
      // Zero counts are not published, as LambdaMetrics does.
      count: (name, value = 1) => {
        if (value > 0) counts[name] = (counts[name] ?? 0) + value;
      },
      publish: () => {
        published++;
      },
    },
    async invoke(_context, work) {
      try {
        return await work();
      } finally {
        runtime.metrics.publish();
      }
    },
  };
  return { runtime, log, counts, published: () => published };
}

/** An S3 notification as S3 sends it: keys URL-encoded, spaces as `+`. */
function s3Event(records: { bucket?: string; key: string }[]): S3Event {
  return {
    Records: records.map(({ bucket = CONFIG.dataBucket, key }) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-north-1',
      eventTime: '2025-10-10T08:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:TEST' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'ingest',
        bucket: { name: bucket, ownerIdentity: { principalId: 'O' }, arn: `arn:aws:s3:::${bucket}` },
        object: { key, size: 10, eTag: 'e', versionId: 'v1', sequencer: '01' },
      },
    })),
  };
}

describe('S3 event keys', () => {
  it('decodes + as a space and %-escapes, including an encoded + and Latvian letters', () => {
    expect(decodeEventKey('inbox/valoda-riga/Ceturksnis+3.xlsx')).toBe('inbox/valoda-riga/Ceturksnis 3.xlsx');
    expect(decodeEventKey('inbox/valoda-riga/Q3%2Blabots.xlsx')).toBe('inbox/valoda-riga/Q3+labots.xlsx');
    expect(decodeEventKey('inbox/valoda-riga/p%C4%81rskats+%282%29.xlsx')).toBe('inbox/valoda-riga/pārskats (2).xlsx');
  });

  it('reads every record of an S3 notification, with the version, and flags unreadable ones in place', () => {
    const event = s3Event([
      { key: 'registry/Registrs+2025.xlsx' },
      { key: 'inbox/a/%E0%A4%A.xlsx' },
      { key: 'inbox/b/x.xlsx' },
    ]);
    expect(eventRecords(event)).toEqual([
      { index: 0, object: { bucket: 'pmif-data', key: 'registry/Registrs 2025.xlsx', versionId: 'v1' } },
      { index: 1, problem: 'the object key is not valid URL encoding' },
      { index: 2, object: { bucket: 'pmif-data', key: 'inbox/b/x.xlsx', versionId: 'v1' } },
    ]);
  });

  it('reads an EventBridge "Object Created" event', () => {
    const event = {
      version: '0',
      id: 'e',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '111122223333',
      time: '2025-10-10T08:00:00Z',
      region: 'eu-north-1',
      resources: ['arn:aws:s3:::pmif-data'],
      detail: {
        version: '0',
        bucket: { name: 'pmif-data' },
        object: {
          key: 'inbox/a/Q3+atskaite.xlsx',
          size: 5,
          etag: 'e',
          'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
          sequencer: '1',
        },
        'request-id': 'r',
        requester: '1',
        'source-ip-address': '1.2.3.4',
        reason: 'PutObject',
      },
    };
    expect(eventRecords(event)).toEqual([
      {
        index: 0,
        object: { bucket: 'pmif-data', key: 'inbox/a/Q3 atskaite.xlsx', versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e' },
      },
    ]);
  });

  it('refuses what is not an S3 object event', () => {
    expect(() => eventRecords({ hello: 'world' })).toThrow(BadEventError);
    expect(() => eventRecords(null)).toThrow(BadEventError);
  });
});

describe('ingest handler', () => {
  it("takes an operator's reprocess of one upload version, and refuses a malformed one", async () => {
    const store = new RecordingStore();
    const { runtime } = testRuntime(store);
    const summary = await createIngestHandler(runtime)({
      reprocess: { key: 'inbox/valoda-riga/Q3.xlsx', version: 'v7' },
    });
    expect(store.gets).toEqual(['inbox/valoda-riga/Q3.xlsx']);
    expect(summary.results).toEqual([
      { record: 0, key: 'inbox/valoda-riga/Q3.xlsx', status: 'skipped', reason: 'not-found' },
    ]);
    await expect(createIngestHandler(runtime)({ reprocess: { key: 7 } } as never)).rejects.toThrow(BadEventError);
  });

  it("re-examines every pending upload on the daily schedule's event", async () => {
    const store = new RecordingStore();
    const pending = {
      schemaVersion: 1,
      kind: 'pending',
      source: { key: 'inbox/valoda-riga/2026-Q1.xlsx', version: 'v3', sha256: 'x', bytes: 1, uploadedAt: '2025-12-20' },
    };
    (store as { list: (prefix: string) => Promise<ObjectInfo[]> }).list = async (prefix: string) =>
      prefix === 'pending/'
        ? [{ key: 'pending/valoda-riga/v3.json', version: '1', size: 1, lastModified: new Date(0) }]
        : [];
    store.get = async (key: string) => {
      store.gets.push(key);
      return key === 'pending/valoda-riga/v3.json'
        ? { key, version: '1', lastModified: new Date(0), bytes: new TextEncoder().encode(JSON.stringify(pending)) }
        : undefined;
    };
    const { runtime } = testRuntime(store);
    const summary = await createIngestHandler(runtime)({ reexaminePending: true });
    expect(store.gets).toEqual(['pending/valoda-riga/v3.json', 'inbox/valoda-riga/2026-Q1.xlsx']);
    expect(summary.records).toBe(1);
  });

  it('processes every record, decoded, and summarises them', async () => {
    const store = new RecordingStore();
    const { runtime, counts, published } = testRuntime(store);
    const summary = await createIngestHandler(runtime)(
      s3Event([{ key: 'inbox/valoda-riga/Ceturksnis+3.xlsx' }, { key: 'registry/Registrs%2B2025.xlsx' }]),
    );
    expect(store.gets).toEqual(['inbox/valoda-riga/Ceturksnis 3.xlsx', 'registry/Registrs+2025.xlsx']);
    expect(summary).toEqual({
      records: 2,
      accepted: 0,
      rejected: 0,
      pending: 0,
      skipped: 2,
      results: [
        { record: 0, key: 'inbox/valoda-riga/Ceturksnis 3.xlsx', status: 'skipped', reason: 'not-found' },
        { record: 1, key: 'registry/Registrs+2025.xlsx', status: 'skipped', reason: 'not-found' },
      ],
    });
    expect(counts).toEqual({ [METRIC.uploadsSkipped]: 2 });
    expect(published()).toBe(1);
  });

  it('does not let bad or failing records stop the others, then fails the invocation so Lambda retries', async () => {
    const store = new RecordingStore(new Set(['inbox/a/Jānis Bērziņš Q3.xlsx']));
    const { runtime, log, counts, published } = testRuntime(store);
    const event = s3Event([
      { key: 'inbox/a/J%C4%81nis+B%C4%93rzi%C5%86%C5%A1+Q3.xlsx' }, // the store fails
      { key: 'inbox/a/%E0%A4%A.xlsx' }, // malformed encoding
      { key: 'inbox/a/other.xlsx', bucket: 'someone-elses-bucket' }, // wrong bucket
      { key: 'inbox/b/last+one.xlsx' }, // fine
    ]);
    const err = (await createIngestHandler(runtime)(event).catch((e: unknown) => e)) as RecordsFailedError;
    expect(err).toBeInstanceOf(RecordsFailedError);
    expect(err.failed).toEqual([
      { index: 0, error: 'StoreError' },
      { index: 1, error: 'BadEventError' },
      { index: 2, error: 'BadEventError' },
    ]);
    expect(err.total).toBe(4);
    expect(store.gets).toEqual(['inbox/a/Jānis Bērziņš Q3.xlsx', 'inbox/b/last one.xlsx']);
    expect(counts).toEqual({ [METRIC.uploadsSkipped]: 1, [METRIC.ingestFailures]: 3 });
    expect(published()).toBe(1);
    // The failure is logged with its folder, never with the file name (a person's name here).
    const failures = log.lines.filter((l) => l.event === 'ingest.record-failed');
    expect(failures.map((f) => f.fields.record)).toEqual([0, 1, 2]);
    expect(failures[0]?.fields).toMatchObject({
      folder: 'inbox/a/',
      error: 'StoreError',
      message: 'cannot read s3://pmif-data/<key>',
    });
    expect(JSON.stringify(log.lines)).not.toContain('Jānis');
    expect(err.message).not.toContain('Jānis');
  });
});

describe('invocation inputs', () => {
  const plan: RevisionPlan = {
    schemaVersion: 1,
    kind: 'plan',
    period: '2025-Q3',
    revision: 1,
    generatedAt: '2025-10-16T03:00:00.000Z',
    language: 'lv',
    codeVersion: 'test',
    registry: { key: 'registry/r.xlsx', version: 'v', sha256: 'x' },
    sources: [],
    projectIds: ['valoda-riga'],
  };
  const { runtime } = testRuntime(new RecordingStore());
  const generate = createGenerateHandlers(runtime);

  it('refuses a period that is not YYYY-Qn and a mode that does not exist', async () => {
    await expect(generate.plan({ period: '2025-3' })).rejects.toThrow(/period must look like 2025-Q3/);
    await expect(generate.plan({ mode: 'sometimes' as never })).rejects.toThrow(/mode must be/);
    await expect(createDeliverHandler(runtime)({} as never)).rejects.toThrow(/period is required/);
    await expect(createRemindHandler(runtime)({ period: 'Q3' })).rejects.toThrow(BadEventError);
  });

  it('refuses a render step for a project outside the plan, and a plan that is not one', async () => {
    await expect(generate.renderProject({ plan, projectId: 'other-project' })).rejects.toThrow(
      /one of the plan's projects/,
    );
    await expect(generate.finish({ plan: { ...plan, revision: 0 } as never })).rejects.toThrow(/plan step's/);
    await expect(generate.finish({ plan: { period: '2025-Q3' } as never })).rejects.toThrow(/plan step's/);
  });

  it('names the Map items that failed (a Lambda error or a states timeout), writes nothing, and adds the period to the failures', async () => {
    const store = new RecordingStore();
    const failing = createGenerateHandlers(testRuntime(store).runtime);
    const lambdaError = JSON.stringify({
      errorType: 'CorruptRecordError',
      errorMessage: 'stored record submissions/2025-Q3/valoda-riga/v1.json is corrupt (not valid JSON)',
      trace: ['CorruptRecordError: …', '    at parseJson (…)'],
    });
    const twoProjects = { ...plan, projectIds: ['valoda-riga', 'pilsoniska-orientacija'] };
    const before = { count: 1, periods: ['2025-Q2'], summary: '2025-Q2 r3: …' };
    const result = await failing.finish({
      plan: twoProjects,
      rendered: [
        { projectId: 'valoda-riga', error: 'CorruptRecordError', cause: lambdaError },
        { projectId: 'pilsoniska-orientacija', error: 'States.Timeout', cause: 'x'.repeat(5000) },
      ],
      failures: before,
    });
    expect(result).toMatchObject({
      status: 'failed',
      period: '2025-Q3',
      failed: [
        {
          projectId: 'valoda-riga',
          error: 'CorruptRecordError',
          message: 'stored record submissions/2025-Q3/valoda-riga/v1.json is corrupt (not valid JSON)',
        },
        { projectId: 'pilsoniska-orientacija', error: 'States.Timeout' },
      ],
      failures: { count: 2, periods: ['2025-Q2', '2025-Q3'] },
    });
    if (result.status !== 'failed') throw new Error('expected failed');
    expect(result.failed[1]!.message.length).toBeLessThanOrEqual(300);
    const lines = result.failures.summary.split('\n');
    expect(lines[0]).toBe('2025-Q2 r3: …');
    expect(lines[1]).toMatch(
      /^2025-Q3 r1: 2 of 2 projects failed to render — valoda-riga: CorruptRecordError \(stored/,
    );
    // Nothing was read or written: no manifest for a revision with a failed project.
    expect(store.gets).toEqual([]);
    await expect(failing.finish({ plan, rendered: 'all' as never })).rejects.toThrow(/rendered must be/);
    await expect(failing.plan({ failures: { periods: ['Q3'] } as never })).rejects.toThrow(/failures must be/);
  });

  it('reports "no registry" from a scheduled plan and reminder on an empty bucket', async () => {
    expect(await generate.plan({})).toEqual({ status: 'no-registry' });
    expect(await generate.plan({ mode: 'corrections' })).toEqual({ status: 'no-registry' });
    expect(await createRemindHandler(runtime)({})).toEqual({ status: 'no-registry' });
  });
});

describe('configuration', () => {
  it('names every missing key in one error', () => {
    const err = (() => {
      try {
        readConfig({ LOG_LEVEL: 'info', DATA_BUCKET: '  ' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems).toEqual(['DATA_BUCKET is missing', 'ARCHIVE_BUCKET is missing', 'MAIL_FROM is missing']);
    expect(err.message).toBe(
      'invalid configuration: DATA_BUCKET is missing; ARCHIVE_BUCKET is missing; MAIL_FROM is missing',
    );
  });

  it('names every bad value', () => {
    expect(() =>
      readConfig({
        DATA_BUCKET: 'PMIF_Data',
        ARCHIVE_BUCKET: '192.168.1.1',
        MAIL_FROM: 'a@example.lv, b@example.lv',
        LOG_LEVEL: 'chatty',
        SES_CONFIGURATION_SET: 'has spaces',
      }),
    ).toThrow(
      new ConfigError([
        'DATA_BUCKET is not a valid S3 bucket name: "PMIF_Data"',
        'ARCHIVE_BUCKET is not a valid S3 bucket name: "192.168.1.1"',
        'MAIL_FROM must be one e-mail address (optionally "Name <address>"): "a@example.lv, b@example.lv"',
        'LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT: "CHATTY"',
        'SES_CONFIGURATION_SET is not a valid configuration set name: "has spaces"',
      ]),
    );
  });

  it('accepts a complete environment, with a display name in MAIL_FROM and defaults for the optional keys', () => {
    expect(
      readConfig({
        DATA_BUCKET: 'pmif-data',
        ARCHIVE_BUCKET: 'pmif-archive',
        MAIL_FROM: 'PMIF pārskati <noreply@pmif.example.lv>',
      }),
    ).toEqual({
      dataBucket: 'pmif-data',
      archiveBucket: 'pmif-archive',
      mailFrom: 'PMIF pārskati <noreply@pmif.example.lv>',
      logLevel: 'INFO',
    });
  });

  it("reads the archive retention (auditors' link lifetime) as whole years from 1 to 100", () => {
    const base = { DATA_BUCKET: 'pmif-data', ARCHIVE_BUCKET: 'pmif-archive', MAIL_FROM: 'noreply@pmif.example.lv' };
    expect(readConfig({ ...base, ARCHIVE_RETENTION_YEARS: '10' }).archiveRetentionYears).toBe(10);
    for (const bad of ['0', '2.5', 'ten', '101']) {
      expect(() => readConfig({ ...base, ARCHIVE_RETENTION_YEARS: bad })).toThrow(
        `ARCHIVE_RETENTION_YEARS must be whole years from 1 to 100: "${bad}"`,
      );
    }
  });

  it('fails the exported handler with the configuration error when the environment is incomplete', async () => {
    vi.stubEnv('DATA_BUCKET', 'pmif-data');
    vi.stubEnv('ARCHIVE_BUCKET', '');
    vi.stubEnv('MAIL_FROM', '');
    await expect(ingestLambda(s3Event([{ key: 'inbox/a/x.xlsx' }]))).rejects.toThrow(
      'invalid configuration: ARCHIVE_BUCKET is missing; MAIL_FROM is missing',
    );
  });
});

describe('Powertools logs and metrics', () => {
  /** Lines written to stdout and stderr (Powertools writes warnings and errors to stderr), in order. */
  function captureOutput(): string[] {
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        return true;
      });
    }
    return lines;
  }

  it('writes one JSON line per log call, with the event, the fields and the Lambda request id', () => {
    const lines = captureOutput();
    const { log } = lambdaTelemetry({ service: 'ingest', namespace: METRICS_NAMESPACE, logLevel: 'INFO' });
    log.addContext({
      functionName: 'pmif-ingest',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-north-1:111122223333:function:pmif-ingest',
      memoryLimitInMB: '1024',
      awsRequestId: 'req-1',
    } as Context);
    log.info('ingest.done', { kind: 'submission', status: 'accepted', issues: 0 });
    log.warn('deliver.in-doubt', { period: '2025-Q3' });
    const [info, warn] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(info).toMatchObject({
      level: 'INFO',
      message: 'ingest.done',
      service: 'ingest',
      kind: 'submission',
      status: 'accepted',
      issues: 0,
      function_request_id: 'req-1',
      function_name: 'pmif-ingest',
    });
    expect(warn).toMatchObject({ level: 'WARN', message: 'deliver.in-doubt', period: '2025-Q3' });
  });

  it('publishes the counts of an invocation as one EMF document, and nothing when nothing was counted', () => {
    const lines = captureOutput();
    const { metrics } = lambdaTelemetry({ service: 'deliver', namespace: METRICS_NAMESPACE, logLevel: 'INFO' });
    metrics.publish();
    expect(lines).toEqual([]);
    metrics.count(METRIC.mailsSent, 3);
    metrics.count(METRIC.deliveriesInDoubt, 0);
    metrics.publish();
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]!) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('PmifReports');
    expect(emf._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).toEqual(['MailsSent']);
    expect(emf).toMatchObject({ service: 'deliver', MailsSent: 3 });
  });
});
