/**
 * Keeps only the mappings of the project's own sources in a bundle's source map: `node scripts/trim-source-map.mjs
 * <file.map>` (infra/bundling.ts runs it after every bundle). The functions run with `--enable-source-maps`, and
 * Node parses the whole map the first time any stack is read, which bluebird (under exceljs's unzipper) does while
 * it loads: a 4.5 MB map of every dependency cost about half a second and 110 MB. A frame inside a dependency
 * keeps the bundle's own position (a segment with no source), so it is never attributed to a neighbouring file of
 * ours. Plain JavaScript, so that the bundling step runs it with Node alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`not a base64 VLQ digit: ${c}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeValue(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += B64[digit];
  } while (v > 0);
  return out;
}

/** Drop every segment whose source is not kept; the deltas of the kept ones are re-based. */
export function trimMappings(map, keep) {
  const keepSource = map.sources.map(keep);
  const abs = [0, 0, 0, 0]; // source, line, column, name: running absolute values of the input
  const out = [0, 0, 0, 0]; // the same for the output
  const lines = map.mappings.split(';').map((line) => {
    let column = 0;
    let outColumn = 0;
    const kept = [];
    let unmapped = false;
    for (const segment of line === '' ? [] : line.split(',')) {
      const v = decodeSegment(segment);
      column += v[0];
      if (v.length >= 4) {
        abs[0] += v[1];
        abs[1] += v[2];
        abs[2] += v[3];
        if (v.length >= 5) abs[3] += v[4];
      }
      if (v.length < 4 || !keepSource[abs[0]]) {
        // An unmapped range: a frame in it shows the bundle's own position, never a neighbouring kept source's.
        if (!unmapped) kept.push(encodeValue(column - outColumn));
        if (!unmapped) outColumn = column;
        unmapped = true;
        continue;
      }
      unmapped = false;
      let s = encodeValue(column - outColumn) + encodeValue(abs[0] - out[0]) + encodeValue(abs[1] - out[1]);
      s += encodeValue(abs[2] - out[2]);
      if (v.length >= 5) {
        s += encodeValue(abs[3] - out[3]);
        out[3] = abs[3];
      }
      outColumn = column;
      [out[0], out[1], out[2]] = [abs[0], abs[1], abs[2]];
      kept.push(s);
    }
    return kept.join(',');
  });
  return { ...map, mappings: lines.join(';') };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const trimmed = trimMappings(map, (source) => !source.includes('node_modules/'));
  writeFileSync(file, JSON.stringify(trimmed));
}
