/** Keeps the dependency directions of STYLE.md honest: the core knows nothing of vendors, env or the clock. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
