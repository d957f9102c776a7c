/**
 * Generate a period's reports: every active project's PDF + XLSX, the programme summary, then the manifest
 * (written last: it marks the revision complete). A new revision is issued only when the sources in force changed.
 */
import { submissionsInForce } from '../core/aggregate';
import { type Manifest, sourcesFingerprint } from '../core/manifest';
import { keys, parseReportKey } from '../core/keys';
import { AlreadyExistsError } from '../core/ports';
import { activeProjects, buildProgrammeReport, buildProjectReport, diffFigures, figuresOf } from '../core/report-model';
import type { ProgrammeReportModel, ProjectReportModel } from '../core/report-types';
import type { Lang, NormalisedSubmission, Registry } from '../core/types';
import { renderProgrammePdf } from '../pdf/render-programme-pdf';
import { renderProjectPdf } from '../pdf/render-project-pdf';
import { renderProgrammeXlsx, renderProjectXlsx } from '../workbooks/write-report-xlsx';
import { CODE_VERSION } from './code-version';
import { type Deps, jsonBytes, parseJson, sha256Hex } from './deps';
import { loadRegistryInForce, loadSubmissions } from './registry-store';

export interface GenerateOptions {
  period: string;
  lang?: Lang;
  /** Report timestamp (an input, so re-rendering gives the same bytes); defaults to the clock. */
  generatedAt?: string;
  /** Called after each project, for progress bars. */
  onProgress?: (done: number, total: number, projectId: string) => void;
}

export type GenerateOutcome =
  | { status: 'generated'; period: string; revision: number; outputs: string[]; manifestKey: string }
  | { status: 'unchanged'; period: string; revision: number; manifestKey: string }
  | { status: 'no-registry'; period: string };

/** The latest complete revision of a period (the one with a manifest), if any. */
export async function latestManifest(deps: Pick<Deps, 'store'>, period: string): Promise<Manifest | null> {
  let best: Manifest | null = null;
  for (const info of await deps.store.list(keys.reportsOf(period))) {
    const parsed = parseReportKey(info.key);
    if (!parsed || parsed.file !== 'manifest.json') continue;
    if (best && best.revision >= parsed.revision) continue;
    const obj = await deps.store.get(info.key);
    if (obj) best = parseJson<Manifest>(obj.bytes);
  }
  return best;
}

/** Put a report file; an existing file with the same key came from an interrupted run of this revision. */
async function putOutput(deps: Deps, key: string, bytes: Uint8Array, contentType: string) {
  try {
    await deps.store.put(key, bytes, { ifNoneMatch: true, contentType });
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    const existing = await deps.store.get(key);
    if (!existing || sha256Hex(existing.bytes) !== sha256Hex(bytes)) {
      throw new Error(`report ${key} exists with different content; refusing to overwrite an archived report`, { cause: err });
    }
  }
  return { key, sha256: sha256Hex(bytes), bytes: bytes.byteLength };
}

export interface PeriodInputs {
  registry: Registry;
  submissions: NormalisedSubmission[];
  /** The submissions in force for this period and earlier, per project. */
  inForce: NormalisedSubmission[];
}

export async function loadPeriodInputs(deps: Pick<Deps, 'store'>, period: string): Promise<PeriodInputs | null> {
  const registry = await loadRegistryInForce(deps.store);
  if (!registry) return null;
  const submissions = await loadSubmissions(deps.store);
  const inForce: NormalisedSubmission[] = [];
  for (const project of registry.projects) {
    const history = submissionsInForce(submissions.filter((s) => s.projectId === project.id), period);
    for (const h of history) inForce.push(...h.all);
  }
  return { registry, submissions, inForce };
}

/** The exact registry version and submissions a revision was built from, as its manifest lists them. */
export async function loadManifestInputs(deps: Pick<Deps, 'store'>, manifest: Manifest): Promise<PeriodInputs> {
  const registryObj = await deps.store.get(keys.registryVersion(manifest.registry.version));
  if (!registryObj) throw new Error(`registry version ${manifest.registry.version} of ${manifest.period} r${manifest.revision} is missing`);
  const registry = parseJson<Registry>(registryObj.bytes);
  const inForce: NormalisedSubmission[] = [];
  for (const source of manifest.sources) {
    const obj = await deps.store.get(source.recordKey);
    if (!obj) throw new Error(`submission record ${source.recordKey} of ${manifest.period} r${manifest.revision} is missing`);
    inForce.push(parseJson<NormalisedSubmission>(obj.bytes));
  }
  return { registry, submissions: inForce, inForce };
}

export async function generatePeriod(deps: Deps, options: GenerateOptions): Promise<GenerateOutcome> {
  const { period } = options;
  const lang = options.lang ?? 'lv';
  const inputs = await loadPeriodInputs(deps, period);
  if (!inputs) return { status: 'no-registry', period };
  const { registry, inForce } = inputs;
  const sources = inForce
    .map((s) => ({ key: s.source.key, version: s.source.version, sha256: s.source.sha256, recordKey: keys.submission(s.period, s.projectId, s.source.version) }))
    .sort((a, b) => (a.recordKey < b.recordKey ? -1 : 1));
  const previous = await latestManifest(deps, period);
  if (previous && sourcesFingerprint(previous.registry.version, previous.sources) === sourcesFingerprint(registry.source.version, sources)) {
    return { status: 'unchanged', period, revision: previous.revision, manifestKey: keys.manifest(period, previous.revision) };
  }
  const revision = (previous?.revision ?? 0) + 1;
  // A resumed revision keeps the generated-at of its first attempt so its files stay byte-identical.
  const generatedAt = options.generatedAt ?? (await resumedGeneratedAt(deps, period, revision)) ?? deps.clock.now().toISOString();

  const projects = activeProjects(registry, period);
  const models: ProjectReportModel[] = [];
  const outputs = [];
  let done = 0;
  for (const project of projects) {
    const model = buildProjectReport({ registry, submissions: inForce, period, revision, generatedAt, projectId: project.id });
    models.push(model);
    outputs.push(await putOutput(deps, keys.projectReport(period, revision, project.id, 'pdf'), await renderProjectPdf(model, lang), 'application/pdf'));
    outputs.push(
      await putOutput(deps, keys.projectReport(period, revision, project.id, 'xlsx'), await renderProjectXlsx(model, lang), XLSX_TYPE),
    );
    options.onProgress?.(++done, projects.length, project.id);
  }
  const figures = figuresOf(models);
  const programme: ProgrammeReportModel = buildProgrammeReport({
    registry,
    period,
    revision,
    generatedAt,
    projects: models,
    changes: previous ? diffFigures(previous.figures, figures) : [],
  });
  outputs.push(await putOutput(deps, keys.programmeReport(period, revision, 'pdf'), await renderProgrammePdf(programme, lang), 'application/pdf'));
  outputs.push(await putOutput(deps, keys.programmeReport(period, revision, 'xlsx'), await renderProgrammeXlsx(programme, lang), XLSX_TYPE));

  const manifest: Manifest = {
    schemaVersion: 1,
    kind: 'manifest',
    period,
    revision,
    generatedAt,
    language: lang,
    codeVersion: CODE_VERSION,
    registry: { key: registry.source.key, version: registry.source.version, sha256: registry.source.sha256 },
    sources,
    outputs,
    figures,
  };
  const manifestKey = keys.manifest(period, revision);
  await putOutput(deps, manifestKey, jsonBytes(manifest), 'application/json');
  deps.log.info('generate.done', { period, revision, projects: projects.length, outputs: outputs.length });
  return { status: 'generated', period, revision, outputs: outputs.map((o) => o.key), manifestKey };
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A half-written revision (files, no manifest) records its generated-at in a small marker written first. */
async function resumedGeneratedAt(deps: Deps, period: string, revision: number): Promise<string | null> {
  const markerKey = `${keys.revisionPrefix(period, revision)}.generated-at`;
  const existing = await deps.store.get(markerKey);
  if (existing) return new TextDecoder().decode(existing.bytes).trim();
  const now = deps.clock.now().toISOString();
  try {
    await deps.store.put(markerKey, new TextEncoder().encode(now), { ifNoneMatch: true });
    return now;
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    const again = await deps.store.get(markerKey);
    return again ? new TextDecoder().decode(again.bytes).trim() : now;
  }
}
