/**
 * A changed copy of the shipped code, for the tests that verify an old revision with the code that made it: the
 * command line bundle and, beside it, its verifier bundle, both built with one extra esbuild plugin that changes a
 * source file; and the one-byte tamper those tests must see named.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { cliBuildOptions, copyRenderAssets } from '../../scripts/build-cli';
import { buildVerifierBytes } from '../../scripts/build-verifier';

const root = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/**
 * The change: an esbuild plugin that rewrites the one source file `file` matches with `edit`, and fails the build
 * when the edit changes nothing (the text it looks for has moved), saying `missing`.
 */
export function changeSource(name: string, file: RegExp, edit: (text: string) => string, missing: string): Plugin {
  return {
    name,
    setup(b) {
      b.onLoad({ filter: file }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        const changed = edit(text);
        if (changed === text) throw new Error(missing);
        return { contents: changed, loader: 'ts' };
      });
    },
  };
}

/**
 * Build the changed code as it ships. Written under the repository's node_modules (a folder named after `cacheName`)
 * so that the bundle's packages resolve as they do for dist/cli.
 */
export async function buildChangedCode(change: Plugin, cacheName: string): Promise<string> {
  const out = await mkdtemp(join(root, 'node_modules', `.cache-pmif-${cacheName}-`));
  const options = cliBuildOptions(root);
  await build({ ...options, outdir: join(out, 'dist', 'cli'), plugins: [change, ...(options.plugins ?? [])] });
  // As `npm run build` does: the bundle carries pdfkit, which reads its colour profile from beside itself.
  await copyRenderAssets(root, join(out, 'dist', 'cli'));
  await mkdir(join(out, 'dist', 'verifier'), { recursive: true });
  await writeFile(join(out, 'dist', 'verifier', 'pmif-verifier.mjs'), await buildVerifierBytes(root, [change]));
  return out;
}

/** The command line built by {@link buildChangedCode}, run as a process in `cwd`: its exit code and output. */
export async function runChangedCli(
  code: string,
  cwd: string,
  args: string[],
): Promise<{ code: number; stdout: string }> {
  const main = join(code, 'dist', 'cli', 'main.js');
  return run(process.execPath, [main, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout + err.stderr }),
  );
}

/** Flip one bit in the middle of a folder store's object behind the system's back; returns the undo. */
export async function tamperByte(bucket: string, key: string): Promise<() => Promise<void>> {
  const path = join(bucket, ...key.split('/'));
  const original = await readFile(path);
  const bytes = Buffer.from(original);
  bytes[Math.floor(bytes.length / 2)]! ^= 0x20;
  await writeFile(path, bytes);
  return () => writeFile(path, original);
}
