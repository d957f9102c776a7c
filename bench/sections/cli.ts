/**
 * 0. The command line as people run it: whole processes of `bin/pmif-reports.js` (the built bundle), against
 * `node -e 0` for start-up and against the unzip + SAX floor for a 100 000-row workbook, taking turns in every
 * round; the same commands through tsx (how the CLI ran before it was built) for comparison; and `npm start` once.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCli } from '../../scripts/build-cli';
import { runProcess } from '../lib/child';
import { BENCH_PERIOD, type BenchContext, type Figure, type SectionResult } from '../lib/context';
import { median, medianRatio, round } from '../lib/stats';
import { INGEST_ROWS, prepareBigSubmission } from './ingest';
import { benchProject } from './render';

const TIMEOUT_MS = 240_000;

/** One way of running, timed from outside; its peak RSS comes from the preloaded rss-on-exit module. */
interface Method {
  label: string;
  args: string[];
}

interface Runs {
  wall: number[];
  rss: number[];
  exits: Set<number | null>;
}

async function timeProcess(
  ctx: BenchContext,
  args: string[],
): Promise<{ wallMs: number; rssMb: number; code: number | null }> {
  const rssFile = join(ctx.work, 'rss.txt');
  await rm(rssFile, { force: true });
  const preload = pathToFileURL(join(ctx.root, 'bench/lib/rss-on-exit.mjs')).href;
  const run = await runProcess(process.execPath, ['--import', preload, ...args], {
    cwd: ctx.root,
    timeoutMs: TIMEOUT_MS,
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
  });
  if (run.timedOut) throw new Error(`${args.join(' ')}: timed out`);
  const rssMb = existsSync(rssFile) ? Number(await readFile(rssFile, 'utf8')) : Number.NaN;
  return { wallMs: run.wallMs, rssMb, code: run.code };
}

export async function benchCli(ctx: BenchContext): Promise<SectionResult> {
  const section = '0 Command line (whole processes)';
  ctx.log('cli: building the bundle (npm run build)');
  await buildCli(ctx.root);
  const big = await prepareBigSubmission(ctx);
  const registry = join(ctx.sample.dir, ...ctx.sample.manifest.registry.split('/'));
  const project = benchProject(ctx.sample);
  const submission = ctx.sample.manifest.submissions.find((s) => s.projectId === project && s.period === BENCH_PERIOD);
  if (!submission) throw new Error(`no sample submission for ${project} ${BENCH_PERIOD}`);
  const sampleFile = join(ctx.sample.dir, ...submission.file.split('/'));
  const bin = join(ctx.root, 'bin', 'pmif-reports.js');
  const tsxMain = ['--import', 'tsx', join(ctx.root, 'functions/cli/main.ts')];
  const methods = {
    node: { label: '`node -e 0`', args: ['-e', '0'] },
    help: { label: '`pmif-reports --help`', args: [bin, '--help'] },
    validate: {
      label: '`pmif-reports validate` of one sample submission',
      args: [bin, 'validate', sampleFile, '--registry', registry],
    },
    big: {
      label: `\`pmif-reports validate\` of ${INGEST_ROWS.toLocaleString('en')} rows`,
      args: [bin, 'validate', big.file, '--registry', registry],
    },
    floor: {
      label: 'floor: fflate unzip + saxes pass, whole process',
      args: [ctx.children.ingest, 'floor', big.file, big.contextFile],
    },
    floorNative: {
      label: 'floor with native zlib inflate + saxes pass, whole process',
      args: [ctx.children.ingest, 'floor-native', big.file, big.contextFile],
    },
    tsxHelp: { label: '`--help` through tsx (as before the bundle)', args: [...tsxMain, '--help'] },
    tsxValidate: {
      label: '`validate` of the sample submission through tsx',
      args: [...tsxMain, 'validate', sampleFile, '--registry', registry],
    },
  } satisfies Record<string, Method>;
  type Name = keyof typeof methods;
  const names = Object.keys(methods) as Name[];
  const runs = Object.fromEntries(names.map((n) => [n, { wall: [], rss: [], exits: new Set() } as Runs])) as Record<
    Name,
    Runs
  >;
  for (let r = 0; r < ctx.rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]!);
    for (const name of order) {
      const m = await timeProcess(ctx, methods[name].args);
      runs[name].wall.push(m.wallMs);
      runs[name].rss.push(m.rssMb);
      runs[name].exits.add(m.code);
    }
    ctx.log(`cli: round ${r + 1}/${ctx.rounds} done`);
  }

  const s = (ms: number) => `${round(ms / 1000)} s`;
  const figure = (name: Name, extra: Partial<Figure> = {}): Figure => ({
    section,
    name: methods[name].label,
    value: `${s(median(runs[name].wall))}, ${round(median(runs[name].rss))} MB`,
    ...extra,
  });
  const helpRatio = medianRatio(runs.help.wall, runs.node.wall);
  const helpRss = median(runs.help.rss);
  const validateWall = median(runs.validate.wall);
  const bigRatio = medianRatio(runs.big.wall, runs.floor.wall);
  const bigRss = median(runs.big.rss);
  const bigNativeRatio = medianRatio(runs.big.wall, runs.floorNative.wall);
  const figures: Figure[] = [
    figure('node'),
    figure('help'),
    {
      section,
      name: '`--help` ÷ `node -e 0` (time); peak RSS',
      value: `${round(helpRatio)}×; ${round(helpRss)} MB`,
      goal: '≤ 2×, ≤ 80 MB',
      met: helpRatio <= 2 && helpRss <= 80,
    },
    figure('validate', { goal: '≤ 0.4 s', met: validateWall <= 400 }),
    figure('floor'),
    figure('big'),
    {
      section,
      name: `validate ${INGEST_ROWS.toLocaleString('en')} rows ÷ floor (time); peak RSS`,
      value: `${round(bigRatio)}×; ${round(bigRss)} MB`,
      goal: '≤ 2×, ≤ 200 MB',
      met: bigRatio <= 2 && bigRss <= 200,
    },
    figure('floorNative'),
    {
      section,
      name: `validate ${INGEST_ROWS.toLocaleString('en')} rows ÷ floor with native inflate (time)`,
      value: `${round(bigNativeRatio)}×`,
    },
    figure('tsxHelp'),
    figure('tsxValidate'),
    {
      section,
      name: 'through tsx ÷ bundle: `--help` / `validate`',
      value: `${round(medianRatio(runs.tsxHelp.wall, runs.help.wall))}× / ${round(medianRatio(runs.tsxValidate.wall, runs.validate.wall))}×`,
    },
  ];

  // `npm start` (sample data, the whole flow, both editions; the bundle was built above, so no build): `rounds` times,
  // the median, as for every other whole-process figure (one run alone moved by a second on a noisy host).
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const starts: { wallMs: number; code: number | null }[] = [];
  for (let i = 0; i < Math.max(1, ctx.rounds); i++) {
    ctx.log(`cli: npm start, run ${i + 1} of ${Math.max(1, ctx.rounds)}`);
    starts.push(await runProcess(npm, ['start'], { cwd: ctx.root, timeoutMs: 900_000 }));
  }
  const failed = starts.find((r) => r.code !== 0);
  const startMs = median(starts.map((r) => r.wallMs));
  figures.push({
    section,
    name: `\`npm start\` on the sample (median of ${starts.length}: ${starts.map((r) => s(r.wallMs)).join(', ')})`,
    value: failed ? `failed (exit ${failed.code})` : s(startMs),
    goal: '≤ 10 s',
    met: failed ? false : startMs <= 10_000,
  });
  const data = Object.fromEntries(
    names.map((n) => [n, { wallMs: runs[n].wall, rssMb: runs[n].rss, exits: [...runs[n].exits] }]),
  );
  return {
    figures,
    data: {
      ...data,
      npmStartMs: startMs,
      npmStartRunsMs: starts.map((r) => r.wallMs),
      npmStartExit: failed?.code ?? 0,
    },
  };
}
