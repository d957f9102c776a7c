/**
 * The self-contained archive (DESIGN §3): before a revision's (or an Art. 42 transmission's) manifest is written,
 * everything `archive verify` needs beyond its outputs goes into the content-addressed store `blobs/sha256/<sha256>`:
 * every raw upload and normalised record it uses, every registry workbook and record involved (the one in force,
 * and those its submissions were validated against), and the code bundle. One object per SHA-256, written
 * create-only; a blob an earlier revision stored is reused, and its retention extended to this revision's (on S3,
 * Object Lock).
 */
import { keys } from '../core/keys';
import type { ArchivedItem, ManifestArchive, ManifestSource } from '../core/manifest';
import { AlreadyExistsError } from '../core/ports';
import type { NormalisedSubmission, Registry } from '../core/types';
import { TRANSMISSION_PROTOCOL, VERIFIER_PROTOCOL } from '../core/verifier-protocol';
import { type Deps, parseJson, sha256Hex } from './deps';
import { mapLimit, nextTurn } from './map-limit';
import type { RevisionPlan } from './revisions';

/** An input that is not what the plan or its record says it is: the revision cannot be archived as planned. */
export class ArchiveInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveInputError';
  }
}

type ArchiveDeps = Pick<Deps, 'store' | 'code' | 'archiveControl' | 'log'>;

/** Stores each input as it is read (never all at once: a programme's uploads may not fit in memory together). */
interface Archiver {
  deps: ArchiveDeps;
  retainUntil: Date | null;
  seen: Set<string>;
  stored: number;
}

/** Store a blob once; a blob already there is reused and kept at least until `retainUntil`. */
async function putBlob(a: Archiver, sha256: string, bytes: Uint8Array): Promise<void> {
  if (a.seen.has(sha256)) return;
  a.seen.add(sha256);
  const key = keys.blob(sha256);
  try {
    await a.deps.store.put(key, bytes, { ifNoneMatch: true, contentType: 'application/octet-stream', sha256 });
    a.stored++;
    return;
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
  const control = a.deps.archiveControl;
  if (a.retainUntil && control?.retainUntil && control.extendRetention) {
    const current = await control.retainUntil(key);
    if (!current || current < a.retainUntil) await control.extendRetention(key, a.retainUntil);
  }
}

/** Read one input, check it against its recorded hash, archive it; returns its entry and bytes. */
async function archiveItem(
  a: Archiver,
  role: ArchivedItem['role'],
  key: string,
  version?: string,
  expectSha?: string,
): Promise<{ item: ArchivedItem; bytes: Uint8Array }> {
  const obj = await a.deps.store.get(key, version);
  const what = version ? `${key} (version ${version})` : key;
  if (!obj) throw new ArchiveInputError(`${what} is missing: it cannot be archived with the revision`);
  const sha256 = sha256Hex(obj.bytes);
  if (expectSha !== undefined && sha256 !== expectSha)
    throw new ArchiveInputError(`${what} has SHA-256 ${sha256}, not the ${expectSha} recorded for it`);
  await putBlob(a, sha256, obj.bytes);
  return {
    item: { role, key, ...(version ? { version } : {}), sha256, bytes: obj.bytes.byteLength },
    bytes: obj.bytes,
  };
}

/** A registry version's record and upload. */
async function archiveRegistry(a: Archiver, version: string): Promise<ArchivedItem[]> {
  const record = await archiveItem(a, 'registry-record', keys.registryVersion(version));
  const { key, sha256 } = parseJson<Registry>(record.bytes, record.item.key).source;
  return [record.item, (await archiveItem(a, 'registry', key, version, sha256)).item];
}

/** What was built from: the registry upload in force and every source (a revision's plan, a transmission's). */
export interface ArchiveBasis {
  registry: { key: string; version: string; sha256: string };
  sources: readonly ManifestSource[];
}

/**
 * Records the caller has read already, by record key: a revision's were just loaded to render it, so their registry
 * version is not parsed out of the same bytes again (500 projects' records are megabytes of JSON).
 */
export type KnownRecords = ReadonlyMap<string, Pick<NormalisedSubmission, 'registryVersion'>>;

/** Every input of the plan, each checked against its recorded hash and archived; sorted by role, key, version. */
async function archivePlanInputs(a: Archiver, plan: ArchiveBasis, known?: KnownRecords): Promise<ArchivedItem[]> {
  const perSource = await mapLimit(plan.sources, 8, async (s) => {
    // A revision's archive runs on the thread that feeds the render pool, while the projects render.
    await nextTurn();
    const raw = await archiveItem(a, 'source', s.key, s.version, s.sha256);
    const record = await archiveItem(a, 'record', s.recordKey);
    const { registryVersion } = known?.get(s.recordKey) ?? parseJson<NormalisedSubmission>(record.bytes, s.recordKey);
    return { items: [raw.item, record.item], registryVersion };
  });
  const versions = new Set([plan.registry.version, ...perSource.flatMap((s) => s.registryVersion ?? [])]);
  const registries = await mapLimit([...versions], 4, (v) => archiveRegistry(a, v));
  const inForce = registries[0]!.find((i) => i.role === 'registry')!;
  if (inForce.key !== plan.registry.key || inForce.sha256 !== plan.registry.sha256)
    throw new ArchiveInputError(`registry version ${plan.registry.version} names another upload than the plan`);
  const order = (i: ArchivedItem) => `${i.role}\n${i.key}\n${i.version ?? ''}`;
  return [...registries.flat(), ...perSource.flatMap((s) => s.items)].sort((x, y) =>
    order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0,
  );
}

/**
 * Archive the plan's inputs and the code; returns the manifest's `archive` section. `retainLike` is an object of
 * this revision already written (its retention is the revision's); idempotent, so a resumed finish repeats it.
 * `known`: the plan's records as the caller loaded them from the same keys (see {@link KnownRecords}).
 */
export function archiveRevisionInputs(
  deps: ArchiveDeps,
  plan: RevisionPlan,
  retainLike: string,
  known?: KnownRecords,
): Promise<ManifestArchive> {
  const about = { period: plan.period, revision: plan.revision };
  return archiveInputs(deps, plan, retainLike, VERIFIER_PROTOCOL, about, known);
}

/**
 * The same for an Art. 42 transmission: its registry and sources (its manifest's), and the code, which verify
 * runs with protocol 2 (it builds the transmission). `retainLike`: the transmission's plan.
 */
export function archiveTransmissionInputs(
  deps: ArchiveDeps,
  basis: ArchiveBasis,
  retainLike: string,
  about: { cutoff: string; revision: number },
): Promise<ManifestArchive> {
  return archiveInputs(deps, basis, retainLike, TRANSMISSION_PROTOCOL, about);
}

async function archiveInputs(
  deps: ArchiveDeps,
  basis: ArchiveBasis,
  retainLike: string,
  protocol: number,
  about: Record<string, string | number>,
  known?: KnownRecords,
): Promise<ManifestArchive> {
  const control = deps.archiveControl;
  const retainUntil = control?.retainUntil ? await control.retainUntil(retainLike) : null;
  const a: Archiver = { deps, retainUntil, seen: new Set(), stored: 0 };
  const items = await archivePlanInputs(a, basis, known);
  const code = deps.code ? await deps.code() : null;
  // Without code (a host without the bundle) the revision will verify as "code not archived"; the line says so.
  if (code) await putBlob(a, code.sha256, code.bytes);
  deps.log.info('archive.inputs', { ...about, blobs: a.seen.size, stored: a.stored, code: code?.sha256 ?? 'none' });
  return { code: code ? { sha256: code.sha256, bytes: code.bytes.byteLength, protocol } : null, items };
}
