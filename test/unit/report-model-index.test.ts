/**
 * A revision's reports share one index of the registry (`indexRegistry`): each project's row, targets and budget
 * lines, found once instead of by scanning the whole registry for every report. The lookups must answer as a scan
 * from the top did, whatever order the registry's rows come in, and a shared index must give every project the
 * same model as building that project's report alone. The programme summary's figures of a project
 * (`projectSummary`) are those of the project's full report.
 */
import { describe, expect, it } from 'vitest';
import {
  buildProgrammeReport,
  buildProjectReport,
  figuresOf,
  indexRegistry,
  projectSummary,
} from '../../functions/core/report-model';
import type { CellRef, NormalisedSubmission, Registry } from '../../functions/core/types';
import { SUBMISSION_SCHEMA_VERSION } from '../../functions/core/types';
import { testRegistry } from '../helpers/workbooks';

const PERIOD = '2025-Q3';
const cell = (sheet: string, ref: string): CellRef => ({ sheet, cell: ref, raw: '' });

/** A seeded shuffle, so the generated registries are the same on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * `count` projects cut from the test registry's one, their targets and budget lines interleaved in a shuffled
 * order, with rows a scan from the top must resolve: a second row for a project ID (the first is the project), a
 * second target for an indicator (the first is its target), and a code spelled another way.
 */
function generatedRegistry(count: number, seed: number): Registry {
  const base = testRegistry();
  const ids = Array.from({ length: count }, (_, i) => `p${i + 1}`);
  const projects = ids.map((id, i) => ({
    ...base.projects[0]!,
    id,
    title: `Project ${id}`,
    eligibleCost: 100_000 * (i + 1),
  }));
  const targets = ids.flatMap((id, i) =>
    base.targets.map((t, k) => ({ ...t, projectId: id, target: 100 * (i + 1) + k })),
  );
  const budget = ids.flatMap((id, i) => base.budget.map((b) => ({ ...b, projectId: id, planned: b.planned + i })));
  targets.push({ ...targets[0]!, projectId: 'p2', target: 999_999 });
  targets.push({ ...targets[0]!, projectId: 'p3', indicatorCode: ' o 2.3.1 ', target: 777 });
  projects.push({ ...projects[1]!, title: 'A later row with the same ID' });
  return { ...base, projects, targets: shuffled(targets, seed), budget: shuffled(budget, seed + 1) };
}

function submissionOf(projectId: string, n: number): NormalisedSubmission {
  const ids = Array.from({ length: 3 + n }, (_, i) => `PM-${projectId}-${i}`);
  return {
    schemaVersion: SUBMISSION_SCHEMA_VERSION,
    kind: 'submission',
    source: {
      key: `inbox/${projectId}/q3.xlsx`,
      version: 'v1',
      sha256: 'a'.repeat(64),
      bytes: 1,
      uploadedAt: '2025-10-05T08:00:00.000Z',
    },
    registryVersion: 'reg1',
    catalogueVersion: 'test',
    projectId,
    period: PERIOD,
    indicators: [{ code: 'R.2.9', value: 5 + n, comment: '', lineage: cell('Rādītāji', 'B2') }],
    derived: [
      {
        code: 'O.2.3.1',
        value: ids.length,
        participantIds: ids,
        lineage: ids.map((_, i) => cell('Dalībnieki', `A${i + 2}`)),
      },
    ],
    participantRows: ids.length,
    profiles: Object.fromEntries(ids.map((id, i) => [id, i % 2 ? 'female/18-60' : 'male/<18'])),
    breakdowns: [],
    expenditure: [{ category: 'Personāla izmaksas', amountCents: 1_000_00 * (n + 1), lineage: cell('Izdevumi', 'B2') }],
    narrative: { achievements: null, problems: null, nextSteps: null },
    warnings: [],
  };
}

function report(
  registry: Registry,
  submissions: NormalisedSubmission[],
  projectId: string,
  index?: ReturnType<typeof indexRegistry>,
) {
  return buildProjectReport({
    registry,
    submissions,
    period: PERIOD,
    revision: 1,
    generatedAt: '2025-10-16T04:00:00.000Z',
    projectId,
    index,
  });
}

describe('the registry index shared by a revision', () => {
  for (const seed of [1, 7, 42, 1234]) {
    it(`gives every project the model it has alone, rows in shuffled order (seed ${seed})`, () => {
      const registry = generatedRegistry(8, seed);
      const ids = [...new Set(registry.projects.map((p) => p.id))];
      const submissions = ids.map((id, n) => submissionOf(id, n));
      const index = indexRegistry(registry);
      for (const id of ids) expect(report(registry, submissions, id, index)).toEqual(report(registry, submissions, id));
    });

    it(`answers as a scan of the registry from the top (seed ${seed})`, () => {
      const registry = generatedRegistry(8, seed);
      const submissions = ['p1', 'p2', 'p3'].map((id, n) => submissionOf(id, n));
      const index = indexRegistry(registry);
      for (const id of ['p1', 'p2', 'p3', 'p5']) {
        const model = report(registry, submissions, id, index);
        expect(model.project.title).toBe(registry.projects.find((p) => p.id === id)!.title);
        const own = registry.targets.filter((t) => t.projectId === id);
        const firstOf = (code: string) =>
          own.find((t) => t.indicatorCode.trim().toUpperCase().replace(/\s+/g, '.') === code);
        // Indicators in the order of the project's first target row for each, then those reported without one.
        const order = [...new Set(own.map((t) => t.indicatorCode.trim().toUpperCase().replace(/\s+/g, '.')))];
        expect(model.indicators.map((i) => i.code).slice(0, order.length)).toEqual(order);
        for (const row of model.indicators)
          expect(row.target, `${id} ${row.code}`).toBe(firstOf(row.code)?.target ?? null);
        const lines = registry.budget.filter((b) => b.projectId === id);
        expect(model.finance.categories.slice(0, lines.length).map((c) => [c.category, c.planned])).toEqual(
          lines.map((b) => [b.category, b.planned]),
        );
      }
    });
  }

  for (const seed of [2, 9, 77]) {
    it(`gives the programme summary the figures of each project's full report (seed ${seed})`, () => {
      const registry = generatedRegistry(8, seed);
      const ids = [...new Set(registry.projects.map((p) => p.id))];
      // Some projects without a submission, some with an earlier one superseded.
      const submissions = ids.filter((_, n) => n % 3 !== 2).map((id, n) => submissionOf(id, n));
      submissions.push({ ...submissionOf('p1', 5), source: { ...submissionOf('p1', 5).source, version: 'v0' } });
      const index = indexRegistry(registry);
      const inputs = { registry, submissions, period: PERIOD, revision: 1, generatedAt: '2025-10-16T04:00:00.000Z' };
      const models = ids.map((id) => report(registry, submissions, id, index));
      const summaries = ids.map((projectId) => projectSummary({ ...inputs, projectId, index }));
      for (const [n, summary] of summaries.entries()) {
        const model = models[n]!;
        expect(summary).toEqual({
          project: model.project,
          elapsed: model.elapsed,
          submission: { status: model.submission.status },
          finance: model.finance,
          indicators: model.indicators.map(
            ({ code, name, unit, thisPeriod, cumulative, target, status, breakdown }) => ({
              code,
              name,
              unit,
              thisPeriod,
              cumulative,
              target,
              status,
              ...(breakdown ? { breakdown } : {}),
            }),
          ),
        });
      }
      const programme = (projects: typeof summaries) =>
        buildProgrammeReport({ ...inputs, projects, changes: [], notes: [] });
      expect(programme(summaries)).toEqual(programme(models));
      expect(figuresOf(summaries)).toEqual(figuresOf(models));
    });
  }

  it('is not used for another registry: the report is built from the registry it is given', () => {
    const registry = generatedRegistry(4, 3);
    const other = generatedRegistry(4, 5);
    other.projects = other.projects.map((p) => ({ ...p, title: `${p.title} (other)` }));
    const submissions = [submissionOf('p1', 0)];
    expect(report(registry, submissions, 'p1', indexRegistry(other))).toEqual(report(registry, submissions, 'p1'));
  });
});
