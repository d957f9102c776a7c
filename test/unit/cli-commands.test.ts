/**
 * Every command the program declares, a group's subcommands included, answers wrong arguments the same way: the
 * error and the command's help on stderr, exit code 2 (as the root help says), and the process goes on.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../functions/cli/program';
import { runCapturedCli } from '../helpers/cli';

/** The word paths of every command that runs (`generate`, `archive get`, `link-keys rotate`, …). */
function leafCommands(command: Command, path: string[] = []): string[][] {
  const subs = command.commands.filter((c) => c.name() !== 'help');
  if (subs.length === 0) return [path];
  return subs.flatMap((c) => leafCommands(c, [...path, c.name()]));
}

const commands = leafCommands(buildProgram());

describe('wrong arguments', () => {
  it('reach every command, groups included', () => {
    expect(commands.map((c) => c.join(' '))).toEqual(
      expect.arrayContaining(['generate', 'archive verify', 'link-keys rotate', 'purge-upload']),
    );
  });

  it.each(commands.map((c) => [c.join(' '), c]))('%s: wrong arguments exit 2 with the help', async (_, path) => {
    const r = await runCapturedCli(...path, '--no-such-option');
    expect(r.exitCode).toBe(2);
    // Commander names the first thing wrong: a missing required argument or option, else the unknown option.
    expect(r.err).toMatch(/^error: (missing required argument|required option|unknown option '--no-such-option')/);
    expect(r.err).toContain(`Usage: pmif-reports ${path.join(' ')}`);
  });
});
