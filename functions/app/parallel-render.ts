/**
 * Rendering on a pool of worker threads: the local runtime's fan-out (on AWS the Step Functions Map fans out
 * instead). One pool can serve a whole run: a worker starts once, loads the renderers once, and renders for every
 * revision the run generates. Each revision's plan and registry go to a worker once, the first time it renders for
 * that revision (a "context"); each project is sent with its own submissions only (a project's report reads no
 * other project's), so a worker never holds the whole programme for a project. The programme summary, which reads
 * every project, is one job too. Workers render with the same functions as the sequential path and send the bytes
 * back to the calling thread, which writes them: the store never crosses a thread boundary, and the files do not
 * depend on which thread rendered them (`test/integration/parallel-render.test.ts` holds them byte-identical).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Manifest } from '../core/manifest';
import type { NormalisedSubmission, Registry, SourceRef } from '../core/types';
import type { SubmissionContext, SubmissionReadResult } from '../intake/read-submission';
import type { RevisionInputs, RevisionPlan } from './revisions';
import { tuneTiering } from './tiering';

/** One rendered report file, as the worker hands it back. */
export interface RenderedFile {
  key: string;
  bytes: Uint8Array;
  contentType: string;
}

/** The programme summary's files and what the manifest takes from its model. */
export interface RenderedProgramme {
  files: RenderedFile[];
  completeness: Manifest['completeness'];
  figures: Manifest['figures'];
}

/**
 * Work other than rendering that a pool's workers do, by name: what each is sent and what it answers. A worker
 * answers a task with the function of the same name in `render-worker.ts` (its `tasks` table); to add one, add its
 * entry here and there. A task runs in a context (a registry sent to each worker once, see
 * {@link RenderPool.openRegistry}) or, given `null`, in none.
 */
export interface WorkerTasks {
  /** Read and check an uploaded submission workbook, as ingest would (`readSubmission`), against the context's registry. */
  readSubmission: {
    input: { bytes: Uint8Array; source: SourceRef; ctx: Omit<SubmissionContext, 'registry'> };
    output: SubmissionReadResult;
  };
  /**
   * Zip a workbook's parts as reports are zipped (`packEntries`: Node's zlib, fixed dates; the same bytes on every
   * thread of one Node). `npm start` zips its sample with it: fflate's deflate, which committed workbooks need for
   * the same bytes on every Node, took five times the CPU.
   */
  packEntries: { input: { entries: [string, Uint8Array][] }; output: Uint8Array };
}

export type TaskName = keyof WorkerTasks;

/** Calling thread → worker. */
export type RenderRequest =
  | { type: 'context'; context: number; plan: RevisionPlan | null; registry: Registry }
  | { type: 'forget'; context: number }
  | { type: 'project'; job: number; context: number; projectId: string; submissions: NormalisedSubmission[] }
  | {
      type: 'programme';
      job: number;
      context: number;
      submissions: NormalisedSubmission[];
      previousFigures: Manifest['figures'] | null;
    }
  | { type: 'task'; job: number; context: number | null; task: TaskName; input: unknown };

/** Worker → calling thread. */
export type RenderReply =
  | { job: number; ok: true; files: RenderedFile[]; programme?: Omit<RenderedProgramme, 'files'>; value?: unknown }
  | { job: number; ok: false; error: { name: string; message: string; stack?: string } };

/** What a worker is started with. */
export interface RenderWorkerData {
  /**
   * Whether it renders the warm-up specimen while it waits for its first report (`warm-up.ts`): by default only when
   * the pool leaves a core free. A pool with a worker per core has none to spare while its caller plans the work,
   * and the warm-up would slow the planning that its first reports wait for (500 projects paired: no gain).
   */
  warmUp: boolean;
}

/** A worker's word that it rendered one more step of its warm-up (`warm-up.ts`), `renders` in all. */
export interface WarmUpReport {
  type: 'warmed';
  renders: number;
}

/**
 * The buffers that can be moved to the calling thread rather than copied: those of the arrays that are the whole of
 * a buffer no other array shares (a rendered file is a buffer of its own; anything else is copied as before).
 */
export function ownBuffers(arrays: readonly Uint8Array[]): ArrayBuffer[] {
  const seen = new Set<ArrayBufferLike>();
  const shared = new Set<ArrayBufferLike>();
  for (const { buffer } of arrays) (seen.has(buffer) ? shared : seen).add(buffer);
  const own: ArrayBuffer[] = [];
  for (const bytes of arrays) {
    const { buffer } = bytes;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
    if (whole && !shared.has(buffer) && buffer instanceof ArrayBuffer) own.push(buffer);
  }
  return own;
}

/** A project that failed in a worker; the worker's error is the `cause`. */
export class ProjectRenderError extends Error {
  constructor(
    readonly projectId: string,
    options: { cause: unknown },
  ) {
    super(`rendering project ${projectId} failed in a worker thread`, options);
    this.name = 'ProjectRenderError';
  }
}

/** The programme summary failed in a worker; the worker's error is the `cause`. */
export class ProgrammeRenderError extends Error {
  constructor(options: { cause: unknown }) {
    super('rendering the programme summary failed in a worker thread', options);
    this.name = 'ProgrammeRenderError';
  }
}

/** A task failed in a worker; the worker's error is the `cause`. */
export class WorkerTaskError extends Error {
  constructor(
    readonly task: TaskName,
    options: { cause: unknown },
  ) {
    super(`the task ${task} failed in a worker thread`, options);
    this.name = 'WorkerTaskError';
  }
}

/** A job dropped before it started: its revision gave up after another job of it failed. */
export class RenderCancelledError extends Error {
  constructor() {
    super('render cancelled: another report of the same revision failed');
    this.name = 'RenderCancelledError';
  }
}

/**
 * A worker's young generation (where V8 makes new objects, collected by the fast scavenger). A report makes many
 * short-lived objects (layout lines, operator strings, cell XML): with V8's default (about 48 MB: semi-spaces of
 * 16 MB) they outlive a scavenge often enough to be copied and promoted, and a render spends a tenth of its time
 * collecting. With 96 MB most die young; a worker's peak grows by at most the difference (see docs/performance.md).
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

/** Jobs a worker holds at once: the one it renders and the next, so it never waits for this thread to send one. */
const JOBS_PER_WORKER = 2;

/**
 * Run from TypeScript sources (tsx, vitest), the worker is a `.ts` file that plain Node cannot load, and a worker
 * inherits no loader hooks registered through the API (the CLI's `bin/` does that): the worker then starts from a
 * small script that registers tsx first. Compiled to JavaScript, the worker file is started as it is.
 */
function startWorker(workerData: RenderWorkerData): Worker {
  // V8's flags are the process's: set before the first worker's isolate starts compiling.
  tuneTiering();
  const workerUrl = new URL(
    import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js',
    import.meta.url,
  );
  const options = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }, workerData };
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl, options);
  const bootstrap = [
    `import(${JSON.stringify(tsxApiUrl())})`,
    '.then((tsx) => { tsx.register(); return import(',
    JSON.stringify(workerUrl.href),
    '); })',
  ].join('');
  return new Worker(bootstrap, { ...options, eval: true });
}

/** tsx's ESM registration API (`tsx/esm/api`), resolved from this module. */
function tsxApiUrl(): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (resolve) return resolve('tsx/esm/api');
  // Hosts without import.meta.resolve: the package's ESM entry, next to its package.json.
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  return new URL('dist/esm/api/index.mjs', pathToFileURL(packageJson)).href;
}

type JobRequest = Extract<RenderRequest, { job: number }>;
type JobBody = JobRequest extends infer R ? (R extends JobRequest ? Omit<R, 'job'> : never) : never;

interface Job {
  id: number;
  request: JobRequest;
  fail: (cause: unknown) => Error;
  resolve: (reply: Extract<RenderReply, { ok: true }>) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** Contexts this worker holds. */
  contexts: Set<number>;
  /** Jobs sent to this worker and not answered, in the order sent (it renders them one at a time, in that order). */
  jobs: Job[];
}

/**
 * Worker threads that render report files, started when work first waits for one (at most `size`) and kept until
 * {@link RenderPool.close}. Jobs start in the order they are asked for. Each worker is sent its next job while it
 * renders one, so that it does not wait for this thread (busy writing the last one's files) to send it. A worker
 * that dies fails the jobs it had; the next job starts a new one.
 */
export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly contexts = new Map<number, { plan: RevisionPlan | null; registry: Registry }>();
  private nextId = 1;
  private closed = false;
  /** Workers started since the pool was made (a worker that died is replaced by a new one). */
  started = 0;
  /** Warm-up renders the workers have done while they waited for their first report (`warm-up.ts`). */
  warmUpRenders = 0;

  /** Whether the workers render the warm-up specimen while they wait (see {@link RenderWorkerData.warmUp}). */
  readonly warmsUp: boolean;

  constructor(
    readonly size: number,
    options: { warmUp?: boolean } = {},
  ) {
    if (!(size >= 1)) throw new RangeError(`a render pool needs at least one worker, not ${size}`);
    this.warmsUp = options.warmUp ?? size < availableParallelism();
  }

  /** Start every worker now and let each load the renderers, so the first reports do not wait for them. */
  warm(): void {
    while (!this.closed && this.slots.length < this.size) this.startSlot();
  }

  /** A revision's plan and registry, for its jobs; each worker receives them once. */
  open(plan: RevisionPlan, registry: Registry): number {
    const id = this.nextId++;
    this.contexts.set(id, { plan, registry });
    return id;
  }

  /** A registry for tasks that read against one (no revision): each worker receives it once. */
  openRegistry(registry: Registry): number {
    const id = this.nextId++;
    this.contexts.set(id, { plan: null, registry });
    return id;
  }

  /** The revision is done: workers drop its plan and registry, and its jobs still waiting are cancelled. */
  release(context: number): void {
    this.cancel(context);
    this.contexts.delete(context);
    for (const slot of this.slots) {
      if (slot.contexts.delete(context)) slot.worker.postMessage({ type: 'forget', context } satisfies RenderRequest);
    }
  }

  /** Reject every job of `context` that has not started, with {@link RenderCancelledError}. */
  cancel(context: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i]!;
      if (job.request.context !== context) continue;
      this.queue.splice(i, 1);
      job.reject(new RenderCancelledError());
    }
  }

  async renderProject(context: number, projectId: string, submissions: NormalisedSubmission[]) {
    const reply = await this.submit(
      { type: 'project', context, projectId, submissions },
      (cause) => new ProjectRenderError(projectId, { cause }),
    );
    return reply.files;
  }

  async renderProgramme(
    context: number,
    submissions: NormalisedSubmission[],
    previousFigures: Manifest['figures'] | null,
  ): Promise<RenderedProgramme> {
    const reply = await this.submit(
      { type: 'programme', context, submissions, previousFigures },
      (cause) => new ProgrammeRenderError({ cause }),
    );
    if (!reply.programme) throw new ProgrammeRenderError({ cause: new Error('the worker sent no programme model') });
    return { files: reply.files, ...reply.programme };
  }

  /** Run a task (see {@link WorkerTasks}) on a worker, in `context`; a failure rejects with {@link WorkerTaskError}. */
  async run<T extends TaskName>(
    context: number | null,
    task: T,
    input: WorkerTasks[T]['input'],
  ): Promise<WorkerTasks[T]['output']> {
    const reply = await this.submit(
      { type: 'task', context, task, input },
      (cause) => new WorkerTaskError(task, { cause }),
    );
    return reply.value as WorkerTasks[T]['output'];
  }

  /** Stop every worker; jobs not finished are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new RenderCancelledError());
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private submit(body: JobBody, fail: (cause: unknown) => Error) {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    if (body.context !== null && !this.contexts.has(body.context))
      return Promise.reject(new Error(`render context ${body.context} is not open`));
    return new Promise<Extract<RenderReply, { ok: true }>>((resolve, reject) => {
      const id = this.nextId++;
      this.queue.push({ id, request: { ...body, job: id } as JobRequest, fail, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (!slot) return;
      const job = this.queue.shift()!;
      const { context } = job.request;
      if (context !== null && !slot.contexts.has(context)) {
        const { plan, registry } = this.contexts.get(context)!;
        slot.worker.postMessage({ type: 'context', context, plan, registry } satisfies RenderRequest);
        slot.contexts.add(context);
      }
      slot.jobs.push(job);
      slot.worker.ref();
      slot.worker.postMessage(job.request);
    }
  }

  /** An idle worker, else a new one while fewer than `size` run, else a busy one with room for its next job. */
  private freeSlot(): Slot | undefined {
    const idle = this.slots.find((s) => s.jobs.length === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.startSlot();
    return this.slots.find((s) => s.jobs.length < JOBS_PER_WORKER);
  }

  private startSlot(): Slot {
    const slot: Slot = {
      worker: startWorker({ warmUp: this.warmsUp }),
      contexts: new Set(),
      jobs: [],
    };
    this.started++;
    this.slots.push(slot);
    // An idle worker does not keep the process alive (a pool left open must not hang the command); one at work does.
    slot.worker.unref();
    slot.worker.on('message', (reply: RenderReply | WarmUpReport) => {
      if ('type' in reply) {
        this.warmUpRenders++;
        return;
      }
      const index = slot.jobs.findIndex((j) => j.id === reply.job);
      if (index < 0) return;
      const [job] = slot.jobs.splice(index, 1) as [Job];
      if (slot.jobs.length === 0) slot.worker.unref();
      if (reply.ok) job.resolve(reply);
      else job.reject(job.fail(Object.assign(new Error(reply.error.message), reply.error)));
      this.dispatch();
    });
    const lost = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      for (const job of slot.jobs.splice(0)) job.reject(job.fail(error));
      if (!this.closed) this.dispatch();
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', (code) =>
      lost(new Error(`a render worker stopped (exit code ${code}) before the work was done`)),
    );
    return slot;
  }
}

/** Each project's own submissions, in input order. */
export function submissionsByProject(inputs: RevisionInputs): Map<string, NormalisedSubmission[]> {
  const byProject = new Map<string, NormalisedSubmission[]>();
  for (const s of inputs.submissions) {
    const list = byProject.get(s.projectId);
    if (list) list.push(s);
    else byProject.set(s.projectId, [s]);
  }
  return byProject;
}

/**
 * Render `projectIds` of one revision on `pool`, handing each project's files to `onRendered` (in completion order,
 * awaited). Rejects with the first failure (a render error, a worker that died, or `onRendered` throwing) once the
 * revision's other jobs are cancelled or settled: nothing of it is written after the rejection.
 */
export async function renderProjectsOnPool(
  pool: RenderPool,
  context: number,
  inputs: RevisionInputs,
  projectIds: readonly string[],
  onRendered: (projectId: string, files: RenderedFile[]) => Promise<void>,
): Promise<void> {
  const byProject = submissionsByProject(inputs);
  let failure: { error: unknown } | null = null;
  await Promise.all(
    projectIds.map((projectId) =>
      pool
        .renderProject(context, projectId, byProject.get(projectId) ?? [])
        .then((files) => (failure ? undefined : onRendered(projectId, files)))
        .catch((error: unknown) => {
          if (failure) return;
          failure = { error };
          pool.cancel(context);
        }),
    ),
  );
  if (failure) throw (failure as { error: unknown }).error;
}

export interface ParallelRenderOptions {
  /** Worker threads to start (at most one per project). */
  workers: number;
  /** Called on the calling thread for each rendered project, in completion order; awaited before the pool ends. */
  onRendered: (projectId: string, files: RenderedFile[]) => Promise<void>;
}

/**
 * Render `projectIds` on a pool of `options.workers` threads of its own, handing each project's files to
 * `options.onRendered`. Rejects on the first failure after stopping every worker.
 */
export async function renderProjectsInWorkers(
  plan: RevisionPlan,
  inputs: RevisionInputs,
  projectIds: readonly string[],
  options: ParallelRenderOptions,
): Promise<void> {
  if (projectIds.length === 0) return;
  const pool = new RenderPool(Math.max(1, Math.min(options.workers, projectIds.length)));
  try {
    await renderProjectsOnPool(pool, pool.open(plan, inputs.registry), inputs, projectIds, options.onRendered);
  } finally {
    await pool.close();
  }
}
