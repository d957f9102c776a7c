/**
 * The render workers' warm-up specimen (`functions/app/warm-up.ts`): the committed revision is the one the real
 * intake makes of the sample today, and the warm-up renders it as a worker's messages bring inputs (a copy of its
 * own, never the module's objects). That a worker renders it, stops for a report and gives the same bytes after is
 * in `test/integration/render-pool.test.ts`.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { RevisionInputs, RevisionPlan } from '../../functions/app/revisions';
import { WARM_UP_ROUNDS, warmUpSteps } from '../../functions/app/warm-up';
import { buildWarmUpSpecimen, SPECIMEN_FILE } from '../../scripts/write-specimen';

describe('the warm-up specimen', () => {
  it('is one sample project’s revision as the intake makes it today (run `npx tsx scripts/write-specimen.ts`)', {
    timeout: 120_000,
  }, async () => {
    const committed = await readFile(SPECIMEN_FILE, 'utf8');
    expect(committed).toBe(`${JSON.stringify(await buildWarmUpSpecimen(), null, 2)}\n`);
    const specimen = JSON.parse(committed);
    expect(specimen.plan.projectIds).toEqual([specimen.projectId]);
    expect(specimen.inputs.submissions.length).toBeGreaterThan(1);
    expect(specimen.inputs.submissions.every((s: { projectId: string }) => s.projectId === specimen.projectId)).toBe(
      true,
    );
  });

  it('is rendered in rounds of the project’s and the programme’s reports, each on a copy of its own', async () => {
    const calls: { kind: string; plan: RevisionPlan; inputs: RevisionInputs; projectId?: string }[] = [];
    const steps = warmUpSteps({
      renderProjectFiles: async (plan, inputs, projectId) => calls.push({ kind: 'project', plan, inputs, projectId }),
      renderProgrammeFiles: async (plan, inputs) => calls.push({ kind: 'programme', plan, inputs }),
    });
    for (const step of steps) await step();
    expect(calls.map((c) => c.kind)).toEqual(
      Array.from({ length: WARM_UP_ROUNDS }, () => ['project', 'programme']).flat(),
    );
    expect(calls[0]!.projectId).toBe('red-cross-mentors');
    const again = warmUpSteps({
      renderProjectFiles: async (plan) => expect(plan).not.toBe(calls[0]!.plan),
      renderProgrammeFiles: async () => {},
    });
    await again[0]!();
    expect(calls[0]!.plan).toEqual(calls[1]!.plan);
  });
});
