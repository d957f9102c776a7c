/** `pmif-reports deliver`: e-mail a period's latest revision, once per recipient and revision. */
import { InvalidArgumentError } from 'commander';
import type { ActionSpec } from '../command-spec';
import { SHARED } from '../options';

export const deliverSpec: ActionSpec = {
  name: 'deliver',
  description: 'e-mail the latest revision of a period to the managers (once per recipient and revision)',
  options: [
    SHARED.period,
    SHARED.store,
    SHARED.outbox,
    SHARED.now,
    {
      flags: '--resend-in-doubt',
      description: 'after checking they did not get it: send once more to recipients in doubt or given up',
    },
    { flags: '--confirm-in-doubt', description: 'after checking they got it: record the recipients in doubt as sent' },
    SHARED.verbose,
  ],
  exitCodes:
    '0 delivered (or nothing to deliver), 2 something failed (a report file not matching its manifest is never mailed), 3 a mail in doubt.',
  action: async (opts: {
    period: string;
    store: string;
    outbox?: string;
    now?: string;
    resendInDoubt?: boolean;
    confirmInDoubt?: boolean;
    verbose?: boolean;
  }) => {
    if (opts.resendInDoubt && opts.confirmInDoubt)
      throw new InvalidArgumentError('--resend-in-doubt and --confirm-in-doubt exclude each other');
    const [{ deliverPeriod }, { localDeps }] = await Promise.all([
      import('../../app/deliver'),
      import('../local-deps'),
    ]);
    const deps = localDeps(opts);
    const resolve = opts.resendInDoubt ? 'resend' : opts.confirmInDoubt ? 'confirm' : undefined;
    const outcome = await deliverPeriod(deps, opts.period, resolve ? { resolve } : {});
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    // Given up: something failed (2); in doubt: a person must look (3). See the ledger's comment in app/ledger.ts.
    process.exitCode = outcome.gaveUp > 0 ? 2 : outcome.inDoubt > 0 ? 3 : 0;
  },
};
