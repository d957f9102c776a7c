/**
 * The registry in force: the newest accepted registry upload (docs/architecture.md §3), stored normalised under
 * `registry-versions/`.
 */
import { keys } from '../core/keys';
import type { ObjectStore } from '../core/ports';
import { upgradeSubmission } from '../core/submission-record';
import type { NormalisedSubmission, Registry } from '../core/types';
import { parseJson } from './deps';
import { mapLimit } from './map-limit';
import { readListedRecord } from './records';

export async function loadRegistryInForce(store: ObjectStore): Promise<Registry | null> {
  let best: Registry | null = null;
  for (const info of await store.list(keys.registryVersionsPrefix)) {
    const obj = await store.get(info.key);
    if (!obj) continue;
    const registry = parseJson<Registry>(obj.bytes, info.key);
    if (
      !best ||
      registry.source.uploadedAt > best.source.uploadedAt ||
      (registry.source.uploadedAt === best.source.uploadedAt && registry.source.version > best.source.version)
    ) {
      best = registry;
    }
  }
  return best;
}

/** Every accepted submission, optionally for one period only. */
export async function loadSubmissions(store: ObjectStore, period?: string): Promise<NormalisedSubmission[]> {
  const prefix = period ? keys.submissionsOf(period) : keys.submissionsPrefix;
  const infos = (await store.list(prefix)).filter((info) => info.key.endsWith('.json'));
  const loaded = await mapLimit(infos, 16, (info) => readListedRecord(store, info, upgradeSubmission));
  return loaded.filter((s): s is NormalisedSubmission => s !== null);
}

/** Every accepted submission of `period` and the periods before it (what a report of `period` may need). */
export async function loadSubmissionsUpTo(store: ObjectStore, period: string): Promise<NormalisedSubmission[]> {
  const infos = (await store.list(keys.submissionsPrefix)).filter((info) => {
    const recordPeriod = info.key.split('/')[1] ?? '';
    return info.key.endsWith('.json') && /^\d{4}-Q[1-4]$/.test(recordPeriod) && recordPeriod <= period;
  });
  // Parsed once per run when the run shares records (every period's planning reads every earlier record).
  const loaded = await mapLimit(infos, 16, (info) => readListedRecord(store, info, upgradeSubmission));
  return loaded.filter((s): s is NormalisedSubmission => s !== null);
}
