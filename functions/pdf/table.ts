/**
 * A hand-made table: pdfkit's `doc.table()` does not repeat its header on a new page, and an auditor reading page 7
 * of a lineage appendix needs the column names. Rows are measured with `heightOfString` before drawing, so a row is
 * never split and never runs into the footer.
 */
import type { ReportCanvas, StructureOptions } from './document';
import { drawWrapped, type LineState, newLineState, placeCompactLine, type WrappedText, wrapText } from './text-cache';
import { COLOURS, hex } from './theme';

/** How a table cell's text is tagged in the structure tree. */
type CellRole = 'TH' | 'TD';

/** Horizontal alignment of a column. */
export type Align = 'left' | 'right' | 'center';

/** A cell with styling; a plain string is a cell with none. */
export interface CellContent {
  text: string;
  bold?: boolean;
  /** Text colour. */
  color?: string;
  /** Colour of a small square drawn before the text (status cells). */
  marker?: string;
  /** Background of the cell, over the zebra stripe. */
  fill?: string;
  /** A second, smaller muted line under the text (an id under a title). */
  note?: string;
  /** Colour of a strip along the top of the cell (header cells of status columns). */
  strip?: string;
}

/** One column: header text, relative width, alignment, and how to get the cell from a row. */
export interface TableColumn<R> {
  header: string;
  /** Colour of a strip along the top of the header cell (status columns), whatever the alignment. */
  headerMarker?: string;
  /** Relative width of a flexible column (default 1); flexible columns share what the fitted ones leave. */
  width?: number;
  /**
   * Size the column to its content instead: `content` fits the widest cell on one line (numbers, codes, dates),
   * `words` the widest single word, so text wraps between words but never inside one (statuses, units).
   */
  fit?: 'content' | 'words';
  align?: Align;
  cell: (row: R) => string | CellContent;
}

/** What to draw. */
export interface TableOptions<R> {
  columns: TableColumn<R>[];
  rows: readonly R[];
  /** Rows after the body (totals), bold with a rule above; one entry per column. */
  footer?: (string | CellContent)[][];
  fontSize?: number;
  zebra?: boolean;
  /** Start the table on a new page rather than split it, when it fits on one page. */
  keepTogether?: boolean;
}

const PAD_X = 3.5;
const PAD_Y = 3;
const LINE_GAP = 0.5;
const MARKER = 6;
const NOTE_GAP = 1;
/**
 * Line breaks the Unicode line breaker must honour. Text with one goes through pdfkit's wrapper when drawn: a
 * forced break ending the last line that fits makes pdfkit append an ellipsis, which the lines kept from
 * measuring would not show.
 */
const HARD_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;

/**
 * A cell ready to draw: its content, its one-line width, and whether it must wrap. Every field is always present,
 * so that all cells share one object shape and the drawing loop reads them at full speed. It is the one object a
 * cell has from the column's value to the page: measuring fills in its width and lines (a long table's cells all
 * live until the table is drawn, and each extra object per cell was the garbage collector's to copy).
 */
interface Sized {
  text: string;
  bold: boolean;
  color: string | undefined;
  marker: string | undefined;
  fill: string | undefined;
  note: string | undefined;
  strip: string | undefined;
  /** Width of the text on one line, in the cell's font. */
  natural: number;
  /** The text does not fit on one line of its column (or has line breaks) and goes through pdfkit's wrapper. */
  wraps: boolean;
  /** Its lines as the wrapper broke them when measuring, drawn as they are; null for pdfkit to wrap when drawn. */
  wrapped: WrappedText | null;
}

/** A cell of `value`, bold if `bold` or the value says so; measured later. */
function sized(value: string | CellContent, bold: boolean): Sized {
  if (typeof value === 'string') {
    return plainCell(value, bold);
  }
  return {
    text: value.text,
    bold: bold || (value.bold ?? false),
    color: value.color,
    marker: value.marker,
    fill: value.fill,
    note: value.note,
    strip: value.strip,
    natural: 0,
    wraps: false,
    wrapped: null,
  };
}

function plainCell(text: string, bold: boolean): Sized {
  return {
    text,
    bold,
    color: undefined,
    marker: undefined,
    fill: undefined,
    note: undefined,
    strip: undefined,
    natural: 0,
    wraps: false,
    wrapped: null,
  };
}

interface Measured {
  cells: Sized[];
  height: number;
}

interface TableLayout {
  widths: number[];
  header: Measured;
  body: Measured[];
  footer: Measured[];
  maxRowHeight: number;
  /** Header plus every row, as if on one page. */
  total: number;
}

/**
 * Column widths and every row's height, before anything is drawn. Most cells (numbers, codes, dates) fit on one
 * line: they are measured with `widthOfString` alone, which is several times cheaper than a wrap with
 * `heightOfString`, and that is most of the time a long lineage appendix takes.
 */
function layoutTable<R>(canvas: ReportCanvas, options: TableOptions<R>): TableLayout {
  const { doc } = canvas;
  const size = options.fontSize ?? 7.5;
  const columns = options.columns;
  const headerCells = columns.map((c) => ({
    ...plainCell(c.header, true),
    color: COLOURS.heading,
    strip: c.headerMarker,
  }));
  const bodyCells = options.rows.map((r) => {
    const cells = new Array<Sized>(columns.length);
    for (let i = 0; i < columns.length; i++) cells[i] = sized(columns[i]!.cell(r), false);
    return cells;
  });
  const footerCells = (options.footer ?? []).map((cells) => cells.map((c) => sized(c, true)));
  for (const cells of bodyCells) measureNatural(canvas, cells, size);
  for (const cells of footerCells) measureNatural(canvas, cells, size);
  const widths = columnWidths(canvas, columns, bodyCells, footerCells, size);
  measureNatural(canvas, headerCells, size);
  canvas.font(false, size);
  const oneLine = doc.currentLineHeight(true) + LINE_GAP;
  const measure = (cells: Sized[]): Measured => measureRow(canvas, cells, widths, size, oneLine);

  const header = measure(headerCells);
  // A row taller than a page (pathological input) is clipped with an ellipsis instead of overflowing the footer.
  const maxRowHeight = canvas.bottom - canvas.top - header.height - 2;
  const body = bodyCells.map(measure);
  const footer = footerCells.map(measure);
  let total = header.height;
  for (const row of body) total += Math.min(row.height, maxRowHeight);
  for (const row of footer) total += Math.min(row.height, maxRowHeight);
  return { widths, header, body, footer, maxRowHeight, total };
}

/** Layouts made by {@link tableKeepHeight}, for the table drawn next. */
const LAID_OUT = new WeakMap<object, { canvas: ReportCanvas; layout: TableLayout }>();

/** The layout {@link tableKeepHeight} made of these options on this canvas (once), else a new one. */
function laidOut<R>(canvas: ReportCanvas, options: TableOptions<R>): TableLayout {
  const kept = LAID_OUT.get(options);
  LAID_OUT.delete(options);
  return kept?.canvas === canvas ? kept.layout : layoutTable(canvas, options);
}

/** Each cell's width on one line, in its font. */
function measureNatural(canvas: ReportCanvas, cells: Sized[], size: number): void {
  for (const cell of cells) {
    canvas.font(cell.bold, size);
    cell.natural = canvas.doc.widthOfString(cell.text);
  }
}

/**
 * A row's height, and for each cell whether it wraps and its lines. Most cells (numbers, codes, dates) fit on one
 * line, known from their width alone; only the others go through the line wrapper.
 */
function measureRow(canvas: ReportCanvas, cells: Sized[], widths: number[], size: number, oneLine: number): Measured {
  const { doc } = canvas;
  let height = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const textWidth = widths[i]! - 2 * PAD_X - (cell.marker ? MARKER + 3 : 0);
    const wraps = cell.natural > textWidth || cell.text.includes('\n');
    let h = oneLine;
    if (wraps) {
      canvas.font(cell.bold, size);
      const wrapped = HARD_BREAK.test(cell.text) ? null : wrapText(doc, cell.text, textWidth, LINE_GAP);
      h = wrapped ? wrapped.height : doc.heightOfString(cell.text, { width: textWidth, lineGap: LINE_GAP });
      cell.wraps = true;
      cell.wrapped = wrapped;
    }
    if (cell.note) {
      canvas.font(false, size - 0.5);
      h += NOTE_GAP + doc.heightOfString(cell.note, { width: textWidth, lineGap: LINE_GAP });
    }
    if (h > height) height = h;
  }
  return { cells, height: height + 2 * PAD_Y };
}

/**
 * How much of the page a heading above the table should keep with it: the whole table when it fits on a page
 * (so heading and table move together), else the header and first row.
 */
export function tableKeepHeight<R>(canvas: ReportCanvas, options: TableOptions<R>): number {
  const layout = layoutTable(canvas, options);
  // The table is drawn next, from the same options on the same canvas: it takes this layout instead of making it
  // again (every measure is a function of the options, the fonts and the page size, none of which change between).
  LAID_OUT.set(options, { canvas, layout });
  const { header, body, total } = layout;
  if (options.keepTogether && total <= canvas.bottom - canvas.top - 60) return total;
  return header.height + (body[0]?.height ?? 0);
}

/**
 * What drawing one table needs, made once per table and passed to the row and cell helpers (module functions
 * rather than closures, as they run for every row of a long table).
 */
interface TableDrawing {
  canvas: ReportCanvas;
  doc: PDFKit.PDFDocument;
  size: number;
  aligns: Align[];
  widths: number[];
  header: Measured;
  maxRowHeight: number;
  /**
   * The fill colour last set for text, or null after anything else set one (a fill, a note, a new page). Most
   * cells share one text colour, and setting it again for each of a long table's cells was a tenth of its drawing.
   */
  textColour: string | null;
  /** The font the table's text last set on the page (placeCompactLine). */
  line: LineState;
  /**
   * The cell being drawn and where its text goes, for {@link TableDrawing.drawCell}: set for each cell, so that no
   * closure or box is made per cell.
   */
  cell: Sized | null;
  align: Align;
  textX: number;
  rowY: number;
  textWidth: number;
  textHeight: number;
  clipped: boolean;
  allBold: boolean;
  /** Draws the current cell's text; made once per table, handed to the canvas's `tag` for every cell. */
  drawCell: () => void;
}

/** Draw a table at the canvas cursor, breaking pages between rows and repeating the header row on each page. */
export function drawTable<R>(canvas: ReportCanvas, options: TableOptions<R>): void {
  const { doc } = canvas;
  const zebra = options.zebra ?? true;
  const { widths, header, body, footer, maxRowHeight, total } = laidOut(canvas, options);
  const t: TableDrawing = {
    canvas,
    doc,
    size: options.fontSize ?? 7.5,
    aligns: options.columns.map((c) => c.align ?? 'left'),
    widths,
    header,
    maxRowHeight,
    textColour: null,
    line: newLineState(),
    cell: null,
    align: 'left',
    textX: 0,
    rowY: 0,
    textWidth: 0,
    textHeight: 0,
    clipped: false,
    allBold: false,
    drawCell: () => drawCellText(t),
  };

  if (options.keepTogether && total <= canvas.bottom - canvas.top) canvas.ensureSpace(total);
  // Header plus the first row must fit together: a header alone at a page bottom helps nobody.
  canvas.ensureSpace(header.height + Math.min(body[0]?.height ?? footer[0]?.height ?? 0, maxRowHeight));
  canvas.group('Table', () => {
    drawHeader(t, false);

    body.forEach((row, index) => {
      const height = placeRow(t, row);
      const y = canvas.y;
      canvas.group('TR', () => drawRow(t, row, y, zebra && index % 2 === 1 ? COLOURS.zebra : null, false, 'TD'));
      canvas.y = y + height;
    });

    footer.forEach((row, index) => {
      const height = placeRow(t, row);
      const y = canvas.y;
      if (index === 0) {
        doc.moveTo(canvas.left, y).lineTo(canvas.right, y).lineWidth(0.75).strokeColor(COLOURS.heading).stroke();
      }
      canvas.group('TR', () => drawRow(t, row, y, null, true, 'TD'));
      canvas.y = y + height;
    });
  });

  const endY = canvas.y;
  doc.moveTo(canvas.left, endY).lineTo(canvas.right, endY).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
  doc.fillColor(COLOURS.text);
  doc.x = canvas.left;
}

/** Set a fill colour for anything but text (which then has to set its own again). */
function fillWith(t: TableDrawing, colour: string): void {
  t.doc.fillColor(colour);
  t.textColour = null;
}

/** Make room for `row`, starting a new page with the header repeated when it does not fit; returns its height. */
function placeRow(t: TableDrawing, row: Measured): number {
  const { canvas } = t;
  const height = Math.min(row.height, t.maxRowHeight);
  if (canvas.y + height > canvas.bottom) {
    canvas.newPage();
    // A new page starts from the default graphics state.
    t.textColour = null;
    drawHeader(t, true);
  }
  return height;
}

/** The header row: tagged as the table's first row once, an artifact where it is repeated on a new page. */
function drawHeader(t: TableDrawing, repeated: boolean): void {
  const { canvas, doc, header } = t;
  const y = canvas.y;
  if (repeated) canvas.artifact(() => drawRow(t, header, y, COLOURS.headerFill, true, null), 'Pagination');
  else canvas.group('TR', () => drawRow(t, header, y, COLOURS.headerFill, true, 'TH'));
  const ruleY = y + header.height;
  doc.moveTo(canvas.left, ruleY).lineTo(canvas.right, ruleY).lineWidth(0.75).strokeColor(COLOURS.heading).stroke();
  canvas.y = ruleY;
}

/** A header cell's options in the structure tree: it heads its column. */
const COLUMN_HEADER: StructureOptions = { scope: 'Column' };

/** `role`: how a cell's text is tagged (TH, TD), or null inside an artifact (a header repeated on a new page). */
function drawRow(
  t: TableDrawing,
  row: Measured,
  y: number,
  fill: string | null,
  allBold: boolean,
  role: CellRole | null,
): void {
  const { canvas, doc, size, widths, aligns, maxRowHeight } = t;
  const height = Math.min(row.height, maxRowHeight);
  if (fill) {
    doc.rect(canvas.left, y, canvas.width, height);
    fillWith(t, fill);
    doc.fill();
  }
  t.rowY = y;
  t.textHeight = height - 2 * PAD_Y + 0.5;
  t.clipped = row.height > maxRowHeight;
  t.allBold = allBold;
  const options = role === 'TH' ? COLUMN_HEADER : undefined;
  let x = canvas.left;
  const cells = row.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const w = widths[i]!;
    if (cell.fill) {
      doc.rect(x, y, w, height);
      fillWith(t, hex(cell.fill));
      doc.fill();
    }
    if (cell.strip) {
      doc.rect(x + 1, y, w - 2, 2.5);
      fillWith(t, hex(cell.strip));
      doc.fill();
    }
    let textX = x + PAD_X;
    let textWidth = w - 2 * PAD_X;
    if (cell.marker) {
      doc.rect(textX, y + PAD_Y + size * 0.2, MARKER, MARKER);
      fillWith(t, hex(cell.marker));
      doc.fill();
      textX += MARKER + 3;
      textWidth -= MARKER + 3;
    }
    t.cell = cell;
    t.align = aligns[i]!;
    t.textX = textX;
    t.textWidth = textWidth;
    if (role === null) drawCellText(t);
    else canvas.tag(role, t.drawCell, options);
    x += w;
  }
  t.cell = null;
}

/** The current cell's text (see {@link TableDrawing.cell}). */
function drawCellText(t: TableDrawing): void {
  const { canvas, doc, size, textX, rowY: y, textWidth, textHeight, align } = t;
  const cell = t.cell!;
  canvas.font(t.allBold || cell.bold, size);
  const colour = cell.color ? hex(cell.color) : COLOURS.text;
  if (colour !== t.textColour) {
    doc.fillColor(colour);
    t.textColour = colour;
  }
  if (cell.wrapped && !t.clipped) {
    // Lines broken once, when measuring; a clipped row goes through pdfkit for its ellipsis.
    drawWrapped(doc, cell.wrapped, textX, y + PAD_Y, align, LINE_GAP, t.line);
  } else if (cell.wraps) {
    doc.text(cell.text, textX, y + PAD_Y, {
      width: textWidth,
      align,
      lineGap: LINE_GAP,
      height: textHeight,
      ellipsis: true,
    });
  } else if (cell.text) {
    // One line: place it ourselves and skip pdfkit's line wrapper (the same glyphs at the same baseline).
    const offset =
      align === 'right' ? textWidth - cell.natural : align === 'center' ? (textWidth - cell.natural) / 2 : 0;
    placeCompactLine(doc, cell.text, textX + offset, y + PAD_Y, t.line);
  }
  if (!cell.note) return;
  // A wrapped text leaves the cursor under itself; a placed line does not move it.
  const textBottom = cell.wraps ? doc.y : y + PAD_Y + doc.currentLineHeight(true) + LINE_GAP;
  const noteY = textBottom + NOTE_GAP;
  if (noteY < y + textHeight) {
    canvas.font(false, size - 0.5);
    fillWith(t, COLOURS.muted);
    doc.text(cell.note, textX, noteY, {
      width: textWidth,
      align,
      lineGap: LINE_GAP,
      height: y + PAD_Y + textHeight - noteY,
      ellipsis: true,
    });
  }
}

/** Widest unbreakable run of `text`: split at ordinary spaces only, as the no-break spaces inside numbers hold. */
function widest(canvas: ReportCanvas, text: string): number {
  return Math.max(0, ...text.split(/[ \t\n]+/).map((part) => canvas.doc.widthOfString(part)));
}

/**
 * Column widths: fitted columns get what their header words and cells need (each capped at 30 % of the table so
 * one odd value cannot take it), flexible columns share the rest by weight. When the fitted columns would leave the
 * flexible ones less than a fifth of the table, the fitted ones shrink proportionally and wrap instead.
 */
function columnWidths<R>(
  canvas: ReportCanvas,
  columns: TableColumn<R>[],
  body: Sized[][],
  footer: Sized[][],
  size: number,
): number[] {
  const total = canvas.width;
  const fitted = columns.map((column, i) => {
    if (!column.fit) return null;
    canvas.font(true, size);
    let need = widest(canvas, column.header);
    const fit = (row: Sized[]): void => {
      const cell = row[i];
      if (!cell) return;
      let width = cell.natural;
      if (column.fit === 'words') {
        canvas.font(cell.bold, size);
        width = widest(canvas, cell.text);
      }
      need = Math.max(need, width + (cell.marker ? MARKER + 3 : 0));
    };
    body.forEach(fit);
    footer.forEach(fit);
    return Math.min(need + 2 * PAD_X + 1, total * 0.3);
  });
  const fixed = fitted.reduce<number>((sum, w) => sum + (w ?? 0), 0);
  const weight = (c: TableColumn<R>): number => c.width ?? 1;
  const flexWeight = columns.reduce((sum, c, i) => sum + (fitted[i] === null ? weight(c) : 0), 0);
  // Only fitted columns: stretch or shrink them to the table width.
  if (flexWeight === 0) return fitted.map((w) => ((w ?? 0) / fixed) * total);
  const flexSpace = Math.max(total - fixed, total * 0.2);
  const scale = (total - flexSpace) / fixed;
  return columns.map((c, i) => {
    const w = fitted[i];
    return w === null || w === undefined ? (weight(c) / flexWeight) * flexSpace : w * Math.min(scale, 1);
  });
}
