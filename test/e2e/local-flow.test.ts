/**
 * The local runtime end to end on sample data: folder store, outbox mailer, real readers and renderers.
 * Reports are read back as a person would: PDF text extracted, XLSX reloaded, e-mails parsed.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import { deliverPeriod } from '../../functions/app/deliver';
import type { Deps } from '../../functions/app/deps';
import {
  generatePeriod,
  latestManifest,
  loadRevisionInputs,
  projectModel,
  type RevisionPlan,
} from '../../functions/app/generate';
import { runAll } from '../../functions/app/run';
import { formatQuantity } from '../../functions/core/format';
import { keys } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import { activeProjects } from '../../functions/core/report-model';
import { SAMPLE_NOW, type SampleManifest, writeSampleData } from '../../sample/write-sample';

const PERIOD = '2025-Q3';
const PROJECTS = ['latvian-language', 'civic-orientation'];
let root: string;
let deps: Deps & { store: FolderStore };
let outbox: string;
let sample: SampleManifest;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function place(from: string, to: string) {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
  const info = await stat(from);
  await utimes(to, info.atime, info.mtime);
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  // Numbers are grouped with no-break spaces; compare them as plain spaces.
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-e2e-'));
  sample = await writeSampleData(join(root, 'sample'));
  const bucket = join(root, 'bucket');
  outbox = join(root, 'outbox');
  await place(join(root, 'sample', sample.registry), join(bucket, 'registry', 'registry.xlsx'));
  for (const s of sample.submissions.filter((x) => PROJECTS.includes(x.projectId) && x.period <= PERIOD)) {
    await place(join(root, 'sample', s.file), join(bucket, 'inbox', s.projectId, basename(s.file)));
  }
  const clock = fixedClock(new Date(`${SAMPLE_NOW}T04:00:00Z`));
  deps = {
    store: new FolderStore(bucket),
    mailer: new OutboxMailer(outbox, { clock }),
    clock,
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
  };
  // Ingest only (the full run would also generate every other due period).
  const { ingestObject } = await import('../../functions/app/ingest');
  for (const info of await deps.store.list('registry/')) await ingestObject(deps, info.key);
  for (const info of await deps.store.list('inbox/')) await ingestObject(deps, info.key);
  const outcome = await generatePeriod(deps, { period: PERIOD });
  expect(outcome.status).toBe('generated');
  await deliverPeriod(deps, PERIOD);
}, 180_000);
afterAll(() => rm(root, { recursive: true, force: true }));

async function modelOf(projectId: string) {
  const manifest = (await latestManifest(deps, PERIOD))!;
  const plan = (await deps.store.get(`${keys.revisionPrefix(PERIOD, manifest.revision)}plan.json`))!;
  const parsed = JSON.parse(new TextDecoder().decode(plan.bytes)) as RevisionPlan;
  return projectModel(parsed, await loadRevisionInputs(deps, parsed), projectId);
}

describe('local flow on sample data', () => {
  it('writes every project report, the programme summary and the manifest last', async () => {
    const manifest = (await latestManifest(deps, PERIOD))!;
    expect(manifest.revision).toBe(1);
    const { registry } = await loadRevisionInputs(deps, manifest);
    const active = activeProjects(registry, PERIOD).map((p) => p.id);
    // Every active project gets a report, whether or not it submitted (the others show as missing).
    expect(active).toEqual(expect.arrayContaining(PROJECTS));
    expect(manifest.completeness.missing.sort()).toEqual(active.filter((p) => !PROJECTS.includes(p)).sort());
    expect(manifest.outputs.map((o) => o.key).sort()).toEqual(
      [
        ...active.flatMap((p) => [keys.projectReport(PERIOD, 1, p, 'pdf'), keys.projectReport(PERIOD, 1, p, 'xlsx')]),
        keys.programmeReport(PERIOD, 1, 'pdf'),
        keys.programmeReport(PERIOD, 1, 'xlsx'),
      ].sort(),
    );
    for (const o of manifest.outputs) {
      const obj = await deps.store.get(o.key);
      expect(sha(obj!.bytes)).toBe(o.sha256);
    }
    expect(manifest.sources.length).toBeGreaterThan(10);
  });

  it('prints Latvian indicator names exactly as in the catalogue, the period and every cumulative value', async () => {
    const model = await modelOf('latvian-language');
    const text = await pdfText((await deps.store.get(keys.projectReport(PERIOD, 1, 'latvian-language', 'pdf')))!.bytes);
    expect(text).toContain('2025. gada 3. ceturksnis');
    expect(model.indicators.length).toBeGreaterThanOrEqual(3);
    for (const i of model.indicators) {
      expect(text.replace(/\s+/g, ' ')).toContain(i.name.lv.replace(/\s+/g, ' ').slice(0, 40));
      expect(text).toContain(formatQuantity(i.cumulative, 'lv').replace(/[\u00a0\u202f]/g, ' '));
    }
    expect(text).toContain('Dalībnieku skaits valodu kursos kopā');
    expect(text).toMatch(/Lapa 1 no \d+/);
  });

  it('writes XLSX cells equal to the report model, with cached formula results', async () => {
    const model = await modelOf('latvian-language');
    const wb = new ExcelJS.Workbook();
    const bytes = (await deps.store.get(keys.projectReport(PERIOD, 1, 'latvian-language', 'xlsx')))!.bytes;
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Rādītāji')!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const col = (name: RegExp) => header.findIndex((h) => name.test(h));
    const codeCol = col(/Kods|Code/);
    const cumCol = col(/Kumulat|Cumulative/);
    const pctCol = col(/% no mērķa|% of target/);
    expect(Math.min(codeCol, cumCol, pctCol)).toBeGreaterThan(0);
    for (const [n, indicator] of model.indicators.entries()) {
      const row = sheet.getRow(n + 2);
      expect(row.getCell(codeCol).value).toBe(indicator.code);
      expect(row.getCell(cumCol).value).toBe(indicator.cumulative);
      const pct = row.getCell(pctCol).value as { formula?: string; result?: unknown };
      expect(pct.formula).toBeTruthy();
      if (indicator.achievement !== null) expect(pct.result).toBeCloseTo(indicator.achievement, 10);
    }
  });

  it('renders byte-identical reports from the same sources and generated-at', async () => {
    const manifest = (await latestManifest(deps, PERIOD))!;
    const plan = JSON.parse(
      new TextDecoder().decode((await deps.store.get(`${keys.revisionPrefix(PERIOD, 1)}plan.json`))!.bytes),
    );
    const { renderProjectFiles } = await import('../../functions/app/generate');
    const again = await renderProjectFiles(plan, await loadRevisionInputs(deps, plan), 'civic-orientation');
    for (const f of again.files) expect(sha(f.bytes)).toBe(manifest.outputs.find((o) => o.key === f.key)?.sha256);
  });

  it('e-mails each manager once, in their language, with attachments byte-equal to the archive', async () => {
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(files.map(async (f) => simpleParser(await readFile(join(outbox, f)))));
    const reports = mails.filter(
      (m) => /pārskats|report/i.test(m.subject ?? '') && m.attachments.some((a) => a.filename?.endsWith('.pdf')),
    );
    const recipients = reports.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text).sort();
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients.length).toBeGreaterThanOrEqual(2);
    const latvian = reports.find((m) => m.subject?.includes('progresa pārskats'));
    expect(latvian?.subject).toBe(`PMIF progresa pārskats ${PERIOD} (r1)`);
    const archivedPdf = (await deps.store.get(keys.programmeReport(PERIOD, 1, 'pdf')))!.bytes;
    const attached = latvian!.attachments.find(
      (a) => a.filename?.startsWith('programme') && a.filename.endsWith('.pdf'),
    );
    expect(sha(attached!.content)).toBe(sha(archivedPdf));
    // A second delivery sends nothing more.
    expect((await deliverPeriod(deps, PERIOD)).sent).toBe(0);
  });

  it('runs the whole flow again without doing anything twice', async () => {
    const before = (await readdir(outbox)).length;
    const result = await runAll({ ...deps, clock: fixedClock(new Date('2025-10-20T04:00:00Z')) });
    expect(result.ingested.every((i) => i.status === 'skipped')).toBe(true);
    expect(result.generated.find((g) => g.period === PERIOD)?.status).toBe('unchanged');
    const sent = [...result.delivered, ...result.transmissionsDelivered].reduce((a, d) => a + d.sent, 0);
    expect((await readdir(outbox)).length).toBe(before + sent);
    // The Art. 42 transmission of the latest due cut-off exists once; a further run leaves it as it is.
    expect(result.transmitted.map((t) => t.status === 'no-registry' || t.cutoff)).toEqual(['2025-06-30']);
    const again = await runAll({ ...deps, clock: fixedClock(new Date('2025-10-20T04:00:00Z')) });
    expect(again.transmitted.map((t) => t.status)).toEqual(['unchanged']);
    expect(again.transmissionsDelivered.reduce((a, d) => a + d.sent + d.alreadySent, 0)).toBeGreaterThan(0);
    expect(again.transmissionsDelivered.reduce((a, d) => a + d.sent, 0)).toBe(0);
  });
});
