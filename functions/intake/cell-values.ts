/**
 * Normalising cell values for the validators: display text, numbers, percents and calendar dates from whatever a
 * coordinator typed (a real number, or text such as `1 234,50 EUR` or `15.03.2025.`). Pure functions.
 */
import { formatIsoDate, serialToIsoDate } from './excel-dates';
import type { CellValue } from './workbook-data';

/** The outcome of reading a cell as a T: nothing there, a value, or why it is not one. */
export type Parsed<T> =
  | { kind: 'empty' }
  | { kind: 'ok'; value: T }
  | { kind: 'invalid'; reason: 'not-number' | 'not-date' | 'error' | 'no-cached-value' | 'not-finite' };

type Invalid = Extract<Parsed<never>, { kind: 'invalid' }>;

const EMPTY = { kind: 'empty' } as const;
const NOT_NUMBER: Invalid = { kind: 'invalid', reason: 'not-number' };
const NOT_DATE: Invalid = { kind: 'invalid', reason: 'not-date' };
const NOT_FINITE: Invalid = { kind: 'invalid', reason: 'not-finite' };
const ERROR: Invalid = { kind: 'invalid', reason: 'error' };
const NO_CACHED_VALUE: Invalid = { kind: 'invalid', reason: 'no-cached-value' };

function ok<T>(value: T): Parsed<T> {
  return { kind: 'ok', value };
}

/** Excel shows at most 15 significant digits; the file often stores float noise past them (1234.5600000000001). */
function roundToExcelPrecision(n: number): number {
  return Number(n.toPrecision(15));
}

/**
 * The cell as text, the way a person reads it: strings trimmed (inner whitespace kept), numbers as JavaScript
 * writes them after rounding to Excel's 15 significant digits, dates `YYYY-MM-DD`, booleans `TRUE`/`FALSE`,
 * errors their code (`#DIV/0!`), and a formula without a calculated value as the empty string.
 */
export function cellText(v: CellValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(roundToExcelPrecision(v)) : String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v.t === 'date') return v.iso;
  if (v.t === 'error') return v.code;
  return '';
}

/**
 * The cell as a number. Real numbers pass through; text is read the way people in Latvia and elsewhere write
 * numbers: `1 234,5` (also with U+00A0 or U+202F as the group space), `1,234.5`, `1.234,5`, `12,5`, `12.5`,
 * `-3`, `−3` (U+2212), with `€` or `EUR` before or after. One separator on its own is the decimal separator
 * (`1,234` is 1.234, as a Latvian reader means it); a separator used more than once must group thousands
 * (`1,234,567`). A date cell is not a number (its serial means nothing to the reader).
 */
export function parseNumber(v: CellValue | undefined): Parsed<number> {
  if (v === undefined) return EMPTY;
  if (typeof v === 'number') return Number.isFinite(v) ? ok(v) : NOT_FINITE;
  if (typeof v === 'string') {
    const text = v.trim();
    if (text === '') return EMPTY;
    const n = parseNumberText(text);
    return typeof n === 'number' ? ok(n) : n;
  }
  if (typeof v === 'boolean') return NOT_NUMBER;
  if (v.t === 'error') return ERROR;
  if (v.t === 'no-cached-value') return NO_CACHED_VALUE;
  return NOT_NUMBER;
}

/**
 * The cell as a percentage on the 0..100 scale. `75`, `'75%'`, `'75 %'` give 75. The file does not tell us
 * whether a plain number was shown with a percent format, so a number between -1 and 1 (inclusive) is taken as
 * a fraction and multiplied by 100 (`0.75` and `'0,75'` give 75; `1` gives 100). With an explicit `%` sign the
 * number is taken as written (`'0.5%'` gives 0.5).
 */
export function parsePercent(v: CellValue | undefined): Parsed<number> {
  if (typeof v === 'string') {
    const text = v.trim();
    if (text.endsWith('%')) {
      const n = parseNumberText(text.slice(0, -1).trim());
      return typeof n === 'number' ? ok(n) : n;
    }
  }
  const parsed = parseNumber(v);
  if (parsed.kind !== 'ok') return parsed;
  const n = parsed.value;
  return ok(Math.abs(n) <= 1 ? roundToExcelPrecision(n * 100) : n);
}

/** Excel's date serials that make sense for project data (1954-10-03 .. 2119-01-11); others are just numbers. */
const PLAUSIBLE_SERIAL_MIN = 20_000;
const PLAUSIBLE_SERIAL_MAX = 80_000;

const TIME_SUFFIX = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
/** `15.03.2025`, `5.3.2025`, `15.03.2025.` (Latvian ordinal dot), `15/03/2025`: day first. */
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})([./])(\d{1,2})\2(\d{4})\.?${TIME_SUFFIX}$`);
/** `2025-03-15`, `2025.03.15`, `2025.03.15.`, `2025/03/15`: year first. */
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-./])(\d{1,2})\2(\d{1,2})\.?${TIME_SUFFIX}$`);

/**
 * The cell as a calendar date `YYYY-MM-DD`. Date cells carry their date (the reader has already applied the
 * workbook's 1900 or 1904 date system). A plain number is read as a 1900-system serial, but only within
 * 20 000..80 000 so that counts and amounts are not mistaken for dates. Text may be `dd.mm.yyyy` (with or
 * without the Latvian trailing dot, one- or two-digit day and month), `dd/mm/yyyy`, `yyyy-mm-dd` or `yyyy.mm.dd`,
 * optionally followed by a time, which is dropped. The date must exist (`31.02.2025` is not a date).
 */
export function parseDate(v: CellValue | undefined): Parsed<string> {
  if (v === undefined) return EMPTY;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < PLAUSIBLE_SERIAL_MIN || v >= PLAUSIBLE_SERIAL_MAX + 1) return NOT_DATE;
    return ok(serialToIsoDate(v, false));
  }
  if (typeof v === 'string') {
    const text = v.trim();
    if (text === '') return EMPTY;
    const dayFirst = DAY_FIRST.exec(text);
    if (dayFirst) return calendarDate(Number(dayFirst[4]), Number(dayFirst[3]), Number(dayFirst[1]));
    const yearFirst = YEAR_FIRST.exec(text);
    if (yearFirst) return calendarDate(Number(yearFirst[1]), Number(yearFirst[3]), Number(yearFirst[4]));
    return NOT_DATE;
  }
  if (typeof v === 'boolean') return NOT_DATE;
  if (v.t === 'date') return ok(v.iso);
  if (v.t === 'error') return ERROR;
  return NO_CACHED_VALUE;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function calendarDate(y: number, m: number, d: number): Parsed<string> {
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NOT_DATE;
  return ok(formatIsoDate(y, m, d));
}

const NON_FINITE_WORDS = /^[+\-\u2212]?(?:infinity|inf|∞|nan)$/i;
const CURRENCY_BEFORE = /^(?:€|eur)[ \u00a0\u202f\u2009]*/i;
const CURRENCY_AFTER = /[ \u00a0\u202f\u2009]*(?:€|eur)$/i;
/** Digits with separators (`.`, `,`, spaces used for grouping), then an optional exponent. */
const NUMBER_SHAPE = /^([0-9., \u00a0\u202f\u2009]+?)(?:[eE]([+-]?[0-9]{1,4}))?$/;
const GROUP_SPACES = /[ \u00a0\u202f\u2009]/;
/** No number anyone types is longer; the cap also keeps the patterns below linear on a 32 767-character cell. */
const MAX_NUMBER_TEXT = 64;

/** Read a number from trimmed text; the result is a number or why it is not one. */
function parseNumberText(text: string): number | Invalid {
  if (text.length > MAX_NUMBER_TEXT) return NOT_NUMBER;
  if (NON_FINITE_WORDS.test(text)) return NOT_FINITE;
  let s = text;
  let currency = false;
  const stripCurrency = (pattern: RegExp) => {
    if (currency || !pattern.test(s)) return;
    s = s.replace(pattern, '');
    currency = true;
  };
  stripCurrency(CURRENCY_BEFORE);
  let negative = false;
  const sign = s.charAt(0);
  if (sign === '-' || sign === '\u2212' || sign === '+') {
    negative = sign !== '+';
    s = s.slice(1).trimStart();
  }
  // `€ -5`, `-€ 5`, `-5 EUR`: one currency mark, before or after.
  stripCurrency(CURRENCY_BEFORE);
  stripCurrency(CURRENCY_AFTER);
  const shape = NUMBER_SHAPE.exec(s);
  if (!shape) return NOT_NUMBER;
  const mantissa = normaliseSeparators(shape[1]!);
  if (mantissa === undefined) return NOT_NUMBER;
  const n = Number(shape[2] === undefined ? mantissa : `${mantissa}e${shape[2]}`);
  if (Number.isNaN(n)) return NOT_NUMBER;
  if (!Number.isFinite(n)) return NOT_FINITE;
  return negative ? -n : n;
}

/**
 * Turn `1 234,5` / `1,234.5` / `1.234,5` into `1234.5`, or undefined when the separators do not make a number:
 * at most one decimal separator, and thousands groups of exactly three digits.
 */
function normaliseSeparators(body: string): string | undefined {
  const lastComma = body.lastIndexOf(',');
  const lastDot = body.lastIndexOf('.');
  const commas = count(body, ',');
  const dots = count(body, '.');
  const spaced = GROUP_SPACES.test(body);
  let decimal: string | undefined;
  let group: string | undefined;
  if (commas > 0 && dots > 0) {
    decimal = lastComma > lastDot ? ',' : '.';
    group = decimal === ',' ? '.' : ',';
    if ((decimal === ',' ? commas : dots) !== 1 || spaced) return undefined;
  } else if (commas + dots > 0) {
    const sep = commas > 0 ? ',' : '.';
    if (commas + dots === 1) decimal = sep;
    else if (spaced) return undefined;
    else group = sep;
  }
  if (spaced) group = ' ';

  let integer = body;
  let fraction = '';
  if (decimal !== undefined) {
    const at = body.lastIndexOf(decimal);
    integer = body.slice(0, at);
    fraction = body.slice(at + 1);
    if (!/^[0-9]+$/.test(fraction)) return undefined;
  }
  if (group === undefined) {
    if (!/^[0-9]*$/.test(integer)) return undefined;
  } else {
    const groups = integer.split(group === ' ' ? GROUP_SPACES : group);
    if (!/^[0-9]{1,3}$/.test(groups[0]!)) return undefined;
    for (let i = 1; i < groups.length; i++) if (!/^[0-9]{3}$/.test(groups[i]!)) return undefined;
    integer = groups.join('');
  }
  if (integer === '' && fraction === '') return undefined;
  return `${integer === '' ? '0' : integer}${fraction === '' ? '' : `.${fraction}`}`;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
