/**
 * The AWS runtime's composition root, shared by every handler (the counterpart of `cli/local-deps.ts`): the two
 * buckets as one store, SES as the mailer, the system clock, Powertools logs and metrics.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Context } from 'aws-lambda';
import { type JobMetrics, lambdaTelemetry } from '../adapters/lambda-logger';
import { RoutedStore } from '../adapters/routed-store';
import { S3ArchiveControl } from '../adapters/s3-archive-control';
import { S3DownloadGate } from '../adapters/s3-download-gate';
import { S3Store } from '../adapters/s3-store';
import { S3UploadGate } from '../adapters/s3-upload-gate';
import { SecretsManagerLinkKeys } from '../adapters/secrets-manager-link-keys';
import { SesMailer } from '../adapters/ses-mailer';
import { systemClock } from '../adapters/system-clock';
import { memoCode, readCodeBundle } from '../app/code-bundle';
import type { CodeBundle, Deps } from '../app/deps';
import { tuneTiering } from '../app/tiering';
import type { EndpointDeps } from '../app/upload-endpoint';
import { ARCHIVE_PREFIXES } from '../core/keys';
import { METRICS_NAMESPACE } from '../core/metric-names';
import { type Clock, type Logger, silentLogger } from '../core/ports';
import { type AwsConfig, CONFIG_KEYS, ConfigError, readConfig } from './config';

/** The Lambda functions, as named in logs (`service`) and metrics (`service` dimension). */
export type JobName = 'ingest' | 'generate' | 'deliver' | 'remind' | 'upload' | 'transmission' | 'feedback';

/** What tests (or another host) replace; production passes none of these. */
export interface AwsOverrides {
  s3Client?: S3Client;
  sesClient?: SESv2Client;
  secretsClient?: SecretsManagerClient;
  clock?: Clock;
  log?: Logger;
  metrics?: JobMetrics;
  /** Whether the buckets keep versions; default true (the stack's buckets do; s3rver does not). */
  versioned?: boolean;
  /** The code to archive (default: the bundle beside the handler, if there is one); null: none. */
  code?: (() => Promise<CodeBundle>) | null;
}

/**
 * The use cases' deps on AWS: `reports/` in the archive bucket, every other key in the data bucket (one store
 * to the use cases), SES for mail. SDK clients keep their defaults (region and credentials from the Lambda
 * environment, request checksums on, which Object Lock uploads require).
 */
export function awsDeps(config: AwsConfig, overrides: AwsOverrides = {}): Deps {
  const s3 = overrides.s3Client ?? new S3Client({});
  const versioned = overrides.versioned ?? true;
  const data = new S3Store({ client: s3, bucket: config.dataBucket, versioned });
  const archive = new S3Store({ client: s3, bucket: config.archiveBucket, versioned });
  const clock = overrides.clock ?? systemClock;
  const store = new RoutedStore(
    data,
    ARCHIVE_PREFIXES.map((prefix) => ({ prefix, store: archive })),
  );
  const bucketFor = (key: string) => (store.storeFor(key) === archive ? config.archiveBucket : config.dataBucket);
  const code = overrides.code === undefined ? bundledCode() : (overrides.code ?? undefined);
  return {
    // Reports, Art. 42 transmissions and the inputs and code they were made from: in the Object Lock bucket.
    store,
    archiveControl: new S3ArchiveControl({ client: s3, bucketFor, lockedPrefixes: ARCHIVE_PREFIXES, versioned }),
    ...(code ? { code } : {}),
    mailer: new SesMailer({
      client: overrides.sesClient ?? new SESv2Client({}),
      clock,
      ...(config.sesConfigurationSet ? { configurationSet: config.sesConfigurationSet } : {}),
    }),
    clock,
    log: overrides.log ?? silentLogger,
    mailFrom: config.mailFrom,
    ...(config.uploadPageUrl && config.linkKeySecret
      ? {
          links: {
            baseUrl: config.uploadPageUrl,
            keys: linkKeys(config.linkKeySecret, overrides),
            ...(config.archiveRetentionYears ? { retentionYears: config.archiveRetentionYears } : {}),
          },
        }
      : {}),
  };
}

/**
 * The code a generate or the transmission function archives with each revision: the verifier bundle the stack's
 * bundling builds into its asset beside the handler (`verifier/pmif-verifier.mjs`, infra/bundling.ts), from the same
 * sources. A function without it (the other jobs; tests run from the sources) archives none.
 */
function bundledCode(): (() => Promise<CodeBundle>) | undefined {
  const file = new URL('./verifier/pmif-verifier.mjs', import.meta.url);
  if (!existsSync(fileURLToPath(file))) return undefined;
  return memoCode(async () => {
    const code = await readCodeBundle([file]);
    if (!code) throw new Error(`${fileURLToPath(file)} went missing`);
    return code;
  });
}

function linkKeys(secretId: string, overrides: AwsOverrides): SecretsManagerLinkKeys {
  return new SecretsManagerLinkKeys({ client: overrides.secretsClient ?? new SecretsManagerClient({}), secretId });
}

/** One job's wiring, built once per Lambda container. */
export interface AwsRuntime {
  readonly config: AwsConfig;
  readonly deps: Deps;
  readonly metrics: JobMetrics;
  /** Run one invocation: logs carry the request id, and the metrics counted during it are published at its end. */
  invoke<T>(context: Context | undefined, work: () => Promise<T>): Promise<T>;
}

/**
 * Read the configuration (`env`, default `process.env`), validate it whole, and wire the job. Throws
 * `ConfigError` naming every missing or bad key.
 */
export function createAwsRuntime(
  job: JobName,
  options: { env?: Record<string, string | undefined>; overrides?: AwsOverrides } = {},
): AwsRuntime {
  const config = readConfig(options.env);
  const overrides = options.overrides ?? {};
  const telemetry = lambdaTelemetry({ service: job, namespace: METRICS_NAMESPACE, logLevel: config.logLevel });
  const log = overrides.log ?? telemetry.log;
  const metrics = overrides.metrics ?? telemetry.metrics;
  const deps = awsDeps(config, { ...overrides, log });
  return {
    config,
    deps,
    metrics,
    async invoke(context, work) {
      if (context) telemetry.log.addContext(context);
      try {
        return await work();
      } finally {
        metrics.publish();
      }
    },
  };
}

/**
 * The job's handlers, built once per container. In Lambda (where `AWS_LAMBDA_FUNCTION_NAME` is set) they are
 * built while the module loads, in the init phase, so a misconfigured function fails its cold start with the
 * configuration error rather than its first event; elsewhere (tests importing the factories) on first use.
 */
export function onColdStart<T>(job: JobName, create: (runtime: AwsRuntime) => T): () => T {
  let built: T | undefined;
  const get = (): T => {
    tuneTiering();
    built ??= create(createAwsRuntime(job));
    return built;
  };
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) get();
  return get;
}

/**
 * The drop page endpoint's deps: the job's store, clock, log and link keys, and presigned POSTs into the data
 * bucket signed by `s3Client` (default: the Lambda's own credentials). Throws when upload links are not configured.
 */
export function endpointDeps(
  runtime: AwsRuntime,
  overrides: Pick<AwsOverrides, 's3Client' | 'secretsClient'> = {},
): EndpointDeps {
  const { deps, config } = runtime;
  if (!config.linkKeySecret) throw new ConfigError([`the upload endpoint needs ${CONFIG_KEYS.linkKeySecret}`]);
  const s3 = overrides.s3Client ?? new S3Client({});
  return {
    ...deps,
    keys: deps.links?.keys ?? linkKeys(config.linkKeySecret, overrides),
    gate: new S3UploadGate({ client: s3, bucket: config.dataBucket }),
    // Download links open only archived reports: presigned GETs into the archive bucket, signed by this role.
    downloads: new S3DownloadGate({ client: s3, bucket: config.archiveBucket }),
  };
}
