/**
 * Page content written in one piece. pdfkit turns every operator it writes into its own byte array (a character
 * loop per line of PDF), and a long table writes some ten operators per cell: tens of thousands of small arrays,
 * and the garbage collector's time with them. Here a page's operators are copied into one growing buffer as they
 * are written: the same bytes (each operator plus a line feed, one byte per character), which pdfkit compresses
 * exactly as it compressed the many. A document may ask for another deflate level: the
 * reports use zlib's fastest, and deflate each page once here (the same operators, new compressed bytes).
 *
 * Reads pdfkit internals (`page.content`, its `write` and `end`); if they are not there, pages are left alone.
 */
import { deflateSync } from 'node:zlib';

interface ContentReference {
  write(chunk: string | Uint8Array): unknown;
  end(chunk?: string | Uint8Array): unknown;
  /** pdfkit deflates the stream when it ends if this is set (with zlib's default level). */
  compress?: boolean;
  data?: Record<string, unknown>;
  /** What pdfkit holds of the stream so far. */
  buffer?: Uint8Array[];
  [BUFFERED]?: true;
  [COLOURS]?: PageColours;
}

/** How page content is compressed: pdfkit's way (zlib's default level, 6), or deflated here at `level`. */
export interface ContentCompression {
  level?: number;
}

const BUFFERED = Symbol('pmif-content-buffered');
const COLOURS = Symbol('pmif-content-colours');

/**
 * The fill and stroke colour operators in force at the end of a page's content so far, as {@link setColour} wrote
 * them (null: not known, e.g. a new page's default or a colour pdfkit set its own way), with what each `q` saved:
 * `Q` restores it. Known only while every `q` and `Q` on the page came as a chunk of its own, which is how pdfkit's
 * `save`/`restore` and the text writers write them; a byte chunk (which might hold either) makes the page's colours
 * unknown for good, and so written every time.
 */
class PageColours {
  fill: string | null = null;
  stroke: string | null = null;
  private readonly saved: (string | null)[] = [];
  private lost = false;

  /** Follow a one-character operator: `q` saves the colours, `Q` restores them. */
  single(operator: string): void {
    if (operator === 'q') this.saved.push(this.fill, this.stroke);
    else if (operator === 'Q') {
      // An unbalanced Q (more than this page saved) restores a state this page does not know.
      this.stroke = this.saved.length > 0 ? (this.saved.pop() as string | null) : null;
      this.fill = this.saved.length > 0 ? (this.saved.pop() as string | null) : null;
    }
  }

  /** Whether `operator` is already in force; records it as in force (it is about to be written) if not. */
  holds(operator: string, stroke: boolean): boolean {
    if (this.lost) return false;
    if ((stroke ? this.stroke : this.fill) === operator) return true;
    if (stroke) this.stroke = operator;
    else this.fill = operator;
    return false;
  }

  /** The colours are set some other way (or `which` of them): not known until set here again. */
  forget(which: 'fill' | 'stroke' | 'both' = 'both'): void {
    if (which !== 'stroke') this.fill = null;
    if (which !== 'fill') this.stroke = null;
  }

  /** Content this page cannot follow was written: its colours are never known again. */
  lose(): void {
    this.lost = true;
    this.forget();
  }
}

interface ColourHost {
  page?: { content?: unknown };
  addContent(data: string): unknown;
}

/**
 * Write a colour operator (one that sets the fill or stroke colour and its colour space, such as `r g b rg`) unless
 * the same operator is in force on the current page already: reports set the text colour before every paragraph,
 * cell and label, mostly to the colour it already has. Pages whose content is not buffered here get it every time.
 */
export function setColour(pdf: PDFKit.PDFDocument, operator: string, stroke: boolean): void {
  const doc = pdf as unknown as ColourHost;
  const colours = (doc.page?.content as ContentReference | undefined)?.[COLOURS];
  if (colours?.holds(operator, stroke)) return;
  doc.addContent(operator);
}

/** The current page's colours were set without {@link setColour} (`which` of them): write the next one again. */
export function forgetColours(pdf: PDFKit.PDFDocument, which: 'fill' | 'stroke' | 'both' = 'both'): void {
  const content = (pdf as unknown as ColourHost).page?.content as ContentReference | undefined;
  content?.[COLOURS]?.forget(which);
}

function isContentReference(value: unknown): value is ContentReference {
  const ref = value as Partial<ContentReference> | null;
  return typeof ref === 'object' && ref !== null && typeof ref.write === 'function' && typeof ref.end === 'function';
}

/** A page's content starts in a buffer of this size, doubled as needed. */
const PAGE_START = 1 << 14;
/** Page buffers kept for later pages once deflated: how many, and up to what size. */
const SPARE_PAGES = 8;
const SPARE_LIMIT = 1 << 20;
const spare: Buffer[] = [];
const EMPTY = Buffer.alloc(0);
/**
 * Strings up to this length are copied character by character; longer ones by Buffer's latin1 writer, whose call
 * costs as much as copying a few hundred characters (a page's text lines and colours are 40 to 200).
 */
const SHORT_LINE = 512;

/**
 * A page's operators as bytes, copied in as they are written: each string's characters' low bytes and a line feed
 * (what pdfkit writes for a string chunk), byte chunks as they are. Keeping the operators as strings until the
 * page ended held every one of them (and the numbers' strings inside) until the document ended, since pages are
 * buffered, and joining them flattened each again: more than a page's deflate.
 */
class PageBytes {
  private data = spare.pop() ?? Buffer.allocUnsafe(PAGE_START);
  private used = 0;

  get length(): number {
    return this.used;
  }

  private room(length: number): void {
    if (this.used + length <= this.data.length) return;
    let size = Math.max(this.data.length * 2, PAGE_START);
    while (size < this.used + length) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.data.copy(grown, 0, 0, this.used);
    this.data = grown;
  }

  line(text: string): void {
    const length = text.length;
    this.room(length + 1);
    const data = this.data;
    let used = this.used;
    if (length <= SHORT_LINE) for (let i = 0; i < length; i++) data[used++] = text.charCodeAt(i);
    // latin1 writes each character's low byte, as pdfkit's own conversion does.
    else used += data.write(text, used, 'latin1');
    data[used++] = 0x0a;
    this.used = used;
  }

  bytes(chunk: Uint8Array): void {
    this.room(chunk.length);
    this.data.set(chunk, this.used);
    this.used += chunk.length;
  }

  /** The bytes so far, as a view valid until the next write, {@link clear} or {@link release}. */
  view(): Buffer {
    return this.data.subarray(0, this.used);
  }

  clear(): void {
    this.used = 0;
  }

  /** Give the buffer back for a later page; nothing is written to this one after. */
  release(): void {
    const data = this.data;
    if (data.length > 0 && spare.length < SPARE_PAGES && data.length <= SPARE_LIMIT) spare.push(data);
    this.data = EMPTY;
    this.used = 0;
  }
}

function buffer(ref: ContentReference, compression: ContentCompression): void {
  const write = ref.write;
  const end = ref.end;
  // Deflated here, once, at the level asked for; pdfkit then writes the stream as it is, marked as deflated. What
  // pdfkit already holds (a new page's first operator comes before the page is announced) is taken over.
  const held = ref.buffer;
  const level = ref.compress === true && ref.data && Array.isArray(held) ? compression.level : undefined;
  const page = new PageBytes();
  const colours = new PageColours();
  // What came before this page was followed cannot hold a q or Q of its own (a new page's transform), or else
  // the page's saved states are not known.
  if (held?.some((chunk) => chunk.includes(0x71) || chunk.includes(0x51))) colours.lose();
  if (level !== undefined && held) {
    ref.compress = false;
    for (const chunk of held) page.bytes(chunk);
    held.length = 0;
  }
  // pdfkit's own deflate: what is gathered goes to pdfkit before a byte chunk, and at the end.
  const handOn = (): void => {
    if (page.length === 0) return;
    write.call(ref, Buffer.from(page.view()));
    page.clear();
  };
  ref.write = (chunk) => {
    if (typeof chunk === 'string') {
      if (chunk.length === 1) colours.single(chunk);
      page.line(chunk);
      return undefined;
    }
    colours.lose();
    if (level !== undefined) page.bytes(chunk);
    else {
      handOn();
      write.call(ref, chunk);
    }
    return undefined;
  };
  ref.end = (chunk) => {
    if (chunk !== undefined) ref.write(chunk);
    if (level === undefined) handOn();
    else if (page.length > 0) {
      ref.data!.Filter = 'FlateDecode';
      write.call(ref, deflateSync(page.view(), { level }));
    }
    page.release();
    return end.call(ref);
  };
  ref[BUFFERED] = true;
  ref[COLOURS] = colours;
}

/** Buffer the content of the document's current page and of every page added after. */
export function bufferPageContent(doc: PDFKit.PDFDocument, compression: ContentCompression = {}): void {
  const current = (): void => {
    const content = (doc as unknown as { page?: { content?: unknown } }).page?.content;
    if (isContentReference(content) && !content[BUFFERED]) buffer(content, compression);
  };
  current();
  doc.on('pageAdded', current);
}

interface WritingDocument {
  _offset: number;
  _write(data: string | Uint8Array): void;
  push(chunk: Uint8Array | null): boolean;
  /** pdfkit's cross-reference data and its writer (see {@link writeCrossReference}). */
  _offsets?: (number | null)[];
  _finalize?: () => void;
  _security?: unknown;
  _root?: object;
  _info?: object;
  _id?: unknown;
}

function isWritingDocument(value: unknown): value is WritingDocument {
  const doc = value as Partial<WritingDocument>;
  return typeof doc._offset === 'number' && typeof doc._write === 'function' && typeof doc.push === 'function';
}

/** Bytes of PDF syntax gathered before they are handed on as one chunk. */
const WRITE_CHUNK = 1 << 16;
/**
 * A document's output as it is written: lines of PDF syntax copied into 64 KB buffers, handed on when full. Each
 * line's characters' low bytes and a line feed, as pdfkit writes them. Besides whole lines, a writer that knows its
 * syntax (structure.ts) can write a line piece by piece, numbers as digits, without building a string for it.
 */
export class DocumentOutput {
  private chunk = Buffer.allocUnsafe(WRITE_CHUNK);
  private used = 0;

  constructor(
    private readonly doc: WritingDocument,
    private readonly push: (chunk: Uint8Array | null) => boolean,
  ) {}

  /** Hand on what is gathered. */
  flush(): void {
    if (this.used === 0) return;
    this.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(WRITE_CHUNK);
    this.used = 0;
  }

  /** Room for `length` more bytes in the current chunk. */
  reserve(length: number): void {
    if (this.used + length <= this.chunk.length) return;
    this.flush();
    if (length > this.chunk.length) this.chunk = Buffer.allocUnsafe(length);
  }

  /** `text` and a line feed, as pdfkit's `_write` writes a string. */
  line(text: string): void {
    const length = text.length + 1;
    this.reserve(length);
    if (text.length <= SHORT_LINE) this.ascii(text);
    else {
      // latin1 writes each character's low byte, as pdfkit's own conversion does.
      this.chunk.write(text, this.used, 'latin1');
      this.used += text.length;
      this.doc._offset += text.length;
    }
    this.byte(0x0a);
  }

  /** Bytes as they are, after what is gathered. */
  bytes(data: Uint8Array): void {
    this.flush();
    this.push(data);
    this.doc._offset += data.length;
  }

  /** Characters' low bytes; the caller has reserved room for them. */
  ascii(text: string): void {
    const chunk = this.chunk;
    let used = this.used;
    for (let i = 0; i < text.length; i++) chunk[used++] = text.charCodeAt(i);
    this.doc._offset += used - this.used;
    this.used = used;
  }

  /** One byte; the caller has reserved room for it. */
  byte(value: number): void {
    this.chunk[this.used++] = value;
    this.doc._offset++;
  }

  /** A non-negative integer in decimal digits (at most 15), padded with zeros to `width`; room reserved. */
  digits(value: number, width = 0): void {
    const chunk = this.chunk;
    let count = 1;
    for (let rest = Math.floor(value / 10); rest > 0; rest = Math.floor(rest / 10)) count++;
    const length = Math.max(count, width);
    let at = this.used + length - 1;
    let rest = value;
    for (let i = 0; i < length; i++) {
      chunk[at--] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.used += length;
    this.doc._offset += length;
  }
}

const OUTPUTS = new WeakMap<object, DocumentOutput>();

/** The document's buffered output, if {@link bufferDocumentWrites} set one up. */
export function documentOutput(pdf: object): DocumentOutput | undefined {
  return OUTPUTS.get(pdf);
}

/**
 * The document's own output written in large pieces. pdfkit turns every line of PDF syntax it writes (an object's
 * number, its dictionary, `endobj`) into its own byte array and pushes each through its output stream; a tagged
 * table writes a structure element per cell, tens of thousands of objects, and pushing them one line at a time
 * took longer than drawing the table. Here lines are copied into 64 KB buffers as they come
 * ({@link DocumentOutput}): the same bytes, in fewer chunks, and no string kept or joined. The byte offset
 * (`_offset`, which the cross-reference table is written from) still advances with every byte. Reads pdfkit
 * internals; if they are not there, the document is left alone.
 */
export function bufferDocumentWrites(pdf: PDFKit.PDFDocument): void {
  const doc = pdf as unknown as WritingDocument;
  if (!isWritingDocument(doc)) return;
  const push = doc.push.bind(doc);
  const output = new DocumentOutput(doc, push);
  OUTPUTS.set(pdf, output);
  doc._write = (data) => {
    if (typeof data === 'string') output.line(data);
    else output.bytes(data);
  };
  // The end of the document (null) comes after the last lines: they go first.
  doc.push = (data) => {
    if (data === null) output.flush();
    return push(data);
  };
  writeCrossReference(doc, output);
}

/**
 * pdfkit's last step (`_finalize`: the cross-reference table, the trailer, `%%EOF`) with the table's entries
 * written as bytes instead of a string and a write per object (a tagged table has one per cell). The same text as pdfkit's; a document
 * that is encrypted, or whose trailer pdfkit would write differently, keeps pdfkit's own step.
 */
function writeCrossReference(doc: WritingDocument, output: DocumentOutput): void {
  const original = doc._finalize;
  if (typeof original !== 'function' || !Array.isArray(doc._offsets)) return;
  doc._finalize = function finalize(this: WritingDocument) {
    const { _offsets: offsets, _root: root, _info: info, _id: id } = doc;
    if (doc._security || !offsets || !root || !info || !(id instanceof Uint8Array)) return original.call(doc);
    const xRefOffset = doc._offset;
    doc._write('xref');
    doc._write(`0 ${offsets.length + 1}`);
    doc._write('0000000000 65535 f ');
    for (const offset of offsets) {
      // pdfkit pads to ten digits and keeps the last ten (an object never written reads 000000null).
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset >= 1e10) {
        doc._write(`${`0000000000${offset}`.slice(-10)} 00000 n `);
        continue;
      }
      output.reserve(20);
      output.digits(offset, 10);
      output.ascii(' 00000 n \n');
    }
    doc._write('trailer');
    const hex = `<${Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex')}>`;
    doc._write(`<<\n/Size ${offsets.length + 1}\n/Root ${root}\n/Info ${info}\n/ID [${hex} ${hex}]\n>>`);
    doc._write('startxref');
    doc._write(`${xRefOffset}`);
    doc._write('%%EOF');
    doc.push(null);
  };
}
