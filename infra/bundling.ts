/**
 * How the handlers are bundled, in one place: the stack (NodejsFunction) and `scripts/bundle-sizes.ts` (esbuild's
 * API) both derive their options from {@link BUNDLE}, so the sizes the script prints are the sizes that deploy.
 * Handlers are referred to by file path only; nothing here imports runtime code.
 */
import { join } from 'node:path';
import { AssetStaging } from 'aws-cdk-lib';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { LEFT_OUT_MODULES, leftOutAliases } from '../scripts/left-out-modules';

/** One Lambda function: the handler file and the export it runs. */
export interface HandlerEntry {
  /** Path from the repository root. */
  readonly entry: string;
  readonly exportName: string;
  /** Whether the bundle carries the DejaVu TTFs (the functions that render PDFs). */
  readonly fonts: boolean;
  /**
   * Whether the asset carries the verifier bundle (`verifier/pmif-verifier.mjs`), the code archived with each
   * revision (scripts/build-verifier.ts): the generate steps and the transmission, which archive it.
   */
  readonly verifier?: boolean;
}

/**
 * The functions and their handlers. The three generate steps share one file (and, with identical options, one
 * bundle and one asset); they all carry the fonts so that the bundles stay identical.
 */
export const HANDLERS = {
  ingest: { entry: 'functions/ingest/handler.ts', exportName: 'handler', fonts: false },
  plan: { entry: 'functions/generate/handler.ts', exportName: 'planHandler', fonts: true, verifier: true },
  renderProject: {
    entry: 'functions/generate/handler.ts',
    exportName: 'renderProjectHandler',
    fonts: true,
    verifier: true,
  },
  finish: { entry: 'functions/generate/handler.ts', exportName: 'finishHandler', fonts: true, verifier: true },
  deliver: { entry: 'functions/deliver/handler.ts', exportName: 'handler', fonts: false },
  remind: { entry: 'functions/remind/handler.ts', exportName: 'handler', fonts: false },
  upload: { entry: 'functions/upload/handler.ts', exportName: 'handler', fonts: false },
  transmission: { entry: 'functions/transmission/handler.ts', exportName: 'handler', fonts: false, verifier: true },
  feedback: { entry: 'functions/feedback/handler.ts', exportName: 'handler', fonts: false },
} as const satisfies Record<string, HandlerEntry>;

export type FunctionName = keyof typeof HANDLERS;

/** The esbuild settings every handler is bundled with. */
export const BUNDLE = {
  /** Must match the Lambda runtime (nodejs24.x). */
  target: 'node24',
  /** pdfkit 0.20 bundled as CommonJS crashes at load (empty `import.meta.url`); as ESM it works. */
  format: 'esm',
  /** The output file NodejsFunction writes for ESM; the Lambda handler is `index.<export>`. */
  outFile: 'index.mjs',
  /** CommonJS dependencies (exceljs and friends) call `require`, which an ESM bundle lacks. */
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  /** Any `.ttf` a module imports is emitted next to the bundle instead of being inlined. */
  loader: { '.ttf': 'file' } as Record<string, 'file'>,
  /**
   * Nothing is left to the runtime: the pinned `@aws-sdk` clients the tests ran are bundled. Lambda's built-in SDK
   * is whatever version the runtime carries that day; older ones send no checksum with Object Lock uploads (every
   * report write fails) or drop `If-None-Match` (create-only writes silently overwrite).
   */
  external: [] as string[],
  /**
   * Modules the renderers' dependencies import but the reports never use (brotli for WOFF2 fonts, AES for
   * encryption), replaced by stubs that throw if called: `scripts/left-out-modules.ts` says why. Paths from the
   * repository root, which is esbuild's working directory in both bundlings (see {@link nodejsBundling}).
   */
  alias: LEFT_OUT_MODULES,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  /** Error class names survive minification (they appear in logs and in Step Functions error names). */
  keepNames: true,
  /**
   * The fonts are found at run time by `functions/pdf/fonts.ts`, which looks in a `fonts/` folder next to the
   * running module: copied there after bundling, because the bundle has no node_modules to resolve them from.
   */
  fonts: {
    from: 'node_modules/dejavu-fonts-ttf/ttf',
    files: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'],
    to: 'fonts',
  },
  /**
   * PDF/A needs an output intent: pdfkit embeds the sRGB ICC profile it ships, reading it from `data/` next to its
   * own module, which in a bundle is the bundle's folder.
   */
  colourProfile: {
    from: 'node_modules/pdfkit/js/data',
    files: ['sRGB_IEC61966_2_1.icc'],
    to: 'data',
  },
} as const;

/**
 * Shell commands that trim the bundle's source map to the project's own sources (`scripts/trim-source-map.mjs`
 * says why): stack frames in our code keep their TypeScript file and line, frames in a dependency the bundle's.
 */
export function sourceMapCommands(inputDir: string, outputDir: string): string[] {
  return BUNDLE.sourcemap
    ? [`node "${join(inputDir, 'scripts/trim-source-map.mjs')}" "${join(outputDir, `${BUNDLE.outFile}.map`)}"`]
    : [];
}

/** Shell commands that copy what the PDF renderer reads at run time (fonts, colour profile) into a bundle. */
export function fontCopyCommands(inputDir: string, outputDir: string): string[] {
  return [BUNDLE.fonts, BUNDLE.colourProfile].flatMap((asset) => {
    const target = join(outputDir, asset.to);
    return [
      `mkdir -p "${target}"`,
      ...asset.files.map((f) => `cp "${join(inputDir, asset.from, f)}" "${join(target, f)}"`),
    ];
  });
}

/**
 * The command that writes the font data file (functions/pdf/font-data.ts) into the bundle's `data/`, with the same
 * script as `npm run build`: what a fresh render process would otherwise compute from the fonts before its first
 * report.
 */
export function fontDataCommands(inputDir: string, outputDir: string): string[] {
  return [
    `"${join(inputDir, 'node_modules/.bin/tsx')}" "${join(inputDir, 'scripts/build-font-data.ts')}" "${join(outputDir, BUNDLE.colourProfile.to)}"`,
  ];
}

/** Where the verifier bundle goes in an asset; `functions/aws/deps.ts` reads it from beside the handler. */
export const VERIFIER_IN_ASSET = 'verifier/pmif-verifier.mjs';

/**
 * The command that builds the verifier bundle into an asset, with the same script and options as `npm run build`
 * (tsx runs the build script; both are development dependencies, as esbuild is).
 */
export function verifierBuildCommands(inputDir: string, outputDir: string): string[] {
  return [
    `"${join(inputDir, 'node_modules/.bin/tsx')}" "${join(inputDir, 'scripts/build-verifier.ts')}" "${join(outputDir, VERIFIER_IN_ASSET)}"`,
  ];
}

/** NodejsFunction bundling options for a handler. */
export function nodejsBundling(handler: HandlerEntry): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: BUNDLE.target,
    banner: BUNDLE.banner,
    loader: { ...BUNDLE.loader },
    externalModules: [...BUNDLE.external],
    minify: BUNDLE.minify,
    sourceMap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    keepNames: BUNDLE.keepNames,
    // esbuild resolves an alias's replacement from its working directory: the project root when it runs locally,
    // and so the asset's input folder (the project root, mounted) when it runs in Docker.
    esbuildArgs: { '--alias': Object.entries(BUNDLE.alias).map(([module, stub]) => `${module}=./${stub}`) },
    workingDirectory: AssetStaging.BUNDLING_INPUT_DIR,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => [
        ...sourceMapCommands(inputDir, outputDir),
        ...(handler.fonts ? [...fontCopyCommands(inputDir, outputDir), ...fontDataCommands(inputDir, outputDir)] : []),
        ...(handler.verifier ? verifierBuildCommands(inputDir, outputDir) : []),
      ],
    },
  };
}

/** The same options for esbuild's API (what NodejsFunction passes on its command line), writing to `outDir`. */
export function esbuildOptions(root: string, handler: HandlerEntry, outDir: string): BuildOptions {
  return {
    entryPoints: [join(root, handler.entry)],
    bundle: true,
    platform: 'node',
    target: BUNDLE.target,
    format: BUNDLE.format,
    outfile: join(outDir, BUNDLE.outFile),
    banner: { js: BUNDLE.banner },
    loader: { ...BUNDLE.loader },
    external: [...BUNDLE.external],
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    keepNames: BUNDLE.keepNames,
    alias: leftOutAliases(root),
    metafile: true,
    logLevel: 'warning',
  };
}

/** One file of a local bundle. */
export interface BundleFile {
  /** Path relative to the bundle folder. */
  path: string;
  bytes: number;
}

/** What a local bundle holds. */
export interface LocalBundle {
  dir: string;
  files: BundleFile[];
  /** Names the bundle exports (from esbuild's metafile). */
  exports: string[];
  /** Modules the bundle still imports from outside itself (Node built-ins only, when nothing is left external). */
  externalImports: string[];
}

/**
 * Bundle one handler into `outDir` the way the stack does (same esbuild options, then the same after-bundling
 * commands), for `scripts/bundle-sizes.ts` and the bundling test. esbuild is loaded only here, not by the CDK app.
 */
export async function bundleLocally(root: string, handler: HandlerEntry, outDir: string): Promise<LocalBundle> {
  const [{ build }, { execFileSync }, { readdirSync, statSync }, { relative }] = await Promise.all([
    import('esbuild'),
    import('node:child_process'),
    import('node:fs'),
    import('node:path'),
  ]);
  const result = await build(esbuildOptions(root, handler, outDir));
  const after = nodejsBundling(handler).commandHooks?.afterBundling(root, outDir) ?? [];
  if (after.length > 0) execFileSync('bash', ['-c', after.join(' && ')], { stdio: 'inherit' });
  const main = Object.entries(result.metafile?.outputs ?? {}).find(([file]) => file.endsWith(BUNDLE.outFile));
  const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(outDir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => ({ path: relative(outDir, f), bytes: statSync(f).size }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const externalImports = [...new Set((main?.[1].imports ?? []).filter((i) => i.external).map((i) => i.path))].sort();
  return { dir: outDir, files, exports: main?.[1].exports ?? [], externalImports };
}
