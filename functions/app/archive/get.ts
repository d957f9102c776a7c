/** `archive get`: the files of one report, its manifest and plan, and the uploads behind it, hash-checked. */
import { keys } from '../../core/keys';
import type { Manifest, ManifestSource } from '../../core/manifest';
import type { Lang, NormalisedSubmission } from '../../core/types';
import { sha256Hex } from '../deps';
import { mapLimit } from '../map-limit';
import {
  type ArchiveDeps,
  type ArchiveItem,
  ArchiveLookupError,
  basename,
  chooseRevision,
  editionOfKey,
  type FetchedItem,
  fetchItems,
  MANIFEST_FILE,
  PLAN_FILE,
  PROGRAMME,
  readItem,
  readJsonObject,
  safePath,
  subjectOf,
} from './shared';

export interface ArchiveQuery {
  period: string;
  /** A project id, or `programme`. */
  subject: string;
  /** Default: the latest complete revision. */
  revision?: number;
  /** Only this edition's report files (`lv`: `<id>.pdf`, `en`: `<id>.en.pdf`); default: every edition. */
  edition?: Lang;
}

/** A raw upload's place under `sources/`; a key that fed the report in several versions gets the version too. */
function sourcePath(key: string, version: string, versionsOfKey: number): string {
  if (versionsOfKey < 2) return `sources/${safePath(key)}`;
  const m = /^(.*?)(\.[^./]*)?$/.exec(key)!;
  return `sources/${safePath(`${m[1]}@${version}${m[2] ?? ''}`)}`;
}

/** What `archive get` hands over for one report: its files, the manifest and plan, and the uploads behind it. */
export async function selectArchiveItems(
  deps: Pick<ArchiveDeps, 'store'>,
  query: ArchiveQuery,
): Promise<{ period: string; revision: number; items: ArchiveItem[] }> {
  const { period, subject } = query;
  const revision = await chooseRevision(deps.store, period, query.revision);
  const manifestKey = keys.manifest(period, revision);
  const read = await readJsonObject<Manifest>(deps.store, manifestKey);
  const manifest = read?.value;
  if (!manifest || !Array.isArray(manifest.outputs) || !Array.isArray(manifest.sources)) {
    throw new ArchiveLookupError(`${manifestKey} does not parse: run archive verify ${period} --revision ${revision}`);
  }
  const ofSubject = manifest.outputs.filter((o) => subjectOf(o.key) === subject);
  if (ofSubject.length === 0) {
    const known = [...new Set(manifest.outputs.map((o) => subjectOf(o.key)))].join(', ');
    throw new ArchiveLookupError(`${period} r${revision} has no report "${subject}" (it has: ${known})`);
  }
  const reports =
    query.edition === undefined ? ofSubject : ofSubject.filter((o) => editionOfKey(o.key) === query.edition);
  if (reports.length === 0) {
    const known = [...new Set(ofSubject.map((o) => editionOfKey(o.key)))].join(', ');
    throw new ArchiveLookupError(
      `${period} r${revision} has no ${query.edition} edition of "${subject}" (it has: ${known})`,
    );
  }
  let sources: ManifestSource[] = manifest.sources;
  if (subject !== PROGRAMME) {
    // A project's report is built from its own uploads (all periods so far); the records say whose they are.
    const owners = await mapLimit(manifest.sources, 16, async (s) => {
      const record = await readJsonObject<NormalisedSubmission>(deps.store, s.recordKey);
      if (!record?.value) throw new ArchiveLookupError(`submission record ${s.recordKey} is missing or unreadable`);
      return record.value.projectId;
    });
    sources = manifest.sources.filter((_, i) => owners[i] === subject);
  }
  const versionsOf = new Map<string, number>();
  for (const s of sources) versionsOf.set(s.key, (versionsOf.get(s.key) ?? 0) + 1);
  const items: ArchiveItem[] = [
    ...reports.map(
      (o): ArchiveItem => ({ role: 'report', key: o.key, sha256: o.sha256, path: safePath(basename(o.key)) }),
    ),
    { role: 'manifest', key: manifestKey, path: MANIFEST_FILE },
    { role: 'plan', key: keys.plan(period, revision), path: PLAN_FILE },
    {
      role: 'registry',
      key: manifest.registry.key,
      version: manifest.registry.version,
      sha256: manifest.registry.sha256,
      path: `sources/${safePath(manifest.registry.key)}`,
    },
    ...sources.map(
      (s): ArchiveItem => ({
        role: 'source',
        key: s.key,
        version: s.version,
        sha256: s.sha256,
        path: sourcePath(s.key, s.version, versionsOf.get(s.key) ?? 1),
      }),
    ),
  ];
  return { period, revision, items };
}

/** The files of one report with their manifest, plan and sources, each checked against the manifest's hash. */
export async function getArchive(
  deps: Pick<ArchiveDeps, 'store'>,
  query: ArchiveQuery,
): Promise<{ period: string; revision: number; items: FetchedItem[] }> {
  const selected = await selectArchiveItems(deps, query);
  return { ...selected, items: await fetchItems(deps.store, selected.items, query.period) };
}

/** A presigned download of one item. */
export interface PresignedItem extends ArchiveItem {
  url: string;
}

/**
 * Download links instead of files: each item is read and hash-checked first, then its URL is signed for exactly
 * the version read, so a link never serves content other than what was checked (on a versioned bucket).
 */
export async function presignArchive(
  deps: ArchiveDeps,
  query: ArchiveQuery,
  options: { expiresInSeconds: number; now: Date },
): Promise<{ period: string; revision: number; expiresAt: string; items: PresignedItem[]; mismatched: string[] }> {
  const presign = deps.control?.presignGet?.bind(deps.control);
  if (!presign) throw new ArchiveLookupError('download links need the S3 archive (--bucket and --archive-bucket)');
  const selected = await selectArchiveItems(deps, query);
  const mismatched: string[] = [];
  const items = await mapLimit(selected.items, 8, async (item): Promise<PresignedItem> => {
    const obj = await readItem(deps.store, item, query.period);
    if (item.sha256 && sha256Hex(obj.bytes) !== item.sha256) mismatched.push(item.key);
    return { ...item, url: await presign(item.key, obj.version, options.expiresInSeconds) };
  });
  const expiresAt = new Date(options.now.getTime() + options.expiresInSeconds * 1000).toISOString();
  return { period: selected.period, revision: selected.revision, expiresAt, items, mismatched };
}
