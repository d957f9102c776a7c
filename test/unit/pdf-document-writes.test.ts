/**
 * Buffered document writes (content-stream.ts) change how pdfkit's output is chunked, never its bytes: a tagged
 * PDF/A document with thousands of small objects (structure elements per cell, outline entries, fonts, ICC profile)
 * and binary streams between them comes out the same with and without, for generated content.
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bufferDocumentWrites, bufferPageContent } from '../../functions/pdf/content-stream';
import { FONT_NAMES } from '../../functions/pdf/fonts';
import { mulberry32 } from '../../sample/sample-projects';
import { dejaVuDocument, endDocument } from '../helpers/pdfkit';

const WORDS = ['Dalībnieki', 'O.2.3.1', '2025-Q3', '12\u00a0345,67', 'šūna', '(ID)', 'Rādītāji', '—', 'x'];

function newDocument(): PDFKit.PDFDocument {
  return dejaVuDocument({ subset: 'PDF/A-2b', pdfVersion: '1.7', tagged: true, info: { Title: 'Tabula ā' } });
}

/** A table of generated cells, each cell a TD, a page every `perPage` rows, an outline entry per page. */
function drawTagged(doc: PDFKit.PDFDocument, seed: number): void {
  const rng = mulberry32(seed);
  const root = doc.struct('Document');
  doc.addStructure(root);
  const table = doc.struct('Table');
  root.add(table);
  const rows = 100 + Math.floor(rng() * 400);
  const perPage = 20 + Math.floor(rng() * 30);
  for (let r = 0; r < rows; r++) {
    if (r > 0 && r % perPage === 0) {
      doc.addPage();
      doc.outline.addItem(`Lapa ${r / perPage + 1}`);
    }
    const tr = doc.struct('TR');
    table.add(tr);
    for (let c = 0; c < 1 + Math.floor(rng() * 6); c++) {
      const text = Array.from(
        { length: 1 + Math.floor(rng() * 4) },
        () => WORDS[Math.floor(rng() * WORDS.length)],
      ).join(' ');
      const td = doc.struct(rng() < 0.1 ? 'TH' : 'TD');
      tr.add(td);
      const content = doc.markStructureContent('TD');
      doc.font(rng() < 0.3 ? FONT_NAMES.bold : FONT_NAMES.regular).fontSize(7 + Math.floor(rng() * 4));
      doc.text(text, 40 + c * 80, 40 + (r % perPage) * 30, { width: 78, lineBreak: rng() < 0.5 });
      doc.endMarkedContent();
      td.add(content);
      td.end();
    }
    tr.end();
  }
  table.end();
  root.end();
}

async function bytesOf(doc: PDFKit.PDFDocument): Promise<{ sha: string; chunks: number }> {
  const chunks = await endDocument(doc);
  return { sha: createHash('sha256').update(Buffer.concat(chunks)).digest('hex'), chunks: chunks.length };
}

describe('buffered document writes', () => {
  for (const seed of [1, 2, 3]) {
    it(`give the bytes pdfkit writes alone, in far fewer chunks (seed ${seed})`, async () => {
      const plain = newDocument();
      drawTagged(plain, seed);
      const expected = await bytesOf(plain);
      const buffered = newDocument();
      bufferDocumentWrites(buffered);
      drawTagged(buffered, seed);
      const got = await bytesOf(buffered);
      expect(got.sha).toBe(expected.sha);
      expect(got.chunks).toBeLessThan(expected.chunks / 10);
    });
  }
});

/** Every stream of a PDF, inflated. */
async function inflatedStreams(doc: PDFKit.PDFDocument): Promise<string[]> {
  const raw = Buffer.concat(await endDocument(doc)).toString('latin1');
  return [...raw.matchAll(/\/Filter \/FlateDecode\n>>\nstream\n([\s\S]*?)\nendstream/g)].map((m) =>
    inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'),
  );
}

describe('page content deflated at a chosen level', () => {
  for (const seed of [1, 2]) {
    it(`holds the operators pdfkit writes, on every page (seed ${seed})`, async () => {
      const plain = newDocument();
      drawTagged(plain, seed);
      const expected = await inflatedStreams(plain);
      const fast = newDocument();
      bufferPageContent(fast, { level: 1 });
      drawTagged(fast, seed);
      const got = await inflatedStreams(fast);
      expect(expected.filter((s) => s.includes(' Tf')).length).toBeGreaterThan(1);
      expect(got).toEqual(expected);
    });
  }
});

/** Operators written straight to page content: byte chunks among them, and lines longer than the short-line copy. */
function drawRaw(doc: PDFKit.PDFDocument, seed: number): void {
  const rng = mulberry32(seed);
  const content = () => (doc as unknown as { page: { content: { write(chunk: string | Uint8Array): void } } }).page;
  for (let page = 0; page < 1 + Math.floor(rng() * 4); page++) {
    if (page > 0) doc.addPage();
    for (let i = 0; i < 200 + Math.floor(rng() * 800); i++) {
      const kind = rng();
      if (kind < 0.05)
        content().content.write(Uint8Array.from({ length: Math.floor(rng() * 40) }, () => 32 + (i % 90)));
      else if (kind < 0.1) doc.addContent(`% ${'x'.repeat(Math.floor(rng() * 300))} ā€`);
      else
        doc
          .rect(rng() * 500, rng() * 800, rng() * 50, rng() * 50)
          .fillColor([rng() * 255, 0, 0])
          .fill();
    }
  }
}

describe('page content gathered as bytes', () => {
  for (const seed of [4, 5, 6]) {
    it(`is the bytes pdfkit writes when pdfkit deflates it (seed ${seed})`, async () => {
      const plain = newDocument();
      drawRaw(plain, seed);
      drawTagged(plain, seed);
      const buffered = newDocument();
      bufferPageContent(buffered);
      drawRaw(buffered, seed);
      drawTagged(buffered, seed);
      expect((await bytesOf(buffered)).sha).toBe((await bytesOf(plain)).sha);
    });
  }

  it('keeps documents apart when they are drawn and ended interleaved (page buffers are reused)', async () => {
    const alone = async (seed: number) => {
      const doc = newDocument();
      bufferPageContent(doc, { level: 1 });
      drawRaw(doc, seed);
      return (await bytesOf(doc)).sha;
    };
    const expected = [await alone(7), await alone(8), await alone(9)];
    const docs = [7, 8, 9].map(() => newDocument());
    for (const doc of docs) bufferPageContent(doc, { level: 1 });
    drawRaw(docs[1]!, 8);
    drawRaw(docs[0]!, 7);
    const second = bytesOf(docs[1]!);
    drawRaw(docs[2]!, 9);
    const got = [await bytesOf(docs[0]!), await second, await bytesOf(docs[2]!)].map((r) => r.sha);
    expect(got).toEqual(expected);
  });
});
