/**
 * `pmif-reports`: the local runtime's command line. Same use cases as the Lambda handlers; a folder plays the
 * bucket, an outbox folder plays the mail server, and this CLI plays the scheduler. One file per command under
 * commands/, declared as data (command-spec.ts); the options they share are declared once in options.ts.
 */
import { Command, CommanderError } from 'commander';
import { tuneTiering } from '../app/tiering';
import { addCommand, type CommandSpec } from './command-spec';
import { archiveSpec } from './commands/archive';
import { deliverSpec } from './commands/deliver';
import { generateSpec } from './commands/generate';
import { ingestSpec } from './commands/ingest';
import { linkKeysSpec } from './commands/link-keys';
import { purgeUploadSpec } from './commands/purge-upload';
import { reissueSpec } from './commands/reissue';
import { reprocessSpec } from './commands/reprocess';
import { runSpec } from './commands/run';
import { serveSpec } from './commands/serve';
import { templateSpec } from './commands/template';
import { transmissionSpec } from './commands/transmission';
import { validateSpec } from './commands/validate';

export function buildProgram(): Command {
  const program = new Command('pmif-reports')
    .description("Progress reports for AMIF/PMIF projects from coordinators' submission workbooks")
    .showHelpAfterError()
    // Wrong arguments end in runCli with exit code 2, like any failure (1 means "the given files have errors").
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes:
  0  done (run: every upload answered; a rejected or pending upload is an outcome, not a failure)
  1  validate, ingest, reprocess: a given file has errors (refused or pending); archive verify: a mismatch
  2  something failed (each failure named: the key, what failed, what to do), or wrong arguments
  3  run, deliver: an e-mail is in doubt (check whether it arrived, then deliver --confirm-in-doubt or --resend-in-doubt)`,
    );
  const commands: CommandSpec[] = [
    validateSpec,
    ingestSpec,
    templateSpec,
    generateSpec,
    deliverSpec,
    runSpec,
    transmissionSpec,
    reprocessSpec,
    reissueSpec,
    archiveSpec(),
    serveSpec,
    linkKeysSpec,
    purgeUploadSpec(),
  ];
  for (const spec of commands) addCommand(program, spec);
  return program;
}

/**
 * A reader that stops early (`pmif-reports --help | head`) closes the pipe: what is left to print goes nowhere, and
 * the command goes on with its work instead of ending in an unhandled error. Any other output error still ends it.
 */
function ignoreClosedOutput(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

/** Parse `argv` and run the command; a thrown error is one line on stderr and exit code 2. */
export async function runCli(argv: string[]): Promise<void> {
  tuneTiering();
  ignoreClosedOutput();
  await buildProgram()
    .parseAsync(argv)
    .catch((err: unknown) => {
      // Commander has already printed its own message (or the help, which is no failure).
      if (err instanceof CommanderError) {
        process.exitCode = err.exitCode === 0 ? 0 : 2;
        return;
      }
      process.stderr.write(`pmif-reports: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    });
}
