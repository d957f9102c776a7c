/**
 * Output safety for user text (titles, narrative, comments, category names, raw lineage values) written into
 * spreadsheets and CSV files. Generated files must never turn user text into a formula (docs/architecture.md §7).
 */

/** Excel's limit for the text of one cell, in UTF-16 code units. */
export const MAX_CELL_TEXT = 32_767;

/** Marks a cut so a reader knows the cell does not hold the whole text. */
const TRUNCATION_MARK = '…';

/**
 * C0 controls except tab and line feed, DEL, C1 controls, the XML non-characters U+FFFE/U+FFFF and lone
 * surrogates. XML 1.0 cannot carry most of these (a file holding them is corrupt to Excel), and the rest are
 * invisible in a cell and only serve to disguise content. Carriage return goes too: a cell wants `\n` only.
 */
const UNSAFE_CHARS = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\uFFFE\\uFFFF]',
    // A surrogate without its partner is not a character at all.
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);

/**
 * OOXML strings use `_xHHHH_` as a character escape, so Excel (and exceljs) would show user text `_x0041_` as
 * `A`. Escaping the underscore (`_x005F_`) keeps such text literal.
 */
const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Make user text fit to be a cell's plain string value: strips control characters (keeping tab and newline),
 * limits the text to {@link MAX_CELL_TEXT} characters (a cut text ends with `…`) and escapes `_xHHHH_`
 * sequences so the cell shows them literally.
 *
 * It returns a string, never a `{ formula }` object: exceljs writes a string value as a string cell whatever it
 * starts with, so `=cmd|' /C calc'!A0` stays text. Callers must not build formula values from user text.
 * Meant for spreadsheet cells only (the `_x005F_` escape would show up verbatim anywhere else).
 */
export function safeCellText(s: string): string {
  let text = s.replace(UNSAFE_CHARS, '');
  if (text.length > MAX_CELL_TEXT) {
    text = text.slice(0, MAX_CELL_TEXT - TRUNCATION_MARK.length);
    // Never leave half of a surrogate pair at the cut.
    if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
    text += TRUNCATION_MARK;
  }
  // After the cut: Excel's limit counts characters as shown, not as escaped.
  return text.replace(OOXML_ESCAPE, '_x005F_x$1_');
}

/** Characters that make Excel, LibreOffice or Sheets evaluate a CSV field as a formula when it starts with them. */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Escape one CSV text field: a field starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
 * single quote so spreadsheet programs show it as text (OWASP CSV injection advice), and a field containing a
 * comma, double quote, carriage return or line feed is quoted with inner quotes doubled (RFC 4180).
 *
 * Meant for text fields: a negative number passed through here comes out as `'-2`, so write numbers directly.
 */
export function csvEscape(field: string): string {
  const neutral = FORMULA_TRIGGERS.has(field.charAt(0)) ? `'${field}` : field;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}
