/** `pmif-reports template`: a blank registry or submission workbook. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { periodFlag } from '../options';

/** Adds the command to `program`, inheriting its settings (as `program.command` does). */
export function templateCommand(program: Command): Command {
  return program
    .command('template')
    .description('write a blank registry or submission workbook with drop-down lists and instructions')
    .argument('<kind>', 'registry | submission')
    .requiredOption('--out <file>', 'where to write the .xlsx')
    .option('--project <id>', 'pre-fill the project ID (submission)')
    .addOption(periodFlag('pre-fill the period (submission)', false))
    .action(async (kind: string, opts: { out: string; project?: string; period?: string }) => {
      // exceljs loads when a template is written, not for --help.
      const [{ buildRegistryTemplate, buildSubmissionTemplate }, { standardIndicators }] = await Promise.all([
        import('../../workbooks/write-template'),
        import('../../core/catalogue'),
      ]);
      let bytes: Uint8Array;
      if (kind === 'registry') bytes = await buildRegistryTemplate();
      else if (kind === 'submission') {
        bytes = await buildSubmissionTemplate({
          projectId: opts.project,
          period: opts.period,
          catalogue: standardIndicators(),
        });
      } else throw new InvalidArgumentError('kind must be registry or submission');
      await mkdir(dirname(resolve(opts.out)), { recursive: true });
      await writeFile(opts.out, bytes);
      process.stdout.write(`${opts.out}\n`);
    });
}
