/**
 * Regenerate the render workers' warm-up specimen (`functions/app/warm-up/specimen.json`):
 * `npx tsx scripts/write-specimen.ts`. It is one sample project's revision, as the real intake makes it from the
 * sample's workbooks: the registry, and the project's submissions up to the period. `test/unit/warm-up.test.ts`
 * fails until the committed file is what this builds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareSample } from '../bench/lib/sample';
import type { WarmUpSpecimen } from '../functions/app/warm-up';
import { EDITIONS } from '../functions/core/editions';

/** A small sample project with participants, targets and spending: every part of a report, in a few pages. */
const PROJECT = 'red-cross-mentors';
const PERIOD = '2025-Q3';

export const SPECIMEN_FILE = fileURLToPath(new URL('../functions/app/warm-up/specimen.json', import.meta.url));

export async function buildWarmUpSpecimen(): Promise<WarmUpSpecimen> {
  const dir = await mkdtemp(join(tmpdir(), 'pmif-specimen-'));
  try {
    const sample = await prepareSample(dir);
    const { registry } = sample;
    const submissions = sample.submissions.filter((s) => s.projectId === PROJECT && s.period <= PERIOD);
    if (submissions.length === 0) throw new Error(`the sample has no ${PROJECT} submission up to ${PERIOD}`);
    return {
      projectId: PROJECT,
      plan: {
        schemaVersion: 1,
        kind: 'plan',
        period: PERIOD,
        revision: 1,
        generatedAt: '2025-10-16T04:00:00.000Z',
        language: EDITIONS[0]!,
        editions: [...EDITIONS],
        codeVersion: 'warm-up',
        registry: { key: registry.source.key, version: registry.source.version, sha256: registry.source.sha256 },
        sources: [],
        projectIds: [PROJECT],
      },
      inputs: { registry, submissions },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = `${JSON.stringify(await buildWarmUpSpecimen(), null, 2)}\n`;
  await writeFile(SPECIMEN_FILE, text);
  console.log(`wrote functions/app/warm-up/specimen.json (${text.length} bytes)`);
}
