/**
 * Stands in for `unicode-trie` in every bundle that renders (scripts/left-out-modules.ts): the same class, whose
 * table is inflated when it is first read instead of when it is made, by Node's zlib instead of tiny-inflate. The
 * renderers' dependencies make five tries as their modules load (fontkit's shapers for Arabic, Indic and the other
 * complex scripts, unicode-properties' table of every code point, linebreak's classes) and inflated each twice in
 * JavaScript not yet compiled, about a tenth of a fresh process's first table render. A report reads two of them:
 * unicode-properties' (fontkit asks whether each glyph's characters are marks) and linebreak's when text wraps; the
 * shapers' never. Each reads the same values as the package's own class (test/unit/left-out-modules.test.ts).
 */
import { inflateRawSync } from 'node:zlib';
// The package itself, by its path: an import of `unicode-trie` here would be this stand-in again.
// @ts-expect-error unicode-trie ships no type declarations.
import UnicodeTrie from '../../../node_modules/unicode-trie/index.js';

interface Trie {
  get(codePoint: number): number;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The package's trie of `data`. Its serialised form (highStart, errorValue and the table's length, 32-bit little
 * endian, then the table deflated twice) is read here and the table inflated with zlib; anything else, a table of
 * another length or a big-endian machine goes to the package's own constructor.
 */
function trieOf(data: unknown): Trie {
  if (littleEndian && data instanceof Uint8Array && data.byteLength > 12) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const highStart = view.getUint32(0, true);
    const errorValue = view.getUint32(4, true);
    const length = view.getUint32(8, true);
    try {
      const table = inflateRawSync(inflateRawSync(data.subarray(12)));
      if (table.byteLength === length && length % 4 === 0) {
        // A copy: the table must start at a multiple of four bytes, and zlib's buffer may not.
        const words = new Uint32Array(length / 4);
        new Uint8Array(words.buffer).set(table);
        return new UnicodeTrie({ data: words, highStart, errorValue }) as Trie;
      }
    } catch {
      // Not zlib's raw deflate after all: the package's own inflater decides.
    }
  }
  return new UnicodeTrie(data) as Trie;
}

export default class DeferredUnicodeTrie implements Trie {
  private data: unknown;
  private trie: Trie | undefined;

  constructor(data: unknown) {
    this.data = data;
  }

  get(codePoint: number): number {
    if (!this.trie) {
      this.trie = trieOf(this.data);
      this.data = undefined;
    }
    return this.trie.get(codePoint);
  }
}
