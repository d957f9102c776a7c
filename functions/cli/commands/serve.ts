/**
 * `pmif-reports serve`: the drop page and its upload endpoint, and the managers' and auditors' download links and
 * revision pages, on http://localhost:PORT over the folder store.
 */
import { type ActionSpec, described } from '../command-spec';
import { SHARED } from '../options';

export const serveSpec: ActionSpec = {
  name: 'serve',
  description:
    'serve the drop page, upload endpoint, download links and revision pages on http://localhost:PORT; uploads are ingested at once',
  options: [
    SHARED.store,
    SHARED.port,
    SHARED.outbox,
    described(SHARED.now, 'act as if it were this date (06:00 Riga) or instant: links issued then still work'),
    SHARED.linkKeys,
    SHARED.verbose,
  ],
  action: async (opts: {
    store: string;
    port?: number;
    outbox?: string;
    now?: string;
    linkKeys?: string;
    verbose?: boolean;
  }) => {
    // Loaded when it runs: `--help` stays light (see scripts/build-cli.ts).
    const { startServer } = await import('../serve');
    const server = await startServer(opts);
    process.stdout.write(
      `Drop page: ${server.origin}/upload?t=…, reports: ${server.origin}/download?t=… and /revision?t=… (open the links in the e-mails). Ctrl+C stops.\n`,
    );
    const stop = () => void server.idle().then(() => server.close());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
};
