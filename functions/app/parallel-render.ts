/**
 * Rendering a revision's projects on a pool of worker threads: the local runtime's fan-out (on AWS the Step
 * Functions Map fans out instead). Each worker gets the plan and the registry once; each project is sent with its
 * own submissions only (a project's report reads no other project's), so a worker never holds the whole
 * programme. Workers render with the same `renderProjectFiles` as the sequential path and send the bytes back to
 * the calling thread, which writes them: the store never crosses a thread boundary, and the files do not depend
 * on which thread rendered them (`test/integration/parallel-render.test.ts` holds them byte-identical).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NormalisedSubmission, Registry } from '../core/types';
import type { RevisionInputs, RevisionPlan } from './revisions';

/** One rendered report file, as the worker hands it back. */
export interface RenderedFile {
  key: string;
  bytes: Uint8Array;
  contentType: string;
}

/** What a worker starts with. */
export interface RenderWorkerData {
  plan: RevisionPlan;
  registry: Registry;
}

/** Calling thread → worker: render this project from these (its own) submissions. */
export interface RenderRequest {
  projectId: string;
  submissions: NormalisedSubmission[];
}

/** Worker → calling thread. */
export type RenderReply =
  | { ok: true; projectId: string; files: RenderedFile[] }
  | { ok: false; projectId: string; error: { name: string; message: string; stack?: string } };

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

export interface ParallelRenderOptions {
  /** Worker threads to start (at most one per project). */
  workers: number;
  /** Called on the calling thread for each rendered project, in completion order; awaited before the pool ends. */
  onRendered: (projectId: string, files: RenderedFile[]) => Promise<void>;
}

/**
 * Run from TypeScript sources (tsx, vitest), the worker is a `.ts` file that plain Node cannot load, and a worker
 * inherits no loader hooks registered through the API (the CLI's `bin/` does that): the worker then starts from a
 * small script that registers tsx first. Compiled to JavaScript, the worker file is started as it is.
 */
function startWorker(data: RenderWorkerData): Worker {
  const workerUrl = new URL(
    import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js',
    import.meta.url,
  );
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl, { workerData: data });
  const bootstrap = [
    `import(${JSON.stringify(tsxApiUrl())})`,
    '.then((tsx) => { tsx.register(); return import(',
    JSON.stringify(workerUrl.href),
    '); })',
  ].join('');
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** tsx's ESM registration API (`tsx/esm/api`), resolved from this module. */
function tsxApiUrl(): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (resolve) return resolve('tsx/esm/api');
  // Hosts without import.meta.resolve: the package's ESM entry, next to its package.json.
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  return new URL('dist/esm/api/index.mjs', pathToFileURL(packageJson)).href;
}

/**
 * Render `projectIds` on `options.workers` threads, handing each project's files to `options.onRendered`. Rejects on
 * the first failure (a render error, a crashed worker, or `onRendered` throwing) after stopping every worker.
 */
export async function renderProjectsInWorkers(
  plan: RevisionPlan,
  inputs: RevisionInputs,
  projectIds: readonly string[],
  options: ParallelRenderOptions,
): Promise<void> {
  if (projectIds.length === 0) return;
  const count = Math.max(1, Math.min(options.workers, projectIds.length));
  const byProject = new Map<string, NormalisedSubmission[]>();
  for (const s of inputs.submissions) {
    const list = byProject.get(s.projectId);
    if (list) list.push(s);
    else byProject.set(s.projectId, [s]);
  }
  const pool: Worker[] = [];
  const written: Promise<void>[] = [];
  let next = 0;
  let finished = 0;
  let failed = false;

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      const dispatch = (worker: Worker) => {
        if (failed || next >= projectIds.length) return;
        const projectId = projectIds[next++]!;
        worker.postMessage({ projectId, submissions: byProject.get(projectId) ?? [] } satisfies RenderRequest);
      };
      for (let i = 0; i < count; i++) {
        const worker = startWorker({ plan, registry: inputs.registry });
        pool.push(worker);
        worker.on('message', (reply: RenderReply) => {
          // After a failure nothing more is written: the caller may already be handling the error.
          if (failed) return;
          if (!reply.ok) {
            const cause = Object.assign(new Error(reply.error.message), reply.error);
            fail(new ProjectRenderError(reply.projectId, { cause }));
            return;
          }
          // Hand the next project over before writing this one's files: rendering and writing overlap.
          dispatch(worker);
          const write = options.onRendered(reply.projectId, reply.files).then(() => {
            if (++finished === projectIds.length) resolve();
          }, fail);
          written.push(write);
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (finished < projectIds.length)
            fail(new Error(`a render worker stopped (exit code ${code}) before the work was done`));
        });
        dispatch(worker);
      }
    });
  } finally {
    // Let writes already under way settle before returning, so nothing touches the store after a rejection.
    await Promise.allSettled(written);
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
