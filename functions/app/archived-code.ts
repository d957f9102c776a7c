/**
 * `archive verify` with a revision's own code (docs/audit.md): its inputs are read from the content-addressed
 * archive and checked against their SHA-256, written to a private temporary folder, and the archived verifier
 * bundle is run on them in a child process (`node`, bounded in memory and time, with an empty environment). What
 * it re-derives and re-renders comes back as bytes; the caller compares them with the archive. Nothing the child
 * says is trusted beyond that: a missing or malformed answer is a failure, named.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '../core/keys';
import type { ArchivedItem, Manifest, ManifestSource } from '../core/manifest';
import type { ObjectStore } from '../core/ports';
import {
  type LineageCites,
  TRANSMISSION_PROTOCOL,
  type TransmissionJob,
  VERIFIER_PROTOCOL,
  VERIFIER_RESULT_FILE,
  type VerifierRequest,
  type VerifierResult,
  type VerifierSource,
} from '../core/verifier-protocol';
import { sha256Hex } from './deps';
import type { RevisionPlan } from './revisions';

/** Bounds on the archived code's run: heap (MB) and wall time (ms). */
export interface CodeLimits {
  maxOldSpaceMb: number;
  timeoutMs: number;
}

/** Enough for the largest sample period many times over; a programme of thousands of projects may need more. */
export const DEFAULT_CODE_LIMITS: CodeLimits = { maxOldSpaceMb: 1536, timeoutMs: 20 * 60_000 };

/** What the archived code made, read back. */
export interface CodeRun {
  /** recordKey → the re-derived record's bytes, or why there is none. */
  rederived: Map<string, { bytes?: Uint8Array; problem?: string }>;
  rendered: Map<string, Uint8Array>;
  lineage: LineageCites[];
  programmeFacts: { completeness: Manifest['completeness']; figures: Manifest['figures'] } | null;
  /** A transmission's figures (protocol 2); null otherwise, or when building it failed. */
  transmissionFigures: unknown;
  /** Why nothing (or not everything) was rendered. */
  failures: string[];
}

/** An archived blob whose bytes are not the ones named: which, and why. */
export interface BlobProblem {
  sha256: string;
  problem: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Read a blob and check it; returns its bytes, or the problem. */
export async function readBlob(store: ObjectStore, sha256: string): Promise<Uint8Array | BlobProblem> {
  const obj = await store.get(keys.blob(sha256));
  if (!obj) return { sha256, problem: `${keys.blob(sha256)} is missing from the archive` };
  const actual = sha256Hex(obj.bytes);
  if (actual !== sha256) return { sha256, problem: `${keys.blob(sha256)} holds content with SHA-256 ${actual}` };
  return obj.bytes;
}

/** What a revision or transmission was built from: the registry in force and every source (its plan or manifest). */
export interface CodeBasis {
  registry: { version: string };
  sources: readonly ManifestSource[];
}

/** The request's sources: each registry version (upload + record) and each plan source, by SHA-256. */
function requestSources(plan: CodeBasis, items: readonly ArchivedItem[]) {
  const byKey = new Map(items.map((i) => [`${i.role}\n${i.key}\n${i.version ?? ''}`, i]));
  const record = (role: ArchivedItem['role'], key: string) => byKey.get(`${role}\n${key}\n`)?.sha256 ?? '';
  const registries: VerifierSource[] = items
    .filter((i) => i.role === 'registry' && i.version !== undefined)
    .map((i) => {
      const recordKey = keys.registryVersion(i.version!);
      return {
        key: i.key,
        version: i.version!,
        raw: i.sha256,
        recordKey,
        record: record('registry-record', recordKey),
      };
    });
  const sources: VerifierSource[] = plan.sources.map((s) => ({
    key: s.key,
    version: s.version,
    raw: s.sha256,
    recordKey: s.recordKey,
    record: record('record', s.recordKey),
  }));
  return { registries, sources };
}

function runNode(bundle: string, request: string, limits: CodeLimits): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`--max-old-space-size=${limits.maxOldSpaceMb}`, bundle, request],
      // No credentials, no configuration: the code gets its inputs from the request only.
      { timeout: limits.timeoutMs, killSignal: 'SIGKILL', env: {}, maxBuffer: 4 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (!err) return resolve(null);
        const killed = (err as { killed?: boolean }).killed;
        const why = killed ? `stopped after ${limits.timeoutMs / 1000} s` : `exit ${String(err.code ?? err.signal)}`;
        const last = stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 600);
        resolve(`the archived code failed (${why})${last ? `: ${last}` : ''}`);
      },
    );
  });
}

async function readOut(outDir: string, file: unknown): Promise<Uint8Array> {
  if (typeof file !== 'string' || !SHA256.test(file)) throw new Error(`names no output file (${String(file)})`);
  const bytes = new Uint8Array(await readFile(join(outDir, file)));
  if (sha256Hex(bytes) !== file) throw new Error(`output ${file} does not hash to its name`);
  return bytes;
}

/** The child's answer, read and checked for shape. */
async function readAnswer(outDir: string, protocol: number): Promise<CodeRun> {
  const result = JSON.parse(await readFile(join(outDir, VERIFIER_RESULT_FILE), 'utf8')) as VerifierResult;
  if (result?.protocol !== protocol || !Array.isArray(result.records) || !Array.isArray(result.outputs))
    throw new Error(`its answer is not a protocol-${protocol} result`);
  const run: CodeRun = {
    rederived: new Map(),
    rendered: new Map(),
    lineage: Array.isArray(result.lineage) ? result.lineage : [],
    programmeFacts: (result.programme as CodeRun['programmeFacts']) ?? null,
    transmissionFigures: result.transmission?.figures ?? null,
    failures: result.failure ? [String(result.failure)] : [],
  };
  for (const r of result.records) {
    run.rederived.set(r.recordKey, r.file ? { bytes: await readOut(outDir, r.file) } : { problem: String(r.problem) });
  }
  for (const o of result.outputs) run.rendered.set(o.key, await readOut(outDir, o.file));
  return run;
}

/** A private temporary folder for one revision's run: inputs go in as they are checked, then the code runs. */
export interface CodeWorkspace {
  /** Write one checked input (named by its SHA-256). */
  addBlob(sha256: string, bytes: Uint8Array): Promise<void>;
  /** Run the checked bundle on the inputs added. */
  run(
    input: {
      /** The registry in force and the sources: the plan's, or a transmission manifest's. */
      basis: CodeBasis;
      /** A report revision's plan; null for a transmission. */
      plan: RevisionPlan | null;
      /** A transmission to build (protocol 2) instead of a report revision. */
      transmission?: TransmissionJob;
      previousFigures: Manifest['figures'] | null;
      items: readonly ArchivedItem[];
      code: Uint8Array;
    },
    limits?: CodeLimits,
  ): Promise<CodeRun>;
}

/** Open a workspace for `work`, and remove it afterwards whatever happens. */
export async function withCodeWorkspace<T>(work: (ws: CodeWorkspace) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pmif-verify-'));
  const blobDir = join(dir, 'blobs');
  const outDir = join(dir, 'out');
  try {
    await mkdir(blobDir);
    await mkdir(outDir);
    return await work({
      async addBlob(sha256, bytes) {
        if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
        await writeFile(join(blobDir, sha256), bytes);
      },
      async run(input, limits = DEFAULT_CODE_LIMITS) {
        const bundle = join(dir, 'verifier.mjs');
        await writeFile(bundle, input.code);
        const protocol = input.transmission ? TRANSMISSION_PROTOCOL : VERIFIER_PROTOCOL;
        const request: VerifierRequest = {
          protocol,
          blobDir,
          outDir,
          plan: input.plan,
          ...(input.transmission ? { transmission: input.transmission } : {}),
          previousFigures: input.previousFigures,
          registryInForce: input.basis.registry.version,
          ...requestSources(input.basis, input.items),
        };
        const requestFile = join(dir, 'request.json');
        await writeFile(requestFile, JSON.stringify(request));
        const none = (failure: string): CodeRun => ({
          rederived: new Map(),
          rendered: new Map(),
          lineage: [],
          programmeFacts: null,
          transmissionFigures: null,
          failures: [failure],
        });
        const failed = await runNode(bundle, requestFile, limits);
        if (failed) return none(failed);
        try {
          return await readAnswer(outDir, protocol);
        } catch (err) {
          return none(`the archived code's answer: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
