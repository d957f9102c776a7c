/**
 * How `archive verify` talks to a revision's archived code (docs/audit.md): the one interface that must stay the same
 * for as long as archives are kept. A verifier of 2036 runs a bundle archived in 2026 with a request of this shape,
 * and reads its answer. Fields may be added; none may change meaning or go. A new meaning is a new protocol number,
 * and a later verifier keeps speaking every older one.
 *
 * The archived bundle is started as `node <bundle> <request.json>`: it reads the request, writes the bytes it makes
 * into `outDir` (files named by their SHA-256), then its answer, one {@link VerifierResult}, as `outDir/result.json`
 * (a file, not stdout, so that nothing a library prints can garble it). Exit code 0: the answer is written.
 */

export const VERIFIER_PROTOCOL = 1;

/**
 * Protocol 2: protocol 1's request with a {@link TransmissionJob}; the code re-derives the records as in protocol 1,
 * then builds and renders that Art. 42 transmission instead of a report revision (`plan` is null). A bundle that
 * speaks 2 speaks 1 too. Transmission manifests name their code with protocol 2; report manifests keep protocol 1.
 */
export const TRANSMISSION_PROTOCOL = 2;

/** Which transmission to build: the revision's cut-off, number and fixed generated-at time (its manifest's). */
export interface TransmissionJob {
  cutoff: string;
  revision: number;
  generatedAt: string;
}

/** The answer's file name in `outDir`. */
export const VERIFIER_RESULT_FILE = 'result.json';

/** One raw upload with the normalised record stored for it, both as files named by their SHA-256 in `blobDir`. */
export interface VerifierSource {
  key: string;
  version: string;
  /** SHA-256 of the raw upload (its file in `blobDir`). */
  raw: string;
  recordKey: string;
  /** SHA-256 of the stored normalised record (its file in `blobDir`). */
  record: string;
}

export interface VerifierRequest {
  protocol: 1 | 2;
  /** A folder holding every input under its SHA-256 (lower-case hex), nothing else. */
  blobDir: string;
  /** An empty folder for what the code makes. */
  outDir: string;
  /** The revision's plan, as archived (parsed JSON); null in protocol 2. */
  plan: unknown;
  /** Protocol 2: the transmission to build and render. */
  transmission?: TransmissionJob;
  /** The previous revision's `figures` (from its manifest), or null for revision 1. */
  previousFigures: unknown;
  /** The registry version in force for the revision (one of `registries`). */
  registryInForce: string;
  /** Every registry version the revision or its submissions use: the upload and its record. */
  registries: VerifierSource[];
  sources: VerifierSource[];
}

/** A record the code derived again from its raw upload. */
export interface RederivedRecord {
  recordKey: string;
  /** The derived record's bytes (as ingest stores them), a file in `outDir` named by SHA-256. */
  file?: string;
  /** Why there is none (the upload no longer parses, its registry is not given). */
  problem?: string;
}

/** The sources a project's report cites, and how many cells. */
export interface LineageCites {
  projectId: string;
  cells: number;
  cites: { sourceKey: string; sourceVersion: string; sha256: string }[];
}

export interface VerifierResult {
  /** The request's. */
  protocol: 1 | 2;
  /** The code's own version string (informational; the archive identifies code by its SHA-256). */
  codeVersion: string;
  records: RederivedRecord[];
  /** Every report file the plan (or both transmission editions) produces: storage key, bytes as a file in `outDir`. */
  outputs: { key: string; file: string }[];
  lineage: LineageCites[];
  /** What the manifest repeats from the programme report; null when rendering failed. */
  programme: { completeness: unknown; figures: unknown } | null;
  /** Protocol 2: the transmission's figures, as its manifest records them; null when building it failed. */
  transmission?: { figures: unknown } | null;
  /** Rendering failed: why (records are still re-derived). */
  failure?: string;
}
