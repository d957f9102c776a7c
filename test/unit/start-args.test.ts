import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PORT } from '../../functions/cli/local-deps';
import { parseStartArgs, START_USAGE } from '../../sample/start-args';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');

describe('npm start arguments', () => {
  it('runs the demo on the default port with no arguments, or on the port given either way', () => {
    expect(parseStartArgs([])).toEqual({ help: false, port: DEFAULT_LINK_PORT });
    expect(parseStartArgs(['--port', '9000'])).toEqual({ help: false, port: 9000 });
    expect(parseStartArgs(['--port=0'])).toEqual({ help: false, port: 0 });
  });

  it('shows the help for --help or -h, wherever it stands', () => {
    for (const args of [['--help'], ['-h'], ['--port', '9000', '--help'], ['--help', 'anything']])
      expect(parseStartArgs(args)).toEqual({ help: true });
  });

  it('refuses a missing or wrong port and any other argument, naming it', () => {
    const cases: [string[], RegExp][] = [
      [['--port'], /--port needs a port number/],
      [['--port', 'http'], /"http" is not a port number/],
      [['--port=70000'], /"70000" is not a port number/],
      [['--port', '-1'], /"-1" is not a port number/],
      [['--prot', '9000'], /unknown argument "--prot"/],
      [['demo'], /unknown argument "demo"/],
    ];
    for (const [args, message] of cases) {
      const parsed = parseStartArgs(args);
      expect(parsed, args.join(' ')).toHaveProperty('error');
      expect((parsed as { error: string }).error).toMatch(message);
    }
  });

  it('the built start shows its help and exits 0, or refuses a wrong argument with exit 2, before any work', async () => {
    const start = join(repo, 'dist', 'cli', 'start.js');
    expect(existsSync(start), 'dist/cli/start.js: run `npm run build`').toBe(true);
    const help = await run(process.execPath, [start, '--help'], { cwd: repo });
    expect(help.stdout).toBe(START_USAGE);
    const wrong = await run(process.execPath, [start, '--bogus'], { cwd: repo }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect((wrong as { stderr: string }).stderr).toContain('npm start: unknown argument "--bogus"');
  });
});
