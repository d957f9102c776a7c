/**
 * The verifier: the code archived with every revision (docs/audit.md), built into one self-contained file by
 * `scripts/build-verifier.ts`. `archive verify` runs a revision's own copy in a child process: it re-derives every
 * normalised record from its raw upload and re-renders every report from the plan, exactly as the code that made
 * the revision did, and hands the bytes back (protocol: `core/verifier-protocol.ts`). It judges nothing: the
 * verifier that started it compares.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dejaVuSans, dejaVuSansBold, srgbProfile } from 'pmif-verifier:assets';
import * as pdfkit from 'pdfkit';
import { CODE_VERSION } from '../app/code-version';
import { recordBytes, sha256Hex } from '../app/deps';
import { renderProgrammeFiles, renderProjectFiles } from '../app/generate';
import type { RevisionPlan } from '../app/revisions';
import { renderTransmissionFiles } from '../app/transmission-files';
import { parseInboxKey } from '../core/keys';
import type { Manifest } from '../core/manifest';
import { parsePeriod, periodStart, rigaDate } from '../core/period';
import { upgradeSubmission } from '../core/submission-record';
import { buildTransmission, transmissionFigures } from '../core/transmission';
import type { NormalisedSubmission, Registry } from '../core/types';
import {
  type LineageCites,
  type RederivedRecord,
  TRANSMISSION_PROTOCOL,
  type TransmissionJob,
  VERIFIER_PROTOCOL,
  VERIFIER_RESULT_FILE,
  type VerifierRequest,
  type VerifierResult,
  type VerifierSource,
} from '../core/verifier-protocol';
import { parseRegistry } from '../intake/read-registry';
import { parseSubmission } from '../intake/read-submission';
import { readXlsx } from '../intake/read-xlsx';
import { useEmbeddedFonts } from '../pdf/fonts';

const SHA256 = /^[0-9a-f]{64}$/;

/** The fonts and colour profile travel inside this file: pdfkit reads the profile by a path next to the module. */
function installAssets(): void {
  // pdfkit's virtual files (read before the disk); @types/pdfkit does not declare the export.
  const { registerFile } = pdfkit as unknown as { registerFile(path: string, data: Uint8Array): void };
  useEmbeddedFonts({ regular: Buffer.from(dejaVuSans, 'base64'), bold: Buffer.from(dejaVuSansBold, 'base64') });
  registerFile(new URL('./data/sRGB_IEC61966_2_1.icc', import.meta.url).href, Buffer.from(srgbProfile, 'base64'));
}

interface Io {
  request: VerifierRequest;
  read(sha256: string): Promise<Uint8Array>;
  /** Write bytes into `outDir`; returns their file name (their SHA-256). */
  write(bytes: Uint8Array): Promise<string>;
}

function io(request: VerifierRequest): Io {
  return {
    request,
    async read(sha256) {
      if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${JSON.stringify(sha256)}`);
      return new Uint8Array(await readFile(join(request.blobDir, sha256)));
    },
    async write(bytes) {
      const name = sha256Hex(bytes);
      await writeFile(join(request.outDir, name), bytes);
      return name;
    },
  };
}

async function readRecord<T>(ctx: Io, source: VerifierSource): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await ctx.read(source.record))) as T;
}

/** Each registry version's record, derived again from its upload. */
async function rederiveRegistries(ctx: Io, stored: Map<string, Registry>): Promise<RederivedRecord[]> {
  const out: RederivedRecord[] = [];
  for (const source of ctx.request.registries) {
    out.push(
      await rederiveRegistry(ctx, source, stored).catch((err: unknown) => ({
        recordKey: source.recordKey,
        problem: message(err),
      })),
    );
  }
  return out;
}

async function rederiveRegistry(
  ctx: Io,
  source: VerifierSource,
  stored: Map<string, Registry>,
): Promise<RederivedRecord> {
  const record = await readRecord<Registry>(ctx, source);
  stored.set(source.version, record);
  const read = readXlsx(await ctx.read(source.raw));
  const again = read.ok ? parseRegistry(read.workbook, record.source).registry : null;
  return again
    ? { recordKey: source.recordKey, file: await ctx.write(recordBytes(again)) }
    : { recordKey: source.recordKey, problem: 'the upload no longer parses into a record' };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The record ingest would make of an upload. The only clock-dependent rule refuses periods that had not begun at
 * ingest; the record exists, so that rule passed then, and any date from the period's start on gives the same
 * record. The upload's own date (or the period's start, if later) is used.
 */
async function rederiveSubmission(
  ctx: Io,
  source: VerifierSource,
  stored: NormalisedSubmission,
  registries: Map<string, Registry>,
): Promise<RederivedRecord> {
  const { recordKey } = source;
  const registry = stored.registryVersion ? registries.get(stored.registryVersion) : null;
  if (registry === undefined) return { recordKey, problem: `registry ${stored.registryVersion} was not given` };
  const read = readXlsx(await ctx.read(source.raw));
  if (!read.ok) return { recordKey, problem: 'the upload no longer parses into a record' };
  const uploaded = rigaDate(new Date(stored.source.uploadedAt));
  const period = parsePeriod(stored.period);
  const start = period ? periodStart(period) : uploaded;
  const result = parseSubmission(read.workbook, stored.source, {
    registry,
    folder: parseInboxKey(source.key)?.folder ?? null,
    today: uploaded > start ? uploaded : start,
  });
  if (!result.submission) return { recordKey, problem: 'the upload no longer parses into a record' };
  return { recordKey, file: await ctx.write(recordBytes(result.submission)) };
}

/** Every report file of the plan, rendered from the stored records, and what each project's lineage cites. */
async function render(
  ctx: Io,
  registry: Registry | undefined,
  submissions: NormalisedSubmission[],
): Promise<Pick<VerifierResult, 'outputs' | 'lineage' | 'programme'>> {
  const plan = ctx.request.plan as RevisionPlan;
  if (!registry) throw new Error(`the registry in force (${ctx.request.registryInForce}) was not given`);
  const inputs = { registry, submissions };
  const outputs: VerifierResult['outputs'] = [];
  const lineage: LineageCites[] = [];
  for (const projectId of plan.projectIds) {
    const { model, files } = await renderProjectFiles(plan, inputs, projectId);
    for (const f of files) outputs.push({ key: f.key, file: await ctx.write(f.bytes) });
    const cites = new Map(model.lineage.map((r) => [`${r.sourceKey}\n${r.sourceVersion}\n${r.sha256}`, r]));
    lineage.push({
      projectId,
      cells: model.lineage.length,
      cites: [...cites.values()].map((r) => ({
        sourceKey: r.sourceKey,
        sourceVersion: r.sourceVersion,
        sha256: r.sha256,
      })),
    });
  }
  const previous = ctx.request.previousFigures as Manifest['figures'] | null;
  const programme = await renderProgrammeFiles(plan, inputs, previous);
  for (const f of programme.files) outputs.push({ key: f.key, file: await ctx.write(f.bytes) });
  return {
    outputs,
    lineage,
    programme: { completeness: programme.programme.completeness, figures: programme.figures },
  };
}

/** Protocol 2: both editions of the transmission, built from the stored records as `produceTransmission` does. */
async function renderTransmission(
  ctx: Io,
  job: TransmissionJob,
  registry: Registry | undefined,
  submissions: NormalisedSubmission[],
): Promise<Pick<VerifierResult, 'outputs' | 'transmission'>> {
  if (!registry) throw new Error(`the registry in force (${ctx.request.registryInForce}) was not given`);
  const { cutoff, revision, generatedAt } = job;
  const model = buildTransmission({ registry, submissions, cutoff, revision, generatedAt });
  const outputs: VerifierResult['outputs'] = [];
  for (const f of await renderTransmissionFiles(model, cutoff, revision))
    outputs.push({ key: f.key, file: await ctx.write(f.bytes) });
  return { outputs, transmission: { figures: transmissionFigures(model) } };
}

export async function answer(request: VerifierRequest): Promise<VerifierResult> {
  if (request.protocol !== VERIFIER_PROTOCOL && request.protocol !== TRANSMISSION_PROTOCOL)
    throw new Error(`protocol ${request.protocol} is not spoken here`);
  const job = request.protocol === TRANSMISSION_PROTOCOL ? request.transmission : undefined;
  if (request.protocol === TRANSMISSION_PROTOCOL && !job) throw new Error('a protocol 2 request names no transmission');
  const ctx = io(request);
  await mkdir(request.outDir, { recursive: true });
  const registries = new Map<string, Registry>();
  const records = await rederiveRegistries(ctx, registries);
  const submissions: NormalisedSubmission[] = [];
  for (const source of request.sources) {
    // An input that cannot be read (its check failed, so it was not handed over) is named and skipped.
    const stored = await readRecord<NormalisedSubmission>(ctx, source).catch(() => null);
    if (!stored) {
      records.push({ recordKey: source.recordKey, problem: 'the stored record was not given or does not parse' });
      continue;
    }
    // Rendered from the record in today's schema, as `loadRevisionInputs` gives it to generate; re-derived as stored.
    let current: NormalisedSubmission;
    try {
      current = upgradeSubmission(stored);
    } catch (err) {
      records.push({ recordKey: source.recordKey, problem: message(err) });
      continue;
    }
    submissions.push(current);
    records.push(
      await rederiveSubmission(ctx, source, stored, registries).catch(
        (err: unknown): RederivedRecord => ({ recordKey: source.recordKey, problem: message(err) }),
      ),
    );
  }
  const result: VerifierResult = {
    protocol: request.protocol,
    codeVersion: CODE_VERSION,
    records,
    outputs: [],
    lineage: [],
    programme: null,
  };
  const inForce = registries.get(request.registryInForce);
  try {
    if (job) Object.assign(result, { transmission: null }, await renderTransmission(ctx, job, inForce, submissions));
    else Object.assign(result, await render(ctx, inForce, submissions));
  } catch (err) {
    result.failure = `re-render failed: ${message(err)}`;
  }
  return result;
}

async function main(requestPath: string | undefined): Promise<void> {
  if (!requestPath) throw new Error('usage: node pmif-verifier.mjs <request.json>');
  installAssets();
  const request = JSON.parse(await readFile(requestPath, 'utf8')) as VerifierRequest;
  const result = await answer(request);
  await writeFile(join(request.outDir, VERIFIER_RESULT_FILE), JSON.stringify(result));
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
