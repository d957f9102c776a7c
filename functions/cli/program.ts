/**
 * `pmif-reports`: the local runtime's command line. Same use cases as the Lambda handlers; a folder plays the
 * bucket, an outbox folder plays the mail server, and this CLI plays the scheduler. One file per command under
 * commands/; the options they share are in options.ts.
 */
import { Command } from 'commander';
import { archiveCommand } from './commands/archive';
import { deliverCommand } from './commands/deliver';
import { generateCommand } from './commands/generate';
import { ingestCommand } from './commands/ingest';
import { linkKeysCommand } from './commands/link-keys';
import { purgeUploadCommand } from './commands/purge-upload';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { templateCommand } from './commands/template';
import { transmissionCommand } from './commands/transmission';
import { validateCommand } from './commands/validate';

export function buildProgram(): Command {
  const program = new Command('pmif-reports')
    .description("Progress reports for AMIF/PMIF projects from coordinators' submission workbooks")
    .showHelpAfterError();
  validateCommand(program);
  ingestCommand(program);
  templateCommand(program);
  generateCommand(program);
  deliverCommand(program);
  runCommand(program);
  transmissionCommand(program);
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
      process.stderr.write(`pmif-reports: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    });
}
