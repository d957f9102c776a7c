/**
 * The sample programme: the projects of `programme.json` (data) turned into a registry, one submission per project
 * per quarter, and submissions with planted mistakes. Pure and seeded: the same data gives the same sample, so tests
 * and demos can pin what the reports must show.
 */
import { standardIndicators } from '../functions/core/catalogue';
import type { IssueCode } from '../functions/core/issue-codes';
import {
  addDays,
  elapsedShare,
  formatPeriod,
  periodEnd,
  periodStart,
  periodsBetween,
  rigaWallClock,
} from '../functions/core/period';
import type {
  Aggregation,
  BudgetLine,
  IndicatorDef,
  IsoDate,
  ProgrammeTarget,
  Project,
  Recipient,
  Settings,
  Severity,
  Target,
} from '../functions/core/types';
import {
  type CohortPlan,
  compareText,
  countQualifying,
  maxDate,
  type ParticipantRow,
  projectEnrolments,
  type Quarter,
  rowsForQuarter,
  type Series,
  seriesValue,
} from './participants';
import programme from './programme.json' with { type: 'json' };

/** Seed of the whole sample; change it and every figure moves. */
export const SAMPLE_SEED = 20_250_930;

/** Mulberry32: a tiny, well-mixed 32-bit PRNG, so the sample never depends on `Math.random`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A PRNG per purpose, so adding a draw in one project does not shift every other project's figures. */
function rngFor(label: string): () => number {
  let hash = SAMPLE_SEED >>> 0;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return mulberry32(hash);
}

const intBetween = (rng: () => number, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

// ---------------------------------------------------------------------------------------------------------------
// The data: one record per project (programme.json), typed here.

type CatalogueId = 'AMIF-2021-2027' | 'AMIF-2014-2020';

/** An indicator value typed by the coordinator (not counted from participants), per quarter. */
interface TypedPlan {
  code: string;
  /** Per quarter, or only in the named periods (0 in every other). */
  value: Series | { inPeriods: Record<string, number> };
  /** The coordinator's comment, in quarters where the value is not 0. */
  comment?: string;
  /** A sentence added to the achievements in quarters where the value is not 0; `{code}` is the value. */
  sentence?: string;
}

/** The `Progress` sheet as templates: `{period}`, a count's name or an indicator code in braces is filled in. */
interface NarrativePlan {
  achievements: string;
  /** Participants counted in the quarter's rows for the sentences: distinct IDs, of one activity or ending in it. */
  counts: { name: string; activity?: string; ending?: boolean }[];
  /** A problem of its own from a quarter on, or in the named periods; otherwise one of the common problems. */
  problem?: { text: string; fromQuarter?: number; periods?: string[] };
  nextSteps: string;
}

/** Everything the generator needs about one project: registry fields, indicator plans, participants, costs. */
interface ProjectRecord {
  project: Project;
  catalogue: CatalogueId;
  targets: { code: string; target: number; milestone: number | null; milestoneDate: IsoDate | null }[];
  budget: { category: string; planned: number }[];
  /** Cumulative spending against elapsed time: on track (slightly behind, catching up) or a flat share of it. */
  absorption: { kind: 'on-track' } | { kind: 'share-of-time'; share: number };
  preparedBy: string;
  email: string;
  participants: CohortPlan[];
  typed: TypedPlan[];
  narrative: NarrativePlan;
  /** Uploads after the deadline (period end + 15 days): days after the period end, by period. */
  lateUploads: Record<string, number>;
}

/** A row of the registry sheet `Rādītāji` (unit given in Latvian only). */
interface ProgrammeIndicatorRow {
  code: string;
  nameLv: string;
  nameEn: string;
  unit: string;
  aggregation: Aggregation;
}

/**
 * The JSON's strings are typed `string`; the records are checked by what they produce (the sample's own tests read
 * every workbook back through the registry and submission parsers).
 */
const PROJECTS = programme.projects as ProjectRecord[];
const PROGRAMME_INDICATORS = programme.programmeIndicators as ProgrammeIndicatorRow[];
const COMMON_PROBLEMS: readonly string[] = programme.commonProblems;

// ---------------------------------------------------------------------------------------------------------------
// Calendar: the programme's own period arithmetic (functions/core/period.ts), so the sample's quarters, deadlines
// and upload times are the ones the runtime computes.

const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b);

/** Every quarter that overlaps the project's dates, in order. */
function projectQuarters(project: Project): Quarter[] {
  return periodsBetween(project.start, project.end).map((p, index) => {
    const start = periodStart(p);
    const end = periodEnd(p);
    return {
      index,
      period: formatPeriod(p),
      start,
      end,
      activeStart: maxDate(start, project.start),
      activeEnd: minDate(end, project.end),
    };
  });
}

/** A Europe/Riga wall-clock time as an ISO UTC instant. */
export function rigaTimeToIso(date: IsoDate, hour: number, minute: number): string {
  return rigaWallClock(date, hour, minute).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Catalogue

/** The common catalogues (`templates/catalogue/`), one per fund period. */
export const SAMPLE_CATALOGUES: Record<CatalogueId, IndicatorDef[]> = {
  'AMIF-2021-2027': standardIndicators().filter((def) => def.catalogue === 'AMIF-2021-2027'),
  'AMIF-2014-2020': standardIndicators().filter((def) => def.catalogue === 'AMIF-2014-2020'),
};

/** The programme indicators as the registry reader should produce them (unit given in Latvian only). */
export const SAMPLE_PROGRAMME_INDICATORS: IndicatorDef[] = PROGRAMME_INDICATORS.map((row) => ({
  code: row.code,
  catalogue: 'programme',
  name: { lv: row.nameLv, en: row.nameEn },
  unit: { lv: row.unit, en: row.unit },
  type: 'output',
  aggregation: row.aggregation,
  integer: true,
}));

function indicatorDef(code: string): IndicatorDef {
  const all = [
    ...SAMPLE_CATALOGUES['AMIF-2021-2027'],
    ...SAMPLE_CATALOGUES['AMIF-2014-2020'],
    ...SAMPLE_PROGRAMME_INDICATORS,
  ];
  const def = all.find((d) => d.code === code);
  if (!def) throw new Error(`sample uses an indicator missing from the catalogues: ${code}`);
  return def;
}

// ---------------------------------------------------------------------------------------------------------------
// Registry

/** The registry workbook's content, keyed like the schema's column ids. */
export interface SampleRegistry {
  projects: Project[];
  targets: Target[];
  budget: BudgetLine[];
  recipients: Recipient[];
  /** Rows of the optional `Rādītāji` sheet. */
  indicators: ProgrammeIndicatorRow[];
  /** Rows of the optional `Programmas mērķi` sheet: the programme's performance framework. */
  programmeTargets: ProgrammeTarget[];
  settings: Settings;
}

/**
 * The programme's milestone 2024 and target 2029 for every common indicator the sample projects target: a quarter
 * above what the selected projects plan (more calls are expected), rounded up to tens. Milestones are for outputs
 * only (CPR Art. 16), baselines for results only.
 */
function sampleProgrammeTargets(): ProgrammeTarget[] {
  const planned = new Map<string, number>();
  for (const { project, targets } of PROJECTS) {
    if (project.fund !== 'AMIF-2021-2027') continue;
    for (const t of targets) {
      if (!SAMPLE_CATALOGUES['AMIF-2021-2027'].some((d) => d.code === t.code)) continue;
      planned.set(t.code, (planned.get(t.code) ?? 0) + t.target);
    }
  }
  return [...planned.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([code, sum]) => {
      const target2029 = Math.ceil((sum * 1.25) / 10) * 10;
      const result = code.startsWith('R.');
      return {
        indicatorCode: code,
        baseline: result ? 0 : null,
        milestone2024: result ? null : Math.round(target2029 * 0.3),
        target2029,
      };
    });
}

/** Build the registry content of the sample programme. */
export function buildSampleRegistry(): SampleRegistry {
  return {
    projects: PROJECTS.map((p) => p.project),
    targets: PROJECTS.flatMap((p) =>
      p.targets.map((t) => ({
        projectId: p.project.id,
        indicatorCode: t.code,
        baseline: 0,
        milestone: t.milestone,
        milestoneDate: t.milestoneDate,
        target: t.target,
      })),
    ),
    budget: PROJECTS.flatMap((p) => p.budget.map((b) => ({ projectId: p.project.id, ...b }))),
    recipients: programme.recipients as Recipient[],
    indicators: PROGRAMME_INDICATORS,
    programmeTargets: sampleProgrammeTargets(),
    settings: programme.settings,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Submissions

/** One indicator row of the `Rādītāji` sheet; `value` may be text only in planted mistakes. */
export interface IndicatorRow {
  code: string;
  name: string;
  value: number | string;
  comment: string;
}

/** The content of one submission workbook, sheet by sheet. */
export interface SubmissionContent {
  projectId: string;
  /** As written in the `Periods` cell (malformed in one planted mistake). */
  period: string;
  preparedBy: string;
  email: string;
  indicators: IndicatorRow[];
  /** Null: no `Dalībnieki` sheet. */
  participants: ParticipantRow[] | null;
  expenditure: { category: string; amount: number }[];
  progress: Progress;
}

/** The `Progress` sheet, keyed by column id. */
export interface Progress {
  achievements: string;
  problems: string;
  nextSteps: string;
}

/** One regular sample upload. */
export interface SampleSubmission {
  content: SubmissionContent;
  /** The catalogue the coordinator's template carried. */
  catalogue: CatalogueId;
  /** Upload instant, ISO UTC; the local store reads it back from the file's mtime. */
  uploadedAt: string;
}

/** Where a planted mistake must be reported: sheet and column by schema id, `row` the 0-based data row. */
export interface PlantedIssue {
  code: IssueCode;
  severity: Severity;
  sheet: string;
  /** Absent for sheet-level issues (cell ''). */
  column?: string;
  row?: number;
  /** A header-level issue (a missing column): reported at the header row's first cell, A1. */
  header?: true;
}

/** A submission with exactly known mistakes. */
export interface SampleMistake {
  name: string;
  /** The inbox folder the file is meant to be uploaded to. */
  projectFolder: string;
  content: SubmissionContent;
  catalogue: CatalogueId;
  omitSheets: string[];
  omitColumns: { sheet: string; column: string }[];
  uploadedAt: string;
  planted: PlantedIssue[];
}

/** The whole sample programme. */
export interface SampleData {
  registry: SampleRegistry;
  submissions: SampleSubmission[];
  mistakes: SampleMistake[];
}

/** A working day's upload 3–12 days after the quarter, or on the record's late day; 08:00–16:59 Riga time. */
function uploadTime(record: ProjectRecord, quarter: Quarter): string {
  const rng = rngFor(`${record.project.id}:${quarter.period}:upload`);
  const days = record.lateUploads[quarter.period] ?? intBetween(rng, 3, 12);
  return rigaTimeToIso(addDays(quarter.end, days), intBetween(rng, 8, 16), intBetween(rng, 0, 59));
}

function roundCents(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Cumulative spending at `elapsed` (0..1) of the project's time. */
function absorbed(record: ProjectRecord, elapsed: number): number {
  const { absorption } = record;
  return absorption.kind === 'on-track' ? elapsed * (0.9 + 0.08 * elapsed) : elapsed * absorption.share;
}

/** Expenditure per quarter: cumulative absorption follows the project's curve, split by budget shares. */
function expenditureByQuarter(record: ProjectRecord, quarters: Quarter[]): { category: string; amount: number }[][] {
  const rng = rngFor(`${record.project.id}:expenditure`);
  const { eligibleCost } = record.project;
  let previous = 0;
  return quarters.map((quarter) => {
    // "expected" in docs/architecture.md: the share of the project's duration elapsed at the quarter's end.
    const elapsed = elapsedShare(record.project.start, record.project.end, quarter.activeEnd);
    // The first quarter is a ramp-up: contracts and hiring come before most spending.
    const cumulative = absorbed(record, elapsed) * (quarter.index === 0 ? 0.6 : 1);
    const total = Math.max(0, (cumulative - previous) * eligibleCost * (1 + (rng() * 2 - 1) * 0.08));
    previous += total / eligibleCost;
    const weights = record.budget.map((b) => (b.planned / eligibleCost) * (0.8 + rng() * 0.4));
    const sum = weights.reduce((a, b) => a + b, 0);
    return record.budget.map((b, i) => ({ category: b.category, amount: roundCents((total * weights[i]!) / sum) }));
  });
}

/** The typed indicator values of a quarter, drawn in the record's order. */
function typedValues(record: ProjectRecord, quarter: Quarter, rng: () => number): Record<string, number> {
  const typed: Record<string, number> = {};
  for (const { code, value } of record.typed) {
    typed[code] =
      'inPeriods' in value ? (value.inPeriods[quarter.period] ?? 0) : seriesValue(value, quarter.index, rng);
  }
  return typed;
}

/** `{name}` in a template, filled from `values`; a name without a value is a mistake in the data. */
function fill(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`sample template names an unknown value: {${name}}`);
    return String(value);
  });
}

function narrative(
  record: ProjectRecord,
  quarter: Quarter,
  rows: ParticipantRow[],
  typed: Record<string, number>,
  rng: () => number,
): Progress {
  const plan = record.narrative;
  const values: Record<string, string | number> = { period: quarter.period, ...typed };
  for (const { name, activity, ending } of plan.counts) {
    const counted = rows.filter((r) => (!activity || r.activity === activity) && (!ending || r.endDate !== null));
    values[name] = new Set(counted.map((r) => r.participantId)).size;
  }
  const sentences = record.typed.filter((t) => t.sentence && (typed[t.code] ?? 0) > 0).map((t) => t.sentence!);
  const own = plan.problem;
  const ownApplies =
    own &&
    ((own.fromQuarter !== undefined && quarter.index >= own.fromQuarter) || own.periods?.includes(quarter.period));
  return {
    achievements: [plan.achievements, ...sentences].map((s) => fill(s, values)).join(' '),
    problems: ownApplies ? own.text : COMMON_PROBLEMS[Math.floor(rng() * COMMON_PROBLEMS.length)]!,
    nextSteps: plan.nextSteps,
  };
}

function indicatorRows(record: ProjectRecord, rows: ParticipantRow[], typed: Record<string, number>): IndicatorRow[] {
  return record.targets.map((t) => {
    const def = indicatorDef(t.code);
    // Participant-based values typed as the distinct participants of the quarter, so they agree with the rows.
    const value = def.rule ? countQualifying(def.rule, rows) : (typed[t.code] ?? 0);
    const plan = record.typed.find((p) => p.code === t.code);
    return { code: t.code, name: def.name.lv, value, comment: plan?.comment && typed[t.code] ? plan.comment : '' };
  });
}

interface BuiltProject {
  record: ProjectRecord;
  submissions: SampleSubmission[];
}

/** One project's submissions, quarter by quarter, from its record. */
function buildProject(record: ProjectRecord): BuiltProject {
  const { project } = record;
  const quarters = projectQuarters(project);
  const enrolments = projectEnrolments(rngFor(`${project.id}:participants`), quarters, record.participants);
  const expenditure = expenditureByQuarter(record, quarters);
  const submissions = quarters.map((quarter) => {
    const rng = rngFor(`${project.id}:${quarter.period}:typed`);
    const rows = rowsForQuarter(enrolments, quarter);
    const typed = typedValues(record, quarter, rng);
    const content: SubmissionContent = {
      projectId: project.id,
      period: quarter.period,
      preparedBy: record.preparedBy,
      email: record.email,
      indicators: indicatorRows(record, rows, typed),
      participants: rows,
      expenditure: expenditure[quarter.index]!,
      progress: narrative(record, quarter, rows, typed, rng),
    };
    return { content, catalogue: record.catalogue, uploadedAt: uploadTime(record, quarter) };
  });
  return { record, submissions };
}

// ---------------------------------------------------------------------------------------------------------------
// Planted mistakes

function submissionOf(built: BuiltProject[], projectId: string, period: string): SampleSubmission {
  const project = built.find((b) => b.record.project.id === projectId);
  const submission = project?.submissions.find((s) => s.content.period === period);
  if (!submission) throw new Error(`no sample submission ${projectId} ${period}`);
  return submission;
}

/** A deep copy of a submission's content to plant mistakes in. */
function copyContent(submission: SampleSubmission): SubmissionContent {
  return structuredClone(submission.content);
}

function indexOfCode(content: SubmissionContent, code: string): number {
  const i = content.indicators.findIndex((row) => row.code === code);
  if (i < 0) throw new Error(`sample content lacks indicator ${code}`);
  return i;
}

/** Keep only indicators not derived from participants, so participant-row mistakes cannot cause mismatches. */
function withoutParticipantIndicators(content: SubmissionContent): void {
  content.indicators = content.indicators.filter((row) => !indicatorDef(row.code).rule);
}

function mistake(
  name: string,
  source: SampleSubmission,
  content: SubmissionContent,
  planted: PlantedIssue[],
  extra: Partial<Pick<SampleMistake, 'projectFolder' | 'omitSheets' | 'omitColumns'>> = {},
): SampleMistake {
  return {
    name,
    projectFolder: extra.projectFolder ?? content.projectId,
    content,
    catalogue: source.catalogue,
    omitSheets: extra.omitSheets ?? [],
    omitColumns: extra.omitColumns ?? [],
    // An hour after the regular upload: a second upload of the period is later, so "newest wins" is not a tie.
    uploadedAt: new Date(Date.parse(source.uploadedAt) + 3_600_000).toISOString(),
    planted,
  };
}

/** Bad typed values on indicators that are not participant-based. */
function indicatorValues(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'pmlp-reception', '2025-Q2');
  const content = copyContent(source);
  const negative = indexOfCode(content, 'P.1');
  const fractional = indexOfCode(content, 'O.1.3');
  const text = indexOfCode(content, 'P.4');
  content.indicators[negative]!.value = -1450;
  content.indicators[fractional]!.value = 12.5;
  content.indicators[text]!.value = 'divi';
  return mistake('indicator-values', source, content, [
    { code: 'value-negative', severity: 'error', sheet: 'indicators', column: 'value', row: negative },
    { code: 'value-not-integer', severity: 'error', sheet: 'indicators', column: 'value', row: fractional },
    { code: 'value-not-number', severity: 'error', sheet: 'indicators', column: 'value', row: text },
  ]);
}

/** An unknown code, a repeated indicator row and a negative expenditure line. */
function indicatorCodes(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'one-stop-shop', '2025-Q1');
  const content = copyContent(source);
  const hotline = content.indicators[indexOfCode(content, 'P.6')]!;
  content.indicators.push({ code: 'O.2.9', name: 'Konsultāciju skaits', value: 12, comment: '' });
  content.indicators.push({ ...hotline });
  const unknown = content.indicators.length - 2;
  const duplicate = content.indicators.length - 1;
  const line = content.expenditure.findIndex((e) => e.category === 'Psihologa pakalpojumi');
  content.expenditure[line]!.amount = -350;
  return mistake('indicator-codes', source, content, [
    { code: 'indicator-unknown', severity: 'error', sheet: 'indicators', column: 'code', row: unknown },
    { code: 'indicator-duplicate', severity: 'error', sheet: 'indicators', column: 'code', row: duplicate },
    { code: 'expenditure-negative', severity: 'error', sheet: 'expenditure', column: 'amount', row: line },
  ]);
}

/** Personal data as participant IDs, and bad language levels. */
function participantRows(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'latvian-language', '2025-Q2');
  const content = copyContent(source);
  withoutParticipantIndicators(content);
  const rows = content.participants!;
  const finished = rows.flatMap((row, i) => (row.levelEnd !== null ? [i] : []));
  const ongoing = rows.flatMap((row, i) => (row.levelEnd === null ? [i] : []));
  const [personalCode, email] = [ongoing[3]!, ongoing[10]!];
  const [decreased, invalid] = [finished[2]!, finished[7]!];
  rows[personalCode]!.participantId = '120345-12345';
  rows[email]!.participantId = 'anna.ozola@example.lv';
  rows[decreased]!.levelStart = 'B1';
  rows[decreased]!.levelEnd = 'A2';
  rows[invalid]!.levelEnd = 'B3';
  return mistake('participant-rows', source, content, [
    {
      code: 'participant-id-personal',
      severity: 'error',
      sheet: 'participants',
      column: 'participantId',
      row: personalCode,
    },
    {
      code: 'participant-id-personal',
      severity: 'error',
      sheet: 'participants',
      column: 'participantId',
      row: email,
    },
    {
      code: 'participant-level-decreased',
      severity: 'error',
      sheet: 'participants',
      column: 'levelEnd',
      row: decreased,
    },
    {
      code: 'participant-level-invalid',
      severity: 'error',
      sheet: 'participants',
      column: 'levelEnd',
      row: invalid,
    },
  ]);
}

function periodMalformed(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'one-stop-shop', '2025-Q3');
  const content = copyContent(source);
  content.period = '2025-Q5';
  return mistake('period-malformed', source, content, [
    { code: 'period-malformed', severity: 'error', sheet: 'project', column: 'period' },
  ]);
}

/** The course's first quarter, dated one quarter before the project starts (2023-10-01). */
function periodBeforeStart(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'civic-orientation', '2023-Q4');
  const content = copyContent(source);
  content.period = '2023-Q3';
  return mistake('period-before-start', source, content, [
    { code: 'period-before-start', severity: 'error', sheet: 'project', column: 'period' },
  ]);
}

/** A language-course file dropped into the civic-orientation folder. It carries only what is valid for both projects (cost categories both budgets have, no indicator rows, no participants), so the folder mismatch is the one thing wrong whichever project a validator checks it against. */
function wrongFolder(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'latvian-language', '2025-Q2');
  const content = copyContent(source);
  content.indicators = [];
  content.participants = null;
  content.expenditure = content.expenditure.filter(
    (e) => e.category === 'Personāla izmaksas' || e.category === 'Netiešās izmaksas',
  );
  return mistake(
    'wrong-folder',
    source,
    content,
    [{ code: 'project-folder-mismatch', severity: 'error', sheet: 'project', column: 'projectId' }],
    { projectFolder: 'civic-orientation' },
  );
}

/** The only issue is a warning: the file is accepted, with the computed value in force. */
function derivedMismatch(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'one-stop-shop', '2025-Q2');
  const content = copyContent(source);
  const row = indexOfCode(content, 'O.2.3.3');
  content.indicators[row]!.value = Number(content.indicators[row]!.value) + 4;
  // Spreadsheet habits that must change no figure: a correct "Kopā" row under the expenditure, and one
  // participant written three more ways (zero-width space, lower case, no-break space), still one person.
  const total = content.expenditure.reduce((a, e) => a + Math.round(Number(e.amount) * 100), 0) / 100;
  content.expenditure.push({ category: 'Kopā', amount: total });
  const people = content.participants!;
  const first = people[0]!;
  const variants = [`${first.participantId}\u200b`, first.participantId.toLowerCase(), `${first.participantId}\u00a0`];
  const variantRows = variants.map((participantId) => people.push({ ...first, participantId }) - 1);
  return mistake('derived-mismatch', source, content, [
    { code: 'indicator-derived-mismatch', severity: 'warning', sheet: 'indicators', column: 'value', row },
    {
      code: 'participant-id-variants',
      severity: 'warning',
      sheet: 'participants',
      column: 'participantId',
      row: 0,
    },
    ...variantRows.map((r) => ({
      code: 'participant-duplicate' as const,
      severity: 'warning' as const,
      sheet: 'participants',
      column: 'participantId',
      row: r,
    })),
  ]);
}

function missingSheetAndColumn(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'pmlp-reception', '2024-Q4');
  const content = copyContent(source);
  return mistake(
    'missing-sheet-and-column',
    source,
    content,
    [
      { code: 'sheet-missing', severity: 'error', sheet: 'expenditure' },
      { code: 'column-missing', severity: 'error', sheet: 'indicators', header: true },
    ],
    { omitSheets: ['expenditure'], omitColumns: [{ sheet: 'indicators', column: 'value' }] },
  );
}

/** The planted mistakes, in the order they are written and uploaded. */
const PLANTED = [
  indicatorValues,
  indicatorCodes,
  participantRows,
  periodMalformed,
  periodBeforeStart,
  wrongFolder,
  derivedMismatch,
  missingSheetAndColumn,
];

function buildMistakes(built: BuiltProject[]): SampleMistake[] {
  return PLANTED.map((plant) => plant(built));
}

/** Build the whole sample programme: registry, regular submissions (project by project) and planted mistakes. */
export function buildSampleData(): SampleData {
  const built = PROJECTS.map(buildProject);
  return {
    registry: buildSampleRegistry(),
    submissions: built.flatMap((b) => b.submissions),
    mistakes: buildMistakes(built),
  };
}

/** The catalogue (common plus programme-specific) a project's template lists. */
export function sampleCatalogue(catalogue: CatalogueId): IndicatorDef[] {
  return [...SAMPLE_CATALOGUES[catalogue], ...SAMPLE_PROGRAMME_INDICATORS];
}
