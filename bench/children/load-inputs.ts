/**
 * What every render step does first on AWS, as the code stands: load the revision's registry and every submission
 * record it names. `node load-inputs.js <store dir> <period>`, after a generate of that period; reports the time
 * and the process's peak RSS.
 */
import { FolderStore } from '../../functions/adapters/folder-store';
import { latestManifest, loadRevisionInputs } from '../../functions/app/generate';
import { tuneTiering } from '../../functions/app/tiering';
import { peakRssMb, reportResult } from '../lib/child';

// V8's tiering as the product's entry points set it (functions/app/tiering.ts): the figures are of what users run.
tuneTiering();

export interface LoadInputsResult {
  records: number;
  ms: number;
  peakRssMb: number;
}

const [root, period] = process.argv.slice(2);
if (!root || !period) throw new Error('usage: load-inputs.js <store dir> <period>');
const deps = { store: new FolderStore(root) };
const manifest = await latestManifest(deps, period);
if (!manifest) throw new Error(`no revision of ${period} in ${root}`);
const start = performance.now();
const inputs = await loadRevisionInputs(deps, manifest);
reportResult({
  records: inputs.submissions.length,
  ms: performance.now() - start,
  peakRssMb: peakRssMb(),
} satisfies LoadInputsResult);
