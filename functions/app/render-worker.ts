/**
 * A render worker thread (see `parallel-render.ts`): keeps the plan and registry of each revision it is sent,
 * renders the jobs it is sent, one at a time, with the same functions as the sequential path, and replies with the
 * bytes. It writes nothing itself. It loads the renderers as it starts, while the calling thread prepares the work.
 */
import { parentPort } from 'node:worker_threads';
import type { Registry } from '../core/types';
import { loadRenderers, renderProgrammeFiles, renderProjectFiles } from './generate';
import type { RenderReply, RenderRequest, TaskName, WorkerTasks } from './parallel-render';
import type { RevisionPlan } from './revisions';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread only');
const contexts = new Map<number, { plan: RevisionPlan | null; registry: Registry }>();
// A failed load is reported by the first job, which loads them again.
loadRenderers().catch(() => {});

/** The worker's side of each {@link WorkerTasks} entry: the same name, its input, the context's registry. */
const tasks: {
  [T in TaskName]: (input: WorkerTasks[T]['input'], registry: Registry) => Promise<WorkerTasks[T]['output']>;
} = {
  async readSubmission({ bytes, source, ctx }, registry) {
    const { readSubmission } = await import('../intake/read-submission');
    return readSubmission(bytes, source, { ...ctx, registry });
  },
};

async function run(request: Extract<RenderRequest, { job: number }>): Promise<RenderReply> {
  const context = contexts.get(request.context);
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

port.on('message', async (request: RenderRequest) => {
  if (request.type === 'context') {
    contexts.set(request.context, { plan: request.plan, registry: request.registry });
    return;
  }
  if (request.type === 'forget') {
    contexts.delete(request.context);
    return;
  }
  let reply: RenderReply;
  try {
    reply = await run(request);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    reply = { job: request.job, ok: false, error: { name: error.name, message: error.message, stack: error.stack } };
  }
  port.postMessage(reply);
});
