/**
 * `archive verify`, the outputs: as the revision's own code re-rendered them, compared byte for byte, and the
 * manifest rebuilt.
 */
import { keys } from '../../core/keys';
import { buildManifest, type Manifest, type ManifestOutput } from '../../core/manifest';
import type { FigureSnapshot } from '../../core/report-model';
import type { NormalisedSubmission } from '../../core/types';
import { jsonBytes, sha256Hex } from '../deps';
import type { RevisionPlan } from '../revisions';
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

/**
 * The outputs as the revision's own code re-rendered them (null: the code is not archived), with each project's
 * lineage checked against the plan's sources: every upload a figure cites is a source with the same SHA-256.
 */
export function rerenderRevision(
  ctx: VerifyContext,
  basis: RevisionPlan,
  registryEntry: RegistryEntry | null,
  submissions: (NormalisedSubmission | null)[],
): Rerender | null {
  const run = ctx.material?.run ?? null;
  if (!run) return null;
  if (registryEntry === null || !submissions.every((s) => s !== null))
    return { rendered: new Map(), programmeFacts: null, failures: ['not re-rendered: an input failed its check'] };
  const sourceSha = new Map(basis.sources.map((s) => [`${s.key}\n${s.version}`, s.sha256]));
  for (const { projectId, cells, cites } of run.lineage) {
    const unlisted = cites.filter((c) => sourceSha.get(`${c.sourceKey}\n${c.sourceVersion}`) !== c.sha256);
    ctx.check(
      'lineage',
      keys.projectReport(basis.period, basis.revision, projectId, 'pdf'),
      [`${cells} source cells, each from a manifest source with its SHA-256`],
      unlisted.length ? [`source cells cite ${unlisted.length} upload(s) the manifest does not list`] : [],
    );
  }
  return { rendered: run.rendered, programmeFacts: run.programmeFacts, failures: [...run.failures] };
}

/** The figures of the previous revision, which the programme report lists changes against. */
export async function previousFigures(ctx: VerifyContext): Promise<FigureSnapshot | null> {
  if (ctx.revision <= 1) return null;
  const before = await readJsonObject<Manifest>(ctx.store, keys.manifest(ctx.period, ctx.revision - 1));
  if (!before?.value || typeof before.value.figures !== 'object')
    throw new Error(`the previous revision's manifest r${ctx.revision - 1} is missing or unreadable`);
  return before.value.figures;
}

/** Every output: archived, listed with its hash, and the same bytes as the re-render. Returns the keys checked. */
export async function verifyOutputs(
  ctx: VerifyContext,
  manifest: Pick<Manifest, 'outputs'> | null,
  rerender: Rerender | null,
): Promise<string[]> {
  const rendered = rerender?.rendered ?? new Map<string, Uint8Array>();
  // A tampered manifest may list an entry without a key: it is not an output to read (the manifest check fails it).
  const listed = new Map(
    (manifest?.outputs ?? []).filter((o) => typeof o?.key === 'string').map((o) => [o.key, o] as const),
  );
  const outputKeys = [...new Set([...rendered.keys(), ...listed.keys()])];
  for (const key of outputKeys) {
    const obj = await ctx.store.get(key);
    const findings: string[] = [];
    const failures: string[] = [...(rerender?.failures ?? [])];
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
      if (!rerender) findings.push('not re-rendered: the code that made it is not archived');
      else if (again && sameBytes(again, obj.bytes)) findings.push('re-render identical');
      else if (again) failures.push(`re-render differs (sha256 ${short(sha256Hex(again))})`);
      else if (rerender.failures.length === 0) failures.push('not produced by the plan');
    }
    ctx.check('output', key, findings, failures);
  }
  return outputKeys;
}

/** What the plan uses that the manifest's archive does not list (each listed item is checked by its hash). */
export function archiveOmissions(
  manifest: Pick<Manifest, 'archive'>,
  plan: Pick<RevisionPlan, 'sources' | 'registry'> | null,
): string[] {
  const items = Array.isArray(manifest.archive?.items) ? manifest.archive.items : [];
  const listed = new Set(
    items.map((i) => `${i.role}\n${i.key}\n${i.version ?? ''}\n${i.role.endsWith('record') ? '' : i.sha256}`),
  );
  const missing = (plan?.sources ?? []).flatMap((s) => [
    ...(listed.has(`source\n${s.key}\n${s.version}\n${s.sha256}`) ? [] : [`${s.key}@${s.version}`]),
    ...(listed.has(`record\n${s.recordKey}\n\n`) ? [] : [s.recordKey]),
  ]);
  if (plan && !listed.has(`registry\n${plan.registry.key}\n${plan.registry.version}\n${plan.registry.sha256}`))
    missing.push(`${plan.registry.key}@${plan.registry.version}`);
  if (!manifest.archive || !('code' in manifest.archive)) missing.push('the code');
  return missing.length ? [`its archive does not list: ${missing.join(', ')}`] : [];
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
  rerender: Rerender | null,
  options: { expectSha256?: string },
): void {
  const { read, manifest, plan, sha256 } = archived;
  const rendered = rerender?.rendered ?? new Map<string, Uint8Array>();
  const programmeFacts = rerender?.programmeFacts ?? null;
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
    if (manifest.schemaVersion >= 2) failures.push(...archiveOmissions(manifest, plan));
    if (!rerender) findings.push('not rebuilt: the code that made it is not archived');
    else if (plan && programmeFacts && rendered.size > 0) {
      const outputs: ManifestOutput[] = [...rendered.entries()].map(([key, bytes]) => ({
        key,
        sha256: sha256Hex(bytes),
        bytes: bytes.byteLength,
      }));
      const rebuilt = buildManifest(
        plan,
        outputs,
        programmeFacts.completeness,
        programmeFacts.figures,
        manifest.archive,
      );
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
