/**
 * 4. Lambda fit: each function's bundle (built with the deploy's own esbuild options from `infra/bundling.ts`),
 * its cold import time, the memory one project render needs, and the Lambda + Step Functions cost of a quarter.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import {
  BUNDLE,
  esbuildOptions,
  type FunctionName,
  HANDLERS,
  type HandlerEntry,
  sourceMapCommands,
} from '../../infra/bundling';
import type { ProjectRenderResult } from '../children/project-render';
import { runChild, runProcess } from '../lib/child';
import { BENCH_PERIOD, type BenchContext, type Figure, type SectionResult } from '../lib/context';
import type { IngestChildResult, IngestContext } from '../lib/ingest-methods';
import { median, round } from '../lib/stats';
import { benchProject, samplePlan } from './render';

/** eu-central-1 list prices (USD), as stated in docs/performance.md. */
export const PRICES = {
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  stepFunctionsPerThousandTransitions: 0.025,
} as const;

/** Memory each function is deployed with (`infra/reporting-stack.ts`), MB. */
const MEMORY_MB: Record<FunctionName, number> = {
  ingest: 1024,
  plan: 512,
  renderProject: 1024,
  finish: 1024,
  deliver: 1024,
  remind: 512,
  upload: 512,
  transmission: 1024,
  feedback: 256,
};

/** Projects rendered at once by the Map (`pmif:mapConcurrency`, default in `infra/config.ts`). */
const MAP_CONCURRENCY = 10;
/** Daily corrections runs in a quarter that find nothing new (plan → choice → succeed). */
const QUIET_CORRECTION_RUNS = 90;
const COLD_IMPORTS = 5;

interface Bundle {
  name: string;
  functions: FunctionName[];
  jsBytes: number;
  mapBytes: number;
  fontBytes: number;
  zipBytes: number;
  importMs: number[];
  importMsSourceMaps: number[];
}

/** Build one bundle as the deploy does, fonts copied beside it when the function renders PDFs. */
async function buildBundle(ctx: BenchContext, name: string, handler: HandlerEntry) {
  const outDir = join(ctx.root, 'bench-results', '.build', 'lambda', name);
  await build(esbuildOptions(ctx.root, handler, outDir));
  // The deploy trims each source map to our own sources (infra/bundling.ts); so must what is measured here.
  for (const command of sourceMapCommands(ctx.root, outDir)) {
    const run = await runProcess('bash', ['-c', command]);
    if (run.code !== 0) throw new Error(`${command} failed: ${run.stderr.slice(-500)}`);
  }
  const files: Record<string, Uint8Array> = {};
  for (const file of await readdir(outDir)) files[file] = new Uint8Array(await readFile(join(outDir, file)));
  let fontBytes = 0;
  if (handler.fonts) {
    for (const font of BUNDLE.fonts.files) {
      const bytes = new Uint8Array(await readFile(join(ctx.root, BUNDLE.fonts.from, font)));
      files[`${BUNDLE.fonts.to}/${font}`] = bytes;
      fontBytes += bytes.byteLength;
    }
  }
  const jsBytes = (await stat(join(outDir, BUNDLE.outFile))).size;
  const mapBytes = (await stat(join(outDir, `${BUNDLE.outFile}.map`)).catch(() => ({ size: 0 }))).size;
  return {
    file: join(outDir, BUNDLE.outFile),
    jsBytes,
    mapBytes,
    fontBytes,
    zipBytes: zipSync(files, { level: 9 }).byteLength,
  };
}

/** Import a bundle in a fresh Node process; the time of the import itself, measured inside. */
async function coldImport(file: string, nodeArgs: string[]): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log('IMPORT_MS ' + (performance.now() - t));`;
  const run = await runProcess(process.execPath, [...nodeArgs, '--input-type=module', '-e', code], {
    timeoutMs: 120_000,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('IMPORT_MS '));
  if (run.code !== 0 || !line) throw new Error(`importing ${file} failed: ${run.stderr.slice(-500)}`);
  return Number(line.slice('IMPORT_MS '.length));
}

/** Scale figures measured in this run, for durations that grow with the programme. */
interface ScaleData {
  runs: { projects: number; finishMs: number; inputsLoadMs: number }[];
}

export const LAMBDA_SECTION = '4 Lambda fit';

export async function benchLambda(ctx: BenchContext, previous: Record<string, SectionResult>): Promise<SectionResult> {
  const section = LAMBDA_SECTION;
  const figures: Figure[] = [];
  const mb = (bytes: number) => `${round(bytes / 1024 / 1024)} MB`;

  // Bundles: functions sharing an entry and options share one bundle (the three generate steps).
  const byEntry = new Map<string, { name: string; handler: HandlerEntry; functions: FunctionName[] }>();
  for (const [fn, handler] of Object.entries(HANDLERS) as [FunctionName, HandlerEntry][]) {
    const key = `${handler.entry}|${handler.fonts}`;
    const existing = byEntry.get(key);
    if (existing) existing.functions.push(fn);
    else byEntry.set(key, { name: handler.entry.split('/').at(-2)!, handler, functions: [fn] });
  }
  const bundles: Bundle[] = [];
  for (const { name, handler, functions } of byEntry.values()) {
    ctx.log(`lambda: bundling ${name} and importing it ${COLD_IMPORTS}× in fresh processes`);
    const built = await buildBundle(ctx, name, handler);
    const importMs: number[] = [];
    const importMsSourceMaps: number[] = [];
    for (let i = 0; i < COLD_IMPORTS; i++) {
      importMs.push(await coldImport(built.file, []));
      // The functions run with NODE_OPTIONS=--enable-source-maps (infra/constructs/report-function.ts).
      importMsSourceMaps.push(await coldImport(built.file, ['--enable-source-maps']));
    }
    bundles.push({ name, functions, ...built, importMs, importMsSourceMaps });
  }
  for (const b of bundles) {
    figures.push({
      section,
      name: `${b.name} bundle (${b.functions.join(', ')}): JS / map / fonts / zipped`,
      value: `${mb(b.jsBytes)} / ${mb(b.mapBytes)} / ${mb(b.fontBytes)} / ${mb(b.zipBytes)}`,
      goal: '≤ 50 MB zipped (Lambda limit)',
      met: b.zipBytes <= 50 * 1024 * 1024,
    });
    figures.push({
      section,
      name: `${b.name} cold import, median of ${COLD_IMPORTS} (with --enable-source-maps, as deployed)`,
      value: `${round(median(b.importMs))} ms (${round(median(b.importMsSourceMaps))} ms)`,
    });
  }

  // Memory of one project render from a cold start, and its warm time.
  const inputsFile = join(ctx.work, 'lambda-inputs.json');
  await writeFile(inputsFile, JSON.stringify(samplePlan(ctx.sample)));
  const projectId = benchProject(ctx.sample);
  const peaks: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < ctx.rounds; i++) {
    const { result } = await runChild<ProjectRenderResult>(ctx.children.projectRender, [inputsFile, projectId, '1']);
    peaks.push(result.peakRssMb);
  }
  const { result: warmRun } = await runChild<ProjectRenderResult>(ctx.children.projectRender, [
    inputsFile,
    projectId,
    '7',
  ]);
  warm.push(...warmRun.runs.slice(2).map((r) => r.ms));
  figures.push({
    section,
    name: `one project render from a cold process (${projectId}): peak RSS`,
    value: `${round(median(peaks))} MB`,
    goal: `≤ ${MEMORY_MB.renderProject} MB (configured)`,
    met: median(peaks) <= MEMORY_MB.renderProject,
  });

  // One typical upload's ingest: the bench project's own sample workbook for the period, in a fresh process.
  const upload = ctx.sample.manifest.submissions.find((s) => s.projectId === projectId && s.period === BENCH_PERIOD)!;
  const uploadFile = join(ctx.sample.dir, ...upload.file.split('/'));
  const record = ctx.sample.submissions.find((s) => s.projectId === projectId && s.period === BENCH_PERIOD)!;
  const ingestContextFile = join(ctx.work, 'lambda-ingest-context.json');
  await writeFile(
    ingestContextFile,
    JSON.stringify({
      registry: ctx.sample.registry,
      source: record.source,
      folder: projectId,
      today: '2026-11-16',
    } satisfies IngestContext),
  );
  const ingestMs: number[] = [];
  for (let i = 0; i < ctx.rounds; i++) {
    const { result } = await runChild<IngestChildResult>(ctx.children.ingest, ['ours', uploadFile, ingestContextFile]);
    ingestMs.push(result.ms);
  }

  const cost = quarterCost({
    bundles,
    renderWarmMs: median(warm),
    ingestMs: median(ingestMs),
    scale: previous.scale?.data as ScaleData | undefined,
  });
  for (const c of cost) {
    figures.push({
      section,
      name: `cost per quarter, ${c.projects.toLocaleString('en')} projects: Lambda + Step Functions`,
      value: `$${c.total.toFixed(4)} (Lambda $${c.lambda.toFixed(4)} compute + $${c.requests.toFixed(5)} requests; Step Functions $${c.stepFunctions.toFixed(4)})`,
    });
  }
  return {
    figures,
    notes: [costArithmetic(cost)],
    data: {
      bundles,
      projectRender: { projectId, peakRssMb: peaks, warmMs: warm },
      ingestTypicalUploadMs: ingestMs,
      prices: PRICES,
      memoryMb: MEMORY_MB,
      mapConcurrency: MAP_CONCURRENCY,
      cost,
    },
  };
}

export interface CostLine {
  fn: FunctionName | 'stepFunctions';
  invocations: number;
  seconds: number;
  gb: number;
  gbSeconds: number;
  usd: number;
  basis: string;
}

export interface QuarterCost {
  projects: number;
  lines: CostLine[];
  lambda: number;
  requests: number;
  stepFunctions: number;
  total: number;
  transitions: number;
}

/**
 * Per-project durations from this run; durations that grow with the programme (loading every submission
 * record, the programme summary) scaled linearly from the largest measured size, never below the smallest.
 */
function quarterCost(input: {
  bundles: Bundle[];
  renderWarmMs: number;
  ingestMs: number;
  scale: ScaleData | undefined;
}): QuarterCost[] {
  const coldOf = (fn: FunctionName) =>
    median(input.bundles.find((b) => b.functions.includes(fn))?.importMsSourceMaps ?? [0]) / 1000;
  const runs = input.scale?.runs ?? [];
  const largest = runs[runs.length - 1];
  /** Loading `n` submission records (what every render step does, as the code stands). */
  const loadS = (n: number) => (largest ? (largest.inputsLoadMs / largest.projects) * n : 0) / 1000;
  const finishS = (n: number) => {
    const exact = runs.find((r) => r.projects === n);
    if (exact) return exact.finishMs / 1000;
    return largest ? ((largest.finishMs / largest.projects) * n) / 1000 : 0;
  };
  return [50, 2000].map((n) => {
    const line = (fn: FunctionName, invocations: number, seconds: number, basis: string): CostLine => {
      const gb = MEMORY_MB[fn] / 1024;
      const gbSeconds = invocations * seconds * gb;
      return { fn, invocations, seconds, gb, gbSeconds, usd: gbSeconds * PRICES.lambdaArmGbSecond, basis };
    };
    const containers = Math.min(n, MAP_CONCURRENCY);
    const render = input.renderWarmMs / 1000 + loadS(n);
    const lines = [
      line('ingest', n, coldOf('ingest') + input.ingestMs / 1000, 'one upload per project, each a cold start'),
      line(
        'plan',
        1 + QUIET_CORRECTION_RUNS,
        coldOf('plan') + loadS(n),
        'deadline run + 90 quiet daily corrections; reads the records',
      ),
      line(
        'renderProject',
        n,
        render + (coldOf('renderProject') * containers) / n,
        `warm render + loading ${n} records, cold start on ${containers} containers`,
      ),
      line('finish', 1, coldOf('finish') + finishS(n), 'programme summary + manifest, as measured in section 3'),
      line('deliver', 1, coldOf('deliver') + finishS(n), 'assumed as long as finish (builds every model, sends mail)'),
      line('remind', 1, coldOf('remind') + 1, 'assumed 1 s'),
    ];
    const invocations = lines.reduce((sum, l) => sum + l.invocations, 0);
    const lambda = lines.reduce((sum, l) => sum + l.usd, 0);
    const requests = (invocations / 1_000_000) * PRICES.lambdaPerMillionRequests;
    // Plan, Choice, Map, one task per project, Finish, Deliver; quiet corrections: Plan, Choice, Succeed.
    const transitions = n + 5 + QUIET_CORRECTION_RUNS * 3;
    const stepFunctions = (transitions / 1000) * PRICES.stepFunctionsPerThousandTransitions;
    return {
      projects: n,
      lines,
      lambda,
      requests,
      stepFunctions,
      total: lambda + requests + stepFunctions,
      transitions,
    };
  });
}

const usd = (v: number, digits = 4) => `$${v.toFixed(digits)}`;

/** The cost model written out: every line's invocations × seconds × GB, and the prices. */
export function costArithmetic(costs: readonly QuarterCost[]): string {
  const out = [
    '### Cost per quarter: the arithmetic',
    '',
    `Prices (eu-central-1 list): Lambda arm64 ${usd(PRICES.lambdaArmGbSecond, 10)} per GB-s and ` +
      `$${PRICES.lambdaPerMillionRequests.toFixed(2)} per 1M requests; Step Functions Standard ` +
      `$${PRICES.stepFunctionsPerThousandTransitions.toFixed(3)} per 1 000 state transitions. ` +
      'Not included: S3 requests and storage, SES, CloudWatch Logs, X-Ray.',
  ];
  for (const c of costs) {
    out.push(
      '',
      `**${c.projects.toLocaleString('en')} projects**`,
      '',
      '| Function | Invocations × seconds × GB | GB-s | Cost | Basis |',
      '|---|---|---|---|---|',
    );
    for (const l of c.lines) {
      out.push(
        `| ${l.fn} | ${l.invocations} × ${round(l.seconds)} s × ${l.gb} | ${round(l.gbSeconds)} | ${usd(l.usd, 5)} | ${l.basis} |`,
      );
    }
    const invocations = c.lines.reduce((sum, l) => sum + l.invocations, 0);
    const gbSeconds = c.lines.reduce((sum, l) => sum + l.gbSeconds, 0);
    out.push(
      `| **Lambda compute** | | ${round(gbSeconds)} | ${usd(c.lambda, 5)} | ${round(gbSeconds)} GB-s × ${usd(PRICES.lambdaArmGbSecond, 10)} |`,
      `| **Lambda requests** | ${invocations} | | ${usd(c.requests, 5)} | ${invocations} / 1M × $${PRICES.lambdaPerMillionRequests.toFixed(2)} |`,
      `| **Step Functions** | ${c.transitions} transitions | | ${usd(c.stepFunctions, 5)} | (${c.projects} + 5) for the deadline run + 90 × 3 for quiet daily corrections; × $${PRICES.stepFunctionsPerThousandTransitions} / 1 000 |`,
      `| **Total** | | | **${usd(c.total)}** | each extra revision (a correction) adds about the deadline run again |`,
    );
  }
  return out.join('\n');
}
