/**
 * Deployment settings, read once from the CDK context and validated whole: every missing or bad key is named in one
 * error, before any construct is built. Values come from `cdk.json`, `~/.cdk.json` or `-c key=value` (always a string
 * on the command line), so each reader accepts strings as well as JSON values.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { MAX_DEADLINE_DAYS, reportingCalendar } from './reporting-calendar';

/** Object Lock retention mode of the archive. */
export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';

/** Log level handed to the functions (Powertools `LOG_LEVEL` and Lambda's application log level). */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The SES identity mail is sent from. */
export interface MailIdentityConfig {
  kind: 'domain' | 'email';
  value: string;
  /** True when no identity was given and a placeholder is used (synth works; a deployment could not send mail). */
  placeholder: boolean;
  /**
   * The identity already exists in the account and region (made by hand, or by another deployment): the stack
   * sends from it but never creates, changes or deletes it.
   */
  existing: boolean;
}

/** Everything the stack is built from. */
export interface ReportingConfig {
  stackName: string;
  sesIdentity: MailIdentityConfig;
  /** The From address; inside the SES identity. */
  mailFrom: string;
  /** E-mail address subscribed to the alarm topic, if any. */
  alarmEmail?: string;
  retentionMode: RetentionMode;
  retentionYears: number;
  deadlineDays: number;
  reminderDays: number;
  /** Projects rendered at once by the state machine's Map. */
  mapConcurrency: number;
  logRetention: RetentionDays;
  logLevel: LogLevel;
  /** Project ids that get a coordinator upload role. */
  coordinatorProjects: string[];
  /** Who may assume each kind of human role: an IAM ARN or an account id; undefined = this account's root. */
  coordinatorPrincipal?: string;
  managerPrincipal?: string;
  auditorPrincipal?: string;
  /** Reserved concurrency of the ingest function; undefined = none reserved. */
  ingestReservedConcurrency?: number;
  /** Use a placeholder instead of bundling the handlers (fast, offline assertion tests). */
  skipBundling: boolean;
  /** An SES configuration set that already exists, to send with instead of one the stack creates. */
  sesConfigurationSet?: string;
  /** Record the archive bucket's data events in a CloudTrail trail of its own. */
  archiveTrail: boolean;
}

/** Context keys, each with its default as documented in docs/deploy.md. */
export const CONTEXT = {
  stackName: 'pmif:stackName',
  sesIdentity: 'pmif:sesIdentity',
  sesIdentityExisting: 'pmif:sesIdentityExisting',
  sesConfigurationSet: 'pmif:sesConfigurationSet',
  mailFrom: 'pmif:mailFrom',
  alarmEmail: 'pmif:alarmEmail',
  retentionMode: 'pmif:retentionMode',
  retentionYears: 'pmif:retentionYears',
  deadlineDays: 'pmif:deadlineDays',
  reminderDays: 'pmif:reminderDays',
  mapConcurrency: 'pmif:mapConcurrency',
  logRetentionDays: 'pmif:logRetentionDays',
  logLevel: 'pmif:logLevel',
  coordinatorProjects: 'pmif:coordinatorProjects',
  coordinatorPrincipal: 'pmif:coordinatorPrincipal',
  managerPrincipal: 'pmif:managerPrincipal',
  auditorPrincipal: 'pmif:auditorPrincipal',
  ingestReservedConcurrency: 'pmif:ingestReservedConcurrency',
  skipBundling: 'pmif:skipBundling',
  archiveTrail: 'pmif:archiveTrail',
} as const;

export const DEFAULTS = {
  stackName: 'PmifReports',
  placeholderIdentity: 'reports@example.invalid',
  retentionMode: 'GOVERNANCE',
  retentionYears: 10,
  deadlineDays: 15,
  reminderDays: 5,
  mapConcurrency: 10,
  logRetentionDays: 365,
  logLevel: 'INFO',
  ingestReservedConcurrency: 10,
} as const;

/** Thrown when the context has bad values; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid CDK context:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const EMAIL = /^[^\s@]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/i;
const DOMAIN = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Same rule as the runtime's project ids (functions/core/keys.ts). */
const PROJECT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const PRINCIPAL = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+))$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** SES configuration set names (the runtime checks the same rule: functions/aws/config.ts). */
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;

/** The valid CloudWatch Logs retention closest to `days` (ties go to the longer one); never "infinite". */
export function nearestRetention(days: number): RetentionDays {
  const valid = Object.values(RetentionDays)
    .filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  let best = valid[0]!;
  for (const v of valid) {
    if (Math.abs(v - days) <= Math.abs(best - days)) best = v;
  }
  return best as RetentionDays;
}

/** Context values read one by one; every problem is collected, so that one error names them all. */
class ContextReader {
  readonly problems: string[] = [];
  constructor(private readonly get: (key: string) => unknown) {}

  text(key: string): string | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      this.problems.push(`${key}: expected a string, got ${JSON.stringify(v)}`);
      return undefined;
    }
    const s = String(v).trim();
    return s === '' ? undefined : s;
  }

  integer(key: string, fallback: number, min: number, max: number, why = ''): number {
    const raw = this.text(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${key}: expected a whole number from ${min} to ${max}${why}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const raw = this.text(key);
    if (raw === undefined) return fallback;
    const upper = raw.toUpperCase() as T;
    if (!allowed.includes(upper)) {
      this.problems.push(`${key}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return upper;
  }

  principal(key: string): string | undefined {
    const raw = this.text(key);
    if (raw !== undefined && !PRINCIPAL.test(raw)) {
      this.problems.push(`${key}: expected an account id or an IAM root, role or user ARN, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return raw;
  }

  flag(key: string): boolean {
    const raw = this.text(key)?.toLowerCase();
    if (raw !== undefined && raw !== 'true' && raw !== 'false') {
      this.problems.push(`${key}: expected true or false, got ${JSON.stringify(raw)}`);
    }
    return raw === 'true';
  }
}

/**
 * Read and validate the settings. `get` is `node.tryGetContext`; it returns undefined for keys that are not set.
 */
export function readConfig(get: (key: string) => unknown): ReportingConfig {
  const r = new ContextReader(get);
  const stackName = r.text(CONTEXT.stackName) ?? DEFAULTS.stackName;
  if (!STACK_NAME.test(stackName))
    r.problems.push(`${CONTEXT.stackName}: not a valid stack name: ${JSON.stringify(stackName)}`);
  const sesIdentity = readMailIdentity(r);
  const mailFrom = readMailFrom(r, sesIdentity);
  const sesConfigurationSet = r.text(CONTEXT.sesConfigurationSet);
  if (sesConfigurationSet !== undefined && !CONFIGURATION_SET.test(sesConfigurationSet)) {
    r.problems.push(
      `${CONTEXT.sesConfigurationSet}: not an SES configuration set name (letters, digits, _ and -, at most 64): ${JSON.stringify(sesConfigurationSet)}`,
    );
  }
  const alarmEmail = r.text(CONTEXT.alarmEmail);
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    r.problems.push(`${CONTEXT.alarmEmail}: not an e-mail address: ${JSON.stringify(alarmEmail)}`);
  }
  const retentionMode = r.oneOf<RetentionMode>(
    CONTEXT.retentionMode,
    ['GOVERNANCE', 'COMPLIANCE'],
    DEFAULTS.retentionMode,
  );
  const retentionYears = r.integer(CONTEXT.retentionYears, DEFAULTS.retentionYears, 1, 100);
  const { deadlineDays, reminderDays } = readCalendar(r);
  // An inline Map runs at most 40 iterations at once.
  const mapConcurrency = r.integer(CONTEXT.mapConcurrency, DEFAULTS.mapConcurrency, 1, 40);
  const logRetentionDays = r.integer(CONTEXT.logRetentionDays, DEFAULTS.logRetentionDays, 1, 3653);
  const logLevel = r.oneOf<LogLevel>(CONTEXT.logLevel, ['DEBUG', 'INFO', 'WARN', 'ERROR'], DEFAULTS.logLevel);
  const coordinatorProjects = readCoordinatorProjects(r);
  const ingestReservedConcurrency = readIngestReservedConcurrency(r);
  const skipBundling = r.flag(CONTEXT.skipBundling);
  const archiveTrail = r.flag(CONTEXT.archiveTrail);

  const config: ReportingConfig = {
    stackName,
    sesIdentity,
    mailFrom,
    retentionMode,
    retentionYears,
    deadlineDays,
    reminderDays,
    mapConcurrency,
    logRetention: nearestRetention(logRetentionDays),
    logLevel,
    coordinatorProjects,
    skipBundling,
    archiveTrail,
  };
  if (alarmEmail !== undefined) config.alarmEmail = alarmEmail;
  if (sesConfigurationSet !== undefined) config.sesConfigurationSet = sesConfigurationSet;
  if (ingestReservedConcurrency !== undefined) config.ingestReservedConcurrency = ingestReservedConcurrency;
  const principals = {
    coordinatorPrincipal: r.principal(CONTEXT.coordinatorPrincipal),
    managerPrincipal: r.principal(CONTEXT.managerPrincipal),
    auditorPrincipal: r.principal(CONTEXT.auditorPrincipal),
  };
  for (const [k, v] of Object.entries(principals)) if (v !== undefined) config[k as keyof typeof principals] = v;

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** The SES identity: a domain or an address (a placeholder address until one is given). */
function readMailIdentity(r: ContextReader): MailIdentityConfig {
  const identityRaw = r.text(CONTEXT.sesIdentity);
  const existing = r.flag(CONTEXT.sesIdentityExisting);
  if (identityRaw === undefined) {
    if (existing) r.problems.push(`${CONTEXT.sesIdentityExisting}: needs ${CONTEXT.sesIdentity}, the identity to use`);
    return { kind: 'email', value: DEFAULTS.placeholderIdentity, placeholder: true, existing: false };
  }
  if (EMAIL.test(identityRaw)) return { kind: 'email', value: identityRaw.toLowerCase(), placeholder: false, existing };
  if (DOMAIN.test(identityRaw))
    return { kind: 'domain', value: identityRaw.toLowerCase(), placeholder: false, existing };
  r.problems.push(
    `${CONTEXT.sesIdentity}: expected a domain (example.lv) or an address (reports@example.lv), got ${JSON.stringify(identityRaw)}`,
  );
  return { kind: 'email', value: DEFAULTS.placeholderIdentity, placeholder: true, existing: false };
}

/** The From address: the identity's own, or one given that the identity covers. */
function readMailFrom(r: ContextReader, sesIdentity: MailIdentityConfig): string {
  const mailFromRaw = r.text(CONTEXT.mailFrom)?.toLowerCase();
  const mailFrom = sesIdentity.kind === 'email' ? sesIdentity.value : `reports@${sesIdentity.value}`;
  if (mailFromRaw === undefined) return mailFrom;
  const domain = mailFromRaw.split('@')[1] ?? '';
  const inside =
    sesIdentity.kind === 'email'
      ? mailFromRaw === sesIdentity.value
      : domain === sesIdentity.value || domain.endsWith(`.${sesIdentity.value}`);
  if (!EMAIL.test(mailFromRaw))
    r.problems.push(`${CONTEXT.mailFrom}: not an e-mail address: ${JSON.stringify(mailFromRaw)}`);
  else if (!inside) {
    // SES only sends From addresses its verified identity covers.
    r.problems.push(`${CONTEXT.mailFrom}: ${mailFromRaw} is not covered by the SES identity ${sesIdentity.value}`);
  } else return mailFromRaw;
  return mailFrom;
}

/** The deadline and reminder offsets, checked against each other and against what a cron can follow. */
function readCalendar(r: ContextReader): { deadlineDays: number; reminderDays: number } {
  const deadlineDays = r.integer(
    CONTEXT.deadlineDays,
    DEFAULTS.deadlineDays,
    1,
    MAX_DEADLINE_DAYS,
    ' (a later Q4 deadline would move with leap years, which a cron cannot follow)',
  );
  const reminderDays = r.integer(CONTEXT.reminderDays, DEFAULTS.reminderDays, 0, MAX_DEADLINE_DAYS - 1);
  if (reminderDays >= deadlineDays) {
    r.problems.push(
      `${CONTEXT.reminderDays}: ${reminderDays} would remind before the quarter has ended (deadline is ${deadlineDays} days after it)`,
    );
  } else {
    try {
      reportingCalendar(deadlineDays, reminderDays);
    } catch (err) {
      r.problems.push(`${CONTEXT.deadlineDays}: ${(err as Error).message}`);
    }
  }
  return { deadlineDays, reminderDays };
}

/** The projects that get a coordinator upload role: a comma-separated list of ids, each once. */
function readCoordinatorProjects(r: ContextReader): string[] {
  const coordinatorProjects = [
    ...new Set(
      (r.text(CONTEXT.coordinatorProjects) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  for (const id of coordinatorProjects) {
    if (!PROJECT_ID.test(id))
      r.problems.push(`${CONTEXT.coordinatorProjects}: ${JSON.stringify(id)} is not a project id ([a-z0-9-])`);
  }
  return coordinatorProjects;
}

/** The ingest function's reserved concurrency, or none (`"none"`). */
function readIngestReservedConcurrency(r: ContextReader): number | undefined {
  const reserved = r.text(CONTEXT.ingestReservedConcurrency);
  if (reserved?.toLowerCase() === 'none') return undefined;
  return r.integer(CONTEXT.ingestReservedConcurrency, DEFAULTS.ingestReservedConcurrency, 1, 1000, ' or "none"');
}
