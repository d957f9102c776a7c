/**
 * Commands as data. Each file in commands/ declares its command once (name, description, arguments, options, exit
 * codes, and the action that runs it), and {@link addCommand} turns the declaration into commander's calls, so no
 * command repeats the builder chain and the options several commands share are declared once, in options.ts.
 */
import { Command, Option } from 'commander';

/** One option: its flags, what help says, and how its value is parsed and checked. */
export interface OptionSpec {
  /** Commander's flags: `--store <dir>`, `--verbose`. */
  flags: string;
  description: string;
  /** Said after the description, after `; `, by every command using the option (e.g. the accepted forms). */
  note?: string;
  /** Parses and checks the value; throws commander's InvalidArgumentError for a value it refuses. */
  parse?: (value: string) => unknown;
  required?: boolean;
  /** The value when the option is not given, and how help names it. */
  default?: { value: unknown; shown: string };
  /** The name of an option this one excludes (`store` for `--bucket`). */
  conflicts?: string;
}

/** One positional argument: `<period>`, `[periods...]`, `<files...>`. */
export interface ArgumentSpec {
  name: string;
  description: string;
  parse?: (value: string) => unknown;
}

interface SpecHead {
  name: string;
  description: string;
}

/** A command that runs: commander calls `action` with the arguments, then the parsed options. */
export interface ActionSpec extends SpecHead {
  arguments?: readonly ArgumentSpec[];
  options?: readonly OptionSpec[];
  /** One line after the help: what each exit code means for this command. */
  exitCodes?: string;
  /** The command's body; it loads the code it needs when it runs, so `--help` stays light. */
  action: (...args: never[]) => void | Promise<void>;
}

/** A group of subcommands (`archive list|get|verify|hold`). */
export interface GroupSpec extends SpecHead {
  commands: readonly CommandSpec[];
}

export type CommandSpec = ActionSpec | GroupSpec;

/** A shared option with this command's own description (the shared flags, note, parser and defaults stay). */
export function described(option: OptionSpec, description: string): OptionSpec {
  return { ...option, description };
}

/** A shared option that this command does not require. */
export function optional(option: OptionSpec, description = option.description): OptionSpec {
  return { ...option, description, required: false };
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.note ? `${spec.description}; ${spec.note}` : spec.description);
  if (spec.required) option.makeOptionMandatory();
  if (spec.parse) option.argParser(spec.parse);
  if (spec.default) option.default(spec.default.value, spec.default.shown);
  if (spec.conflicts) option.conflicts(spec.conflicts);
  return option;
}

function configure(command: Command, spec: CommandSpec): Command {
  command.description(spec.description);
  if ('commands' in spec) {
    for (const sub of spec.commands) addCommand(command, sub);
    return command;
  }
  for (const a of spec.arguments ?? []) {
    if (a.parse) command.argument(a.name, a.description, a.parse);
    else command.argument(a.name, a.description);
  }
  for (const o of spec.options ?? []) command.addOption(toOption(o));
  if (spec.exitCodes) command.addHelpText('after', `\nExit codes: ${spec.exitCodes}`);
  return command.action(spec.action as (...args: unknown[]) => void | Promise<void>);
}

/** Adds the declared command to `parent`, inheriting its settings (exit override, help after an error). */
export function addCommand(parent: Command, spec: CommandSpec): Command {
  return configure(parent.command(spec.name), spec);
}

/** The declared command on its own, without a parent (for a host or test that runs one command group). */
export function buildCommand(spec: CommandSpec): Command {
  return configure(new Command(spec.name), spec);
}
