/**
 * End-to-end generate of one period on a folder store, in a fresh process:
 * `node generate.js <store dir> <period> <workers> <generatedAt>`. Plan, load, render every project on the
 * worker pool, programme summary and manifest. Afterwards, times one more load of the revision's inputs: what
 * each render step does on AWS, where every step is its own invocation.
 */
import { FolderStore } from '../../functions/adapters/folder-store';
import { fixedClock } from '../../functions/adapters/system-clock';
import { finishRevision, generatePeriod, loadRevisionInputs, type RevisionPlan } from '../../functions/app/generate';
import { tuneTiering } from '../../functions/app/tiering';
import { keys } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import { peakRssMb, reportResult } from '../lib/child';

// V8's tiering as the product's entry points set it (functions/app/tiering.ts): the figures are of what users run.
tuneTiering();

export interface GenerateResult {
  projects: number;
  workers: number;
  wallMs: number;
  /** From the start to the last project written (plan, load and render). */
  renderPhaseMs: number;
  /**
   * The finish step alone, as a Lambda runs it (programme summary, outputs read back, archive, manifest), timed again
   * after the run; within the run the programme summary renders beside the projects.
   */
  finishMs: number;
  /** From the last project written to the manifest. */
  tailMs: number;
  inputsLoadMs: number;
  /** CPU time of the process, all threads: about `workers` × wall when the pool really runs in parallel. */
  cpuMs: number;
  peakRssMb: number;
}

const [root, period, workers, generatedAt] = process.argv.slice(2);
if (!root || !period || !workers || !generatedAt) {
  throw new Error('usage: generate.js <store dir> <period> <workers> <generatedAt>');
}
const deps = {
  store: new FolderStore(root),
  mailer: { send: async () => ({ messageId: 'not-sent' }) },
  clock: fixedClock(new Date(generatedAt)),
  log: silentLogger,
  mailFrom: 'pmif@example.lv',
};
const cpuStart = process.cpuUsage();
const start = performance.now();
let lastProject = start;
let projects = 0;
const outcome = await generatePeriod(deps, {
  period,
  generatedAt,
  workers: Number(workers),
  onProgress: (done) => {
    projects = done;
    lastProject = performance.now();
  },
});
const end = performance.now();
const cpu = process.cpuUsage(cpuStart);
const peak = peakRssMb();
if (outcome.status !== 'generated') throw new Error(`generate did not run: ${outcome.status}`);
const plan = JSON.parse(
  new TextDecoder().decode((await deps.store.get(keys.plan(period, outcome.revision)))!.bytes),
) as RevisionPlan;
const loadStart = performance.now();
await loadRevisionInputs(deps, plan);
const inputsLoadMs = performance.now() - loadStart;
// Repeating the finish step changes nothing: every file it puts exists with the same bytes.
const finishStart = performance.now();
await finishRevision(deps, plan);
const finishMs = performance.now() - finishStart;
reportResult({
  projects,
  workers: Number(workers),
  wallMs: end - start,
  renderPhaseMs: lastProject - start,
  finishMs,
  tailMs: end - lastProject,
  inputsLoadMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssMb: peak,
} satisfies GenerateResult);
