/** The generated sample data against the real readers: every sample file is clean, every planted mistake is found. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateIndicator, submissionsInForce } from '../../functions/core/aggregate';
import { buildCatalogue } from '../../functions/core/catalogue';
import type { NormalisedSubmission, Registry, SourceRef } from '../../functions/core/types';
import { parseRegistry } from '../../functions/intake/read-registry';
import { parseSubmission } from '../../functions/intake/read-submission';
import { readXlsx } from '../../functions/intake/read-xlsx';
import { SAMPLE_NOW, type SampleManifest, writeSampleData } from '../../sample/write-sample';

let dir: string;
let sample: SampleManifest;
let registry: Registry;
const accepted: NormalisedSubmission[] = [];

const source = (key: string, uploadedAt: string): SourceRef => ({
  key,
  version: key.replace(/[^a-z0-9]/gi, '-'),
  sha256: '0'.repeat(64),
  bytes: 1,
  uploadedAt,
});

async function read(file: string) {
  const result = readXlsx(new Uint8Array(await readFile(join(dir, file))));
  if (!result.ok) throw new Error(`${file}: ${result.problem.code}`);
  return result.workbook;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-sample-'));
  sample = await writeSampleData(dir);
  const parsed = parseRegistry(await read(sample.registry), source('registry/registry.xlsx', '2022-01-01T00:00:00Z'));
  expect(parsed.issues).toEqual([]);
  registry = parsed.registry!;
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sample data', () => {
  it('every sample submission ingests with zero issues', async () => {
    const problems: string[] = [];
    for (const s of sample.submissions) {
      const result = parseSubmission(
        await read(s.file),
        source(`inbox/${s.projectId}/${s.period}.xlsx`, s.uploadedAt),
        {
          registry,
          folder: s.projectId,
          today: SAMPLE_NOW,
        },
      );
      for (const i of result.issues) problems.push(`${s.file}: ${i.severity} ${i.code} ${i.sheet}!${i.cell}`);
      if (result.submission) accepted.push(result.submission);
    }
    expect(problems).toEqual([]);
    expect(accepted).toHaveLength(sample.submissions.length);
  });

  it('each planted-mistake file gives exactly the expected issues, cell by cell', async () => {
    expect(sample.mistakes.length).toBeGreaterThanOrEqual(6);
    for (const m of sample.mistakes) {
      const result = parseSubmission(
        await read(m.file),
        source(`inbox/${m.projectFolder}/x.xlsx`, '2026-01-01T00:00:00Z'),
        {
          registry,
          folder: m.projectFolder,
          today: SAMPLE_NOW,
        },
      );
      const got = result.issues.map((i) => `${i.severity} ${i.code} ${i.sheet ?? ''}!${i.cell ?? ''}`).sort();
      const want = m.expected.map((e) => `${e.severity} ${e.code} ${e.sheet}!${e.cell}`).sort();
      expect({ file: m.file, issues: got }).toEqual({ file: m.file, issues: want });
    }
  });

  it('summing quarterly participant counts would overstate an indicator; unique counting does not', () => {
    const catalogue = buildCatalogue(registry.indicators);
    let overstated = 0;
    for (const project of registry.projects) {
      const mine = accepted.filter((s) => s.projectId === project.id);
      if (mine.length === 0) continue;
      const last = mine
        .map((s) => s.period)
        .sort()
        .at(-1)!;
      const history = submissionsInForce(mine, last);
      for (const target of registry.targets.filter((t) => t.projectId === project.id)) {
        const def = catalogue.get(target.indicatorCode);
        if (def?.aggregation !== 'unique') continue;
        const unique = new Set(
          history.flatMap((h) => h.inForce.derived.find((d) => d.code === def.code)?.participantIds ?? []),
        ).size;
        const quarterlySum = history.reduce(
          (a, h) => a + (h.inForce.derived.find((d) => d.code === def.code)?.value ?? 0),
          0,
        );
        expect(aggregateIndicator(def, history, last).cumulative).toBe(unique);
        if (quarterlySum > unique) overstated++;
      }
    }
    expect(overstated).toBeGreaterThan(0);
  });
});
