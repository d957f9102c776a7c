/**
 * `npm run bench`: the figures of issue 8 with their goals, printed as a table and written to
 * `bench-results/latest.json`. Every comparison is measured in this run, side by side; times are medians.
 *
 * Flags: `--full` also measures the 2 000-project programme; `--rounds=N` repetitions for medians (default 5);
 * `--only=cli,ingest,render,scale,lambda` runs some sections; `--sizes=50,500` other programme sizes for section 3;
 * `--keep` keeps the scratch folder. Only a run of every section writes its tables into docs/performance.md and the
 * README: a partial run would replace a whole table with a part of it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChildren } from './lib/build';
import type { BenchContext, Figure, SectionResult } from './lib/context';
import { probeCores } from './lib/cores';
import { prepareSample } from './lib/sample';
import { printTable } from './lib/table';
import { benchCli } from './sections/cli';
import { benchIngest } from './sections/ingest';
import { benchLambda, LAMBDA_SECTION } from './sections/lambda';
import { benchRender } from './sections/render';
import { benchScale } from './sections/scale';

/** In order: the Lambda costs use the scale section's figures when it ran. */
const SECTIONS = {
  cli: benchCli,
  ingest: benchIngest,
  render: benchRender,
  scale: benchScale,
  lambda: benchLambda,
} as const satisfies Record<
  string,
  (ctx: BenchContext, previous: Record<string, SectionResult>) => Promise<SectionResult>
>;
type SectionName = keyof typeof SECTIONS;

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const full = process.argv.includes('--full');
const keep = process.argv.includes('--keep');
const rounds = Number(option('rounds') ?? 5);
const only = (option('only')?.split(',') ?? Object.keys(SECTIONS)) as SectionName[];
const started = Date.now();
const loadAtStart = loadavg()[0]!.toFixed(1);
const coresAtStart = (await probeCores()).toFixed(1);
const log = (message: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

const resultsDir = join(root, 'bench-results');
await mkdir(resultsDir, { recursive: true });
const work = await mkdtemp(join(tmpdir(), 'pmif-bench-'));
try {
  log('building the child scripts');
  const children = await buildChildren(root, join(resultsDir, '.build'));
  log('writing and reading the sample programme');
  const sample = await prepareSample(join(work, 'sample'));
  const sizes = option('sizes')?.split(',').map(Number);
  const ctx: BenchContext = {
    root,
    work,
    children,
    sample,
    rounds,
    full,
    log,
    ...(sizes ? { scaleSizes: sizes } : {}),
  };
  const results: Record<string, SectionResult> = {};
  for (const name of only) {
    if (!(name in SECTIONS)) throw new Error(`unknown section ${name}; sections: ${Object.keys(SECTIONS).join(', ')}`);
  }
  for (const name of Object.keys(SECTIONS) as SectionName[]) {
    if (only.includes(name)) results[name] = await SECTIONS[name](ctx, results);
  }
  const figures = Object.values(results).flatMap((r) => r.figures);
  const machine = {
    cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 1024 ** 3)} GB`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // Other work on the machine skews wall times (ratios within a round much less): the load says how much.
    load: `load average ${loadAtStart} at start, ${loadavg()[0]!.toFixed(1)} at end`,
    cores: `cores obtained by ${availableParallelism()} busy threads: ${coresAtStart} at start, ${(await probeCores()).toFixed(1)} at end`,
  };
  const notes = Object.values(results).flatMap((r) => r.notes ?? []);
  const table = [printTable(figures, machine), ...notes].join('\n\n');
  process.stdout.write(`\n${table}\n`);
  await writeFile(join(resultsDir, 'latest.md'), `${table}\n`);
  const complete = (Object.keys(SECTIONS) as SectionName[]).every((name) => only.includes(name));
  if (complete) {
    const goals = goalsTable(figures, machine);
    await writeLatestIntoDocs(join(root, 'docs', 'performance.md'), table);
    await writeBetweenMarkers(join(root, 'docs', 'performance.md'), 'bench:goals', goals);
    // The README shows what people wait for; the Lambda fit rows stay in docs/performance.md.
    const waited = figures.filter((f) => f.section !== LAMBDA_SECTION);
    await writeBetweenMarkers(join(root, 'README.md'), 'bench:goals', goalsTable(waited, machine));
  }
  const out = {
    date: new Date().toISOString(),
    machine,
    rounds,
    full,
    figures,
    sections: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.data])),
  };
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  const docs = complete ? 'the tables in docs/performance.md and the README' : 'no docs (a partial run)';
  log(
    `wrote bench-results/latest.json, latest.md and ${docs} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
} finally {
  if (!keep) await rm(work, { recursive: true, force: true });
}

/** docs/performance.md keeps the latest table between two markers; the text around them is written by hand. */
async function writeLatestIntoDocs(path: string, table: string): Promise<void> {
  await writeBetweenMarkers(path, 'bench:latest', table);
}

/** Replace what stands between `<!-- NAME:start … -->` and `<!-- NAME:end -->` in a Markdown file. */
async function writeBetweenMarkers(path: string, name: string, text: string): Promise<void> {
  const doc = await readFile(path, 'utf8');
  const start = doc.indexOf(`<!-- ${name}:start`);
  const end = doc.indexOf(`<!-- ${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`${path}: the ${name} markers are missing`);
  const open = doc.indexOf('\n', start) + 1;
  await writeFile(path, `${doc.slice(0, open)}\n${text}\n\n${doc.slice(end)}`);
}

/** The short table atop docs/performance.md: where and when it ran, and every figure that has a goal. */
function goalsTable(figures: readonly Figure[], machine: Record<string, string>): string {
  const rows = figures
    .filter((f) => f.goal)
    .map((f) => `| ${f.name} | ${f.value} | ${f.goal} | ${f.met === undefined ? '' : f.met ? 'met' : '**missed**'} |`);
  return [
    `Run on ${new Date().toISOString().slice(0, 10)}: ${Object.values(machine).join(', ')}.`,
    '',
    '| Figure | Measured | Goal | |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
