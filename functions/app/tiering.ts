import { setFlagsFromString } from 'node:v8';

/**
 * How much bytecode a function runs between V8's checks of whether to optimize it (V8's `--interrupt-budget`, in
 * bytes; Node 20's default is 67 584). With the default, a run optimizes much of its code early, on the type
 * feedback of its first few reports, then throws the optimized code away when the next report brings other object
 * shapes ("wrong map") and compiles it again: optimizing compiles were a fifth of a 500-project run's CPU and more
 * than a quarter of `npm start`'s, on background threads that take the same two cores the renders need. Nine times
 * the default, code is optimized once it has seen enough to stay optimized (measured, paired against the default:
 * 500 projects 0.84× CPU, `npm start` 0.90×; 1 500 000 gained nothing more; docs/performance.md).
 */
export const INTERRUPT_BUDGET = 600_000;

let tuned = false;

/**
 * Set {@link INTERRUPT_BUDGET} for this process, once: every entry point that renders (the command line, `npm
 * start`, the Lambdas, the render pool before its first worker) calls it first. V8's flags are the process's: the
 * worker threads started after it share it.
 */
export function tuneTiering(): void {
  if (tuned) return;
  tuned = true;
  const flags = tieringFlags(process.execArgv);
  if (flags) setFlagsFromString(flags);
}

/** The V8 flags {@link tuneTiering} sets, given Node's own options: none when they already set a budget. */
export function tieringFlags(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((arg) => /^--interrupt[-_]budget(=|$)/.test(arg))) return undefined;
  return `--interrupt-budget=${INTERRUPT_BUDGET}`;
}
