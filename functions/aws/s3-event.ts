/**
 * S3 "object created" events, as S3 event notifications (`Records[]`) or as EventBridge events (`detail`), turned
 * into object keys. Real S3 URL-encodes keys in events (a space as `+`, `+` as `%2B`), so every key is decoded.
 */
import type { S3Event, S3ObjectCreatedNotificationEvent } from 'aws-lambda';

/** What the ingest function is invoked with. */
export type ObjectCreatedEvent = S3Event | S3ObjectCreatedNotificationEvent;

/** One object an event names. */
export interface EventObject {
  bucket: string;
  /** The decoded key, as the S3 API takes it. */
  key: string;
  /** The version that was created (versioned buckets only). */
  versionId?: string;
}

/** A record of the event: the object, or why it could not be read. */
export type EventRecord = { index: number; object: EventObject } | { index: number; problem: string };

/** An event key as the S3 API takes it: `+` is a space, `%xx` an escaped byte. */
export function decodeEventKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

function recordOf(index: number, bucket: unknown, key: unknown, versionId: unknown): EventRecord {
  if (typeof bucket !== 'string' || bucket === '') return { index, problem: 'the record names no bucket' };
  if (typeof key !== 'string' || key === '') return { index, problem: 'the record names no object key' };
  let decoded: string;
  try {
    decoded = decodeEventKey(key);
  } catch {
    return { index, problem: 'the object key is not valid URL encoding' };
  }
  const object: EventObject = { bucket, key: decoded };
  if (typeof versionId === 'string' && versionId !== '' && versionId !== 'null') object.versionId = versionId;
  return { index, object };
}

/**
 * Every record of an S3 notification or EventBridge event, in order. A record that cannot be read becomes a
 * problem in its place, so one bad record does not hide the others. Anything else is not an object event at all.
 */
export function eventRecords(event: unknown): EventRecord[] {
  const e = event as Partial<S3Event> & Partial<S3ObjectCreatedNotificationEvent>;
  if (Array.isArray(e?.Records)) {
    return e.Records.map((r, index) => {
      const s3 = (r as Partial<S3Event['Records'][number]> | undefined)?.s3;
      return recordOf(index, s3?.bucket?.name, s3?.object?.key, s3?.object?.versionId);
    });
  }
  if (e?.source === 'aws.s3' && e.detail && typeof e.detail === 'object') {
    const d = e.detail as Partial<S3ObjectCreatedNotificationEvent['detail']>;
    return [recordOf(0, d.bucket?.name, d.object?.key, d.object?.['version-id'])];
  }
  throw new BadEventError('not an S3 object event: expected Records[] or an EventBridge event from aws.s3');
}

/** The event itself is malformed; retrying it cannot help. */
export class BadEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadEventError';
  }
}

/** Result of one record. */
export type RecordResult<R> =
  | { index: number; ok: true; object: EventObject; value: R }
  | { index: number; ok: false; object?: EventObject; error: unknown };

/**
 * Run `work` for every record, one after the other, and collect each outcome: a failing record never stops the
 * records after it. Records from a bucket other than `bucket` are failures (a wiring mistake to see, not skip).
 */
export async function forEachObject<R>(
  records: readonly EventRecord[],
  bucket: string,
  work: (object: EventObject) => Promise<R>,
): Promise<RecordResult<R>[]> {
  const results: RecordResult<R>[] = [];
  for (const record of records) {
    if ('problem' in record) {
      results.push({ index: record.index, ok: false, error: new BadEventError(record.problem) });
      continue;
    }
    const { object } = record;
    try {
      if (object.bucket !== bucket) {
        throw new BadEventError(`the record is from bucket ${object.bucket}, not the data bucket ${bucket}`);
      }
      results.push({ index: record.index, ok: true, object, value: await work(object) });
    } catch (error) {
      results.push({ index: record.index, ok: false, object, error });
    }
  }
  return results;
}

/**
 * Log fields of a failed record: record number, the key's folder (`inbox/<project>/`), error type, and the
 * message with the key itself cut out: keys end in file names coordinators chose (no personal data in logs).
 */
export function failureLogFields(result: RecordResult<unknown> & { ok: false }): Record<string, string | number> {
  const error = result.error instanceof Error ? result.error : new Error(String(result.error));
  const key = result.object?.key;
  const folder = key ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  return {
    record: result.index,
    folder,
    error: error.name,
    message: key ? error.message.split(key).join('<key>') : error.message,
  };
}

/**
 * Some records failed. Thrown after all records were processed, so Lambda retries the event (ingest is idempotent:
 * done records are skipped) and, when retries run out, the event goes to the on-failure destination. The message
 * names record numbers and error types only: object keys are file names coordinators chose.
 */
export class RecordsFailedError extends Error {
  constructor(
    readonly failed: { index: number; error: string }[],
    readonly total: number,
  ) {
    super(`${failed.length} of ${total} records failed: ${failed.map((f) => `#${f.index} ${f.error}`).join(', ')}`);
    this.name = 'RecordsFailedError';
  }
}

/** Throw {@link RecordsFailedError} when any record failed. */
export function throwIfAnyFailed(results: readonly RecordResult<unknown>[]): void {
  const failed = results.flatMap((r) =>
    r.ok ? [] : [{ index: r.index, error: r.error instanceof Error ? r.error.name : 'Error' }],
  );
  if (failed.length > 0) throw new RecordsFailedError(failed, results.length);
}
