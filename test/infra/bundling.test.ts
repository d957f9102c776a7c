/**
 * Really bundles the four handler files with esbuild, with the stack's options and its after-bundling commands, and
 * loads each bundle in a plain Node process as Lambda would (ESM, no node_modules for anything but the AWS SDK).
 * The assertion tests elsewhere synthesize with placeholders; this is the test that the code deploys.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssetStaging } from 'aws-cdk-lib';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE,
  bundleLocally,
  esbuildOptions,
  HANDLERS,
  type HandlerEntry,
  nodejsBundling,
} from '../../infra/bundling';
import { PROJECT_ROOT } from '../../infra/reporting-app';
import { ENV } from '../../infra/storage-layout';

// Outside the repository, where no node_modules can be found: a bundle must hold everything it imports, the AWS SDK
// included (the Lambda runtime's own SDK is not the one the tests ran).
const work = mkdtempSync(join(tmpdir(), 'pmif-bundle-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The four handler files, each with the exports the stack runs and whether it carries the fonts. */
const entries = [...new Set(Object.values(HANDLERS).map((h) => h.entry))].map((entry) => {
  const handlers: HandlerEntry[] = Object.values(HANDLERS).filter((h) => h.entry === entry);
  return {
    entry,
    exportNames: handlers.map((h) => h.exportName),
    fonts: handlers.some((h) => h.fonts),
    handler: handlers[0]!,
  };
});

describe('bundling options', () => {
  it('gives NodejsFunction the same settings as the esbuild API call', () => {
    const cdk = nodejsBundling(HANDLERS.plan);
    const api = esbuildOptions(PROJECT_ROOT, HANDLERS.plan, '/out');
    expect(cdk.format).toBe(OutputFormat.ESM);
    expect(api.format).toBe('esm');
    expect(cdk.target).toBe(api.target);
    expect(cdk.banner).toBe((api.banner as { js: string }).js);
    expect(cdk.loader).toEqual(api.loader);
    expect(cdk.externalModules).toEqual(api.external);
    expect([cdk.minify, cdk.sourceMap, cdk.sourcesContent, cdk.keepNames]).toEqual([
      api.minify,
      api.sourcemap,
      api.sourcesContent,
      api.keepNames,
    ]);
    expect(api.outfile).toBe(join('/out', BUNDLE.outFile));
    // The left-out modules' stubs: NodejsFunction passes them on esbuild's command line, relative to its working
    // directory (the project root locally, the mounted project root in Docker).
    const aliases = ((cdk.esbuildArgs?.['--alias'] ?? []) as string[]).map((a) => a.split('='));
    expect(Object.fromEntries(aliases.map(([module, stub]) => [module, join(PROJECT_ROOT, stub!)]))).toEqual(api.alias);
    expect(Object.keys(api.alias ?? {}).sort()).toEqual(Object.keys(BUNDLE.alias).sort());
    expect(cdk.workingDirectory).toBe(AssetStaging.BUNDLING_INPUT_DIR);
  });

  it("replaces the left-out modules on esbuild's command line as NodejsFunction runs it", () => {
    const cdk = nodejsBundling(HANDLERS.renderProject);
    const args = ((cdk.esbuildArgs?.['--alias'] ?? []) as string[]).map((a) => `--alias:${a}`);
    const out = join(work, 'alias-cli.mjs');
    // Run from the project root, as NodejsFunction's local bundling does.
    execFileSync(
      join(PROJECT_ROOT, 'node_modules/.bin/esbuild'),
      ['--bundle', '--platform=node', '--format=esm', `--outfile=${out}`, '--log-level=error', ...args],
      {
        cwd: PROJECT_ROOT,
        input: Object.keys(BUNDLE.alias)
          .map((m, i) => `import * as m${i} from ${JSON.stringify(m)}; console.log(Object.keys(m${i}).join());`)
          .join('\n'),
      },
    );
    const code = readFileSync(out, 'utf8');
    expect(code).toContain('LeftOutFeatureError');
    expect(code).not.toContain('BrotliDecompressBuffer');
    expect(code).not.toContain('Wrong sbox length');
  });

  it('trims every source map, copies the fonts and the colour profile and builds the verifier only into the bundles that archive revisions', () => {
    const trim = 'node "/in/scripts/trim-source-map.mjs" "/out/index.mjs.map"';
    expect(nodejsBundling(HANDLERS.renderProject).commandHooks?.afterBundling('/in', '/out')).toEqual([
      trim,
      'mkdir -p "/out/fonts"',
      'cp "/in/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf" "/out/fonts/DejaVuSans.ttf"',
      'cp "/in/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf" "/out/fonts/DejaVuSans-Bold.ttf"',
      'mkdir -p "/out/data"',
      'cp "/in/node_modules/pdfkit/js/data/sRGB_IEC61966_2_1.icc" "/out/data/sRGB_IEC61966_2_1.icc"',
      '"/in/node_modules/.bin/tsx" "/in/scripts/build-font-data.ts" "/out/data"',
      '"/in/node_modules/.bin/tsx" "/in/scripts/build-verifier.ts" "/out/verifier/pmif-verifier.mjs"',
    ]);
    expect(nodejsBundling(HANDLERS.ingest).commandHooks?.afterBundling('/in', '/out')).toEqual([trim]);
    // The transmission archives the code too, and renders no PDF: the verifier without the fonts.
    expect(nodejsBundling(HANDLERS.transmission).commandHooks?.afterBundling('/in', '/out')).toEqual([
      trim,
      '"/in/node_modules/.bin/tsx" "/in/scripts/build-verifier.ts" "/out/verifier/pmif-verifier.mjs"',
    ]);
  });
});

describe.each(entries)('$entry', ({ entry, exportNames, fonts, handler }) => {
  it('exists (written by the handlers work)', () => {
    expect(existsSync(join(PROJECT_ROOT, entry)), `${entry} is missing`).toBe(true);
  });

  it(`bundles as ESM exporting ${exportNames.join(', ')}${fonts ? ', with the fonts next to it' : ''}, and loads`, async () => {
    const outDir = join(work, entry.split('/').at(-2)!);
    const bundle = await bundleLocally(PROJECT_ROOT, handler, outDir);
    expect(bundle.exports).toEqual(expect.arrayContaining(exportNames));
    expect(bundle.externalImports.filter((i) => !isBuiltin(i))).toEqual([]);
    const paths = bundle.files.map((f) => f.path);
    expect(paths).toContain(BUNDLE.outFile);
    for (const font of BUNDLE.fonts.files) {
      // functions/pdf/fonts.ts looks in `fonts/` next to the running module.
      expect(paths.includes(join(BUNDLE.fonts.to, font))).toBe(fonts);
    }
    // pdfkit reads the sRGB profile of the PDF/A output intent from `data/` next to the running module.
    expect(paths.includes(join(BUNDLE.colourProfile.to, BUNDLE.colourProfile.files[0]))).toBe(fonts);
    // The font data file (functions/pdf/font-data.ts) beside it.
    expect(paths.includes(join(BUNDLE.colourProfile.to, 'report-fonts.json'))).toBe(fonts);
    // The source map maps our own code to its TypeScript and leaves every dependency's code unmapped.
    const map = new SourceMap(JSON.parse(readFileSync(join(outDir, `${BUNDLE.outFile}.map`), 'utf8')));
    const lines = readFileSync(join(outDir, BUNDLE.outFile), 'utf8').split('\n');
    const sources = new Set<string>();
    lines.forEach((text, line) => {
      for (let column = 0; column < text.length; column += 211) {
        const found = map.findEntry(line, column) as { originalSource?: string };
        if (found.originalSource) sources.add(found.originalSource.replace(/^.*?(functions|node_modules)\//, '$1/'));
      }
    });
    expect([...sources].filter((s) => s.startsWith('node_modules/'))).toEqual([]);
    expect([...sources].some((s) => s.startsWith(`functions/${entry.split('/').at(-2)}/`))).toBe(true);
    // Load it in a fresh Node process with the environment the stack sets, the way the runtime imports a handler.
    const env = {
      ...process.env,
      [ENV.dataBucket]: 'data-bucket',
      [ENV.archiveBucket]: 'archive-bucket',
      [ENV.mailFrom]: 'reports@example.lv',
      [ENV.serviceName]: 'pmif-reports',
      [ENV.metricsNamespace]: 'PmifReports',
      [ENV.logLevel]: 'ERROR',
      AWS_REGION: 'eu-north-1',
    };
    const url = pathToFileURL(join(outDir, BUNDLE.outFile)).href;
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)}); console.log(JSON.stringify(Object.keys(m)));`,
      ],
      { env, encoding: 'utf8', cwd: outDir },
    );
    expect(JSON.parse(loaded.trim().split('\n').at(-1)!)).toEqual(expect.arrayContaining(exportNames));
  });
});
