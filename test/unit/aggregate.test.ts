import { describe, expect, it } from 'vitest';
import { aggregateIndicator, submissionsInForce } from '../../functions/core/aggregate';
import { buildCatalogue } from '../../functions/core/catalogue';
import { deriveIndicators, personProfiles } from '../../functions/core/participants';
import { indicatorStatus, linearForecast } from '../../functions/core/report-model';
import type { IndicatorDef, NormalisedSubmission, ParticipantRecord } from '../../functions/core/types';
import { SUBMISSION_SCHEMA_VERSION } from '../../functions/core/types';

const catalogue = buildCatalogue();
const def = (code: string): IndicatorDef => {
  const d = catalogue.get(code);
  if (!d) throw new Error(`catalogue lacks ${code}`);
  return d;
};

function person(
  id: string,
  activity: ParticipantRecord['activity'],
  row: number,
  extra: Partial<ParticipantRecord> = {},
): ParticipantRecord {
  return {
    id,
    activity,
    start: null,
    end: null,
    levelStart: null,
    levelEnd: null,
    helpful: null,
    gender: 'unknown',
    ageBracket: 'unknown',
    vulnerable: null,
    row,
    ...extra,
  };
}

function submission(
  period: string,
  participants: ParticipantRecord[],
  opts: { uploadedAt?: string; version?: string; typed?: Record<string, number> } = {},
): NormalisedSubmission {
  const version = opts.version ?? `v-${period}`;
  return {
    schemaVersion: SUBMISSION_SCHEMA_VERSION,
    kind: 'submission',
    source: {
      key: `inbox/p/${period}.xlsx`,
      version,
      sha256: 'ab'.repeat(32),
      bytes: 1,
      uploadedAt: opts.uploadedAt ?? `${period.slice(0, 4)}-12-01T00:00:00.000Z`,
    },
    registryVersion: 'r1',
    catalogueVersion: 'test',
    projectId: 'p',
    period,
    indicators: Object.entries(opts.typed ?? {}).map(([code, value], i) => ({
      code,
      value,
      comment: '',
      lineage: { sheet: 'Rādītāji', cell: `C${i + 2}`, raw: String(value) },
    })),
    derived: deriveIndicators(participants, catalogue.all, { sheet: 'Dalībnieki', idColumn: 1 }),
    participantRows: participants.length,
    profiles: personProfiles(
      participants,
      deriveIndicators(participants, catalogue.all, { sheet: 'Dalībnieki', idColumn: 1 }),
    ),
    breakdowns: [],
    expenditure: [],
    narrative: { achievements: null, problems: null, nextSteps: null },
    warnings: [],
  };
}

describe('unique counting across periods', () => {
  const q1 = submission('2025-Q1', [person('P-1', 'language-course', 2), person('P-2', 'language-course', 3)]);
  const q2 = submission('2025-Q2', [person('P-1', 'language-course', 2), person('P-3', 'language-course', 3)]);
  const history = submissionsInForce([q2, q1], '2025-Q2');

  it('counts a participant seen in Q1 and Q2 once cumulatively', () => {
    const value = aggregateIndicator(def('O.2.3.1'), history, '2025-Q2');
    expect(value.thisPeriod).toBe(2);
    expect(value.cumulative).toBe(3);
    expect(value.origin).toBe('participants');
    // Summing the quarterly counts would say 4.
    const quarterlySum = history.reduce(
      (a, h) => a + (h.inForce.derived.find((d) => d.code === 'O.2.3.1')?.value ?? 0),
      0,
    );
    expect(quarterlySum).toBe(4);
  });

  it('lists the participant ID cells as lineage (runs of rows), without the pseudonyms', () => {
    const value = aggregateIndicator(def('O.2.3.1'), history, '2025-Q2');
    expect(value.contributions.map((c) => `${c.period}:${c.cell.cell}`)).toEqual(['2025-Q1:A2:A3', '2025-Q2:A2:A3']);
    expect(value.contributions.every((c) => c.cell.raw === '')).toBe(true);
  });

  it('applies the CEFR rule: at least one level up', () => {
    const s = submission('2025-Q1', [
      person('A', 'language-course', 2, { levelStart: 'A1', levelEnd: 'A2' }),
      person('B', 'language-course', 3, { levelStart: 'A2', levelEnd: 'A2' }),
      person('C', 'language-course', 4, { levelStart: 'A0', levelEnd: 'B1' }),
      person('D', 'civic-course', 5, { levelStart: 'A0', levelEnd: 'B1' }),
      person('E', 'language-course', 6, { levelStart: null, levelEnd: 'B1' }),
    ]);
    expect(s.derived.find((d) => d.code === 'R.2.8')?.participantIds).toEqual(['A', 'C']);
  });

  it('uses the newest upload of a period and keeps the earlier one listed', () => {
    const first = submission('2025-Q1', [person('P-1', 'language-course', 2)], {
      uploadedAt: '2025-04-05T08:00:00.000Z',
      version: 'a',
    });
    const fix = submission('2025-Q1', [person('P-1', 'language-course', 2), person('P-9', 'language-course', 3)], {
      uploadedAt: '2025-04-09T08:00:00.000Z',
      version: 'b',
    });
    const [entry] = submissionsInForce([fix, first], '2025-Q1');
    expect(entry?.inForce.source.version).toBe('b');
    expect(entry?.all.map((s) => s.source.version)).toEqual(['a', 'b']);
    expect(aggregateIndicator(def('O.2.3.1'), submissionsInForce([first, fix], '2025-Q1'), '2025-Q1').cumulative).toBe(
      2,
    );
  });

  it('sums `sum` indicators and takes the latest value for `latest`', () => {
    const sumDef = { ...def('O.1.2'), rule: undefined, aggregation: 'sum' as const };
    const latestDef = { ...sumDef, code: 'X.LATEST', aggregation: 'latest' as const };
    const hs = submissionsInForce(
      [
        submission('2025-Q1', [], { typed: { 'O.1.2': 5, 'X.LATEST': 7 } }),
        submission('2025-Q2', [], { typed: { 'O.1.2': 3, 'X.LATEST': 4 } }),
      ],
      '2025-Q2',
    );
    expect(aggregateIndicator(sumDef, hs, '2025-Q2')).toMatchObject({ thisPeriod: 3, cumulative: 8 });
    expect(aggregateIndicator(latestDef, hs, '2025-Q2')).toMatchObject({ thisPeriod: 4, cumulative: 4 });
    expect(aggregateIndicator(sumDef, hs, '2025-Q1')).toMatchObject({ thisPeriod: 5, cumulative: 5 });
  });
});

describe('progress status (docs/architecture.md §5)', () => {
  it.each([
    [1.0, 0.5, 'achieved'],
    [0.45, 0.5, 'on-track'],
    [0.449, 0.5, 'at-risk'],
    [0.3, 0.5, 'at-risk'],
    [0.299, 0.5, 'behind'],
    [null, 0.5, 'no-target'],
  ] as const)('achievement %s at expected %s is %s', (achievement, expected, status) => {
    expect(indicatorStatus(achievement, expected)).toBe(status);
  });

  it('projects the cumulative value linearly to the end date', () => {
    expect(linearForecast(300, 0.25)).toBe(1200);
    expect(linearForecast(10, 0)).toBeNull();
  });
});

describe('participant lineage runs', () => {
  it('compresses qualifying rows into runs and keeps gaps apart', () => {
    const rows = [2, 3, 4, 7, 9, 10].map((row, i) => person(`P-${i}`, 'language-course', row));
    rows.push(person('P-x', 'civic-course', 5));
    const [derived] = deriveIndicators(rows, [def('O.2.3.1')], { sheet: 'Dalībnieki', idColumn: 2 });
    expect(derived?.lineage.map((c) => c.cell)).toEqual(['B2:B4', 'B7', 'B9:B10']);
    expect(derived?.value).toBe(6);
  });
});
