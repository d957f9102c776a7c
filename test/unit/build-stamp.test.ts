/**
 * `npm start` builds dist/ only when the stamp says it is stale (scripts/build-stamp.mjs): any input or output
 * whose contents changed, disappeared or never was stamped makes it stale; times alone do not.
 */
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAMP_FILE, staleFiles, writeStamp } from '../../scripts/build-stamp.mjs';

const repo = resolve(import.meta.dirname, '..', '..');
let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-stamp-'));
  await mkdir(join(root, 'dist'));
  await put('package.json', '{}');
  await put('functions/a.ts', 'export const a = 1;');
  await put('functions/b.ts', 'export const b = 2;');
  await put('dist/cli/main.js', 'console.log(1);');
  writeStamp(root, ['functions/a.ts', 'functions/b.ts'], ['dist/cli/main.js']);
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('the build stamp', () => {
  it('is fresh right after the build, and after a touch that changes no contents', async () => {
    expect(staleFiles(root)).toEqual([]);
    const later = new Date(Date.now() + 60_000);
    await utimes(join(root, 'functions/a.ts'), later, later);
    expect(staleFiles(root)).toEqual([]);
  });

  it.each([
    ['a changed source', 'functions/b.ts', (p: string) => put(p, 'export const b = 3;')],
    ['a removed source', 'functions/a.ts', (p: string) => rm(join(root, p))],
    ['a changed build file', 'package.json', (p: string) => put(p, '{"x":1}')],
    ['a build file that appeared', 'tsconfig.json', (p: string) => put(p, '{}')],
    ['a changed output', 'dist/cli/main.js', (p: string) => put(p, 'console.log(2);')],
    ['a removed output', 'dist/cli/main.js', (p: string) => rm(join(root, p))],
    ['no stamp', STAMP_FILE, (p: string) => rm(join(root, p))],
  ])('is stale after %s', async (_what, path, change) => {
    await change(path);
    expect(staleFiles(root)).toEqual([path]);
  });

  it('is stale again when the change is undone only in part', async () => {
    const before = await readFile(join(root, 'functions/a.ts'), 'utf8');
    await put('functions/a.ts', 'export const a = 2;');
    await put('functions/b.ts', 'export const b = 5;');
    await put('functions/a.ts', before);
    expect(staleFiles(root)).toEqual(['functions/b.ts']);
  });

  it("stamps the repository's build with every entry's sources, and it is fresh (run `npm run build`)", async () => {
    const stamp = JSON.parse(await readFile(join(repo, STAMP_FILE), 'utf8')) as {
      inputs: Record<string, string>;
      outputs: Record<string, string>;
    };
    for (const source of ['functions/cli/main.ts', 'sample/start.ts', 'functions/app/render-worker.ts'])
      expect(Object.keys(stamp.inputs)).toContain(source);
    expect(Object.keys(stamp.inputs)).toContain('functions/verifier/main.ts');
    expect(Object.keys(stamp.outputs)).toContain('dist/cli/main.js');
    expect(Object.keys(stamp.outputs)).toContain('dist/verifier/pmif-verifier.mjs');
    expect(staleFiles(repo)).toEqual([]);
  });
});
