/**
 * The arguments `npm start` takes: `--port N` (the port `serve` will listen on, which the upload links in the
 * e-mails name) and `--help`. Anything else is refused in plain words before the demo touches `.local/demo`.
 */
import { DEFAULT_LINK_PORT } from '../functions/cli/local-deps';
import { portOption } from '../functions/cli/options';

export const START_USAGE = `Usage: npm start [-- --port <port>]

Runs the whole flow locally on sample data, into a fresh .local/demo folder: writes the sample workbooks, ingests
them, generates every due quarter's reports (both editions), delivers the e-mails to an outbox of .eml files and
produces the Art. 42 transmission.

Options:
  --port <port>  the port \`serve\` will listen on, which the upload and download links in the e-mails name
                 (default ${DEFAULT_LINK_PORT})
  -h, --help     show this help and do nothing else
`;

export type StartArgs = { help: true } | { help: false; port: number } | { error: string };

export function parseStartArgs(args: readonly string[]): StartArgs {
  let port = DEFAULT_LINK_PORT;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? args[++i] : arg.slice('--port='.length);
      if (value === undefined) return { error: 'option --port needs a port number' };
      try {
        port = portOption(value);
      } catch {
        return { error: `option --port: "${value}" is not a port number (0 to 65535)` };
      }
      continue;
    }
    return { error: `unknown argument "${arg}"` };
  }
  return { help: false, port };
}
