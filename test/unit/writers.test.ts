/**
 * Workbooks written by different spreadsheet programs with the same content give the same normalised record.
 * openpyxl, LibreOffice and Gnumeric wrote their files once (test/fixtures/writers/make.sh, committed with them);
 * SheetJS — what many web exports use — writes its file here, from the `xlsx` devDependency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import type { NormalisedSubmission, Registry, SourceRef } from '../../functions/core/types';
import { parseRegistry } from '../../functions/intake/read-registry';
import { parseSubmission } from '../../functions/intake/read-submission';
import { readXlsx } from '../../functions/intake/read-xlsx';
import { buildSampleData } from '../../sample/sample-projects';
import { sampleRegistryBytes } from '../../sample/write-sample';

const dir = join(import.meta.dirname, '..', 'fixtures', 'writers');

interface Content {
  sheets: { name: string; rows: (string | number | { date: string })[][] }[];
}
const content = JSON.parse(readFileSync(join(dir, 'content.json'), 'utf8')) as Content;

/** The content as SheetJS writes it: dates as date cells with a date format, empty strings as empty cells. */
function sheetJsBytes(): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const sheet of content.sheets) {
    const rows = sheet.rows.map((row) =>
      row.map((v) => (typeof v === 'object' ? new Date(`${v.date}T00:00:00Z`) : v === '' ? null : v)),
    );
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), sheet.name);
  }
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer);
}

async function sampleRegistry(): Promise<Registry> {
  const read = readXlsx(await sampleRegistryBytes(buildSampleData().registry));
  if (!read.ok) throw new Error('sample registry unreadable');
  const { registry } = parseRegistry(read.workbook, {
    key: 'registry/r.xlsx',
    version: 'r',
    sha256: '0'.repeat(64),
    bytes: 1,
    uploadedAt: '2023-01-01T00:00:00Z',
  });
  if (!registry) throw new Error('sample registry refused');
  return registry;
}

const source: SourceRef = {
  key: 'inbox/civic-orientation/2025-Q3.xlsx',
  version: 'v',
  sha256: '0'.repeat(64),
  bytes: 1,
  uploadedAt: '2025-10-05T08:00:00.000Z',
};

function record(bytes: Uint8Array, registry: Registry): NormalisedSubmission {
  const read = readXlsx(bytes);
  if (!read.ok) throw new Error(`refused by the reader: ${read.problem.code}`);
  const result = parseSubmission(read.workbook, source, {
    registry,
    folder: 'civic-orientation',
    today: '2025-11-01',
  });
  const errors = result.issues.filter((i) => i.severity === 'error');
  expect(errors, JSON.stringify(errors)).toEqual([]);
  return result.submission!;
}

describe('the same workbook from four writers', () => {
  const files = {
    openpyxl: () => new Uint8Array(readFileSync(join(dir, 'openpyxl.xlsx'))),
    libreoffice: () => new Uint8Array(readFileSync(join(dir, 'libreoffice.xlsx'))),
    gnumeric: () => new Uint8Array(readFileSync(join(dir, 'gnumeric.xlsx'))),
    sheetjs: sheetJsBytes,
  };

  it('gives one normalised record, whichever program wrote it', async () => {
    const registry = await sampleRegistry();
    const records = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, record(bytes(), registry)]));
    const reference = records.openpyxl!;
    // The content as written: a count stored as 38.999999999999993 is the 39 Excel shows; amounts in cents.
    expect(reference.indicators.map((i) => [i.code, i.value])).toEqual([
      ['O.2.3.2', 5],
      ['R.2.9', 39],
    ]);
    expect(reference.expenditure.map((e) => e.amountCents)).toEqual([1_234_560, 2_053_345, 1, 123_456]);
    expect(reference.participantRows).toBe(5);
    for (const [name, r] of Object.entries(records)) {
      // Lineage keeps each cell's raw text as the file had it (39 or 38.99999999999999): everything else agrees.
      const strip = (s: NormalisedSubmission) => ({
        ...s,
        indicators: s.indicators.map((i) => ({ ...i, lineage: { ...i.lineage, raw: '' } })),
        expenditure: s.expenditure.map((e) => ({ ...e, lineage: { ...e.lineage, raw: '' } })),
      });
      expect(strip(r), name).toEqual(strip(reference));
    }
  });
});
