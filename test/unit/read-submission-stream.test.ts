/**
 * `readSubmission` reads a submission in one pass (participant rows checked as the reader hands them over, big
 * parts inflated in pieces): its result must be exactly what `readXlsx` + `parseSubmission` give, for every kind of
 * workbook, including those where it falls back to keeping the sheet (project sheet after the participants, rows
 * out of order). Generated workbooks, compared whole.
 */
import { deflateRawSync, constants as zlibConstants } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseSubmission, readSubmission } from '../../functions/intake/read-submission';
import { readXlsx, readXlsxInPieces } from '../../functions/intake/read-xlsx';
import { mulberry32 as random } from '../../sample/sample-projects';
import { type SheetRows, source, testRegistry, workbookBytes } from '../helpers/workbooks';
import {
  concat,
  deflatedEntry,
  minimalWorkbookEntries,
  rawXlsx,
  worksheetXml,
  writeZip,
} from './helpers/xlsx-fixtures';

const ctx = { registry: testRegistry(), folder: 'lv-courses', today: '2025-11-01' };

const HEADER = [
  'Participant ID',
  'Activity',
  'Start date',
  'End date',
  'Level at start',
  'Level at end',
  'Helpful for integration',
  'Gender',
  'Age group',
];

/** One participant row, now and then wrong in one of the ways coordinators get it wrong. */
function participantRow(next: () => number, i: number): SheetRows[number] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const id = pick([`P-${i}`, `p-${i}`, `P-${i % 7}`, `P-${i}\u200b`, 'janis.berzins@example.lv', '', `P-${i}`]);
  const activity = pick(['language-course', 'language-course', 'consultation', 'flying', '']);
  const start = pick([new Date(Date.UTC(2025, 6, 1 + (i % 20))), new Date(Date.UTC(1999, 0, 5)), '31.02.2025', null]);
  const end = pick([new Date(Date.UTC(2025, 8, 1)), new Date(Date.UTC(2025, 5, 1)), new Date(Date.UTC(2031, 0, 1))]);
  const levels = [pick(['A1', 'A2', 'B1', 'Z9', '']), pick(['A2', 'B1', 'A1', ''])];
  return [
    id,
    activity,
    start,
    end,
    ...levels,
    pick(['Jā', 'no', '?']),
    pick(['female', 'vīrietis', 'x', '']),
    pick(['<18', '18+', '18-60', '99']),
  ];
}

function participantSheet(next: () => number, rows: number): SheetRows {
  const title: SheetRows = next() < 0.5 ? [] : [['Participants of the quarter'], []];
  // Now and then the header sits too far down to be found, or lacks a required column.
  const far: SheetRows = next() < 0.1 ? Array.from({ length: 31 }, () => ['note']) : [];
  const header = next() < 0.1 ? HEADER.filter((h) => h !== 'Activity') : HEADER;
  const body = Array.from({ length: rows }, (_, i) => (next() < 0.05 ? [] : participantRow(next, i)));
  return [...title, ...far, header, ...body];
}

async function generated(seed: number): Promise<Uint8Array> {
  const next = random(seed);
  const sheets: Record<string, SheetRows> = {
    Projekts: [
      ['Projekta ID', next() < 0.9 ? 'lv-courses' : 'nobody'],
      ['Periods', '2025-Q3'],
    ],
    Rādītāji: [
      ['Kods', 'Vērtība'],
      ['O.2.3.1', 3],
    ],
    Dalībnieki: participantSheet(next, Math.floor(next() * 60)),
    Izdevumi: [
      ['Izmaksu kategorija', 'Summa'],
      ['Personāla izmaksas', 100],
    ],
  };
  // A second sheet that would also be the participants' (the first one counts), and sheet orders other than the
  // template's: the project sheet after the participants makes the reader keep the sheet instead.
  if (next() < 0.2) sheets.Participants = participantSheet(next, 5);
  const names = Object.keys(sheets);
  if (next() < 0.3) names.reverse();
  return workbookBytes(Object.fromEntries(names.map((n) => [n, sheets[n]!])));
}

async function expectSameAsTwoSteps(bytes: Uint8Array, label: string): Promise<void> {
  const twoSteps = readXlsx(bytes);
  const expected = twoSteps.ok
    ? { ok: true, result: parseSubmission(twoSteps.workbook, source(), ctx) }
    : { ok: false, problem: twoSteps.problem };
  expect(await readSubmission(bytes, source(), ctx), label).toEqual(expected);
}

/** The participant sheet's rows, two of them swapped in the file (rows out of order, as no Excel writes them). */
function withRowsSwapped(bytes: Uint8Array, sheetPart: string): Uint8Array {
  const files = unzipSync(bytes);
  const xml = strFromU8(files[sheetPart]!);
  const rows = [...xml.matchAll(/<row [^>]*>.*?<\/row>/gs)].map((m) => m[0]);
  expect(rows.length).toBeGreaterThan(3);
  const swapped = xml.replace(rows[2]!, '\u0000').replace(rows[3]!, rows[2]!).replace('\u0000', rows[3]!);
  return zipSync({ ...files, [sheetPart]: strToU8(swapped) });
}

describe('reading a submission in one pass', () => {
  it('gives what reading and then validating give, for generated workbooks of every shape', async () => {
    for (let seed = 1; seed <= 40; seed++) await expectSameAsTwoSteps(await generated(seed), `seed ${seed}`);
  });

  it('gives the same for participant rows out of order, and for files that cannot be read', async () => {
    const bytes = await generated(7);
    await expectSameAsTwoSteps(withRowsSwapped(bytes, 'xl/worksheets/sheet3.xml'), 'rows swapped');
    await expectSameAsTwoSteps(bytes.subarray(0, bytes.length - 100), 'truncated');
    await expectSameAsTwoSteps(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), 'a PDF');
  });

  it('warns once per implausible date cell among many, without looking through every issue again', async () => {
    const rows: SheetRows = [HEADER];
    for (let i = 0; i < 3_000; i++) rows.push([`P-${i}`, 'language-course', new Date(Date.UTC(1999, 0, 5)), null]);
    const bytes = await workbookBytes({ Projekts: [['Projekta ID', 'lv-courses']], Dalībnieki: rows });
    const read = await readSubmission(bytes, source(), ctx);
    if (!read.ok) throw new Error(read.problem.code);
    const dates = read.result.issues.filter((i) => i.code === 'date-implausible');
    expect(dates).toHaveLength(3_000);
    expect(new Set(dates.map((i) => i.cell)).size).toBe(3_000);
    await expectSameAsTwoSteps(bytes, '3 000 implausible dates');
  });
});

describe('a big part inflated in pieces', () => {
  const MiB = 1024 * 1024;
  // Rows of a number and a 20 000-character text: 120 of them make a part of more than 2 MB.
  const text = 'x'.repeat(20_000);
  const rowsXml = (count: number) =>
    Array.from(
      { length: count },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>${text}</t></is></c></row>`,
    ).join('');

  it('reads alike in pieces and in one buffer, and refuses damaged parts with the same verdict', async () => {
    const sheet = deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(rowsXml(120)));
    expect(sheet.size).toBeGreaterThan(2 * MiB);
    const whole = writeZip([...minimalWorkbookEntries(), sheet]);
    const cut = writeZip([
      ...minimalWorkbookEntries(),
      { ...sheet, data: sheet.data.subarray(0, sheet.data.length - 10) },
    ]);
    const badCrc = writeZip([...minimalWorkbookEntries(), { ...sheet, crc: (sheet.crc + 1) >>> 0 }]);
    const garbage = writeZip([
      ...minimalWorkbookEntries(),
      { ...sheet, data: sheet.data.map((b, i) => (i > 4 ? b ^ 0x5a : b)) },
    ]);
    // The parser refuses the first row; the part itself is damaged further on, or lies about its size: the
    // part's own fault is the verdict, as when it is inflated whole before anything is parsed.
    const badRow = deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(`<row r="x"/>${rowsXml(120)}`));
    const badRowCut = writeZip([
      ...minimalWorkbookEntries(),
      { ...badRow, data: badRow.data.subarray(0, badRow.data.length - 10) },
    ]);
    const badRowCrc = writeZip([...minimalWorkbookEntries(), { ...badRow, crc: (badRow.crc + 1) >>> 0 }]);
    const badRowShort = writeZip([...minimalWorkbookEntries(), { ...badRow, size: badRow.size - 1000 }]);
    const badRowOneShort = writeZip([...minimalWorkbookEntries(), { ...badRow, size: badRow.size - 1 }]);
    const parts = { whole, cut, badCrc, garbage, badRowCut, badRowCrc, badRowShort, badRowOneShort };
    for (const [label, xlsx] of Object.entries(parts)) {
      const limits = { maxRatio: 1e9 };
      expect(await readXlsxInPieces(xlsx, limits), label).toEqual(readXlsx(xlsx, limits));
    }
    const read = await readXlsxInPieces(whole, { maxRatio: 1e9 });
    expect(read.ok && read.workbook.sheets[0]!.rows.at(-1)).toEqual({ row: 120, cells: [119, text] });
  });

  it('refuses a part that unpacks past its declared size as such, whatever its parser made of it', async () => {
    // NUL bytes: a parser handed any of them would refuse the XML first (xml-invalid); the size check must speak.
    const zeros = new Uint8Array(MiB);
    const piece = deflateRawSync(zeros, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const data = concat([...Array.from({ length: 3 }, () => piece), new Uint8Array([3, 0])]);
    for (const declared of [MiB + 1, 2 * MiB, 3 * MiB - 2]) {
      const lying = writeZip([
        ...minimalWorkbookEntries(),
        { name: 'xl/worksheets/sheet1.xml', data, method: 8, crc: 0, size: declared },
      ]);
      const inPieces = await readXlsxInPieces(lying, { maxRatio: 1e9 });
      expect(inPieces, `declared ${declared}`).toEqual(readXlsx(lying, { maxRatio: 1e9 }));
      expect(inPieces).toMatchObject({ ok: false, problem: { code: 'zip-corrupt' } });
      expect(!inPieces.ok && inPieces.problem.found).toContain(`more than its declared ${declared} bytes`);
    }
    // One byte more than declared: the one-buffer read hands it all to the parser, which refuses it first; so here.
    const oneOver = writeZip([
      ...minimalWorkbookEntries(),
      { name: 'xl/worksheets/sheet1.xml', data, method: 8, crc: 0, size: 3 * MiB - 1 },
    ]);
    expect(await readXlsxInPieces(oneOver, { maxRatio: 1e9 })).toEqual(readXlsx(oneOver, { maxRatio: 1e9 }));
    // Past the per-entry limit, the limit is what it says.
    const overLimit = writeZip([
      ...minimalWorkbookEntries(),
      { name: 'xl/worksheets/sheet1.xml', data, method: 8, crc: 0, size: 2 * MiB },
    ]);
    const limits = { maxRatio: 1e9, maxEntryBytes: 2 * MiB - 1 };
    expect(await readXlsxInPieces(overLimit, limits)).toEqual(readXlsx(overLimit, limits));
  });

  it('keeps a small part on the one-buffer path', async () => {
    const small = rawXlsx({ sheets: [{ name: 'Data', xml: worksheetXml(rowsXml(3)) }] });
    expect(await readXlsxInPieces(small)).toEqual(readXlsx(small));
  });
});
