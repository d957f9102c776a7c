import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { bufferDocumentWrites } from '../../functions/pdf/content-stream';
import { fontPaths } from '../../functions/pdf/fonts';
import { pdfObjectText, type StructureElement, StructureWriter, writeParentTree } from '../../functions/pdf/structure';
import { mulberry32 } from '../../sample/sample-projects';
import { documentSha, endDocument } from '../helpers/pdfkit';

interface Tree {
  _items: Record<number, unknown[]>;
  toString(): string;
}

function taggedDocument(): PDFKit.PDFDocument {
  return new PDFDocument({
    pdfVersion: '1.7',
    tagged: true,
    bufferPages: true,
    font: fontPaths().regular,
    info: { CreationDate: new Date(0), ModDate: new Date(0) },
  });
}

/**
 * A generated tree: groups (kept open while their children are drawn) and leaves, whose marked content sometimes
 * runs onto a new page (so an element has content on later pages), a header cell with attributes now and then.
 */
function drawTree(doc: PDFKit.PDFDocument, seed: number): void {
  const rng = mulberry32(seed);
  const writer = new StructureWriter(doc, 'lv-LV');
  const open: StructureElement[] = [writer.document];
  const count = 50 + Math.floor(rng() * 500);
  for (let n = 0; n < count; n++) {
    const draw = rng();
    const parent = open.at(-1)!;
    if (draw < 0.15 && open.length < 5) open.push(writer.element(['Table', 'TR', 'Sect', 'L'][n % 4]!));
    else if (draw < 0.25 && open.length > 1) writer.write(open.pop()!, open.at(-1)!);
    else {
      const element =
        draw < 0.3
          ? writer.element('TH', { scope: rng() < 0.5 ? 'Column' : 'Row' })
          : draw < 0.33
            ? writer.element('Figure', {
                alt: `Attēls (${n}) — ${'\\x'.repeat(Math.floor(rng() * 5))} ${rng()}`,
                bbox: [rng() * 300, rng() * 400, 300 + rng() * 200, 400 + rng() * 300],
              })
            : writer.element('TD');
      writer.markContent(element);
      doc.text(`${n}`, 40, 40 + (n % 40) * 15, { lineBreak: false });
      if (rng() < 0.05) doc.continueOnNewPage();
      doc.endMarkedContent();
      writer.write(element, parent);
    }
  }
  while (open.length > 1) writer.write(open.pop()!, open.at(-1)!);
  writer.finish();
}

const sha = documentSha;

describe('structure elements', () => {
  for (const seed of [1, 2, 3]) {
    it(`are the same bytes written piece by piece into the buffered output as written as lines (seed ${seed})`, async () => {
      const lines = taggedDocument();
      drawTree(lines, seed);
      const buffered = taggedDocument();
      bufferDocumentWrites(buffered);
      drawTree(buffered, seed);
      expect(await sha(buffered)).toBe(await sha(lines));
    });
  }
});

/** pdfkit's own writer for the tree, whatever the instance's toString was replaced with. */
function pdfkitText(tree: Tree): string {
  const own = Object.getPrototypeOf(tree) as { toString(this: Tree): string };
  return own.toString.call(tree);
}

describe('the parent tree', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`is written as pdfkit writes it (seed ${seed})`, () => {
      const rng = mulberry32(seed);
      const doc = taggedDocument();
      const writer = new StructureWriter(doc, 'lv-LV');
      const tree = (doc as unknown as { getStructParentTree(): Tree }).getStructParentTree();
      const pages = Math.floor(rng() * 4);
      const expectedIds: (number | null)[][] = [];
      for (let key = 0; key < pages; key++) {
        const items: unknown[] = [];
        const ids: (number | null)[] = [];
        const count = Math.floor(rng() * 40);
        for (let mcid = 0; mcid < count; mcid++) {
          const draw = rng();
          if (draw < 0.1) {
            items.push(null);
            ids.push(null);
          } else if (draw < 0.15) {
            items.length += 1;
            ids.push(null);
          } else {
            const element = writer.element(draw < 0.3 ? 'TH' : 'TD', draw < 0.3 ? { scope: 'Column' } : undefined);
            items.push(element.ref);
            ids.push(element.ref.id);
          }
        }
        tree._items[key] = items;
        expectedIds.push(ids);
      }
      const text = writeParentTree(tree as never);
      expect(text).toBe(pdfkitText(tree));
      // The tree the document writes is this one.
      expect(tree.toString()).toBe(text);
      for (const [key, ids] of expectedIds.entries()) {
        const line = text.split('\n').find((l) => l.startsWith(`    ${key} [`));
        expect(line).toBe(`    ${key} [${ids.map((id) => (id === null ? 'null' : `${id} 0 R`)).join(' ')}]`);
      }
    });
  }
});

/** What pdfkit's object writer writes for `data` as an object's dictionary (the line between `obj` and `endobj`). */
function pdfkitDictionary(doc: PDFKit.PDFDocument, data: Record<string, unknown>): string {
  const host = doc as unknown as { ref(d: object): { end(): void }; _write(d: unknown): void };
  const written: unknown[] = [];
  const write = host._write;
  host._write = (d) => written.push(d);
  try {
    host.ref(data).end();
  } finally {
    host._write = write;
  }
  return written[1] as string;
}

describe('structure elements with attributes', () => {
  for (const seed of [1, 2, 3]) {
    it(`are the bytes pdfkit's own object writer gives them (seed ${seed})`, async () => {
      const ours = taggedDocument();
      bufferDocumentWrites(ours);
      drawTree(ours, seed);
      // A document pdfkit would encrypt keeps pdfkit's writer for them; this one encrypts nothing.
      const theirs = taggedDocument();
      (theirs as unknown as { _security: object })._security = { getEncryptFn: () => null, end: () => undefined };
      bufferDocumentWrites(theirs);
      drawTree(theirs, seed);
      const text = Buffer.concat(await endDocument(ours)).toString('latin1');
      expect(text).toMatch(/\/S \/TH\n\/A <<\n\/O \/Table\n\/Scope \/(Column|Row)\n>>/);
      expect(text).toMatch(/\/S \/Figure\n\/Alt \(/);
      expect(text).toBe(Buffer.concat(await endDocument(theirs)).toString('latin1'));
    });
  }
});

describe('structure element dictionaries with attributes', () => {
  const chars = [
    'a',
    'Z',
    ' ',
    '(',
    ')',
    '\\',
    '\n',
    '\r',
    '\t',
    '\b',
    '\f',
    'ā',
    'Š',
    '—',
    '€',
    '\u2800',
    '\u0a29',
    '\u5c5c',
    '\u0128',
    '\ud83d',
    '\ude00',
    '\u00ff',
    '\u007f',
    '%',
  ];
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`are written as pdfkit's object writer writes them (seed ${seed})`, () => {
      const rng = mulberry32(seed);
      const doc = taggedDocument();
      const writer = new StructureWriter(doc, 'lv-LV');
      const text = (ascii: boolean) =>
        new String(
          Array.from(
            { length: Math.floor(rng() * 60) },
            () => chars[Math.floor(rng() * (ascii ? 10 : chars.length))],
          ).join(''),
        );
      const number = () => (rng() < 0.3 ? Math.floor(rng() * 1000) : (rng() - 0.3) * 10 ** Math.floor(rng() * 8 - 3));
      const page = (doc as unknown as { page: { dictionary: unknown } }).page.dictionary;
      for (let i = 0; i < 300; i++) {
        const data: Record<string, unknown> = { S: ['TH', 'Figure', 'Document', 'Table'][i % 4] };
        if (rng() < 0.4) data.T = text(rng() < 0.5);
        if (rng() < 0.4) data.Lang = new String(rng() < 0.5 ? 'lv-LV' : 'en-GB');
        if (rng() < 0.5) data.Alt = text(rng() < 0.3);
        if (rng() < 0.6) {
          const a: Record<string, unknown> = { O: 'Layout', Placement: rng() < 0.5 ? 'Block' : 'Inline' };
          if (rng() < 0.7) a.BBox = [number(), number(), number(), number()];
          data.A = rng() < 0.5 ? { ...a, O: 'Table', Scope: rng() < 0.5 ? 'Column' : 'Row' } : a;
        }
        data.P = rng() < 0.5 ? page : writer.element('TD').ref;
        data.K = Array.from({ length: Math.floor(rng() * 4) }, (_, k) =>
          rng() < 0.3 ? { Type: 'MCR', Pg: page, MCID: k } : rng() < 0.5 ? page : k,
        );
        if (rng() < 0.8) data.Pg = page;
        expect(pdfObjectText(data)).toBe(pdfkitDictionary(doc, data));
      }
    });
  }
});
