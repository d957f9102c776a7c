/**
 * Generate a period's reports in three idempotent steps, the same locally and in the Step Functions state machine:
 * plan (fix the revision, its generated-at and its sources) → render each project (fan-out) → finish (programme
 * summary, then the manifest, written last: it marks the revision complete). A new revision is issued only when
 * the sources in force changed; a crashed revision is resumed from its plan and gives the same bytes.
 */
import { availableParallelism } from 'node:os';
import { submissionsInForce } from '../core/aggregate';
import { XLSX_CONTENT_TYPE } from '../core/cells';
import { EDITIONS, editionsOf } from '../core/editions';
import { keys } from '../core/keys';
import {
  buildManifest,
  type Manifest,
  type ManifestArchive,
  type ManifestOutput,
  type ManifestSource,
} from '../core/manifest';
import { AlreadyExistsError } from '../core/ports';
import { describeRegistryChanges } from '../core/registry-changes';
import {
  activeProjects,
  buildProgrammeReport,
  buildProjectReport,
  diffFigures,
  figuresOf,
  indexRegistry,
  projectSummary,
  type RegistryIndex,
} from '../core/report-model';
import type { ProjectReportModel } from '../core/report-types';
import { revisionNeeded } from '../core/revision-policy';
import type { ChangeNote, Registry } from '../core/types';
import { archiveRevisionInputs, type KnownRecords } from './archive-inputs';
import { CODE_VERSION } from './code-version';
import { type Deps, IntegrityError, jsonBytes, putArchivedOnce, sha256Hex } from './deps';
import {
  type RenderedFile,
  type RenderedProgramme,
  RenderPool,
  renderProjectsOnPool,
  submissionsByProject,
} from './parallel-render';
import { shareParsedRecords } from './records';
import { loadRegistryInForce, loadSubmissionsUpTo } from './registry-store';
import {
  latestManifest,
  loadRevisionInputs,
  type PlanRef,
  type RevisionInputs,
  type RevisionPlan,
  readJson,
  resolvePlan,
  revisionsOf,
} from './revisions';

export { latestManifest, loadRevisionInputs, type PlanRef, type RevisionInputs, type RevisionPlan };

let renderers: Promise<typeof import('./report-renderers')> | undefined;
/** The PDF and XLSX renderers, loaded once, when the first report is rendered (see report-renderers.ts). */
export const loadRenderers = () => {
  renderers ??= import('./report-renderers').catch((err: unknown) => {
    renderers = undefined;
    throw err;
  });
  return renderers;
};

/** Below this many projects a period renders on the main thread by default. */
export const PARALLEL_FROM_PROJECTS = 24;

export type PlanOutcome =
  | { status: 'planned'; plan: RevisionPlan; resumed: boolean }
  | { status: 'unchanged'; manifest: Manifest }
  | { status: 'no-registry' };

export type GenerateOutcome =
  | { status: 'generated'; period: string; revision: number; outputs: string[]; manifestKey: string }
  | { status: 'unchanged'; period: string; revision: number; manifestKey: string }
  | { status: 'no-registry'; period: string };

export interface GenerateOptions {
  period: string;
  /** An operator's reissue: a new revision whatever the inputs, with this reason in its change list. */
  reason?: string;
  /** Report timestamp (an input, so re-rendering gives the same bytes); defaults to the clock. */
  generatedAt?: string;
  /** Called after each project, for progress bars. */
  onProgress?: (done: number, total: number, projectId: string) => void;
  /**
   * Worker threads rendering projects at once (see `parallel-render.ts`); default: the machine's available
   * parallelism, at most one per project. 1 renders every project on this thread.
   */
  workers?: number;
  /**
   * A pool that outlives this period (a run's, see `run.ts`): every report of the revision, the programme summary
   * included, is rendered on it, whatever the period's size; `workers` is then not used.
   */
  pool?: RenderPool;
}

/** Step 1: decide whether a new revision is due and fix what it is built from. */
export async function planRevision(
  deps: Deps,
  options: { period: string; generatedAt?: string; reason?: string },
): Promise<PlanOutcome> {
  const { period } = options;
  const { complete, planned } = await revisionsOf(deps, period);
  if (planned > complete) {
    // A revision was started and not finished: resume it exactly as planned.
    const plan = await readJson<RevisionPlan>(deps, keys.plan(period, planned));
    if (plan) return { status: 'planned', plan, resumed: true };
  }
  const registry = await loadRegistryInForce(deps.store);
  if (!registry) return { status: 'no-registry' };
  const projects = activeProjects(registry, period);
  // Only this period's and earlier periods' records: a corrupt record of a later period does not stop this one.
  const all = await loadSubmissionsUpTo(deps.store, period);
  const sources: ManifestSource[] = [];
  for (const project of projects) {
    for (const h of submissionsInForce(
      all.filter((s) => s.projectId === project.id),
      period,
    )) {
      for (const s of h.all) {
        sources.push({
          key: s.source.key,
          version: s.source.version,
          sha256: s.source.sha256,
          recordKey: keys.submission(s.period, s.projectId, s.source.version),
        });
      }
    }
  }
  sources.sort((a, b) => (a.recordKey < b.recordKey ? -1 : a.recordKey > b.recordKey ? 1 : 0));
  const previous = complete > 0 ? await readJson<Manifest>(deps, keys.manifest(period, complete)) : null;
  const notes: ChangeNote[] = [];
  if (options.reason !== undefined)
    notes.push({ lv: `Pārizdots: ${options.reason}`, en: `Re-issued: ${options.reason}` });
  // Unchanged inputs, only contacts changed, or only earlier periods' sources changed without moving its figures.
  if (previous) {
    const previousRegistry = await readJson<Registry>(deps, keys.registryVersion(previous.registry.version));
    if (!previousRegistry) throw new Error(`registry version ${previous.registry.version} of ${period} is missing`);
    // An operator's reissue is a decision, not an inference: it needs no changed input.
    if (
      options.reason === undefined &&
      !revisionNeeded({ period, previous, previousRegistry, registry, sources, submissions: all })
    )
      return { status: 'unchanged', manifest: previous };
    notes.push(...describeRegistryChanges(previousRegistry, registry, period));
  }
  const plan: RevisionPlan = {
    schemaVersion: 1,
    kind: 'plan',
    period,
    revision: complete + 1,
    generatedAt: options.generatedAt ?? deps.clock.now().toISOString(),
    language: EDITIONS[0]!,
    editions: [...EDITIONS],
    codeVersion: CODE_VERSION,
    registry: { key: registry.source.key, version: registry.source.version, sha256: registry.source.sha256 },
    sources,
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    projectIds: projects.map((p) => p.id),
  };
  try {
    await deps.store.put(keys.plan(period, plan.revision), jsonBytes(plan), {
      ifNoneMatch: true,
      contentType: 'application/json',
    });
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    // Another run planned the same revision first: follow its plan.
    const theirs = await readJson<RevisionPlan>(deps, keys.plan(period, plan.revision));
    if (theirs) return { status: 'planned', plan: theirs, resumed: true };
  }
  return { status: 'planned', plan, resumed: false };
}

/** Put a report file once; an existing file must be the same bytes (a resumed run), never overwritten. */
function putOutput(deps: Deps, key: string, bytes: Uint8Array, contentType: string): Promise<ManifestOutput> {
  return putArchivedOnce(
    deps,
    key,
    bytes,
    contentType,
    (cause) =>
      new IntegrityError(`report ${key} exists with different content; an archived report is never overwritten`, {
        cause,
      }),
  );
}

/**
 * Each registry's index, built once however many reports read it: a revision's registry is one object for all its
 * reports (on a worker, the one its context brought), and a loaded registry is never changed.
 */
const registryIndexes = new WeakMap<Registry, RegistryIndex>();
function registryIndex(registry: Registry): RegistryIndex {
  const known = registryIndexes.get(registry);
  if (known) return known;
  const index = indexRegistry(registry);
  registryIndexes.set(registry, index);
  return index;
}

export function projectModel(plan: RevisionPlan, inputs: RevisionInputs, projectId: string): ProjectReportModel {
  return buildProjectReport({
    registry: inputs.registry,
    index: registryIndex(inputs.registry),
    submissions: inputs.submissions,
    period: plan.period,
    revision: plan.revision,
    generatedAt: plan.generatedAt,
    projectId,
  });
}

/** The bytes of one project's report files, every edition; pure given the plan and its inputs (used by `verify` too). */
export async function renderProjectFiles(plan: RevisionPlan, inputs: RevisionInputs, projectId: string) {
  const model = projectModel(plan, inputs, projectId);
  const { renderProjectPdf, renderProjectXlsx } = await loadRenderers();
  const files: RenderedFile[] = [];
  for (const { lang, fileEdition } of editionsOf(plan)) {
    files.push(
      {
        key: keys.projectReport(plan.period, plan.revision, projectId, 'pdf', fileEdition),
        bytes: await renderProjectPdf(model, lang),
        contentType: 'application/pdf',
      },
      {
        key: keys.projectReport(plan.period, plan.revision, projectId, 'xlsx', fileEdition),
        bytes: await renderProjectXlsx(model, lang),
        contentType: XLSX_CONTENT_TYPE,
      },
    );
  }
  return { model, files };
}

/** Step 2 (fan-out): one project's PDF and XLSX. */
export async function renderProjectStep(
  deps: Deps,
  ref: RevisionPlan | PlanRef,
  projectId: string,
  inputs?: RevisionInputs,
): Promise<ManifestOutput[]> {
  const plan = await resolvePlan(deps, ref);
  if (!plan.projectIds.includes(projectId))
    throw new IntegrityError(`project ${projectId} is not in ${plan.period} r${plan.revision}`);
  const loaded = inputs ?? (await loadRevisionInputs(deps, plan, projectId));
  const { files } = await renderProjectFiles(plan, loaded, projectId);
  const outputs: ManifestOutput[] = [];
  for (const f of files) outputs.push(await putOutput(deps, f.key, f.bytes, f.contentType));
  return outputs;
}

/** The programme files; pure given the plan, its inputs and the previous revision's figures. */
export async function renderProgrammeFiles(
  plan: RevisionPlan,
  inputs: RevisionInputs,
  previousFigures: Manifest['figures'] | null,
) {
  const byProject = submissionsByProject(inputs);
  // Each project's figures, not its whole report: series, lineage and notes are no part of the summary.
  const models = plan.projectIds.map((id) =>
    projectSummary({
      registry: inputs.registry,
      index: registryIndex(inputs.registry),
      submissions: byProject.get(id) ?? [],
      period: plan.period,
      revision: plan.revision,
      generatedAt: plan.generatedAt,
      projectId: id,
    }),
  );
  const figures = figuresOf(models);
  const programme = buildProgrammeReport({
    registry: inputs.registry,
    period: plan.period,
    revision: plan.revision,
    generatedAt: plan.generatedAt,
    projects: models,
    changes: previousFigures ? diffFigures(previousFigures, figures) : [],
    notes: plan.notes ?? [],
  });
  const { renderProgrammePdf, renderProgrammeXlsx } = await loadRenderers();
  const files: RenderedFile[] = [];
  for (const { lang, fileEdition } of editionsOf(plan)) {
    files.push(
      {
        key: keys.programmeReport(plan.period, plan.revision, 'pdf', fileEdition),
        bytes: await renderProgrammePdf(programme, lang),
        contentType: 'application/pdf',
      },
      {
        key: keys.programmeReport(plan.period, plan.revision, 'xlsx', fileEdition),
        bytes: await renderProgrammeXlsx(programme, lang),
        contentType: XLSX_CONTENT_TYPE,
      },
    );
  }
  return { programme, figures, files };
}

/** The revision's records as loaded, by the key each is stored under (the plan's `recordKey`). */
function knownRecords(inputs: RevisionInputs): KnownRecords {
  return new Map(inputs.submissions.map((s) => [keys.submission(s.period, s.projectId, s.source.version), s]));
}

/** Every file a project's report is archived as in this revision: each edition's PDF and XLSX. */
function projectOutputKeys(plan: RevisionPlan, projectId: string): string[] {
  return editionsOf(plan).flatMap(({ fileEdition }) =>
    (['pdf', 'xlsx'] as const).map((ext) =>
      keys.projectReport(plan.period, plan.revision, projectId, ext, fileEdition),
    ),
  );
}

/** The last revision's figures, for the programme summary's list of changes since it. */
async function previousFigures(deps: Pick<Deps, 'store'>, plan: RevisionPlan): Promise<Manifest['figures'] | null> {
  if (plan.revision <= 1) return null;
  return (await readJson<Manifest>(deps, keys.manifest(plan.period, plan.revision - 1)))?.figures ?? null;
}

/** Step 3: the programme summary, the revision's inputs and code into the archive, then the manifest (last). */
export async function finishRevision(
  deps: Deps,
  ref: RevisionPlan | PlanRef,
  inputs?: RevisionInputs,
): Promise<Manifest> {
  const plan = await resolvePlan(deps, ref);
  const loaded = inputs ?? (await loadRevisionInputs(deps, plan));
  const { programme, figures, files } = await renderProgrammeFiles(plan, loaded, await previousFigures(deps, plan));
  const outputs: ManifestOutput[] = [];
  for (const id of plan.projectIds) {
    for (const key of projectOutputKeys(plan, id)) {
      const obj = await deps.store.get(key);
      if (!obj) throw new Error(`${key} is missing: render every project before finishing the revision`);
      outputs.push({ key, sha256: sha256Hex(obj.bytes), bytes: obj.bytes.byteLength });
    }
  }
  for (const f of files) outputs.push(await putOutput(deps, f.key, f.bytes, f.contentType));
  // Everything verify needs besides the reports, and the code, into the content-addressed archive (schema 2).
  const archive = await archiveRevisionInputs(
    deps,
    plan,
    keys.programmeReport(plan.period, plan.revision, 'pdf'),
    knownRecords(loaded),
  );
  return writeManifest(deps, plan, outputs, { completeness: programme.completeness, figures }, archive);
}

/** The manifest, written last: it marks the revision complete. */
async function writeManifest(
  deps: Deps,
  plan: RevisionPlan,
  outputs: ManifestOutput[],
  programme: Omit<RenderedProgramme, 'files'>,
  archive: ManifestArchive,
): Promise<Manifest> {
  const manifest = buildManifest(plan, outputs, programme.completeness, programme.figures, archive);
  await putOutput(deps, keys.manifest(plan.period, plan.revision), jsonBytes(manifest), 'application/json');
  deps.log.info('generate.done', {
    period: plan.period,
    revision: plan.revision,
    projects: plan.projectIds.length,
    outputs: outputs.length,
  });
  return manifest;
}

/**
 * Steps 2 and 3 on a worker pool. The programme summary is asked for first (it needs no project's files), so the
 * archive of the inputs (whose retention follows the programme PDF's) runs on this thread while the projects
 * render. The manifest lists the same outputs in the same order as {@link finishRevision}, from the bytes written.
 */
async function renderAndFinishOnPool(
  deps: Deps,
  pool: RenderPool,
  plan: RevisionPlan,
  inputs: RevisionInputs,
  onProgress: GenerateOptions['onProgress'],
): Promise<Manifest> {
  const context = pool.open(plan, inputs.registry);
  try {
    const written = new Map<string, ManifestOutput>();
    const put = async (files: RenderedFile[]) => {
      for (const f of files) written.set(f.key, await putOutput(deps, f.key, f.bytes, f.contentType));
    };
    const programme = pool.renderProgramme(context, inputs.submissions, await previousFigures(deps, plan));
    const archived = programme.then(async (rendered) => {
      await put(rendered.files);
      const programmePdf = keys.programmeReport(plan.period, plan.revision, 'pdf');
      return archiveRevisionInputs(deps, plan, programmePdf, knownRecords(inputs));
    });
    let done = 0;
    const projects = renderProjectsOnPool(pool, context, inputs, plan.projectIds, async (projectId, files) => {
      await put(files);
      onProgress?.(++done, plan.projectIds.length, projectId);
    });
    // Everything settles before an error is thrown: nothing of this revision is written after the rejection.
    const results = await Promise.allSettled([projects, archived]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    const rendered = await programme;
    const projectKeys = plan.projectIds.flatMap((id) => projectOutputKeys(plan, id));
    const outputs = [...projectKeys, ...rendered.files.map((f) => f.key)].map((key) => {
      const output = written.get(key);
      if (!output) throw new Error(`${key} was not rendered`);
      return output;
    });
    return await writeManifest(deps, plan, outputs, rendered, await archived);
  } finally {
    pool.release(context);
  }
}

/** All three steps in one process (the local runtime). */
export async function generatePeriod(deps: Deps, options: GenerateOptions): Promise<GenerateOutcome> {
  // Planning parses every record up to the period; loading the revision's inputs reads the same versions again.
  const release = shareParsedRecords(deps.store);
  try {
    return await planAndGenerate(deps, options);
  } finally {
    release();
  }
}

async function planAndGenerate(deps: Deps, options: GenerateOptions): Promise<GenerateOutcome> {
  const early = options.pool ? undefined : await earlyPool(deps, options);
  try {
    return await planAndRender(deps, options, early);
  } finally {
    await early?.close();
  }
}

/** Worker threads for a period of `total` projects: see {@link GenerateOptions.workers}. */
function workersFor(total: number, options: GenerateOptions): number {
  return Math.min(options.workers ?? (total >= PARALLEL_FROM_PROJECTS ? availableParallelism() : 1), total);
}

/**
 * A worker costs a second or more to load the renderers. When a period will be rendered whatever its planning finds
 * (it has no complete revision yet, or one was planned and not finished), and its registry makes it large enough
 * for a pool, the pool starts loading now, while this thread plans the revision and loads its inputs. Otherwise
 * (a new revision may turn out unchanged) none is started before the plan.
 */
async function earlyPool(deps: Deps, options: GenerateOptions): Promise<RenderPool | undefined> {
  const { complete, planned } = await revisionsOf(deps, options.period);
  if (complete > 0 && planned <= complete) return undefined;
  const registry = await loadRegistryInForce(deps.store);
  const workers = registry ? workersFor(activeProjects(registry, options.period).length, options) : 1;
  if (workers <= 1) return undefined;
  const pool = new RenderPool(workers);
  pool.warm();
  return pool;
}

async function planAndRender(
  deps: Deps,
  options: GenerateOptions,
  early: RenderPool | undefined,
): Promise<GenerateOutcome> {
  const { period } = options;
  const planned = await planRevision(deps, options);
  if (planned.status === 'no-registry') return { status: 'no-registry', period };
  if (planned.status === 'unchanged') {
    return {
      status: 'unchanged',
      period,
      revision: planned.manifest.revision,
      manifestKey: keys.manifest(period, planned.manifest.revision),
    };
  }
  const { plan } = planned;
  const inputs = await loadRevisionInputs(deps, plan);
  const total = plan.projectIds.length;
  // A worker thread costs seconds to start (it loads the renderers afresh), so small periods render in-process
  // unless the caller's pool, which outlives the period, is given.
  const workers = workersFor(total, options);
  const pool = options.pool ?? early;
  let manifest: Manifest;
  if (pool) {
    manifest = await renderAndFinishOnPool(deps, pool, plan, inputs, options.onProgress);
  } else if (workers > 1) {
    const own = new RenderPool(workers);
    try {
      manifest = await renderAndFinishOnPool(deps, own, plan, inputs, options.onProgress);
    } finally {
      await own.close();
    }
  } else {
    let done = 0;
    for (const projectId of plan.projectIds) {
      await renderProjectStep(deps, plan, projectId, inputs);
      options.onProgress?.(++done, total, projectId);
    }
    manifest = await finishRevision(deps, plan, inputs);
  }
  return {
    status: 'generated',
    period,
    revision: plan.revision,
    outputs: manifest.outputs.map((o) => o.key),
    manifestKey: keys.manifest(period, plan.revision),
  };
}
