/** A1 addresses: one implementation for the readers, the writers and the lineage built in core. */

/** Column letters from a 1-based column number: `columnLetter(28) === 'AB'`. */
export function columnLetter(col: number): string {
  if (!Number.isInteger(col) || col < 1) throw new RangeError(`not a column number: ${col}`);
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** An A1 reference from 1-based row and column: `cellRef(5, 28) === 'AB5'`. */
export function cellRef(row: number, col: number): string {
  return `${columnLetter(col)}${row}`;
}

/** The content type of every XLSX the product writes (reports, annotated copies, templates). */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
