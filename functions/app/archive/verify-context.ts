/** What the phases of `archive verify` share: the report types, the session, the context and small comparisons. */
import type { Manifest } from '../../core/manifest';
import type { ObjectStore } from '../../core/ports';
import type { FigureSnapshot } from '../../core/report-model';
import type { Registry } from '../../core/types';
import type { CodeRun } from '../archived-code';

/** One checked object and what was found. */
export interface VerifyCheck {
  subject: 'plan' | 'manifest' | 'code' | 'registry' | 'source' | 'record' | 'output' | 'lineage' | 'revision';
  /** The object checked (for lineage: the project's PDF, whose appendix it is). */
  key: string;
  ok: boolean;
  /** What held (`hash ok`, `re-render identical`) or what did not, in that order. */
  findings: string[];
}

/**
 * - `verified`: every check held, and the revision's own archived code re-derived and re-rendered it identically;
 * - `mismatch`: some check failed (named in `checks`);
 * - `code-not-archived`: every hash held, but the code that made the revision is not in the archive (a revision
 *   made before the archive kept it), so nothing could be re-derived or re-rendered: not tampered, not proven.
 */
export type VerifyStatus = 'verified' | 'mismatch' | 'code-not-archived';

export interface VerifyReport {
  period: string;
  revision: number;
  /** `status === 'verified'`. */
  ok: boolean;
  status: VerifyStatus;
  /** SHA-256 of the archived code that re-rendered the revision; null when it is not archived. */
  code: string | null;
  generatedAt: string | null;
  codeVersion: { archived: string | null; running: string };
  manifestSha256: string | null;
  checks: VerifyCheck[];
}

/**
 * Memory shared by the verifications of one run: a record re-derived from its raw upload once need not be
 * re-derived for the next period that uses it. Keyed by the hashes of every input, so a changed byte misses.
 */
export interface VerifySession {
  rederived: Map<string, string[]>;
}

export function createVerifySession(): VerifySession {
  return { rederived: new Map() };
}

export const short = (hex: string | null | undefined) => (hex ? hex.slice(0, 12) : '—');

/** Top-level fields whose JSON differs: the "what" of a mismatch, without printing any (personal) values. */
export function differingFields(a: unknown, b: unknown): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return ['(whole value)'];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const names = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  return names.filter((n) => JSON.stringify(ra[n]) !== JSON.stringify(rb[n]));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));
}

/** What the phases of one revision's verification share: where to read, what was re-derived, and the checks. */
export interface VerifyContext {
  store: ObjectStore;
  session: VerifySession;
  period: string;
  revision: number;
  /** Registry versions already checked in this revision (null: checked and failed). */
  registries: Map<string, RegistryEntry | null>;
  /** Where inputs are read and what re-derives and re-renders them (set once the manifest is read). */
  material?: RevisionMaterial;
  check(subject: VerifyCheck['subject'], key: string, findings: string[], failures: string[]): void;
}

export interface RegistryEntry {
  registry: Registry;
  recordSha: string;
}

/** What re-rendering the revision from its plan produced. */
export interface Rerender {
  rendered: Map<string, Uint8Array>;
  programmeFacts: { completeness: Manifest['completeness']; figures: FigureSnapshot } | null;
  failures: string[];
}

/** An input read: its bytes and what held, or what did not. */
export type InputRead = { bytes: Uint8Array; findings: string[] } | { failures: string[] };

/** Where a revision's inputs are read, and who re-derives and re-renders them (`verify-material.ts`). */
export interface RevisionMaterial {
  /** Whether the revision's code is archived and was run. */
  codeArchived: boolean;
  /** A raw upload (source or registry workbook) with the SHA-256 the manifest records. */
  readRaw(key: string, version: string, sha256: string): Promise<InputRead>;
  /** A normalised record (`submissions/…`, `registry-versions/…`) as the revision archived it. */
  readRecord(recordKey: string): Promise<{ bytes: Uint8Array } | { problem: string }>;
  /** The record as the revision's code derives it again; null when the code is not archived. */
  rederived(recordKey: string): { bytes?: Uint8Array; problem?: string } | null;
  /** What the revision's code rendered; null when the code is not archived. */
  run: CodeRun | null;
}
