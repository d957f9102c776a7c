/**
 * Stands in for `brotli/decompress.js` in every bundle that renders (scripts/left-out-modules.ts). fontkit calls it
 * only to read a WOFF2 font; the reports embed the DejaVu TrueType fonts, and {@link refuseWoff2} refuses a WOFF2
 * font before fontkit sees it (fontkit would swallow this error while decoding a table).
 */
import { woff2Refused } from './error';

export default function decompress(): never {
  throw woff2Refused();
}
