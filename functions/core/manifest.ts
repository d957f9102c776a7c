/**
 * The manifest of one report revision (docs/architecture.md §6): written last, it marks the revision complete and lists every
 * source and output with its SHA-256, so an auditor can check and re-render it.
 */
import type { FigureSnapshot } from './report-model';
import type { ChangeNote, Lang } from './types';

export interface ManifestSource {
  key: string;
  version: string;
  sha256: string;
  /** Where the normalised record of this source is stored. */
  recordKey: string;
}

export interface ManifestOutput {
  key: string;
  sha256: string;
  bytes: number;
}

/** What a revision is built from, fixed when it is planned: its plan and its manifest both carry it. */
export interface RevisionBasis {
  period: string;
  revision: number;
  generatedAt: string;
  /** The first edition's language; before editions existed, the one language rendered. */
  language: Lang;
  /** Every edition rendered (`editions.ts`); absent in manifests written before editions existed. */
  editions?: Lang[];
  codeVersion: string;
  registry: { key: string; version: string; sha256: string };
  sources: ManifestSource[];
  /** Why an operator re-issued it (`reissue --reason`); absent for a revision its inputs called for. */
  reason?: string;
  /** What changed besides figures: the reason, registry fields the reports print (old → new). */
  notes?: ChangeNote[];
}

/**
 * One input of a revision in the archive's content-addressed store (`blobs/sha256/<sha256>`, keys.ts): stored once
 * however many revisions use it. `key` and `version` say where it came from (the upload, the record's key).
 */
export interface ArchivedItem {
  role: 'source' | 'record' | 'registry' | 'registry-record';
  key: string;
  /** The upload's object version (raw uploads only). */
  version?: string;
  sha256: string;
  bytes: number;
}

/** The code that made the revision: the verifier bundle (one file), in the content-addressed store by its SHA-256. */
export interface ArchivedCode {
  sha256: string;
  bytes: number;
  /** The protocol `archive verify` speaks to it (`core/verifier-protocol.ts`). */
  protocol: number;
}

/** What the archive holds for a revision besides its reports (manifest schema 2 on). */
export interface ManifestArchive {
  /** Null: the code could not be archived (a host without the bundle); verify then says "code not archived". */
  code: ArchivedCode | null;
  items: ArchivedItem[];
}

/**
 * Schema 1 (before the archive was self-contained): no `archive`. Schema 2: `archive` names every input and the
 * code by SHA-256. Both are read; an archived manifest is never rewritten.
 */
export interface Manifest extends RevisionBasis {
  schemaVersion: 1 | 2;
  kind: 'manifest';
  outputs: ManifestOutput[];
  /** Which active projects submitted on time, late, or not at all. */
  completeness: { onTime: string[]; late: string[]; missing: string[] };
  /** Cumulative figures per project, to list what a later revision changed. */
  figures: FigureSnapshot;
  /** From schema 2. */
  archive?: ManifestArchive;
}

/** The newest manifest schema, which generate writes. */
export const MANIFEST_SCHEMA = 2;

/**
 * The manifest of a revision. Generate writes it and archive verify rebuilds it with this one function, then compares
 * the two byte for byte: the order of the fields here is the order of the bytes. Without `archive` it is the
 * schema-1 manifest (how verify rebuilds one written before schema 2).
 */
export function buildManifest(
  basis: RevisionBasis,
  outputs: ManifestOutput[],
  completeness: Manifest['completeness'],
  figures: FigureSnapshot,
  archive?: ManifestArchive,
): Manifest {
  const head = { kind: 'manifest' as const, ...revisionBasis(basis), outputs, completeness, figures };
  return archive ? { schemaVersion: 2, ...head, archive } : { schemaVersion: 1, ...head };
}

/** The basis fields alone, in their written order (plans and manifests are stored as JSON and hashed). */
export function revisionBasis(b: RevisionBasis): RevisionBasis {
  return {
    period: b.period,
    revision: b.revision,
    generatedAt: b.generatedAt,
    language: b.language,
    ...(b.editions ? { editions: b.editions } : {}),
    codeVersion: b.codeVersion,
    registry: b.registry,
    sources: b.sources,
    ...(b.reason !== undefined ? { reason: b.reason } : {}),
    ...(b.notes ? { notes: b.notes } : {}),
  };
}

/** A stable fingerprint of the sources a revision was built from: a different set means a new revision. */
export function sourcesFingerprint(
  registryVersion: string,
  sources: readonly { key: string; version: string }[],
): string {
  return [registryVersion, ...sources.map((s) => `${s.key}@${s.version}`).sort()].join('\n');
}
