/**
 * What a render worker renders while it waits for its first report: a specimen revision (one sample project's,
 * `warm-up/specimen.json`, written by `scripts/write-specimen.ts`). A worker's first reports cost several times a
 * steady one: the code is compiled, its inline caches fill and V8 optimizes it as it runs, and the fonts and the text
 * caches are made. A worker that loads while its caller still prepares the work (`npm start` writes and ingests its
 * sample; a run ingests its inbox) spends that idle time on the specimen instead of on the first real reports, when
 * its pool leaves it a core to spare (`RenderWorkerData.warmUp`). What it renders is thrown away; the caches it
 * fills give the same bytes as empty ones (their tests say so).
 */
import type { Manifest } from '../core/manifest';
import type { RevisionInputs, RevisionPlan } from './revisions';
import specimenJson from './warm-up/specimen.json' with { type: 'json' };

export interface WarmUpSpecimen {
  projectId: string;
  plan: RevisionPlan;
  inputs: RevisionInputs;
}

/** Rounds of the specimen's project and programme reports, every edition: past the first, slowest renders. */
export const WARM_UP_ROUNDS = 3;

export interface Renderers {
  renderProjectFiles(plan: RevisionPlan, inputs: RevisionInputs, projectId: string): Promise<unknown>;
  renderProgrammeFiles(
    plan: RevisionPlan,
    inputs: RevisionInputs,
    previousFigures: Manifest['figures'] | null,
  ): Promise<unknown>;
}

/**
 * The warm-up's renders, one step each. The specimen is cloned as a worker's messages are (structured clone), so
 * the code is optimized on objects built the way real inputs are.
 */
export function warmUpSteps(renderers: Renderers): (() => Promise<unknown>)[] {
  const { plan, inputs, projectId } = structuredClone(specimenJson as unknown as WarmUpSpecimen);
  const steps: (() => Promise<unknown>)[] = [];
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    steps.push(() => renderers.renderProjectFiles(plan, inputs, projectId));
    steps.push(() => renderers.renderProgrammeFiles(plan, inputs, null));
  }
  return steps;
}
