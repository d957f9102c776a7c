/**
 * `pmif-reports`: the local runtime's command line. Same use cases as the Lambda handlers; a folder plays the
 * bucket, an outbox folder plays the mail server, and this CLI plays the scheduler. One file per command under
 * commands/; the options they share are in options.ts.
 */
import { Command, CommanderError } from 'commander';
import { archiveCommand } from './commands/archive';
import { deliverCommand } from './commands/deliver';
import { generateCommand } from './commands/generate';
import { ingestCommand } from './commands/ingest';
import { linkKeysCommand } from './commands/link-keys';
import { purgeUploadCommand } from './commands/purge-upload';
import { reissueCommand } from './commands/reissue';
import { reprocessCommand } from './commands/reprocess';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { templateCommand } from './commands/template';
import { transmissionCommand } from './commands/transmission';
import { validateCommand } from './commands/validate';

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
  validateCommand(program);
  ingestCommand(program);
  templateCommand(program);
  generateCommand(program);
  deliverCommand(program);
  runCommand(program);
  transmissionCommand(program);
  reprocessCommand(program);
  reissueCommand(program);
  program.addCommand(archiveCommand());
  serveCommand(program);
  program.addCommand(linkKeysCommand());
  purgeUploadCommand(program);
  return program;
}

/** Parse `argv` and run the command; a thrown error is one line on stderr and exit code 2. */
export async function runCli(argv: string[]): Promise<void> {
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
