/**
 * How many cores the bench really gets: every core busy for a moment on its own thread, then CPU time ÷ wall time.
 * On a shared machine this is well under the core count, and parallel figures (section 3) shrink with it.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const SPIN = `
const { parentPort, workerData } = require('node:worker_threads');
const end = Date.now() + workerData;
let n = 0;
while (Date.now() < end) n++;
parentPort.postMessage(n);
`;

export async function probeCores(ms = 1000): Promise<number> {
  const threads = availableParallelism();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(SPIN, { eval: true, workerData: ms });
          worker.on('message', () => {
            void worker.terminate().then(() => resolve());
          });
          worker.on('error', reject);
        }),
    ),
  );
  const cpu = process.cpuUsage(cpuStart);
  return (cpu.user + cpu.system) / 1000 / (performance.now() - start);
}
