/**
 * What the archive's use cases (list, get, hold, verify; reports and Art. 42 transmissions alike) share: the
 * lookup error, reading JSON objects that may be tampered with, the revision folders of one listing, the report a
 * key is, and reading an item with its hash checked against the manifest.
 */
import { keys, parseReportFile, parseReportKey } from '../../core/keys';
import type { Manifest, ManifestOutput } from '../../core/manifest';
import type { ArchiveControl, Logger, ObjectStore } from '../../core/ports';
import type { Lang } from '../../core/types';
import { parseJson, sha256Hex } from '../deps';
import { mapLimit } from '../map-limit';

/** What the archive use cases need: the store, and for holds and download links the store's archive control. */
export interface ArchiveDeps {
  store: ObjectStore;
  log: Logger;
  control?: ArchiveControl;
}

/** A request the archive cannot answer (no such period, revision or report): the caller's mistake, named. */
export class ArchiveLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveLookupError';
  }
}

export const PROGRAMME = 'programme';
export const PLAN_FILE = 'plan.json';
export const MANIFEST_FILE = 'manifest.json';

/** JSON that may have been tampered with: null where it does not parse (or is not there). */
export function tryParse<T>(bytes: Uint8Array | undefined): T | null {
  if (!bytes) return null;
  try {
    return parseJson<T>(bytes);
  } catch {
    return null;
  }
}

export async function readJsonObject<T>(store: ObjectStore, key: string) {
  const obj = await store.get(key);
  return obj ? { bytes: obj.bytes, value: tryParse<T>(obj.bytes) } : null;
}

/** folder (a period, or a transmission's cut-off) → revision → file names. */
export type RevisionFolders = Map<string, Map<number, Set<string>>>;

/** The revision folders of one listing under `prefix`; `parse` says which folder, revision and file a key is. */
export async function revisionFolders(
  store: ObjectStore,
  prefix: string,
  parse: (key: string) => { folder: string; revision: number; file: string } | null,
): Promise<RevisionFolders> {
  const out: RevisionFolders = new Map();
  for (const info of await store.list(prefix)) {
    const parsed = parse(info.key);
    if (!parsed) continue;
    const revisions = out.get(parsed.folder) ?? new Map<number, Set<string>>();
    out.set(parsed.folder, revisions);
    const files = revisions.get(parsed.revision) ?? new Set<string>();
    revisions.set(parsed.revision, files);
    files.add(parsed.file);
  }
  return out;
}

/** period → revision → file names, from one listing. */
export function archivedRevisions(store: ObjectStore, period?: string): Promise<RevisionFolders> {
  return revisionFolders(store, period ? keys.reportsOf(period) : keys.reportsPrefix, (key) => {
    const parsed = parseReportKey(key);
    return parsed && { folder: parsed.period, revision: parsed.revision, file: parsed.file };
  });
}

/** The revisions of a period with a manifest (complete), ascending. */
export async function completeRevisions(store: ObjectStore, period: string): Promise<number[]> {
  const revisions = (await archivedRevisions(store, period)).get(period) ?? new Map<number, Set<string>>();
  return [...revisions.entries()]
    .filter(([, files]) => files.has(MANIFEST_FILE))
    .map(([n]) => n)
    .sort((a, b) => a - b);
}

export async function chooseRevision(store: ObjectStore, period: string, revision?: number): Promise<number> {
  const complete = await completeRevisions(store, period);
  if (revision === undefined) {
    const latest = complete[complete.length - 1];
    if (latest === undefined) throw new ArchiveLookupError(`no archived revision of ${period}`);
    return latest;
  }
  if (!complete.includes(revision)) throw new ArchiveLookupError(`${period} has no complete revision r${revision}`);
  return revision;
}

/** The report a key is: a project's id, or `programme` (any edition). */
export function subjectOf(key: string): string | null {
  const file = parseReportKey(key)?.file;
  return file ? (parseReportFile(file)?.subject ?? null) : null;
}

/** The edition a report key is (`lv` for the unsuffixed names). */
export function editionOfKey(key: string): Lang | null {
  const file = parseReportKey(key)?.file;
  return file ? (parseReportFile(file)?.edition ?? null) : null;
}

/** One file of an archive download: where it is stored, what its hash must be, and where it goes in the folder. */
export interface ArchiveItem {
  role: 'report' | 'manifest' | 'plan' | 'source' | 'registry';
  key: string;
  /** The source object version (sources and registry); reports are read as stored. */
  version?: string;
  /** The SHA-256 the manifest records, when it records one. */
  sha256?: string;
  /** Relative, `/`-separated path in the download folder. */
  path: string;
}

/** A downloaded item: its bytes as stored, and whether they hash to what the manifest records. */
export interface FetchedItem extends ArchiveItem {
  bytes: Uint8Array;
  actualSha256: string;
  /** null when the manifest records no hash for it (the plan, the manifest itself). */
  hashOk: boolean | null;
}

/** A key's segments made safe as a relative path (no `.`/`..`/empty segments), so a key cannot escape the folder. */
export function safePath(key: string): string {
  return key
    .split('/')
    .map((part) => (part === '' || part === '.' || part === '..' ? '_' : part))
    .join('/');
}

export function basename(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

export function isManifestShaped(m: Manifest | null): m is Manifest {
  return (
    !!m &&
    m.kind === 'manifest' &&
    Array.isArray(m.sources) &&
    Array.isArray(m.outputs) &&
    typeof m.registry?.version === 'string'
  );
}

/** One revision as a listing shows it (of a period's reports, or of a transmission's cut-off). */
export interface ListedRevision {
  revision: number;
  /** `complete`: the manifest is there; `incomplete`: planned, not finished; `unreadable`: the manifest does not parse. */
  status: 'complete' | 'incomplete' | 'unreadable';
  generatedAt: string | null;
  codeVersion: string | null;
  manifestKey: string;
  /** SHA-256 of the manifest's bytes: note it down, and `archive verify --manifest-sha256` checks it later. */
  manifestSha256: string | null;
  /** The report files (only the filtered project's, when a project is given). */
  outputs: ManifestOutput[];
  sources: number;
}

/** A revision before its manifest is read: incomplete until the manifest says otherwise. */
export function unreadRevision(revision: number, manifestKey: string): ListedRevision {
  return {
    revision,
    status: 'incomplete',
    generatedAt: null,
    codeVersion: null,
    manifestKey,
    manifestSha256: null,
    outputs: [],
    sources: 0,
  };
}

/** What a revision's manifest says, as a listing shows it (`unreadable`: there, but it does not parse). */
export interface ManifestSummary {
  status: 'complete' | 'unreadable';
  manifestSha256: string | null;
  generatedAt?: string;
  codeVersion?: string;
  outputs?: ManifestOutput[];
  sources?: number;
}

/** Reads a revision's manifest for a listing: its hash as stored, and its facts when it has the expected shape. */
export async function summariseManifest<
  M extends { generatedAt: string; codeVersion: string; outputs: ManifestOutput[]; sources: unknown[] },
>(store: ObjectStore, key: string, isShaped: (m: M | null) => m is M): Promise<ManifestSummary> {
  const obj = await store.get(key);
  const manifestSha256 = obj ? sha256Hex(obj.bytes) : null;
  const manifest = tryParse<M>(obj?.bytes);
  if (!isShaped(manifest)) return { status: 'unreadable', manifestSha256 };
  return {
    status: 'complete',
    manifestSha256,
    generatedAt: manifest.generatedAt,
    codeVersion: manifest.codeVersion,
    outputs: manifest.outputs,
    sources: manifest.sources.length,
  };
}

/** One item read as stored (by version, where it has one); a missing item is named with the command that checks it. */
export async function readItem(store: ObjectStore, item: ArchiveItem, verifyWhat: string) {
  const obj = await store.get(item.key, item.version);
  if (!obj) {
    const what = item.version ? `${item.key} (version ${item.version})` : item.key;
    throw new ArchiveLookupError(`${what} is missing from the archive: run archive verify ${verifyWhat}`);
  }
  return obj;
}

/** Every item read and checked against the hash the manifest records. */
export function fetchItems(store: ObjectStore, items: ArchiveItem[], verifyWhat: string): Promise<FetchedItem[]> {
  return mapLimit(items, 8, async (item): Promise<FetchedItem> => {
    const obj = await readItem(store, item, verifyWhat);
    const actualSha256 = sha256Hex(obj.bytes);
    return { ...item, bytes: obj.bytes, actualSha256, hashOk: item.sha256 ? actualSha256 === item.sha256 : null };
  });
}
