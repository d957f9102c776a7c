/**
 * The code archived with each revision (scripts/build-verifier.ts): one file that needs nothing beside it (every
 * package inside, only Node's built-in modules imported, the fonts and colour profile embedded), whose bytes do
 * not depend on the folder it is built in, and the copy `npm run build` put in dist/verifier is a fresh build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildVerifierBytes, VERIFIER_OUT, verifierBuildOptions } from '../../scripts/build-verifier';

const root = resolve(import.meta.dirname, '..', '..');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('the verifier bundle', () => {
  it('is one file importing nothing but Node built-ins, with no path of this machine in it', async () => {
    const result = await build({
      ...verifierBuildOptions(root),
      metafile: true,
      outfile: '/virtual/pmif-verifier.mjs',
    });
    expect(result.outputFiles).toHaveLength(1);
    const [output] = Object.values(result.metafile!.outputs);
    const externals = output!.imports.filter((i) => i.external).map((i) => i.path);
    expect(externals.filter((p) => !builtins.has(p))).toEqual([]);
    const text = result.outputFiles![0]!.text;
    expect(text.includes(root)).toBe(false);
    // The embedded fonts and colour profile (base64), not paths to them.
    const ttf = readFileSync(join(root, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf')).toString('base64');
    expect(text.includes(ttf)).toBe(true);
  }, 120_000);

  it('is the same bytes on every build, and dist/verifier holds a fresh one (run `npm run build`)', async () => {
    const [a, b] = [await buildVerifierBytes(root), await buildVerifierBytes(root)];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const file = join(root, VERIFIER_OUT);
    expect(existsSync(file), `${VERIFIER_OUT} is missing: run npm run build`).toBe(true);
    expect(Buffer.from(readFileSync(file)).equals(Buffer.from(a)), `${VERIFIER_OUT} is older than its sources`).toBe(
      true,
    );
  }, 120_000);
});
