/**
 * Page content written in one piece. pdfkit turns every operator it writes into its own byte array (a character
 * loop per line of PDF), and a long table writes some ten operators per cell: tens of thousands of small arrays,
 * and the garbage collector's time with them. Here a page's operators are kept as strings and turned into bytes
 * once, when the page ends: the same bytes (each operator plus a line feed, one byte per character) in one array,
 * which pdfkit compresses exactly as it compressed the many. A document may ask for another deflate level: the
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
}

/** How page content is compressed: pdfkit's way (zlib's default level, 6), or deflated here at `level`. */
export interface ContentCompression {
  level?: number;
}

const BUFFERED = Symbol('pmif-content-buffered');

function isContentReference(value: unknown): value is ContentReference {
  const ref = value as Partial<ContentReference> | null;
  return typeof ref === 'object' && ref !== null && typeof ref.write === 'function' && typeof ref.end === 'function';
}

function buffer(ref: ContentReference, compression: ContentCompression): void {
  const write = ref.write;
  const end = ref.end;
  // Deflated here, once, at the level asked for; pdfkit then writes the stream as it is, marked as deflated. What
  // pdfkit already holds (a new page's first operator comes before the page is announced) is taken over.
  const held = ref.buffer;
  const level = ref.compress === true && ref.data && Array.isArray(held) ? compression.level : undefined;
  const parts: Uint8Array[] = [];
  if (level !== undefined && held) {
    ref.compress = false;
    parts.push(...held);
    held.length = 0;
  }
  const emit = level === undefined ? (bytes: Uint8Array) => write.call(ref, bytes) : (b: Uint8Array) => parts.push(b);
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    // pdfkit writes a string chunk as its characters' low bytes plus '\n'; latin1 is exactly that.
    const bytes = Buffer.from(`${pending.join('\n')}\n`, 'latin1');
    pending = [];
    emit(bytes);
  };
  ref.write = (chunk) => {
    if (typeof chunk === 'string') pending.push(chunk);
    else {
      flush();
      emit(chunk);
    }
    return undefined;
  };
  ref.end = (chunk) => {
    if (chunk !== undefined) ref.write(chunk);
    flush();
    if (level !== undefined && parts.length > 0) {
      ref.data!.Filter = 'FlateDecode';
      write.call(ref, deflateSync(Buffer.concat(parts), { level }));
    }
    return end.call(ref);
  };
  ref[BUFFERED] = true;
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
}

function isWritingDocument(value: unknown): value is WritingDocument {
  const doc = value as Partial<WritingDocument>;
  return typeof doc._offset === 'number' && typeof doc._write === 'function' && typeof doc.push === 'function';
}

/** Characters of PDF syntax gathered before they are handed on as one chunk. */
const WRITE_CHUNK = 1 << 16;

/**
 * The document's own output written in large pieces. pdfkit turns every line of PDF syntax it writes (an object's
 * number, its dictionary, `endobj`) into its own byte array and pushes each through its output stream; a tagged
 * table writes a structure element per cell, tens of thousands of objects, and pushing them one line at a time
 * took longer than drawing the table. Here lines are kept as strings and turned into bytes per 64 K characters:
 * the same bytes, in fewer chunks. The byte offset (`_offset`, which the cross-reference table is written from)
 * still advances with every line. Reads pdfkit internals; if they are not there, the document is left alone.
 */
export function bufferDocumentWrites(pdf: PDFKit.PDFDocument): void {
  const doc = pdf as unknown as WritingDocument;
  if (!isWritingDocument(doc)) return;
  const push = doc.push.bind(doc);
  let pending: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (size === 0) return;
    // pdfkit writes a line as its characters' low bytes plus '\n'; latin1 is exactly that.
    push(Buffer.from(pending.join(''), 'latin1'));
    pending = [];
    size = 0;
  };
  doc._write = (data) => {
    if (typeof data === 'string') {
      const line = `${data}\n`;
      pending.push(line);
      size += line.length;
      doc._offset += line.length;
      if (size >= WRITE_CHUNK) flush();
      return;
    }
    flush();
    push(data);
    doc._offset += data.length;
  };
  // The end of the document (null) comes after the last lines: they go first.
  doc.push = (chunk) => {
    if (chunk === null) flush();
    return push(chunk);
  };
}
