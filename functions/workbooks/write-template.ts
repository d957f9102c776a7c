/**
 * Blank workbook templates laid out from the workbook contracts (`REGISTRY_SHEETS`, `SUBMISSION_SHEETS`), and the
 * layout helpers the sample-data writer fills in, so templates, samples and readers share one list of names.
 */
import ExcelJS from 'exceljs';
import { standardIndicators } from '../core/catalogue';
import { columnLetter } from '../core/cells';
import { ACTIVITIES, type Bilingual, CEFR_LEVELS, type IndicatorDef } from '../core/types';
import {
  type ColumnKind,
  type ColumnSpec,
  REGISTRY_SHEETS,
  type SheetSpec,
  SUBMISSION_SHEETS,
  YES_NO_VALUES,
} from '../core/workbook-schema';
import { BulkCell, type BulkRows, renderBulkRows, spliceBulkRows } from './bulk-rows';
import { packStable } from './deterministic-zip';
import { DEFAULT_COLUMN_WIDTH, fitSheetLayout, LINE_POINTS, wrappedLines } from './fit-layout';
import { shareCellStyles } from './share-styles';
import { workbookEntries } from './workbook-entries';

/** Last row that carries drop-down lists. Bounded on purpose: whole-column validations make exceljs loads crawl. */
export const TEMPLATE_LAST_ROW = 2000;

/** Written into the document properties instead of "now", so the same template always has the same bytes. */
const FIXED_DOCUMENT_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

const INSTRUCTIONS_SHEET = 'Norādījumi';
/** Column widths of the instruction sheet (sheet, column, required, help LV, help EN): about one A4 page wide. */
const INSTRUCTION_WIDTHS = [16, 22, 12, 33, 33] as const;
const CATALOGUE_SHEET = 'Katalogs';
const LISTS_SHEET = 'Saraksti';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

/** exceljs writes range validations (`sqref="B2:B2000"`) but its typings leave `dataValidations` out. */
type WorksheetWithValidations = ExcelJS.Worksheet & {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
};

/** A value written into a data cell. Strings stay strings: nothing here ever builds a formula. */
export type CellInput = string | number | boolean | Date | null | undefined;

/** One spec sheet as written: the columns actually laid out, in order (omitted ones left out). */
export interface LaidOutSheet {
  spec: SheetSpec;
  worksheet: ExcelJS.Worksheet;
  columns: ColumnSpec[];
}

/** A workbook laid out from a contract; `sheets` is keyed by sheet spec id and holds only the sheets written. */
export interface LaidOutWorkbook {
  workbook: ExcelJS.Workbook;
  sheets: Map<string, LaidOutSheet>;
}

/** Options for laying a contract out; the omissions exist so sample files can plant structural mistakes. */
export interface LayoutOptions {
  /** Indicators listed on the `Katalogs` sheet and offered in the indicator-code drop-downs. */
  catalogue?: IndicatorDef[];
  /** Sheet spec ids to leave out. */
  omitSheets?: string[];
  /** Columns to leave out, by sheet spec id and column id. */
  omitColumns?: { sheet: string; column: string }[];
}

interface DropDown {
  /** The list range, e.g. `'Saraksti'!$A$2:$A$5`. */
  formula: string;
  /** `stop` refuses other values; `warning` lets the user keep one (codes the registry may add, free-text sex). */
  strict: boolean;
}

/**
 * Collects the lists a workbook's drop-downs need, then writes them onto one hidden sheet at the end. Cell ranges
 * rather than inline `"a,b,c"` lists, because Excel caps an inline list at 255 characters.
 */
class ListSheet {
  private readonly lists = new Map<string, { column: number; title: string; values: readonly string[] }>();

  range(key: string, title: string, values: readonly string[]): string {
    let list = this.lists.get(key);
    if (!list) {
      list = { column: this.lists.size + 1, title, values };
      this.lists.set(key, list);
    }
    const letter = columnLetter(list.column);
    return `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${list.values.length + 1}`;
  }

  /** Add the hidden sheet (after every visible one) if any list was asked for. */
  write(workbook: ExcelJS.Workbook): void {
    if (this.lists.size === 0) return;
    const ws = workbook.addWorksheet(LISTS_SHEET, { state: 'hidden' });
    for (const list of this.lists.values()) {
      const header = ws.getCell(1, list.column);
      header.value = list.title;
      header.font = { bold: true };
      list.values.forEach((value, i) => {
        ws.getCell(i + 2, list.column).value = value;
      });
      ws.getColumn(list.column).width = 24;
    }
  }
}

/** A new workbook with the fixed document properties every generated workbook carries. */
function createWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'pmif-reports';
  workbook.lastModifiedBy = 'pmif-reports';
  workbook.created = FIXED_DOCUMENT_DATE;
  workbook.modified = FIXED_DOCUMENT_DATE;
  return workbook;
}

/**
 * Serialise a workbook to byte-stable `.xlsx`: fixed document dates, then a deterministic re-pack, because
 * exceljs stamps the current time into the zip entries.
 */
export async function writeWorkbookBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  // The bytes re-packing exceljs's own zip gave, without writing that zip first.
  return packStable(await workbookPartsStable(wb));
}

/**
 * The parts {@link writeWorkbookBytes} zips (with `packStable`), for a caller that zips them elsewhere (`npm start`
 * zips the sample's on its worker threads, with Node's zlib: the same parts in other bytes).
 */
export async function workbookPartsStable(wb: ExcelJS.Workbook): Promise<[string, Uint8Array][]> {
  wb.created = FIXED_DOCUMENT_DATE;
  wb.modified = FIXED_DOCUMENT_DATE;
  shareCellStyles(wb);
  return workbookEntries(wb, (tables) => {
    const edits = new Map<number, (xml: string) => string>();
    wb.eachSheet((ws) => {
      const rows = tableRows.get(ws);
      if (!rows || rows.cells.length === 0) return;
      if (ws.actualRowCount > 1)
        throw new Error(`${ws.name}: rows below the header were written both as table rows and as cells`);
      const xml = renderBulkRows(rows, rows.widths, tables);
      edits.set(ws.id, (sheetXml) => spliceBulkRows(sheetXml, xml, rows.cells.length + 1, rows.widths.length));
    });
    return edits;
  });
}

const KIND_TEXT: Record<ColumnKind, Bilingual> = {
  text: { lv: 'Teksts.', en: 'Text.' },
  id: {
    lv: 'Projekta ID: mazie burti a–z, cipari un defises (piemēram, pmlp-reception).',
    en: 'Project ID: lower-case letters a–z, digits and hyphens (e.g. pmlp-reception).',
  },
  number: { lv: 'Skaitlis.', en: 'A number.' },
  integer: { lv: 'Vesels skaitlis.', en: 'A whole number.' },
  percent: { lv: 'Procenti no 0 līdz 100 (piemēram, 75).', en: 'Percent from 0 to 100 (e.g. 75).' },
  date: { lv: 'Datums (dd.mm.gggg).', en: 'A date (YYYY-MM-DD).' },
  'email-list': {
    lv: 'Viena vai vairākas e-pasta adreses, atdalītas ar semikolu.',
    en: 'One or more e-mail addresses separated by semicolons.',
  },
  enum: { lv: 'Vērtība no izvēlnes saraksta.', en: 'A value from the drop-down list.' },
  'yes-no': { lv: 'Jā vai Nē (der arī Yes/No).', en: 'Yes or No (Jā/Nē also accepted).' },
};

/** Help for columns whose meaning is easy to get wrong; the contract's own `help` text comes first. */
const EXTRA_HELP: Record<string, Bilingual> = {
  'registry:projects:euRate': {
    lv: 'ES daļa no attiecināmajām izmaksām; pārējo sedz valsts budžets.',
    en: 'The EU share of the eligible cost; the state budget covers the rest.',
  },
  'registry:targets:indicatorCode': {
    lv: 'Kods no lapas „Katalogs” vai programmas rādītājs no lapas „Rādītāji”.',
    en: 'A code from the Katalogs sheet, or a programme-specific indicator from the Rādītāji sheet.',
  },
  'registry:targets:target': {
    lv: 'Kumulatīvā vērtība projekta beigās.',
    en: 'The cumulative value at the end of the project.',
  },
  'registry:recipients:projects': {
    lv: 'Projektu ID, atdalīti ar semikolu; tukšs nozīmē visus projektus.',
    en: 'Project IDs separated by semicolons; empty means all projects.',
  },
  'registry:indicators:aggregation': {
    lv: 'sum: periodu summa; unique: unikālas personas; latest: pēdējā vērtība.',
    en: 'sum: sum of periods; unique: distinct persons; latest: most recent value.',
  },
  'registry:settings:deadlineDays': {
    lv: 'Dienas pēc ceturkšņa beigām; ja tukšs, 15.',
    en: 'Days after the quarter ends; 15 if empty.',
  },
  'registry:settings:reminderDays': {
    lv: 'Dienas pirms termiņa; ja tukšs, 5.',
    en: 'Days before the deadline; 5 if empty.',
  },
  'submission:indicators:code': {
    lv: 'Kods no lapas „Katalogs” vai programmas rādītājs (P.x), kam reģistrā ir mērķis.',
    en: 'A code from the Katalogs sheet, or a programme-specific code (P.x) with a target in the registry.',
  },
  'submission:indicators:name': { lv: 'Tikai informācijai.', en: 'Informative only.' },
  'submission:indicators:value': {
    lv: 'Tikai šī ceturkšņa vērtība, nevis kopš projekta sākuma. Dalībnieku rādītājus aprēķina no lapas „Dalībnieki”.',
    en: 'The value for this quarter only, not since the project start. Participant-based indicators are computed from the Dalībnieki sheet.',
  },
  'submission:participants:activity': {
    lv: 'Viena rinda katram dalībniekam katrā aktivitātē šajā ceturksnī.',
    en: 'One row per participant per activity in this quarter.',
  },
  'submission:participants:levelEnd': {
    lv: 'Aizpilda, kad kurss beidzies; nedrīkst būt zemāks par sākuma līmeni.',
    en: 'Filled in when the course has ended; must not be below the level at start.',
  },
  'submission:participants:helpful': {
    lv: 'Dalībnieka atbilde aptaujā pēc aktivitātes beigām.',
    en: "The participant's answer in the survey after the activity.",
  },
  'submission:participants:gender': {
    lv: 'sieviete, vīrietis vai cits; tukšs = nav zināms.',
    en: 'female, male or other; empty = not known.',
  },
  'submission:breakdown:code': {
    lv: 'Rādītājs, kura mērvienība ir personas un kura vērtība ievadīta lapā „Rādītāji” (bez dalībnieku rindām).',
    en: 'A person indicator whose value is typed on the Indicators sheet (no participant rows).',
  },
  'submission:breakdown:value': {
    lv: 'Viena rādītāja rindu summa = tā vērtība periodā.',
    en: 'The rows of one indicator add up to its value this period.',
  },
  'submission:expenditure:category': {
    lv: 'Izmaksu kategorija tieši tā, kā tā nosaukta projekta budžetā reģistrā.',
    en: 'The cost category exactly as in the project budget in the registry.',
  },
  'submission:expenditure:amount': {
    lv: 'Šajā ceturksnī radušies attiecināmie izdevumi, EUR.',
    en: 'Eligible expenditure incurred in this quarter, EUR.',
  },
};

const SHEET_HELP: Record<string, Bilingual> = {
  'registry:projects': {
    lv: 'Viena rinda katram projektam.',
    en: 'One row per project.',
  },
  'registry:targets': {
    lv: 'Viena rinda katram projekta rādītājam: bāzes, starpposma un mērķa vērtība.',
    en: 'One row per project indicator: baseline, milestone and target.',
  },
  'registry:budget': {
    lv: 'Projekta budžets pa izmaksu kategorijām; summai jāsakrīt ar attiecināmajām izmaksām.',
    en: 'The project budget by cost category; it should add up to the eligible cost.',
  },
  'registry:recipients': {
    lv: 'Kas saņem pārskatus: vadītāji un revidenti.',
    en: 'Who receives the reports: managers and auditors.',
  },
  'registry:indicators': {
    lv: 'Neobligāta: programmas specifiskie rādītāji, kuru nav kopējā katalogā.',
    en: 'Optional: programme-specific indicators missing from the common catalogue.',
  },
  'registry:settings': {
    lv: 'Neobligāta: divas kolonnas — nosaukums | vērtība.',
    en: 'Optional: two columns — label | value.',
  },
  'submission:project': {
    lv: 'Divas kolonnas — nosaukums | vērtība.',
    en: 'Two columns — label | value.',
  },
  'submission:indicators': {
    lv: 'Viena rinda katram rādītājam ar šī ceturkšņa vērtību.',
    en: "One row per indicator with this quarter's value.",
  },
  'submission:participants': {
    lv: 'Neobligāta. Tikai pseidonīmi: nekad vārdi, personas kodi vai e-pasti. Dalībnieku rādītāji tiek aprēķināti no šīm rindām, katru personu skaitot vienu reizi.',
    en: 'Optional. Pseudonyms only: never names, personal codes or e-mails. Participant-based indicators are computed from these rows, counting each person once.',
  },
  'submission:expenditure': {
    lv: 'Šī ceturkšņa izdevumi pa budžeta izmaksu kategorijām.',
    en: "This quarter's expenditure by budget cost category.",
  },
  'submission:progress': {
    lv: 'Neobligāta: īss apraksts par ceturksni.',
    en: 'Optional: a short account of the quarter.',
  },
};

const GENERAL_HELP: Record<'registry' | 'submission', Bilingual> = {
  registry: {
    lv: 'PMIF programmas reģistrs: projekti, mērķi, budžets un pārskatu saņēmēji. Lapas un kolonnas tiek atpazītas pēc nosaukuma (latviski vai angliski), tāpēc nepārdēvējiet tās. Spēkā ir jaunākais pieņemtais reģistrs.',
    en: 'The PMIF programme registry: projects, targets, budget and report recipients. Sheets and columns are found by name (Latvian or English), so do not rename them. The newest accepted registry is in force.',
  },
  submission: {
    lv: 'PMIF projekta ceturkšņa pārskats: viena datne — viens projekts un viens ceturksnis. Lapas un kolonnas tiek atpazītas pēc nosaukuma (latviski vai angliski), tāpēc nepārdēvējiet tās. Saglabājiet datni .xlsx formātā un augšupielādējiet, izmantojot personīgo saiti atgādinājuma e-pastā (vai projekta mapē inbox/<projekta ID>/).',
    en: 'The quarterly report of a PMIF project: one file is one project and one quarter. Sheets and columns are found by name (Latvian or English), so do not rename them. Save as .xlsx and upload it through the personal link in the reminder e-mail (or to the project folder inbox/<project ID>/).',
  },
};

function columnHelp(kind: 'registry' | 'submission', sheet: SheetSpec, column: ColumnSpec): Bilingual {
  const parts: Bilingual[] = [];
  if (column.help) parts.push(column.help);
  const extra = EXTRA_HELP[`${kind}:${sheet.id}:${column.id}`];
  if (extra) parts.push(extra);
  parts.push(KIND_TEXT[column.kind]);
  const values = allowedValues(sheet, column);
  if (values) {
    const list = values.join(', ');
    parts.push({ lv: `Atļautās vērtības: ${list}.`, en: `Allowed values: ${list}.` });
  }
  return { lv: parts.map((p) => p.lv).join(' '), en: parts.map((p) => p.en).join(' ') };
}

/** Fixed value lists by column; the schema leaves activity and level lists to the domain types. */
function allowedValues(sheet: SheetSpec, column: ColumnSpec): readonly string[] | null {
  if (column.values) return column.values;
  if (column.kind === 'yes-no') return YES_NO_VALUES;
  if (sheet.id === 'participants' && column.id === 'activity') return ACTIVITIES;
  if (sheet.id === 'participants' && (column.id === 'levelStart' || column.id === 'levelEnd')) return CEFR_LEVELS;
  return null;
}

function numberFormat(column: ColumnSpec): string | undefined {
  if (column.kind === 'date') return 'dd.mm.yyyy';
  if (column.kind === 'integer') return '0';
  if (column.id === 'eligibleCost' || column.id === 'planned' || column.id === 'amount') return '#,##0.00';
  return undefined;
}

function columnWidth(column: ColumnSpec): number {
  if (column.id === 'title' || column.id === 'name' || column.id === 'nameLv' || column.id === 'nameEn') return 48;
  if (column.id === 'achievements' || column.id === 'problems' || column.id === 'nextSteps') return 60;
  if (column.kind === 'email-list' || column.id === 'email' || column.id === 'comment') return 34;
  return Math.min(40, Math.max(14, column.name.lv.length + 4));
}

function addInstructionsSheet(workbook: ExcelJS.Workbook, kind: 'registry' | 'submission', sheets: SheetSpec[]): void {
  // Printed on A4 portrait, one page wide: the columns add up to about a page, and the long help wraps.
  const ws = workbook.addWorksheet(INSTRUCTIONS_SHEET, {
    pageSetup: {
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '5:5',
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
  });
  ws.columns = INSTRUCTION_WIDTHS.map((width) => ({ width }));
  const title = ws.getCell('A1');
  title.value = kind === 'registry' ? 'Norādījumi / Instructions — reģistrs' : 'Norādījumi / Instructions — pārskats';
  title.font = { bold: true, size: 14 };
  const general = GENERAL_HELP[kind];
  ws.getCell('A2').value = general.lv;
  ws.getCell('A3').value = general.en;
  const across = INSTRUCTION_WIDTHS.reduce((a, b) => a + b, 0);
  for (const [row, text] of [
    [2, general.lv],
    [3, general.en],
  ] as const) {
    ws.mergeCells(row, 1, row, 5);
    // A merged cell is never grown by an office suite: its height is stored for the lines it wraps to.
    ws.getRow(row).height = wrappedLines(text, across) * LINE_POINTS + 4;
    ws.getCell(row, 1).alignment = { wrapText: true, vertical: 'top' };
  }

  const header = ws.getRow(5);
  header.values = ['Lapa / Sheet', 'Kolonna / Column', 'Obligāta / Required', 'Apraksts', 'Description'];
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });

  const yesNo = (required: boolean): string => (required ? 'Jā / Yes' : 'Nē / No');
  let row = 6;
  for (const sheet of sheets) {
    const help = SHEET_HELP[`${kind}:${sheet.id}`] ?? { lv: '', en: '' };
    const sheetRow = ws.getRow(row++);
    sheetRow.values = [`${sheet.name.lv} / ${sheet.name.en}`, '', yesNo(sheet.required), help.lv, help.en];
    sheetRow.font = { bold: true };
    sheetRow.alignment = { wrapText: true, vertical: 'top' };
    for (const column of sheet.columns) {
      const text = columnHelp(kind, sheet, column);
      const columnRow = ws.getRow(row++);
      columnRow.values = ['', `${column.name.lv} / ${column.name.en}`, yesNo(column.required), text.lv, text.en];
      columnRow.alignment = { wrapText: true, vertical: 'top' };
    }
  }
  if (kind === 'submission') {
    row++;
    ws.getCell(row, 1).value = `${CATALOGUE_SHEET} / Catalogue`;
    ws.getCell(row, 1).font = { bold: true };
    ws.getCell(row, 4).value = 'Rādītāju kodi, nosaukumi un mērvienības (tikai informācijai).';
    ws.getCell(row, 5).value = 'Indicator codes, names and units (for reference).';
  }
  ws.views = [{ state: 'frozen', ySplit: 5, activeCell: 'A6' }];
}

function addCatalogueSheet(workbook: ExcelJS.Workbook, catalogue: IndicatorDef[]): void {
  const ws = workbook.addWorksheet(CATALOGUE_SHEET);
  ws.columns = [
    { header: 'Kods', width: 12 },
    { header: 'Nosaukums', width: 60 },
    { header: 'Name', width: 60 },
    { header: 'Mērvienība', width: 14 },
    { header: 'Unit', width: 14 },
    { header: 'Veids / Type', width: 14 },
    { header: 'Uzskaite / Aggregation', width: 22 },
    { header: 'No dalībniekiem / From participants', width: 22 },
  ];
  styleHeader(ws.getRow(1));
  for (const indicator of catalogue) {
    ws.addRow([
      indicator.code,
      indicator.name.lv,
      indicator.name.en,
      indicator.unit.lv,
      indicator.unit.en,
      indicator.type,
      indicator.aggregation,
      indicator.rule ? 'Jā / Yes' : 'Nē / No',
    ]);
  }
  ws.views = [{ state: 'frozen', ySplit: 1, activeCell: 'A2' }];
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'top', wrapText: true };
  });
}

function dropDownFor(
  kind: 'registry' | 'submission',
  sheet: SheetSpec,
  column: ColumnSpec,
  lists: ListSheet,
  codeRange: string | null,
): DropDown | null {
  const isCodeColumn =
    (kind === 'submission' && (sheet.id === 'indicators' || sheet.id === 'breakdown') && column.id === 'code') ||
    (kind === 'registry' && sheet.id === 'programmeTargets' && column.id === 'indicatorCode') ||
    (kind === 'registry' && sheet.id === 'targets' && column.id === 'indicatorCode');
  if (isCodeColumn) return codeRange ? { formula: codeRange, strict: false } : null;
  const values = allowedValues(sheet, column);
  if (!values) return null;
  return { formula: lists.range(values.join('\u0001'), `${column.name.lv} / ${column.name.en}`, values), strict: true };
}

function validation(dropDown: DropDown): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: true,
    formulae: [dropDown.formula],
    showErrorMessage: true,
    errorStyle: dropDown.strict ? 'stop' : 'warning',
    errorTitle: 'Nederīga vērtība / Invalid value',
    error: dropDown.strict
      ? 'Izvēlieties vērtību no saraksta. / Choose a value from the list.'
      : 'Šīs vērtības nav sarakstā; pārbaudiet to. / This value is not in the list; check it.',
  };
}

function addSpecSheet(
  workbook: ExcelJS.Workbook,
  kind: 'registry' | 'submission',
  sheet: SheetSpec,
  omitColumns: Set<string>,
  lists: ListSheet,
  codeRange: string | null,
): LaidOutSheet {
  const ws = workbook.addWorksheet(sheet.name.lv) as WorksheetWithValidations;
  const columns = sheet.columns.filter((column) => !omitColumns.has(`${sheet.id}:${column.id}`));

  if (sheet.layout === 'form') {
    ws.columns = [{ width: 34 }, { width: 44 }];
    columns.forEach((column, i) => {
      const label = ws.getCell(i + 1, 1);
      label.value = column.name.lv;
      label.note = column.name.en;
      label.font = { bold: true };
      label.fill = HEADER_FILL;
      const format = numberFormat(column);
      if (format) ws.getCell(i + 1, 2).numFmt = format;
      const dropDown = dropDownFor(kind, sheet, column, lists, codeRange);
      if (dropDown) ws.dataValidations.add(`B${i + 1}`, validation(dropDown));
    });
    return { spec: sheet, worksheet: ws, columns };
  }

  columns.forEach((column, i) => {
    const index = i + 1;
    const header = ws.getCell(1, index);
    header.value = column.name.lv;
    header.note = column.name.en;
    const wsColumn = ws.getColumn(index);
    wsColumn.width = columnWidth(column);
    const format = numberFormat(column);
    if (format) wsColumn.numFmt = format;
    const dropDown = dropDownFor(kind, sheet, column, lists, codeRange);
    if (dropDown) {
      const letter = columnLetter(index);
      ws.dataValidations.add(`${letter}2:${letter}${TEMPLATE_LAST_ROW}`, validation(dropDown));
    }
  });
  styleHeader(ws.getRow(1));
  ws.views = [{ state: 'frozen', ySplit: 1, activeCell: 'A2' }];
  return { spec: sheet, worksheet: ws, columns };
}

function layOut(kind: 'registry' | 'submission', sheets: SheetSpec[], options: LayoutOptions): LaidOutWorkbook {
  const workbook = createWorkbook();
  addInstructionsSheet(workbook, kind, sheets);
  const omitSheets = new Set(options.omitSheets ?? []);
  const omitColumns = new Set((options.omitColumns ?? []).map((o) => `${o.sheet}:${o.column}`));
  const lists = new ListSheet();
  // The catalogue sheet is added after the contract sheets, but its range is known up front.
  const catalogue = options.catalogue ?? [];
  const codeRange = catalogue.length > 0 ? `'${CATALOGUE_SHEET}'!$A$2:$A$${catalogue.length + 1}` : null;
  const laidOut = new Map<string, LaidOutSheet>();
  for (const sheet of sheets) {
    if (omitSheets.has(sheet.id)) continue;
    laidOut.set(sheet.id, addSpecSheet(workbook, kind, sheet, omitColumns, lists, codeRange));
  }
  if (catalogue.length > 0) addCatalogueSheet(workbook, catalogue);
  lists.write(workbook);
  return { workbook, sheets: laidOut };
}

/** Lay out a registry workbook (instructions, the registry sheets, catalogue for reference, hidden lists). */
export function layOutRegistryWorkbook(options: LayoutOptions = {}): LaidOutWorkbook {
  return layOut('registry', REGISTRY_SHEETS, options);
}

/** Lay out a submission workbook (instructions, the submission sheets, catalogue, hidden lists). */
export function layOutSubmissionWorkbook(options: LayoutOptions = {}): LaidOutWorkbook {
  return layOut('submission', SUBMISSION_SHEETS, options);
}

/** Empty strings stay empty cells, as a person filling the sheet would leave them. */
function hasValue(value: CellInput): value is string | number | boolean | Date {
  return value !== null && value !== undefined && value !== '';
}

/**
 * The data rows of table sheets, by worksheet: written as sheet XML when the workbook is ({@link
 * workbookPartsStable}), not as exceljs cells. The sample's 15 000 participant rows were 160 000 exceljs cells, each
 * an object with its own copy of the column's style, prepared and rendered one by one: most of the time `npm start`
 * spent writing its sample, while its render worker waited.
 */
const tableRows = new WeakMap<ExcelJS.Worksheet, BulkRows>();

/**
 * Write rows into a laid-out table sheet from row 2, each row keyed by column id. Keys of omitted columns are
 * dropped, so a sample with a missing column is the same data minus that column. A cell holds what an exceljs cell
 * written there would: the value and, when there is one, its column's number format (an empty value leaves no
 * cell). Written once per sheet, and with no other cells below the header.
 */
export function writeTableRows(sheet: LaidOutSheet, rows: Record<string, CellInput>[]): void {
  const ws = sheet.worksheet;
  if (tableRows.has(ws)) throw new Error(`${ws.name}: table rows are written once`);
  const formats = sheet.columns.map((_, c) => {
    const { numFmt, ...rest } = ws.getColumn(c + 1).style ?? {};
    // The layout gives columns a number format only; a cell would take any other part of the style too.
    if (Object.keys(rest).length > 0) throw new Error(`${ws.name}: a column style other than a number format`);
    return numFmt;
  });
  const cells = rows.map((values, r) =>
    sheet.columns.map((column, c) => {
      const cell = new BulkCell(ws, r + 2, c + 1);
      const value = values[column.id];
      if (hasValue(value)) {
        cell.value = value;
        if (formats[c]) cell.numFmt = formats[c];
      }
      return cell;
    }),
  );
  // The widths would size wrapped rows; these cells never wrap.
  tableRows.set(ws, { cells, widths: sheet.columns.map((_, c) => ws.getColumn(c + 1).width ?? DEFAULT_COLUMN_WIDTH) });
}

/** Write the values of a laid-out form sheet (label | value), keyed by column id. */
export function writeFormValues(sheet: LaidOutSheet, values: Record<string, CellInput>): void {
  sheet.columns.forEach((column, i) => {
    const value = values[column.id];
    if (hasValue(value)) sheet.worksheet.getCell(i + 1, 2).value = value;
  });
}

/**
 * The A1 address of a value in a laid-out sheet: for a table, `row` is the 0-based data row; for a form, the
 * field's value cell. Null when the column was not written.
 */
export function cellAddress(sheet: LaidOutSheet, columnId: string, row = 0): string | null {
  const index = sheet.columns.findIndex((column) => column.id === columnId);
  if (index < 0) return null;
  return sheet.spec.layout === 'form' ? `B${index + 1}` : `${columnLetter(index + 1)}${row + 2}`;
}

/**
 * The blank registry template. The catalogue (optional) fills the `Katalogs` sheet and the indicator-code
 * drop-down of `Mērķi`; the drop-down only warns, since the registry may define programme-specific codes.
 */
export async function buildRegistryTemplate(options: { catalogue?: IndicatorDef[] } = {}): Promise<Uint8Array> {
  const { workbook } = layOutRegistryWorkbook({ catalogue: options.catalogue ?? [] });
  workbook.eachSheet(fitSheetLayout);
  return writeWorkbookBytes(workbook);
}

/**
 * The blank submission template for one catalogue, optionally pre-filled with the project ID and period so a
 * coordinator can be sent a ready file.
 */
export async function buildSubmissionTemplate(options: {
  projectId?: string;
  period?: string;
  catalogue: IndicatorDef[];
}): Promise<Uint8Array> {
  const { workbook, sheets } = layOutSubmissionWorkbook({ catalogue: options.catalogue });
  const project = sheets.get('project');
  if (project) writeFormValues(project, { projectId: options.projectId, period: options.period });
  workbook.eachSheet(fitSheetLayout);
  return writeWorkbookBytes(workbook);
}

/** The committed copies under `templates/`, by file name: the registry and the AMIF 2021-2027 submission. */
export async function buildCommittedTemplates(): Promise<{ file: string; bytes: Uint8Array }[]> {
  // Registry managers may set targets on either period's indicators; coordinators of new projects use 2021-2027.
  const common = standardIndicators();
  return [
    {
      file: 'registry-template.xlsx',
      bytes: await buildRegistryTemplate({ catalogue: common }),
    },
    {
      file: 'submission-template.xlsx',
      bytes: await buildSubmissionTemplate({ catalogue: common.filter((def) => def.catalogue === 'AMIF-2021-2027') }),
    },
  ];
}
