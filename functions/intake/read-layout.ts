/**
 * What the annotated copy keeps of an upload besides its values: each sheet's drop-downs (data validations), the
 * number formats of its cells and columns, and its column widths. Read from the already guarded upload with the
 * same bounded SAX path as the values (nothing is allocated by what the file declares: a whole-column validation
 * stays one range), every count capped. Anything odd gives no layout for that sheet, never an error: the copy then
 * carries the values alone, as before.
 */
import { parseXmlPart, readRelationships, readWorkbookPart, resolvePartName, type XmlTag } from './read-xlsx';
import { DEFAULT_LIMITS } from './workbook-data';
import { findEntry, openZip, ReadFailureError, type ZipArchive, type ZipEntry } from './zip-guard';

/** One data validation as the file gives it; `ranges` are plain A1 ranges (`B2:B2000`). */
export interface SheetValidation {
  ranges: string[];
  type: 'list' | 'whole' | 'decimal' | 'date' | 'time' | 'textLength' | 'custom';
  operator?: string;
  allowBlank: boolean;
  showInputMessage: boolean;
  showErrorMessage: boolean;
  errorStyle?: string;
  errorTitle?: string;
  error?: string;
  promptTitle?: string;
  prompt?: string;
  formulae: string[];
}

/** A run of columns (1-based, inclusive) with what the file sets for them. */
export interface ColumnLayout {
  min: number;
  max: number;
  width?: number;
  hidden: boolean;
  numFmt?: string;
}

export interface SheetLayout {
  columns: ColumnLayout[];
  /** Number format of each cell that has one other than General, by address. */
  cellFormats: Map<string, string>;
  validations: SheetValidation[];
}

/** Layout by sheet name. */
export type WorkbookLayout = Map<string, SheetLayout>;

const MAX_VALIDATIONS = 1_000;
const MAX_RANGES = 200;
/** Excel's own limit for a validation formula. */
const MAX_FORMULA = 255;
const MAX_COLUMNS = 16_384;
const MAX_FORMATTED_CELLS = 400_000;
const VALIDATION_TYPES = new Set<string>(['list', 'whole', 'decimal', 'date', 'time', 'textLength', 'custom']);
const RANGE = /^\$?[A-Z]{1,3}\$?\d{1,7}(?::\$?[A-Z]{1,3}\$?\d{1,7})?$/;

/**
 * Built-in number formats (ECMA-376 §18.8.30) a cell refers to by id alone; the ones missing here (East Asian
 * variants) are left at General.
 */
const BUILT_IN_FORMATS: Record<number, string> = {
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};

/**
 * A validation formula the copy may carry: a quoted list, a number, or a reference to a range of this workbook.
 * A reference to another file (`[1]…`), a function call or anything longer than Excel allows is dropped, with its
 * validation: the copy must not point outside itself.
 */
export function isPortableFormula(formula: string): boolean {
  if (formula.length === 0 || formula.length > MAX_FORMULA) return false;
  if (/^"[^"]*"$/.test(formula)) return true;
  if (/^-?\d+(\.\d+)?$/.test(formula)) return true;
  const bang = formula.lastIndexOf('!');
  const range = bang < 0 ? formula : formula.slice(bang + 1);
  const sheet = bang < 0 ? '' : formula.slice(0, bang);
  const sheetOk = sheet === '' || /^'(?:[^'[\]]|'')+'$/.test(sheet) || /^[^\s'![\]()*/:?\\]+$/.test(sheet);
  return sheetOk && RANGE.test(range);
}

/** Read the layout of every worksheet; null when the file cannot be read this way at all. */
export function readWorkbookLayout(bytes: Uint8Array): WorkbookLayout | null {
  try {
    const archive = openZip(bytes, DEFAULT_LIMITS);
    const { sheets } = readWorkbookPart(archive);
    const rels = readRelationships(archive, 'xl/_rels/workbook.xml.rels');
    let stylesPart = 'xl/styles.xml';
    for (const rel of rels.values()) if (rel.type.endsWith('/styles')) stylesPart = resolvePartName('xl/', rel.target);
    const formats = readCellFormats(archive, stylesPart);
    const layout: WorkbookLayout = new Map();
    for (const sheet of sheets) {
      const rel = rels.get(sheet.relId);
      if (!rel?.type.endsWith('/worksheet')) continue;
      const entry = findEntry(archive, resolvePartName('xl/', rel.target));
      if (!entry) continue;
      layout.set(sheet.name, readSheetLayout(archive, entry, formats));
    }
    return layout;
  } catch (error) {
    if (error instanceof ReadFailureError) return null;
    throw error;
  }
}

type Archive = ZipArchive;
type Entry = ZipEntry;

/** The number format of each cell format (`cellXfs` index); undefined for General. */
function readCellFormats(archive: Archive, part: string): (string | undefined)[] {
  const formats: (string | undefined)[] = [];
  const entry = findEntry(archive, part);
  if (!entry) return formats;
  const custom = new Map<number, string>();
  let inNumFmts = false;
  let inCellXfs = false;
  parseXmlPart(archive, entry, {
    open(tag) {
      if (tag.name === 'numFmts') inNumFmts = true;
      else if (tag.name === 'cellXfs') inCellXfs = true;
      else if (tag.name === 'numFmt' && inNumFmts && custom.size < 1_000) {
        const code = tag.attributes.formatCode ?? '';
        if (code.length <= MAX_FORMULA) custom.set(Number(tag.attributes.numFmtId), code);
      } else if (tag.name === 'xf' && inCellXfs && formats.length < 65_000) {
        const id = Number(tag.attributes.numFmtId ?? 0);
        formats.push(custom.get(id) ?? BUILT_IN_FORMATS[id]);
      }
    },
    close(tag) {
      if (tag.name === 'numFmts') inNumFmts = false;
      else if (tag.name === 'cellXfs') inCellXfs = false;
    },
  });
  return formats;
}

function flag(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

/** Columns, formatted cells and validations of one worksheet. */
function readSheetLayout(archive: Archive, entry: Entry, formats: (string | undefined)[]): SheetLayout {
  const layout: SheetLayout = { columns: [], cellFormats: new Map(), validations: [] };
  let validation: SheetValidation | null = null;
  let formula: string | null = null;
  let inSqref = false;
  let sqref = '';
  const finish = (): void => {
    if (!validation) return;
    const ranges = sqref.trim().split(/\s+/).filter(Boolean);
    const portable = validation.formulae.every(isPortableFormula);
    if (portable && ranges.length > 0 && ranges.length <= MAX_RANGES && ranges.every((r) => RANGE.test(r))) {
      if (layout.validations.length < MAX_VALIDATIONS) layout.validations.push({ ...validation, ranges });
    }
    validation = null;
  };
  parseXmlPart(archive, entry, {
    open(tag: XmlTag) {
      const name = tag.name.slice(tag.name.indexOf(':') + 1);
      const a = tag.attributes;
      if (name === 'col' && layout.columns.length < MAX_COLUMNS) {
        const min = Number(a.min);
        const max = Math.min(Number(a.max), MAX_COLUMNS);
        if (!(min >= 1 && max >= min)) return;
        const column: ColumnLayout = { min, max, hidden: flag(a.hidden) };
        const width = Number(a.width);
        if (flag(a.customWidth) && width > 0 && width < 256) column.width = width;
        const format = a.style === undefined ? undefined : formats[Number(a.style)];
        if (format) column.numFmt = format;
        layout.columns.push(column);
      } else if (name === 'c' && a.s !== undefined && a.r && layout.cellFormats.size < MAX_FORMATTED_CELLS) {
        const format = formats[Number(a.s)];
        if (format) layout.cellFormats.set(a.r, format);
      } else if (name === 'dataValidation') {
        validation = validationOf(a);
        sqref = a.sqref ?? '';
      } else if (validation && (name === 'formula1' || name === 'formula2')) {
        formula = '';
      } else if (validation && name === 'f' && formula === null) {
        // Excel 2010's extension form (`x14:dataValidation`) wraps each formula in `xm:f`.
        formula = '';
      } else if (validation && name === 'sqref') {
        inSqref = true;
      }
    },
    close(tag: XmlTag) {
      const name = tag.name.slice(tag.name.indexOf(':') + 1);
      if ((name === 'formula1' || name === 'formula2' || name === 'f') && validation && formula !== null) {
        if (formula !== '' || name !== 'f') validation.formulae.push(formula.trim());
        formula = null;
      } else if (name === 'sqref') inSqref = false;
      else if (name === 'dataValidation') finish();
    },
    text(text) {
      if (formula !== null && formula.length <= MAX_FORMULA) formula += text;
      else if (inSqref && sqref.length < 10_000) sqref += text;
    },
  });
  return layout;
}

function validationOf(a: Record<string, string>): SheetValidation | null {
  const type = a.type ?? '';
  if (!VALIDATION_TYPES.has(type)) return null;
  const v: SheetValidation = {
    ranges: [],
    type: type as SheetValidation['type'],
    allowBlank: flag(a.allowBlank),
    showInputMessage: flag(a.showInputMessage),
    showErrorMessage: flag(a.showErrorMessage),
    formulae: [],
  };
  for (const key of ['operator', 'errorStyle', 'errorTitle', 'error', 'promptTitle', 'prompt'] as const) {
    const value = a[key];
    if (value !== undefined && value.length <= MAX_FORMULA) v[key] = value;
  }
  return v;
}
