/**
 * sample/programme.json reaches TypeScript through a cast (a JSON string is a plain `string` to it), so nothing at
 * compile time stops a misspelt field from being ignored and silently changing the sample. This test is that check:
 * every record says only what the generator reads, names activities, issue codes and indicators that exist, and
 * points at submissions the sample has.
 */
import { describe, expect, it } from 'vitest';
import { ISSUE_MESSAGES } from '../../functions/core/issue-codes';
import { ACTIVITIES } from '../../functions/core/types';
import programme from '../../sample/programme.json' with { type: 'json' };
import { buildSampleData } from '../../sample/sample-projects';

type Json = Record<string, unknown>;

/** The fields each kind of object may have, as the generator's types (sample-projects.ts, participants.ts) say. */
const FIELDS: Record<string, string[]> = {
  record: 'project catalogue targets budget absorption preparedBy email participants typed narrative lateUploads'.split(
    ' ',
  ),
  project:
    'id contractNo title beneficiary fund specificObjective start end eligibleCost euRatePercent coordinatorEmails'.split(
      ' ',
    ),
  target: ['code', 'target', 'milestone', 'milestoneDate'],
  budget: ['category', 'planned'],
  absorption: ['kind', 'share', 'note'],
  cohort: 'note idPrefix idDigits activity intake outcome traits quarters oneDay followUp'.split(' '),
  series: ['perQuarter', 'after', 'jitter', 'groups', 'inPeriods'],
  outcome: 'kind answers completes helpful startLevels drops gains gainsTwo'.split(' '),
  traits: ['kind', 'male', 'minor', 'vulnerable', 'over60'],
  followUp: ['kind', 'activity', 'chance', 'nextQuarter', 'gap'],
  typed: ['code', 'value', 'comment', 'sentence'],
  narrative: ['achievements', 'counts', 'problem', 'nextSteps'],
  count: ['name', 'activity', 'ending'],
  problem: ['text', 'fromQuarter', 'periods'],
  mistake: 'name note project period folder omitSheets omitColumns edits'.split(' '),
  edit: 'kind code value add issue severity row category amount among nth set column spellings repeatIssue written expenditure sheet header'.split(
    ' ',
  ),
};

const EDIT_KINDS = [
  'indicator-value',
  'indicator-row',
  'indicator-repeat',
  'expenditure-amount',
  'expenditure-total',
  'participant',
  'participant-spellings',
  'period',
  'keep-only',
  'no-participant-indicators',
  'issue',
];

function unknownFields(kind: string, value: unknown, where: string): string[] {
  if (value === undefined) return [];
  const allowed = FIELDS[kind]!;
  return Object.keys(value as Json)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: ${key}`);
}

const records = programme.projects as unknown as Json[];
const sample = buildSampleData();

describe('sample programme data (programme.json)', () => {
  it('has no field the generator does not read', () => {
    const unknown = records.flatMap((r, i) => {
      const at = `projects[${i}]`;
      const cohorts = r.participants as Json[];
      const typed = r.typed as Json[];
      const narrative = r.narrative as Json;
      return [
        ...unknownFields('record', r, at),
        ...unknownFields('project', r.project, `${at}.project`),
        ...(r.targets as Json[]).flatMap((t) => unknownFields('target', t, `${at}.targets`)),
        ...(r.budget as Json[]).flatMap((b) => unknownFields('budget', b, `${at}.budget`)),
        ...unknownFields('absorption', r.absorption, `${at}.absorption`),
        ...cohorts.flatMap((c) => [
          ...unknownFields('cohort', c, `${at}.participants`),
          ...['intake', 'outcome', 'traits', 'followUp'].flatMap((part) =>
            unknownFields(part === 'intake' ? 'series' : part, c[part], `${at}.participants.${part}`),
          ),
        ]),
        ...typed.flatMap((t) => [...unknownFields('typed', t, `${at}.typed`), ...unknownFields('series', t.value, at)]),
        ...unknownFields('narrative', narrative, `${at}.narrative`),
        ...(narrative.counts as Json[]).flatMap((c) => unknownFields('count', c, `${at}.narrative.counts`)),
        ...unknownFields('problem', narrative.problem, `${at}.narrative.problem`),
      ];
    });
    const mistakes = programme.mistakes as unknown as Json[];
    const inMistakes = mistakes.flatMap((m) => [
      ...unknownFields('mistake', m, `mistake ${m.name}`),
      ...(m.edits as Json[]).flatMap((e) => unknownFields('edit', e, `mistake ${m.name} edit`)),
    ]);
    expect([...unknown, ...inMistakes]).toEqual([]);
  });

  it('names only known activities, issue codes, edit kinds and indicators', () => {
    const known = new Set<string>(ACTIVITIES);
    const activities = records.flatMap((r) => [
      ...(r.participants as Json[]).flatMap((c) => [c.activity, (c.followUp as Json | undefined)?.activity]),
      ...((r.narrative as Json).counts as Json[]).map((c) => c.activity),
    ]);
    expect(activities.filter((a) => a !== undefined && !known.has(a as string))).toEqual([]);
    const edits = programme.mistakes.flatMap((m) => m.edits as Json[]);
    expect(edits.filter((e) => !EDIT_KINDS.includes(e.kind as string))).toEqual([]);
    const issues = edits.flatMap((e) => [e.issue, e.repeatIssue]).filter((c) => c !== undefined);
    expect(issues.filter((c) => !(String(c) in ISSUE_MESSAGES))).toEqual([]);
    for (const r of records) {
      const targets = (r.targets as Json[]).map((t) => t.code);
      expect((r.typed as Json[]).filter((t) => !targets.includes(t.code))).toEqual([]);
    }
  });

  it('gives cumulative shares that rise to 1', () => {
    const shares = records.flatMap((r) =>
      (r.participants as Json[]).flatMap((c) => {
        const outcome = c.outcome as Json | undefined;
        return [c.quarters, outcome?.answers, outcome?.startLevels].filter((s) => s !== undefined) as number[][];
      }),
    );
    expect(shares.length).toBeGreaterThan(0);
    for (const s of shares) {
      expect(s.every((v, i) => i === 0 || v >= s[i - 1]!)).toBe(true);
      expect(s.at(-1)).toBe(1);
    }
  });

  it('points late uploads and planted mistakes at submissions the sample has', () => {
    const has = (project: string, period: string) =>
      sample.submissions.some((s) => s.content.projectId === project && s.content.period === period);
    const late = records.flatMap((r) =>
      Object.keys(r.lateUploads as Json).map((period) => [(r.project as Json).id as string, period] as const),
    );
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter(([project, period]) => !has(project, period))).toEqual([]);
    expect(programme.mistakes.filter((m) => !has(m.project, m.period))).toEqual([]);
  });
});
