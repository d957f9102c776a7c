import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { bufferDocumentWrites } from '../../functions/pdf/content-stream';
import { fontPaths } from '../../functions/pdf/fonts';
import { type StructureElement, StructureWriter, writeParentTree } from '../../functions/pdf/structure';
import { mulberry32 } from '../../sample/sample-projects';
import { documentSha } from '../helpers/pdfkit';

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
      const element = writer.element(draw < 0.3 ? 'TH' : 'TD', draw < 0.3 ? { scope: 'Column' } : undefined);
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
