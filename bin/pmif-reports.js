#!/usr/bin/env node
// The shipped command line is the bundle `npm ci` builds (scripts/build-cli.ts, the `prepare` script): plain
// JavaScript that loads each command's code only when that command runs. Without it (installed with
// --ignore-scripts), the TypeScript sources run through tsx, slower to start but the same commands.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write('pmif-reports: no built bundle (run `npm run build`); running the sources through tsx\n');
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../functions/cli/program.ts');
  await runCli(process.argv);
}
