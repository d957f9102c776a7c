/**
 * The manifest of one report revision (docs/architecture.md §6): written last, it marks the revision complete and lists every
 * source and output with its SHA-256, so an auditor can check and re-render it.
 */
import type { FigureSnapshot } from './report-model';
import type { Bilingual, ChangeNote, Lang } from './types';

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

export interface Manifest extends RevisionBasis {
  schemaVersion: 1;
  kind: 'manifest';
  outputs: ManifestOutput[];
  /** Which active projects submitted on time, late, or not at all. */
  completeness: { onTime: string[]; late: string[]; missing: string[] };
  /** Cumulative figures per project, to list what a later revision changed. */
  figures: FigureSnapshot;
}

/**
 * The manifest of a revision. Generate writes it and archive verify rebuilds it with this one function, then compares
 * the two byte for byte: the order of the fields here is the order of the bytes.
 */
export function buildManifest(
  basis: RevisionBasis,
  outputs: ManifestOutput[],
  completeness: Manifest['completeness'],
  figures: FigureSnapshot,
): Manifest {
  return { schemaVersion: 1, kind: 'manifest', ...revisionBasis(basis), outputs, completeness, figures };
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
