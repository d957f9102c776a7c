/**
 * The shipped command line is the bundle in dist/cli (scripts/build-cli.ts, built by `prepare` at `npm ci`). These
 * tests build it again in memory and compare it with what is on disk, so a bundle older than its sources fails
 * here rather than running stale code; and they check that `--help` and `validate` load only what they use.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  CLI_OUT_DIR,
  cliBuildOptions,
  INLINED_PACKAGES,
  RENDER_ASSETS,
  RENDER_PACKAGES,
} from '../../scripts/build-cli';

const root = resolve(import.meta.dirname, '..', '..');
const outDir = join(root, CLI_OUT_DIR);
const bin = join(root, 'bin', 'pmif-reports.js');

/** Packages a bundle file loads at once (static imports), following the bundle's own chunks. */
function staticPackages(entry: string): Set<string> {
  return staticImports(entry).packages;
}

/** The bundle's own files a bundle file loads at once, itself included. */
function staticFiles(entry: string): Set<string> {
  return staticImports(entry).files;
}

function staticImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gms)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else if (!isBuiltin(spec))
        packages.add(
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  };
  visit(entry);
  return { files: seen, packages };
}

describe('the CLI bundle', () => {
  it('is built and as fresh as its sources (run `npm run build` after changing them)', async () => {
    expect(existsSync(join(outDir, 'main.js')), 'dist/cli/main.js: run `npm run build`').toBe(true);
    const result = await build({ ...cliBuildOptions(root), write: false });
    const built = new Map(result.outputFiles.map((f) => [relative(outDir, f.path), f.text]));
    const onDisk = readdirSync(outDir).sort();
    // Besides esbuild's output, the folder of pdfkit's assets (the colour profile), copied by the build.
    expect(onDisk, 'the files in dist/cli').toEqual([...built.keys(), RENDER_ASSETS.to].sort());
    for (const file of RENDER_ASSETS.files)
      expect(readFileSync(join(outDir, RENDER_ASSETS.to, file))).toEqual(
        readFileSync(join(root, RENDER_ASSETS.from, file)),
      );
    for (const [name, text] of built) {
      expect(readFileSync(join(outDir, name), 'utf8') === text, `dist/cli/${name} differs from a fresh build`).toBe(
        true,
      );
    }
  }, 60_000);

  it('loads no package from node_modules for --help or validate, and the workbook reader only for validate', () => {
    // commander, saxes, fflate and the period library are inlined (INLINED_PACKAGES); nothing else may be.
    expect([...staticPackages(join(outDir, 'main.js'))]).toEqual([]);
    const validate = readdirSync(outDir).find((f) => f.startsWith('validate-workbook-'));
    expect(validate).toBeDefined();
    expect([...staticPackages(join(outDir, validate!))]).toEqual([]);
    const code = (entry: string) => [...staticFiles(entry)].map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(code(join(outDir, 'main.js'))).not.toContain('SaxesParser');
    expect(code(join(outDir, validate!))).toContain('SaxesParser');
    for (const heavy of ['pdfkit', 'exceljs', 'nodemailer', '@aws-sdk/client-s3'])
      expect(INLINED_PACKAGES, `${heavy} is not loaded by --help or validate`).not.toContain(heavy);
  });

  it('carries pdfkit with what it imports, loaded on the first report only', () => {
    const all = readdirSync(outDir).filter((f) => f.endsWith('.js'));
    // No file of the bundle imports pdfkit or its dependencies from node_modules: they are inlined.
    for (const file of all) {
      const { packages } = staticImports(join(outDir, file));
      for (const inlined of [...RENDER_PACKAGES, 'fontkit', 'linebreak', 'restructure'])
        expect(packages.has(inlined), `${file} imports ${inlined}`).toBe(false);
    }
    // pdfkit's document class is in one chunk, which neither the command line nor the render worker loads at start.
    const holders = all.filter((f) => readFileSync(join(outDir, f), 'utf8').includes('[object PDFDocument]'));
    expect(holders).toHaveLength(1);
    for (const entry of ['main.js', 'render-worker.js'])
      expect(staticFiles(join(outDir, entry)).has(join(outDir, holders[0]!)), entry).toBe(false);
  });

  it('ends quietly, as it would have ended, when its reader closes the output early (`--help | head`)', async () => {
    const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the command prints anything: every write it makes meets a closed pipe.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('runs from bin/pmif-reports.js: --help lists every command, validate answers for a workbook', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const command of ['validate', 'ingest', 'template', 'generate', 'deliver', 'run', 'archive'])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const notAWorkbook = spawnSync(process.execPath, [bin, 'validate', join(root, 'package.json')], {
      encoding: 'utf8',
    });
    // The file is refused with the reader's own plain-words error, not a crash.
    expect(notAWorkbook.status).toBe(1);
    expect(notAWorkbook.stdout).toMatch(/KĻŪDA|ERROR/);
  }, 60_000);
});
