/**
 * The coordinator's submission workbook (docs/architecture.md §4.2) → a validated, normalised submission with lineage,
 * or the issues that stop it. Issues are values: one pass names every wrong cell.
 */
import { buildCatalogue, CATALOGUE_VERSION, type Catalogue, normaliseCode } from '../core/catalogue';
import { cellRef } from '../core/cells';
import { formatTypedNumber } from '../core/format';
import { alreadyGivenIn, hasErrors, issue } from '../core/issue-codes';
import { toCents } from '../core/money';
import { nameMatches } from '../core/names';
import { canonicalParticipantId, participantIdVariants } from '../core/participant-id';
import { type Derivation, deriveWithProfiles } from '../core/participants';
import { addDays, formatPeriod, parsePeriod, periodEnd, periodStart } from '../core/period';
import {
  ACTIVITIES,
  type Activity,
  type AgeBracket,
  CEFR_LEVELS,
  type ExpenditureLine,
  type Gender,
  type IsoDate,
  type Narrative,
  type NarrativeText,
  type NormalisedSubmission,
  type ParticipantRecord,
  type Project,
  type Registry,
  type SourceRef,
  SUBMISSION_SCHEMA_VERSION,
  type TypedIndicatorValue,
  type ValidationIssue,
} from '../core/types';
import { SUBMISSION_SHEETS, sheetSpec } from '../core/workbook-schema';
import { matchBudgetLine } from './budget-match';
import { cellText, parseNumber } from './cell-values';
import { type CellAt, FieldReader, foundText, isEmail } from './field-reader';
import { describeFinding, findPersonalData } from './personal-data';
import {
  breakdownExcessIssues,
  movedCodeIssue,
  readAgeBracket,
  readBreakdownSheet,
  readGender,
} from './read-breakdown';
import { RowsOutOfOrderError, readXlsx, readXlsxInPieces } from './read-xlsx';
import {
  ColumnCell,
  findSheet,
  missingSheetIssue,
  readForm,
  readTable,
  TableReader,
  type TableRow,
} from './sheet-table';
import { isSumAbove, isTotalLabel, TotalChecker, totalMismatchIssue } from './total-rows';
import type { ReadLimits, ReadProblem, ReadResult, SheetRow, WorkbookData } from './workbook-data';

export interface SubmissionContext {
  /** The registry in force; null when none was accepted yet. */
  registry: Registry | null;
  /** The upload's folder (`inbox/<folder>/…`); null for a dry run without a folder. */
  folder: string | null;
  /** Today's date in Europe/Riga, to refuse periods that have not started. */
  today: IsoDate;
  /** The period of the upload link it came through (its key names it); the workbook must be for that period. */
  linkPeriod?: string | null;
}

export interface SubmissionResult {
  submission: NormalisedSubmission | null;
  issues: ValidationIssue[];
  projectId: string | null;
  period: string | null;
}

const NARRATIVE_MAX = 10_000;

/** Allowed values by lower-case spelling; the first of any that collide, as `FieldReader.oneOf` would find. */
function lowerCaseLookup<T extends string>(allowed: readonly T[]): Map<string, T> {
  const lookup = new Map<string, T>();
  for (const value of allowed) if (!lookup.has(value.toLowerCase())) lookup.set(value.toLowerCase(), value);
  return lookup;
}

/**
 * `f.oneOf` with its common case, a text cell holding an allowed value, answered by one lookup (it runs for
 * several cells of every participant row). Anything else goes through `f.oneOf`, which reports it.
 */
function oneOf<T extends string>(
  f: FieldReader,
  at: CellAt,
  lookup: Map<string, T>,
  allowed: readonly T[],
  required = false,
  code?: Parameters<FieldReader['oneOf']>[3],
): T | null {
  const v = at.value;
  if (typeof v === 'string') {
    const hit = lookup.get(v.trim().toLowerCase());
    if (hit !== undefined) return hit;
  }
  return f.oneOf(at, allowed, required, code);
}

export function parseSubmission(workbook: WorkbookData, source: SourceRef, ctx: SubmissionContext): SubmissionResult {
  return validateSubmission(workbook, source, ctx, null);
}

/** What `readSubmission` gives: the file's read problem, or the submission's result. */
export type SubmissionReadResult = { ok: false; problem: ReadProblem } | { ok: true; result: SubmissionResult };

/**
 * Read and validate a submission workbook in one pass: `readXlsx` and `parseSubmission` with the same result, but
 * the participant sheet's rows are checked as the reader hands them over and never kept all at once (a 100 000-row
 * sheet is most of a big upload's memory). That needs the project (its dates bound the participants' dates), so
 * it applies when the project sheet comes before the participant sheet, as in the template; otherwise, and when the
 * participant rows are not in ascending order, the sheet is kept and read as `parseSubmission` reads it. The
 * file is read in pieces (`readXlsxInPieces`), so the participant sheet's XML is never held whole either. The
 * workbook is not returned: its participant sheet has no rows (read it again for an annotated copy).
 */
export async function readSubmission(
  bytes: Uint8Array,
  source: SourceRef,
  ctx: SubmissionContext,
  limits: Partial<ReadLimits> = {},
): Promise<SubmissionReadResult> {
  let streamed: { rows: ParticipantRows; sheet: string } | null = null;
  let read: ReadResult;
  try {
    read = await readXlsxInPieces(bytes, limits, {
      streamRows(sheet, before) {
        if (streamed !== null) return undefined;
        const partial: WorkbookData = { date1904: false, sheets: [...before] };
        const participants = sheetSpec(SUBMISSION_SHEETS, 'participants');
        // Only the sheet `findSheet` would pick in the whole workbook (the first that matches), and only once the
        // project sheet (the first that matches, again) has been read.
        if (findSheet(partial, participants) || !nameMatches(sheet.name, [participants.name.lv, participants.name.en]))
          return undefined;
        if (!findSheet(partial, sheetSpec(SUBMISSION_SHEETS, 'project'))) return undefined;
        const { projectId } = readProjectSheet(partial, new FieldReader(), ctx);
        const project = projectId ? ctx.registry?.projects.find((p) => p.id === projectId) : undefined;
        const rows = new ParticipantRows(sheet.name, project);
        streamed = { rows, sheet: sheet.name };
        return (row) => rows.push(row);
      },
    });
  } catch (error) {
    if (!(error instanceof RowsOutOfOrderError)) throw error;
    read = readXlsx(bytes, limits);
    streamed = null;
  }
  if (!read.ok) return read;
  return { ok: true, result: validateSubmission(read.workbook, source, ctx, streamed) };
}

function validateSubmission(
  workbook: WorkbookData,
  source: SourceRef,
  ctx: SubmissionContext,
  streamed: { rows: ParticipantRows; sheet: string } | null,
): SubmissionResult {
  const f = new FieldReader();
  const registry = ctx.registry;
  if (!registry) f.issues.push(issue('registry-missing', 'error'));
  const catalogue: Catalogue = buildCatalogue(registry?.indicators ?? []);

  const { projectId, period } = readProjectSheet(workbook, f, ctx);
  const project = projectId ? registry?.projects.find((p) => p.id === projectId) : undefined;
  const targetCodes = new Set(
    (registry?.targets ?? []).filter((t) => t.projectId === projectId).map((t) => normaliseCode(t.indicatorCode)),
  );

  const indicators = readIndicators(workbook, f, catalogue, project, targetCodes);
  const people = streamed ? finishStreamed(workbook, f, streamed) : readParticipants(workbook, f, project);
  const { participants } = people;
  const derivation = deriveAndCompare(f, catalogue, project, targetCodes, people, indicators);
  const derived = derivation.derived;

  const breakdowns = readBreakdownSheet(workbook, f, catalogue, indicators);
  f.issues.push(...breakdownExcessIssues(catalogue, indicators, people.sheet !== null ? derived : []));

  const expenditure = readExpenditure(workbook, f, registry, projectId, project);

  const narrative = readNarrative(workbook, f);

  if (hasErrors(f.issues) || !projectId || !period) {
    return { submission: null, issues: f.issues, projectId, period };
  }
  const submission: NormalisedSubmission = {
    schemaVersion: SUBMISSION_SCHEMA_VERSION,
    kind: 'submission',
    source,
    registryVersion: registry?.source.version ?? '',
    catalogueVersion: CATALOGUE_VERSION,
    projectId,
    period,
    indicators,
    derived,
    participantRows: participants.length,
    profiles: derivation.profiles(),
    breakdowns,
    expenditure,
    narrative,
    warnings: f.issues.filter((i) => i.severity === 'warning'),
  };
  return { submission, issues: f.issues, projectId, period };
}

/** Project sheet: who and when (project ID and period), checked against the registry, the folder and today. */
function readProjectSheet(
  workbook: WorkbookData,
  f: FieldReader,
  ctx: SubmissionContext,
): { projectId: string | null; period: string | null } {
  const registry = ctx.registry;
  const projectSpec = sheetSpec(SUBMISSION_SHEETS, 'project');
  const projectSheet = findSheet(workbook, projectSpec);
  let projectId: string | null = null;
  let period: string | null = null;
  if (!projectSheet) {
    f.issues.push(missingSheetIssue(projectSpec));
  } else {
    const fields = readForm(projectSheet, projectSpec);
    const sheet = projectSheet.name;
    const idField = fields.get('projectId');
    const periodField = fields.get('period');
    if (!idField)
      f.issues.push(issue('value-required', 'error', { sheet, cell: 'A1' }, { expected: 'Projekta ID / Project ID' }));
    if (!periodField)
      f.issues.push(issue('value-required', 'error', { sheet, cell: 'A2' }, { expected: 'Periods / Period' }));
    if (idField) projectId = f.text({ value: idField.value, sheet, cell: idField.ref }, true);
    if (projectId !== null) projectId = projectId.trim().toLowerCase();
    if (periodField) {
      const text = f.text({ value: periodField.value, sheet, cell: periodField.ref }, true);
      const parsed = text === null ? null : parsePeriod(text);
      if (text !== null && !parsed) {
        f.add(
          'period-malformed',
          { sheet, cell: periodField.ref },
          { found: foundText(periodField.value), expected: '2025-Q3' },
        );
      }
      if (parsed) period = formatPeriod(parsed);
    }
    const project = projectId && registry ? registry.projects.find((p) => p.id === projectId) : undefined;
    if (projectId && registry && !project) {
      f.add(
        'project-unknown',
        { sheet, cell: idField!.ref },
        { found: projectId, expected: registry.projects.map((p) => p.id).join(', ') },
      );
    }
    if (projectId && ctx.folder !== null && ctx.folder.toLowerCase() !== projectId) {
      f.add('project-folder-mismatch', { sheet, cell: idField!.ref }, { found: projectId, expected: ctx.folder });
    }
    if (period && periodField && ctx.linkPeriod && period !== ctx.linkPeriod) {
      f.add('period-not-link-period', { sheet, cell: periodField.ref }, { found: period, expected: ctx.linkPeriod });
    }
    if (project && period && periodField) {
      const p = parsePeriod(period)!;
      const where = { sheet, cell: periodField.ref };
      if (periodEnd(p) < project.start)
        f.add('period-before-start', where, { found: period, expected: `≥ ${project.start}` });
      else if (periodStart(p) > project.end)
        f.add('period-after-end', where, { found: period, expected: `≤ ${project.end}` });
      else if (periodStart(p) > ctx.today)
        f.add('period-in-future', where, { found: period, expected: `≤ ${ctx.today}` });
    }
    const email = fields.get('email');
    const emailText = email ? cellText(email.value) : '';
    if (email && emailText && !isEmail(emailText)) {
      f.add(
        'registry-email-invalid',
        { sheet, cell: email.ref },
        { found: foundText(email.value), expected: 'vards@iestade.lv' },
        'warning',
      );
    }
  }
  return { projectId, period };
}

/** Indicators typed for the period: known codes, once each, with a value; a warning where the project has no target. */
function readIndicators(
  workbook: WorkbookData,
  f: FieldReader,
  catalogue: Catalogue,
  project: Project | undefined,
  targetCodes: Set<string>,
): TypedIndicatorValue[] {
  const indicators: TypedIndicatorValue[] = [];
  const indicatorSpec = sheetSpec(SUBMISSION_SHEETS, 'indicators');
  const indicatorSheet = findSheet(workbook, indicatorSpec);
  if (!indicatorSheet) f.issues.push(missingSheetIssue(indicatorSpec));
  else {
    const { table, issues } = readTable(indicatorSheet, indicatorSpec);
    f.issues.push(...issues);
    const firstSeen = new Map<string, string>();
    const totals = new TotalChecker();
    const valueColumn = table?.columns.get('value') ?? 3;
    for (const row of table?.rows ?? []) {
      const sheet = indicatorSheet.name;
      // A "Kopā" row (or a SUM under the values) is no indicator: skipped and checked, like an expenditure total.
      const label = cellText(row.get('code')) || cellText(row.get('name'));
      if (isTotalLabel(label) || isSumAbove(row.formula('value'), row.row, valueColumn)) {
        checkTotal(f, row.at('value'), totals, false);
        continue;
      }
      const codeText = f.text(row.at('code'), true);
      const known = codeText ? catalogue.get(codeText) : undefined;
      const moved = codeText ? movedCodeIssue(codeText, cellText(row.get('name')), known !== undefined) : null;
      const def = moved ? undefined : known;
      if (moved) f.add(moved.code, { sheet, cell: row.ref('code') }, { found: codeText!, expected: moved.expected });
      else if (codeText && !def) {
        f.add('indicator-unknown', { sheet, cell: row.ref('code') }, { found: foundText(row.get('code')) });
      }
      if (def && firstSeen.has(def.code)) {
        f.add(
          'indicator-duplicate',
          { sheet, cell: row.ref('code') },
          { found: def.code, expected: alreadyGivenIn(firstSeen.get(def.code)) },
        );
        continue;
      }
      if (def) firstSeen.set(def.code, row.ref('code'));
      const value = f.number(row.at('value'), { required: true, min: 0, integer: def?.integer ?? false });
      if (value !== null) totals.add(Math.round(value * 100));
      if (def && project && !targetCodes.has(normaliseCode(def.code))) {
        f.add('indicator-no-target', { sheet, cell: row.ref('code') }, { found: def.code }, 'warning');
      }
      if (def && value !== null) {
        indicators.push({
          code: def.code,
          value,
          comment: cellText(row.get('comment')).slice(0, NARRATIVE_MAX),
          lineage: { sheet, cell: row.ref('value'), raw: cellText(row.get('value')) },
        });
      }
    }
  }
  return indicators;
}

/** The participant sheet as the later steps use it. */
interface People {
  participants: ParticipantRecord[];
  sheet: string | null;
  idColumn: number;
}

/** Participants: pseudonymous rows from which person-based indicators are computed. */
function readParticipants(workbook: WorkbookData, f: FieldReader, project: Project | undefined): People {
  const participantSheet = findSheet(workbook, sheetSpec(SUBMISSION_SHEETS, 'participants'));
  if (!participantSheet) return { participants: [], sheet: null, idColumn: 1 };
  const rows = new ParticipantRows(participantSheet.name, project);
  for (const r of participantSheet.rows) rows.push(r);
  return rows.finish(f, participantSheet.merges);
}

/** The streamed participant sheet's end: its merges are known only once the whole sheet was read. */
function finishStreamed(
  workbook: WorkbookData,
  f: FieldReader,
  streamed: { rows: ParticipantRows; sheet: string },
): People {
  const sheet = workbook.sheets.find((s) => s.name === streamed.sheet);
  return streamed.rows.finish(f, sheet?.merges ?? []);
}

/**
 * The participant sheet read row by row: each row is checked and becomes a {@link ParticipantRecord} as it comes,
 * and is then let go. Fed from a kept sheet (`readParticipants`) or straight from the reader (`readSubmission`),
 * with the same issues in the same order: they are kept here and handed on, after the table's own, by `finish`.
 */
class ParticipantRows {
  readonly participants: ParticipantRecord[] = [];
  private readonly f = new FieldReader();
  private readonly table: TableReader;
  /** Each person's activities so far, one bit per activity: no key string per row. */
  private readonly seen = new Map<string, number>();
  /**
   * Persons whose first row wrote their ID otherwise than its canonical form (`o-17` for `O-17`), with that first
   * spelling: with `seen`, every person's first spelling, so an ID written two ways is noticed as its row comes.
   * Nearly every sheet has none, and then the variants are not looked for again at the end.
   */
  private readonly spelled = new Map<string, string>();
  private varied = false;
  /** Cells that read without an issue, by the text they held: repeated values are read once. */
  private readonly genders = new Map<string, Gender>();
  private readonly ages = new Map<string, AgeBracket>();
  private readonly answers = new Map<string, boolean>();
  /** The row's cells, one reusable object per column (`ColumnCell`), not one new object per cell read. */
  private readonly cells: Record<ParticipantColumn, ColumnCell>;
  /** Dates more than a year outside the project are flagged; the window is worked out once, not per cell. */
  private readonly window: DateWindow | null;
  private readonly activities = lowerCaseLookup(ACTIVITIES);
  private readonly levels = lowerCaseLookup(CEFR_LEVELS);
  private idColumn = 1;

  constructor(
    private readonly sheet: string,
    project: Project | undefined,
  ) {
    this.window = project ? { from: addDays(project.start, -366), to: addDays(project.end, 366) } : null;
    this.table = new TableReader(sheet, sheetSpec(SUBMISSION_SHEETS, 'participants'), (row) => this.row(row));
    const cells = {} as Record<ParticipantColumn, ColumnCell>;
    for (const column of PARTICIPANT_COLUMNS) cells[column] = new ColumnCell(sheet, column);
    this.cells = cells;
  }

  push(row: SheetRow): void {
    this.table.push(row);
  }

  /** The sheet has ended: its issues go to `f` (the table's, then the rows'), and the variants' warnings after. */
  finish(f: FieldReader, merges: readonly string[]): People {
    const header = this.table.finish(merges);
    this.idColumn = header?.columns.get('participantId') ?? 1;
    f.issues.push(...this.table.issues, ...this.f.issues);
    // One entry per person, no longer needed: let it go before the derivation builds its own sets of persons.
    this.seen.clear();
    this.spelled.clear();
    if (this.varied) variantWarnings(f, this.participants, this.sheet, this.idColumn);
    return { participants: this.participants, sheet: this.sheet, idColumn: this.idColumn };
  }

  private row(row: TableRow): void {
    const { f, sheet } = this;
    const cell = this.cells;
    for (const column of PARTICIPANT_COLUMNS) cell[column].of(row);
    // Issues of this row start here: the date check looks back no further (its cells are this row's).
    const first = f.issues.length;
    const id = f.text(cell.participantId, true);
    const shape = id ? findPersonalData(id) : null;
    if (id && shape) {
      // The value never leaves this step: every copy shows the mask (docs/architecture.md §7).
      f.issues.push({
        ...issue(
          'participant-id-personal',
          'error',
          { sheet, cell: cell.participantId.cell },
          { found: describeFinding(shape), expected: 'P-00123' },
        ),
        mask: shape.mask,
      });
    }
    const activity = oneOf(f, cell.activity, this.activities, ACTIVITIES, true);
    const start = f.date(cell.startDate);
    const end = f.date(cell.endDate);
    if (this.window) {
      checkDateInProject(f, first, cell.startDate, start, this.window);
      checkDateInProject(f, first, cell.endDate, end, this.window);
    }
    if (start && end && end < start)
      f.add('participant-dates-reversed', { sheet, cell: cell.endDate.cell }, { found: end, expected: `≥ ${start}` });
    const levels = this.levels;
    const levelStart = oneOf(f, cell.levelStart, levels, CEFR_LEVELS, false, 'participant-level-invalid');
    const levelEnd = oneOf(f, cell.levelEnd, levels, CEFR_LEVELS, false, 'participant-level-invalid');
    if (levelStart && levelEnd && CEFR_LEVELS.indexOf(levelEnd) < CEFR_LEVELS.indexOf(levelStart)) {
      f.add(
        'participant-level-decreased',
        { sheet, cell: cell.levelEnd.cell },
        { found: `${levelStart} → ${levelEnd}`, expected: `≥ ${levelStart}` },
      );
    }
    const helpful = remembered(f, this.answers, cell.helpful, yesNo);
    const vulnerable = remembered(f, this.answers, cell.vulnerable, yesNo);
    const gender = remembered(f, this.genders, cell.gender, readGender);
    const ageBracket = remembered(f, this.ages, cell.ageGroup, readAgeBracket);
    if (id && activity && !shape) {
      this.count(id, activity, cell.participantId);
      this.participants.push({
        id,
        activity,
        start,
        end,
        levelStart,
        levelEnd,
        helpful,
        gender: gender ?? 'unknown',
        ageBracket: ageBracket ?? 'unknown',
        vulnerable,
        row: row.row,
      });
    }
  }

  /** A person's activity counted: a warning where the person already had it; an ID's second spelling noted. */
  private count(id: string, activity: Activity, at: CellAt): void {
    const person = canonicalParticipantId(id);
    const done = this.seen.get(person);
    if (done === undefined) {
      if (person !== id) this.spelled.set(person, id);
    } else if ((this.spelled.get(person) ?? person) !== id) this.varied = true;
    const bit = 1 << ACTIVITIES.indexOf(activity);
    if ((done ?? 0) & bit) this.f.add('participant-duplicate', { sheet: this.sheet, cell: at.cell }, {}, 'warning');
    this.seen.set(person, (done ?? 0) | bit);
  }
}

/** The participant sheet's columns that each row reads. */
const PARTICIPANT_COLUMNS = [
  'participantId',
  'activity',
  'startDate',
  'endDate',
  'levelStart',
  'levelEnd',
  'helpful',
  'vulnerable',
  'gender',
  'ageGroup',
] as const;
type ParticipantColumn = (typeof PARTICIPANT_COLUMNS)[number];

/** Remembered answers stop growing here: a sheet of distinct spellings cannot fill memory with them. */
const MAX_REMEMBERED = 256;

/**
 * `read(f, at)` for a cell whose text was already read without an issue answered from `known`: the answer depends
 * on the text alone, and only answers that raised no issue (not even a warning) are kept, so the issues are the
 * same as reading every cell. Gender, age group and the yes/no columns repeat a handful of values down the sheet.
 */
function remembered<T>(
  f: FieldReader,
  known: Map<string, T>,
  at: CellAt,
  read: (f: FieldReader, at: CellAt) => T | null,
): T | null {
  const v = at.value;
  if (typeof v !== 'string') return read(f, at);
  const hit = known.get(v);
  if (hit !== undefined) return hit;
  const before = f.issues.length;
  const answer = read(f, at);
  if (answer !== null && f.issues.length === before && known.size < MAX_REMEMBERED) known.set(v, answer);
  return answer;
}

function yesNo(f: FieldReader, at: CellAt): boolean | null {
  return f.yesNo(at);
}

/** One person written several ways counts once (the derivation folds IDs); the coordinator is told where. */
function variantWarnings(f: FieldReader, participants: readonly ParticipantRecord[], sheet: string, idColumn: number) {
  for (const group of participantIdVariants(participants)) {
    const cells = group.rows.map((r) => cellRef(r, idColumn));
    f.add(
      'participant-id-variants',
      { sheet, cell: cells[0]! },
      { found: cells.join(', '), expected: '1 ID = 1 persona / person' },
      'warning',
    );
  }
}

interface DateWindow {
  from: IsoDate;
  to: IsoDate;
}

/**
 * A date more than a year outside the project is not meant (a typo in the year, usually). `from`: where the
 * issues of the cell's row begin in `f`; earlier ones cannot be about this cell. Looking through every issue
 * instead made a sheet of 100 000 such dates quadratic.
 */
function checkDateInProject(f: FieldReader, from: number, at: CellAt, date: IsoDate | null, window: DateWindow) {
  if (date === null || (date >= window.from && date <= window.to)) return;
  // Serial 0 and 60 were already flagged at this cell by the field reader; one warning per cell is enough.
  for (let i = from; i < f.issues.length; i++) {
    const found = f.issues[i]!;
    if (found.code === 'date-implausible' && found.cell === at.cell && found.sheet === at.sheet) return;
  }
  f.add(
    'date-implausible',
    { sheet: at.sheet, cell: at.cell },
    { found: date, expected: `${window.from} … ${window.to}` },
    'warning',
  );
}

/** Person-based indicators derived from the participant rows, and a warning where a typed value disagrees. */
function deriveAndCompare(
  f: FieldReader,
  catalogue: Catalogue,
  project: Project | undefined,
  targetCodes: Set<string>,
  people: People,
  indicators: readonly TypedIndicatorValue[],
): Derivation {
  const { participants, idColumn } = people;
  // Only indicators that concern this project: its targets, and its own fund's catalogue.
  const relevant = catalogue.all.filter((d) => targetCodes.has(normaliseCode(d.code)) || d.catalogue === project?.fund);
  const derivation: Derivation =
    people.sheet !== null
      ? deriveWithProfiles(
          participants,
          relevant,
          { sheet: people.sheet, idColumn },
          (d) => d.value > 0 || targetCodes.has(normaliseCode(d.code)),
        )
      : { derived: [], profiles: () => ({}) };
  for (const d of derivation.derived) {
    const typed = indicators.find((t) => t.code === d.code);
    if (typed && typed.value !== d.value) {
      f.add(
        'indicator-derived-mismatch',
        { sheet: typed.lineage.sheet, cell: typed.lineage.cell },
        {
          found: `ievadīts ${formatTypedNumber(typed.value, 'lv')} / typed ${formatTypedNumber(typed.value, 'en')}`,
          expected: `aprēķināts ${formatTypedNumber(d.value, 'lv')} / computed ${formatTypedNumber(d.value, 'en')}`,
        },
        'warning',
      );
    }
  }
  return derivation;
}

/**
 * Expenditure: each row a budget line and its amount in whole cents. A total row is skipped and checked; a
 * category that is no budget line of the project is refused (money must not vanish from the report).
 */
function readExpenditure(
  workbook: WorkbookData,
  f: FieldReader,
  registry: Registry | null,
  projectId: string | null,
  project: Project | undefined,
): ExpenditureLine[] {
  const expenditure: ExpenditureLine[] = [];
  const spec = sheetSpec(SUBMISSION_SHEETS, 'expenditure');
  const found = findSheet(workbook, spec);
  if (!found) {
    f.issues.push(missingSheetIssue(spec));
    return expenditure;
  }
  const { table, issues } = readTable(found, spec);
  f.issues.push(...issues);
  const sheet = found.name;
  const budget = (registry?.budget ?? []).filter((b) => b.projectId === projectId).map((b) => b.category);
  const amountColumn = table?.columns.get('amount') ?? 2;
  const totals = new TotalChecker();
  for (const row of table?.rows ?? []) {
    const amountAt = row.at('amount');
    if (isTotalLabel(cellText(row.get('category'))) || isSumAbove(row.formula('amount'), row.row, amountColumn)) {
      checkTotal(f, amountAt, totals, true);
      continue;
    }
    const category = f.text(row.at('category'), true);
    const amount = f.number(amountAt, { required: true });
    if (amount !== null && amount < 0) {
      f.add(
        'expenditure-negative',
        { sheet, cell: amountAt.cell },
        { found: foundText(amountAt.value), expected: '≥ 0' },
      );
      continue;
    }
    const cents = amount === null ? null : toCents(amount);
    if (cents !== null) totals.add(cents);
    let line: string | null = category;
    if (category && project && budget.length > 0) {
      const match = matchBudgetLine(category, budget);
      line = match.line;
      if (match.line === null) {
        f.add(
          'category-not-in-budget',
          { sheet, cell: row.ref('category') },
          { found: foundText(row.get('category')), expected: match.closest.join('; ') },
        );
      }
    }
    if (line && cents !== null) {
      expenditure.push({
        category: line,
        amountCents: cents,
        lineage: { sheet, cell: amountAt.cell, raw: cellText(amountAt.value) },
      });
    }
  }
  return expenditure;
}

/** A total row: not data; a warning naming both numbers when it differs from the rows above. */
function checkTotal(f: FieldReader, at: CellAt, totals: TotalChecker, money: boolean): void {
  const parsed = parseNumber(at.value);
  if (parsed.kind !== 'ok') return;
  const units = money ? toCents(parsed.value) : Math.round(parsed.value * 100);
  if (units === null) return;
  const { ok, rows } = totals.agrees(units);
  if (!ok) f.issues.push(totalMismatchIssue({ sheet: at.sheet, cell: at.cell }, units / 100, rows / 100, money));
}

/** Progress sheet: either a header row with one text row below, or label | value rows. */
function readNarrative(workbook: WorkbookData, f: FieldReader): Narrative {
  const spec = sheetSpec(SUBMISSION_SHEETS, 'progress');
  const empty: Narrative = { achievements: null, problems: null, nextSteps: null };
  const sheet = findSheet(workbook, spec);
  if (!sheet) return empty;
  const out: Narrative = { ...empty };
  const take = (text: string, cell: string): NarrativeText => {
    if (text.length > NARRATIVE_MAX)
      f.add('text-too-long', { sheet: sheet.name, cell }, { expected: `≤ ${NARRATIVE_MAX}` }, 'warning');
    return { text: text.slice(0, NARRATIVE_MAX), lineage: { sheet: sheet.name, cell, raw: '' } };
  };
  const { table } = readTable(sheet, spec);
  // A table names at least two of the three columns in one row; otherwise the sheet is label | value rows.
  if (table && table.columns.size >= 2 && table.rows.length > 0) {
    for (const id of ['achievements', 'problems', 'nextSteps'] as const) {
      if (!table.columns.has(id)) continue;
      const texts = table.rows.map((r) => ({ text: cellText(r.get(id)), cell: r.ref(id) })).filter((t) => t.text);
      if (texts.length > 0) out[id] = take(texts.map((t) => t.text).join('\n'), texts[0]!.cell);
    }
    return out;
  }
  const fields = readForm(sheet, spec);
  for (const id of ['achievements', 'problems', 'nextSteps'] as const) {
    const field = fields.get(id);
    const text = field ? cellText(field.value) : '';
    if (field && text) out[id] = take(text, field.ref);
  }
  return out;
}
