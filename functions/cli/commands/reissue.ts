/** `pmif-reports reissue`: an operator's corrected revision after a software fix (never done by the software itself). */
import { type ActionSpec, described, optional } from '../command-spec';
import { SHARED } from '../options';

export const reissueSpec: ActionSpec = {
  name: 'reissue',
  description:
    'issue a corrected revision of an issued period with a reason (--dry-run: list the periods whose figures the code running now would change, and how)',
  options: [
    optional(SHARED.period, 'the issued period, e.g. 2025-Q3 (with --dry-run: default every issued period)'),
    { flags: '--reason <text>', description: 'why: printed in the revision’s change list' },
    { flags: '--dry-run', description: 'change nothing: list what would change' },
    SHARED.store,
    described(SHARED.now, 'generated-at time of the new revision (default: the system clock)'),
    SHARED.verbose,
  ],
  exitCodes: '0 done (or nothing would change), 2 failed or wrong arguments.',
  action: async (opts: {
    period?: string;
    reason?: string;
    dryRun?: boolean;
    store: string;
    now?: string;
    verbose?: boolean;
  }) => {
    // Loaded when the command runs: --help never loads the renderers.
    const [{ issuedPeriods, previewReissue, reissuePeriod }, { localDeps }] = await Promise.all([
      import('../../app/reissue'),
      import('../local-deps'),
    ]);
    const deps = localDeps(opts);
    if (opts.dryRun) {
      const periods = opts.period ? [opts.period] : await issuedPeriods(deps);
      let changing = 0;
      for (const period of periods) {
        const preview = await previewReissue(deps, period);
        if (!preview) {
          process.stdout.write(`${period}: never issued\n`);
          continue;
        }
        if (preview.changes.length === 0) continue;
        changing++;
        process.stdout.write(`${period} (r${preview.revision}): ${preview.changes.length} figure(s) would change\n`);
        for (const c of preview.changes) process.stdout.write(`  ${c.projectId} ${c.figure}: ${c.old} → ${c.new}\n`);
      }
      process.stdout.write(`${changing} of ${periods.length} issued period(s) would change.\n`);
      return;
    }
    if (!opts.period) throw new Error('reissue: --period is required (or use --dry-run to see which periods)');
    if (!opts.reason?.trim()) throw new Error('reissue: --reason is required: it goes into the change list');
    const outcome = await reissuePeriod(deps, { period: opts.period, reason: opts.reason });
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  },
};
