/**
 * The verifier bundle (`functions/verifier/main.ts`): the code archived with every revision, so that `archive
 * verify` re-derives and re-renders a revision years later with the code that made it (docs/audit.md).
 *
 * One ESM file and nothing beside it: every package is bundled (no node_modules needed), and the fonts and pdfkit's
 * colour profile are inside it as base64 text (the `pmif-verifier:assets` module made here). Its bytes depend only
 * on the sources, the lock file and these options, never on the folder it is built in (esbuild writes paths
 * relative to `absWorkingDir`, and minified output carries no path comments), so the same commit gives the same
 * SHA-256 on a laptop, in CI and in the Lambda asset.
 *
 * Built by `npm run build` into `dist/verifier/` (which the bundled CLI archives), and by the stack's bundling
 * into each generate function's asset as `verifier/pmif-verifier.mjs` (infra/bundling.ts):
 *   tsx scripts/build-verifier.ts <out-file>
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

/** The bundle's file name, wherever it is placed. */
export const VERIFIER_FILE = 'pmif-verifier.mjs';
/** Where `npm run build` puts it, from the repository root (ignored by git). */
export const VERIFIER_OUT = `dist/verifier/${VERIFIER_FILE}`;

/** Embedded files: module export → path from the repository root. */
const ASSETS = {
  dejaVuSans: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  dejaVuSansBold: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  srgbProfile: 'node_modules/pdfkit/js/data/sRGB_IEC61966_2_1.icc',
} as const;

/** `pmif-verifier:assets` → a module of base64 strings read from {@link ASSETS}. */
function assetsPlugin(root: string): Plugin {
  return {
    name: 'pmif-verifier-assets',
    setup(build) {
      build.onResolve({ filter: /^pmif-verifier:assets$/ }, (args) => ({ path: args.path, namespace: 'pmif-assets' }));
      build.onLoad({ filter: /.*/, namespace: 'pmif-assets' }, async () => {
        const lines = await Promise.all(
          Object.entries(ASSETS).map(
            async ([name, path]) =>
              `export const ${name} = ${JSON.stringify((await readFile(join(root, path))).toString('base64'))};`,
          ),
        );
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

/** The esbuild options; `plugins` adds to the assets plugin (a test swaps a label this way). */
export function verifierBuildOptions(root: string, plugins: Plugin[] = []): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: ['functions/verifier/main.ts'],
    bundle: true,
    platform: 'node',
    // The oldest Node it must run on: the local runtime's; the Lambda runtime (24) runs it too.
    target: 'node20',
    format: 'esm',
    // CommonJS dependencies (exceljs and friends) call `require`, which an ESM file lacks.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    minify: true,
    keepNames: true,
    legalComments: 'none',
    sourcemap: false,
    plugins: [assetsPlugin(root), ...plugins],
    write: false,
    logLevel: 'warning',
  };
}

/** Build the bundle in memory: its bytes. */
export async function buildVerifierBytes(root: string, plugins: Plugin[] = []): Promise<Uint8Array> {
  const { build } = await import('esbuild');
  const result = await build(verifierBuildOptions(root, plugins));
  const [file] = result.outputFiles ?? [];
  if (!file || result.outputFiles?.length !== 1) throw new Error('the verifier bundle must be exactly one file');
  return file.contents;
}

/** Build the bundle into `outFile`. */
export async function buildVerifier(root: string, outFile: string): Promise<void> {
  const bytes = await buildVerifierBytes(root);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, bytes);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const root = resolve(import.meta.dirname, '..');
  await buildVerifier(root, resolve(process.argv[2] ?? join(root, VERIFIER_OUT)));
}
