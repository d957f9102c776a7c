/** `archive verify`, the outputs: re-rendered from the plan, compared byte for byte, and the manifest rebuilt. */
import { keys } from '../../core/keys';
import { buildManifest, type Manifest, type ManifestOutput } from '../../core/manifest';
import type { FigureSnapshot } from '../../core/report-model';
import type { NormalisedSubmission } from '../../core/types';
import { jsonBytes, sha256Hex } from '../deps';
import { renderProgrammeFiles, renderProjectFiles } from '../generate';
import type { RevisionInputs, RevisionPlan } from '../revisions';
import { readJsonObject } from './shared';
import {
  differingFields,
  type RegistryEntry,
  type Rerender,
  sameBytes,
  short,
  type VerifyContext,
} from './verify-context';

/** Fields the plan fixes and the manifest must repeat unchanged. */
const PLAN_FIELDS = [
  'period',
  'revision',
  'generatedAt',
  'language',
  'editions',
  'codeVersion',
  'registry',
  'sources',
] as const;

/** Re-render every output from the plan, checking each project's lineage against the plan's sources on the way. */
export async function rerenderRevision(
  ctx: VerifyContext,
  basis: RevisionPlan,
  registryEntry: RegistryEntry | null,
  submissions: (NormalisedSubmission | null)[],
): Promise<Rerender> {
  const out: Rerender = { rendered: new Map(), programmeFacts: null, failures: [] };
  if (registryEntry === null || !submissions.every((s) => s !== null)) {
    out.failures.push('not re-rendered: an input failed its check');
    return out;
  }
  const inputs: RevisionInputs = {
    registry: registryEntry.registry,
    submissions: submissions as NormalisedSubmission[],
  };
  const sourceSha = new Map(basis.sources.map((s) => [`${s.key}\n${s.version}`, s.sha256]));
  try {
    for (const projectId of basis.projectIds) {
      const { model, files } = await renderProjectFiles(basis, inputs, projectId);
      for (const f of files) out.rendered.set(f.key, f.bytes);
      const unlisted = model.lineage.filter(
        (row) => sourceSha.get(`${row.sourceKey}\n${row.sourceVersion}`) !== row.sha256,
      );
      const pdfKey = keys.projectReport(basis.period, basis.revision, projectId, 'pdf');
      ctx.check(
        'lineage',
        pdfKey,
        [`${model.lineage.length} source cells, each from a manifest source with its SHA-256`],
        unlisted.length ? [`${unlisted.length} source cells cite an upload the manifest does not list`] : [],
      );
    }
    const programme = await renderProgrammeFiles(basis, inputs, await previousFigures(ctx));
    for (const f of programme.files) out.rendered.set(f.key, f.bytes);
    out.programmeFacts = { completeness: programme.programme.completeness, figures: programme.figures };
  } catch (err) {
    out.failures.push(`re-render failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return out;
}

/** The figures of the previous revision, which the programme report lists changes against. */
async function previousFigures(ctx: VerifyContext): Promise<FigureSnapshot | null> {
  if (ctx.revision <= 1) return null;
  const before = await readJsonObject<Manifest>(ctx.store, keys.manifest(ctx.period, ctx.revision - 1));
  if (!before?.value || typeof before.value.figures !== 'object')
    throw new Error(`the previous revision's manifest r${ctx.revision - 1} is missing or unreadable`);
  return before.value.figures;
}

/** Every output: archived, listed with its hash, and the same bytes as the re-render. Returns the keys checked. */
export async function verifyOutputs(
  ctx: VerifyContext,
  manifest: Manifest | null,
  rerender: Rerender,
): Promise<string[]> {
  const { rendered } = rerender;
  // A tampered manifest may list an entry without a key: it is not an output to read (the manifest check fails it).
  const listed = new Map(
    (manifest?.outputs ?? []).filter((o) => typeof o?.key === 'string').map((o) => [o.key, o] as const),
  );
  const outputKeys = [...new Set([...rendered.keys(), ...listed.keys()])];
  for (const key of outputKeys) {
    const obj = await ctx.store.get(key);
    const findings: string[] = [];
    const failures: string[] = [...rerender.failures];
    const entry = listed.get(key);
    if (!obj) failures.push('missing from the archive');
    else {
      const actual = sha256Hex(obj.bytes);
      if (!manifest) failures.push('no readable manifest to check its hash against');
      else if (!entry) failures.push('not listed in the manifest');
      else if (entry.sha256 !== actual || entry.bytes !== obj.bytes.byteLength)
        failures.push(
          `sha256 ${short(actual)} (${obj.bytes.byteLength} B) ≠ manifest ${short(entry.sha256)} (${entry.bytes} B)`,
        );
      else findings.push('hash ok');
      const again = rendered.get(key);
      if (again && sameBytes(again, obj.bytes)) findings.push('re-render identical');
      else if (again) failures.push(`re-render differs (sha256 ${short(sha256Hex(again))})`);
      else if (rerender.failures.length === 0) failures.push('not produced by the plan');
    }
    ctx.check('output', key, findings, failures);
  }
  return outputKeys;
}

/** The manifest itself: parses, repeats the plan, equals the one rebuilt from the re-render, has the expected hash. */
export function verifyManifest(
  ctx: VerifyContext,
  archived: {
    key: string;
    read: { bytes: Uint8Array } | null;
    manifest: Manifest | null;
    plan: RevisionPlan | null;
    sha256: string | null;
  },
  rerender: Rerender,
  options: { expectSha256?: string },
): void {
  const { read, manifest, plan, sha256 } = archived;
  const { rendered, programmeFacts } = rerender;
  const failures: string[] = [];
  const findings: string[] = [];
  if (!read) failures.push('missing from the archive');
  else if (!manifest) failures.push('does not parse as a manifest');
  else {
    findings.push('parses');
    const disagree = plan ? PLAN_FIELDS.filter((f) => JSON.stringify(plan[f]) !== JSON.stringify(manifest[f])) : [];
    if (!plan) failures.push('no plan to compare with');
    else if (disagree.length) failures.push(`disagrees with the plan in: ${disagree.join(', ')}`);
    else findings.push('agrees with the plan');
    if (plan && programmeFacts && rendered.size > 0) {
      const outputs: ManifestOutput[] = [...rendered.entries()].map(([key, bytes]) => ({
        key,
        sha256: sha256Hex(bytes),
        bytes: bytes.byteLength,
      }));
      const rebuilt = buildManifest(plan, outputs, programmeFacts.completeness, programmeFacts.figures);
      if (sameBytes(jsonBytes(rebuilt), read.bytes)) findings.push('rebuilt byte-identical');
      else {
        const fields = differingFields(rebuilt, manifest);
        failures.push(
          fields.length
            ? `differs from the manifest rebuilt from the plan and re-rendered outputs in: ${fields.join(', ')}`
            : 'same content, other bytes than the canonical manifest',
        );
      }
    } else failures.push('not rebuilt: the plan or a re-render is missing');
  }
  if (options.expectSha256 !== undefined) {
    if (sha256 === options.expectSha256.toLowerCase()) findings.push('sha256 as expected');
    else failures.push(`sha256 ${short(sha256)} ≠ expected ${short(options.expectSha256)}`);
  }
  ctx.check('manifest', archived.key, [...findings, `sha256 ${sha256 ?? '—'}`], failures);
}
