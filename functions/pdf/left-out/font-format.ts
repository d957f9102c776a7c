/**
 * Fonts the renderer cannot read since brotli was left out of its bundles (scripts/left-out-modules.ts): a WOFF2
 * font is refused when it is found, in plain words. Without this check fontkit would call the brotli stub while
 * decoding the font's first table, swallow its error (fontkit logs a table it cannot decode and goes on) and fail
 * later on the missing table with a TypeError that names neither the font nor the reason.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { woff2Refused } from './error';

function head(path: string): Uint8Array {
  const bytes = new Uint8Array(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, bytes, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Throws `LeftOutFeatureError` when the font (a path or its bytes) is a WOFF2 font. */
export function refuseWoff2(font: string | Uint8Array): void {
  const bytes = typeof font === 'string' ? head(font) : font.subarray(0, 4);
  if (String.fromCharCode(...bytes) === 'wOF2') throw woff2Refused();
}
