import { describe, expect, it } from 'vitest';
import { submissionsInForce } from '../../functions/core/aggregate';
import { buildCatalogue } from '../../functions/core/catalogue';
import { splitShares, toCents } from '../../functions/core/money';
import { canonicalParticipantId, participantIdVariants, showInvisible } from '../../functions/core/participant-id';
import { deriveIndicators } from '../../functions/core/participants';
import { buildProgrammeReport, buildProjectReport } from '../../functions/core/report-model';
import { upgradeSubmission } from '../../functions/core/submission-record';
import {
  type NormalisedSubmission,
  type ParticipantRecord,
  type Project,
  type Registry,
  SUBMISSION_SCHEMA_VERSION,
} from '../../functions/core/types';

const catalogue = buildCatalogue();

function project(id: string, extra: Partial<Project> = {}): Project {
  return {
    id,
    contractNo: `C-${id}`,
    title: id,
    beneficiary: 'B',
    fund: 'AMIF-2021-2027',
    specificObjective: 'SO2',
    start: '2025-01-01',
    end: '2025-12-31',
    eligibleCost: 100_000,
    euRatePercent: 75,
    coordinatorEmails: ['c@example.lv'],
    ...extra,
  };
}

function registry(projects: Project[], targets: Registry['targets'] = []): Registry {
  return {
    schemaVersion: 1,
    kind: 'registry',
    source: {
      key: 'registry/r.xlsx',
      version: 'r1',
      sha256: 'cd'.repeat(32),
      bytes: 1,
      uploadedAt: '2025-01-01T00:00:00Z',
    },
    projects,
    targets,
    budget: projects.map((p) => ({ projectId: p.id, category: 'Personāls', planned: 50_000 })),
    recipients: [],
    indicators: [],
    settings: { deadlineDays: 15, reminderDays: 5 },
  };
}

function person(id: string, row: number): ParticipantRecord {
  return {
    id,
    activity: 'language-course',
    start: null,
    end: null,
    levelStart: null,
    levelEnd: null,
    helpful: null,
    gender: 'unknown',
    ageBracket: 'unknown',
    vulnerable: null,
    row,
  };
}

function submission(
  projectId: string,
  period: string,
  opts: {
    cents?: number[];
    typed?: Record<string, number>;
    participants?: ParticipantRecord[];
    key?: string;
    version?: string;
    uploadedAt?: string;
  } = {},
): NormalisedSubmission {
  const participants = opts.participants ?? [];
  return {
    schemaVersion: SUBMISSION_SCHEMA_VERSION,
    kind: 'submission',
    source: {
      key: opts.key ?? `inbox/${projectId}/${period}.xlsx`,
      version: opts.version ?? `v-${period}`,
      sha256: 'ab'.repeat(32),
      bytes: 1,
      uploadedAt: opts.uploadedAt ?? '2025-12-01T00:00:00.000Z',
    },
    registryVersion: 'r1',
    catalogueVersion: 'test',
    projectId,
    period,
    indicators: Object.entries(opts.typed ?? {}).map(([code, value], i) => ({
      code,
      value,
      comment: '',
      lineage: { sheet: 'Rādītāji', cell: `C${i + 2}`, raw: String(value) },
    })),
    derived: deriveIndicators(participants, catalogue.all, { sheet: 'Dalībnieki', idColumn: 1 }),
    participantRows: participants.length,
    profiles: {},
    breakdowns: [],
    expenditure: (opts.cents ?? []).map((amountCents, i) => ({
      category: 'Personāls',
      amountCents,
      lineage: { sheet: 'Izdevumi', cell: `B${i + 2}`, raw: String(amountCents / 100) },
    })),
    narrative: { achievements: null, problems: null, nextSteps: null },
    warnings: [],
  };
}

const report = (reg: Registry, subs: NormalisedSubmission[], period: string, projectId = 'p') =>
  buildProjectReport({
    registry: reg,
    submissions: subs,
    period,
    revision: 1,
    generatedAt: '2026-01-01T00:00:00Z',
    projectId,
  });

/** A deterministic stream of pseudo-random integers (no Math.random: a failure must be reproducible). */
function* numbers(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield x;
  }
}

describe('money in integer cents', () => {
  it('parses euros into cents half away from zero on the decimal value', () => {
    expect(toCents(1.005)).toBe(101);
    expect(toCents(-1.005)).toBe(-101);
    expect(toCents(205_337.45)).toBe(20_533_745);
    expect(toCents(1234.5600000000002)).toBe(123_456);
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(toCents(12.344999)).toBe(1234);
    expect(toCents(Number.NaN)).toBeNull();
  });

  it('every EU/national share equals the integer-cent computation (2 000 generated spends and rates)', () => {
    const rng = numbers(7);
    const rates = [75, 90, 50, 82.5, 33.33, 100, 0, 66.67];
    for (let i = 0; i < 2000; i++) {
      const spent = rng.next().value % 1_000_000_000;
      const rate = rates[i % rates.length]!;
      // The reference: exact rational arithmetic on the rate's decimal digits, half away from zero.
      const scaled = BigInt(Math.round(rate * 100));
      const product = BigInt(spent) * scaled;
      const expected = Number((product * 2n + 10_000n) / 20_000n);
      const { euCents, nationalCents } = splitShares(spent, rate);
      expect(euCents, `${spent} at ${rate}`).toBe(expected);
      expect(euCents + nationalCents).toBe(spent);
    }
  });

  it('rounds every half cent the same way (up, away from zero)', () => {
    // 75 % of 0,02 EUR is 1,5 cents; of 0,06 EUR 4,5 cents; of 1 234,58 EUR 92 593,5 cents.
    for (const spent of [2, 6, 10, 14, 123_458]) {
      const { euCents } = splitShares(spent, 75);
      expect(euCents).toBe(Math.floor((spent * 3) / 4) + 1);
    }
  });

  it('reports shares, totals and the programme sum in whole cents', () => {
    const reg = registry([project('p', { euRatePercent: 75 }), project('q', { euRatePercent: 82.5 })]);
    const subs = [
      submission('p', '2025-Q1', { cents: [10, 20, 30_000_001] }),
      submission('q', '2025-Q1', { cents: [3] }),
    ];
    const p = report(reg, subs, '2025-Q1', 'p');
    const q = report(reg, subs, '2025-Q1', 'q');
    expect(p.finance.spentCumulative).toBe(300_000.31);
    expect(p.finance.euShare).toBe(225_000.23); // 22 500 023,25 cents → 22 500 023
    expect(p.finance.nationalShare).toBe(75_000.08);
    expect(q.finance.euShare).toBe(0.02); // 2,475 cents → 2
    const programme = buildProgrammeReport({
      registry: reg,
      period: '2025-Q1',
      revision: 1,
      generatedAt: 'x',
      projects: [p, q],
    });
    expect(programme.finance.spentCumulative).toBe(300_000.34);
    expect(programme.finance.euShare).toBe(225_000.25);
    expect(programme.finance.nationalShare).toBe(75_000.09);
  });

  it('reads a stored schema-2 record (euros as floats) as cents', () => {
    const old = submission('p', '2025-Q1') as unknown as Record<string, unknown>;
    old.schemaVersion = 2;
    old.expenditure = [
      { category: 'Personāls', amount: 205_337.45, lineage: { sheet: 'Izdevumi', cell: 'B2', raw: '' } },
    ];
    const upgraded = upgradeSubmission(old as unknown as NormalisedSubmission);
    expect(upgraded.expenditure[0]?.amountCents).toBe(20_533_745);
    expect(upgraded.schemaVersion).toBe(SUBMISSION_SCHEMA_VERSION);
  });
});

describe('one person, one ID', () => {
  it('folds NFKC, invisible characters, whitespace and case', () => {
    const spellings = ['O-17', 'o-17', 'O-17\u200b', ' O-17\u00a0', 'Ｏ-17', '\u202aO-17\u202c', 'O -  17'];
    const canon = new Set(spellings.slice(0, 6).map(canonicalParticipantId));
    expect(canon.size).toBe(1);
    expect(canonicalParticipantId('O -  17')).toBe('O - 17');
  });

  it('counts the three-spellings participant once and names the rows of the variants', () => {
    const rows = [person('P-0007', 2), person('P-0007\u200b', 3), person('p-0007', 4), person('P-0007\u00a0', 5)];
    const s = submission('p', '2025-Q1', { participants: [...rows, person('P-0008', 6)] });
    expect(s.derived.find((d) => d.code === 'O.2.3.1')?.value).toBe(2);
    expect(participantIdVariants(rows.map((r) => ({ id: r.id, row: r.row })))).toEqual([
      { canonical: 'P-0007', rows: [2, 3, 4, 5] },
    ]);
  });

  it('shows invisible characters in found values', () => {
    expect(showInvisible('O.2.3.1\u200b')).toBe('O.2.3.1⟨U+200B⟩');
    expect(showInvisible('a\u00a0b')).toBe('a⟨U+00A0⟩b');
  });
});

describe('rules readers can trust', () => {
  const target = (projectId: string, code: string, value: number, milestone?: [number, string]) => ({
    projectId,
    indicatorCode: code,
    baseline: 0,
    milestone: milestone?.[0] ?? null,
    milestoneDate: milestone?.[1] ?? null,
    target: value,
  });

  it('from the last period on, a status is achieved or not achieved', () => {
    const reg = registry([project('p')], [target('p', 'O.2.3', 280), target('p', 'O.1.1', 10)]);
    const subs = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'].map((per) =>
      submission('p', per, { typed: { 'O.2.3': 70 - (per === '2025-Q4' ? 5 : 0), 'O.1.1': 3 } }),
    );
    const q3 = report(reg, subs, '2025-Q3');
    expect(q3.indicators.find((i) => i.code === 'O.2.3')?.status).toBe('on-track');
    const q4 = report(reg, subs, '2025-Q4');
    const o23 = q4.indicators.find((i) => i.code === 'O.2.3')!;
    expect(o23.cumulative).toBe(275);
    expect(o23.status).toBe('not-achieved');
    expect(q4.indicators.find((i) => i.code === 'O.1.1')?.status).toBe('achieved');
  });

  it('forecasts counts in whole units', () => {
    const reg = registry([project('p')], [target('p', 'O.2.3', 2000)]);
    // 380,45 … after a quarter of the year: a count, so the projection is a whole number.
    const m = report(reg, [submission('p', '2025-Q1', { typed: { 'O.2.3': 377 } })], '2025-Q1');
    const forecast = m.indicators.find((i) => i.code === 'O.2.3')!.forecast!;
    expect(Number.isInteger(forecast)).toBe(true);
    expect(Math.abs(forecast - 377 / m.elapsed)).toBeLessThanOrEqual(0.5);
  });

  it('a programme percentage divides values and targets of the same projects', () => {
    const reg = registry([project('a'), project('b'), project('c')], [target('a', 'O.2.3', 100)]);
    const subs = [
      submission('a', '2025-Q1', { typed: { 'O.2.3': 40 } }),
      submission('b', '2025-Q1', { typed: { 'O.2.3': 60 } }),
      submission('c', '2025-Q1', { typed: { 'O.2.3': 77 } }),
    ];
    const projects = ['a', 'b', 'c'].map((id) => report(reg, subs, '2025-Q1', id));
    const programme = buildProgrammeReport({
      registry: reg,
      period: '2025-Q1',
      revision: 1,
      generatedAt: 'x',
      projects,
    });
    const row = programme.indicators.find((i) => i.code === 'O.2.3')!;
    expect(row.cumulative).toBe(177);
    expect(row.target).toBe(100);
    expect(row.cumulativeWithTarget).toBe(40);
    expect(row.achievement).toBe(0.4);
  });

  it('lists every superseded upload of the period, marked, and picks the newest by time then version', () => {
    const reg = registry([project('p')]);
    const at = '2025-04-05T08:00:00.000Z';
    const z = submission('p', '2025-Q1', {
      key: 'inbox/p/z-first.xlsx',
      version: '0001',
      uploadedAt: at,
      cents: [100],
    });
    const a = submission('p', '2025-Q1', { key: 'inbox/p/a-fix.xlsx', version: '0002', uploadedAt: at, cents: [200] });
    const older = submission('p', '2025-Q1', {
      key: 'inbox/p/old.xlsx',
      version: '0009',
      uploadedAt: '2025-04-01T08:00:00.000Z',
      cents: [300],
    });
    for (const order of [
      [z, a, older],
      [older, a, z],
    ]) {
      const [entry] = submissionsInForce(order, '2025-Q1');
      expect(entry?.inForce.source.key).toBe('inbox/p/a-fix.xlsx');
    }
    const m = report(reg, [z, a, older], '2025-Q1');
    expect(m.finance.spentCumulative).toBe(2);
    const superseded = m.lineage.filter((l) => l.superseded);
    expect(superseded.map((l) => l.sourceKey).sort()).toEqual(['inbox/p/old.xlsx', 'inbox/p/z-first.xlsx']);
    expect(m.lineage.filter((l) => !l.superseded).every((l) => l.sourceKey === 'inbox/p/a-fix.xlsx')).toBe(true);
  });

  it('says when a missed milestone was met later', () => {
    const reg = registry([project('p')], [target('p', 'O.2.3', 100, [30, '2025-03-31'])]);
    const subs = [
      submission('p', '2025-Q1', { typed: { 'O.2.3': 20 } }),
      submission('p', '2025-Q2', { typed: { 'O.2.3': 15 } }),
    ];
    const q1 = report(reg, subs, '2025-Q1').indicators[0]!;
    expect([q1.milestoneMissed, q1.milestoneMetIn]).toEqual([true, null]);
    const q2 = report(reg, subs, '2025-Q2').indicators[0]!;
    expect([q2.milestoneMissed, q2.milestoneMetIn]).toEqual([true, '2025-Q2']);
  });
});
