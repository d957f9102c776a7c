/**
 * `purge-upload`: an operator removes an upload that should never have been kept — a refused workbook full of
 * personal codes, say. The upload version, its rejection record and its annotated copy are deleted; a purge record
 * stays (when, why, which objects with which hashes), so the archive still explains the gap. The one deletion the
 * system may make (docs/architecture.md §7); nothing else in the code base deletes.
 */
import { keys, parseInboxKey } from '../core/keys';
import type { Clock, Logger, ObjectPurger, ObjectStore } from '../core/ports';
import { jsonBytes, sha256Hex } from './deps';

export interface PurgeDeps {
  store: ObjectStore;
  purger: ObjectPurger;
  clock: Clock;
  log: Logger;
}

/** What a purge leaves behind, at `purges/<version>.json`. */
export interface PurgeRecord {
  schemaVersion: 1;
  kind: 'purge';
  key: string;
  version: string;
  purgedAt: string;
  reason: string;
  /** Every object deleted, with the SHA-256 it had. */
  deleted: { key: string; version: string; sha256: string; bytes: number }[];
}

export class PurgeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PurgeRefusedError';
  }
}

/** Purge one upload version; repeatable (a second run finds nothing more to delete and keeps the first record). */
export async function purgeUpload(
  deps: PurgeDeps,
  request: { key: string; version: string; reason: string },
): Promise<PurgeRecord> {
  const { key, version } = request;
  const reason = request.reason.trim();
  if (!reason) throw new PurgeRefusedError('a purge needs a reason (--reason TEXT)');
  const inbox = parseInboxKey(key);
  if (!inbox) throw new PurgeRefusedError(`only uploads under ${keys.inboxPrefix} can be purged, not ${key}`);
  const recordKey = keys.purge(version);
  const previous = await deps.store.get(recordKey);
  const upload = await deps.store.get(key, version);
  if (!upload && !previous) throw new PurgeRefusedError(`${key} has no version ${version}`);
  const candidates = [
    { key, version, object: upload },
    ...(['json', 'xlsx'] as const).map((ext) => ({ key: keys.rejection(inbox.folder, version, ext) })),
  ];
  const deleted: PurgeRecord['deleted'] = [];
  for (const c of candidates) {
    const object = 'object' in c ? c.object : await deps.store.get(c.key);
    if (!object) continue;
    deleted.push({ key: c.key, version: object.version, sha256: sha256Hex(object.bytes), bytes: object.bytes.length });
  }
  if (previous && deleted.length === 0) return JSON.parse(new TextDecoder().decode(previous.bytes)) as PurgeRecord;
  const record: PurgeRecord = {
    schemaVersion: 1,
    kind: 'purge',
    key,
    version,
    purgedAt: deps.clock.now().toISOString(),
    reason,
    deleted,
  };
  // The record first: should a deletion fail, the record says what was meant, and a re-run completes it.
  await deps.store.put(recordKey, jsonBytes(record));
  for (const d of deleted) await deps.purger.deleteVersion(d.key, d.version);
  deps.log.info('upload purged', { objects: deleted.length, recordKey });
  return record;
}
