/** Reading one stored JSON record by key: null when absent, {@link CorruptRecordError} (naming it) when unreadable. */
import { type Deps, parseJson } from './deps';

export async function readRecord<T>(deps: Pick<Deps, 'store'>, key: string): Promise<T | null> {
  const obj = await deps.store.get(key);
  return obj ? parseJson<T>(obj.bytes, key) : null;
}
