/**
 * pdfkit documents as the PDF tests make them (A4, buffered pages, the report fonts registered, fixed dates, so
 * that two documents drawn alike are the same bytes), and their written bytes.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { FONT_NAMES, fontPaths } from '../../functions/pdf/fonts';

export function dejaVuDocument(options: PDFKit.PDFDocumentOptions = {}): PDFKit.PDFDocument {
  const paths = fontPaths();
  const doc = new PDFDocument({
    size: 'A4',
    bufferPages: true,
    font: paths.regular,
    ...options,
    info: { CreationDate: new Date(0), ModDate: new Date(0), ...options.info },
  });
  doc.registerFont(FONT_NAMES.regular, paths.regular);
  doc.registerFont(FONT_NAMES.bold, paths.bold);
  return doc;
}

/** End the document and collect what it writes, in the pieces it writes them. */
export async function endDocument(doc: PDFKit.PDFDocument): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  doc.end();
  await done;
  return chunks;
}

/** The SHA-256 of the document's bytes, once ended. */
export async function documentSha(doc: PDFKit.PDFDocument): Promise<string> {
  return createHash('sha256')
    .update(Buffer.concat(await endDocument(doc)))
    .digest('hex');
}
