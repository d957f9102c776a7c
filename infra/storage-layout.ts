/**
 * The storage layout (docs/architecture.md §3) and the runtime contract the stack hands to the handlers, as the infrastructure
 * needs them. `infra/` never imports runtime code, so the key prefixes are restated here; a test checks that they
 * agree with `functions/core/keys.ts`, which is where keys are built and parsed.
 */

/** A key prefix and what is stored under it; `holds` is quoted in the reasons of the IAM acknowledgements. */
export interface StoragePrefix {
  readonly prefix: string;
  readonly holds: string;
}

/** Prefixes in the data bucket. */
export const DATA = {
  inbox: { prefix: 'inbox/', holds: "coordinators' raw uploads, one folder per project" },
  registry: { prefix: 'registry/', holds: "the managing authority's registry workbooks" },
  submissions: { prefix: 'submissions/', holds: 'one normalised record per accepted upload, by period and project' },
  rejections: { prefix: 'rejections/', holds: 'one rejection record (and annotated workbook) per refused upload' },
  purges: { prefix: 'purges/', holds: 'one record per upload an operator purged: when, why, which hashes' },
  ingested: { prefix: 'ingested/', holds: 'one receipt per ingested object version (makes ingest idempotent)' },
  registryVersions: { prefix: 'registry-versions/', holds: 'one normalised record per accepted registry upload' },
  pending: {
    prefix: 'pending/',
    holds: 'uploads waiting for a registry change or their period to begin, re-examined until decided',
  },
  deliveries: {
    prefix: 'deliveries/',
    holds: 'the delivery and reminder ledgers, one object per recipient or project',
  },
} as const satisfies Record<string, StoragePrefix>;

/** Prefixes in the archive bucket (Object Lock). */
export const ARCHIVE = {
  reports: { prefix: 'reports/', holds: 'every revision of every report, its plan and its manifest' },
  transmissions: {
    prefix: 'transmissions/',
    holds: 'every revision of every Art. 42 transmission, its plan and its manifest',
  },
  blobs: {
    prefix: 'blobs/',
    holds:
      'the inputs and code of every revision, content-addressed (blobs/sha256/<hash>): uploads, records, registry ' +
      'workbooks and the verifier bundle, one object per SHA-256',
  },
} as const satisfies Record<string, StoragePrefix>;

/**
 * Objects that start ingest: every object under these prefixes, whatever its name (issue 14: every upload gets an
 * answer, so a `.csv`, a `.Xlsx` or a file in a nested folder reaches ingest, which refuses what it cannot take).
 */
export const INGEST_TRIGGERS = {
  prefixes: [DATA.inbox.prefix, DATA.registry.prefix],
} as const;

/**
 * The environment variables of the functions: what the stack sets and `functions/aws/config.ts` (`CONFIG_KEYS`)
 * reads, plus the Powertools settings Powertools reads itself. test/infra/environment.test.ts checks they agree.
 */
export const ENV = {
  dataBucket: 'DATA_BUCKET',
  archiveBucket: 'ARCHIVE_BUCKET',
  mailFrom: 'MAIL_FROM',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'LOG_LEVEL',
  /**
   * The SES configuration set every mail is sent with: its bounce and complaint events reach the ledger through the
   * feedback function. The stack sets it on the functions that send mail (ingest, deliver, remind, transmission).
   */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Upload links (functions/aws/config.ts): the secret that signs them, and the drop page's URL for e-mails. */
  linkKeySecret: 'LINK_KEY_SECRET',
  uploadPageUrl: 'UPLOAD_PAGE_URL',
  /** The archive's retention in years: auditors' revision-page links (issue 18) live that long. */
  archiveRetentionYears: 'ARCHIVE_RETENTION_YEARS',
} as const;

/** Powertools service name and metrics namespace. */
export const SERVICE_NAME = 'pmif-reports';
export const METRICS_NAMESPACE = 'PmifReports';

/**
 * The product's own metrics that an operator must hear about, each with the jobs (`service` dimension) that publish
 * it; restated from `functions/core/metric-names.ts` (a test checks they agree).
 */
export const ALARMED_METRICS = {
  deliveriesGaveUp: {
    name: 'DeliveriesGaveUp',
    services: ['ingest', 'deliver', 'remind', 'transmission'],
    description:
      'An e-mail was given up on (SES refused it for good, or it failed three times): the recipient has not got it. The log line "<event>.gave-up" names the ledger slot; fix the cause, then resend (deliver --resend-in-doubt).',
  },
  deliveriesInDoubt: {
    name: 'DeliveriesInDoubt',
    services: ['ingest', 'deliver', 'remind', 'transmission'],
    description:
      'An e-mail may or may not have gone out (a crash or timeout between send and ledger). It is never resent by itself: check whether it arrived, then confirm or resend it.',
  },
  ingestFailures: {
    name: 'IngestFailures',
    services: ['ingest'],
    description:
      'An upload could not be ingested (an error, not a refusal): Lambda retries it, then it lands in the IngestFailures queue. The log line "ingest.record-failed" names the key.',
  },
  reportIntegrityFailed: {
    name: 'ReportIntegrityFailed',
    services: ['deliver'],
    description:
      'An archived report file does not match its manifest (SHA-256): nothing of that revision was mailed. The log line "deliver.integrity-failed" names the key; restore the file from its archived version, then deliver again.',
  },
  deliveriesBounced: {
    name: 'DeliveriesBounced',
    services: ['feedback'],
    description:
      'A sent e-mail bounced: the recipient\'s mail server refused it after SES had accepted it, so the reader has not got it. The log line "mail-feedback.recorded" names the ledger slot, now marked bounced; correct the address in the registry (a new address is a new delivery) or ask the recipient\'s IT.',
  },
  deliveriesComplained: {
    name: 'DeliveriesComplained',
    services: ['feedback'],
    description:
      'A recipient marked an e-mail as spam. SES counts complaints against the account\'s sending reputation: the log line "mail-feedback.recorded" names the ledger slot, now marked complained; ask whether that person should still receive reports.',
  },
  registryRejected: {
    name: 'RegistryRejected',
    services: ['ingest'],
    description:
      'A registry workbook was refused. A registry has no coordinator to mail: read rejections/registry/ in the data bucket and upload a corrected workbook.',
  },
} as const;
