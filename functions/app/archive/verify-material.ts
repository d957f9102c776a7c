/**
 * What `archive verify` reads a revision from, and who re-derives and re-renders it, by manifest schema:
 * - schema 2 with code: every input from the content-addressed archive (`blobs/sha256/<hash>`), checked against
 *   its hash, and the revision's own archived code run on them (`../archived-code.ts`): records re-derived and
 *   reports re-rendered by the code that made them, whatever code runs the verification;
 * - schema 2 without code, and schema 1 (before the archive held the code): inputs read from the archive (schema
 *   2) or where they were uploaded, by version (schema 1), and every hash checked; nothing re-derived or
 *   re-rendered, because the code that made them is not there. The revision is reported as "code not archived".
 */
import { keys } from '../../core/keys';
import type { ArchivedCode, ArchivedItem, Manifest, ManifestArchive } from '../../core/manifest';
import { type TransmissionJob, VERIFIER_PROTOCOL } from '../../core/verifier-protocol';
import { type CodeBasis, type CodeLimits, type CodeRun, readBlob, withCodeWorkspace } from '../archived-code';
import { sha256Hex } from '../deps';
import type { RevisionPlan } from '../revisions';
import { readJsonObject } from './shared';
import { type InputRead, type RevisionMaterial, short, type VerifyContext } from './verify-context';

/** Inputs where they were uploaded, by key and version (schema 1: nothing else kept them). */
async function readUploaded(ctx: VerifyContext, key: string, version: string, sha256: string): Promise<InputRead> {
  const obj = await ctx.store.get(key, version);
  if (!obj) {
    const current = await ctx.store.get(key);
    return {
      failures: [
        `version ${version} is not in the store`,
        current
          ? `the current content is version ${current.version}, sha256 ${short(sha256Hex(current.bytes))}`
          : 'no object under this key',
      ],
    };
  }
  const actual = sha256Hex(obj.bytes);
  if (actual !== sha256) return { failures: [`sha256 ${short(actual)} ≠ manifest ${short(sha256)}`] };
  return { bytes: obj.bytes, findings: ['hash ok'] };
}

/** An input from the content-addressed archive. */
async function readArchived(ctx: VerifyContext, sha256: string | undefined): Promise<InputRead> {
  if (!sha256) return { failures: ['not listed in the manifest’s archive'] };
  const got = await readBlob(ctx.store, sha256);
  if (!(got instanceof Uint8Array)) return { failures: [got.problem] };
  return { bytes: got, findings: ['hash ok', `archived as ${keys.blob(sha256)}`] };
}

function legacyMaterial(ctx: VerifyContext): RevisionMaterial {
  return {
    codeArchived: false,
    readRaw: (key, version, sha256) => readUploaded(ctx, key, version, sha256),
    async readRecord(recordKey) {
      const obj = await readJsonObject(ctx.store, recordKey);
      return obj ? { bytes: obj.bytes } : { problem: 'missing from the archive' };
    },
    rederived: () => null,
    run: null,
  };
}

/** Schema 2: inputs from the archive; the code's results when it was run. */
function archivedMaterial(ctx: VerifyContext, items: readonly ArchivedItem[], run: CodeRun | null): RevisionMaterial {
  const raw = new Map(items.filter((i) => i.version !== undefined).map((i) => [`${i.key}\n${i.version}`, i.sha256]));
  const records = new Map(items.filter((i) => i.version === undefined).map((i) => [i.key, i.sha256]));
  return {
    codeArchived: run !== null,
    readRaw: async (key, version, sha256) => {
      const archived = raw.get(`${key}\n${version}`);
      if (archived !== undefined && archived !== sha256)
        return { failures: [`archived as ${short(archived)} ≠ manifest ${short(sha256)}`] };
      return readArchived(ctx, archived);
    },
    async readRecord(recordKey) {
      const read = await readArchived(ctx, records.get(recordKey));
      return 'bytes' in read ? { bytes: read.bytes } : { problem: read.failures.join('; ') };
    },
    rederived: (recordKey) =>
      run ? (run.rederived.get(recordKey) ?? { problem: 'not re-derived by the code' }) : null,
    run,
  };
}

/** The code's check: its blob, its hash, the protocol this kind of archive is verified with. */
function checkCode(ctx: VerifyContext, code: ArchivedCode, protocol: number): boolean {
  const key = keys.blob(code.sha256);
  if (code.protocol !== protocol) {
    ctx.check('code', key, [], [`speaks protocol ${code.protocol}; this is verified with protocol ${protocol}`]);
    return false;
  }
  return true;
}

/** What the archived code is asked to make, and with which protocol its manifest must name it. */
export interface CodeJob {
  basis: CodeBasis;
  /** A report revision's plan; null for a transmission. */
  plan: RevisionPlan | null;
  transmission?: TransmissionJob;
  protocol: number;
  previousFigures: () => Promise<Manifest['figures'] | null>;
}

/**
 * Prepare a revision's material: for schema 2 with code, every archived input is read and hashed into a private
 * folder and the revision's code is run on them (once per revision), within `limits`.
 */
export function revisionMaterial(
  ctx: VerifyContext,
  manifest: Manifest | null,
  basis: RevisionPlan,
  previousFigures: () => Promise<Manifest['figures'] | null>,
  limits?: CodeLimits,
): Promise<RevisionMaterial> {
  return archiveMaterial(
    ctx,
    manifest?.archive,
    { basis, plan: basis, protocol: VERIFIER_PROTOCOL, previousFigures },
    limits,
  );
}

/**
 * The material of anything archived with its inputs and code (a report revision, an Art. 42 transmission): without
 * an `archive` (schema 1) inputs are read where they were uploaded; with one, from the archive, and its code, if
 * any, is run on them for `job`.
 */
export async function archiveMaterial(
  ctx: VerifyContext,
  archive: ManifestArchive | undefined,
  job: CodeJob,
  limits?: CodeLimits,
): Promise<RevisionMaterial> {
  if (!archive || !Array.isArray(archive.items)) return legacyMaterial(ctx);
  const code = archive.code;
  if (!code || !checkCode(ctx, code, job.protocol)) return archivedMaterial(ctx, archive.items, null);
  const run = await withCodeWorkspace(async (ws) => {
    const bundle = await readBlob(ctx.store, code.sha256);
    const codeKey = keys.blob(code.sha256);
    if (!(bundle instanceof Uint8Array)) {
      ctx.check('code', codeKey, [], [bundle.problem]);
      return null;
    }
    for (const item of archive.items) {
      const bytes = await readBlob(ctx.store, item.sha256);
      // A bad input is not handed over; its own check names it, and what depends on it cannot be re-derived.
      if (bytes instanceof Uint8Array) await ws.addBlob(item.sha256, bytes);
    }
    const figures = await job.previousFigures().catch(() => null);
    const started = Date.now();
    const { basis, plan, transmission } = job;
    const input = { basis, plan, ...(transmission ? { transmission } : {}), previousFigures: figures };
    const result = await ws.run({ ...input, items: archive.items, code: bundle }, limits);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    ctx.check(
      'code',
      codeKey,
      ['hash ok', `${code.bytes} B, protocol ${code.protocol}`, `ran in ${seconds} s`],
      result.failures,
    );
    return result;
  });
  return archivedMaterial(ctx, archive.items, run);
}
