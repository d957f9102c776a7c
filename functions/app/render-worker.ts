/**
 * A render worker thread (see `parallel-render.ts`): keeps the plan and registry of each revision it is sent,
 * renders the jobs it is sent, one at a time, with the same functions as the sequential path, and replies with the
 * bytes. It writes nothing itself. It loads the renderers as it starts, while the calling thread prepares the work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Registry } from '../core/types';
import { loadRenderers, renderProgrammeFiles, renderProjectFiles } from './generate';
import {
  ownBuffers,
  type RenderReply,
  type RenderRequest,
  type RenderWorkerData,
  type TaskName,
  type WarmUpReport,
  type WorkerTasks,
} from './parallel-render';
import type { RevisionPlan } from './revisions';

if (!parentPort) throw new Error('render-worker.ts runs as a worker thread only');
const port = parentPort;
type Context = { plan: RevisionPlan | null; registry: Registry };
const contexts = new Map<number, Context>();

/** The worker's side of each {@link WorkerTasks} entry: the same name, its input, the context's registry. */
const tasks: {
  [T in TaskName]: (
    input: WorkerTasks[T]['input'],
    registry: Registry | undefined,
  ) => Promise<WorkerTasks[T]['output']>;
} = {
  async readSubmission({ bytes, source, ctx }, registry) {
    if (!registry) throw new Error('readSubmission runs in a context with a registry');
    const { readSubmission } = await import('../intake/read-submission');
    return readSubmission(bytes, source, { ...ctx, registry });
  },
  async packEntries({ entries }) {
    const { packEntries } = await import('../workbooks/deterministic-zip');
    return packEntries(entries);
  },
};

type JobRequest = Extract<RenderRequest, { job: number }>;

async function run(request: JobRequest, context: Context | undefined): Promise<RenderReply> {
  if (request.type === 'task' && request.context === null) {
    const task = tasks[request.task] as (input: unknown, registry: undefined) => Promise<unknown>;
    return { job: request.job, ok: true, files: [], value: await task(request.input, undefined) };
  }
  if (!context) throw new Error(`render context ${request.context} was not sent to this worker`);
  const { plan, registry } = context;
  if (request.type === 'task') {
    const task = tasks[request.task] as (input: unknown, registry: Registry) => Promise<unknown>;
    return { job: request.job, ok: true, files: [], value: await task(request.input, registry) };
  }
  if (!plan) throw new Error(`render context ${request.context} has no revision plan to render with`);
  if (request.type === 'project') {
    const { files } = await renderProjectFiles(plan, { registry, submissions: request.submissions }, request.projectId);
    return { job: request.job, ok: true, files };
  }
  const inputs = { registry, submissions: request.submissions };
  const { programme, figures, files } = await renderProgrammeFiles(plan, inputs, request.previousFigures);
  return { job: request.job, ok: true, files, programme: { completeness: programme.completeness, figures } };
}

/** Run a job and post its reply; never rejects, so one job's failure cannot stop the jobs queued after it. */
async function answer(request: JobRequest, context: Context | undefined): Promise<void> {
  try {
    const reply = await run(request, context);
    const bytes = reply.ok ? reply.files.map((f) => f.bytes) : [];
    if (reply.ok && reply.value instanceof Uint8Array) bytes.push(reply.value);
    port.postMessage(reply, ownBuffers(bytes));
  } catch (err) {
    // The job failed, or its reply could not be posted (a value that cannot cross threads).
    const error = err instanceof Error ? err : new Error(String(err));
    port.postMessage({
      job: request.job,
      ok: false,
      error: { name: error.name, message: error.message, stack: error.stack },
    } satisfies RenderReply);
  }
}

// Jobs arrive while one renders (the pool sends the next ahead); they render one at a time, in the order sent, each
// with the context it was sent in.
let queue: Promise<void> = Promise.resolve();
/** Reports asked for so far: the first ends the warm-up. */
let reportsAsked = 0;
port.on('message', (request: RenderRequest) => {
  if (request.type === 'context') {
    contexts.set(request.context, { plan: request.plan, registry: request.registry });
    return;
  }
  if (request.type === 'forget') {
    contexts.delete(request.context);
    return;
  }
  if (request.type !== 'task') reportsAsked++;
  const context = request.context === null ? undefined : contexts.get(request.context);
  queue = queue.then(() => answer(request, context));
});

/**
 * Load the renderers, then, when the pool leaves a core free, render the warm-up specimen (`warm-up.ts`) step by
 * step until the first report is asked for: a report waits for one step at most, and a task (a zip, a read) sent
 * meanwhile runs between two steps. A failed load is reported by the first job, which loads them again; a failed
 * step ends the warm-up, silently (the jobs that follow report their own failures).
 */
async function warmUp(): Promise<void> {
  await loadRenderers();
  if (!(workerData as RenderWorkerData | undefined)?.warmUp) return;
  const { warmUpSteps } = await import('./warm-up');
  let rendered = 0;
  for (const step of warmUpSteps({ renderProjectFiles, renderProgrammeFiles })) {
    // Let a job that was sent meanwhile arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    if (reportsAsked > 0) break;
    const run = queue.then(step);
    queue = run.then(
      () => {},
      () => {},
    );
    await run;
    port.postMessage({ type: 'warmed', renders: ++rendered } satisfies WarmUpReport);
  }
}
warmUp().catch(() => {});
