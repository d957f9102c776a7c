/**
 * Keeps the dependency directions of STYLE.md honest: the core knows nothing of vendors, env or the clock; every
 * folder edge under functions/ is in a rule table; no import circle anywhere (files, or folders under functions/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findCycles,
  folderGraph,
  folderViolations,
  type ImportGraph,
  importGraph,
  specifiers,
} from '../helpers/import-graph';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('dependency directions', () => {
  const core = sources('functions/core');

  it('finds the core sources', () => {
    expect(core.length).toBeGreaterThan(10);
  });

  it.each(core)('%s imports no vendor SDK, renderer or workbook library', (file) => {
    const bad = imports(file).filter((m) =>
      /^(@aws-sdk|aws-cdk-lib|aws-lambda|exceljs|pdfkit|nodemailer|fflate|saxes|node:fs|node:child_process)/.test(m),
    );
    expect(bad).toEqual([]);
    const relativeOut = imports(file).filter((m) => m.startsWith('..') && !m.startsWith('../../templates/'));
    expect(relativeOut).toEqual([]);
  });

  it.each(core)('%s reads neither the environment nor the wall clock', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(text).not.toMatch(/process\.env|Date\.now\(|new Date\(\)/);
  });
});

/**
 * Which folder may import which. Every folder under functions/ must be listed: a new one gets a decided place.
 * intake is the security boundary (untrusted uploads): it may use the pure core and nothing else of ours.
 */
const FOLDER_RULES: Record<string, readonly string[]> = {
  core: [],
  intake: ['core'],
  pdf: ['core'],
  mail: ['core'],
  workbooks: ['core', 'intake'],
  app: ['core', 'intake', 'pdf', 'mail', 'workbooks'],
  adapters: ['core'],
  aws: ['core', 'app', 'adapters'],
  cli: ['core', 'app', 'adapters', 'intake', 'workbooks', 'upload'],
  ingest: ['core', 'app', 'aws'],
  generate: ['core', 'app', 'aws'],
  deliver: ['core', 'app', 'aws'],
  remind: ['core', 'app', 'aws'],
  transmission: ['core', 'app', 'aws'],
  feedback: ['core', 'app', 'aws'],
  // The drop page and its endpoint's HTTP framing, shared by `serve` (cli) and the upload Lambda.
  upload: ['core', 'app', 'aws'],
  // The code archived with each revision (one file): re-derives records and re-renders reports for `archive verify`.
  verifier: ['core', 'app', 'intake', 'pdf'],
};

const inFunctions = (file: string) => file.startsWith('functions/');
const CODE_DIRS = ['functions', 'infra', 'test', 'bench', 'scripts', 'sample'];

describe('folder edges and import circles', () => {
  const graph = importGraph(root, CODE_DIRS);

  it('reads the whole tree', () => {
    expect([...graph.keys()].filter(inFunctions).length).toBeGreaterThan(80);
    expect(graph.get('functions/intake/read-xlsx.ts')).toContain('functions/intake/zip-guard.ts');
  });

  it('every folder under functions/ imports only what the rule table allows', () => {
    expect(folderViolations(graph, FOLDER_RULES, inFunctions)).toEqual([]);
  });

  it('no import circle between files, anywhere in the repository', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('no circle between the folders under functions/', () => {
    expect(findCycles(folderGraph(graph, inFunctions))).toEqual([]);
  });

  it.each(sources('functions/intake'))('%s (intake) uses no workbook library, renderer, file system or AWS', (file) => {
    const bad = imports(file).filter((m) =>
      /^(@aws-sdk|exceljs|pdfkit|nodemailer|xlsx|node:fs|node:child_process)/.test(m),
    );
    expect(bad).toEqual([]);
  });
});

describe('the checks themselves, on synthetic graphs', () => {
  const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('an intake file importing anything but core is a violation, naming the edge', () => {
    const graph = graphOf({
      'functions/intake/read-xlsx.ts': ['functions/core/cells.ts', 'functions/workbooks/safe-text.ts'],
      'functions/core/cells.ts': [],
      'functions/workbooks/safe-text.ts': [],
    });
    expect(folderViolations(graph, FOLDER_RULES, inFunctions)).toEqual([
      {
        from: 'functions/intake/read-xlsx.ts',
        to: 'functions/workbooks/safe-text.ts',
        rule: 'intake may import only core',
      },
    ]);
  });

  it('core importing any other folder is a violation; a folder missing from the table is one too', () => {
    const graph = graphOf({
      'functions/core/keys.ts': ['functions/app/deps.ts'],
      'functions/app/deps.ts': [],
      'functions/newcomer/x.ts': ['functions/core/keys.ts'],
    });
    expect(folderViolations(graph, FOLDER_RULES, inFunctions).map((v) => v.rule)).toEqual([
      'core may import only nothing',
      'folder "newcomer" has no entry in the rule table',
    ]);
  });

  it('finds a three-file circle and a file importing itself, and nothing in a chain', () => {
    const graph = graphOf({
      'functions/intake/read-xlsx.ts': ['functions/intake/zip-guard.ts'],
      'functions/intake/zip-guard.ts': ['functions/intake/cell-values.ts'],
      'functions/intake/cell-values.ts': ['functions/intake/read-xlsx.ts'],
      'functions/core/a.ts': ['functions/core/a.ts'],
      'functions/core/b.ts': ['functions/core/c.ts'],
      'functions/core/c.ts': [],
    });
    expect(findCycles(graph)).toEqual([
      ['functions/intake/cell-values.ts', 'functions/intake/read-xlsx.ts', 'functions/intake/zip-guard.ts'],
      ['functions/core/a.ts'],
    ]);
    expect(findCycles(graphOf({ a: ['b'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('finds a circle between folders even when no two files form one', () => {
    const graph = graphOf({
      'functions/adapters/logger.ts': ['functions/aws/names.ts'],
      'functions/aws/names.ts': [],
      'functions/aws/deps.ts': ['functions/adapters/store.ts'],
      'functions/adapters/store.ts': [],
    });
    expect(findCycles(graph)).toEqual([]);
    expect(findCycles(folderGraph(graph, inFunctions))).toEqual([['adapters', 'aws']]);
  });

  it('reads static, type-only, re-export, side-effect and dynamic imports', () => {
    const text = [
      "import { a } from './a';",
      "import type {\n  B,\n  C,\n} from '../b';",
      "export { d } from './d';",
      "import './e';",
      "const f = await import('./f');",
    ].join('\n');
    expect(specifiers(text)).toEqual(['./a', '../b', './d', './e', './f']);
  });
});
