/**
 * The backfill bound on AWS (issue 14): the state machine's plan step, as Lambda calls it, holds more than
 * BACKFILL_LIMIT never-reported periods exactly as the local `run` does, and `"backfill": true` in the execution's
 * input issues them, one per pass of the state machine's loop, to the same revisions `run --backfill` makes. On a
 * folder store with a registry whose one-digit typo starts a project in 2021 instead of 2023.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKFILL_LIMIT, runAll } from '../../functions/app/run';
import { createGenerateHandlers, type PlanResult } from '../../functions/generate/handler';
import { localRuntime } from '../helpers/aws-runtime';
import {
  editedRegistry,
  localDeps,
  recordingLogger,
  registryUpload,
  type SmallProgramme,
  smallProgramme,
  snapshot,
  stage,
  type Upload,
} from '../helpers/small-programme';

/** After the 2023-Q2 deadline, before 2023-Q3's. */
const NOW = new Date('2023-10-12T04:00:00Z');
const TYPO_PERIODS = ['2021', '2022']
  .flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`))
  .concat(['2023-Q1', '2023-Q2']);

let root: string;
let programme: SmallProgramme;
let typo: Upload;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-plan-backfill-'));
  programme = await smallProgramme(['2023-Q1', '2023-Q2']);
  const registry = editedRegistry(programme.data, (r) => {
    r.projects.find((p) => p.id === 'pmlp-reception')!.start = '2021-01-01';
  });
  typo = await registryUpload(registry, 'registry/registry.xlsx', '2023-01-02T08:00:00Z');
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A bucket with the typo registry and the uploads, ingested by a `run` without backfill (which holds every period). */
async function ingestedBucket(name: string) {
  const bucket = join(root, name, 'bucket');
  await stage(bucket, [typo, ...programme.submissions]);
  const deps = localDeps(bucket, join(root, name, 'outbox'), NOW, recordingLogger([]));
  const held = await runAll(deps, undefined, { workers: 1 });
  return { bucket, deps, held };
}

/** The plan step's runtime over the folder store (the handlers Lambda runs, minus the AWS clients). */
function generateOn(deps: ReturnType<typeof localDeps>) {
  return createGenerateHandlers(localRuntime(deps));
}

/** One pass of the state machine after a planned plan step: every Map item, then finish. */
async function renderAndFinish(generate: ReturnType<typeof generateOn>, planned: PlanResult) {
  if (planned.status !== 'planned') throw new Error(`expected a plan, got ${planned.status}`);
  const { plan } = JSON.parse(JSON.stringify(planned)) as typeof planned;
  const rendered = [];
  for (const projectId of plan.projectIds) {
    await generate.renderProject({ plan, projectId });
    rendered.push({});
  }
  return generate.finish({ plan, rendered });
}

const manifests = (snap: Map<string, string>) =>
  [...snap.keys()].filter((k) => k.startsWith('reports/') && k.endsWith('/manifest.json')).sort();

describe('the plan step and the backfill bound', () => {
  it('without "backfill" holds what `run` holds, in every mode, and names it; with it, issues what `run --backfill` issues', async () => {
    const aws = await ingestedBucket('aws');
    expect(aws.held.held).toEqual(TYPO_PERIODS);
    expect(TYPO_PERIODS.length).toBeGreaterThan(BACKFILL_LIMIT);
    const generate = generateOn(aws.deps);

    const held = {
      count: TYPO_PERIODS.length,
      first: '2021-Q1',
      last: '2023-Q2',
      summary: expect.stringMatching(
        /^2021-Q1 … 2023-Q2: this run would issue 10 never-reported periods .*"backfill": true/,
      ),
    };
    expect(await generate.plan({})).toEqual({ status: 'held', period: '2023-Q2', held });
    expect(await generate.plan({ mode: 'scheduled', backfill: false })).toEqual({
      status: 'held',
      period: '2023-Q2',
      held,
    });
    expect(await generate.plan({ mode: 'corrections' })).toEqual({ status: 'no-changes', held });
    expect(manifests(await snapshot(aws.bucket))).toEqual([]);
    await expect(generate.plan({ backfill: 'yes' } as never)).rejects.toThrow(/backfill must be true or false/);

    // With the field: newest first, one period per pass, until nothing is left; then nothing is held any more.
    const issued: string[] = [];
    for (;;) {
      const planned = await generate.plan({ mode: 'scheduled', backfill: true });
      if (planned.status !== 'planned') {
        expect(planned).toEqual({ status: 'no-changes' });
        break;
      }
      expect(planned.held).toBeUndefined();
      expect(await renderAndFinish(generate, planned)).toMatchObject({ status: 'complete', period: planned.period });
      issued.push(planned.period);
    }
    expect(issued).toEqual([...TYPO_PERIODS].reverse());
    expect(await generate.plan({})).toEqual({ status: 'unchanged', period: '2023-Q2', revision: 1 });
    expect(await generate.plan({ mode: 'corrections' })).toEqual({ status: 'no-changes' });

    // The CLI's `run --backfill` on the same inputs issues the same revisions, to the byte.
    const cli = await ingestedBucket('cli');
    const done = await runAll(cli.deps, undefined, { workers: 1, backfill: true });
    expect(done.held).toEqual([]);
    const [fromAws, fromCli] = [await snapshot(aws.bucket), await snapshot(cli.bucket)];
    expect(manifests(fromAws)).toEqual(TYPO_PERIODS.map((p) => `reports/${p}/r1/manifest.json`));
    expect(manifests(fromAws)).toEqual(manifests(fromCli));
    const reports = (snap: Map<string, string>) =>
      [...snap].filter(([k]) => k.startsWith('reports/') && !k.endsWith('plan.json') && !k.endsWith('manifest.json'));
    // Reports carry their generated-at time (the plan's clock), which both took from the same NOW.
    expect(reports(fromAws)).toEqual(reports(fromCli));
  }, 180_000);
});
