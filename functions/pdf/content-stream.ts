/**
 * Page content written in one piece. pdfkit turns every operator it writes into its own byte array (a character
 * loop per line of PDF), and a long table writes some ten operators per cell: tens of thousands of small arrays,
 * and the garbage collector's time with them. Here a page's operators are kept as strings and turned into bytes
 * once, when the page ends: the same bytes (each operator plus a line feed, one byte per character) in one array,
 * which pdfkit compresses exactly as it compressed the many.
 *
 * Reads pdfkit internals (`page.content`, its `write` and `end`); if they are not there, pages are left alone.
 */

interface ContentReference {
  write(chunk: string | Uint8Array): unknown;
  end(chunk?: string | Uint8Array): unknown;
  [BUFFERED]?: true;
}

const BUFFERED = Symbol('pmif-content-buffered');

function isContentReference(value: unknown): value is ContentReference {
  const ref = value as Partial<ContentReference> | null;
  return typeof ref === 'object' && ref !== null && typeof ref.write === 'function' && typeof ref.end === 'function';
}

function buffer(ref: ContentReference): void {
  const write = ref.write;
  const end = ref.end;
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    // pdfkit writes a string chunk as its characters' low bytes plus '\n'; latin1 is exactly that.
    const bytes = Buffer.from(`${pending.join('\n')}\n`, 'latin1');
    pending = [];
    write.call(ref, bytes);
  };
  ref.write = (chunk) => {
    if (typeof chunk === 'string') pending.push(chunk);
    else {
      flush();
      write.call(ref, chunk);
    }
    return undefined;
  };
  ref.end = (chunk) => {
    if (chunk !== undefined) ref.write(chunk);
    flush();
    return end.call(ref);
  };
  ref[BUFFERED] = true;
}

/** Buffer the content of the document's current page and of every page added after. */
export function bufferPageContent(doc: PDFKit.PDFDocument): void {
  const current = (): void => {
    const content = (doc as unknown as { page?: { content?: unknown } }).page?.content;
    if (isContentReference(content) && !content[BUFFERED]) buffer(content);
  };
  current();
  doc.on('pageAdded', current);
}
