/** Reading one stored JSON record by key: null when absent, {@link CorruptRecordError} (naming it) when unreadable. */
import { keys } from '../core/keys';
import type { ObjectStore } from '../core/ports';
import { type Deps, parseJson } from './deps';

export async function readRecord<T>(deps: Pick<Deps, 'store'>, key: string): Promise<T | null> {
  const obj = await deps.store.get(key);
  if (!obj) return null;
  const shared = sharing.get(deps.store);
  if (!shared || !key.startsWith(keys.submissionsPrefix)) return parseJson<T>(obj.bytes, key);
  return shared.parsed(`${key}\n${obj.version}`, () => parseJson<T>(obj.bytes, key));
}

/**
 * Submission records parsed once per run (issue 19): every period's planning reads every earlier period's records,
 * and every revision's inputs are read again to render and to deliver, so a backfill of n periods parsed each record
 * up to 2n times. A record's content is fixed by its store version (the S3 version id, the folder store's content
 * hash), so the cache is keyed by key and version and can never return other content than the store holds. It lives
 * from {@link shareParsedRecords} to its release; the parsed objects are shared, so their readers must not change
 * them (the report model and the revision policy are pure functions).
 */
class ParsedRecords {
  runs = 0;
  private readonly byVersion = new Map<string, unknown>();

  /** `id`: the record's key and version, and what was done to it after parsing when that differs. */
  parsed<T>(id: string, parse: () => T): T {
    if (this.byVersion.has(id)) return this.byVersion.get(id) as T;
    const value = parse();
    this.byVersion.set(id, value);
    return value;
  }

  known<T>(id: string): T | undefined {
    return this.byVersion.get(id) as T | undefined;
  }
}

const sharing = new WeakMap<ObjectStore, ParsedRecords>();

/** Share parsed submission records of `store` until the returned function is called (calls may nest or overlap). */
export function shareParsedRecords(store: ObjectStore): () => void {
  let shared = sharing.get(store);
  if (!shared) {
    shared = new ParsedRecords();
    sharing.set(store, shared);
  }
  shared.runs++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--shared.runs === 0) sharing.delete(store);
  };
}

/**
 * A submission record listed with `version`: as parsed earlier in the run, or read and parsed now (null when it is
 * gone). `upgrade` turns a parsed record into the current schema and is kept with it.
 */
export async function readListedRecord<T>(
  store: ObjectStore,
  info: { key: string; version: string },
  upgrade: (record: T) => T,
): Promise<T | null> {
  const shared = info.key.startsWith(keys.submissionsPrefix) ? sharing.get(store) : undefined;
  const upgradedId = (version: string) => `${info.key}\n${version}\nupgraded`;
  const known = shared?.known<T>(upgradedId(info.version));
  if (known !== undefined) return known;
  const obj = await store.get(info.key);
  if (!obj) return null;
  const read = () => {
    const parsed = parseJson<T>(obj.bytes, info.key);
    const upgraded = upgrade(parsed);
    // A record already in the current schema comes back as it was parsed: a plain read of the same version (a
    // revision's inputs, read by key) shares this parse instead of parsing the bytes again.
    if (upgraded === parsed) shared?.parsed(`${info.key}\n${obj.version}`, () => parsed);
    return upgraded;
  };
  return shared ? shared.parsed(upgradedId(obj.version), read) : read();
}
