/**
 * The output intent's colour profile, deflated once per process (deflateProfileOnce in document.ts), is written as
 * pdfkit writes it: PDF/A documents with generated text come out byte for byte as pdfkit alone writes them, the
 * first one in the process (which deflates the profile) and every one after (which reuse its bytes), interleaved
 * with documents that do not reuse it.
 */
import { describe, expect, it } from 'vitest';
import { deflateProfileOnce } from '../../functions/pdf/document';
import { mulberry32 } from '../../sample/sample-projects';
import { dejaVuDocument, documentSha } from '../helpers/pdfkit';

function pdfa(seed: number, reuse: boolean): PDFKit.PDFDocument {
  const doc = dejaVuDocument({ subset: 'PDF/A-2b', pdfVersion: '1.7', tagged: true, info: { Title: `T ${seed}` } });
  if (reuse) deflateProfileOnce(doc);
  const rng = mulberry32(seed);
  for (let i = 0; i < 20 + Math.floor(rng() * 40); i++) {
    if (rng() < 0.05) doc.addPage();
    doc.text(`Dalībnieki ${Math.floor(rng() * 1e6)}`, 50, 50 + rng() * 700, { lineBreak: false });
  }
  return doc;
}

describe('the colour profile deflated once', () => {
  it('gives the bytes pdfkit writes, in the first document and in later ones', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const ours = await documentSha(pdfa(seed, true));
      expect(ours).toBe(await documentSha(pdfa(seed, false)));
    }
  });
});
