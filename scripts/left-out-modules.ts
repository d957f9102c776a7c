/**
 * Modules that the renderers' dependencies import at start but the reports never use. Every bundle that renders
 * (the Lambda bundles, infra/bundling.ts; the command line and its render worker, scripts/build-cli.ts; the bench
 * children, bench/lib/build.ts) replaces each with a stub under functions/pdf/left-out/ that throws
 * `LeftOutFeatureError` if it is ever called, so a fresh process does not parse and run them:
 * - fontkit imports brotli's decompressor for WOFF2 fonts, 750 KB of dictionary source parsed at every start (about
 *   a sixth of importing pdfkit); the reports embed the DejaVu TrueType fonts.
 * - pdfkit imports AES from @noble/ciphers for encrypted documents, which builds its lookup tables (two 256 × 256
 *   tables each way) at import; the reports are never encrypted.
 * - unicode-trie is replaced by a stand-in that makes each trie when it is first read: of the five tries the
 *   dependencies make at import, a report reads two at most.
 * test/unit/left-out-modules.test.ts checks that the bundles hold none of them and that a WOFF2 font is refused
 * with the stub's error.
 */
import { join } from 'node:path';

/** Import specifier → the stub that replaces it (paths from the repository root). */
export const LEFT_OUT_MODULES: Readonly<Record<string, string>> = {
  'brotli/decompress.js': 'functions/pdf/left-out/brotli-decompress.ts',
  '@noble/ciphers/aes': 'functions/pdf/left-out/aes.ts',
  // Not left out but deferred: the same tries, inflated when first read (the stand-in says why).
  'unicode-trie': 'functions/pdf/left-out/unicode-trie.ts',
};

/** esbuild's `alias` option for {@link LEFT_OUT_MODULES}, with absolute paths under `root`. */
export function leftOutAliases(root: string): Record<string, string> {
  return Object.fromEntries(Object.entries(LEFT_OUT_MODULES).map(([module, stub]) => [module, join(root, stub)]));
}
