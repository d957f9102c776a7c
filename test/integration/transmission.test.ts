/**
 * The Art. 42 transmission against an independent recomputation: participants across every bracket and gender
 * value, projects that ended, run on, start after the cut-off or belong to 2014-2020, submissions after the
 * cut-off. The expected figures are counted here from the rows the test wrote, not with the product's code.
 * The same breakdown is then read back from the project PDF text, the project XLSX and the transmission XLSX.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTransmission, listTransmissions, verifyTransmission } from '../../functions/app/archive/transmissions';
import { ingestObject } from '../../functions/app/ingest';
import { loadSubmissions } from '../../functions/app/registry-store';
import { produceTransmission, transmissionRevisions } from '../../functions/app/transmission';
import { localCode } from '../../functions/cli/local-deps';
import { buildProgram } from '../../functions/cli/program';
import { keys } from '../../functions/core/keys';
import { buildProjectReport } from '../../functions/core/report-model';
import { CutoffError, cutoffPeriod } from '../../functions/core/transmission';
import type { NormalisedSubmission, Project, Registry } from '../../functions/core/types';
import { renderProjectPdf } from '../../functions/pdf/render-project-pdf';
import { renderProjectXlsx } from '../../functions/workbooks/write-report-xlsx';
import { sampleRegistryBytes } from '../../sample/write-sample';
import annex from '../fixtures/verified-indicators.json' with { type: 'json' };
import { localDeps, recordingLogger, stage, type Upload } from '../helpers/small-programme';
import { type SheetRows, workbookBytes } from '../helpers/workbooks';

const CUTOFF = '2025-12-31';
const LEVELS = ['A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'];
/** As typed: every gender value, Latvian, English and the old letters; age brackets with the old 18+. */
const GENDERS_TYPED: [string, string][] = [
  ['sieviete', 'female'],
  ['vīrietis', 'male'],
  ['cits', 'other'],
  ['', 'not known'],
  ['female', 'female'],
  ['M', 'male'],
];
const AGES_TYPED: [string, string][] = [
  ['<18', '<18'],
  ['18-60', '18-60'],
  ['>60', '>60'],
  ['18+', '18+ not split'],
];

function project(id: string, start: string, end: string, fund: Project['fund'] = 'AMIF-2021-2027'): Project {
  return {
    id,
    contractNo: `K-${id}`,
    title: `Projekts ${id}`,
    beneficiary: 'Biedrība',
    fund,
    specificObjective: 'SO2',
    start,
    end,
    eligibleCost: 100_000,
    euRatePercent: 75,
    coordinatorEmails: [`${id}@example.lv`],
  };
}

const PROJECTS = [
  project('alpha', '2024-01-01', '2025-06-30'), // ended before the cut-off: its final value counts
  project('bravo', '2025-01-01', '2026-12-31'), // running; its 2026-Q1 upload is after the cut-off
  project('charlie', '2026-02-01', '2027-12-31'), // starts after the cut-off: not counted, but selected
  // Other rules: never in the transmission (its dates within AMIF 2014-2020's eligibility, which ends 2024-06-30).
  project('delta', '2024-01-01', '2024-06-30', 'AMIF-2014-2020'),
];

const registry: Registry = {
  schemaVersion: 1,
  kind: 'registry',
  source: {
    key: 'registry/r.xlsx',
    version: 'reg1',
    sha256: '1'.repeat(64),
    bytes: 1,
    uploadedAt: '2024-01-01T00:00:00Z',
  },
  projects: PROJECTS,
  targets: [
    ...['alpha', 'bravo', 'charlie'].flatMap((p, i) => [
      { projectId: p, indicatorCode: 'O.2.3.1', baseline: 0, milestone: null, milestoneDate: null, target: 100 + i },
      { projectId: p, indicatorCode: 'R.2.8', baseline: 0, milestone: null, milestoneDate: null, target: 40 + i },
      { projectId: p, indicatorCode: 'O.2.2', baseline: 0, milestone: null, milestoneDate: null, target: 3 },
    ]),
    { projectId: 'delta', indicatorCode: 'IV-b-ii', baseline: 0, milestone: null, milestoneDate: null, target: 500 },
  ],
  budget: [],
  recipients: [{ email: 'vaditajs@example.gov.lv', role: 'manager', projects: [], language: 'lv' }],
  indicators: [],
  programmeTargets: [
    { indicatorCode: 'O.2.3.1', baseline: null, milestone2024: 90, target2029: 400 },
    { indicatorCode: 'R.2.8', baseline: 0, milestone2024: null, target2029: 150 },
  ],
  settings: { deadlineDays: 15, reminderDays: 5 },
};

/** A small deterministic generator, so the data are varied but every run is the same. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

interface Person {
  id: string;
  gender: [string, string];
  age: [string, string];
}
interface Row {
  person: Person;
  activity: string;
  start: string;
  levelStart: string;
  levelEnd: string;
}

/** Per project and period: the participant rows written, and one typed O.2.2 value. */
const plan = new Map<string, { rows: Row[]; o22: number }>();
const PERIODS: Record<string, string[]> = {
  alpha: ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2'],
  bravo: ['2025-Q1', '2025-Q3', '2025-Q4', '2026-Q1'],
  delta: ['2024-Q1', '2024-Q2'],
};
const QUARTER_START: Record<string, string> = { Q1: '01-15', Q2: '04-15', Q3: '07-15', Q4: '10-15' };
{
  const random = rng(7);
  for (const [projectId, periods] of Object.entries(PERIODS)) {
    const people: Person[] = Array.from({ length: 30 }, (_, i) => ({
      id: `${projectId.slice(0, 2).toUpperCase()}-${String(i + 1).padStart(3, '0')}`,
      gender: GENDERS_TYPED[i % GENDERS_TYPED.length]!,
      age: AGES_TYPED[Math.floor(random() * AGES_TYPED.length)]!,
    }));
    for (const period of periods) {
      const rows: Row[] = [];
      for (const person of people) {
        if (random() < 0.45) continue;
        const activity = random() < 0.7 ? 'language-course' : 'civic-course';
        const from = Math.floor(random() * 4);
        const up = Math.floor(random() * 3);
        rows.push({
          person,
          activity,
          start: `${period.slice(0, 4)}-${QUARTER_START[period.slice(5)]}`,
          levelStart: LEVELS[from]!,
          levelEnd: LEVELS[from + up]!,
        });
      }
      plan.set(`${projectId} ${period}`, { rows, o22: 1 + Math.floor(random() * 3) });
    }
  }
}

/** The coordinator's workbook for one project and period, as another tool would write it. */
async function submissionBytes(projectId: string, period: string, o22Extra = 0): Promise<Uint8Array> {
  const { rows, o22 } = plan.get(`${projectId} ${period}`)!;
  const participants: SheetRows = [
    ['Dalībnieka ID', 'Aktivitāte', 'Sākuma datums', 'Sākuma līmenis', 'Beigu līmenis', 'Dzimums', 'Vecuma grupa'],
    ...rows.map((r) => [
      r.person.id,
      r.activity,
      r.start,
      r.levelStart,
      r.levelEnd,
      r.person.gender[0],
      r.person.age[0],
    ]),
  ];
  return workbookBytes({
    Projekts: [
      ['Projekta ID', projectId],
      ['Periods', period],
    ],
    Rādītāji: [
      ['Kods', 'Vērtība periodā'],
      [projectId === 'delta' ? 'IV-b-iii' : 'O.2.2', o22 + o22Extra],
    ],
    Dalībnieki: participants,
    Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
  });
}

const uploadTime = (period: string) =>
  `${period.slice(0, 4)}-${{ Q1: '04', Q2: '07', Q3: '10', Q4: '12' }[period.slice(5)]}-05T08:00:00.000Z`;

/** The expected cumulative figures at the cut-off, counted from the rows above. */
function expected() {
  const started = PROJECTS.filter((p) => p.fund === 'AMIF-2021-2027' && p.start <= CUTOFF).map((p) => p.id);
  const values = new Map<string, number>();
  const add = (code: string, n: number) => values.set(code, (values.get(code) ?? 0) + n);
  const genders = new Map<string, number>();
  const ages = new Map<string, number>();
  for (const projectId of started) {
    const lang = new Map<string, Person>();
    const improved = new Set<string>();
    const civic = new Set<string>();
    const any = new Set<string>();
    for (const period of PERIODS[projectId] ?? []) {
      if (period > cutoffPeriod(CUTOFF)) continue;
      const { rows, o22 } = plan.get(`${projectId} ${period}`)!;
      add('O.2.2', o22);
      for (const r of rows) {
        any.add(r.person.id);
        if (r.activity === 'civic-course') civic.add(r.person.id);
        if (r.activity !== 'language-course') continue;
        lang.set(r.person.id, r.person);
        if (LEVELS.indexOf(r.levelEnd) >= LEVELS.indexOf(r.levelStart) + 1) improved.add(r.person.id);
      }
    }
    add('O.2.3.1', lang.size);
    add('R.2.8', improved.size);
    add('O.2.3', any.size);
    add('O.2.3.2', civic.size);
    for (const person of lang.values()) {
      genders.set(person.gender[1], (genders.get(person.gender[1]) ?? 0) + 1);
      ages.set(person.age[1], (ages.get(person.age[1]) ?? 0) + 1);
    }
  }
  return { values, genders, ages };
}

let dir: string;
let deps: ReturnType<typeof localDeps>;
let records: NormalisedSubmission[];
let transmission: ExcelJS.Workbook;
const want = expected();

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

interface ExportRow {
  id: string;
  breakdown: string;
  planned: unknown;
  achieved: number;
}

/** The export's rows by the Annex columns, found by their header names. */
function exportRows(wb: ExcelJS.Workbook): ExportRow[] {
  const out: ExportRow[] = [];
  for (const ws of wb.worksheets) {
    const header = Array.from(ws.getRow(2).values as unknown[], (v) => String(v ?? ''));
    const col = (start: string) => header.findIndex((h) => h.startsWith(start));
    for (let r = 3; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const id = row.getCell(col('ID')).value;
      if (typeof id !== 'string') continue;
      out.push({
        id,
        breakdown: String(row.getCell(col('Indicator breakdown')).value ?? ''),
        planned: row.getCell(col('Planned values')).value,
        achieved: Number(row.getCell(col('Values achieved')).value),
      });
    }
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-transmission-'));
  const bucket = join(dir, 'bucket');
  // With the code to archive, as the command line and the Lambda have it: verify runs it.
  deps = {
    ...localDeps(bucket, join(dir, 'outbox'), new Date('2026-06-01T08:00:00Z'), recordingLogger([])),
    code: localCode,
  };
  const { programmeTargets, indicators, ...rest } = registry;
  const uploads: Upload[] = [
    {
      key: 'registry/registry.xlsx',
      uploadedAt: '2024-01-01T00:00:00.000Z',
      bytes: await sampleRegistryBytes({ ...rest, indicators: [], programmeTargets: programmeTargets ?? [] }),
    },
  ];
  void indicators;
  for (const [projectId, periods] of Object.entries(PERIODS))
    for (const period of periods)
      uploads.push({
        key: `inbox/${projectId}/${period}.xlsx`,
        uploadedAt: uploadTime(period),
        bytes: await submissionBytes(projectId, period),
      });
  await stage(bucket, uploads);
  for (const u of uploads) expect((await ingestObject(deps, u.key)).status, u.key).toBe('accepted');
  records = await loadSubmissions(deps.store);
  expect(records).toHaveLength(uploads.length - 1);
  const outcome = await produceTransmission(deps, { cutoff: CUTOFF });
  expect(outcome.status).toBe('generated');
  transmission = await load((await deps.store.get(keys.transmission(CUTOFF, 1, 'en')))!.bytes);
  // Same sources: no new revision.
  expect((await produceTransmission(deps, { cutoff: CUTOFF })).status).toBe('unchanged');
  expect(await transmissionRevisions(deps, CUTOFF)).toEqual({ complete: 1, planned: 1 });
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Art. 42 transmission', () => {
  it('lists every Annex VIII indicator once as its own or "of which" row, zeros included', () => {
    const rows = exportRows(transmission);
    const own = rows.filter(
      (r) => !r.breakdown || !/: |^(female|male|other gender|gender not known|age )/.test(r.breakdown),
    );
    expect(own).toHaveLength(annex.annexVIII.length);
    for (const a of annex.annexVIII) {
      const parent = a.breakdown_of ?? a.code_proposed;
      const hit = own.filter(
        (r) => r.id === parent && (a.breakdown_of ? r.breakdown === a.name_en : r.breakdown === ''),
      );
      expect(hit, a.code_proposed).toHaveLength(1);
    }
  });

  it('gives for each indicator the sum over projects started by the cut-off of their cumulative values', () => {
    const rows = exportRows(transmission);
    for (const a of annex.annexVIII) {
      const parent = a.breakdown_of ?? a.code_proposed;
      const row = rows.find(
        (r) => r.id === parent && (a.breakdown_of ? r.breakdown === a.name_en : r.breakdown === ''),
      )!;
      expect(row.achieved, a.code_proposed).toBe(want.values.get(a.code_proposed) ?? 0);
    }
    expect(want.values.get('O.2.3.1')).toBeGreaterThan(20);
  });

  it('sums the selected projects’ targets as planned values (a project not yet started included)', () => {
    const rows = exportRows(transmission);
    expect(
      rows.find((r) => r.id === 'O.2.3' && r.breakdown === 'the number of participants in a language course')?.planned,
    ).toBe(100 + 101 + 102);
    expect(rows.find((r) => r.id === 'R.2.8' && r.breakdown === '')?.planned).toBe(40 + 41 + 42);
  });

  it('breaks O.2.3.1 down by gender and by age; each set of rows adds up to the value achieved', () => {
    const rows = exportRows(transmission).filter((r) => r.id === 'O.2.3');
    const prefix = 'the number of participants in a language course: ';
    const total = rows.find((r) => r.breakdown === prefix.slice(0, -2))!.achieved;
    const byGender = (g: string) =>
      rows.find(
        (r) =>
          r.breakdown === `${prefix}${g === 'other' ? 'other gender' : g === 'not known' ? 'gender not known' : g}`,
      )!.achieved;
    const byAge = (a: string) => rows.find((r) => r.breakdown === `${prefix}age ${a}`)!.achieved;
    for (const g of ['female', 'male', 'other', 'not known']) expect(byGender(g), g).toBe(want.genders.get(g) ?? 0);
    for (const a of ['<18', '18-60', '>60', '18+ not split']) expect(byAge(a), a).toBe(want.ages.get(a) ?? 0);
    expect(byAge('not known')).toBe(0);
    expect(['female', 'male', 'other', 'not known'].reduce((n, g) => n + byGender(g), 0)).toBe(total);
    expect(['<18', '18-60', '>60', '18+ not split', 'not known'].reduce((n, a) => n + byAge(a), 0)).toBe(total);
    // Every bracket and gender value is present in the data, the old 18+ included.
    for (const g of ['female', 'male', 'other', 'not known']) expect(want.genders.get(g), g).toBeGreaterThan(0);
    for (const a of ['<18', '18-60', '>60', '18+ not split']) expect(want.ages.get(a), a).toBeGreaterThan(0);
  });

  it('refuses any cut-off but 30 June and 31 December', () => {
    for (const bad of ['2025-09-30', '2025-12-30', '2025-6-30', '31.12.2025', ''])
      expect(() => cutoffPeriod(bad), bad).toThrow(CutoffError);
  });
});

describe('the same breakdown in the project report', () => {
  const model = () =>
    buildProjectReport({
      registry,
      submissions: records,
      period: '2025-Q4',
      revision: 1,
      generatedAt: '2026-01-20T08:00:00Z',
      projectId: 'bravo',
    });

  it('adds up to the cumulative unique count in the XLSX cells, for O.2.3.1 and R.2.8', async () => {
    const m = model();
    const wb = await load(await renderProjectXlsx(m, 'en'));
    // The English edition names the sheet in English (the Latvian one: 'Dzimums un vecums').
    const ws = wb.getWorksheet('Gender and age')!;
    for (const code of ['O.2.3.1', 'R.2.8']) {
      const cumulative = m.indicators.find((i) => i.code === code)!.cumulative;
      let cells = 0;
      let totalRow = -1;
      ws.eachRow((row, n) => {
        if (n === 1 || row.getCell(1).value !== code) return;
        const values = [4, 5, 6, 7, 8].map((c) => Number(row.getCell(c).value));
        if (row.getCell(3).value === 'Total') totalRow = Number(row.getCell(9).value);
        else cells += values.reduce((a, b) => a + b, 0);
      });
      expect(cumulative, code).toBeGreaterThan(0);
      expect(cells, code).toBe(cumulative);
      expect(totalRow, code).toBe(cumulative);
    }
  });

  it('adds up to the cumulative unique count in the PDF text, for O.2.3.1 and R.2.8', async () => {
    const m = model();
    const pdf = await getDocumentProxy((await renderProjectPdf(m, 'en')).slice());
    const { text } = await extractText(pdf, { mergePages: true });
    const flat = text.replace(/[\s\u00a0\u202f]+/g, ' ');
    for (const code of ['O.2.3.1', 'R.2.8']) {
      const cumulative = m.indicators.find((i) => i.code === code)!.cumulative;
      const at = flat.indexOf(`${code} `, flat.indexOf('Gender and age bracket'));
      expect(at, code).toBeGreaterThan(0);
      const table = flat.slice(at, flat.indexOf('Total', flat.indexOf('Female', at)) + 80);
      const line = (label: string) => {
        const m2 = new RegExp(`${label} ((?:\\d[\\d ,]* ?){6})`).exec(table.slice(table.indexOf('Female') - 1));
        return (m2?.[1] ?? '').trim().split(' ').map(Number);
      };
      const rows = ['Female', 'Male', 'Other', 'Not known'].map(line);
      for (const r of rows) expect(r, `${code} ${JSON.stringify(rows)}`).toHaveLength(6);
      const cells = rows.reduce((n, r) => n + r.slice(0, 5).reduce((a, b) => a + b, 0), 0);
      expect(cells, code).toBe(cumulative);
      expect(
        rows.reduce((n, r) => n + r[5]!, 0),
        code,
      ).toBe(cumulative);
    }
  });
});

describe('the archived transmission', () => {
  it('is listed, handed over with hash-checked sources, and verified by re-rendering both editions', async () => {
    const listed = await listTransmissions(deps, { cutoff: CUTOFF });
    expect(listed.map((r) => [r.cutoff, r.revision, r.status, r.outputs.length])).toEqual([[CUTOFF, 1, 'complete', 2]]);
    const got = await getTransmission(deps, { cutoff: CUTOFF });
    expect(got.items.filter((i) => i.hashOk === false)).toEqual([]);
    expect(got.items.filter((i) => i.role === 'source').length).toBe(
      [...plan.keys()].filter((k) => !k.startsWith('delta') && !k.endsWith('2026-Q1')).length,
    );
    const report = await verifyTransmission(deps, CUTOFF);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect([report.status, report.code]).toEqual(['verified', (await localCode()).sha256]);
    expect(report.checks.filter((c) => c.subject === 'output').map((c) => c.findings)).toEqual([
      ['hash ok', 're-render identical'],
      ['hash ok', 're-render identical'],
    ]);
  });

  it('gets a new revision only when a figure changes, and verify names a tampered file', async () => {
    // The coordinator corrects 2025-Q4 in January: five more authorities supported.
    const corrected: Upload = {
      key: 'inbox/bravo/2025-Q4-labots.xlsx',
      uploadedAt: '2026-01-10T08:00:00.000Z',
      bytes: await submissionBytes('bravo', '2025-Q4', 5),
    };
    await stage(join(dir, 'bucket'), [corrected]);
    expect((await ingestObject(deps, corrected.key)).status).toBe('accepted');
    const outcome = await produceTransmission(deps, { cutoff: CUTOFF });
    expect(outcome).toMatchObject({ status: 'generated', revision: 2 });
    const r2 = exportRows(await load((await deps.store.get(keys.transmission(CUTOFF, 2, 'en')))!.bytes));
    expect(r2.find((r) => r.id === 'O.2.2' && r.breakdown === '')!.achieved).toBe(want.values.get('O.2.2')! + 5);
    // Tamper with r1's Latvian edition on disk: verify says which file.
    const path = join(dir, 'bucket', ...keys.transmission(CUTOFF, 1, 'lv').split('/'));
    await writeFile(path, new Uint8Array([1, 2, 3]));
    const report = await verifyTransmission(deps, CUTOFF, { revision: 1 });
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.key)).toEqual([keys.transmission(CUTOFF, 1, 'lv')]);
  });
});

describe('pmif-reports transmission', () => {
  const cli = async (...args: string[]) => {
    const errors: string[] = [];
    const program = buildProgram();
    program.exitOverride();
    for (const command of program.commands) {
      command.exitOverride();
      command.configureOutput({ writeErr: (t) => void errors.push(t), writeOut: () => undefined });
    }
    let failed = false;
    try {
      await program.parseAsync(['node', 'pmif-reports', ...args]);
    } catch {
      failed = true;
    }
    return { failed, errors: errors.join('') };
  };

  it('refuses a cut-off that is not 30 June or 31 December, saying which dates are', async () => {
    for (const bad of ['2025-09-30', '2025-12-30', '31.12.2025']) {
      const run = await cli('transmission', '--cutoff', bad, '--store', join(dir, 'bucket'));
      expect(run.failed, bad).toBe(true);
      expect(run.errors, bad).toContain('only YYYY-06-30 and YYYY-12-31');
    }
  });

  it('writes the edition asked for to --out', async () => {
    const out = join(dir, 'out.xlsx');
    const stdout = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await cli('transmission', '--cutoff', CUTOFF, '--store', join(dir, 'bucket'), '--out', out, '--lang', 'en');
    } finally {
      process.stdout.write = stdout;
      process.exitCode = 0;
    }
    const rows = exportRows(await load(new Uint8Array(await readFile(out))));
    expect(rows.length).toBe(exportRows(transmission).length);
  });
});
