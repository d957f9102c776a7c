/** A1 addresses, for lineage built in core (the workbook reader has its own for parsing). */
export function columnName(col: number): string {
  let n = col;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

export function cellRefOf(row: number, col: number): string {
  return `${columnName(col)}${row}`;
}
