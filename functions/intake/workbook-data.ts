/**
 * What the reader gives back and the bounds it keeps: the workbook as values, the limits, and the refusals with
 * their bilingual messages. Types and constants only, so the guard, the reader and the value parsers can all import
 * it without importing each other.
 */
import type { Bilingual } from '../core/types';

/** A cell as the workbook stores it. Most cells are plain primitives (keeps 100k-row sheets small in memory). */
export type CellValue =
  /** Shared or inline string (rich text runs joined, phonetic runs dropped), or a formula's text result. */
  | string
  /** A number without a date format. */
  | number
  | boolean
  /**
   * A number with a date format (built-in ids 14-22, 27-36, 45-47, 50-58, or a custom format with d, m, y, h or s
   * outside quotes and brackets), or a `t="d"` cell. `iso` is the calendar date, time dropped. `serial` is always
   * in the 1900 date system: 1904-system workbooks are converted here, so consumers never see them.
   */
  | { t: 'date'; iso: string; serial: number }
  /** An error value such as `#DIV/0!`. */
  | { t: 'error'; code: string }
  /** A formula without a calculated value (`formula` is empty for the followers of a shared formula). */
  | { t: 'no-cached-value'; formula: string };

/** One row that holds at least one value. */
export interface SheetRow {
  /** 1-based row number. */
  row: number;
  /** Index 0 is column A; sparse (undefined where the row has no value). */
  cells: (CellValue | undefined)[];
  /**
   * The formulas of cells that have a calculated value (sparse, like `cells`; absent when the row has none): a
   * `SUM(B2:B9)` under a column marks a total row, which is not data.
   */
  formulas?: (string | undefined)[];
}

export interface SheetData {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** Only rows with at least one value, ascending by row number. Hidden rows are included. */
  rows: SheetRow[];
  /** Merged ranges as written, e.g. `A1:B2`. */
  merges: string[];
}

export interface WorkbookData {
  date1904: boolean;
  /** Worksheets only (chartsheets and dialog sheets are skipped), in workbook order, hidden ones included. */
  sheets: SheetData[];
}

/** Bounds on everything an uploaded file could make the reader spend. */
export interface ReadLimits {
  /** Size of the uploaded file. */
  maxFileBytes: number;
  /** Entries in the zip. */
  maxEntries: number;
  /** Unpacked size of one entry (declared and actual). */
  maxEntryBytes: number;
  /** Unpacked size of all entries (declared), and of the entries actually unpacked. */
  maxTotalInflatedBytes: number;
  /** Unpacked : packed ratio, for entries over 1 MB unpacked. */
  maxRatio: number;
  /** Highest row number holding a value. */
  maxRows: number;
  /** Highest column number holding a value. */
  maxColumns: number;
  /** Cells across the workbook: those holding a value, and blank (styled) ones, which cost parsing time too. */
  maxCells: number;
  /** Characters in one cell's text. */
  maxStringLength: number;
  /** Merged ranges on one sheet. */
  maxMerges: number;
}

const MB = 1024 * 1024;

/** Limits for coordinators' workbooks: a few thousand rows in practice, so these leave a wide margin. */
export const DEFAULT_LIMITS: ReadLimits = {
  maxFileBytes: 20 * MB,
  maxEntries: 1000,
  maxEntryBytes: 200 * MB,
  maxTotalInflatedBytes: 200 * MB,
  maxRatio: 200,
  maxRows: 200_000,
  maxColumns: 256,
  maxCells: 3_000_000,
  // Excel's own limit for one cell.
  maxStringLength: 32_767,
  maxMerges: 10_000,
};

/** What each refusal says to the coordinator: what is wrong and what to do about it. */
export const READ_PROBLEM_MESSAGES = {
  'file-empty': {
    lv: 'Fails ir tukšs (0 baitu). Augšupielādējiet aizpildīto darbgrāmatu vēlreiz.',
    en: 'The file is empty (0 bytes). Upload the filled-in workbook again.',
  },
  'file-too-large': {
    lv: 'Fails ir pārāk liels. Izdzēsiet liekās lapas, attēlus un tukšās rindas, saglabājiet un augšupielādējiet vēlreiz.',
    en: 'The file is too large. Delete extra sheets, pictures and empty rows, save and upload it again.',
  },
  'not-xlsx-ole2': {
    lv: 'Fails ir aizsargāts ar paroli (šifrēts) vai saglabāts vecajā .xls formātā. Noņemiet paroli (Fails → Informācija → Aizsargāt darbgrāmatu → Šifrēt ar paroli) un saglabājiet kā Excel darbgrāmatu (.xlsx).',
    en: 'The file is password-protected (encrypted) or in the old .xls format. Remove the password (File → Info → Protect Workbook → Encrypt with Password) and save it as an Excel Workbook (.xlsx).',
  },
  'not-xlsx-other': {
    lv: 'Fails nav Excel darbgrāmata (.xlsx). Aizpildiet veidni vai atveriet failu programmā Excel un saglabājiet kā Excel darbgrāmatu (.xlsx).',
    en: 'The file is not an Excel workbook (.xlsx). Fill in the template, or open the file in Excel and save it as an Excel Workbook (.xlsx).',
  },
  'zip-corrupt': {
    lv: 'Fails ir bojāts vai nav augšupielādēts pilnībā. Atveriet to programmā Excel, saglabājiet vēlreiz un augšupielādējiet.',
    en: 'The file is damaged or was not uploaded completely. Open it in Excel, save it again and upload it.',
  },
  'zip-too-many-entries': {
    lv: 'Darbgrāmatā ir pārāk daudz iekšējo daļu (lapu, attēlu u. c.). Izdzēsiet liekās lapas un objektus un saglabājiet vēlreiz.',
    en: 'The workbook has too many internal parts (sheets, pictures and the like). Delete extra sheets and objects and save it again.',
  },
  'zip-too-large': {
    lv: 'Atpakota darbgrāmata būtu pārāk liela. Izdzēsiet liekās lapas un tukšās rindas vai kolonnas un saglabājiet vēlreiz.',
    en: 'The workbook would be too large once unpacked. Delete extra sheets and empty rows or columns and save it again.',
  },
  'zip-ratio': {
    lv: 'Faila saturs ir neparasti stipri saspiests, tāpēc to nevar droši nolasīt. Saglabājiet darbgrāmatu programmā Excel vēlreiz; ja tas atkārtojas, sazinieties ar vadošo iestādi.',
    en: 'The file is unusually highly compressed, so it cannot be read safely. Save the workbook again in Excel; if this keeps happening, contact the managing authority.',
  },
  macros: {
    lv: 'Darbgrāmatā ir makro (.xlsm/.xlsb). Saglabājiet to kā Excel darbgrāmatu (.xlsx) bez makro un augšupielādējiet vēlreiz.',
    en: 'The workbook contains macros (.xlsm/.xlsb). Save it as an Excel Workbook (.xlsx), without macros, and upload it again.',
  },
  'external-links': {
    lv: 'Darbgrāmatā ir saites uz citiem failiem. Pārtrauciet tās (Dati → Rediģēt saites → Pārtraukt saiti) un saglabājiet vēlreiz.',
    en: 'The workbook links to other files. Break the links (Data → Edit Links → Break Link) and save it again.',
  },
  'embedded-objects': {
    lv: 'Darbgrāmatā ir iegulti objekti (piemēram, citi dokumenti). Izdzēsiet tos un saglabājiet vēlreiz.',
    en: 'The workbook contains embedded objects (such as other documents). Delete them and save it again.',
  },
  activex: {
    lv: 'Darbgrāmatā ir ActiveX vadīklas. Izdzēsiet tās un saglabājiet vēlreiz.',
    en: 'The workbook contains ActiveX controls. Delete them and save it again.',
  },
  'no-sheets': {
    lv: 'Darbgrāmatā nav nevienas darblapas. Aizpildiet veidni un augšupielādējiet vēlreiz.',
    en: 'The workbook has no worksheets. Fill in the template and upload it again.',
  },
  'xml-invalid': {
    lv: 'Darbgrāmatas saturs ir bojāts vai satur neatļautas konstrukcijas. Atveriet to programmā Excel, saglabājiet kā Excel darbgrāmatu (.xlsx) un augšupielādējiet vēlreiz.',
    en: 'The workbook’s content is damaged or contains constructs that are not allowed. Open it in Excel, save it as an Excel Workbook (.xlsx) and upload it again.',
  },
  'cell-duplicate': {
    lv: 'Viena šūna darbgrāmatas failā ierakstīta divreiz ar divām vērtībām, un nav zināms, kura ir īstā. Atveriet failu Excel, pārbaudiet šūnu un saglabājiet vēlreiz.',
    en: 'One cell is written twice in the workbook file, with two values, and which one is meant is unknown. Open the file in Excel, check the cell and save it again.',
  },
  'row-duplicate': {
    lv: 'Viens rindas numurs darbgrāmatas failā ierakstīts divreiz, un nav zināms, kura rinda ir īstā. Atveriet failu Excel, pārbaudiet rindu un saglabājiet vēlreiz.',
    en: 'One row number is written twice in the workbook file, and which row is meant is unknown. Open the file in Excel, check the row and save it again.',
  },
  'too-many-rows': {
    lv: 'Lapā ir pārāk daudz rindu, vai dati ir ļoti tālu uz leju. Izdzēsiet liekās rindas un saglabājiet vēlreiz.',
    en: 'The sheet has too many rows, or data very far down. Delete the extra rows and save it again.',
  },
  'too-many-columns': {
    lv: 'Lapā ir dati pārāk tālu pa labi. Izdzēsiet liekās kolonnas un saglabājiet vēlreiz.',
    en: 'The sheet has data too far to the right. Delete the extra columns and save it again.',
  },
  'too-many-cells': {
    lv: 'Darbgrāmatā ir pārāk daudz aizpildītu šūnu. Izdzēsiet liekās lapas vai rindas un saglabājiet vēlreiz.',
    en: 'The workbook has too many filled cells. Delete extra sheets or rows and save it again.',
  },
  'cell-too-long': {
    lv: 'Šūnā ir pārāk garš teksts. Saīsiniet to un saglabājiet vēlreiz.',
    en: 'A cell holds too long a text. Shorten it and save it again.',
  },
  'too-many-merges': {
    lv: 'Lapā ir pārāk daudz apvienotu šūnu. Atceliet apvienošanu (Sākums → Apvienot un centrēt) un saglabājiet vēlreiz.',
    en: 'The sheet has too many merged cells. Unmerge them (Home → Merge & Center) and save it again.',
  },
} as const satisfies Record<string, Bilingual>;

export type ReadProblemCode = keyof typeof READ_PROBLEM_MESSAGES;

/** Why a file could not be read. A value for the coordinator, never thrown. */
export interface ReadProblem {
  code: ReadProblemCode;
  message: Bilingual;
  /** What was found: a file kind (`PDF`, `ODS`…), a count against its limit, a damaged part. */
  found?: string;
  sheet?: string;
  cell?: string;
}

export type ReadResult = { ok: true; workbook: WorkbookData } | { ok: false; problem: ReadProblem };
