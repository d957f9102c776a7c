/** `pmif-reports template`: a blank registry or submission workbook. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { type ActionSpec, optional } from '../command-spec';
import { SHARED } from '../options';

export const templateSpec: ActionSpec = {
  name: 'template',
  description: 'write a blank registry or submission workbook with drop-down lists and instructions',
  arguments: [{ name: '<kind>', description: 'registry | submission' }],
  options: [
    { flags: '--out <file>', description: 'where to write the .xlsx', required: true },
    { flags: '--project <id>', description: 'pre-fill the project ID (submission)' },
    optional(SHARED.period, 'pre-fill the period (submission)'),
  ],
  action: async (kind: string, opts: { out: string; project?: string; period?: string }) => {
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
  },
};
