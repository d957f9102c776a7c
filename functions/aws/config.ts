/**
 * The Lambda functions' configuration: read from the environment once per container and validated whole, so a
 * misconfigured function fails at its cold start with one error that names every missing or bad key.
 */
import addressparser from 'nodemailer/lib/addressparser';

/** Log levels Powertools Logger accepts; `LOG_LEVEL` is matched case-insensitively. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The environment variables the stack sets on every function. */
export const CONFIG_KEYS = {
  dataBucket: 'DATA_BUCKET',
  archiveBucket: 'ARCHIVE_BUCKET',
  mailFrom: 'MAIL_FROM',
  logLevel: 'LOG_LEVEL',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  uploadPageUrl: 'UPLOAD_PAGE_URL',
  linkKeySecret: 'LINK_KEY_SECRET',
  archiveRetentionYears: 'ARCHIVE_RETENTION_YEARS',
} as const;

/** Validated configuration of the AWS runtime. */
export interface AwsConfig {
  /** Bucket of `inbox/`, `registry/`, `submissions/`, `rejections/`, `deliveries/` and the other working records. */
  dataBucket: string;
  /** Object Lock bucket of `reports/`. */
  archiveBucket: string;
  /** Sender of every e-mail: an address of the SES identity, optionally with a display name. */
  mailFrom: string;
  logLevel: LogLevelName;
  /** SES configuration set for delivery events (bounces, complaints); none when unset. */
  sesConfigurationSet?: string;
  /** The Secrets Manager secret whose versions sign upload links (the upload endpoint and every mailing job). */
  linkKeySecret?: string;
  /**
   * The drop page's URL (the Function URL) for links in e-mails; needs {@link linkKeySecret}. The endpoint itself has
   * none: its own URL in its own environment would be a CloudFormation cycle, and the page links relatively.
   */
  uploadPageUrl?: string;
  /** Years the archive keeps a revision (its Object Lock retention): auditors' revision links live that long. */
  archiveRetentionYears?: number;
}

/** Every problem found in the environment, in one error. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

// S3 general purpose bucket naming rules (3-63 chars, lowercase, digits, dots, hyphens; alphanumeric ends; not an IP).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;

function bucketProblem(key: string, value: string): string | null {
  if (!BUCKET.test(value) || value.includes('..') || IP_ADDRESS.test(value)) {
    return `${key} is not a valid S3 bucket name: ${JSON.stringify(value)}`;
  }
  return null;
}

/** A single mailbox, `a@b.lv` or `Name <a@b.lv>`: SES needs the From address of a verified identity. */
function mailFromProblem(key: string, value: string): string | null {
  const parsed = addressparser(value, { flatten: true });
  const address = parsed.length === 1 ? (parsed[0]?.address ?? '') : '';
  if (!/^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(address)) {
    return `${key} must be one e-mail address (optionally "Name <address>"): ${JSON.stringify(value)}`;
  }
  return null;
}

/**
 * Read and validate the configuration. Empty strings count as missing (CloudFormation writes them for unset
 * parameters). Throws {@link ConfigError} naming every missing or bad key at once.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): AwsConfig {
  const problems: string[] = [];
  const value = (key: string): string | undefined => {
    const v = env[key]?.trim();
    return v ? v : undefined;
  };
  const required = (key: string, check: (key: string, value: string) => string | null): string => {
    const v = value(key);
    if (v === undefined) {
      problems.push(`${key} is missing`);
      return '';
    }
    const problem = check(key, v);
    if (problem) problems.push(problem);
    return v;
  };

  const dataBucket = required(CONFIG_KEYS.dataBucket, bucketProblem);
  const archiveBucket = required(CONFIG_KEYS.archiveBucket, bucketProblem);
  const mailFrom = required(CONFIG_KEYS.mailFrom, mailFromProblem);

  const levelText = value(CONFIG_KEYS.logLevel)?.toUpperCase() ?? 'INFO';
  const logLevel = LOG_LEVELS.find((l) => l === levelText);
  if (!logLevel)
    problems.push(`${CONFIG_KEYS.logLevel} must be one of ${LOG_LEVELS.join(', ')}: ${JSON.stringify(levelText)}`);

  const sesConfigurationSet = value(CONFIG_KEYS.sesConfigurationSet);
  if (sesConfigurationSet !== undefined && !CONFIGURATION_SET.test(sesConfigurationSet)) {
    problems.push(
      `${CONFIG_KEYS.sesConfigurationSet} is not a valid configuration set name: ${JSON.stringify(sesConfigurationSet)}`,
    );
  }

  const pageUrl = value(CONFIG_KEYS.uploadPageUrl);
  const secretId = value(CONFIG_KEYS.linkKeySecret);
  if (pageUrl !== undefined && secretId === undefined) {
    problems.push(`${CONFIG_KEYS.uploadPageUrl} needs ${CONFIG_KEYS.linkKeySecret} (the key that signs the links)`);
  }
  if (pageUrl !== undefined && !/^https:\/\/[^\s/]+\/?$/.test(pageUrl)) {
    problems.push(`${CONFIG_KEYS.uploadPageUrl} must be an https:// origin: ${JSON.stringify(pageUrl)}`);
  }

  const retentionText = value(CONFIG_KEYS.archiveRetentionYears);
  const retentionYears = retentionText === undefined ? undefined : Number(retentionText);
  if (
    retentionYears !== undefined &&
    !(Number.isInteger(retentionYears) && retentionYears >= 1 && retentionYears <= 100)
  ) {
    problems.push(
      `${CONFIG_KEYS.archiveRetentionYears} must be whole years from 1 to 100: ${JSON.stringify(retentionText)}`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const config: AwsConfig = { dataBucket, archiveBucket, mailFrom, logLevel: logLevel ?? 'INFO' };
  if (sesConfigurationSet !== undefined) config.sesConfigurationSet = sesConfigurationSet;
  if (secretId !== undefined) config.linkKeySecret = secretId;
  if (pageUrl !== undefined) config.uploadPageUrl = pageUrl;
  if (retentionYears !== undefined) config.archiveRetentionYears = retentionYears;
  return config;
}
