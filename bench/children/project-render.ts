/**
 * One project's report (PDF + XLSX) in a fresh process: `node project-render.js <inputs.json> <project> <runs>`.
 * With one run, the peak RSS is what one render needs from a cold start (a render Lambda's case).
 */
import { readFile } from 'node:fs/promises';
import { renderProjectFiles } from '../../functions/app/generate';
import type { RevisionInputs, RevisionPlan } from '../../functions/app/revisions';
import { tuneTiering } from '../../functions/app/tiering';
import { peakRssMb, reportResult } from '../lib/child';

// V8's tiering as the product's entry points set it (functions/app/tiering.ts): the figures are of what users run.
tuneTiering();

export interface ProjectRenderResult {
  runs: { ms: number; pdfBytes: number; xlsxBytes: number }[];
  peakRssMb: number;
}

const [inputsFile, projectId, runs] = process.argv.slice(2);
if (!inputsFile || !projectId) throw new Error('usage: project-render.js <inputs.json> <project> <runs>');
const { plan, inputs } = JSON.parse(await readFile(inputsFile, 'utf8')) as {
  plan: RevisionPlan;
  inputs: RevisionInputs;
};
const out: ProjectRenderResult['runs'] = [];
for (let i = 0; i < Number(runs ?? 1); i++) {
  const start = performance.now();
  const { files } = await renderProjectFiles(plan, inputs, projectId);
  out.push({
    ms: performance.now() - start,
    pdfBytes: files[0]!.bytes.byteLength,
    xlsxBytes: files[1]!.bytes.byteLength,
  });
}
reportResult({ runs: out, peakRssMb: peakRssMb() } satisfies ProjectRenderResult);
