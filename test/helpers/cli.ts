/** The command line run in-process, as an operator meets it: what it wrote on stdout and stderr, and its exit code. */
import { vi } from 'vitest';
import { runCli } from '../../functions/cli/program';

export async function runCapturedCli(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const capture = (sink: 'out' | 'err') => (chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    if (sink === 'out') out += text;
    else err += text;
    return true;
  };
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(capture('out'));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(capture('err'));
  process.exitCode = 0;
  try {
    await runCli(['node', 'pmif-reports', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, exitCode };
}
