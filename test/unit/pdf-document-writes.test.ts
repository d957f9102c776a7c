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
