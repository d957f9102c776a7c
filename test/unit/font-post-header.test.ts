/**
 * The fonts' `post` table read as its header only (fonts.ts): the numbers pdfkit embeds (fixed pitch, italic angle)
 * and the rest of the header are what fontkit decodes from the whole table, for both faces; glyph names, asked for,
 * are still fontkit's.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fontPaths, readPostHeaderOnly } from '../../functions/pdf/fonts';

type Font = { post: Record<string, unknown>; getGlyph(id: number): { name: string }; numGlyphs: number };

/** The font as pdfkit parses it for a document (fontkit, through pdfkit's font factory). */
const open = (path: string) => (new PDFDocument({ font: path }) as unknown as { _font: { font: Font } })._font.font;
const HEADER = ['version', 'italicAngle', 'underlinePosition', 'underlineThickness', 'isFixedPitch'];

describe('post table header', () => {
  for (const face of ['regular', 'bold'] as const) {
    it(`gives fontkit's values and glyph names (${face})`, () => {
      const path = fontPaths()[face];
      const whole = open(path);
      const light = open(path);
      readPostHeaderOnly(light);
      // The header was read here: glyph names are left for fontkit to decode when asked for.
      expect(Object.getOwnPropertyDescriptor(light.post, 'names')?.get).toBeTypeOf('function');
      for (const key of [...HEADER, 'minMemType42', 'maxMemType42', 'minMemType1', 'maxMemType1']) {
        expect(light.post[key], key).toBe(whole.post[key]);
      }
      expect(HEADER.some((key) => whole.post[key] !== 0)).toBe(true);
      for (const id of [0, 1, 36, 1000, whole.numGlyphs - 1]) {
        expect(light.getGlyph(id).name).toBe(whole.getGlyph(id).name);
      }
    });
  }
});
