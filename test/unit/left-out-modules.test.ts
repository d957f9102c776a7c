/**
 * The modules the renderers' dependencies import but the reports never use (scripts/left-out-modules.ts) are left
 * out of every bundle that renders, and asking for what they did gives the stub's plain error: a WOFF2 font is
 * refused by the command line's and the Lambda's bundling alike, while the same font opens with pdfkit from
 * node_modules (so the font is a real WOFF2 and the refusal is the bundle's). The Lambda bundles themselves are
 * checked in test/infra/bundling.test.ts, the command line's files here.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChildren } from '../../bench/lib/build';
import { FONT_FILES, fontPaths } from '../../functions/pdf/fonts';
import { LeftOutFeatureError } from '../../functions/pdf/left-out/error';
import { esbuildOptions, HANDLERS } from '../../infra/bundling';
import { CLI_OUT_DIR, cliBuildOptions, copyRenderAssets } from '../../scripts/build-cli';
import { LEFT_OUT_MODULES } from '../../scripts/left-out-modules';

const root = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'pmif-left-out-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A string each left-out module's own code holds, read from the package (so the check can fail). */
function markers(): Record<string, string> {
  const dictionary = readFileSync(join(root, 'node_modules/brotli/dec/dictionary.bin.js'), 'utf8');
  const aes = readFileSync(join(root, 'node_modules/@noble/ciphers/esm/aes.js'), 'utf8');
  expect(aes).toContain('Wrong sbox length');
  return {
    'brotli/decompress.js': dictionary.slice(dictionary.indexOf('"') + 1, dictionary.indexOf('"') + 41),
    '@noble/ciphers/aes': 'Wrong sbox length',
  };
}

/** Unsigned LEB-like base-128 number of WOFF2 (most significant group first). */
function base128(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

/**
 * A WOFF2 font made from a TrueType font: every table under its own tag, untransformed (glyf and loca with the null
 * transform), brotli-compressed in one stream, as the WOFF2 format allows.
 */
function woff2From(ttf: Buffer): Buffer {
  const count = ttf.readUInt16BE(4);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 12 + i * 16;
    const tag = ttf.toString('latin1', at, at + 4);
    const data = ttf.subarray(ttf.readUInt32BE(at + 8), ttf.readUInt32BE(at + 8) + ttf.readUInt32BE(at + 12));
    return { tag, data };
  });
  const directory = Buffer.from(
    tables.flatMap(({ tag, data }) => [
      0x3f | (tag === 'glyf' || tag === 'loca' ? 0xc0 : 0),
      ...Buffer.from(tag, 'latin1'),
      ...base128(data.length),
    ]),
  );
  const compressed = brotliCompressSync(Buffer.concat(tables.map((t) => t.data)), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 1 },
  });
  const header = Buffer.alloc(48);
  header.write('wOF2', 0, 'latin1');
  header.writeUInt32BE(0x00010000, 4);
  header.writeUInt32BE(48 + directory.length + compressed.length, 8);
  header.writeUInt16BE(count, 12);
  header.writeUInt32BE(ttf.length, 16);
  header.writeUInt32BE(compressed.length, 20);
  header.writeUInt16BE(1, 24);
  return Buffer.concat([header, directory, compressed]);
}

/** Opens a font with pdfkit and prints its units per em. */
const OPEN_FONT = `import PDFDocument from 'pdfkit';
const doc = new PDFDocument({ font: process.argv[process.argv.length - 1] });
console.log(JSON.stringify({ unitsPerEm: doc._font.font.unitsPerEm }));`;

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

/** A report document drawn and finished with the fonts the renderer finds (a `fonts/` folder beside the bundle). */
const RENDER = `import { ReportCanvas } from './functions/pdf/document';
const canvas = new ReportCanvas({ layout: 'portrait', lang: 'lv', title: 'T', subject: 'S', generatedAt: '2025-10-16T04:00:00.000Z' });
canvas.doc.text('Dalībnieki', 50, 50);
console.log(JSON.stringify({ bytes: (await canvas.finish()).byteLength }));`;

/**
 * {@link RENDER} bundled with a bundle's options (its plugins, aliases and banner) into its own folder, with
 * pdfkit's colour profile beside it and the two font files given as the DejaVu faces.
 */
async function bundled(name: string, options: BuildOptions, font: string): Promise<string> {
  const dir = join(work, name);
  const outfile = join(dir, 'render.mjs');
  await build({
    stdin: { contents: RENDER, resolveDir: root, sourcefile: 'render.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    plugins: options.plugins ?? [],
    alias: options.alias ?? {},
    banner: options.banner ?? {},
    loader: options.loader ?? {},
    logLevel: 'error',
  });
  await copyRenderAssets(root, dir);
  mkdirSync(join(dir, 'fonts'), { recursive: true });
  for (const face of Object.values(FONT_FILES)) copyFileSync(font, join(dir, 'fonts', face));
  return outfile;
}

describe('left-out modules', () => {
  const woff2 = join(work, 'DejaVuSans.woff2');
  const ttf = fontPaths().regular;
  writeFileSync(woff2, woff2From(readFileSync(ttf)));

  it('are real modules of the dependencies, replaced by stubs that exist', () => {
    for (const [module, stub] of Object.entries(LEFT_OUT_MODULES)) {
      expect(run(['--input-type=module', '-e', `await import(${JSON.stringify(module)})`]).status, module).toBe(0);
      expect(existsSync(join(root, stub)), stub).toBe(true);
    }
  });

  it('the WOFF2 font opens with pdfkit from node_modules, as its TrueType source does', () => {
    const fromTtf = run(['--input-type=module', '-e', OPEN_FONT, ttf]);
    const fromWoff2 = run(['--input-type=module', '-e', OPEN_FONT, woff2]);
    expect(fromWoff2.stderr).toBe('');
    expect(JSON.parse(fromWoff2.stdout)).toEqual(JSON.parse(fromTtf.stdout));
  });

  const bundlings: [string, () => BuildOptions][] = [
    ['the command line and its render worker', () => cliBuildOptions(root)],
    ['the Lambda render bundle', () => esbuildOptions(root, HANDLERS.renderProject, work)],
  ];
  it.each(bundlings)('%s: renders with TrueType fonts, refuses a WOFF2 font in plain words', async (name, options) => {
    const slug = name.replace(/\W+/g, '-');
    const withTtf = run([await bundled(`${slug}-ttf`, options(), ttf)]);
    expect(withTtf.stderr).toBe('');
    expect(JSON.parse(withTtf.stdout).bytes).toBeGreaterThan(1000);
    const file = await bundled(`${slug}-woff2`, options(), woff2);
    const withWoff2 = run([file]);
    expect(withWoff2.status).toBe(1);
    expect(withWoff2.stderr).toContain(
      'LeftOutFeatureError: Reading a WOFF2 font (brotli) is not available in the report renderer',
    );
    const code = readFileSync(file, 'utf8');
    for (const [module, marker] of Object.entries(markers())) expect(code.includes(marker), module).toBe(false);
  });

  it('the stub itself throws the same error (for a WOFF2 font that reaches fontkit another way)', async () => {
    const { default: decompress } = await import('../../functions/pdf/left-out/brotli-decompress');
    expect(() => decompress()).toThrow(LeftOutFeatureError);
    const { cbc, ecb } = await import('../../functions/pdf/left-out/aes');
    for (const cipher of [cbc, ecb]) expect(() => cipher()).toThrow(/Encrypting a PDF \(AES\) is not available/);
  });

  it('are not in the command line bundle on disk nor in the bench children', async () => {
    const children = join(work, 'children');
    await buildChildren(root, children);
    const files = [
      ...readdirSync(join(root, CLI_OUT_DIR)).map((f) => join(root, CLI_OUT_DIR, f)),
      ...readdirSync(children).map((f) => join(children, f)),
    ].filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(10);
    const found = markers();
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const [module, marker] of Object.entries(found))
        expect(code.includes(marker), `${module} in ${file}`).toBe(false);
    }
    // The children render with the inlined pdfkit, as the command line does.
    expect(files.some((f) => f.startsWith(children) && readFileSync(f, 'utf8').includes('[object PDFDocument]'))).toBe(
      true,
    );
  }, 60_000);
});
