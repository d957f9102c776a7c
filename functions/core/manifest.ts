/**
 * The manifest of one report revision (DESIGN §6): written last, it marks the revision complete and lists every
 * source and output with its SHA-256, so an auditor can check and re-render it.
 */
import type { FigureSnapshot } from './report-model';
import type { Lang } from './types';

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

export interface Manifest {
  schemaVersion: 1;
  kind: 'manifest';
  period: string;
  revision: number;
  generatedAt: string;
  language: Lang;
  codeVersion: string;
  registry: { key: string; version: string; sha256: string };
  sources: ManifestSource[];
  outputs: ManifestOutput[];
  /** Which active projects submitted on time, late, or not at all. */
  completeness: { onTime: string[]; late: string[]; missing: string[] };
  /** Cumulative figures per project, to list what a later revision changed. */
  figures: FigureSnapshot;
}

/** A stable fingerprint of the sources a revision was built from: a different set means a new revision. */
export function sourcesFingerprint(
  registryVersion: string,
  sources: readonly { key: string; version: string }[],
): string {
  return [registryVersion, ...sources.map((s) => `${s.key}@${s.version}`).sort()].join('\n');
}
