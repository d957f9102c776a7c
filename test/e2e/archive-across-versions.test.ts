/**
 * The archive outlives a code change (issue 15, item 5). A revision is archived with the code that made it; then
 * the product changes a PDF label (a changed copy of the code, built here with an esbuild plugin: the command line
 * and its verifier bundle, as `npm run build` makes them). The changed command line still verifies the old
 * revision, because the old revision's own archived code re-renders it; one byte changed in an archived report
 * still fails, naming the file. A revision the changed code makes is archived with the changed code, and the
 * unchanged verifier verifies it too. A revision stored in the schema-1 format (no code in its manifest) is
 * "code not archived", exit 4. Two revisions of the same sources store each input once.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPeriod } from '../../functions/app/archive/verify';
import type { Deps } from '../../functions/app/deps';
import { generatePeriod } from '../../functions/app/generate';
import { ingestObject } from '../../functions/app/ingest';
import { localCode } from '../../functions/cli/local-deps';
import { keys } from '../../functions/core/keys';
import { buildManifest, type Manifest } from '../../functions/core/manifest';
import { silentLogger } from '../../functions/core/ports';
import { buildChangedCode, changeSource, runChangedCli, tamperByte as tamperStoredByte } from '../helpers/changed-code';
import { localDeps, SMALL_PROJECTS, smallProgramme, stage } from '../helpers/small-programme';

const PERIOD = '2023-Q2';
/** A second period, stored in the format of before this change (manifest schema 1). */
const OLD_PERIOD = '2023-Q1';
const PROJECT = SMALL_PROJECTS[0]!;

/** The change: the Latvian PDF footer says "Lpp." where it said "Lapa". */
const relabel = changeSource(
  'relabel-footer',
  /functions[\\/]pdf[\\/]labels\.ts$/,
  // The source text of the template literal in pageOf(), not a template here.
  (text) => text.replace(/`Lapa (\$\{page\} no \$\{pages\})`/, '`Lpp. $1`'),
  'the footer label to change is not in labels.ts any more',
);

let dir: string;
let bucket: string;
let changed: string;
let deps: Deps;

const json = <T>(b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as T;
const manifestOf = async (period: string, revision: number) =>
  json<Manifest>((await deps.store.get(keys.manifest(period, revision)))!.bytes);

async function pdfText(key: string): Promise<string> {
  const pdf = await getDocumentProxy((await deps.store.get(key))!.bytes);
  const texts: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    texts.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  return texts.join('\n');
}

const changedCli = (...args: string[]) => runChangedCli(changed, dir, args);
const tamperByte = (key: string) => tamperStoredByte(bucket, key);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-across-versions-'));
  bucket = join(dir, 'bucket');
  const programme = await smallProgramme([OLD_PERIOD, PERIOD]);
  await stage(bucket, [programme.registry, ...programme.submissions]);
  deps = { ...localDeps(bucket, join(dir, 'outbox'), new Date('2023-10-02T06:00:00Z'), silentLogger), code: localCode };
  for (const u of [programme.registry, ...programme.submissions]) await ingestObject(deps, u.key);
  for (const period of [OLD_PERIOD, PERIOD])
    expect(await generatePeriod(deps, { period, workers: 1 })).toMatchObject({ status: 'generated', revision: 1 });
  changed = await buildChangedCode(relabel, 'changed');
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (changed) await rm(changed, { recursive: true, force: true });
});

describe('a revision verifies with the code that made it, after the code has changed', () => {
  it('the revision names its archived code by SHA-256, and the changed code is other code', async () => {
    const manifest = await manifestOf(PERIOD, 1);
    expect(manifest.schemaVersion).toBe(2);
    const original = (await localCode()).sha256;
    expect(manifest.archive?.code).toEqual({ sha256: original, bytes: expect.any(Number), protocol: 1 });
    const changedCode = await readFile(join(changed, 'dist', 'verifier', 'pmif-verifier.mjs'));
    expect(changedCode.includes('Lpp. ')).toBe(true);
    expect(changedCode.includes('`Lapa ')).toBe(false);
  });

  it('the changed command line verifies the old revision: exit 0, re-rendered with the archived code', async () => {
    const { code, stdout } = await changedCli('archive', 'verify', PERIOD, '--store', bucket);
    expect(code, stdout).toBe(0);
    const archived = (await manifestOf(PERIOD, 1)).archive!.code!.sha256;
    expect(stdout).toContain(`re-rendered with its archived code, sha256 ${archived.slice(0, 12)}`);
    expect(stdout).toMatch(new RegExp(`^${PERIOD} r1: VERIFIED \\(\\d+ checks\\)$`, 'm'));
    expect(stdout).not.toContain('MISMATCH');
  });

  it('…and still fails, naming the file, when one byte of an archived report is changed', async () => {
    const key = keys.projectReport(PERIOD, 1, PROJECT, 'pdf');
    const undo = await tamperByte(key);
    try {
      const { code, stdout } = await changedCli('archive', 'verify', PERIOD, '--quiet', '--store', bucket);
      expect(code).toBe(1);
      expect(stdout.split('\n').filter((l) => l.includes('MISMATCH'))).toEqual([
        expect.stringMatching(new RegExp(`^  MISMATCH output   ${key}: sha256 .* ≠ manifest .* · re-render differs`)),
      ]);
      expect(stdout).toMatch(new RegExp(`^${PERIOD} r1: FAILED 1 of \\d+ checks: ${key}$`, 'm'));
    } finally {
      await undo();
    }
  });

  it('a revision the changed code makes carries the new label and its own code; the old verifier verifies it', async () => {
    const before = (await deps.store.list(keys.blobsPrefix)).map((o) => o.key);
    const { code, stdout } = await changedCli(
      'reissue',
      '--period',
      PERIOD,
      '--reason',
      'footer label',
      '--store',
      bucket,
      '--now',
      '2023-10-03T06:00:00Z',
    );
    expect(code, stdout).toBe(0);
    const [r1, r2] = [await manifestOf(PERIOD, 1), await manifestOf(PERIOD, 2)];
    const changedCode = await readFile(join(changed, 'dist', 'verifier', 'pmif-verifier.mjs'));
    expect(r2.archive?.code?.sha256).toBe(createHash('sha256').update(changedCode).digest('hex'));
    expect(r2.archive?.code?.sha256).not.toBe(r1.archive?.code?.sha256);
    expect(r2.archive?.code?.bytes).toBe(changedCode.byteLength);
    expect(await pdfText(keys.projectReport(PERIOD, 2, PROJECT, 'pdf'))).toContain('Lpp. 1 no');
    expect(await pdfText(keys.projectReport(PERIOD, 1, PROJECT, 'pdf'))).toContain('Lapa 1 no');

    // Same sources: each input is stored once; the only new blob is the changed code.
    expect(r2.archive!.items).toEqual(r1.archive!.items);
    const after = (await deps.store.list(keys.blobsPrefix)).map((o) => o.key);
    expect(after.filter((k) => !before.includes(k))).toEqual([keys.blob(r2.archive!.code!.sha256)]);
    const named = new Set([...r1.archive!.items.map((i) => i.sha256), r1.archive!.code!.sha256]);
    named.add(r2.archive!.code!.sha256);
    expect(after.length).toBeGreaterThanOrEqual(named.size);
    for (const sha of named) expect(after).toContain(keys.blob(sha));

    // This (unchanged) verifier verifies both: each revision with its own code.
    const reports = await verifyPeriod(deps, PERIOD);
    expect(reports.map((r) => [r.revision, r.status, r.code])).toEqual([
      [1, 'verified', r1.archive!.code!.sha256],
      [2, 'verified', r2.archive!.code!.sha256],
    ]);
  });
});

describe('a revision archived before the archive kept its code', () => {
  /** The manifest as the code before this change wrote it: schema 1, no archive section (its bytes exactly). */
  async function storeAsSchema1(period: string): Promise<void> {
    const m = await manifestOf(period, 1);
    const v1 = buildManifest(m, m.outputs, m.completeness, m.figures);
    expect(v1.schemaVersion).toBe(1);
    expect('archive' in v1).toBe(false);
    await writeFile(join(bucket, ...keys.manifest(period, 1).split('/')), `${JSON.stringify(v1, null, 2)}\n`);
  }

  it('is "code not archived": every hash checked, nothing failed, not verified; exit 4', async () => {
    await storeAsSchema1(OLD_PERIOD);
    const [report] = await verifyPeriod(deps, OLD_PERIOD);
    expect(report!.checks.filter((c) => !c.ok)).toEqual([]);
    expect([report!.status, report!.ok, report!.code]).toEqual(['code-not-archived', false, null]);
    const outputs = report!.checks.filter((c) => c.subject === 'output');
    expect(outputs.length).toBeGreaterThanOrEqual(4);
    for (const o of outputs)
      expect(o.findings).toEqual(['hash ok', 'not re-rendered: the code that made it is not archived']);
    const { code, stdout } = await changedCli('archive', 'verify', OLD_PERIOD, '--store', bucket);
    expect(code).toBe(4);
    expect(stdout).toMatch(new RegExp(`^${OLD_PERIOD} r1: CODE NOT ARCHIVED `, 'm'));
  });

  it('still fails, naming the file, when one byte of its report is changed (exit 1)', async () => {
    const key = keys.programmeReport(OLD_PERIOD, 1, 'xlsx');
    const undo = await tamperByte(key);
    try {
      const [report] = await verifyPeriod(deps, OLD_PERIOD);
      expect(report!.status).toBe('mismatch');
      expect(report!.checks.filter((c) => !c.ok).map((c) => c.key)).toEqual([key]);
      const { code } = await changedCli('archive', 'verify', OLD_PERIOD, PERIOD, '--store', bucket);
      expect(code).toBe(1);
    } finally {
      await undo();
    }
  });
});
