/**
 * The auditor's archive end to end on the whole sample programme in the folder store: every period ingested and
 * generated once, then verified (every source re-read by version and hashed, every record re-derived, every report
 * re-rendered, every manifest rebuilt), figure lineage checked against the manifests, and one byte changed in a
 * source, a report and a manifest caught and named. The command line is run in process and once as a process.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import { archivedPeriods } from '../../functions/app/archive/list';
import {
  createVerifySession,
  type VerifyReport,
  verifyPeriod,
  verifyRevision,
} from '../../functions/app/archive/verify';
import type { Deps } from '../../functions/app/deps';
import {
  finishRevision,
  loadRevisionInputs,
  planRevision,
  projectModel,
  type RevisionPlan,
  renderProjectStep,
} from '../../functions/app/generate';
import { ingestObject } from '../../functions/app/ingest';
import { loadRegistryInForce } from '../../functions/app/registry-store';
import { localCode } from '../../functions/cli/local-deps';
import { buildProgram } from '../../functions/cli/program';
import { periodsDue } from '../../functions/core/calendar';
import { keys } from '../../functions/core/keys';
import type { Manifest } from '../../functions/core/manifest';
import { StoreError, silentLogger } from '../../functions/core/ports';
import { activeProjects } from '../../functions/core/report-model';
import { SAMPLE_NOW, type SampleManifest, writeSampleData } from '../../sample/write-sample';

const root = join(import.meta.dirname, '..', '..');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const json = <T>(b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as T;

/** A small period (one project) for the tamper tests, and the one that gets a corrected second revision. */
const SMALL = '2019-Q2';
const SMALL_PROJECT = 'iom-return';

let dir: string;
let bucket: string;
let deps: Deps & { store: FolderStore };
let sample: SampleManifest;
let periods: string[];
let reports: VerifyReport[];

async function place(from: string, to: string) {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
  const info = await stat(from);
  await utimes(to, info.atime, info.mtime);
}

/**
 * Change one byte of a stored file behind the store's back (as someone with access to the disk could): the byte at
 * `at` (default: the middle) becomes `to` (default: the byte with one bit flipped). Returns the undo.
 */
async function tamper(key: string, at: (size: number) => number = (n) => Math.floor(n / 2), to?: number) {
  const path = join(bucket, ...key.split('/'));
  const original = await readFile(path);
  const info = await stat(path);
  const changed = Buffer.from(original);
  const i = at(changed.length);
  changed[i] = to ?? changed[i]! ^ 0x20;
  await writeFile(path, changed);
  return async () => {
    await writeFile(path, original);
    await utimes(path, info.atime, info.mtime);
  };
}

const failing = (r: VerifyReport) => r.checks.filter((c) => !c.ok);

/** Generate a period's next revision with the state machine's steps, every project on this thread. */
async function generate(period: string): Promise<number | null> {
  const planned = await planRevision(deps, { period });
  if (planned.status !== 'planned') return null;
  const inputs = await loadRevisionInputs(deps, planned.plan);
  for (const projectId of planned.plan.projectIds) await renderProjectStep(deps, planned.plan, projectId, inputs);
  return (await finishRevision(deps, planned.plan, inputs)).revision;
}

/** Run the command line in process: its output lines and exit code. */
async function cli(...args: string[]): Promise<{ lines: string[]; exitCode: number }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'pmif-reports', ...args]);
  } finally {
    spy.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { lines: out.split('\n').filter(Boolean), exitCode };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-archive-e2e-'));
  sample = await writeSampleData(join(dir, 'sample'));
  bucket = join(dir, 'bucket');
  await place(join(dir, 'sample', sample.registry), join(bucket, 'registry', 'registry.xlsx'));
  for (const s of sample.submissions) {
    await place(join(dir, 'sample', s.file), join(bucket, 'inbox', s.projectId, basename(s.file)));
  }
  const clock = fixedClock(new Date(`${SAMPLE_NOW}T04:00:00Z`));
  deps = {
    store: new FolderStore(bucket),
    mailer: new OutboxMailer(join(dir, 'outbox'), { clock }),
    clock,
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
    // The code archived with each revision, built from these sources (as `npm run cli` does).
    code: localCode,
  };
  for (const info of await deps.store.list('registry/')) await ingestObject(deps, info.key);
  const uploads = (await deps.store.list('inbox/')).sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime());
  for (const info of uploads) expect((await ingestObject(deps, info.key)).status).toBe('accepted');
  // Every period the scheduler would have reported by the sample's "today", as `run` chooses them.
  const registry = (await loadRegistryInForce(deps.store))!;
  periods = periodsDue(registry, SAMPLE_NOW).filter((p) => activeProjects(registry, p).length > 0);
  for (const period of periods) expect(await generate(period)).toBe(1);

  // A late correction of the small period (the same workbook saved again: other bytes, same cells) makes revision
  // 2, which is built with revision 1's figures for "what changed".
  const original = await readFile(join(dir, 'sample', 'inbox', SMALL_PROJECT, `${SMALL}.xlsx`));
  const corrected = join(bucket, 'inbox', SMALL_PROJECT, `${SMALL} labots.xlsx`);
  await writeFile(corrected, zipSync(unzipSync(original), { level: 1 }));
  await utimes(corrected, new Date('2019-08-01T08:00:00Z'), new Date('2019-08-01T08:00:00Z'));
  const later = { ...deps, clock: fixedClock(new Date('2019-08-02T04:00:00Z')) };
  expect((await ingestObject(later, `inbox/${SMALL_PROJECT}/${SMALL} labots.xlsx`)).status).toBe('accepted');
  expect(await generate(SMALL)).toBe(2);

  const session = createVerifySession();
  reports = [];
  for (const period of periods) reports.push(...(await verifyPeriod(deps, period, { session })));
}, 900_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('archive verify on the whole sample programme (folder store)', () => {
  it('verifies every period: every source hash ok, every record re-derived, every report re-rendered identical', () => {
    expect(periods.length).toBeGreaterThanOrEqual(20);
    expect(reports.map((r) => `${r.period} r${r.revision}`)).toEqual(
      periods.flatMap((p) => (p === SMALL ? [`${p} r1`, `${p} r2`] : [`${p} r1`])),
    );
    for (const report of reports) {
      expect(failing(report), `${report.period} r${report.revision}`).toEqual([]);
      const outputs = report.checks.filter((c) => c.subject === 'output');
      expect(outputs.length).toBeGreaterThanOrEqual(4);
      for (const o of outputs) expect(o.findings).toEqual(['hash ok', 're-render identical']);
      const sources = report.checks.filter((c) => c.subject === 'source');
      for (const s of sources)
        expect(s.findings).toEqual(['hash ok', expect.stringMatching(/^archived as blobs\/sha256\/[0-9a-f]{64}$/)]);
      // Re-derived and re-rendered by the revision's own archived code, run in a child process.
      expect(report.status).toBe('verified');
      expect(report.checks.find((c) => c.subject === 'code')).toMatchObject({ ok: true, key: keys.blob(report.code!) });
      const records = report.checks.filter((c) => c.subject === 'record');
      expect(records.length).toBe(sources.length + 1); // and the registry's
      for (const r of records) expect(r.findings).toEqual(['names its upload', 're-derived identical']);
      const manifest = report.checks.find((c) => c.subject === 'manifest')!;
      expect(manifest.findings.slice(0, 3)).toEqual(['parses', 'agrees with the plan', 'rebuilt byte-identical']);
    }
    expect(new Set(reports.map((r) => r.manifestSha256)).size).toBe(reports.length);
  });

  it('traces every figure of every report to a source the manifest lists, with the same SHA-256', async () => {
    let rows = 0;
    for (const period of periods) {
      const manifest = json<Manifest>((await deps.store.get(keys.manifest(period, 1)))!.bytes);
      const plan = json<RevisionPlan>((await deps.store.get(keys.plan(period, 1)))!.bytes);
      const listed = new Map(manifest.sources.map((s) => [`${s.key}@${s.version}`, s.sha256]));
      const inputs = await loadRevisionInputs(deps, plan);
      for (const projectId of plan.projectIds) {
        for (const row of projectModel(plan, inputs, projectId).lineage) {
          expect(listed.get(`${row.sourceKey}@${row.sourceVersion}`), `${period} ${projectId} ${row.figure}`).toBe(
            row.sha256,
          );
          rows++;
        }
      }
    }
    expect(rows).toBeGreaterThan(1000);
  });

  it("verifies a corrected period's second revision, re-rendered against the first one's figures", async () => {
    const plan = json<RevisionPlan>((await deps.store.get(keys.plan(SMALL, 2)))!.bytes);
    expect(plan.sources.filter((s) => s.key.startsWith(`inbox/${SMALL_PROJECT}/${SMALL}`))).toHaveLength(2);
    // The programme summary of r2 depends on r1's manifest: a different "previous" would re-render differently.
    const r2 = reports.find((r) => r.period === SMALL && r.revision === 2)!;
    expect(r2.checks.find((c) => c.key === keys.programmeReport(SMALL, 2, 'pdf'))?.findings).toEqual([
      'hash ok',
      're-render identical',
    ]);
  });
});

describe('tampering is caught and named', () => {
  it("one byte changed in the archive's copy of a source upload fails that source", async () => {
    const plan = json<RevisionPlan>((await deps.store.get(keys.plan(SMALL, 1)))!.bytes);
    const source = plan.sources.find((s) => s.key === `inbox/${SMALL_PROJECT}/${SMALL}.xlsx`)!;
    // The archive's copy of the upload (verify reads nothing outside the archive).
    const undo = await tamper(keys.blob(source.sha256));
    try {
      const [report] = await verifyPeriod(deps, SMALL, { revision: 1 });
      expect(report!.ok).toBe(false);
      expect(report!.status).toBe('mismatch');
      const bad = failing(report!);
      expect(bad.map((c) => c.key)).toEqual([`${source.key}@${source.version}`, source.recordKey]);
      expect(bad[0]!.findings[0]).toMatch(
        new RegExp(`^${keys.blob(source.sha256)} holds content with SHA-256 (?!${source.sha256})[0-9a-f]{64}$`),
      );
      expect(bad[1]!.findings).toEqual(['not re-derived: its upload failed its check']);
    } finally {
      await undo();
    }
    expect((await verifyPeriod(deps, SMALL, { revision: 1 }))[0]!.ok).toBe(true);
  });

  it('one byte changed in an archived PDF fails that PDF, and only it', async () => {
    const key = keys.projectReport(SMALL, 1, SMALL_PROJECT, 'pdf');
    const undo = await tamper(key);
    try {
      const [report] = await verifyPeriod(deps, SMALL, { revision: 1 });
      const bad = failing(report!);
      expect(bad.map((c) => c.key)).toEqual([key]);
      expect(bad[0]!.findings[0]).toMatch(/^sha256 [0-9a-f]{12} \(\d+ B\) ≠ manifest [0-9a-f]{12} \(\d+ B\)$/);
      expect(bad[0]!.findings[1]).toMatch(/^re-render differs/);
    } finally {
      await undo();
    }
  });

  it('one byte changed anywhere in a manifest fails the manifest (sampled across the whole file)', async () => {
    const key = keys.manifest(SMALL, 1);
    const original = (await deps.store.get(key))!.bytes;
    // Positions across the file, plus the ones a reader would skip over: the indentation and the last newline.
    const positions = [
      ...Array.from({ length: 10 }, (_, i) => Math.floor(((i + 0.5) * original.length) / 10)),
      3,
      original.length - 1,
    ];
    for (const at of positions) {
      const undo = await tamper(key, () => at);
      try {
        const [report] = await verifyPeriod(deps, SMALL, { revision: 1 });
        expect(
          failing(report!).map((c) => c.key),
          `byte ${at}`,
        ).toContain(key);
      } finally {
        await undo();
      }
    }
  });

  it('a manifest that still parses to the same content but has other bytes fails as non-canonical', async () => {
    const key = keys.manifest(SMALL, 1);
    const original = (await deps.store.get(key))!.bytes;
    const at = new TextDecoder().decode(original).indexOf('\n  "kind"') + 1; // an indentation space → a tab
    const undo = await tamper(key, () => at, 0x09);
    try {
      expect(json(original)).toEqual(json((await deps.store.get(key))!.bytes));
      const [report] = await verifyPeriod(deps, SMALL, { revision: 1 });
      expect(failing(report!).map((c) => [c.key, c.findings[0]])).toEqual([
        [key, 'same content, other bytes than the canonical manifest'],
      ]);
    } finally {
      await undo();
    }
  });

  it('a plan re-spaced (same content, other bytes) fails the plan', async () => {
    const key = keys.plan(SMALL, 1);
    const original = (await deps.store.get(key))!.bytes;
    const undo = await tamper(key, () => new TextDecoder().decode(original).indexOf('\n  "kind"') + 1, 0x09);
    try {
      const [report] = await verifyPeriod(deps, SMALL, { revision: 1 });
      expect(failing(report!).map((c) => [c.key, c.findings[0]])).toEqual([
        [key, 'same content, other bytes than the canonical plan'],
      ]);
    } finally {
      await undo();
    }
  });

  it('a plan and manifest rewritten together to another source hash fail on the source', async () => {
    const planKey = keys.plan(SMALL, 1);
    const manifestKey = keys.manifest(SMALL, 1);
    const plan = (await deps.store.get(planKey))!.bytes;
    const manifest = (await deps.store.get(manifestKey))!.bytes;
    const sourceSha = json<RevisionPlan>(plan).sources[0]!.sha256;
    const forged = (b: Uint8Array) => Buffer.from(new TextDecoder().decode(b).replace(sourceSha, '0'.repeat(64)));
    await writeFile(join(bucket, ...planKey.split('/')), forged(plan));
    await writeFile(join(bucket, ...manifestKey.split('/')), forged(manifest));
    try {
      const report = await verifyRevision(deps, SMALL, 1);
      const bad = failing(report);
      expect(bad[0]).toMatchObject({
        subject: 'source',
        findings: [expect.stringMatching(/≠ manifest 000000000000$/)],
      });
      expect(bad.map((c) => c.subject)).toContain('record'); // the record names the real hash
    } finally {
      await writeFile(join(bucket, ...planKey.split('/')), plan);
      await writeFile(join(bucket, ...manifestKey.split('/')), manifest);
    }
  });

  it('an object slipped into a revision folder is named', async () => {
    const key = `${keys.revisionPrefix(SMALL, 1)}extra.pdf`;
    await deps.store.put(key, new Uint8Array([1, 2, 3]));
    try {
      const report = await verifyRevision(deps, SMALL, 1);
      expect(failing(report).map((c) => [c.subject, c.key])).toEqual([['revision', key]]);
    } finally {
      await rm(join(bucket, ...key.split('/')));
    }
  });
});

describe('the archive command line', () => {
  it('verify: exit 0 and one VERIFIED line per revision', async () => {
    const { lines, exitCode } = await cli('archive', 'verify', SMALL, '2019-Q3', '--quiet', '--store', bucket);
    expect(exitCode).toBe(0);
    expect(lines.filter((l) => l.includes(': VERIFIED'))).toEqual([
      expect.stringMatching(/^2019-Q2 r1: VERIFIED \(\d+ checks\)$/),
      expect.stringMatching(/^2019-Q2 r2: VERIFIED \(\d+ checks\)$/),
      expect.stringMatching(/^2019-Q3 r1: VERIFIED \(\d+ checks\)$/),
    ]);
    expect(lines.at(-1)).toBe('3 revision(s) verified, 0 failed');
  });

  it('verify: exit 1 naming the tampered PDF', async () => {
    const key = keys.projectReport(SMALL, 1, SMALL_PROJECT, 'pdf');
    const undo = await tamper(key);
    try {
      const { lines, exitCode } = await cli('archive', 'verify', SMALL, '--revision', '1', '--store', bucket);
      expect(exitCode).toBe(1);
      expect(lines.filter((l) => l.includes('MISMATCH'))).toEqual([
        expect.stringMatching(new RegExp(`^  MISMATCH output   ${key}: sha256 .* ≠ manifest .* · re-render differs`)),
      ]);
      expect(lines.at(-1)).toMatch(new RegExp(`^${SMALL} r1: FAILED 1 of \\d+ checks: ${key}$`));
    } finally {
      await undo();
    }
  });

  it('verify --manifest-sha256: passes with the hash archive list printed, fails with another', async () => {
    const { lines } = await cli('archive', 'list', '--period', SMALL, '--store', bucket);
    const noted = /manifest sha256 ([0-9a-f]{64})/.exec(lines.find((l) => l.startsWith(`${SMALL} r1 `))!)![1]!;
    expect(noted).toBe(sha256((await deps.store.get(keys.manifest(SMALL, 1)))!.bytes));
    const ok = await cli('archive', 'verify', SMALL, '--revision', '1', '--manifest-sha256', noted, '--store', bucket);
    expect(ok.exitCode).toBe(0);
    const other = `${noted.slice(0, 63)}${noted.endsWith('0') ? '1' : '0'}`;
    const bad = await cli('archive', 'verify', SMALL, '--revision', '1', '--manifest-sha256', other, '--store', bucket);
    expect(bad.exitCode).toBe(1);
    expect(bad.lines.at(-1)).toContain(`FAILED 1 of`);
  });

  it("list --project: the revisions and that project's files with their hashes", async () => {
    const { lines } = await cli('archive', 'list', '--period', SMALL, '--project', SMALL_PROJECT, '--store', bucket);
    expect(lines.filter((l) => /^\d{4}-Q\d r\d /.test(l)).map((l) => l.split('  ')[0])).toEqual([
      `${SMALL} r1`,
      `${SMALL} r2`,
    ]);
    const pdf = (await deps.store.get(keys.projectReport(SMALL, 1, SMALL_PROJECT, 'pdf')))!.bytes;
    expect(lines).toContain(
      `  ${keys.projectReport(SMALL, 1, SMALL_PROJECT, 'pdf')}  ${pdf.byteLength} B  sha256 ${sha256(pdf)}`,
    );
    expect(lines.some((l) => l.includes('programme.pdf'))).toBe(false);
  });

  it('get: the report files, manifest, plan and the exact source workbooks, hash-checked', async () => {
    const out = join(dir, 'audit');
    const { lines, exitCode } = await cli(
      'archive',
      'get',
      SMALL,
      SMALL_PROJECT,
      '--revision',
      '2',
      '--out',
      out,
      '--store',
      bucket,
    );
    expect(exitCode).toBe(0);
    const manifest = json<Manifest>(await readFile(join(out, 'manifest.json')));
    expect(manifest.revision).toBe(2);
    for (const o of manifest.outputs.filter((x) => x.key.includes(`/${SMALL_PROJECT}.`))) {
      expect(sha256(await readFile(join(out, basename(o.key))))).toBe(o.sha256);
    }
    // Both uploads of the period (the original and the correction, whose names differ) and the earlier period's.
    const own = manifest.sources.filter((s) => s.key.startsWith(`inbox/${SMALL_PROJECT}/`));
    expect(own.length).toBe(3);
    for (const s of own) expect(sha256(await readFile(join(out, 'sources', ...s.key.split('/'))))).toBe(s.sha256);
    expect(sha256(await readFile(join(out, 'sources', 'registry', 'registry.xlsx')))).toBe(manifest.registry.sha256);
    // Both editions' PDF and XLSX, the uploads and the registry are hash-checked; plus the manifest and plan.
    expect(lines.filter((l) => l.endsWith('hash ok'))).toHaveLength(4 + own.length + 1);
    expect(lines.at(-1)).toBe(`${SMALL} r2 ${SMALL_PROJECT}: ${4 + 2 + 1 + own.length} files written to ${out}`);
    await expect(cli('archive', 'get', SMALL, SMALL_PROJECT, '--url', '--store', bucket)).rejects.toThrow(/S3 archive/);
  });

  it('hold: marks every object of the revision and its sources; the store then refuses to overwrite them', async () => {
    const { lines } = await cli('archive', 'hold', SMALL, '--revision', '1', '--store', bucket);
    const plan = json<RevisionPlan>((await deps.store.get(keys.plan(SMALL, 1)))!.bytes);
    const held = lines.filter((l) => l.startsWith('held ')).map((l) => l.split(/\s+/)[1]);
    expect(held).toEqual(
      expect.arrayContaining([
        keys.manifest(SMALL, 1),
        keys.plan(SMALL, 1),
        keys.projectReport(SMALL, 1, SMALL_PROJECT, 'pdf'),
        ...plan.sources.flatMap((s) => [s.key, s.recordKey]),
        plan.registry.key,
        keys.registryVersion(plan.registry.version),
      ]),
    );
    expect(lines.at(-1)).toMatch(
      new RegExp(`^${SMALL} r1: ${held.length} objects under legal hold, 0 not holdable here$`),
    );
    const source = plan.sources[0]!.key;
    await expect(deps.store.put(source, new Uint8Array([0]))).rejects.toThrow(`${source} is under legal hold`);
    await expect(deps.store.put(source, new Uint8Array([0]))).rejects.toBeInstanceOf(StoreError);
    // Revision 2 was not held: its new upload can still be replaced (the folder keeps one version per key).
    const r2Only = `inbox/${SMALL_PROJECT}/${SMALL} labots.xlsx`;
    const before = (await deps.store.get(r2Only))!.bytes;
    await deps.store.put(r2Only, before);
    expect((await verifyPeriod(deps, SMALL)).every((r) => r.ok)).toBe(true);
  });

  it('runs as a process: exit status 1 and the file named on a tampered source', async () => {
    const plan = json<RevisionPlan>((await deps.store.get(keys.plan('2019-Q3', 1)))!.bytes);
    const source = plan.sources.at(-1)!;
    const undo = await tamper(keys.blob(source.sha256));
    try {
      const run = promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'functions/cli/main.ts', 'archive', 'verify', '2019-Q3', '--quiet', '--store', bucket],
        { cwd: root },
      );
      const err = (await run.then(
        () => null,
        (e: unknown) => e,
      )) as { code: number; stdout: string } | null;
      expect(err?.code).toBe(1);
      expect(err?.stdout).toContain(
        `MISMATCH source   ${source.key}@${source.version}: ${keys.blob(source.sha256)} holds content with SHA-256`,
      );
      expect(err?.stdout).toMatch(/2019-Q3 r1: FAILED 2 of \d+ checks: /);
    } finally {
      await undo();
    }
  });
});

describe('periods in the archive', () => {
  it('lists exactly the generated periods', async () => {
    expect(await archivedPeriods(deps)).toEqual(periods);
  });
});
