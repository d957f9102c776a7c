/**
 * A render worker thread (see `parallel-render.ts`): renders the projects it is sent, one at a time, with the same
 * function as the sequential path, and replies with the bytes. It writes nothing itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderProjectFiles } from './generate';
import type { RenderReply, RenderRequest, RenderWorkerData } from './parallel-render';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread only');
const { plan, registry } = workerData as RenderWorkerData;

port.on('message', async ({ projectId, submissions }: RenderRequest) => {
  let reply: RenderReply;
  try {
    const { files } = await renderProjectFiles(plan, { registry, submissions }, projectId);
    reply = { ok: true, projectId, files };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    reply = { ok: false, projectId, error: { name: error.name, message: error.message, stack: error.stack } };
  }
  port.postMessage(reply);
});
