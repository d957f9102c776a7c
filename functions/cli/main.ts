/** `npm run cli` (tsx functions/cli/main.ts): the command line run from the source tree. */
import { runCli } from './program';

await runCli(process.argv);
