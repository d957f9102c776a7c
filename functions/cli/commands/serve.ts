/**
 * `pmif-reports serve`: the drop page and its upload endpoint, and the managers' and auditors' download links and
 * revision pages, on http://localhost:PORT over the folder store.
 */
import type { Command } from 'commander';
import { linkKeysFlag, nowFlag, outboxFlag, portFlag, storeFlag, verboseFlag } from '../options';

export function serveCommand(program: Command): Command {
  return program
    .command('serve')
    .description(
      'serve the drop page, upload endpoint, download links and revision pages on http://localhost:PORT; uploads are ingested at once',
    )
    .addOption(storeFlag('the store folder'))
    .addOption(portFlag('port to listen on (default 8787)'))
    .addOption(outboxFlag())
    .addOption(nowFlag('act as if it were this date (06:00 Riga) or instant: links issued then still work'))
    .addOption(linkKeysFlag())
    .addOption(verboseFlag())
    .action(
      async (opts: {
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
    );
}
