/**
 * Lambda entry point of ingest: an S3 (or EventBridge) "object created" event for `inbox/` or `registry/` →
 * the ingest use case for every record → a summary. Failed records are retried by rethrowing after all records
 * ran; ingest is idempotent, so records that were done are skipped on the retry.
 */
import type { Context } from 'aws-lambda';
import { type IngestOutcome, ingestObject } from '../app/ingest';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import {
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
  skipped: number;
  results: IngestRecordSummary[];
}

function summarise(outcome: IngestOutcome, record: number): IngestRecordSummary {
  if (outcome.status === 'skipped') return { record, key: outcome.key, status: outcome.status, reason: outcome.reason };
  return { record, key: outcome.key, status: outcome.status, recordKey: outcome.recordKey };
}

/** The ingest handler on a given runtime (tests pass one wired to local servers). */
export function createIngestHandler(runtime: AwsRuntime) {
  const { config, deps, metrics } = runtime;
  return (event: ObjectCreatedEvent, context?: Context): Promise<IngestSummary> =>
    runtime.invoke(context, async () => {
      const results = await forEachObject(eventRecords(event), config.dataBucket, (o) =>
        ingestObject(deps, o.key, o.versionId ? { version: o.versionId } : {}),
      );
      const summary: IngestSummary = { records: results.length, accepted: 0, rejected: 0, skipped: 0, results: [] };
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
      metrics.count(METRIC.ingestFailures, results.length - summary.accepted - summary.rejected - summary.skipped);
      metrics.count(METRIC.deliveriesInDoubt, receipts.inDoubt);
      metrics.count(METRIC.deliveriesGaveUp, receipts.gaveUp);
      throwIfAnyFailed(results);
      return summary;
    });
}

const handlers = onColdStart('ingest', createIngestHandler);

/** Lambda handler: configured from the environment (`DATA_BUCKET`, `ARCHIVE_BUCKET`, `MAIL_FROM`, `LOG_LEVEL`). */
export const handler = async (event: ObjectCreatedEvent, context?: Context): Promise<IngestSummary> =>
  handlers()(event, context);
