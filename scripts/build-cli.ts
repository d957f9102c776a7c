/**
 * The shipped command line, built: `npm run build` (and `prepare`, so `npm ci` builds it). `bin/pmif-reports.js`
 * runs `dist/cli/main.js`; `npm run cli` keeps running the TypeScript sources through tsx for development.
 *
 * Why a build: through tsx every start registered a TypeScript loader and compiled every module of every command,
 * renderers and AWS clients included, before commander looked at the arguments (0.8 s and 136 MB for `--help`).
 * The bundle is plain ESM, split at the commands' dynamic imports, so `--help` loads commander and the option
 * declarations, `validate` adds the workbook reader, and pdfkit, exceljs, nodemailer and the AWS SDK load only in
 * the commands that use them. Packages stay in node_modules (external), so their own asset files keep their paths,
 * except two kinds that are inlined with the packages they import:
 * - the few small pure-JavaScript ones `--help` and `validate` load ({@link INLINED_PACKAGES}): loaded from
 *   node_modules, each CommonJS one was parsed a second time by Node's export scanner and resolved file by file,
 *   about a fifth of the CPU a sample `validate` took;
 * - pdfkit ({@link RENDER_PACKAGES}), in the chunk the report commands and the render worker load: inlined, its
 *   dependencies are not resolved file by file, and the modules the reports never use (brotli for WOFF2 fonts, AES
 *   for encryption: scripts/left-out-modules.ts) are replaced by stubs. Its one asset, the sRGB profile of the
 *   PDF/A output intent, which pdfkit reads from `data/` beside its module, is copied to `dist/cli/data/`, and the
 *   font data file (functions/pdf/font-data.ts) is written there.
 *
 * `test/unit/cli-bundle.test.ts` builds again in memory with {@link cliBuildOptions} and compares every file with
 * what is on disk, so a bundle older than its sources fails the tests. The build ends by stamping what it read and
 * wrote (`build-stamp.mjs`), so `npm start` skips the build when nothing changed.
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { ownInputs, STAMP_FILE, writeStamp } from './build-stamp.mjs';
import { leftOutAliases } from './left-out-modules';

/** Packages bundled into the CLI: pure JavaScript, no asset files, loaded by `--help` or `validate`. */
export const INLINED_PACKAGES: readonly string[] = [
  'commander',
  'saxes',
  'xmlchars',
  'fflate',
  '@date-fns/tz',
  'date-fns',
];

/** Packages inlined with every package they import: what rendering loads (see the file's comment). */
export const RENDER_PACKAGES: readonly string[] = ['pdfkit'];

/** pdfkit's asset files, copied beside the bundle (pdfkit finds them next to the module that holds its code). */
export const RENDER_ASSETS = { from: 'node_modules/pdfkit/js/data', files: ['sRGB_IEC61966_2_1.icc'], to: 'data' };

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * Every bare import stays external unless its package is one of `inlined`, or it is imported by a package that is
 * itself being bundled (esbuild reads no file of an external package, so such an importer was inlined): an inlined
 * package comes with all it imports, which the left-out modules' aliases then replace.
 */
export function externalUnlessInlined(inlined: readonly string[]): Plugin {
  return {
    name: 'external-unless-inlined',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        if (inlined.includes(packageName(args.path)) || args.importer.includes('/node_modules/')) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/** Copy {@link RENDER_ASSETS} into a bundle's folder; returns the files written (paths under `outDir`). */
export async function copyRenderAssets(root: string, outDir: string): Promise<string[]> {
  await mkdir(join(outDir, RENDER_ASSETS.to), { recursive: true });
  return Promise.all(
    RENDER_ASSETS.files.map(async (file) => {
      const target = join(outDir, RENDER_ASSETS.to, file);
      await copyFile(join(root, RENDER_ASSETS.from, file), target);
      return target;
    }),
  );
}

/** Where the bundle goes, from the repository root (ignored by git). */
export const CLI_OUT_DIR = 'dist/cli';

/**
 * The esbuild options of the CLI bundle. Entry points: the command line, `npm start`, and the render worker, which
 * `functions/app/parallel-render.ts` starts from beside the running module.
 */
export function cliBuildOptions(root: string): BuildOptions & { outdir: string } {
  return {
    absWorkingDir: root,
    entryPoints: {
      main: 'functions/cli/main.ts',
      start: 'sample/start.ts',
      'render-worker': 'functions/app/render-worker.ts',
    },
    outdir: join(root, CLI_OUT_DIR),
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [externalUnlessInlined([...INLINED_PACKAGES, ...RENDER_PACKAGES])],
    alias: leftOutAliases(root),
    // The inlined CommonJS packages call require() for Node's own modules; ESM has none of its own.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    // One folder: chunks find the render worker next to themselves (parallel-render.ts resolves it that way).
    chunkNames: '[name]-[hash]',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/**
 * Build the bundle into a clean `dist/cli`. esbuild is a development dependency: an install without it
 * (`npm ci --omit=dev`) gets no bundle, and bin/pmif-reports.js then runs the sources through tsx.
 */
export async function buildCli(root: string): Promise<void> {
  const options = cliBuildOptions(root);
  // The stamp goes first and comes back last: a build that stops half-way is never taken for a fresh one.
  await rm(join(root, STAMP_FILE), { force: true });
  await rm(options.outdir, { recursive: true, force: true });
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('build-cli: esbuild is not installed; the CLI will run from the sources through tsx\n');
    return;
  }
  const cli = await esbuild.build({ ...options, metafile: true });
  const assets = (await copyRenderAssets(root, options.outdir)).map((file) => relative(root, file));
  // What a fresh process would compute from the fonts before its first report (scripts/build-font-data.ts).
  const { writeFontData } = await import('./build-font-data');
  assets.push(relative(root, await writeFontData(join(options.outdir, RENDER_ASSETS.to))));
  // The code each revision archives (scripts/build-verifier.ts), from the same sources as the command line.
  const { verifierBuildOptions, VERIFIER_OUT } = await import('./build-verifier');
  const verifier = await esbuild.build({ ...verifierBuildOptions(root), metafile: true });
  const [file] = verifier.outputFiles ?? [];
  if (!file || verifier.outputFiles?.length !== 1) throw new Error('the verifier bundle must be exactly one file');
  await mkdir(dirname(join(root, VERIFIER_OUT)), { recursive: true });
  await writeFile(join(root, VERIFIER_OUT), file.contents);
  const inputs = [...Object.keys(cli.metafile.inputs), ...Object.keys(verifier.metafile.inputs)];
  writeStamp(root, ownInputs(inputs), [...Object.keys(cli.metafile.outputs), ...assets, VERIFIER_OUT]);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await buildCli(resolve(import.meta.dirname, '..'));
}
