/** `pmif-reports reprocess`: decide one upload again, keeping its original upload time (no copy onto itself). */
import type { ActionSpec } from '../command-spec';
import { SHARED } from '../options';

export const reprocessSpec: ActionSpec = {
  name: 'reprocess',
  description:
    'ingest one stored upload again (after a fix, or a pending one now); its upload time stays the original, and only a different decision is mailed',
  arguments: [{ name: '<key>', description: 'the object key, e.g. "inbox/latvian-language/2025-Q3.xlsx"' }],
  options: [
    { flags: '--version <version>', description: 'the exact object version (default: the current one)' },
    SHARED.store,
    SHARED.now,
    SHARED.verbose,
  ],
  exitCodes: '0 accepted, 1 refused or still pending, 2 failed (e.g. no such object).',
  action: async (key: string, opts: { version?: string; store: string; now?: string; verbose?: boolean }) => {
    // Loaded when the command runs: --help never loads the workbook reader.
    const [{ ingestObject }, { formatIssueTable }, { localDeps }] = await Promise.all([
      import('../../app/ingest'),
      import('../format-issues'),
      import('../local-deps'),
    ]);
    const deps = localDeps(opts);
    const outcome = await ingestObject(deps, key, {
      reprocess: true,
      ...(opts.version === undefined ? {} : { version: opts.version }),
    });
    if (outcome.status === 'skipped') throw new Error(`reprocess ${key}: ${outcome.reason}`);
    process.stdout.write(`${key}: ${outcome.status} → ${outcome.recordKey} (mail: ${outcome.mail})\n`);
    if (outcome.status !== 'accepted') process.stdout.write(`${formatIssueTable(outcome.issues)}\n`);
    process.exitCode = outcome.status === 'accepted' ? 0 : 1;
  },
};
