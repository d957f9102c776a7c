/** How many render workers a run starts by default (functions/app/run.ts, `runWorkers`). */
import { describe, expect, it } from 'vitest';
import { PARALLEL_FROM_PROJECTS } from '../../functions/app/generate';
import { runWorkers } from '../../functions/app/run';

describe('the workers a run starts', () => {
  it.each([
    // cores, projects of the largest period, workers
    [2, 9, 1],
    [2, 0, 1],
    [4, 9, 3],
    [8, PARALLEL_FROM_PROJECTS - 1, 7],
    [1, 9, 1],
  ])('leaves a core to the run itself while every period is small: %i cores, %i projects → %i', (cores, largest, n) => {
    expect(runWorkers(cores, largest)).toBe(n);
  });

  it.each([
    [2, PARALLEL_FROM_PROJECTS, 2],
    [2, 500, 2],
    [8, 2000, 8],
    [1, 500, 1],
  ])('gives every core a worker once a period is large: %i cores, %i projects → %i', (cores, largest, n) => {
    expect(runWorkers(cores, largest)).toBe(n);
  });
});
