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
import { BACKFILL_LIMIT, runAll } from '../../functions/app/run';
import { formatQuantity } from '../../functions/core/format';
import { keys } from '../../functions/core/keys';
import { summariseLineage } from '../../functions/core/lineage-summary';
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
    // Both editions of every report: Latvian under the historical names, English with `.en` before the extension.
    expect(manifest.editions).toEqual(['lv', 'en']);
    expect(manifest.outputs.map((o) => o.key).sort()).toEqual(
      (['lv', 'en'] as const)
        .flatMap((e) => [
          ...active.flatMap((p) => [
            keys.projectReport(PERIOD, 1, p, 'pdf', e),
            keys.projectReport(PERIOD, 1, p, 'xlsx', e),
          ]),
          keys.programmeReport(PERIOD, 1, 'pdf', e),
          keys.programmeReport(PERIOD, 1, 'xlsx', e),
        ])
        .sort(),
    );
    expect(manifest.outputs.map((o) => o.key)).toContain(`reports/${PERIOD}/r1/latvian-language.en.pdf`);
    expect(manifest.outputs.map((o) => o.key)).toContain(`reports/${PERIOD}/r1/programme.en.xlsx`);
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

  it('keeps the latvian-language 2025-Q3 PDF to 6 pages, each figure tracing to its cells through the XLSX and manifest', async () => {
    const manifest = (await latestManifest(deps, PERIOD))!;
    const model = await modelOf('latvian-language');
    const pdfBytes = (await deps.store.get(keys.projectReport(PERIOD, 1, 'latvian-language', 'pdf')))!.bytes;
    const pdf = await getDocumentProxy(new Uint8Array(pdfBytes));
    expect(pdf.numPages).toBeLessThanOrEqual(6);
    const text = (await pdfText(pdfBytes)).replace(/\s+/g, ' ');
    expect(text).toContain('lapā „Izcelsme”');
    expect(text).toContain('manifest.json');
    // The XLSX lineage sheet, row by row: figure, period, key, version, sheet, cell, value, uploaded, SHA-256.
    const wb = new ExcelJS.Workbook();
    const xlsx = (await deps.store.get(keys.projectReport(PERIOD, 1, 'latvian-language', 'xlsx')))!.bytes;
    await wb.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
    const cellsOf = new Map<string, Set<string>>();
    wb.getWorksheet('Izcelsme')!.eachRow((row, n) => {
      if (n === 1) return;
      const v = (i: number) => String(row.getCell(i).value ?? '');
      const id = [v(3), v(4), v(5)].join('|');
      const set = cellsOf.get(id) ?? new Set<string>();
      cellsOf.set(id, set);
      set.add(v(6));
    });
    const sources = new Map(manifest.sources.map((s) => [`${s.key}|${s.version}`, s.sha256]));
    const groups = summariseLineage(model.lineage).groups;
    expect(groups.length).toBeGreaterThan(10);
    for (const g of groups) {
      // Printed: the figure's upload (by file name) and its cell count.
      expect(text).toContain(g.source.key.slice(g.source.key.lastIndexOf('/') + 1));
      // The upload is a manifest source with the SHA-256 the appendix prints.
      expect(sources.get(`${g.source.key}|${g.source.version}`)).toBe(g.source.sha256);
      expect(text.replace(/ /g, '')).toContain(g.source.sha256);
      // The XLSX lists the cells the ranges cover, of that upload and sheet.
      const listed = cellsOf.get(`${g.source.key}|${g.source.version}|${g.sheet}`);
      expect(listed, `${g.figure} ${g.source.key}`).toBeDefined();
      for (const range of g.ranges)
        expect(listed!.has(range) || [...listed!].some((c) => c.startsWith(`${range.split(':')[0]}`))).toBe(true);
    }
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
    expect(again.files.map((f) => f.key)).toContain(keys.projectReport(PERIOD, 1, 'civic-orientation', 'pdf', 'en'));
    for (const f of again.files) expect(sha(f.bytes)).toBe(manifest.outputs.find((o) => o.key === f.key)?.sha256);
  });

  it("attaches each manager's own edition: English reports to an English reader, Latvian to a Latvian one", async () => {
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(files.map(async (f) => simpleParser(await readFile(join(outbox, f)))));
    const reports = mails.filter((m) => m.attachments.some((a) => a.filename?.endsWith('.pdf')));
    const english = reports.filter((m) => /progress report/i.test(m.subject ?? ''));
    const latvian = reports.filter((m) => /progresa pārskats/i.test(m.subject ?? ''));
    expect(english.length).toBeGreaterThan(0);
    expect(latvian.length).toBeGreaterThan(0);
    for (const [mails, lang] of [
      [english, 'en'],
      [latvian, 'lv'],
    ] as const) {
      for (const mail of mails) {
        const pdfs = mail.attachments.filter((a) => a.filename?.endsWith('.pdf'));
        const xlsxs = mail.attachments.filter((a) => a.filename?.endsWith('.xlsx'));
        expect(pdfs.length).toBeGreaterThan(0);
        for (const a of pdfs) {
          const text = await pdfText(a.content);
          if (a.filename?.startsWith('programme')) continue;
          expect(text).toContain(lang === 'en' ? 'Progress report' : 'Progresa pārskats');
          expect(text).not.toContain(lang === 'en' ? 'Progresa pārskats' : 'Progress report');
        }
        for (const a of xlsxs) {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(a.content as unknown as ArrayBuffer);
          const names = wb.worksheets.map((w) => w.name);
          if (a.filename?.startsWith('programme')) continue;
          const english = ['Summary', 'Indicators', 'Finance', 'Lineage'];
          const latvian = ['Kopsavilkums', 'Rādītāji', 'Finanses', 'Izcelsme'];
          expect(names).toEqual(expect.arrayContaining(lang === 'en' ? english : latvian));
          for (const name of lang === 'en' ? latvian : english) expect(names).not.toContain(name);
        }
        // Byte-equal to the archived edition of the recipient's language.
        const programmePdf = pdfs.find((a) => a.filename?.startsWith('programme'))!;
        const archived = (await deps.store.get(keys.programmeReport(PERIOD, 1, 'pdf', lang)))!.bytes;
        expect(sha(programmePdf.content)).toBe(sha(archived));
      }
    }
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

  it('runs the whole flow again without doing anything twice', { timeout: 300_000 }, async () => {
    const before = (await readdir(outbox)).length;
    const result = await runAll({ ...deps, clock: fixedClock(new Date('2025-10-20T04:00:00Z')) });
    expect(result.ingested.every((i) => i.status === 'skipped')).toBe(true);
    expect(result.generated.find((g) => g.period === PERIOD)?.status).toBe('unchanged');
    const sent = [...result.delivered, ...result.transmissionsDelivered].reduce((a, d) => a + d.sent, 0);
    expect((await readdir(outbox)).length).toBe(before + sent);
    // Only PERIOD was issued: the other due periods, never reported and more than the backfill bound, are held,
    // and with them the Art. 42 transmission of the latest due cut-off, which would count them (nothing written or
    // mailed); a further run holds the same. (transmission-backfill.test.ts: the transmission once it is not held.)
    expect(result.held.length).toBeGreaterThan(BACKFILL_LIMIT);
    expect(result.transmissionsHeld.map((t) => t.cutoff)).toEqual(['2025-06-30']);
    expect([result.transmitted, result.transmissionsDelivered]).toEqual([[], []]);
    expect(await deps.store.list('transmissions/')).toEqual([]);
    const again = await runAll({ ...deps, clock: fixedClock(new Date('2025-10-20T04:00:00Z')) });
    expect(again.transmissionsHeld).toEqual(result.transmissionsHeld);
    expect((await readdir(outbox)).length).toBe(before + sent);
  });
});
