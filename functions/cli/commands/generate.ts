/** `pmif-reports generate`: one period's reports, a new revision only when its sources changed. */
import { type ActionSpec, described } from '../command-spec';
import { SHARED } from '../options';

export const generateSpec: ActionSpec = {
  name: 'generate',
  description:
    "generate a period's project and programme reports, each in Latvian and English (a new revision only when sources changed)",
  options: [
    SHARED.period,
    SHARED.store,
    described(SHARED.now, 'generated-at time (default: the system clock)'),
    SHARED.verbose,
  ],
  exitCodes: '0 generated or unchanged, 2 failed (named on stderr).',
  action: async (opts: { period: string; store: string; now?: string; verbose?: boolean }) => {
    // The renderers (pdfkit, exceljs) load when reports are generated, not for --help.
    const [{ generatePeriod }, { localDeps }, { progressReporter }] = await Promise.all([
      import('../../app/generate'),
      import('../local-deps'),
      import('../progress'),
    ]);
    const deps = localDeps(opts);
    const bar = progressReporter(`generate ${opts.period}`);
    const outcome = await generatePeriod(deps, {
      period: opts.period,
      onProgress: (d, t) => bar.update(d, t),
    });
    bar.stop();
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    // No registry in force: nothing could be generated, a failure (2), as for `run`.
    process.exitCode = outcome.status === 'no-registry' ? 2 : 0;
  },
};
