/**
 * Whether `dist/` is as fresh as its sources, without building: `npm start` runs `node scripts/build-stamp.mjs`
 * and builds only when it exits non-zero. `scripts/build-cli.ts` writes `dist/build-inputs.json` last, after the
 * bundles: the SHA-256 of every file esbuild read for the command line and the verifier (from its metafile; the
 * installed packages are stood for by npm's `node_modules/.package-lock.json`, which every install rewrites), of
 * the build's own scripts and settings, and of every file it wrote. Any of them changed, missing or added since
 * (contents, not times: a checkout that only touches files needs no build) means the bundle is stale.
 * Plain JavaScript, so the check costs a bare Node start (tens of milliseconds), not a TypeScript loader.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the stamp is kept, from the repository root (beside dist/cli, whose files a test lists exactly). */
export const STAMP_FILE = 'dist/build-inputs.json';

/** Files every build depends on besides the sources esbuild reads. */
export const BUILD_FILES = [
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  'tsconfig.json',
  'scripts/build-cli.ts',
  'scripts/build-verifier.ts',
  'scripts/build-font-data.ts',
  'scripts/build-stamp.mjs',
  'scripts/left-out-modules.ts',
];

/** A file's SHA-256, or null when it does not exist. */
function hashFile(root, path) {
  try {
    return createHash('sha256')
      .update(readFileSync(join(root, path)))
      .digest('hex');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

/** The esbuild inputs worth hashing: our own files (packages are covered by npm's lock of the installed tree). */
export function ownInputs(metafileInputs) {
  return metafileInputs.filter((path) => !path.startsWith('node_modules/') && !path.includes(':'));
}

/**
 * Write the stamp: `inputs` and `outputs` are paths from `root` ('/'-separated).
 * @param {string} root
 * @param {string[]} inputs
 * @param {string[]} outputs
 */
export function writeStamp(root, inputs, outputs) {
  const entries = (paths) => Object.fromEntries([...new Set(paths)].sort().map((p) => [p, hashFile(root, p)]));
  const stamp = { inputs: entries([...BUILD_FILES, ...inputs]), outputs: entries(outputs) };
  writeFileSync(join(root, STAMP_FILE), `${JSON.stringify(stamp, null, 1)}\n`);
}

/**
 * The files that differ from the stamp (the stamp itself when there is none): empty when dist/ is fresh.
 * @param {string} root
 * @returns {string[]}
 */
export function staleFiles(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8'));
  } catch {
    return [STAMP_FILE];
  }
  const recorded = { ...stamp.inputs, ...stamp.outputs };
  if (Object.keys(stamp.outputs ?? {}).length === 0) return [STAMP_FILE];
  return Object.entries(recorded)
    .filter(([path, sha256]) => hashFile(root, path) !== sha256)
    .map(([path]) => path);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stale = staleFiles(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  if (stale.length > 0) {
    const more = stale.length > 1 ? ` and ${stale.length - 1} more` : '';
    process.stderr.write(`dist/ is older than ${stale[0]}${more}: building it\n`);
    process.exitCode = 1;
  }
}
