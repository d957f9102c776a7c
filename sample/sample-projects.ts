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
 * The JSON's strings are typed `string`, hence the casts: test/unit/sample-programme.test.ts checks the records'
 * fields and names, and the sample's own tests read every workbook back through the registry and submission parsers.
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
// Planted mistakes: each a record of programme.json (a regular submission and the edits that plant its issues).

type Spelling = 'zero-width space' | 'lower case' | 'no-break space';

/** One edit of a planted mistake; those with an `issue` say where a validator must report it. */
type MistakeEdit =
  /** A typed indicator value set, or moved by `add`. */
  | {
      kind: 'indicator-value';
      code: string;
      value?: number | string;
      add?: number;
      issue: IssueCode;
      severity?: Severity;
    }
  | { kind: 'indicator-row'; row: IndicatorRow; issue: IssueCode }
  | { kind: 'indicator-repeat'; code: string; issue: IssueCode }
  | { kind: 'expenditure-amount'; category: string; amount: number; issue: IssueCode }
  /** A correct total row under the expenditure, as spreadsheets often have: no issue. */
  | { kind: 'expenditure-total'; category: string }
  /** The `nth` participant row among those whose activity goes on (`ongoing`) or ends in the quarter. */
  | {
      kind: 'participant';
      among: 'ongoing' | 'finished';
      nth: number;
      set: Partial<ParticipantRow>;
      issue: IssueCode;
      column: string;
    }
  /** The first participant written again in other spellings: one variants issue, and a repeat issue per row. */
  | {
      kind: 'participant-spellings';
      spellings: Spelling[];
      issue: IssueCode;
      repeatIssue: IssueCode;
      severity: Severity;
    }
  | { kind: 'period'; written: string; issue: IssueCode }
  /** No indicator rows, no participants sheet, only the named expenditure lines. */
  | { kind: 'keep-only'; expenditure: string[] }
  /** Only indicators not derived from participants: participant-row mistakes then cause no mismatch. */
  | { kind: 'no-participant-indicators' }
  /** An issue the mistake's other fields cause (a folder, an omitted sheet or column). */
  | { kind: 'issue'; issue: IssueCode; sheet: string; column?: string; header?: true };

interface MistakeRecord {
  name: string;
  note?: string;
  project: string;
  period: string;
  /** The inbox folder it is uploaded to, when not the project's own. */
  folder?: string;
  omitSheets?: string[];
  omitColumns?: { sheet: string; column: string }[];
  edits: MistakeEdit[];
}

/** The planted mistakes, in the order they are written and uploaded. */
const MISTAKES = programme.mistakes as MistakeRecord[];

const SPELLINGS: Record<Spelling, (id: string) => string> = {
  'zero-width space': (id) => `${id}\u200b`,
  'lower case': (id) => id.toLowerCase(),
  'no-break space': (id) => `${id}\u00a0`,
};

function submissionOf(built: BuiltProject[], projectId: string, period: string): SampleSubmission {
  const project = built.find((b) => b.record.project.id === projectId);
  const submission = project?.submissions.find((s) => s.content.period === period);
  if (!submission) throw new Error(`no sample submission ${projectId} ${period}`);
  return submission;
}

function indexOfCode(content: SubmissionContent, code: string): number {
  const i = content.indicators.findIndex((row) => row.code === code);
  if (i < 0) throw new Error(`sample content lacks indicator ${code}`);
  return i;
}

/** The row index of the `nth` participant among the ongoing or the finished ones. */
function participantIndex(content: SubmissionContent, among: 'ongoing' | 'finished', nth: number): number {
  const finished = among === 'finished';
  const indices = content.participants!.flatMap((row, i) => ((row.levelEnd !== null) === finished ? [i] : []));
  const index = indices[nth];
  if (index === undefined) throw new Error(`sample content has no ${among} participant number ${nth}`);
  return index;
}

/** The first participant's row repeated in each spelling; the issues: variants at the first, a repeat per copy. */
function respell(content: SubmissionContent, edit: Extract<MistakeEdit, { kind: 'participant-spellings' }>) {
  const people = content.participants!;
  const first = people[0]!;
  const rows = edit.spellings.map(
    (s) => people.push({ ...first, participantId: SPELLINGS[s](first.participantId) }) - 1,
  );
  const at = (code: IssueCode, row: number): PlantedIssue => ({
    code,
    severity: edit.severity,
    sheet: 'participants',
    column: 'participantId',
    row,
  });
  return [at(edit.issue, 0), ...rows.map((row) => at(edit.repeatIssue, row))];
}

/** Edits of the indicator and expenditure sheets. */
function editFigures(content: SubmissionContent, edit: MistakeEdit): PlantedIssue[] | null {
  const planted = (issue: IssueCode, sheet: string, column: string, row: number, severity: Severity = 'error') => [
    { code: issue, severity, sheet, column, row },
  ];
  const { indicators, expenditure } = content;
  switch (edit.kind) {
    case 'indicator-value': {
      const row = indexOfCode(content, edit.code);
      const old = indicators[row]!;
      old.value = edit.add === undefined ? edit.value! : Number(old.value) + edit.add;
      return planted(edit.issue, 'indicators', 'value', row, edit.severity);
    }
    case 'indicator-row':
      return planted(edit.issue, 'indicators', 'code', indicators.push({ ...edit.row }) - 1);
    case 'indicator-repeat':
      return planted(
        edit.issue,
        'indicators',
        'code',
        indicators.push({ ...indicators[indexOfCode(content, edit.code)]! }) - 1,
      );
    case 'expenditure-amount': {
      const row = expenditure.findIndex((e) => e.category === edit.category);
      expenditure[row]!.amount = edit.amount;
      return planted(edit.issue, 'expenditure', 'amount', row);
    }
    case 'expenditure-total': {
      const total = expenditure.reduce((a, e) => a + Math.round(Number(e.amount) * 100), 0) / 100;
      expenditure.push({ category: edit.category, amount: total });
      return [];
    }
    default:
      return null;
  }
}

/** Apply one edit to `content`; what a validator must report because of it. */
function applyEdit(content: SubmissionContent, edit: MistakeEdit): PlantedIssue[] {
  const figures = editFigures(content, edit);
  if (figures) return figures;
  switch (edit.kind) {
    case 'participant': {
      const row = participantIndex(content, edit.among, edit.nth);
      Object.assign(content.participants![row]!, edit.set);
      return [{ code: edit.issue, severity: 'error', sheet: 'participants', column: edit.column, row }];
    }
    case 'participant-spellings':
      return respell(content, edit);
    case 'period':
      content.period = edit.written;
      return [{ code: edit.issue, severity: 'error', sheet: 'project', column: 'period' }];
    case 'keep-only':
      content.indicators = [];
      content.participants = null;
      content.expenditure = content.expenditure.filter((e) => edit.expenditure.includes(e.category));
      return [];
    case 'no-participant-indicators':
      content.indicators = content.indicators.filter((row) => !indicatorDef(row.code).rule);
      return [];
    case 'issue': {
      const { issue, sheet, column, header } = edit;
      return [{ code: issue, severity: 'error', sheet, ...(column ? { column } : {}), ...(header ? { header } : {}) }];
    }
    default:
      throw new Error(`sample mistake edit of an unknown kind: ${edit.kind}`);
  }
}

/** A copy of the record's regular submission with its edits applied, uploaded an hour after the regular one. */
function plantMistake(built: BuiltProject[], record: MistakeRecord): SampleMistake {
  const source = submissionOf(built, record.project, record.period);
  const content = structuredClone(source.content);
  const planted = record.edits.flatMap((edit) => applyEdit(content, edit));
  return {
    name: record.name,
    projectFolder: record.folder ?? content.projectId,
    content,
    catalogue: source.catalogue,
    omitSheets: record.omitSheets ?? [],
    omitColumns: record.omitColumns ?? [],
    // An hour after the regular upload: a second upload of the period is later, so "newest wins" is not a tie.
    uploadedAt: new Date(Date.parse(source.uploadedAt) + 3_600_000).toISOString(),
    planted,
  };
}

/** Build the whole sample programme: registry, regular submissions (project by project) and planted mistakes. */
export function buildSampleData(): SampleData {
  const built = PROJECTS.map(buildProject);
  return {
    registry: buildSampleRegistry(),
    submissions: built.flatMap((b) => b.submissions),
    mistakes: MISTAKES.map((record) => plantMistake(built, record)),
  };
}

/** The catalogue (common plus programme-specific) a project's template lists. */
export function sampleCatalogue(catalogue: CatalogueId): IndicatorDef[] {
  return [...SAMPLE_CATALOGUES[catalogue], ...SAMPLE_PROGRAMME_INDICATORS];
}
