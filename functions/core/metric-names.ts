/**
 * CloudWatch metric names and namespace the handlers publish (Embedded Metric Format, via Powertools Metrics).
 * Shared with `infra/` for alarms, so this file holds constants only and imports nothing.
 */

/** Namespace of every metric; the `service` dimension is the job (ingest, generate, deliver, remind). */
export const METRICS_NAMESPACE = 'PmifReports';

export const METRIC = {
  /** Uploads accepted as a submission or registry version. */
  uploadsAccepted: 'UploadsAccepted',
  /** Uploads refused with a rejection record (a user mistake, not a fault). */
  uploadsRejected: 'UploadsRejected',
  /** Registry workbooks refused (also counted in `UploadsRejected`); a registry has no coordinator to mail. Alarm on > 0. */
  registryRejected: 'RegistryRejected',
  /** Event records skipped: already ingested, gone, or not an upload. */
  uploadsSkipped: 'UploadsSkipped',
  /** Event records that failed with an error (retried by Lambda, then the on-failure queue). */
  ingestFailures: 'IngestFailures',
  /** Report files (PDF, XLSX) written by the render and finish steps. */
  reportsGenerated: 'ReportsGenerated',
  /** Projects whose render step failed after its retries; the execution then ends failed (alarm `GenerateExecutionsFailed`). */
  projectRendersFailed: 'ProjectRendersFailed',
  /** Revisions completed (manifest written). */
  revisionsCompleted: 'RevisionsCompleted',
  /** Report e-mails handed to SES. */
  mailsSent: 'MailsSent',
  /** Ledger claims with no confirmed send: a person must check whether the manager got the mail. Alarm on > 0. */
  deliveriesInDoubt: 'DeliveriesInDoubt',
  /** E-mails that failed so often, or so (e.g. a refused address), that the ledger stopped trying. Alarm on > 0. */
  deliveriesGaveUp: 'DeliveriesGaveUp',
  /** A report file that no longer matches its manifest's SHA-256: nothing of the revision was mailed. Alarm on > 0. */
  reportIntegrityFailed: 'ReportIntegrityFailed',
  /** Sent e-mails the recipient's mail server bounced (SES event publishing): the reader has not got it. Alarm on > 0. */
  deliveriesBounced: 'DeliveriesBounced',
  /** Sent e-mails a recipient marked as spam (SES event publishing). Alarm on > 0. */
  deliveriesComplained: 'DeliveriesComplained',
  /** Reminder e-mails handed to SES. */
  remindersSent: 'RemindersSent',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
