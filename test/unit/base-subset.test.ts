/**
 * Documents whose font subsets start with the base (base-subset.ts) show what documents with pdfkit's own subsets
 * show, for generated strings of each class: base glyphs only, glyphs outside the base, both mixed, combining
 * marks and a composite's part drawn on its own (the dotless i), in both faces. pdf.js reads the same text at the
 * same places with the same widths, pdftotext the same text, qpdf finds no error; each embedded font program parses
 * and the widths the font dictionary lists are the program's advances. A document is the same bytes whatever was
 * rendered before it in the process, and one of base glyphs only embeds the one shared program.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { getDocumentProxy } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_TEXT, useBaseSubsets } from '../../functions/pdf/base-subset';
import { bufferPageContent } from '../../functions/pdf/content-stream';
import { FONT_NAMES } from '../../functions/pdf/fonts';
import { cacheCurrentFont, placeLine } from '../../functions/pdf/text-cache';
import { mulberry32 } from '../../sample/sample-projects';
import { dejaVuDocument, endDocument } from '../helpers/pdfkit';

const INSIDE = [
  'Dalībnieku',
  'office affluent',
  'ĀČĒĢĪĶĻŅŠŪŽ',
  'āčēģīķļņšūž',
  '12\u00a0345,67',
  '2025-Q3',
  '“x”',
  '— ≥ 5 € §',
  'AV To',
];
const OUTSIDE = ['Ωμέγα', 'straße', 'Øresund', 'ǅ', '✓', '½', 'ŋŗ', '∑'];
const COMBINING = ['e\u0301', 'a\u0308o', 'n\u0327', 'ı'];

const CLASSES: Record<string, string[]> = {
  inside: INSIDE,
  outside: OUTSIDE,
  mixed: [...INSIDE, ...OUTSIDE],
  combining: [...INSIDE, ...COMBINING],
};

interface Draw {
  text: string;
  bold: boolean;
  size: number;
  x: number;
  y: number;
  wrap: boolean;
}

function draws(pieces: string[], seed: number): Draw[] {
  const rng = mulberry32(seed);
  return Array.from({ length: 60 }, () => {
    const words = 1 + Math.floor(rng() * 8);
    const text = Array.from({ length: words }, () => pieces[Math.floor(rng() * pieces.length)]!).join(' ');
    return {
      text,
      bold: rng() < 0.4,
      size: [7.5, 9, 12][Math.floor(rng() * 3)]!,
      x: 40 + rng() * 150,
      y: 40 + rng() * 700,
      wrap: rng() < 0.3,
    };
  });
}

/** A PDF/A-2b document as the reports make them, with or without the base subsets, drawing `list`. */
async function render(list: Draw[], base: boolean): Promise<Uint8Array> {
  const doc = dejaVuDocument({ subset: 'PDF/A-2b', pdfVersion: '1.7' });
  if (base) useBaseSubsets(doc);
  cacheCurrentFont(doc);
  bufferPageContent(doc);
  list.forEach((d, i) => {
    if (i > 0 && i % 20 === 0) doc.addPage();
    doc.font(d.bold ? FONT_NAMES.bold : FONT_NAMES.regular).fontSize(d.size);
    cacheCurrentFont(doc);
    // The table's cached lines, and pdfkit's own text (wrapped), which encodes through the same font object.
    if (d.wrap) doc.text(d.text, d.x, d.y / 2, { width: 160 });
    else placeLine(doc, d.text, d.x, d.y);
  });
  return new Uint8Array(Buffer.concat(await endDocument(doc)));
}

async function textItems(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const items: string[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    for (const item of (await (await pdf.getPage(p)).getTextContent()).items) {
      if (!('str' in item) || item.str === '') continue;
      const place = item.transform.map((n: number) => n.toFixed(3)).join(' ');
      items.push(`${p} ${place} ${item.width.toFixed(3)} ${item.str}`);
    }
  }
  return items;
}

const dir = mkdtempSync(join(tmpdir(), 'base-subset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(bytes: Uint8Array, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

interface QpdfObject {
  value?: Record<string, unknown>;
  stream?: { dict: Record<string, unknown>; data?: string };
}

/** The embedded fonts: each CIDFont's widths (W) and its decoded font program, read by qpdf. */
function embeddedFonts(file: string): { name: string; widths: number[]; program: Buffer }[] {
  const json = execFileSync(
    'qpdf',
    ['--json=2', '--json-stream-data=inline', '--decode-level=generalized', '--json-key=qpdf', file],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const objects = (JSON.parse(json) as { qpdf: [unknown, Record<string, QpdfObject>] }).qpdf[1];
  const get = (ref: unknown): QpdfObject => objects[`obj:${ref as string}`]!;
  const fonts = [];
  for (const object of Object.values(objects)) {
    const v = object.value;
    if (v?.['/Subtype'] !== '/CIDFontType2') continue;
    const w = v['/W'] as [number, number[]];
    expect(w[0]).toBe(0);
    const descriptor = get(v['/FontDescriptor']).value!;
    const program = Buffer.from(get(descriptor['/FontFile2']).stream!.data!, 'base64');
    fonts.push({ name: v['/BaseFont'] as string, widths: w[1], program });
  }
  return fonts;
}

interface ParsedFont {
  numGlyphs: number;
  unitsPerEm: number;
  getGlyph(id: number): { advanceWidth: number };
}

function parse(program: Buffer): ParsedFont {
  return (new PDFDocument({ font: program as unknown as string }) as unknown as { _font: { font: ParsedFont } })._font
    .font;
}

const programHash = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(Object.keys(CLASSES))('base subsets, %s glyphs', (name) => {
  const list = draws(CLASSES[name]!, name.length * 7);

  it('show the same text at the same places with the same widths as pdfkit’s own subsets', async () => {
    const plain = await render(list, false);
    const based = await render(list, true);
    expect(await textItems(based)).toEqual(await textItems(plain));
    const text = (bytes: Uint8Array, n: string) =>
      execFileSync('pdftotext', ['-layout', fileOf(bytes, n), '-'], { encoding: 'utf8' });
    expect(text(based, `${name}-based.pdf`)).toBe(text(plain, `${name}-plain.pdf`));
    expect(execFileSync('qpdf', ['--check', fileOf(based, `${name}-check.pdf`)], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
  });

  it('embed font programs that parse, with the widths the font dictionary lists', async () => {
    const fonts = embeddedFonts(fileOf(await render(list, true), `${name}-fonts.pdf`));
    expect(fonts.map((f) => f.name.replace(/^\/[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    for (const f of fonts) {
      const font = parse(f.program);
      // Every listed width is the program's advance (the base lists its composites' parts too).
      expect(f.widths.length).toBeLessThanOrEqual(font.numGlyphs);
      const scale = 1000 / font.unitsPerEm;
      f.widths.forEach((w, cid) => {
        expect(w, `${f.name} CID ${cid}`).toBeCloseTo(font.getGlyph(cid).advanceWidth * scale, 4);
      });
      // The base glyphs come first in every document.
      expect(font.numGlyphs).toBeGreaterThan(new Set(BASE_TEXT).size);
    }
  });

  it('are the same bytes whatever the process rendered before', async () => {
    const first = await render(list, true);
    // Other classes' strings in between fill the per-font caches with other encodings.
    for (const other of Object.keys(CLASSES)) await render(draws(CLASSES[other]!, 99), true);
    const again = await render(list, true);
    expect(programHash(Buffer.from(again))).toBe(programHash(Buffer.from(first)));
  });
});

describe('a document of base glyphs only', () => {
  it('embeds the shared program of each face; one with other glyphs embeds its own, larger one', async () => {
    const programs = async (pieces: string[], seed: number) =>
      embeddedFonts(fileOf(await render(draws(pieces, seed), true), `programs-${seed}.pdf`))
        .map((f) => ({ name: f.name.slice(8), hash: programHash(f.program), glyphs: parse(f.program).numGlyphs }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const one = await programs(INSIDE, 1);
    const two = await programs(INSIDE.slice(0, 3), 2);
    expect(two).toEqual(one);
    const other = await programs(OUTSIDE, 3);
    other.forEach((f, i) => {
      expect(f.hash).not.toBe(one[i]!.hash);
      expect(f.glyphs).toBeGreaterThan(one[i]!.glyphs);
    });
  });
});
