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

/** The leaf command at a word path, from a fresh program. */
function commandAt(path: string[]): Command {
  let command = buildProgram();
  for (const word of path) command = command.commands.find((c) => c.name() === word)!;
  return command;
}

const taking = (flags: string) =>
  commands.filter((path) => commandAt(path).options.some((o) => o.flags === flags)).map((p) => [p.join(' '), p]);

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

describe('the shared options', () => {
  it('are taken by the commands that say so', () => {
    expect(taking('--now <date>').length).toBeGreaterThan(5);
    expect(taking('--period <period>').length).toBeGreaterThan(3);
  });

  it.each(taking('--now <date>'))('%s: --now is ISO 8601 only, refused before anything runs', async (_, path) => {
    const r = await runCapturedCli(...path, '--now', '11/12/2026');
    expect(r.exitCode).toBe(2);
    expect(r.err).toContain('ISO 8601');
  });

  it.each(taking('--period <period>'))('%s: --period must name a quarter', async (_, path) => {
    const r = await runCapturedCli(...path, '--period', '2025-Q5');
    expect(r.exitCode).toBe(2);
    expect(r.err).toContain('expected a period such as 2025-Q3');
  });
});
