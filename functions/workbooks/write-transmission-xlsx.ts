/**
 * The Art. 42 transmission workbook: CPR 2021/1060 Annex VII Table 7 (outputs) and Table 11 (results), with the
 * Annex's columns in the Annex's order, one sheet per table, rows per specific objective, and a note row that
 * states how values achieved were computed. Deterministic like the reports: the same model gives the same bytes.
 */
import ExcelJS, { type Cell, type Worksheet } from 'exceljs';
import { TRANSMISSION_NOTE, type TransmissionModel, type TransmissionRow } from '../core/transmission';
import type { Bilingual, Lang } from '../core/types';
import { packDeterministic } from './deterministic-zip';
import { safeCellText } from './safe-text';
import { shareCellStyles } from './share-styles';

const COUNT = '#,##0';
const HEADER_FILL = 'FFD9E1F2';

/** Annex VII's column titles (English verbatim) with the Latvian edition's. `[date]` is the cut-off. */
const COL = {
  so: { lv: 'Specifiskais mērķis', en: 'Specific objective' },
  id: { lv: 'ID', en: 'ID' },
  name: { lv: 'Rādītāja nosaukums', en: 'Indicator name' },
  breakdown: { lv: 'Rādītāja sadalījums (tostarp)', en: 'Indicator breakdown (of which)' },
  unit: { lv: 'Mērvienība', en: 'Measurement unit' },
  milestone: { lv: 'Starpposma vērtība (2024)', en: 'Milestone (2024)' },
  target: { lv: 'Mērķa vērtība (2029)', en: 'Target (2029)' },
  planned: { lv: 'Plānotās vērtības atlasītajās darbībās [date]', en: 'Planned values in selected operations [date]' },
  achieved: { lv: 'Sasniegtās vērtības [date]', en: 'Values achieved [date]' },
  comments: { lv: 'Komentāri', en: 'Comments' },
  unitBaseline: {
    lv: 'Mērvienība (rādītājiem un bāzes vērtībai)',
    en: 'Measurement unit (for indicators and baseline)',
  },
  baseline: { lv: 'Bāzes vērtība', en: 'Baseline' },
  target2029: { lv: 'Mērķa vērtība 2029', en: 'Target 2029' },
  unitTarget: { lv: 'Mērvienība (mērķim)', en: 'Measurement unit (for target)' },
} satisfies Record<string, Bilingual>;

const TABLES = {
  7: {
    sheet: { lv: '7. tabula', en: 'Table 7' },
    title: { lv: 'Iznākuma rādītāji', en: 'Output indicators' },
    columns: ['so', 'id', 'name', 'breakdown', 'unit', 'milestone', 'target', 'planned', 'achieved', 'comments'],
  },
  11: {
    sheet: { lv: '11. tabula', en: 'Table 11' },
    title: { lv: 'Rezultātu rādītāji', en: 'Result indicators' },
    columns: [
      'so',
      'id',
      'name',
      'breakdown',
      'unitBaseline',
      'baseline',
      'target2029',
      'unitTarget',
      'planned',
      'achieved',
      'comments',
    ],
  },
} as const;

type ColumnId = keyof typeof COL;

const WIDTH: Partial<Record<ColumnId, number>> = { name: 48, breakdown: 48, comments: 40, so: 11, id: 8 };

/** Points per line of 11-point text. */
const LINE_HEIGHT = 15;

/** Lines a wrapped text cell needs at a column width in characters (a generous estimate: never too few). */
function wrappedLines(cell: Cell, width: number): number {
  const text = typeof cell.value === 'string' ? cell.value : '';
  if (!text) return 1;
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let line = 0;
    lines += 1;
    for (const word of paragraph.split(' ')) {
      const add = line === 0 ? word.length : word.length + 1;
      if (line + add > width * 0.9 && line > 0) {
        lines += 1;
        line = word.length;
      } else line += add;
    }
  }
  return lines;
}

function text(cell: Cell, value: string | null): void {
  cell.value = value === null || value === '' ? null : safeCellText(value);
}

function count(cell: Cell, n: number | null): void {
  if (n === null) return;
  if (!Number.isFinite(n)) throw new RangeError(`${cell.worksheet.name}!${cell.address}: not a finite number`);
  cell.value = n;
  cell.numFmt = COUNT;
}

/** `2025-12-31` → `31/12/25`, as Annex VII's `[dd/mm/yy]`. */
function annexDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(2, 4)}`;
}

function put(cell: Cell, id: ColumnId, row: TransmissionRow, lang: Lang): void {
  const values: Record<ColumnId, () => void> = {
    so: () => text(cell, row.specificObjective),
    id: () => text(cell, row.id),
    name: () => text(cell, row.name[lang]),
    breakdown: () => text(cell, row.breakdown?.[lang] ?? null),
    unit: () => text(cell, row.unit[lang]),
    unitBaseline: () => text(cell, row.unit[lang]),
    unitTarget: () => text(cell, row.unit[lang]),
    milestone: () => count(cell, row.milestone2024),
    target: () => count(cell, row.target2029),
    target2029: () => count(cell, row.target2029),
    baseline: () => count(cell, row.baseline),
    planned: () => count(cell, row.planned),
    achieved: () => count(cell, row.achieved),
    comments: () => text(cell, row.comments?.[lang] ?? null),
  };
  values[id]();
}

function writeTable(ws: Worksheet, model: TransmissionModel, table: 7 | 11, lang: Lang): void {
  const spec = TABLES[table];
  const date = annexDate(model.cutoff);
  ws.getCell('A1').value = safeCellText(
    `${spec.sheet[lang]}: ${spec.title[lang]} · ${lang === 'lv' ? 'datums' : 'cut-off'} ${date} · r${model.revision}`,
  );
  ws.getCell('A1').font = { bold: true, size: 12 };
  const header = ws.getRow(2);
  spec.columns.forEach((id, i) => {
    const cell = header.getCell(i + 1);
    cell.value = COL[id][lang].replace('[date]', `[${date}]`);
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL }, bgColor: { argb: HEADER_FILL } };
    cell.alignment = { wrapText: true, vertical: 'middle' };
    ws.getColumn(i + 1).width = WIDTH[id] ?? 14;
  });
  const rows = model.rows.filter((r) => r.table === table);
  rows.forEach((row, r) => {
    const sheetRow = ws.getRow(r + 3);
    let lines = 1;
    spec.columns.forEach((id, i) => {
      const cell = sheetRow.getCell(i + 1);
      put(cell, id, row, lang);
      if (id === 'name' || id === 'breakdown' || id === 'comments') {
        cell.alignment = { wrapText: true, vertical: 'top' };
        lines = Math.max(lines, wrappedLines(cell, WIDTH[id] ?? 14));
      } else cell.alignment = { vertical: 'top' };
      if (row.kind === 'indicator') cell.font = { bold: true };
    });
    // LibreOffice does not grow a row to its wrapped text by itself: set the height, so no line is hidden.
    sheetRow.height = LINE_HEIGHT * lines + 3;
  });
  header.height = LINE_HEIGHT * 3 + 3;
  const last = rows.length + 2;
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: last, column: spec.columns.length } };
  const note = ws.getCell(`A${last + 2}`);
  note.value = safeCellText(TRANSMISSION_NOTE[lang]);
  note.font = { italic: true };
}

/** Render one edition (Latvian or English labels; figures are the same). */
export async function renderTransmissionXlsx(model: TransmissionModel, lang: Lang): Promise<Uint8Array> {
  const when = new Date(model.generatedAt);
  if (Number.isNaN(when.getTime())) throw new RangeError(`generatedAt is not an ISO timestamp: ${model.generatedAt}`);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'pmif-reports';
  workbook.lastModifiedBy = 'pmif-reports';
  workbook.created = when;
  workbook.modified = when;
  workbook.lastPrinted = when;
  workbook.title =
    lang === 'lv' ? `KNR 42. panta datu nosūtīšana ${model.cutoff}` : `CPR Art. 42 transmission ${model.cutoff}`;
  for (const table of [7, 11] as const) {
    const ws = workbook.addWorksheet(TABLES[table].sheet[lang], {
      views: [{ state: 'frozen', xSplit: 2, ySplit: 2, topLeftCell: 'C3', activeCell: 'C3' }],
      pageSetup: {
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '2:2',
      },
    });
    writeTable(ws, model, table, lang);
  }
  shareCellStyles(workbook);
  const buffer = await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } });
  return packDeterministic(new Uint8Array(buffer as ArrayBuffer));
}
