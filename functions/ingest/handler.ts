/**
 * Lambda entry point of ingest: an S3 (or EventBridge) "object created" event for `inbox/` or `registry/` →
 * the ingest use case for every record → a summary. Failed records are retried by rethrowing after all records
 * ran; ingest is idempotent, so records that were done are skipped on the retry.
 */
import type { Context } from 'aws-lambda';
import { type IngestOutcome, ingestObject } from '../app/ingest';
import { pendingUploads } from '../app/pending';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import {
  BadEventError,
  eventRecords,
  failureLogFields,
  forEachObject,
  type ObjectCreatedEvent,
  throwIfAnyFailed,
} from '../aws/s3-event';
import { keys } from '../core/keys';
import { METRIC } from '../core/metric-names';

/** One record's result; rejection issues stay in the rejection record, not in the summary. */
export type IngestRecordSummary =
  | { record: number; key: string; status: IngestOutcome['status']; recordKey?: string; reason?: string }
  | { record: number; status: 'failed'; error: string };

export interface IngestSummary {
  records: number;
  accepted: number;
  rejected: number;
  /** Waiting for a registry change or the period's start (not answered yet). */
  pending: number;
  skipped: number;
  results: IngestRecordSummary[];
}

function summarise(outcome: IngestOutcome, record: number): IngestRecordSummary {
  if (outcome.status === 'skipped') return { record, key: outcome.key, status: outcome.status, reason: outcome.reason };
  return { record, key: outcome.key, status: outcome.status, recordKey: outcome.recordKey };
}

/**
 * An operator's reprocess (issue 14): `{"reprocess": {"key": "inbox/p/f.xlsx", "version": "<S3 version id>"}}`
 * decides one stored upload again, keeping its original upload time (copying the object onto itself would make a
 * new version, a new upload time and a second receipt). Only a different decision is mailed.
 */
export interface ReprocessEvent {
  reprocess: { key: string; version?: string };
}

/** The daily schedule's `{"reexaminePending": true}`: decide the pending uploads whose period has begun. */
export interface ReexamineEvent {
  reexaminePending: true;
}

function isReprocess(event: unknown): event is ReprocessEvent {
  const r = (event as Partial<ReprocessEvent> | null)?.reprocess;
  if (r === undefined) return false;
  if (typeof r !== 'object' || r === null || typeof r.key !== 'string' || r.key === '')
    throw new BadEventError('reprocess needs {"reprocess": {"key": "inbox/<project>/<file>.xlsx", "version": "…"}}');
  if (r.version !== undefined && typeof r.version !== 'string') throw new BadEventError('reprocess.version: a string');
  return true;
}

/** The ingest handler on a given runtime (tests pass one wired to local servers). */
export function createIngestHandler(runtime: AwsRuntime) {
  const { config, deps, metrics } = runtime;
  return (event: ObjectCreatedEvent | ReprocessEvent | ReexamineEvent, context?: Context): Promise<IngestSummary> =>
    runtime.invoke(context, async () => {
      const reprocess = isReprocess(event) ? event.reprocess : null;
      const reexamine = (event as Partial<ReexamineEvent>).reexaminePending === true;
      const asRecords = (objects: { key: string; version?: string }[]) =>
        objects.map((o, index) => ({
          index,
          object: { bucket: config.dataBucket, key: o.key, ...(o.version ? { versionId: o.version } : {}) },
        }));
      const records = reprocess
        ? asRecords([reprocess])
        : reexamine
          ? asRecords(await pendingUploads(deps))
          : eventRecords(event);
      const results = await forEachObject(records, config.dataBucket, (o) =>
        ingestObject(deps, o.key, {
          ...(o.versionId ? { version: o.versionId } : {}),
          ...(reprocess ? { reprocess: true } : {}),
        }),
      );
      const summary: IngestSummary = {
        records: results.length,
        accepted: 0,
        rejected: 0,
        pending: 0,
        skipped: 0,
        results: [],
      };
      const receipts = { inDoubt: 0, gaveUp: 0 };
      let registryRejected = 0;
      for (const r of results) {
        if (r.ok) {
          summary[r.value.status]++;
          if (r.value.status !== 'skipped' && r.value.mail === 'in-doubt') receipts.inDoubt++;
          if (r.value.status !== 'skipped' && r.value.mail === 'gave-up') receipts.gaveUp++;
          if (r.value.status === 'rejected' && r.value.key.startsWith(keys.registryPrefix)) registryRejected++;
          summary.results.push(summarise(r.value, r.index));
        } else {
          deps.log.error('ingest.record-failed', failureLogFields(r));
          summary.results.push({ record: r.index, status: 'failed', error: (r.error as Error)?.name ?? 'Error' });
        }
      }
      metrics.count(METRIC.uploadsAccepted, summary.accepted);
      metrics.count(METRIC.uploadsRejected, summary.rejected);
      metrics.count(METRIC.uploadsSkipped, summary.skipped);
      metrics.count(METRIC.registryRejected, registryRejected);
      metrics.count(
        METRIC.ingestFailures,
        results.length - summary.accepted - summary.rejected - summary.pending - summary.skipped,
      );
      metrics.count(METRIC.deliveriesInDoubt, receipts.inDoubt);
      metrics.count(METRIC.deliveriesGaveUp, receipts.gaveUp);
      // A new registry may lift what pending uploads wait for: examine them now rather than at tomorrow's schedule.
      if (!reexamine && results.some((r) => r.ok && r.value.status === 'accepted' && r.value.kind === 'registry')) {
        for (const p of await pendingUploads(deps)) {
          const outcome = await ingestObject(deps, p.key, { version: p.version });
          if (outcome.status !== 'skipped') summary.results.push(summarise(outcome, summary.results.length));
        }
      }
      throwIfAnyFailed(results);
      return summary;
    });
}

const handlers = onColdStart('ingest', createIngestHandler);

/** Lambda handler: configured from the environment (`DATA_BUCKET`, `ARCHIVE_BUCKET`, `MAIL_FROM`, `LOG_LEVEL`). */
export const handler = async (
  event: ObjectCreatedEvent | ReprocessEvent | ReexamineEvent,
  context?: Context,
): Promise<IngestSummary> => handlers()(event, context);
