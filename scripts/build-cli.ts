/**
 * The shipped command line, built: `npm run build` (and `prepare`, so `npm ci` builds it). `bin/pmif-reports.js`
 * runs `dist/cli/main.js`; `npm run cli` keeps running the TypeScript sources through tsx for development.
 *
 * Why a build: through tsx every start registered a TypeScript loader and compiled every module of every command,
 * renderers and AWS clients included, before commander looked at the arguments (0.8 s and 136 MB for `--help`).
 * The bundle is plain ESM, split at the commands' dynamic imports, so `--help` loads commander and the option
 * declarations, `validate` adds the workbook reader, and pdfkit, exceljs, nodemailer and the AWS SDK load only in
 * the commands that use them. Packages stay in node_modules (external): their own asset files (fonts, ICC
 * profiles) keep their paths, and the bundle holds only this repository's code.
 *
 * `test/unit/cli-bundle.test.ts` builds again in memory with {@link cliBuildOptions} and compares every file with
 * what is on disk, so a bundle older than its sources fails the tests.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';

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
    packages: 'external',
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
  await rm(options.outdir, { recursive: true, force: true });
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('build-cli: esbuild is not installed; the CLI will run from the sources through tsx\n');
    return;
  }
  await esbuild.build(options);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await buildCli(resolve(import.meta.dirname, '..'));
}
