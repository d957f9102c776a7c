/**
 * `npm start`: the whole flow on sample data, locally. Into a fresh folder: write the sample workbooks, drop them
 * into the store's `registry/` and `inbox/`, run as the scheduler would on the sample's "today", and print what
 * was produced and where.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseJson } from '../functions/app/deps';
import { RenderPool } from '../functions/app/parallel-render';
import { loadRegistryInForce } from '../functions/app/registry-store';
import { runWorkers } from '../functions/app/run';
import { tuneTiering } from '../functions/app/tiering';
import { uploadLinkFor } from '../functions/app/upload-links';
import { runWithProgress, summariseRun } from '../functions/cli/commands/run';
import { DEFAULT_LINK_PORT, localDeps } from '../functions/cli/local-deps';
import { keys, parseReportKey } from '../functions/core/keys';
import type { Manifest } from '../functions/core/manifest';
import { parseStartArgs, START_USAGE } from './start-args';
import { SAMPLE_NOW, writeSampleData } from './write-sample';

/** The repository root: the nearest folder up with a package.json (this file runs from sample/ or from dist/cli/). */
function findRepo(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..');
  }
}

const repo = findRepo(resolve(import.meta.dirname, '..'));

async function place(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
  // The upload time is the file's modification time in the folder store: keep the sample's.
  const info = await stat(from);
  await utimes(to, info.atime, info.mtime);
}

async function main(): Promise<void> {
  const started = performance.now();
  tuneTiering();
  const args = parseStartArgs(process.argv.slice(2));
  if ('error' in args) {
    process.stderr.write(`npm start: ${args.error}\n\n${START_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(START_USAGE);
    return;
  }
  // The render workers start now and load the renderers while this thread writes and ingests the sample: as many as
  // a run starts for periods this small (one fewer than the cores: this thread works throughout).
  const cores = availableParallelism();
  const pool = cores > 1 ? new RenderPool(runWorkers(cores, 0)) : undefined;
  pool?.warm();
  try {
    await demo(started, pool, args.port);
  } finally {
    await pool?.close();
  }
}

async function demo(started: number, pool: RenderPool | undefined, port: number): Promise<void> {
  const demo = join(repo, '.local', 'demo');
  await rm(demo, { recursive: true, force: true });
  const sampleDir = join(demo, 'sample');
  const bucket = join(demo, 'bucket');
  const outbox = join(demo, 'outbox');
  const rel = (p: string) => relative(repo, p) || '.';

  process.stdout.write(`Sample data → ${rel(sampleDir)}\n`);
  // The sample's workbooks are zipped on the workers, idle until the first upload is read, as reports are zipped:
  // they are never committed, so they need not be the same bytes on every Node (as `writeSampleData`'s own are).
  const sample = await writeSampleData(
    sampleDir,
    pool ? { pack: (entries) => pool.run(null, 'packEntries', { entries }) } : {},
  );
  await place(join(sampleDir, sample.registry), join(bucket, keys.registryPrefix, basename(sample.registry)));
  for (const s of sample.submissions)
    await place(join(sampleDir, s.file), join(bucket, 'inbox', s.projectId, basename(s.file)));
  for (const m of sample.mistakes)
    await place(join(sampleDir, m.file), join(bucket, 'inbox', m.projectFolder, basename(m.file)));

  process.stdout.write(
    `Store (bucket) → ${rel(bucket)}; outbox → ${rel(outbox)}; today = ${SAMPLE_NOW} (Europe/Riga)\n\n`,
  );
  const deps = localDeps({ store: bucket, outbox, now: SAMPLE_NOW, port });
  // A backfill by design: the sample reports every quarter since its first project started.
  process.stdout.write('Backfill: every due quarter since the first project started is reported (run --backfill).\n');
  const result = await runWithProgress(deps, { backfill: true, ...(pool ? { pool } : {}) });

  const rows: string[][] = [
    [
      'Periods',
      'Rev.',
      'Projekti',
      'Laikā/On time',
      'Novēloti/Late',
      'Trūkst/Missing',
      'Programmas pārskats / Programme report',
    ],
  ];
  for (const g of result.generated) {
    if (g.status === 'no-registry') continue;
    const obj = await deps.store.get(g.manifestKey);
    if (!obj) continue;
    const manifest = parseJson<Manifest>(obj.bytes);
    const projects = manifest.outputs.filter(
      (o) => o.key.endsWith('.pdf') && parseReportKey(o.key)?.file !== 'programme.pdf',
    );
    const programme = keys.programmeReport(manifest.period, manifest.revision, 'pdf');
    const c = manifest.completeness;
    rows.push([
      manifest.period,
      `r${manifest.revision}`,
      String(projects.length),
      String(c.onTime.length),
      String(c.late.length),
      String(c.missing.length),
      rel(join(bucket, programme)),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const [i, r] of rows.entries()) {
    process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
  const rejections = result.ingested.filter((i) => i.status === 'rejected');
  const emails = (await readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.eml'));
  process.stdout.write(`\n${summariseRun(result)}\n`);
  process.stdout.write(`Project reports: ${rel(join(bucket, 'reports'))}/<period>/r<n>/<project>.pdf|.xlsx\n`);
  for (const t of result.transmitted) {
    if (t.status === 'no-registry') continue;
    const lv = rel(join(bucket, keys.transmission(t.cutoff, t.revision, 'lv')));
    process.stdout.write(`Art. 42 transmission (cut-off ${t.cutoff}, r${t.revision}): ${lv} (+ .en.xlsx)\n`);
  }
  process.stdout.write(`Rejections (planted mistakes): ${rejections.length} → ${rel(join(bucket, 'rejections'))}\n`);
  process.stdout.write(`E-mails (.eml): ${emails.length} → ${rel(outbox)}\n`);
  await printDropPage(deps, rel(bucket), port);
  process.stdout.write(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
  if (result.failures.length > 0) process.exitCode = 2;
}

/** How to try the drop page: the command that serves it, and one sample project's upload link. */
async function printDropPage(deps: ReturnType<typeof localDeps>, bucket: string, port: number): Promise<void> {
  const registry = await loadRegistryInForce(deps.store);
  // The project that runs longest: its link is for its next due period (or its last one, once it has ended).
  const project = registry?.projects.toSorted((a, b) => (a.end < b.end ? 1 : a.end > b.end ? -1 : 0))[0];
  const link = project && (await uploadLinkFor(deps, registry, project.id, null));
  const portFlag = port === DEFAULT_LINK_PORT ? '' : ` --port ${port}`;
  process.stdout.write(
    `\nDrop page (upload links in the e-mails): npm run cli -- serve --store ${bucket} --now ${SAMPLE_NOW}${portFlag}\n`,
  );
  if (project && link) process.stdout.write(`  then open the link of ${project.id}: ${link}\n`);
  process.stdout.write(
    "  the same server opens the report links in the managers' and auditors' e-mails (download links, revision pages)\n",
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
