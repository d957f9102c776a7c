/**
 * Child processes: every memory figure is one process's peak RSS, so each measured method runs in a fresh Node
 * process of its own, and reports one JSON line prefixed with {@link RESULT_PREFIX}.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Print a child's result (the last such line wins). */
export function reportResult(value: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}

/**
 * Peak resident set size of this process so far, in MB (threads included). On Linux from /proc (VmHWM, the peak of
 * this program's own memory): `getrusage`'s maxRSS survives exec, so a child spawned by the bench's big parent
 * process reported the parent's size at the fork as its own peak whenever that was larger (a `node -e 0` "used"
 * 192 MB). Elsewhere, maxRSS.
 */
export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, as the caller saw it. */
  wallMs: number;
  timedOut: boolean;
}

/** Run a command; never rejects for a non-zero exit (the caller decides), only when it cannot be started. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - start, timedOut });
    });
  });
}

/** Run a bundled child script with plain Node and return its result line, plus the wall time seen from outside. */
export async function runChild<T>(
  script: string,
  args: readonly string[],
  options: { timeoutMs?: number; nodeArgs?: readonly string[] } = {},
): Promise<{ result: T; wallMs: number }> {
  const run = await runProcess(process.execPath, [...(options.nodeArgs ?? []), script, ...args], options);
  if (run.timedOut) throw new ChildFailedError(`${script} ${args.join(' ')}: timed out`, run);
  const line = run.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_PREFIX));
  if (run.code !== 0 || !line) {
    throw new ChildFailedError(`${script} ${args.join(' ')}: exit ${run.code ?? run.signal}`, run);
  }
  return { result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T, wallMs: run.wallMs };
}

export class ChildFailedError extends Error {
  constructor(
    message: string,
    readonly run: ProcessRun,
  ) {
    super(`${message}\n${run.stderr.slice(-2000)}`);
    this.name = 'ChildFailedError';
  }
}
