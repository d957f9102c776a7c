/**
 * Building the report models (docs/architecture.md §5–6) from the registry and the submissions in force. Pure: the
 * generated-at time and revision are inputs, so the same sources always give the same model.
 */
import {
  type AggregatedValue,
  aggregateExpenditure,
  aggregateIndicator,
  type Contribution,
  cumulativeSeries,
  type PeriodSubmissions,
  submissionsInForce,
} from './aggregate';
import { emptyBreakdown, firstProfiles, personBreakdown, sumBreakdowns } from './breakdown';
import { buildCatalogue, type Catalogue, displayName, isPersonIndicator, normaliseCode } from './catalogue';
import { centsToEuros, splitShares, sumCents, toCents } from './money';
import {
  comparePeriods,
  elapsedShare,
  formatPeriod,
  isOnTime,
  periodEnd,
  periodFromKey,
  periodOfDate,
  periodStart,
  periodsBetween,
  submissionDeadline,
} from './period';
import type {
  CommonIndicatorRow,
  DataWarning,
  FinanceSummary,
  IndicatorRow,
  IndicatorStatus,
  LineageRow,
  ProgrammeProjectRow,
  ProgrammeReportModel,
  ProjectReportModel,
  ReportChange,
  SeriesPoint,
  SubmissionStatus,
} from './report-types';
import { STATUSES, SUPERSEDED_FIGURE } from './report-types';
import type { ChangeNote, IndicatorDef, IsoDate, NormalisedSubmission, Project, Registry } from './types';

/**
 * What every project report of one registry looks up, built once for all of them: the catalogue, and each
 * project's registry row, targets and budget lines in registry order. Scanning every target and budget line for
 * each report made a programme's reports cost the square of its size.
 */
export interface RegistryIndex {
  registry: Registry;
  catalogue: Catalogue;
  projects: ReadonlyMap<string, Project>;
  targets: ReadonlyMap<string, readonly Registry['targets'][number][]>;
  budget: ReadonlyMap<string, readonly Registry['budget'][number][]>;
}

/** Items grouped by a key, each group in input order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

export function indexRegistry(registry: Registry): RegistryIndex {
  const projects = new Map<string, Project>();
  // The first row of an ID, as a search from the top finds it.
  for (const p of registry.projects) if (!projects.has(p.id)) projects.set(p.id, p);
  return {
    registry,
    catalogue: buildCatalogue(registry.indicators),
    projects,
    targets: groupBy(registry.targets, (t) => t.projectId),
    budget: groupBy(registry.budget, (b) => b.projectId),
  };
}

/**
 * docs/architecture.md §5 progress status. From the project's last period on (`final`) there is no "on track" left to be: a
 * target is achieved or not.
 */
export function indicatorStatus(achievement: number | null, expected: number, final = false): IndicatorStatus {
  if (achievement === null) return 'no-target';
  if (achievement >= 1) return 'achieved';
  if (final) return 'not-achieved';
  if (achievement >= 0.9 * expected) return 'on-track';
  if (achievement >= 0.6 * expected) return 'at-risk';
  return 'behind';
}

/**
 * Linear projection of a cumulative value to the end date; null before any time has elapsed. Counts are
 * projected in whole units (1 522 participants, not 1 521,8); other values to one decimal.
 */
export function linearForecast(cumulative: number, elapsed: number, wholeUnits = false): number | null {
  if (elapsed <= 0) return null;
  const projected = cumulative / elapsed;
  return wholeUnits ? Math.round(projected) : Math.round(projected * 10) / 10;
}

/** True from the project's last period on (its end date falls in or before `period`). */
export function isFinalPeriod(project: Project, period: string): boolean {
  return comparePeriods(periodFromKey(period), periodOfDate(project.end)) >= 0;
}

export interface ReportInputs {
  registry: Registry;
  /** Every accepted submission of the project (all periods, all uploads). */
  submissions: readonly NormalisedSubmission[];
  period: string;
  revision: number;
  generatedAt: string;
}

/** Submission status of a project for a period: judged by its first accepted upload. */
export function submissionStatus(
  history: readonly PeriodSubmissions[],
  period: string,
  deadline: string,
): SubmissionStatus {
  const entry = history.find((h) => h.period === period);
  if (!entry) return 'missing';
  const first = entry.all[0]!;
  return isOnTime(new Date(first.source.uploadedAt), deadline) ? 'on-time' : 'late';
}

/** Compress participant ID cells into runs (`A5:A40`): a 10 000-person figure must not print 10 000 lines. */
function lineageRows(figure: string, contributions: readonly Contribution[]): LineageRow[] {
  const rows: LineageRow[] = [];
  for (const c of contributions) {
    const last = rows[rows.length - 1];
    const m = /^([A-Z]+)(\d+)$/.exec(c.cell.cell);
    if (
      last &&
      c.cell.raw === '' &&
      m &&
      last.raw === '' &&
      last.sourceKey === c.source.key &&
      last.sourceVersion === c.source.version &&
      last.sheet === c.cell.sheet
    ) {
      const lm = /^([A-Z]+)(\d+)(?::[A-Z]+(\d+))?$/.exec(last.cell);
      if (lm && lm[1] === m[1] && Number(lm[3] ?? lm[2]) + 1 === Number(m[2])) {
        last.cell = `${lm[1]}${lm[2]}:${m[1]}${m[2]}`;
        continue;
      }
    }
    rows.push({
      figure,
      period: c.period,
      sourceKey: c.source.key,
      sourceVersion: c.source.version,
      sha256: c.source.sha256,
      uploadedAt: c.source.uploadedAt,
      sheet: c.cell.sheet,
      cell: c.cell.cell,
      raw: c.cell.raw,
    });
  }
  return rows;
}

/**
 * Every superseded upload of the project up to the period, marked as such (docs/architecture.md §5: nothing lost). It cites the
 * file, not a cell: none of its values is printed.
 */
function supersededRows(history: readonly PeriodSubmissions[]): LineageRow[] {
  const rows: LineageRow[] = [];
  for (const h of history) {
    for (const s of h.all) {
      if (s === h.inForce) continue;
      rows.push({
        figure: SUPERSEDED_FIGURE,
        period: h.period,
        sourceKey: s.source.key,
        sourceVersion: s.source.version,
        sha256: s.source.sha256,
        uploadedAt: s.source.uploadedAt,
        sheet: '',
        cell: '',
        raw: '',
        superseded: true,
      });
    }
  }
  return rows;
}

/** Indicators shown for a project: those with a target, plus any reported without one. */
function projectIndicators(
  index: RegistryIndex,
  project: Project,
  history: readonly PeriodSubmissions[],
): IndicatorDef[] {
  const { catalogue } = index;
  const codes: string[] = (index.targets.get(project.id) ?? []).map((t) => t.indicatorCode);
  for (const h of history) {
    for (const t of h.inForce.indicators) codes.push(t.code);
    for (const d of h.inForce.derived) if (d.value > 0) codes.push(d.code);
  }
  const seen = new Set<string>();
  const defs: IndicatorDef[] = [];
  for (const code of codes) {
    const def = catalogue.get(code);
    if (!def || seen.has(def.code)) continue;
    seen.add(def.code);
    defs.push(def);
  }
  return defs;
}

/** What an indicator's value, target and status are built from. */
interface IndicatorBasis {
  history: PeriodSubmissions[];
  period: string;
  elapsed: number;
  final: boolean;
  /** The project's first target row of each indicator code (normalised), as a scan from the top finds it. */
  targets: ReadonlyMap<string, Registry['targets'][number]>;
  /** Each person's first profile ({@link firstProfiles}), the same for every person indicator of the report. */
  profiles: ReturnType<typeof firstProfiles>;
}

/** What one indicator row of a project report is built from; warnings and lineage rows are added to the lists. */
interface IndicatorContext extends IndicatorBasis {
  index: RegistryIndex;
  project: Project;
  projectPeriods: string[];
  /** Each project period's last day, and the periods before the report's: the same for every indicator. */
  projectPeriodEnds: string[];
  earlierPeriods: string[];
  end: IsoDate;
  warnings: DataWarning[];
  lineage: LineageRow[];
}

/** Target rows by normalised indicator code, the first row of a code winning (as `find` from the top did). */
function targetsByCode(rows: readonly Registry['targets'][number][]): Map<string, Registry['targets'][number]> {
  const byCode = new Map<string, Registry['targets'][number]>();
  for (const t of rows) {
    const code = normaliseCode(t.indicatorCode);
    if (!byCode.has(code)) byCode.set(code, t);
  }
  return byCode;
}

/** One indicator of a project report: this period, cumulative, target, status, forecast, series and breakdown. */
function indicatorRow(ctx: IndicatorContext, def: IndicatorDef): IndicatorRow {
  const { history, period, projectPeriods, elapsed, end, warnings, lineage } = ctx;
  const { target, value, targetValue, achievement, status } = indicatorFigures(ctx, def);
  if (value.summedTypedPersons) {
    warnings.push({
      code: 'persons-summed',
      message: {
        lv: `${def.code}: dalībnieku dati nav iesniegti visos periodos; kopējā vērtība ir ievadīto skaitu summa, un personas var būt skaitītas atkārtoti.`,
        en: `${def.code}: participant rows were not submitted for every period; the cumulative value adds up typed counts and may count persons more than once.`,
      },
    });
  }
  lineage.push(...lineageRows(def.code, value.contributions));
  // The report period's point is the value just aggregated; the others come from one pass over the history.
  const earlier = cumulativeSeries(def, history, ctx.earlierPeriods);
  let next = 0;
  const series: SeriesPoint[] = projectPeriods.map((per, i) => ({
    period: per,
    periodEnd: ctx.projectPeriodEnds[i]!,
    cumulative: per === period ? value.cumulative : earlier[next++]!,
  }));
  const milestone = milestoneOutcome(target, series, end, value.cumulative);
  return {
    code: def.code,
    name: { lv: displayName(def, 'lv'), en: displayName(def, 'en') },
    unit: def.unit,
    type: def.type,
    aggregation: def.aggregation,
    origin: value.origin,
    baseline: target?.baseline ?? 0,
    target: targetValue,
    milestone: target?.milestone ?? null,
    milestoneDate: target?.milestoneDate ?? null,
    thisPeriod: value.thisPeriod,
    cumulative: value.cumulative,
    achievement,
    expected: elapsed,
    status,
    forecast: def.aggregation === 'latest' ? null : linearForecast(value.cumulative, elapsed, def.integer),
    milestoneMissed: milestone.missed,
    milestoneMetIn: milestone.metIn,
    series,
    ...(isPersonIndicator(def) ? { breakdown: personBreakdown(def, history, period, ctx.profiles) } : {}),
    ...(def.breakdownOf ? { breakdownOf: def.breakdownOf } : {}),
  };
}

/** An indicator's value, target and status: what its report row and its summary line both show. */
function indicatorFigures(ctx: IndicatorBasis, def: IndicatorDef) {
  const target = ctx.targets.get(normaliseCode(def.code));
  const value: AggregatedValue = aggregateIndicator(def, ctx.history, ctx.period);
  const targetValue = target?.target ?? null;
  const achievement = targetValue !== null && targetValue > 0 ? value.cumulative / targetValue : null;
  return { target, value, targetValue, achievement, status: indicatorStatus(achievement, ctx.elapsed, ctx.final) };
}

/** An indicator as the programme summary reads it: {@link indicatorRow} without its series, lineage and notes. */
function indicatorSummary(ctx: IndicatorBasis, def: IndicatorDef): IndicatorSummary {
  const { value, targetValue, status } = indicatorFigures(ctx, def);
  return {
    code: def.code,
    name: { lv: displayName(def, 'lv'), en: displayName(def, 'en') },
    unit: def.unit,
    thisPeriod: value.thisPeriod,
    cumulative: value.cumulative,
    target: targetValue,
    status,
    ...(isPersonIndicator(def) ? { breakdown: personBreakdown(def, ctx.history, ctx.period, ctx.profiles) } : {}),
  };
}

/** The warnings the upload in force was accepted with, as the report lists them. */
function submittedWarnings(current: PeriodSubmissions | undefined): DataWarning[] {
  const warnings: DataWarning[] = [];
  for (const w of current?.inForce.warnings ?? []) {
    const warning: DataWarning = { code: w.code, message: w.message };
    if (w.sheet !== undefined) warning.sheet = w.sheet;
    if (w.cell !== undefined) warning.cell = w.cell;
    warnings.push(warning);
  }
  return warnings;
}

/** The coordinator's narrative of the period, or null when they wrote none. */
function narrativeOf(current: PeriodSubmissions | undefined): ProjectReportModel['narrative'] {
  const n = current?.inForce.narrative;
  return n && (n.achievements || n.problems || n.nextSteps)
    ? {
        achievements: n.achievements?.text ?? '',
        problems: n.problems?.text ?? '',
        nextSteps: n.nextSteps?.text ?? '',
      }
    : null;
}

/** Cumulatively, too, a breakdown never exceeds its parent; a breach is shown (the period check refuses uploads). */
function ofWhichWarnings(rows: readonly IndicatorRow[]): DataWarning[] {
  const out: DataWarning[] = [];
  for (const row of rows) {
    const parent = row.breakdownOf ? rows.find((r) => r.code === row.breakdownOf) : undefined;
    if (!parent || row.cumulative <= parent.cumulative) continue;
    out.push({
      code: 'breakdown-exceeds-parent',
      message: {
        lv: `${row.code} kumulatīvi (${row.cumulative}) pārsniedz ${parent.code} (${parent.cumulative}), kura daļa tas ir.`,
        en: `${row.code} cumulatively (${row.cumulative}) exceeds ${parent.code} (${parent.cumulative}), of which it is part.`,
      },
    });
  }
  return out;
}

/** What the programme summary and the figures of a revision read of a project's report. */
export type IndicatorSummary = Pick<
  IndicatorRow,
  'code' | 'name' | 'unit' | 'thisPeriod' | 'cumulative' | 'target' | 'status' | 'breakdown'
>;
export interface ProjectSummary {
  project: ProjectReportModel['project'];
  elapsed: number;
  submission: Pick<ProjectReportModel['submission'], 'status'>;
  finance: FinanceSummary;
  indicators: readonly IndicatorSummary[];
}

/** What a project's report and its summary are both built from. */
function reportBasis(inputs: ReportInputs & { projectId: string; index?: RegistryIndex }) {
  const { registry, period } = inputs;
  const index = inputs.index?.registry === registry ? inputs.index : indexRegistry(registry);
  const project = index.projects.get(inputs.projectId);
  if (!project) throw new Error(`project ${inputs.projectId} is not in the registry`);
  const p = periodFromKey(period);
  const end = periodEnd(p);
  const history = submissionsInForce(
    inputs.submissions.filter((s) => s.projectId === project.id),
    period,
  );
  const elapsed = elapsedShare(project.start, project.end, end);
  const basis: IndicatorBasis = {
    history,
    period,
    elapsed,
    final: isFinalPeriod(project, period),
    targets: targetsByCode(index.targets.get(project.id) ?? []),
    profiles: firstProfiles(history, period),
  };
  const deadline = submissionDeadline(p, registry.settings.deadlineDays);
  const finance = projectFinance(index.budget.get(project.id) ?? [], project, history, period, elapsed);
  return { index, project, p, end, basis, deadline, finance, defs: projectIndicators(index, project, history) };
}

/** The project's registry facts as its report shows them. */
function projectInfo(project: Project): ProjectReportModel['project'] {
  return {
    id: project.id,
    contractNo: project.contractNo,
    title: project.title,
    beneficiary: project.beneficiary,
    fund: project.fund,
    specificObjective: project.specificObjective,
    start: project.start,
    end: project.end,
    eligibleCost: project.eligibleCost,
    euRatePercent: project.euRatePercent,
  };
}

/**
 * What the programme summary reads of one project's report ({@link buildProjectReport}'s figures, built by the
 * same functions), without the series, lineage, warnings and narrative no summary shows: a programme of 500
 * projects builds 500 of these for its summary.
 */
export function projectSummary(inputs: ReportInputs & { projectId: string; index?: RegistryIndex }): ProjectSummary {
  const { project, basis, deadline, finance, defs } = reportBasis(inputs);
  return {
    project: projectInfo(project),
    elapsed: basis.elapsed,
    submission: { status: submissionStatus(basis.history, inputs.period, deadline) },
    finance: finance.summary,
    indicators: defs.map((def) => indicatorSummary(basis, def)),
  };
}

/**
 * One project's report model. `index`: {@link indexRegistry} of the same registry, when the caller builds many
 * reports of it (a revision's); without it, one is built for this report.
 */
export function buildProjectReport(
  inputs: ReportInputs & { projectId: string; index?: RegistryIndex },
): ProjectReportModel {
  const { period, revision, generatedAt } = inputs;
  const { index, project, p, end, basis, deadline, finance, defs } = reportBasis(inputs);
  const { history, elapsed } = basis;
  const current = history.find((h) => h.period === period);
  const warnings: DataWarning[] = [];
  const lineage: LineageRow[] = [];
  const projectPeriods = periodsBetween(project.start, end < project.end ? end : project.end).map(formatPeriod);

  const context: IndicatorContext = {
    ...basis,
    index,
    project,
    projectPeriods,
    projectPeriodEnds: projectPeriods.map((per) => periodEnd(periodFromKey(per))),
    earlierPeriods: projectPeriods.filter((per) => per !== period),
    end,
    warnings,
    lineage,
  };
  const indicators: IndicatorRow[] = defs.map((def) => indicatorRow(context, def));
  warnings.push(...ofWhichWarnings(indicators));

  for (const [category, contributions] of finance.contributions) {
    lineage.push(...lineageRows(`finance:${category}`, contributions));
  }
  lineage.push(...supersededRows(history));

  warnings.push(...submittedWarnings(current));
  const narrative = narrativeOf(current);

  return {
    kind: 'project',
    period,
    periodStart: periodStart(p),
    periodEnd: end,
    revision,
    generatedAt,
    project: projectInfo(project),
    elapsed,
    submission: {
      status: submissionStatus(history, period, deadline),
      uploadedAt: current?.inForce.source.uploadedAt ?? null,
      sourceKey: current?.inForce.source.key ?? null,
      deadline,
    },
    indicators,
    finance: finance.summary,
    narrative,
    warnings,
    lineage,
  };
}

/** When a milestone was due and whether it was met on its date, or in which later period. */
function milestoneOutcome(
  target: Registry['targets'][number] | undefined,
  series: readonly SeriesPoint[],
  end: string,
  cumulative: number,
): { missed: boolean; metIn: string | null } {
  if (!target || target.milestone === null || target.milestoneDate === null || target.milestoneDate > end) {
    return { missed: false, metIn: null };
  }
  const { milestone, milestoneDate } = target;
  const atDate = series.find((pt) => pt.periodEnd >= milestoneDate)?.cumulative ?? cumulative;
  if (atDate >= milestone) return { missed: false, metIn: null };
  const later = series.find((pt) => pt.periodEnd > milestoneDate && pt.cumulative >= milestone);
  return { missed: true, metIn: later?.period ?? null };
}

/**
 * Spending, absorption and shares in integer cents (see `money.ts`), shown as euros. Spending lines are keyed by
 * the budget line the reader matched them to; a line no budget knows cannot reach here (it is refused at ingest),
 * but one from a record stored before that rule is still shown rather than lost.
 */
function projectFinance(
  budget: readonly Registry['budget'][number][],
  project: Project,
  history: readonly PeriodSubmissions[],
  period: string,
  elapsed: number,
): { summary: FinanceSummary; contributions: Map<string, Contribution[]> } {
  const spending = aggregateExpenditure(history, period);
  const lines = budget.map((b) => {
    const s = spending.get(b.category);
    return { category: b.category, planned: b.planned, thisCents: s?.thisPeriod ?? 0, cumCents: s?.cumulative ?? 0 };
  });
  const contributions = new Map<string, Contribution[]>();
  for (const [category, s] of spending) {
    if (!lines.some((c) => c.category === category)) {
      lines.push({ category, planned: 0, thisCents: s.thisPeriod, cumCents: s.cumulative });
    }
    contributions.set(category, s.contributions);
  }
  const spentCents = sumCents(lines.map((c) => c.cumCents));
  const eligibleCents = toCents(project.eligibleCost) ?? 0;
  const { euCents, nationalCents } = splitShares(spentCents, project.euRatePercent);
  const summary: FinanceSummary = {
    eligibleCost: centsToEuros(eligibleCents),
    euRatePercent: project.euRatePercent,
    spentThisPeriod: centsToEuros(sumCents(lines.map((c) => c.thisCents))),
    spentCumulative: centsToEuros(spentCents),
    absorption: eligibleCents > 0 ? spentCents / eligibleCents : 0,
    elapsed,
    euShare: centsToEuros(euCents),
    nationalShare: centsToEuros(nationalCents),
    categories: lines.map((c) => ({
      category: c.category,
      planned: c.planned,
      thisPeriod: centsToEuros(c.thisCents),
      cumulative: centsToEuros(c.cumCents),
    })),
  };
  return { summary, contributions };
}

/** Projects whose dates overlap the period. */
export function activeProjects(registry: Registry, period: string): Project[] {
  const p = periodFromKey(period);
  return registry.projects.filter((pr) => pr.start <= periodEnd(p) && pr.end >= periodStart(p));
}

/** One project's line in the programme summary: its submission, indicator statuses and spending. */
function programmeProjectRow(m: ProjectSummary): ProgrammeProjectRow {
  const statusCounts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<IndicatorStatus, number>;
  for (const i of m.indicators) statusCounts[i.status]++;
  return {
    id: m.project.id,
    title: m.project.title,
    beneficiary: m.project.beneficiary,
    fund: m.project.fund,
    submission: m.submission.status,
    statusCounts,
    eligibleCost: m.finance.eligibleCost,
    spentCumulative: m.finance.spentCumulative,
    absorption: m.finance.absorption,
    elapsed: m.elapsed,
  };
}

/** Each indicator summed over the projects that report it (values against targets of the projects with one). */
function commonIndicators(sorted: readonly ProjectSummary[]): Map<string, CommonIndicatorRow> {
  const byCode = new Map<string, CommonIndicatorRow>();
  for (const m of sorted) {
    for (const i of m.indicators) {
      const row = byCode.get(i.code) ?? {
        code: i.code,
        name: i.name,
        unit: i.unit,
        thisPeriod: 0,
        cumulative: 0,
        target: 0,
        cumulativeWithTarget: 0,
        achievement: null,
        projects: 0,
      };
      row.thisPeriod += i.thisPeriod;
      row.cumulative += i.cumulative;
      // % of target compares like with like: values and targets of the same projects (those with a target).
      if (i.target !== null && i.target > 0) {
        row.target += i.target;
        row.cumulativeWithTarget += i.cumulative;
      }
      row.achievement = row.target > 0 ? row.cumulativeWithTarget / row.target : null;
      row.projects += 1;
      if (i.breakdown) row.breakdown = sumBreakdowns([row.breakdown ?? emptyBreakdown(), i.breakdown]);
      byCode.set(i.code, row);
    }
  }
  return byCode;
}

/** The figures a later revision is compared against: project → figure → value. */
export type FigureSnapshot = Record<string, Record<string, number>>;

export function figuresOf(projects: readonly ProjectSummary[]): FigureSnapshot {
  const out: FigureSnapshot = {};
  for (const m of projects) {
    const figures: Record<string, number> = { finance: m.finance.spentCumulative };
    for (const i of m.indicators) figures[i.code] = i.cumulative;
    out[m.project.id] = figures;
  }
  return out;
}

export function diffFigures(previous: FigureSnapshot, current: FigureSnapshot): ReportChange[] {
  const changes: ReportChange[] = [];
  for (const projectId of Object.keys(current).sort()) {
    const now = current[projectId]!;
    const before = previous[projectId] ?? {};
    for (const figure of Object.keys(now).sort()) {
      const old = before[figure] ?? 0;
      const value = now[figure]!;
      if (Math.abs(old - value) > 1e-9) changes.push({ projectId, figure, old, new: value });
    }
  }
  return changes;
}

export function buildProgrammeReport(input: {
  registry: Registry;
  period: string;
  revision: number;
  generatedAt: string;
  /** Each project's report model or its {@link projectSummary}. */
  projects: readonly ProjectSummary[];
  changes?: ReportChange[];
  notes?: ChangeNote[];
}): ProgrammeReportModel {
  const { registry, period } = input;
  const p = periodFromKey(period);
  const deadline = submissionDeadline(p, registry.settings.deadlineDays);
  const sorted = [...input.projects].sort((a, b) => (a.project.id < b.project.id ? -1 : 1));
  const projects: ProgrammeProjectRow[] = sorted.map(programmeProjectRow);
  const byCode = commonIndicators(sorted);
  const indicators = [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
  // Totals in integer cents: each project's figure is already whole cents, so the sums are exact.
  const cents = (pick: (m: ProjectSummary) => number) => sumCents(sorted.map((m) => toCents(pick(m)) ?? 0));
  const eligibleCents = cents((m) => m.finance.eligibleCost);
  const spentCents = cents((m) => m.finance.spentCumulative);
  const euCents = cents((m) => m.finance.euShare);
  const [eligibleCost, spentCumulative, euShare] = [eligibleCents, spentCents, euCents].map(centsToEuros) as [
    number,
    number,
    number,
  ];
  const ids = (status: SubmissionStatus) => projects.filter((r) => r.submission === status).map((r) => r.id);
  return {
    kind: 'programme',
    period,
    periodStart: periodStart(p),
    periodEnd: periodEnd(p),
    revision: input.revision,
    generatedAt: input.generatedAt,
    deadline,
    projects,
    indicators,
    finance: {
      eligibleCost,
      spentThisPeriod: centsToEuros(cents((m) => m.finance.spentThisPeriod)),
      spentCumulative,
      euShare,
      nationalShare: centsToEuros(spentCents - euCents),
      absorption: eligibleCents > 0 ? spentCents / eligibleCents : 0,
    },
    completeness: { onTime: ids('on-time'), late: ids('late'), missing: ids('missing') },
    changes: input.changes ?? [],
    notes: input.notes ?? [],
  };
}

export { comparePeriods };
