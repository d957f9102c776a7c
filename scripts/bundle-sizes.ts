/**
 * Prints each Lambda function's bundle size: `npx tsx scripts/bundle-sizes.ts`.
 *
 * Bundles every handler exactly as the stack does (infra/bundling.ts: the same esbuild options, then the same
 * after-bundling commands that copy the fonts), into a temporary folder. "bytes" is everything Lambda unpacks (the
 * JS, its source map and the fonts); "gzip" approximates the deployment zip.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  BUNDLE,
  bundleLocally,
  type FunctionName,
  HANDLERS,
  type HandlerEntry,
  type LocalBundle,
} from '../infra/bundling';
import { PROJECT_ROOT } from '../infra/reporting-app';

interface Row {
  name: string;
  handler: string;
  js: number;
  map: number;
  assets: number;
  total: number;
  gzip: number;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function measure(name: string, handler: HandlerEntry, bundle: LocalBundle): Row {
  let js = 0;
  let map = 0;
  let assets = 0;
  let gzip = 0;
  for (const file of bundle.files) {
    if (file.path === BUNDLE.outFile) js += file.bytes;
    else if (file.path.endsWith('.map')) map += file.bytes;
    else assets += file.bytes;
    gzip += gzipSync(readFileSync(join(bundle.dir, file.path)), { level: 9 }).byteLength;
  }
  return { name, handler: `${handler.entry}#${handler.exportName}`, js, map, assets, total: js + map + assets, gzip };
}

function print(rows: Row[]): void {
  const header = ['function', 'handler', 'js', 'source map', 'assets (fonts)', 'bytes', 'gzip'];
  const lines = rows.map((r) => [
    r.name,
    r.handler,
    kb(r.js),
    kb(r.map),
    kb(r.assets),
    String(r.total),
    String(r.gzip),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(format(l));
}

async function main(): Promise<void> {
  mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
  // Inside the repository (cdk.out is git-ignored), like the bundling test.
  const work = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'bundle-sizes-'));
  try {
    // Functions with the same handler file and options get the same bundle (the stack deploys it once).
    const bundles = new Map<string, Promise<LocalBundle>>();
    const rows: Row[] = [];
    for (const [name, handler] of Object.entries(HANDLERS) as [FunctionName, HandlerEntry][]) {
      const key = `${handler.entry}|${handler.fonts}`;
      if (!bundles.has(key)) bundles.set(key, bundleLocally(PROJECT_ROOT, handler, join(work, String(bundles.size))));
      rows.push(measure(name, handler, await bundles.get(key)!));
    }
    print(rows);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
