/**
 * The stand-in for `unicode-trie` that the rendering bundles use (functions/pdf/left-out/unicode-trie.ts) reads the
 * same value as the package's own class at every code point: for the tries the renderers' dependencies ship
 * (fontkit's shapers, unicode-properties, linebreak), read from their packages, and for generated tries in every
 * form the package accepts. It inflates nothing until a value is read, and the bundles carry it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import DeferredUnicodeTrie from '../../functions/pdf/left-out/unicode-trie';
import { mulberry32 } from '../../sample/sample-projects';
import { CLI_OUT_DIR } from '../../scripts/build-cli';

const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

interface Trie {
  get(codePoint: number): number;
}
const UnicodeTrie = require('unicode-trie') as new (data: unknown) => Trie;
const UnicodeTrieBuilder = require('unicode-trie/builder') as new (
  initial?: number,
  error?: number,
) => { setRange(start: number, end: number, value: number, overwrite: boolean): void; toBuffer(): Buffer };

/** Every code point, the two sides out of range, and the surrogates. */
function expectSameEverywhere(data: () => unknown, name: string): void {
  const theirs = new UnicodeTrie(data());
  const ours = new DeferredUnicodeTrie(data());
  let differing = 0;
  for (let cp = -2; cp <= 0x110001; cp++) if (ours.get(cp) !== theirs.get(cp)) differing++;
  expect(differing, name).toBe(0);
}

/** The compressed tries inlined in a package's module, as base64. */
function shippedTries(file: string): string[] {
  const text = readFileSync(join(root, 'node_modules', file), 'utf8');
  return [...text.matchAll(/\("([A-Za-z0-9+/]{400,}={0,2})"\)/g)].map((m) => m[1]!);
}

describe('the deferred unicode trie', () => {
  it("reads what the package reads from the dependencies' own tries, as a Buffer and as a Uint8Array", () => {
    const shipped = [
      ...shippedTries('fontkit/dist/module.mjs'),
      ...shippedTries('unicode-properties/dist/module.mjs'),
      ...shippedTries('linebreak/dist/module.mjs'),
    ];
    expect(shipped.length).toBeGreaterThanOrEqual(5);
    shipped.forEach((base64, i) => {
      expectSameEverywhere(() => Buffer.from(base64, 'base64'), `trie ${i} (Buffer)`);
      expectSameEverywhere(() => new Uint8Array(Buffer.from(base64, 'base64')), `trie ${i} (Uint8Array)`);
    });
  }, 60_000);

  it('reads what the package reads from generated tries, serialised and pre-parsed', () => {
    const rng = mulberry32(19);
    for (let t = 0; t < 6; t++) {
      const builder = new UnicodeTrieBuilder(Math.floor(rng() * 5), 0xdead);
      for (let r = 0; r < 200; r++) {
        const start = Math.floor(rng() ** 3 * 0x110000);
        const end = Math.min(0x10ffff, start + Math.floor(rng() * (r % 3 === 0 ? 0x4000 : 40)));
        builder.setRange(start, end, Math.floor(rng() * 2 ** 20), rng() < 0.7);
      }
      const buffer = builder.toBuffer();
      expectSameEverywhere(() => buffer, `generated ${t}`);
      const parsed = new UnicodeTrie(buffer) as Trie & { data: Uint32Array; highStart: number; errorValue: number };
      expectSameEverywhere(
        () => ({ data: parsed.data, highStart: parsed.highStart, errorValue: parsed.errorValue }),
        `pre-parsed ${t}`,
      );
    }
  }, 60_000);

  it('inflates nothing until a value is read', () => {
    const damaged = new Uint8Array(64).fill(0xff);
    const trie = new DeferredUnicodeTrie(damaged);
    expect(() => new UnicodeTrie(damaged)).toThrow();
    expect(() => trie.get(65)).toThrow();
  });

  it("is what the command line bundle makes its five tries with; only the stand-in makes the package's", () => {
    const code = readdirSync(join(root, CLI_OUT_DIR))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(root, CLI_OUT_DIR, f), 'utf8'))
      .join('\n');
    const made = [...code.matchAll(/new (?:\(0, )?([\w$.]+)\)?\(/g)].map((m) => m[1]!);
    expect(made.filter((name) => name === 'DeferredUnicodeTrie')).toHaveLength(5);
    // The two constructions inside the stand-in (its zlib path and its fallback).
    expect(made.filter((name) => /unicode_trie/i.test(name))).toHaveLength(2);
  });
});
