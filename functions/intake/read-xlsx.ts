/**
 * The one reading path for every uploaded .xlsx: a lean, bounded reader. The guard (`zip-guard.ts`) checks the
 * file before anything is parsed; then only the parts we need are inflated, as a stream, and parsed with a SAX
 * parser fed in chunks. Nothing is allocated by what the file declares (dimensions, whole-sheet ranges): data
 * validations, conditional formats and the like are simply not read, and every count is capped.
 */

import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';
import { cellRef, columnLetter } from '../core/cells';
import { DATE_1904_OFFSET, DAY_MS, MAX_DATE_SERIAL, serialToIsoDate, UNIX_EPOCH_SERIAL } from './excel-dates';
import {
  type CellValue,
  DEFAULT_LIMITS,
  READ_PROBLEM_MESSAGES,
  type ReadLimits,
  type ReadProblem,
  type ReadProblemCode,
  type ReadResult,
  type SheetData,
  type SheetRow,
  type WorkbookData,
} from './workbook-data';
import {
  findEntry,
  inflateEntry,
  inflateEntryInPieces,
  openZip,
  ReadFailureError,
  type ZipArchive,
  type ZipEntry,
} from './zip-guard';

/**
 * Read an uploaded workbook. Every way the file can be wrong or too big comes back as a {@link ReadProblem};
 * only a fault in this code throws.
 */
export function readXlsx(bytes: Uint8Array, limits: Partial<ReadLimits> = {}, options: ReadOptions = {}): ReadResult {
  try {
    return { ok: true, workbook: readWorkbook(bytes, { ...DEFAULT_LIMITS, ...limits }, options) };
  } catch (error) {
    return { ok: false, problem: readProblem(error) };
  }
}

/**
 * `readXlsx` for a caller that can wait, with the same result: a big sheet is inflated in 64 KB pieces on Node's
 * thread pool as it is parsed (`inflateEntryInPieces`) instead of into one buffer the size of the sheet.
 */
export async function readXlsxInPieces(
  bytes: Uint8Array,
  limits: Partial<ReadLimits> = {},
  options: ReadOptions = {},
): Promise<ReadResult> {
  try {
    return { ok: true, workbook: await readWorkbookInPieces(bytes, { ...DEFAULT_LIMITS, ...limits }, options) };
  } catch (error) {
    return { ok: false, problem: readProblem(error) };
  }
}

/** A refusal as the value the reader gives back; anything but a {@link ReadFailureError} is a fault, thrown on. */
function readProblem(error: unknown): ReadProblem {
  if (!(error instanceof ReadFailureError)) throw error;
  const { found, sheet, cell } = error.detail;
  const problem: ReadProblem = { code: error.code, message: READ_PROBLEM_MESSAGES[error.code] };
  if (found !== undefined) problem.found = found;
  if (sheet !== undefined) problem.sheet = sheet;
  if (cell !== undefined) problem.cell = cell;
  return problem;
}

/**
 * The names of the workbook's worksheets, in order, as `readXlsx` would return its sheets, without reading any
 * sheet: null when the file cannot be read that far (`readXlsx` then says why).
 */
export function worksheetNames(bytes: Uint8Array, limits: Partial<ReadLimits> = {}): string[] | null {
  try {
    const archive = openZip(bytes, { ...DEFAULT_LIMITS, ...limits });
    checkContentTypes(archive);
    const { sheets } = readWorkbookPart(archive);
    const rels = readRelationships(archive, 'xl/_rels/workbook.xml.rels');
    return sheets.filter((s) => rels.get(s.relId)?.type.endsWith(REL_WORKSHEET)).map((s) => s.name);
  } catch (error) {
    if (error instanceof ReadFailureError) return null;
    throw error;
  }
}

export type {
  CellValue,
  ReadLimits,
  ReadProblem,
  ReadProblemCode,
  ReadResult,
  SheetData,
  SheetRow,
  WorkbookData,
} from './workbook-data';
export { cellRef, columnLetter, DEFAULT_LIMITS, READ_PROBLEM_MESSAGES };

/**
 * Called as each worksheet starts, with the worksheets read before it: a function that takes the sheet's rows, as
 * each one ends, instead of the reader keeping them (the sheet then comes back with no rows, its merges as usual).
 * A consumer that validates rows as they come never needs a 100 000-row sheet in memory at once.
 */
export type RowStream = (sheet: SheetInfo, before: readonly SheetData[]) => ((row: SheetRow) => void) | undefined;

export interface ReadOptions {
  streamRows?: RowStream;
}

/**
 * A streamed sheet whose rows are not in ascending order (never written by Excel; possible from other writers): a
 * consumer that took them one by one could not have seen them sorted. The caller reads the file again without
 * streaming, which sorts them (or refuses a repeated row) as always. Not a problem with the file, so no
 * {@link ReadFailureError}: it passes through `readXlsx` to the caller.
 */
export class RowsOutOfOrderError extends Error {
  constructor(readonly sheet: string) {
    super(`rows of ${sheet} are not in ascending order`);
    this.name = 'RowsOutOfOrderError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Workbook structure

const REL_WORKSHEET = '/worksheet';
const REL_SHARED_STRINGS = '/sharedStrings';
const REL_STYLES = '/styles';
/** Content types that mean macros: VBA projects, Excel 4 macro sheets, macro-enabled and binary workbooks. */
const MACRO_CONTENT_TYPE = /macroenabled|vbaproject|macrosheet|sheet\.binary/i;

export interface SheetInfo {
  name: string;
  state: SheetData['state'];
  relId: string;
}

interface Relationship {
  type: string;
  target: string;
}

/** What every sheet of one workbook is read with, and the cell count they share. */
interface ReadContext {
  archive: ZipArchive;
  limits: ReadLimits;
  date1904: boolean;
  sharedStrings: string[];
  dateStyles: boolean[];
  /** Whole-day date cells by serial: dates repeat a lot, and sharing them keeps big sheets small. */
  dates: Map<number, CellValue>;
  cells: number;
}

function readWorkbook(bytes: Uint8Array, limits: ReadLimits, options: ReadOptions): WorkbookData {
  const { context, worksheets } = openWorkbook(bytes, limits);
  const result: SheetData[] = [];
  for (const { sheet, entry } of worksheets) {
    const reader = readSheet(context, sheet, options.streamRows?.(sheet, result));
    parseXmlPart(context.archive, entry, reader.handlers, sheet.name);
    result.push(reader.done());
  }
  if (result.length === 0) throw new ReadFailureError('no-sheets');
  return { date1904: context.date1904, sheets: result };
}

/** `readWorkbook` for a caller that can wait: big sheets are inflated in pieces (`parseXmlPartInPieces`). */
async function readWorkbookInPieces(bytes: Uint8Array, limits: ReadLimits, options: ReadOptions) {
  const { context, worksheets } = openWorkbook(bytes, limits);
  const result: SheetData[] = [];
  for (const { sheet, entry } of worksheets) {
    const reader = readSheet(context, sheet, options.streamRows?.(sheet, result));
    await parseXmlPartInPieces(context.archive, entry, reader.handlers, sheet.name);
    result.push(reader.done());
  }
  if (result.length === 0) throw new ReadFailureError('no-sheets');
  return { date1904: context.date1904, sheets: result };
}

/**
 * The guard, the workbook's structure, shared strings and styles; then its worksheets one at a time, each checked
 * only as its turn comes (so problems are found in the order they always were).
 */
function openWorkbook(
  bytes: Uint8Array,
  limits: ReadLimits,
): { context: ReadContext; worksheets: Iterable<{ sheet: SheetInfo; entry: ZipEntry }> } {
  const archive = openZip(bytes, limits);
  checkContentTypes(archive);
  const { date1904, sheets } = readWorkbookPart(archive);
  const rels = readRelationships(archive, 'xl/_rels/workbook.xml.rels');
  const partOfType = (suffix: string, fallback: string) => {
    for (const rel of rels.values()) if (rel.type.endsWith(suffix)) return resolvePartName('xl/', rel.target);
    return fallback;
  };
  const context: ReadContext = {
    archive,
    limits,
    date1904,
    sharedStrings: readSharedStrings(archive, partOfType(REL_SHARED_STRINGS, 'xl/sharedStrings.xml')),
    dateStyles: readDateStyles(archive, partOfType(REL_STYLES, 'xl/styles.xml')),
    dates: new Map(),
    cells: 0,
  };
  return { context, worksheets: worksheetEntries(archive, rels, sheets) };
}

function* worksheetEntries(
  archive: ZipArchive,
  rels: Map<string, Relationship>,
  sheets: SheetInfo[],
): Generator<{ sheet: SheetInfo; entry: ZipEntry }> {
  const partsRead = new Set<ZipEntry>();
  for (const sheet of sheets) {
    const rel = rels.get(sheet.relId);
    // Chartsheets, dialog sheets and macro sheets have other relationship types; they hold no cell data for us.
    if (!rel?.type.endsWith(REL_WORKSHEET)) continue;
    const part = resolvePartName('xl/', rel.target);
    const entry = findEntry(archive, part);
    if (!entry) throw new ReadFailureError('zip-corrupt', { found: `missing part ${part}`, sheet: sheet.name });
    // Every sheet has a part of its own. Sheets sharing one would have it parsed again for each of them: a small
    // file listing thousands of sheets over one part took the reader a minute.
    if (partsRead.has(entry))
      throw new ReadFailureError('xml-invalid', { found: `sheets sharing ${part}`, sheet: sheet.name });
    partsRead.add(entry);
    yield { sheet, entry };
  }
}

/** A number as the file format writes one: decimal, optional sign, fraction and exponent. */
const DECIMAL_NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * The usual number in a `<v>`: digits with at most one point and an optional sign (`45123`, `-12.5`, `.5`), which
 * {@link DECIMAL_NUMBER} also accepts, told by a scan of its characters. Anything else (exponents, spaces, text)
 * is left to the regular expression: this only spares it the common case, a few hundred thousand cells a sheet.
 */
function isPlainDecimal(s: string): boolean {
  let i = 0;
  const first = s.charCodeAt(0);
  if (first === 0x2b || first === 0x2d) i = 1; // + or -
  let digits = 0;
  let point = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2e && !point) point = true;
    else return false;
  }
  return digits > 0;
}

/** A formula kept beside its value only to recognise totals: `SUM(B2:B40)` needs a few characters. */
const MAX_KEPT_FORMULA = 200;

/**
 * Macro-enabled and binary workbooks are refused even when renamed to .xlsx: their content types give them away.
 * What counts is the type of each part that exists. A declaration no part uses is harmless: SheetJS (behind many
 * web exports) declares a default type for `.bin` files in every workbook it writes, macros or not.
 */
function checkContentTypes(archive: ZipArchive): void {
  const entry = findEntry(archive, '[Content_Types].xml');
  if (!entry) return;
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  parseXmlPart(archive, entry, {
    open(tag) {
      const type = tag.attributes.ContentType ?? '';
      if (tag.name === 'Default') defaults.set((tag.attributes.Extension ?? '').toLowerCase(), type);
      else if (tag.name === 'Override') {
        overrides.set((tag.attributes.PartName ?? '').replace(/^\//, '').toLowerCase(), type);
      }
    },
  });
  for (const name of archive.entries.keys()) {
    const part = name.toLowerCase();
    const dot = part.lastIndexOf('.');
    const type = overrides.get(part) ?? (dot >= 0 ? defaults.get(part.slice(dot + 1)) : undefined) ?? '';
    if (MACRO_CONTENT_TYPE.test(type)) throw new ReadFailureError('macros', { found: type });
  }
  // The workbook part's own type says what the file is, even when the part is declared but missing.
  const workbookType = overrides.get('xl/workbook.xml') ?? '';
  if (MACRO_CONTENT_TYPE.test(workbookType)) throw new ReadFailureError('macros', { found: workbookType });
}

export function readWorkbookPart(archive: ZipArchive): { date1904: boolean; sheets: SheetInfo[] } {
  const entry = findEntry(archive, 'xl/workbook.xml');
  if (!entry) throw new ReadFailureError('not-xlsx-other', { found: 'zip' });
  let date1904 = false;
  const sheets: SheetInfo[] = [];
  parseXmlPart(archive, entry, {
    open(tag) {
      const name = tag.name;
      if (name === 'workbookPr') {
        const value = tag.attributes.date1904;
        date1904 = value === '1' || value === 'true';
      } else if (name === 'sheet') {
        // Each sheet is a part of the zip, so there cannot be more sheets than entries.
        if (sheets.length >= archive.limits.maxEntries) {
          throw new ReadFailureError('zip-too-many-entries', {
            found: `more than ${archive.limits.maxEntries} sheets`,
          });
        }
        const state = tag.attributes.state;
        sheets.push({
          name: tag.attributes.name ?? '',
          state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
          relId: relationshipId(tag),
        });
      }
    },
  });
  // Excel never writes two sheets of one name (compared case-insensitively); a file that has them leaves it open
  // which one the coordinator meant (a hidden twin with other figures), so it is refused rather than guessed.
  const seen = new Set<string>();
  for (const sheet of sheets) {
    const folded = sheet.name.toLowerCase();
    if (seen.has(folded))
      throw new ReadFailureError('xml-invalid', { found: `two sheets named "${sheet.name.slice(0, 40)}"` });
    seen.add(folded);
  }
  return { date1904, sheets };
}

/** The `r:id` attribute, whatever prefix the writer bound the relationships namespace to. */
function relationshipId(tag: XmlTag): string {
  for (const key in tag.attributes) {
    if (key.endsWith(':id')) return tag.attributes[key]!;
  }
  return tag.attributes.id ?? '';
}

export function readRelationships(archive: ZipArchive, part: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const entry = findEntry(archive, part);
  if (!entry) return rels;
  parseXmlPart(archive, entry, {
    open(tag) {
      if (tag.name !== 'Relationship' || tag.attributes.TargetMode === 'External') return;
      const { Id, Type, Target } = tag.attributes;
      if (Id !== undefined && Type !== undefined && Target !== undefined) rels.set(Id, { type: Type, target: Target });
    },
  });
  return rels;
}

/** A relationship target as a zip entry name: relative to `base` (`worksheets/sheet1.xml`) or absolute (`/xl/…`). */
export function resolvePartName(base: string, target: string): string {
  let path = target.replaceAll('\\', '/');
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not percent-encoded after all; use it as written.
  }
  const segments = path.startsWith('/') ? [] : base.split('/').filter((s) => s !== '');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

// ---------------------------------------------------------------------------------------------------------------
// Shared strings and styles

function readSharedStrings(archive: ZipArchive, part: string): string[] {
  const strings: string[] = [];
  const entry = findEntry(archive, part);
  if (!entry) return strings;
  let inItem = false;
  let inPhonetic = false;
  let capturing = false;
  let item = '';
  let text = '';
  parseXmlPart(archive, entry, {
    open(tag) {
      switch (tag.name) {
        case 'si':
          inItem = true;
          item = '';
          break;
        case 't':
          if (inItem && !inPhonetic) {
            capturing = true;
            text = '';
          }
          break;
        case 'rPh':
          inPhonetic = true;
          break;
      }
    },
    close(tag) {
      switch (tag.name) {
        case 't':
          if (capturing) item += text;
          capturing = false;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'si':
          strings.push(detach(decodeEscapes(item)));
          inItem = false;
          break;
      }
    },
    text(chunk) {
      if (capturing) text += chunk;
    },
  });
  return strings;
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, including the East Asian ones). */
function isBuiltInDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/**
 * Whether a custom format code shows a date or time: a d, m, y, h or s outside quoted text, `[…]` sections
 * (colours, locales, elapsed time), backslash escapes and the `_x` / `*x` padding and fill characters.
 */
function isDateFormatCode(code: string): boolean {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i) | 0x20; // lower-case ASCII letters; harmless for the punctuation tested below
    const raw = code[i];
    if (raw === '"') {
      const end = code.indexOf('"', i + 1);
      if (end < 0) return false;
      i = end;
    } else if (raw === '[') {
      const end = code.indexOf(']', i + 1);
      if (end < 0) return false;
      i = end;
    } else if (raw === '\\' || raw === '_' || raw === '*') {
      i++;
    } else if (c === 0x64 || c === 0x6d || c === 0x79 || c === 0x68 || c === 0x73) {
      return true;
    }
  }
  return false;
}

/** For each cell format (`cellXfs` index, a cell's `s`), whether its number format is a date format. */
function readDateStyles(archive: ZipArchive, part: string): boolean[] {
  const dateStyles: boolean[] = [];
  const entry = findEntry(archive, part);
  if (!entry) return dateStyles;
  const customFormats = new Map<number, boolean>();
  let inNumFmts = false;
  let inCellXfs = false;
  parseXmlPart(archive, entry, {
    open(tag) {
      switch (tag.name) {
        case 'numFmts':
          inNumFmts = true;
          break;
        case 'cellXfs':
          inCellXfs = true;
          break;
        case 'numFmt':
          // Only the workbook's own list; differential formats (`dxf`) carry numFmts for conditional formatting.
          if (inNumFmts) {
            customFormats.set(Number(tag.attributes.numFmtId), isDateFormatCode(tag.attributes.formatCode ?? ''));
          }
          break;
        case 'xf':
          if (inCellXfs) {
            const id = Number(tag.attributes.numFmtId ?? 0);
            dateStyles.push(customFormats.get(id) ?? isBuiltInDateFormat(id));
          }
          break;
      }
    },
    close(tag) {
      const name = tag.name;
      if (name === 'numFmts') inNumFmts = false;
      else if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return dateStyles;
}

// ---------------------------------------------------------------------------------------------------------------
// Worksheets

/** Excel's largest column (XFD); larger references are clamped here so the arithmetic stays small. */
const EXCEL_MAX_COLUMN = 16_384;

/** What the text events currently feed: nothing, a `<v>`, an `<f>`, or a `<t>` of an inline string. */
const CAPTURE_NONE = 0;
const CAPTURE_VALUE = 1;
const CAPTURE_FORMULA = 2;
const CAPTURE_INLINE = 3;

/**
 * The reader of one worksheet: the SAX handlers to parse its part with, and `done` for the sheet once parsed (the
 * caller drives the parse, at once or in pieces). Only `sheetData` cells and `mergeCells` are looked at. Cells that hold no value (styled
 * blanks) are skipped without allocating anything, so they count against the cell limit only; the row, column and
 * text-length limits apply to cells that hold a value.
 *
 * Longer than the other functions on purpose: its SAX handlers are the hot loop (one call per element of a sheet
 * that may have millions) and share the row, cell and capture state in this one closure scope. A version with the
 * per-cell helpers lifted to module level over a shared cell-state object read the bench's 100 000-row workbook no
 * faster, and slower in most runs (median 10.7 s against 8.0 s, 15 runs each, alternating, on a loaded machine), so
 * they stay here.
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the hot loop, measured (see above)
function readSheet(
  context: ReadContext,
  sheet: SheetInfo,
  stream?: (row: SheetRow) => void,
): { handlers: XmlHandlers; done: () => SheetData } {
  const { limits, sharedStrings, dateStyles, dates } = context;
  const dateOffset = context.date1904 ? DATE_1904_OFFSET : 0;
  const rows: SheetRow[] = [];
  const merges: string[] = [];
  let ordered = true;

  let inSheetData = false;
  let inMergeCells = false;
  let inRow = false;
  let lastRow = 0;
  let rowNumber = 0;
  let cells: (CellValue | undefined)[] | undefined;
  let current: SheetRow | undefined;
  /** The last row that holds a value. While such rows ascend, a repeated one is simply not above it. */
  let lastValueRow = 0;
  /** Rows holding values, gathered only once one came out of order (never in a file Excel wrote). */
  let rowsSeen: Set<number> | undefined;

  // The cell being read.
  let col = 0;
  let type: string | undefined;
  let style = 0;
  let value: string | undefined;
  let formula: string | undefined;
  let inline: string | undefined;
  let inInline = false;
  let inPhonetic = false;
  let capture: number = CAPTURE_NONE;
  let text = '';

  const fail = (code: ReadProblemCode, found?: string, cell?: string): never => {
    const detail: { found?: string; sheet: string; cell?: string } = { sheet: sheet.name };
    if (found !== undefined) detail.found = found;
    if (cell !== undefined) detail.cell = cell;
    throw new ReadFailureError(code, detail);
  };
  const here = () => cellRef(rowNumber, col);

  /** Set `col` (and `rowNumber`, if the row did not say) from an A1 reference, without regular expressions. */
  const positionFromRef = (ref: string) => {
    let c = 0;
    let i = 0;
    for (; i < ref.length; i++) {
      const ch = ref.charCodeAt(i) | 0x20;
      if (ch < 0x61 || ch > 0x7a) break;
      c = c * 26 + (ch - 0x60);
      if (c > EXCEL_MAX_COLUMN) c = EXCEL_MAX_COLUMN + 1;
    }
    if (i === 0) fail('xml-invalid', `cell reference "${ref.slice(0, 20)}"`);
    let r = 0;
    for (; i < ref.length; i++) {
      const ch = ref.charCodeAt(i);
      if (ch < 0x30 || ch > 0x39) fail('xml-invalid', `cell reference "${ref.slice(0, 20)}"`);
      if (r < 1e9) r = r * 10 + (ch - 0x30);
    }
    col = c;
    if (rowNumber === 0 && r > 0) rowNumber = r;
  };

  const cellValue = (): CellValue | undefined => {
    switch (type) {
      case undefined:
      case 'n': {
        if (value === undefined || value === '') break;
        // `Number()` also reads hex, `Infinity` and blanks (as 0): such a "number" is kept as the text it is, so
        // the cell is judged, and named, where a number is expected.
        if (!isPlainDecimal(value) && !DECIMAL_NUMBER.test(value)) return detach(decodeEscapes(value));
        const n = Number(value);
        if (!Number.isFinite(n)) return detach(decodeEscapes(value));
        if (dateStyles[style] === true) {
          const serial = n + dateOffset;
          if (serial >= 0 && serial < MAX_DATE_SERIAL) {
            if (!Number.isInteger(serial)) return { t: 'date', iso: serialToIsoDate(serial, false), serial };
            let date = dates.get(serial);
            if (date === undefined) {
              date = Object.freeze({ t: 'date', iso: serialToIsoDate(serial, false), serial } as const);
              dates.set(serial, date);
            }
            return date;
          }
        }
        return n;
      }
      case 's': {
        if (value === undefined || value === '') break;
        const s = sharedStrings[Number(value)];
        if (s === undefined) return fail('xml-invalid', `shared string ${value.slice(0, 20)} missing`, here());
        return s;
      }
      case 'str':
        if (value === undefined) break;
        return detach(decodeEscapes(value));
      case 'inlineStr':
        if (inline !== undefined) return detach(decodeEscapes(inline));
        if (value !== undefined) return detach(decodeEscapes(value));
        break;
      case 'b':
        if (value === undefined || value === '') break;
        return value === '1' || value === 'true';
      case 'e':
        if (value === undefined || value === '') break;
        return { t: 'error', code: value };
      case 'd':
        if (value === undefined || value === '') break;
        return isoDateValue(value);
      default:
        return fail('xml-invalid', `cell type "${type.slice(0, 20)}"`, here());
    }
    return formula === undefined ? undefined : { t: 'no-cached-value', formula: detach(formula) };
  };

  const endCell = () => {
    const v = cellValue();
    if (v === undefined) {
      // Nothing is kept, but parsing it took as long as a value: 9 million styled blanks made a 17 MB file cost
      // 12 s of CPU when they counted against nothing.
      if (++context.cells > limits.maxCells) fail('too-many-cells', `more than ${limits.maxCells} cells`, here());
      return;
    }
    if (col > limits.maxColumns) fail('too-many-columns', `column ${columnLetter(col)}`, here());
    if (rowNumber > limits.maxRows) fail('too-many-rows', `row ${rowNumber}`, here());
    if (typeof v === 'string' && v.length > limits.maxStringLength) {
      fail('cell-too-long', `${v.length} characters; limit ${limits.maxStringLength}`, here());
    }
    if (++context.cells > limits.maxCells) fail('too-many-cells', `more than ${limits.maxCells} cells`, here());
    if (cells === undefined) {
      if (rowsSeen !== undefined || rowNumber <= lastValueRow) {
        if (stream) throw new RowsOutOfOrderError(sheet.name);
        // The same row number twice: the second would silently replace values of the first (205 337,45 became 1).
        rowsSeen ??= new Set(rows.map((r) => r.row));
        if (rowsSeen.has(rowNumber)) fail('row-duplicate', `${rowNumber}`, here());
        rowsSeen.add(rowNumber);
        ordered = false;
      }
      lastValueRow = rowNumber;
      cells = [];
      current = { row: rowNumber, cells };
      if (!stream) rows.push(current);
    }
    if (cells[col - 1] !== undefined) fail('cell-duplicate', here(), here());
    cells[col - 1] = v;
    if (formula !== undefined && typeof v === 'number' && current !== undefined) {
      current.formulas ??= [];
      current.formulas[col - 1] = formula.slice(0, MAX_KEPT_FORMULA);
    }
  };

  const openRow = (r: string | undefined) => {
    inRow = true;
    col = 0;
    cells = undefined;
    current = undefined;
    rowNumber = r === undefined ? 0 : Number(r);
    if (!Number.isInteger(rowNumber) || rowNumber < 0) fail('xml-invalid', `row number "${r?.slice(0, 20)}"`);
  };

  const openCell = (attributes: Record<string, string>) => {
    type = attributes.t;
    style = attributes.s === undefined ? 0 : Number(attributes.s);
    value = undefined;
    formula = undefined;
    inline = undefined;
    if (attributes.r === undefined) col++;
    else positionFromRef(attributes.r);
    if (rowNumber === 0) rowNumber = lastRow + 1;
  };

  const addMerge = (ref: string) => {
    if (merges.length >= limits.maxMerges) fail('too-many-merges', `more than ${limits.maxMerges} merged ranges`);
    merges.push(ref);
  };

  const handlers: XmlHandlers = {
    // The hot path: one call per element of a sheet that may have millions. One-letter names (c, v, f, t) are
    // told apart by character code, the rest by a plain string switch.
    open(tag) {
      const name = tag.name;
      if (name.length === 1) {
        switch (name.charCodeAt(0)) {
          case 0x63: // c
            if (inRow) openCell(tag.attributes);
            return;
          case 0x76: // v
            capture = CAPTURE_VALUE;
            text = '';
            return;
          case 0x66: // f
            capture = CAPTURE_FORMULA;
            text = '';
            return;
          case 0x74: // t
            if (inInline && !inPhonetic) {
              capture = CAPTURE_INLINE;
              text = '';
            }
            return;
        }
        return;
      }
      switch (name) {
        case 'row':
          if (inSheetData) openRow(tag.attributes.r);
          return;
        case 'is':
          inInline = true;
          inline = '';
          return;
        case 'rPh':
          inPhonetic = true;
          return;
        case 'sheetData':
          inSheetData = true;
          return;
        case 'mergeCells':
          inMergeCells = true;
          return;
        case 'mergeCell':
          if (inMergeCells && tag.attributes.ref !== undefined) addMerge(tag.attributes.ref);
          return;
      }
    },
    close(tag) {
      const name = tag.name;
      if (name.length === 1) {
        switch (name.charCodeAt(0)) {
          case 0x63: // c
            if (inRow) endCell();
            return;
          case 0x76: // v
            if (capture === CAPTURE_VALUE) value = text;
            capture = CAPTURE_NONE;
            return;
          case 0x66: // f
            if (capture === CAPTURE_FORMULA) formula = text;
            capture = CAPTURE_NONE;
            return;
          case 0x74: // t
            if (capture === CAPTURE_INLINE) inline += text;
            capture = CAPTURE_NONE;
            return;
        }
        return;
      }
      switch (name) {
        case 'row':
          if (!inRow) return;
          if (rowNumber === 0) rowNumber = lastRow + 1;
          lastRow = rowNumber;
          inRow = false;
          if (stream && current !== undefined) stream(current);
          return;
        case 'rPh':
          inPhonetic = false;
          return;
        case 'is':
          inInline = false;
          return;
        case 'sheetData':
          inSheetData = false;
          return;
        case 'mergeCells':
          inMergeCells = false;
          return;
      }
    },
    text(chunk) {
      if (capture !== CAPTURE_NONE) text += chunk;
    },
  };

  return {
    handlers,
    done: () => ({ name: sheet.name, state: sheet.state, rows: ordered ? rows : sortRows(rows), merges }),
  };
}

/** Rows out of order (never from Excel, possible from other writers): sort them (a repeated row was refused). */
function sortRows(rows: SheetRow[]): SheetRow[] {
  return [...rows].sort((a, b) => a.row - b.row);
}

/** A `t="d"` cell: an ISO 8601 date or date-time. Anything else there is kept as the text it is. */
function isoDateValue(text: string): CellValue {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(text);
  if (!match) return text;
  const [, y, m, d, hh, mm, ss] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh ?? 0), Number(mm ?? 0), Number(ss ?? 0));
  const days = ms / DAY_MS + UNIX_EPOCH_SERIAL;
  // Back from a calendar day count to Excel's serial: before 1900-03-01 it counts the phantom 29 February.
  const serial = days < 61 ? days - 1 : days;
  if (Number.isNaN(serial) || serial < 0 || serial >= MAX_DATE_SERIAL) return text;
  const iso = serialToIsoDate(serial, false);
  // Date.UTC rolls 2025-02-31 over into March; such a value is not a date.
  if (iso !== `${y}-${m}-${d}`) return text;
  return { t: 'date', iso, serial };
}

// ---------------------------------------------------------------------------------------------------------------
// XML plumbing

/** An element as the handlers see it (saxes without namespace processing: prefixed names, string attributes). */
export interface XmlTag {
  name: string;
  attributes: Record<string, string>;
}

interface XmlHandlers {
  open(tag: XmlTag): void;
  close?(tag: XmlTag): void;
  text?(text: string): void;
}

/**
 * Parse one part with saxes, fed chunk by chunk as it inflates, so a 50 MB sheet never becomes one string.
 * Any DOCTYPE is refused outright (XXE, billion laughs); undefined entities and malformed XML are refused by saxes.
 */
export function parseXmlPart(archive: ZipArchive, entry: ZipEntry, handlers: XmlHandlers, sheet?: string): void {
  const parser = xmlPartParser(entry, handlers, sheet);
  inflateEntry(archive, entry, parser.write);
  parser.end();
}

/** `parseXmlPart` for a caller that can wait: a big part is inflated in pieces, never whole (`inflateEntryInPieces`). */
async function parseXmlPartInPieces(archive: ZipArchive, entry: ZipEntry, handlers: XmlHandlers, sheet: string) {
  const parser = xmlPartParser(entry, handlers, sheet);
  await inflateEntryInPieces(archive, entry, parser.write);
  parser.end();
}

/** A saxes parser over one part's bytes as they come: `write` each chunk, then `end`. */
function xmlPartParser(
  entry: ZipEntry,
  handlers: XmlHandlers,
  sheet?: string,
): { write: (chunk: Uint8Array) => void; end: () => void } {
  const invalid = (found: string) => {
    const detail: { found: string; sheet?: string } = { found: `${entry.name}: ${found}` };
    if (sheet !== undefined) detail.sheet = sheet;
    return new ReadFailureError('xml-invalid', detail);
  };
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  parser.on('doctype', () => {
    throw invalid('DOCTYPE declaration');
  });
  parser.on('error', (error) => {
    throw invalid(error.message);
  });
  // Most writers use the default namespace; some prefix every element (`<x:c>`). Names are handed on unprefixed:
  // when the root element has a prefix, that prefix is stripped from every element using it (other prefixes,
  // such as extension elements', stay, so they match nothing). Unprefixed documents pay nothing for this.
  parser.on('opentag', (root) => {
    const colon = root.name.indexOf(':');
    if (colon < 0) {
      parser.on('opentag', handlers.open);
      if (handlers.close) parser.on('closetag', handlers.close);
      handlers.open(root);
      return;
    }
    const prefix = root.name.slice(0, colon + 1);
    const unprefixed = (tag: XmlTag): XmlTag =>
      tag.name.startsWith(prefix) ? { name: tag.name.slice(prefix.length), attributes: tag.attributes } : tag;
    const { open, close } = handlers;
    parser.on('opentag', (tag) => open(unprefixed(tag)));
    if (close) parser.on('closetag', (tag) => close(unprefixed(tag)));
    open(unprefixed(root));
  });
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  let decoder: TextDecoder | undefined;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder!.decode(chunk, { stream: true }) : (decoder?.decode() ?? '');
    } catch {
      throw invalid('text is not valid UTF-8/UTF-16');
    }
  };
  return {
    write(chunk) {
      // OOXML parts are UTF-8 or UTF-16 with a byte order mark; the decoder drops the mark.
      decoder ??= new TextDecoder(
        chunk[0] === 0xff && chunk[1] === 0xfe
          ? 'utf-16le'
          : chunk[0] === 0xfe && chunk[1] === 0xff
            ? 'utf-16be'
            : 'utf-8',
        { fatal: true },
      );
      parser.write(decode(chunk));
    },
    end() {
      parser.write(decode());
      parser.close();
    },
  };
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (`_x000D_` for a carriage return; `_x005F_` escapes `_`). */
function decodeEscapes(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * A copy of a string that does not point into the parser's chunk. V8 makes substrings of 13+ characters as views
 * of their parent; kept in the result, each would pin a whole decoded chunk (up to megabytes) in memory.
 */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
