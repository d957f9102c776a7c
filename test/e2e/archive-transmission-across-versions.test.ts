/**
 * An Art. 42 transmission outlives a code change, as a report revision does (archive-across-versions.test.ts): it is
 * archived with its inputs and the code that made it (manifest schema 2, code protocol 2); then the product changes
 * a header of the transmission workbook (a changed copy of the code, command line and verifier bundle, built here
 * with an esbuild plugin). The changed command line still verifies the old transmission, because its own archived
 * code re-renders it; one byte changed in an archived edition fails, naming the file. A transmission stored in the
 * schema-1 form (no archive section) is "code not archived", exit 4, not tampered, and still fails on a changed byte.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTransmission } from '../../functions/app/archive/transmissions';
import type { Deps } from '../../functions/app/deps';
import { ingestObject } from '../../functions/app/ingest';
import { produceTransmission, type TransmissionManifest } from '../../functions/app/transmission';
import { localCode } from '../../functions/cli/local-deps';
import { keys } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import { TRANSMISSION_PROTOCOL } from '../../functions/core/verifier-protocol';
import { buildChangedCode, changeSource, runChangedCli, tamperByte as tamperStoredByte } from '../helpers/changed-code';
import { localDeps, smallProgramme, stage } from '../helpers/small-programme';

const CUTOFF = '2023-06-30';
/** A cut-off the changed code transmits. */
const LATER = '2023-12-31';
const [BEFORE, AFTER] = ['Komentāri', 'Piezīmes'];

/** The change: the Latvian transmission's comments column is headed "Piezīmes" where it said "Komentāri". */
const relabel = changeSource(
  'relabel-transmission',
  /functions[\\/]workbooks[\\/]write-transmission-xlsx\.ts$/,
  (text) => text.replace(`lv: '${BEFORE}'`, `lv: '${AFTER}'`),
  'the header to change is not in write-transmission-xlsx.ts any more',
);

let dir: string;
let bucket: string;
let changed: string;
let deps: Deps;

const json = <T>(b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as T;
const manifestOf = async (cutoff: string, revision: number) =>
  json<TransmissionManifest>((await deps.store.get(keys.transmissionManifest(cutoff, revision)))!.bytes);

/** Every XML part of a workbook as text: where its header strings are. */
async function workbookText(key: string): Promise<string> {
  const parts = unzipSync((await deps.store.get(key))!.bytes);
  return Object.entries(parts)
    .filter(([name]) => name.endsWith('.xml'))
    .map(([, bytes]) => new TextDecoder().decode(bytes))
    .join('\n');
}

const changedCli = (...args: string[]) => runChangedCli(changed, dir, args);
const tamperByte = (key: string) => tamperStoredByte(bucket, key);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-transmission-versions-'));
  bucket = join(dir, 'bucket');
  const programme = await smallProgramme(['2023-Q1', '2023-Q2']);
  await stage(bucket, [programme.registry, ...programme.submissions]);
  deps = { ...localDeps(bucket, join(dir, 'outbox'), new Date('2023-07-20T05:00:00Z'), silentLogger), code: localCode };
  for (const u of [programme.registry, ...programme.submissions]) await ingestObject(deps, u.key);
  expect(await produceTransmission(deps, { cutoff: CUTOFF })).toMatchObject({ status: 'generated', revision: 1 });
  changed = await buildChangedCode(relabel, 'changed-transmission');
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (changed) await rm(changed, { recursive: true, force: true });
});

describe('a transmission verifies with the code that made it, after the code has changed', () => {
  it('names its archived code (protocol 2) and every input, content-addressed', async () => {
    const manifest = await manifestOf(CUTOFF, 1);
    expect(manifest.schemaVersion).toBe(2);
    const code = await localCode();
    expect(manifest.archive?.code).toEqual({ sha256: code.sha256, bytes: code.bytes.byteLength, protocol: 2 });
    expect(TRANSMISSION_PROTOCOL).toBe(2);
    const items = manifest.archive!.items;
    expect(manifest.sources.length).toBeGreaterThan(0);
    for (const s of manifest.sources) {
      expect(items).toContainEqual(expect.objectContaining({ role: 'source', key: s.key, sha256: s.sha256 }));
      expect(items).toContainEqual(expect.objectContaining({ role: 'record', key: s.recordKey }));
    }
    expect(items).toContainEqual(expect.objectContaining({ role: 'registry', sha256: manifest.registry.sha256 }));
    for (const sha of [...items.map((i) => i.sha256), code.sha256])
      expect(await deps.store.get(keys.blob(sha))).toBeDefined();
    expect(await workbookText(keys.transmission(CUTOFF, 1, 'lv'))).toContain(BEFORE);
  });

  it('the changed command line verifies it: exit 0, re-rendered with its archived code', async () => {
    const { code, stdout } = await changedCli('archive', 'verify', CUTOFF, '--store', bucket);
    expect(code, stdout).toBe(0);
    const archived = (await manifestOf(CUTOFF, 1)).archive!.code!.sha256;
    expect(stdout).toContain(`re-rendered with its archived code, sha256 ${archived.slice(0, 12)}`);
    expect(stdout).toMatch(new RegExp(`^${CUTOFF} r1: VERIFIED `, 'm'));
    const report = await verifyTransmission(deps, CUTOFF);
    expect([report.status, report.code]).toEqual(['verified', archived]);
    expect(report.checks.filter((c) => c.subject === 'record').length).toBeGreaterThan(1);
    expect(report.checks.filter((c) => c.subject === 'record').flatMap((c) => c.findings)).toContain(
      're-derived identical',
    );
  });

  it('the changed code transmits with the new header and its own code, and this verifier verifies that too', async () => {
    const made = await changedCli('transmission', '--cutoff', LATER, '--store', bucket);
    expect(made.code, made.stdout).toBe(0);
    const later = await manifestOf(LATER, 1);
    const changedCode = await readFile(join(changed, 'dist', 'verifier', 'pmif-verifier.mjs'));
    expect(later.archive?.code?.sha256).toBe(createHash('sha256').update(changedCode).digest('hex'));
    expect(later.archive?.code?.sha256).not.toBe((await manifestOf(CUTOFF, 1)).archive?.code?.sha256);
    const text = await workbookText(keys.transmission(LATER, 1, 'lv'));
    expect([text.includes(AFTER), text.includes(BEFORE)]).toEqual([true, false]);
    const report = await verifyTransmission(deps, LATER);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect([report.status, report.code]).toEqual(['verified', later.archive!.code!.sha256]);
  });

  it('one changed byte of an archived edition fails, naming the file (exit 1)', async () => {
    const key = keys.transmission(CUTOFF, 1, 'lv');
    const undo = await tamperByte(key);
    try {
      const report = await verifyTransmission(deps, CUTOFF);
      expect(report.status).toBe('mismatch');
      expect(report.checks.filter((c) => !c.ok).map((c) => c.key)).toEqual([key]);
      const { code, stdout } = await changedCli('archive', 'verify', CUTOFF, '--quiet', '--store', bucket);
      expect(code).toBe(1);
      expect(stdout).toContain(key);
    } finally {
      await undo();
    }
  });

  it('one changed byte of an archived input fails, naming it', async () => {
    const manifest = await manifestOf(CUTOFF, 1);
    const record = manifest.archive!.items.find((i) => i.role === 'record')!;
    const undo = await tamperByte(keys.blob(record.sha256));
    try {
      const report = await verifyTransmission(deps, CUTOFF);
      expect(report.status).toBe('mismatch');
      expect(report.checks.filter((c) => !c.ok).map((c) => c.key)).toContain(record.key);
    } finally {
      await undo();
    }
  });
});

describe('a transmission archived before transmissions kept their code', () => {
  /** The manifest as the code before this change wrote it: schema 1, no archive section. */
  async function storeAsSchema1(cutoff: string): Promise<void> {
    const { archive, ...rest } = await manifestOf(cutoff, 1);
    expect(archive).toBeDefined();
    const v1: TransmissionManifest = { ...rest, schemaVersion: 1 };
    await writeFile(
      join(bucket, ...keys.transmissionManifest(cutoff, 1).split('/')),
      `${JSON.stringify(v1, null, 2)}\n`,
    );
  }

  it('is "code not archived": every hash checked, nothing failed, not verified; exit 4', async () => {
    await storeAsSchema1(CUTOFF);
    const report = await verifyTransmission(deps, CUTOFF);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect([report.status, report.ok, report.code]).toEqual(['code-not-archived', false, null]);
    const outputs = report.checks.filter((c) => c.subject === 'output');
    expect(outputs.map((o) => o.key)).toEqual([keys.transmission(CUTOFF, 1, 'lv'), keys.transmission(CUTOFF, 1, 'en')]);
    for (const o of outputs)
      expect(o.findings).toEqual(['hash ok', 'not re-rendered: the code that made it is not archived']);
    expect(report.checks.filter((c) => c.subject === 'source').length).toBeGreaterThan(0);
    const { code, stdout } = await changedCli('archive', 'verify', CUTOFF, '--store', bucket);
    expect(code, stdout).toBe(4);
    expect(stdout).toMatch(new RegExp(`^${CUTOFF} r1: CODE NOT ARCHIVED `, 'm'));
  });

  it('still fails, naming the file, when one byte of an edition is changed (exit 1)', async () => {
    const key = keys.transmission(CUTOFF, 1, 'en');
    const undo = await tamperByte(key);
    try {
      const report = await verifyTransmission(deps, CUTOFF);
      expect(report.status).toBe('mismatch');
      expect(report.checks.filter((c) => !c.ok).map((c) => c.key)).toEqual([key]);
      const { code } = await changedCli('archive', 'verify', CUTOFF, '--store', bucket);
      expect(code).toBe(1);
    } finally {
      await undo();
    }
  });
});
