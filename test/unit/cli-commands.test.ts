/**
 * Every command the program declares, a group's subcommands included, answers wrong arguments the same way: the
 * error and the command's help on stderr, exit code 2 (as the root help says), and the process goes on.
 */
import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { buildProgram, runCli } from '../../functions/cli/program';

/** The word paths of every command that runs (`generate`, `archive get`, `link-keys rotate`, …). */
function leafCommands(command: Command, path: string[] = []): string[][] {
  const subs = command.commands.filter((c) => c.name() !== 'help');
  if (subs.length === 0) return [path];
  return subs.flatMap((c) => leafCommands(c, [...path, c.name()]));
}

async function cliError(args: string[]): Promise<{ err: string; exitCode: number }> {
  let err = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  process.exitCode = 0;
  try {
    await runCli(['node', 'pmif-reports', ...args]);
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { err, exitCode };
}

const commands = leafCommands(buildProgram());

describe('wrong arguments', () => {
  it('reach every command, groups included', () => {
    expect(commands.map((c) => c.join(' '))).toEqual(
      expect.arrayContaining(['generate', 'archive verify', 'link-keys rotate', 'purge-upload']),
    );
  });

  it.each(commands.map((c) => [c.join(' '), c]))('%s: wrong arguments exit 2 with the help', async (_, path) => {
    const r = await cliError([...path, '--no-such-option']);
    expect(r.exitCode).toBe(2);
    // Commander names the first thing wrong: a missing required argument or option, else the unknown option.
    expect(r.err).toMatch(/^error: (missing required argument|required option|unknown option '--no-such-option')/);
    expect(r.err).toContain(`Usage: pmif-reports ${path.join(' ')}`);
  });
});
