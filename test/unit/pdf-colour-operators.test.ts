/**
 * Colour operators made once per colour string (cacheColourOperators in document.ts) are the ones pdfkit writes
 * for every call: generated fills and strokes in hex (both lengths and cases), named and array colours, with and
 * without opacity, give the same document bytes with and without the cache.
 */
import { describe, expect, it } from 'vitest';
import { cacheColourOperators } from '../../functions/pdf/document';
import { mulberry32 } from '../../sample/sample-projects';
import { dejaVuDocument, documentSha } from '../helpers/pdfkit';

function colourOf(rng: () => number): PDFKit.Mixins.ColorValue {
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => '0123456789abcdefABCDEF'[Math.floor(rng() * 22)]).join('');
  const kind = rng();
  if (kind < 0.5) return `#${hex(6)}`;
  if (kind < 0.65) return `#${hex(3)}`;
  if (kind < 0.75) return ['red', 'Navy', 'black', 'teal'][Math.floor(rng() * 4)]!;
  if (kind < 0.85) return [rng() * 255, rng() * 255, rng() * 255];
  return [rng() * 100, rng() * 100, rng() * 100, rng() * 100];
}

function draw(doc: PDFKit.PDFDocument, seed: number): void {
  const rng = mulberry32(seed);
  // A palette reused many times, as reports do, besides colours seen once.
  const palette = Array.from({ length: 6 }, () => colourOf(rng));
  for (let i = 0; i < 600; i++) {
    if (i > 0 && i % 200 === 0) doc.addPage();
    const colour = rng() < 0.7 ? palette[Math.floor(rng() * palette.length)]! : colourOf(rng);
    const opacity = rng() < 0.2 ? rng() : undefined;
    doc.rect(rng() * 500, rng() * 800, 20, 10);
    if (rng() < 0.5) doc.fillColor(colour, opacity).fill();
    else doc.strokeColor(colour, opacity).stroke();
  }
}

describe('colour operators made once per colour', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`write what pdfkit writes for each fill and stroke (seed ${seed})`, async () => {
      const plain = dejaVuDocument();
      draw(plain, seed);
      const cached = dejaVuDocument();
      cacheColourOperators(cached);
      draw(cached, seed);
      expect(await documentSha(cached)).toBe(await documentSha(plain));
    });
  }
});
