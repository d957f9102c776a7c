/** Build workbooks in tests the way other tools would: plain exceljs, our own template code not involved. */
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Registry, SourceRef } from '../../functions/core/types';
import { readXlsx, type WorkbookData } from '../../functions/intake/read-xlsx';

export type SheetRows = (string | number | boolean | Date | null | { formula: string; result?: unknown })[][];

export async function workbookBytes(
  sheets: Record<string, SheetRows>,
  options: { date1904?: boolean } = {},
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (options.date1904) wb.properties.date1904 = true;
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row as unknown[]);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export async function workbook(
  sheets: Record<string, SheetRows>,
  options: { date1904?: boolean } = {},
): Promise<WorkbookData> {
  const result = readXlsx(await workbookBytes(sheets, options));
  if (!result.ok) throw new Error(`test workbook unreadable: ${result.problem.code}`);
  return result.workbook;
}

export function source(key = 'inbox/lv-courses/2025-Q3.xlsx'): SourceRef {
  return { key, version: 'v1', sha256: '0'.repeat(64), bytes: 1, uploadedAt: '2025-10-05T08:00:00.000Z' };
}

/** A small registry for submission tests: one language-course project with targets and budget. */
export function testRegistry(): Registry {
  return {
    schemaVersion: 1,
    kind: 'registry',
    source: {
      key: 'registry/registry.xlsx',
      version: 'reg1',
      sha256: '1'.repeat(64),
      bytes: 1,
      uploadedAt: '2025-01-01T00:00:00.000Z',
    },
    projects: [
      {
        id: 'lv-courses',
        contractNo: 'PMIF/2.1./2023/1',
        title: 'Latviešu valodas kursi',
        beneficiary: 'Sabiedrības integrācijas fonds',
        fund: 'AMIF-2021-2027',
        specificObjective: 'SO2',
        start: '2023-07-01',
        end: '2026-06-30',
        eligibleCost: 4_600_000,
        euRatePercent: 75,
        coordinatorEmails: ['koordinators@example.lv'],
      },
    ],
    targets: [
      {
        projectId: 'lv-courses',
        indicatorCode: 'O.2.3.1',
        baseline: 0,
        milestone: 500,
        milestoneDate: '2024-12-31',
        target: 2000,
      },
      {
        projectId: 'lv-courses',
        indicatorCode: 'R.2.8',
        baseline: 0,
        milestone: null,
        milestoneDate: null,
        target: 1000,
      },
      {
        projectId: 'lv-courses',
        indicatorCode: 'R.2.9',
        baseline: 0,
        milestone: null,
        milestoneDate: null,
        target: 1200,
      },
    ],
    budget: [
      { projectId: 'lv-courses', category: 'Personāla izmaksas', planned: 3_000_000 },
      { projectId: 'lv-courses', category: 'Mācību materiāli', planned: 1_600_000 },
    ],
    recipients: [{ email: 'vaditajs@example.gov.lv', role: 'manager', projects: [], language: 'lv' }],
    indicators: [],
    settings: { deadlineDays: 15, reminderDays: 5 },
  };
}

/**
 * Rename a sheet in a built workbook's bytes, to names exceljs refuses to write (`History`) but Excel files carry.
 */
export function renameSheet(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const files = unzipSync(bytes);
  const workbookXml = strFromU8(files['xl/workbook.xml']!);
  if (!workbookXml.includes(`name="${from}"`)) throw new Error(`no sheet ${from} to rename`);
  files['xl/workbook.xml'] = strToU8(workbookXml.replace(`name="${from}"`, `name="${to}"`));
  return zipSync(files);
}
