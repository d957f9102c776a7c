/**
 * The parent tree (structure.ts's writeParentTree) is written as pdfkit's own number tree writes itself: for
 * generated trees of pages holding elements of both kinds (the canvas's own, written by number, and pdfkit's
 * references, used for elements with attributes), unfilled ids and holes, the text is pdfkit's, and its references
 * are the elements' object numbers.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fontPaths } from '../../functions/pdf/fonts';
import { StructureWriter, writeParentTree } from '../../functions/pdf/structure';
import { mulberry32 } from '../../sample/sample-projects';

interface Tree {
  _items: Record<number, unknown[]>;
  toString(): string;
}

function taggedDocument(): PDFKit.PDFDocument {
  return new PDFDocument({ pdfVersion: '1.7', tagged: true, font: fontPaths().regular });
}

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
