/**
 * 3. Programme scale: synthetic programmes of 50, 500 and 2 000 projects, generated end to end (plan, render on a
 * pool of worker threads, programme summary, manifest) on a folder store, each size in a fresh process. Every size
 * runs `rounds` times, each from a fresh copy of the ingested programme, and its figures are the median run's (the
 * goals are medians: the linear goal compares the sizes' marginal costs, so the largest size's run is one of them
 * too). The programme summary renders on the pool beside the projects, so the finish step (what a Lambda runs) is
 * timed again on its own afterwards.
 */
import { cp, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { GenerateResult } from '../children/generate';
import type { LoadInputsResult } from '../children/load-inputs';
import { runChild } from '../lib/child';
import { BENCH_GENERATED_AT, BENCH_PERIOD, type BenchContext, type Figure, type SectionResult } from '../lib/context';
import { probeCores } from '../lib/cores';
import { round } from '../lib/stats';
import { writeSyntheticProgramme } from '../lib/synthetic-programme';

/** Longest the 2 000-project run may be projected to take before it waits for `--full`. */
const DEFAULT_RUN_LIMIT_S = 240;

interface SizeRun extends GenerateResult {
  perProjectMs: number;
  /** Cores a CPU-bound probe got just before the run (the machine may be shared). */
  coresObtained: number;
  /** A render step's first act on AWS: loading every record of the revision (fresh process). */
  renderStepLoad: LoadInputsResult;
  submissionMb: number;
  participants: number;
  /** Every run's wall time at this size, in order; the other figures are the median run's. */
  wallsMs: number[];
}

/** The run whose wall time is the median (for an even count, the lower of the middle two). */
function medianRun<T extends { wallMs: number }>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[(sorted.length - 1) >> 1]!;
}

async function runSize(ctx: BenchContext, count: number, workers: number): Promise<SizeRun> {
  const source = join(ctx.work, `programme-${count}-source`);
  // A folder for each run, all removed at the end: on a file system without a journal, ext4 skips the inodes
  // deleted in the last minute when it allocates one, so a run right after another's files were removed would pay
  // for reading each of them.
  const dirs = Array.from({ length: Math.max(1, ctx.rounds) }, (_, i) =>
    join(ctx.work, `programme-${count}-run${i + 1}`),
  );
  await rm(source, { recursive: true, force: true });
  const programme = await writeSyntheticProgramme(source, ctx.sample, BENCH_PERIOD, count, BENCH_GENERATED_AT);
  const runs: (GenerateResult & { coresObtained: number })[] = [];
  try {
    for (const dir of dirs) {
      // Each run generates the period afresh, from a copy of the ingested programme.
      await rm(dir, { recursive: true, force: true });
      await cp(source, dir, { recursive: true, preserveTimestamps: true });
      const coresObtained = await probeCores();
      const { result } = await runChild<GenerateResult>(
        ctx.children.generate,
        [dir, BENCH_PERIOD, String(workers), BENCH_GENERATED_AT],
        { timeoutMs: 3_600_000 },
      );
      if (result.projects !== count) throw new Error(`generated ${result.projects} of ${count} projects`);
      runs.push({ ...result, coresObtained });
    }
    const load = await runChild<LoadInputsResult>(ctx.children.loadInputs, [dirs[dirs.length - 1]!, BENCH_PERIOD]);
    const median = medianRun(runs);
    return {
      ...median,
      renderStepLoad: load.result,
      perProjectMs: median.wallMs / count,
      submissionMb: programme.submissionBytes / 1024 / 1024,
      participants: programme.participants,
      wallsMs: runs.map((r) => r.wallMs),
    };
  } finally {
    for (const dir of [...dirs, source]) await rm(dir, { recursive: true, force: true });
  }
}

/** The runs behind a median figure, when there were several. */
function runsOf(r: SizeRun): string {
  return r.wallsMs.length > 1
    ? ` (median of ${r.wallsMs.length} runs: ${r.wallsMs.map((ms) => round(ms / 1000)).join(', ')} s)`
    : '';
}

export async function benchScale(ctx: BenchContext): Promise<SectionResult> {
  const section = '3 Programme scale';
  const workers = availableParallelism();
  const figures: Figure[] = [];
  const runs: SizeRun[] = [];
  const s = (v: number) => `${round(v / 1000)} s`;

  const sizes = ctx.scaleSizes ?? [50, 500, 2000];
  const smallest = sizes[0]!;
  ctx.log(`scale: ${smallest} projects on one thread (for the pool speed-up)`);
  const single = await runSize(ctx, smallest, 1);
  for (const count of sizes) {
    const last = runs[runs.length - 1];
    if (count >= 2000 && !ctx.full && last) {
      const projected = (last.wallMs * count) / last.projects / 1000;
      if (projected > DEFAULT_RUN_LIMIT_S) {
        figures.push({
          section,
          name: `${count.toLocaleString('en')} projects`,
          value: `not measured in this run (projected ≈ ${Math.round(projected)} s); run \`npm run bench -- --full\``,
        });
        continue;
      }
    }
    ctx.log(`scale: ${count} projects on ${workers} worker threads`);
    runs.push(await runSize(ctx, count, workers));
  }

  figures.push({
    section,
    name: `${smallest} projects: 1 thread → ${workers} worker threads (speed-up)`,
    value: `${s(single.wallMs)} → ${s(runs[0]!.wallMs)} (${round(single.wallMs / runs[0]!.wallMs)}×)`,
  });
  for (const r of runs) {
    const label = `${r.projects.toLocaleString('en')} projects (${r.workers} workers)`;
    figures.push({
      section,
      name: `${label}: wall / per project / peak RSS`,
      value: `${s(r.wallMs)} / ${round(r.perProjectMs)} ms / ${round(r.peakRssMb)} MB${runsOf(r)}`,
      ...(r.projects === 500 ? { goal: '500 in ≤ 10 s on 2 cores', met: r.wallMs <= 10_000 } : {}),
    });
    figures.push({
      section,
      name: `${label}: last project → manifest / finish step alone (as on AWS) / CPU busy`,
      value: `${s(r.tailMs)} / ${s(r.finishMs)} / ${round(r.cpuMs / r.wallMs, 2)} of ${availableParallelism()} cores (a probe just before got ${round(r.coresObtained, 2)})`,
    });
  }
  // Linear growth: each step's extra projects cost no more per project than the step before (25 % slack for noise).
  const marginal: { from: number; to: number; ms: number }[] = [];
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1]!;
    const b = runs[i]!;
    marginal.push({ from: a.projects, to: b.projects, ms: (b.wallMs - a.wallMs) / (b.projects - a.projects) });
  }
  if (marginal.length > 0) {
    const linear = marginal.every((m, i) => i === 0 || m.ms <= marginal[i - 1]!.ms * 1.25);
    figures.push({
      section,
      name: 'cost of each added project (marginal ms)',
      value: `${marginal.map((m) => `${m.from}→${m.to}: ${round(m.ms)} ms`).join(', ')}${marginal.length > 1 ? '' : ' (two sizes: linearity not judged)'}`,
      goal: 'linear: later steps ≤ 1.25 × earlier',
      ...(marginal.length > 1 ? { met: linear } : {}),
    });
  }
  for (const r of runs) {
    figures.push({
      section,
      name: `a render step's input load at ${r.projects.toLocaleString('en')} projects (every record, ${round(r.submissionMb)} MB JSON): time / peak RSS`,
      value: `${s(r.renderStepLoad.ms)} / ${round(r.renderStepLoad.peakRssMb)} MB`,
    });
  }
  return { figures, data: { workers, single, runs, marginal } };
}
