/**
 * The auditor archive for Art. 42 transmissions (`transmissions/<cutoff>/r<n>/`), as this folder is for reports:
 * list the revisions, get one with its manifest, plan and the uploads behind it (each hash-checked), and verify
 * it with its own archived code (`verify-transmission.ts`).
 */
import { keys, parseTransmissionKey } from '../../core/keys';
import type { ObjectStore } from '../../core/ports';
import type { CodeLimits } from '../archived-code';
import { sha256Hex } from '../deps';
import type { TransmissionManifest } from '../transmission';
import {
  type ArchiveItem,
  ArchiveLookupError,
  type FetchedItem,
  fetchItems,
  type ListedRevision,
  MANIFEST_FILE,
  type RevisionFolders,
  revisionFolders,
  summariseManifest,
  tryParse,
  unreadRevision,
} from './shared';
import type { VerifyReport } from './verify-context';
import { verifyArchivedTransmission } from './verify-transmission';

/** One transmission revision as `archive list` shows it. */
export interface ArchivedTransmission extends ListedRevision {
  cutoff: string;
}

/** cut-off → revision → file names. */
function archived(store: ObjectStore, cutoff?: string): Promise<RevisionFolders> {
  return revisionFolders(store, cutoff ? `${keys.transmissionsPrefix}${cutoff}/` : keys.transmissionsPrefix, (key) => {
    const parsed = parseTransmissionKey(key);
    return parsed && { folder: parsed.cutoff, revision: parsed.revision, file: parsed.file };
  });
}

const isManifest = (m: TransmissionManifest | null): m is TransmissionManifest =>
  !!m && m.kind === 'transmission-manifest' && Array.isArray(m.outputs) && Array.isArray(m.sources);

/** Every archived transmission revision, oldest cut-off first. */
export async function listTransmissions(
  deps: { store: ObjectStore },
  filter: { cutoff?: string } = {},
): Promise<ArchivedTransmission[]> {
  const out: ArchivedTransmission[] = [];
  const all = await archived(deps.store, filter.cutoff);
  for (const cutoff of [...all.keys()].sort()) {
    const revisions = all.get(cutoff)!;
    for (const revision of [...revisions.keys()].sort((a, b) => a - b)) {
      const manifestKey = keys.transmissionManifest(cutoff, revision);
      const row: ArchivedTransmission = { cutoff, ...unreadRevision(revision, manifestKey) };
      if (revisions.get(revision)!.has(MANIFEST_FILE))
        Object.assign(row, await summariseManifest(deps.store, manifestKey, isManifest));
      out.push(row);
    }
  }
  return out;
}

async function readManifest(store: ObjectStore, cutoff: string, revision?: number) {
  const complete = (await listTransmissions({ store }, { cutoff })).filter((r) => r.status !== 'incomplete');
  const chosen = revision === undefined ? complete.at(-1) : complete.find((r) => r.revision === revision);
  if (!chosen) throw new ArchiveLookupError(`no archived transmission ${cutoff}${revision ? ` r${revision}` : ''}`);
  const obj = await store.get(chosen.manifestKey);
  const manifest = tryParse<TransmissionManifest>(obj?.bytes);
  if (!obj || !isManifest(manifest))
    throw new ArchiveLookupError(`${chosen.manifestKey} does not parse: run archive verify ${cutoff}`);
  return { manifest, manifestKey: chosen.manifestKey, manifestSha256: sha256Hex(obj.bytes) };
}

/** What `archive get <cutoff> transmission` hands over: both editions, manifest, plan, registry and uploads. */
export async function getTransmission(
  deps: { store: ObjectStore },
  query: { cutoff: string; revision?: number },
): Promise<{ cutoff: string; revision: number; items: FetchedItem[] }> {
  const { manifest, manifestKey } = await readManifest(deps.store, query.cutoff, query.revision);
  const base = (key: string) => key.slice(key.lastIndexOf('/') + 1);
  const items: ArchiveItem[] = [
    ...manifest.outputs.map((o): ArchiveItem => ({ role: 'report', key: o.key, sha256: o.sha256, path: base(o.key) })),
    { role: 'manifest', key: manifestKey, path: 'manifest.json' },
    { role: 'plan', key: keys.transmissionPlan(manifest.cutoff, manifest.revision), path: 'plan.json' },
    {
      role: 'registry',
      key: manifest.registry.key,
      version: manifest.registry.version,
      sha256: manifest.registry.sha256,
      path: `sources/${manifest.registry.key}`,
    },
    ...manifest.sources.map(
      (s): ArchiveItem => ({
        role: 'source',
        key: s.key,
        version: s.version,
        sha256: s.sha256,
        path: `sources/${s.key.replace(/(\.[^./]*)?$/, `@${s.version}$1`)}`.replace(/\.\.+/g, '_'),
      }),
    ),
  ];
  const fetched = await fetchItems(deps.store, items, query.cutoff);
  return { cutoff: manifest.cutoff, revision: manifest.revision, items: fetched };
}

/**
 * Verify a transmission revision (the latest, or `revision`) with its own archived code: see
 * `verify-transmission.ts`. One archived before its code was (schema 1) is "code not archived" when every hash holds.
 */
export async function verifyTransmission(
  deps: { store: ObjectStore },
  cutoff: string,
  options: { revision?: number; codeLimits?: CodeLimits } = {},
): Promise<VerifyReport> {
  const read = await readManifest(deps.store, cutoff, options.revision);
  return verifyArchivedTransmission(deps.store, read, options.codeLimits);
}

/** Every cut-off with an archived transmission. */
export async function archivedCutoffs(deps: { store: ObjectStore }): Promise<string[]> {
  return [...(await archived(deps.store)).keys()].sort();
}
