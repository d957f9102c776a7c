/**
 * A {@link PlainWorkbook} as the parts exceljs 4.4 writes for the same workbook: the same XML, in the same order,
 * with strings and styles numbered in the order exceljs numbers them (every sheet's exceljs-style rows first, in
 * sheet, row and column order, then each sheet's bulk rows, as `workbook-entries.ts` adds them). The style table
 * is exceljs's own (`style-table.ts`), the shared strings are written as exceljs writes them; the parts that are
 * the same for every report (theme, package relationships, page setup) are written from
 * constant text. `test/unit/plain-workbook.test.ts` writes generated reports both ways and compares every part.
 */
import type { AutoFilter } from 'exceljs';
import theme1 from 'exceljs/lib/xlsx/xml/theme1.js';
import {
  type CellStyleIds,
  cellBody,
  cellStyleIds,
  columnLetter,
  effectiveType,
  VALUE_TYPE,
  valueType,
  writeBulkRows,
  XmlBytes,
  xmlEscape,
} from './bulk-rows';
import { type DeflatedEntry, deflateEntry, deflateSheet, packDeflated } from './deterministic-zip';
import { DEFAULT_COLUMN_WIDTH } from './fit-layout';
import type { PlainCell, PlainRow, PlainSheet, PlainWorkbook } from './plain-workbook';
import { StyleTable } from './style-table';
import type { WriteTables } from './workbook-entries';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
/** exceljs writes a column whose width is its own default (9) as no column at all. */
const EXCELJS_DEFAULT_WIDTH = 9;

/**
 * The workbook as deterministic XLSX bytes, zipped as `packEntries` zips exceljs's parts, except that a large sheet's
 * rows and the rest of it are deflated as two streams one after the other (`deflateSheet`): the same parts.
 */
export function writePlainWorkbook(workbook: PlainWorkbook): Uint8Array {
  return packDeflated(
    plainWorkbookParts(workbook).map(([name, part]) => {
      if (typeof part !== 'string') return [name, part];
      return [name, REPEATED_PARTS.has(name) ? deflatedRepeat(part) : deflateEntry(Buffer.from(part, 'utf8'))];
    }),
  );
}

/**
 * Parts that are the same text in most reports (the theme, relationships and content types, the style table of a
 * kind of report, the sheet list of an edition): each text is deflated once per process. The others hold the
 * report's own title, cells and strings.
 */
const REPEATED_PARTS = new Set([
  '[Content_Types].xml',
  '_rels/.rels',
  'xl/_rels/workbook.xml.rels',
  'xl/theme/theme1.xml',
  'xl/styles.xml',
  'docProps/app.xml',
  'xl/workbook.xml',
]);
const repeatedDeflated = new Map<string, DeflatedEntry>();

function deflatedRepeat(xml: string): DeflatedEntry {
  let entry = repeatedDeflated.get(xml);
  if (entry === undefined) {
    entry = deflateEntry(Buffer.from(xml, 'utf8'));
    // Bounded for long-lived workers; a few dozen texts repeat in practice.
    if (repeatedDeflated.size >= 256) repeatedDeflated.clear();
    repeatedDeflated.set(xml, entry);
  }
  return entry;
}

/**
 * One buffer the sheets are written into, one at a time, each deflated before the next is written: a large sheet is
 * hundreds of kilobytes, and writing it as bytes into a buffer kept for the process leaves no string or buffer of
 * that size behind for the collector.
 */
const sheetBytes = new XmlBytes();

/**
 * The parts of the workbook, named and ordered as exceljs's writer names and orders them: XML text, or for a sheet
 * its XML already deflated (see {@link writeSheet}).
 */
export function plainWorkbookParts(workbook: PlainWorkbook): [string, string | DeflatedEntry][] {
  const strings = new SharedStrings();
  const styles = new StyleTable();
  const tables: WriteTables = {
    sharedString: (text) => strings.add(text),
    styleId: (style, type, key) => styles.styleId(style, type, key),
  };
  // exceljs numbers its own cells' strings and styles sheet by sheet, then each sheet's conditional formats; the
  // bulk rows come after every sheet's.
  // Cells of one style are mostly the same objects (a header row's, a column's): their id is found by identity.
  const styleIds = cellStyleIds(tables);
  const sheetParts = workbook.sheets.map((sheet) => prepareSheet(sheet, tables, styles, styleIds));
  const sheets = workbook.sheets.map((sheet, i) => {
    sheetBytes.reset();
    const rowsEnd = writeSheet(sheet, sheetParts[i]!, tables, styleIds, sheetBytes);
    return deflateSheet(sheetBytes.bytes, rowsEnd);
  });
  const hasStrings = strings.count > 0;
  const parts: [string, string | DeflatedEntry][] = [
    ['[Content_Types].xml', contentTypesXml(workbook, hasStrings)],
    ['_rels/.rels', PACKAGE_RELS],
    ['xl/_rels/workbook.xml.rels', workbookRelsXml(workbook, hasStrings)],
  ];
  workbook.sheets.forEach((sheet, i) => {
    parts.push([`xl/worksheets/sheet${sheet.id}.xml`, sheets[i]!]);
  });
  if (hasStrings) parts.push(['xl/sharedStrings.xml', strings.xml]);
  parts.push(
    ['xl/theme/theme1.xml', theme1],
    ['xl/styles.xml', styles.xml],
    ['docProps/app.xml', appXml(workbook)],
    ['docProps/core.xml', coreXml(workbook)],
    ['xl/workbook.xml', workbookXml(workbook, hasStrings)],
  );
  return parts;
}

/** The shared-string table as exceljs's `SharedStringsXform` keeps and writes it (plain text only). */
class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly values: string[] = [];
  /** Every use, as exceljs counts them. */
  count = 0;

  add(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(text, i);
      this.values.push(text);
    }
    this.count++;
    return i;
  }

  get xml(): string {
    const items = this.values.map(sharedStringItem);
    return `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${this.count}" uniqueCount="${this.values.length}">${items.join('')}</sst>`;
  }
}

/**
 * A shared string's `<si>` element, remembered per process: reports repeat their labels, statuses, codes and keys.
 * Bounded for long-lived workers.
 */
function sharedStringItem(text: string): string {
  let item = sharedStringItems.get(text);
  if (item === undefined) {
    // exceljs's TextXform keeps leading and trailing white space and line breaks with xml:space.
    const space = /^\s|\n|\s$/.test(text) ? ' xml:space="preserve"' : '';
    item = `<si><t${space}>${xmlEscape(text)}</t></si>`;
    // Long texts (narratives, notes) are seldom repeated; kept, thousands of them would hold a lot of memory.
    if (text.length > 256) return item;
    if (sharedStringItems.size >= 20_000) sharedStringItems.clear();
    sharedStringItems.set(text, item);
  }
  return item;
}

const sharedStringItems = new Map<string, string>();

/** What a sheet's exceljs-style rows and conditional formats became once their strings and styles were numbered. */
interface PreparedSheet {
  rows: string[];
  conditionalFormats: string;
}

function prepareSheet(
  sheet: PlainSheet,
  tables: WriteTables,
  styles: StyleTable,
  styleIds: CellStyleIds,
): PreparedSheet {
  const rows: string[] = [];
  for (const row of sheet.rows) if (row) rows[row.number] = rowXml(row, tables, styleIds);
  const conditionalFormats = sheet.conditionalFormats
    .map((format) => {
      const rules = format.rules.map((rule) => {
        const dxfId = styles.dxfId(rule.style);
        const formula = rule.formulae[0] === undefined ? '' : `<formula>${xmlEscape(rule.formulae[0])}</formula>`;
        return `<cfRule type="expression" dxfId="${dxfId}" priority="${rule.priority}">${formula}</cfRule>`;
      });
      return `<conditionalFormatting sqref="${xmlEscape(format.ref)}">${rules.join('')}</conditionalFormatting>`;
    })
    .join('');
  return { rows, conditionalFormats };
}

/** A row as exceljs writes it: every asked-for cell counts for its span; an empty cell is written when styled. */
function rowXml(row: PlainRow, tables: WriteTables, styleIds: CellStyleIds): string {
  let min = 0;
  let max = 0;
  const cells: string[] = [];
  row.cells.forEach((cell: PlainCell | undefined, i) => {
    if (cell === undefined) return;
    const col = i + 1;
    if (!min) min = col;
    max = col;
    const type = valueType(cell);
    const s = styleIds(cell, effectiveType(cell, type));
    if (type === VALUE_TYPE.null && !s) return;
    cells.push(`<c r="${columnLetter(col)}${row.number}"${s ? ` s="${s}"` : ''}${cellBody(cell, type, tables)}`);
  });
  if (!row.height && cells.length === 0 && min === 0) return '';
  const ht = row.height ? ` ht="${row.height}" customHeight="1"` : '';
  const spans = min > 0 ? ` spans="${min}:${max}"` : '';
  const open = `<row r="${row.number}"${ht}${spans} x14ac:dyDescent="0.25"`;
  return cells.length === 0 ? `${open}/>` : `${open}>${cells.join('')}</row>`;
}

const WORKSHEET_OPEN =
  `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}" ` +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" ' +
  'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">';
const SHEET_FORMAT =
  '<sheetFormatPr defaultRowHeight="15" outlineLevelRow="0" outlineLevelCol="0" x14ac:dyDescent="55"/>';

/**
 * A sheet's XML, written into `out`: up to the table's data rows, the data rows (`writeBulkRows`), the rest.
 * @returns where the rows end (after `</sheetData>`): what comes after (the filter, conditional formats, page
 * setup, header and footer) differs between a report's editions more often than the rows do (`deflateSheet`).
 */
function writeSheet(
  sheet: PlainSheet,
  prepared: PreparedSheet,
  tables: WriteTables,
  styleIds: CellStyleIds,
  out: XmlBytes,
): number {
  const { options } = sheet;
  const bulk = sheet.bulkRows;
  const rows = prepared.rows;
  const filter = sheet.autoFilter;
  const margins = options.pageSetup.margins;
  const setup = options.pageSetup;
  out.text(
    XML_HEAD +
      WORKSHEET_OPEN +
      (setup.fitToPage ? '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' : '') +
      `<dimension ref="${dimension(sheet)}"/>` +
      sheetViewXml(options.views[0]) +
      SHEET_FORMAT +
      colsXml(sheet.columnWidths) +
      `<sheetData>${rows.slice(0, 2).join('')}`,
  );
  if (bulk) {
    // Heights at the final widths: rows after the table (totals, facts) may have widened a column.
    const widths = bulk.widths.map((_, i) => sheet.columnWidths[i] ?? DEFAULT_COLUMN_WIDTH);
    writeBulkRows(bulk, widths, tables, out, styleIds);
  }
  out.text(`${rows.slice(2).join('')}</sheetData>`);
  const rowsEnd = out.length;
  out.text(
    (filter ? `<autoFilter ref="${xmlEscape(filterRef(filter))}"/>` : '') +
      prepared.conditionalFormats +
      `<pageMargins left="${margins.left}" right="${margins.right}" top="${margins.top}" bottom="${margins.bottom}" header="${margins.header}" footer="${margins.footer}"/>` +
      `<pageSetup paperSize="${setup.paperSize}" orientation="${setup.orientation}" horizontalDpi="4294967295" verticalDpi="4294967295" scale="100" fitToWidth="${setup.fitToWidth}" fitToHeight="${setup.fitToHeight}"/>` +
      headerFooterXml(options.headerFooter) +
      '</worksheet>',
  );
  return rowsEnd;
}

/** An autofilter's range, as exceljs writes each form of it. */
function filterRef(filter: AutoFilter): string {
  if (typeof filter === 'string') return filter;
  const address = (at: string | { row: number; column: number }) =>
    typeof at === 'string' ? at : `${columnLetter(at.column)}${at.row}`;
  return `${address(filter.from)}:${address(filter.to)}`;
}

/** The cells holding values, and the bulk table, from A1 (as `spliceBulkRows` widened exceljs's dimension). */
function dimension(sheet: PlainSheet): string {
  let right = 1;
  let bottom = 1;
  for (const row of sheet.rows) {
    if (!row?.hasValues) continue;
    bottom = Math.max(bottom, row.number);
    row.eachCell({ includeEmpty: false }, (_, col) => {
      right = Math.max(right, col);
    });
  }
  if (sheet.bulkRows) {
    right = Math.max(right, sheet.bulkRows.widths.length);
    bottom = Math.max(bottom, sheet.bulkRows.cells.length + 1);
  }
  return `A1:${columnLetter(right)}${bottom}`;
}

function sheetViewXml(view: PlainSheet['options']['views'][0]): string {
  const { xSplit, ySplit, topLeftCell, activeCell } = view;
  const pane = (xSplit && ySplit && 'bottomRight') || (xSplit && 'topRight') || 'bottomLeft';
  const splits = `${xSplit ? ` xSplit="${xSplit}"` : ''}${ySplit ? ` ySplit="${ySplit}"` : ''}`;
  return (
    '<sheetViews><sheetView workbookViewId="0">' +
    `<pane${splits} topLeftCell="${topLeftCell}" activePane="${pane}" state="frozen"/>` +
    `<selection pane="${pane}" activeCell="${activeCell}" sqref="${activeCell}"/>` +
    '</sheetView></sheetViews>'
  );
}

/** Columns as exceljs condenses them: neighbours of equal width share one `<col>`; unsized ones are left out. */
function colsXml(widths: readonly (number | undefined)[]): string {
  const cols: { min: number; max: number; width: number }[] = [];
  let open: { min: number; max: number; width: number } | null = null;
  widths.forEach((width, i) => {
    if (width === undefined || width === EXCELJS_DEFAULT_WIDTH) open = null;
    else if (open !== null && open.width === width) open.max = i + 1;
    else {
      open = { min: i + 1, max: i + 1, width };
      cols.push(open);
    }
  });
  if (cols.length === 0) return '';
  const xml = cols.map(
    (c) => `<col min="${c.min}" max="${c.max}"${c.width ? ` width="${c.width}"` : ''} customWidth="1"/>`,
  );
  return `<cols>${xml.join('')}</cols>`;
}

function headerFooterXml(hf: PlainSheet['options']['headerFooter']): string {
  const parts = [
    hf.oddHeader ? `<oddHeader>${xmlEscape(hf.oddHeader)}</oddHeader>` : '',
    hf.oddFooter ? `<oddFooter>${xmlEscape(hf.oddFooter)}</oddFooter>` : '',
  ].join('');
  return parts ? `<headerFooter>${parts}</headerFooter>` : '';
}

const CT = 'application/vnd.openxmlformats-officedocument';

function contentTypesXml(workbook: PlainWorkbook, hasStrings: boolean): string {
  const override = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    override('/xl/workbook.xml', `${CT}.spreadsheetml.sheet.main+xml`) +
    workbook.sheets
      .map((s) => override(`/xl/worksheets/sheet${s.id}.xml`, `${CT}.spreadsheetml.worksheet+xml`))
      .join('') +
    override('/xl/theme/theme1.xml', `${CT}.theme+xml`) +
    override('/xl/styles.xml', `${CT}.spreadsheetml.styles+xml`) +
    (hasStrings ? override('/xl/sharedStrings.xml', `${CT}.spreadsheetml.sharedStrings+xml`) : '') +
    `<Default Extension="vml" ContentType="${CT}.vmlDrawing"/>` +
    override('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml') +
    override('/docProps/app.xml', `${CT}.extended-properties+xml`) +
    '</Types>'
  );
}

const relationship = (id: string, type: string, target: string) =>
  `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`;

const PACKAGE_RELS =
  `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS_NS}">` +
  relationship('rId1', `${REL_NS}/officeDocument`, 'xl/workbook.xml') +
  relationship(
    'rId2',
    'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
    'docProps/core.xml',
  ) +
  relationship('rId3', `${REL_NS}/extended-properties`, 'docProps/app.xml') +
  '</Relationships>';

/** Styles, theme, shared strings (when any), then the sheets, as exceljs numbers them. */
function sheetRelId(index: number, hasStrings: boolean): string {
  return `rId${index + (hasStrings ? 4 : 3)}`;
}

function workbookRelsXml(workbook: PlainWorkbook, hasStrings: boolean): string {
  return (
    `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS_NS}">` +
    relationship('rId1', `${REL_NS}/styles`, 'styles.xml') +
    relationship('rId2', `${REL_NS}/theme`, 'theme/theme1.xml') +
    (hasStrings ? relationship('rId3', `${REL_NS}/sharedStrings`, 'sharedStrings.xml') : '') +
    workbook.sheets
      .map((s, i) => relationship(sheetRelId(i, hasStrings), `${REL_NS}/worksheet`, `worksheets/sheet${s.id}.xml`))
      .join('') +
    '</Relationships>'
  );
}

function workbookXml(workbook: PlainWorkbook, hasStrings: boolean): string {
  const sheets = workbook.sheets.map(
    (s, i) =>
      `<sheet sheetId="${s.id}" name="${xmlEscape(s.name)}" state="visible" r:id="${sheetRelId(i, hasStrings)}"/>`,
  );
  const titles = workbook.sheets.flatMap((s, i) => {
    const rows = s.options.pageSetup.printTitlesRow?.split(':');
    if (!rows) return [];
    const range = `'${s.name}'!$${rows[0]}:$${rows[1]}`;
    return [`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xmlEscape(range)}</definedName>`];
  });
  return (
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}" ` +
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15" ' +
    'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main">' +
    '<fileVersion appName="xl" lastEdited="5" lowestEdited="5" rupBuild="9303"/>' +
    '<workbookPr defaultThemeVersion="164011" filterPrivacy="1"/>' +
    `<sheets>${sheets.join('')}</sheets>` +
    (titles.length > 0 ? `<definedNames>${titles.join('')}</definedNames>` : '') +
    '<calcPr calcId="171027"/></workbook>'
  );
}

function appXml(workbook: PlainWorkbook): string {
  const n = workbook.sheets.length;
  const names = workbook.sheets.map((s) => `<vt:lpstr>${xmlEscape(s.name)}</vt:lpstr>`).join('');
  return (
    `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    '<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>' +
    '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>' +
    `<vt:variant><vt:i4>${n}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="${n}" baseType="lpstr">${names}</vt:vector></TitlesOfParts>` +
    '<Company></Company><Manager></Manager><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>' +
    '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>'
  );
}

/** exceljs's core-property dates: ISO 8601 without milliseconds. */
const coreDate = (date: Date) => date.toISOString().replace(/[.]\d{3}/, '');

function coreXml(workbook: PlainWorkbook): string {
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${xmlEscape(workbook.creator)}</dc:creator><dc:title>${xmlEscape(workbook.title)}</dc:title>` +
    '<dc:subject></dc:subject><dc:description></dc:description><cp:keywords></cp:keywords><cp:category></cp:category>' +
    `<cp:lastModifiedBy>${xmlEscape(workbook.lastModifiedBy)}</cp:lastModifiedBy>` +
    `<cp:lastPrinted>${coreDate(workbook.lastPrinted)}</cp:lastPrinted>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${coreDate(workbook.created)}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${coreDate(workbook.modified)}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}
