/** infra/ refers to handlers by file path and never imports runtime code (STYLE.md, dependency direction). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/reporting-app';

const sources = readdirSync(join(PROJECT_ROOT, 'infra'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join('infra', f));

describe('infra imports', () => {
  it('finds the infra sources', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources)('%s imports nothing from functions/', (file) => {
    const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1] ?? m[2] ?? '');
    expect(specifiers.filter((s) => /(^|\/)functions(\/|$)/.test(s))).toEqual([]);
  });
});
