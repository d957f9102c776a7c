/**
 * The process-wide V8 tiering budget (functions/app/tiering.ts): which flags are set, that this Node knows the flag
 * (V8 ignores an unknown one without a word), and that setting it at run time delays optimization as measured.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { INTERRUPT_BUDGET, tieringFlags } from '../../functions/app/tiering';

describe('the tiering flags', () => {
  it('sets the budget when Node was given none', () => {
    expect(tieringFlags([])).toBe(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    expect(tieringFlags(['--enable-source-maps', '--interrupt-budget-factor-for-feedback-allocation=8'])).toBe(
      `--interrupt-budget=${INTERRUPT_BUDGET}`,
    );
  });

  it("keeps a budget given on Node's command line, in either spelling", () => {
    for (const given of ['--interrupt-budget=1000', '--interrupt_budget=1000', '--interrupt-budget']) {
      expect(tieringFlags(['--max-old-space-size=512', given])).toBeUndefined();
    }
  });

  it('names a flag this Node has, as an integer', () => {
    const name = tieringFlags([])!.split('=')[0];
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    const entry = options.slice(options.indexOf(`${name} (`));
    expect(entry.length).toBeLessThan(options.length);
    expect(entry.split('\n')[1]).toMatch(/type: int\b/);
  });
});

/** Calls of a small hot function until V8 has optimized it, in a fresh Node with `flags` set at run time. */
function callsUntilOptimized(flags: string | undefined): number {
  const script = [
    `if (${JSON.stringify(flags ?? '')}) require('node:v8').setFlagsFromString(${JSON.stringify(flags ?? '')});`,
    'function f(a) { let s = 0; for (let k = 0; k < 4; k++) s += a[k] * k; return s; }',
    'const a = [1, 2, 3, 4];',
    'let calls = 0;',
    // Bit 16 of the status: the function runs optimized code.
    'for (; calls < 5e6; calls++) { f(a); if (calls % 100 === 0 && (%GetOptimizationStatus(f) & 16)) break; }',
    'console.log(calls);',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '-e', script], {
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim());
}

describe('the budget set at run time', () => {
  it('lets a function run several times longer before it is optimized', () => {
    const byDefault = callsUntilOptimized(undefined);
    const tuned = callsUntilOptimized(tieringFlags([]));
    expect(byDefault).toBeGreaterThan(0);
    expect(tuned).toBeLessThan(5e6);
    expect(tuned).toBeGreaterThan(4 * byDefault);
  });
});
