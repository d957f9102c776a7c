/**
 * The report model: everything a project or programme report shows, computed once in core and rendered by
 * the PDF and XLSX renderers. Language-neutral (names carry both languages); no wall-clock time inside.
 */
import type { Breakdown } from './breakdown';
import { STATUS_LABELS, SUBMISSION_STATUS_LABELS } from './labels';
import type { Aggregation, Bilingual, ChangeNote, Fund, IndicatorType, IsoDate, SpecificObjective } from './types';

export const STATUSES = ['achieved', 'on-track', 'at-risk', 'behind', 'not-achieved', 'no-target'] as const;
export type IndicatorStatus = (typeof STATUSES)[number];

/** Status colours shared by the PDF and the XLSX (hex RGB without `#`): blue-green-amber-red, the usual BRAG scale. */
export const STATUS_COLOURS: Record<IndicatorStatus, string> = {
  achieved: '1565C0',
  'on-track': '2E7D32',
  'at-risk': 'E0A100',
  behind: 'C62828',
  'not-achieved': '6A1B9A',
  'no-target': '757575',
};

export type SubmissionStatus = 'on-time' | 'late' | 'missing';

// The words of the statuses are in the one label table (labels.ts); every status must have its words there.
STATUS_LABELS satisfies Record<IndicatorStatus, Bilingual>;
SUBMISSION_STATUS_LABELS satisfies Record<SubmissionStatus, Bilingual>;

/** Re-exported for the renderers that import the status vocabulary from here. */
export { STATUS_LABELS, SUBMISSION_STATUS_LABELS };

/** One point of an indicator's history, for the cumulative-vs-plan chart. */
export interface SeriesPoint {
  period: string;
  /** Last day of the period. */
  periodEnd: IsoDate;
  cumulative: number;
}

export interface IndicatorRow {
  code: string;
  name: Bilingual;
  unit: Bilingual;
  type: IndicatorType;
  aggregation: Aggregation;
  /** Where the figure comes from: typed values, participant rows, or nothing reported yet. */
  origin: 'typed' | 'participants' | 'none';
  baseline: number;
  target: number | null;
  milestone: number | null;
  milestoneDate: IsoDate | null;
  /** Value reported for this period (distinct new-or-returning qualifying persons for `unique`). */
  thisPeriod: number;
  cumulative: number;
  /** cumulative / target (a ratio, 1 = 100 %); null without a target. */
  achievement: number | null;
  /** Elapsed share of the project's duration at period end (0..1). */
  expected: number;
  status: IndicatorStatus;
  /** Linear projection of the cumulative value to the project's end date; null when it cannot be made. */
  forecast: number | null;
  /** The milestone was not reached on its date (judged at the period containing the milestone date). */
  milestoneMissed: boolean;
  /** A missed milestone reached later: the period in which it was first reached; null otherwise. */
  milestoneMetIn: string | null;
  series: SeriesPoint[];
  /** Person indicators only: cumulative gender × age-bracket breakdown (unique persons); cells add up to it. */
  breakdown?: Breakdown;
  /** "Of which" items: the code of the indicator this one is part of. */
  breakdownOf?: string;
}

export interface FinanceCategory {
  category: string;
  planned: number;
  thisPeriod: number;
  cumulative: number;
}

export interface FinanceSummary {
  eligibleCost: number;
  euRatePercent: number;
  spentThisPeriod: number;
  spentCumulative: number;
  /** spentCumulative / eligibleCost. */
  absorption: number;
  /** Elapsed share of the project's duration, for comparison with absorption. */
  elapsed: number;
  euShare: number;
  nationalShare: number;
  categories: FinanceCategory[];
}

/** One row of the lineage appendix: a printed figure and one source cell it came from. */
export interface LineageRow {
  /** e.g. `O.2.3.1` or `finance:Personāls`. */
  figure: string;
  /** Period the source value belongs to. */
  period: string;
  sourceKey: string;
  sourceVersion: string;
  sha256: string;
  uploadedAt: string;
  sheet: string;
  cell: string;
  /** Raw cell text; empty for participant ID cells (pseudonyms never leave the submissions store). */
  raw: string;
  /** An earlier upload of the period, replaced by a newer one: listed (figure `superseded`), not counted. */
  superseded?: true;
}

/** The lineage `figure` of a superseded upload's row. */
export const SUPERSEDED_FIGURE = 'superseded';

export interface DataWarning {
  code: string;
  message: Bilingual;
  sheet?: string;
  cell?: string;
}

export interface ProjectInfo {
  id: string;
  contractNo: string;
  title: string;
  beneficiary: string;
  fund: Fund;
  specificObjective: SpecificObjective;
  start: IsoDate;
  end: IsoDate;
  eligibleCost: number;
  euRatePercent: number;
}

export interface ProjectReportModel {
  kind: 'project';
  period: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  revision: number;
  /** ISO timestamp, an input (not the wall clock). */
  generatedAt: string;
  project: ProjectInfo;
  /** Elapsed share of the project's duration at period end (0..1). */
  elapsed: number;
  submission: {
    status: SubmissionStatus;
    /** When the submission in force was uploaded; null when missing. */
    uploadedAt: string | null;
    sourceKey: string | null;
    deadline: IsoDate;
  };
  indicators: IndicatorRow[];
  finance: FinanceSummary;
  narrative: { achievements: string; problems: string; nextSteps: string } | null;
  warnings: DataWarning[];
  lineage: LineageRow[];
}

export interface ProgrammeProjectRow {
  id: string;
  title: string;
  beneficiary: string;
  fund: Fund;
  submission: SubmissionStatus;
  statusCounts: Record<IndicatorStatus, number>;
  eligibleCost: number;
  spentCumulative: number;
  absorption: number;
  elapsed: number;
}

export interface CommonIndicatorRow {
  code: string;
  name: Bilingual;
  unit: Bilingual;
  /** Sum across projects (unique persons within each project, summed across projects). */
  thisPeriod: number;
  cumulative: number;
  /** Sum of the targets of the projects that have one. */
  target: number;
  /** Sum of the cumulative values of those same projects: the numerator of % of target. */
  cumulativeWithTarget: number;
  /** cumulativeWithTarget / target; null when no project has a target. */
  achievement: number | null;
  projects: number;
  /** Person indicators: the projects' breakdowns summed cell by cell. */
  breakdown?: Breakdown;
}

export interface ReportChange {
  projectId: string;
  /** Indicator code, or `finance` for spending. */
  figure: string;
  old: number;
  new: number;
}

export interface ProgrammeReportModel {
  kind: 'programme';
  period: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  revision: number;
  generatedAt: string;
  deadline: IsoDate;
  projects: ProgrammeProjectRow[];
  indicators: CommonIndicatorRow[];
  finance: {
    eligibleCost: number;
    spentThisPeriod: number;
    spentCumulative: number;
    euShare: number;
    nationalShare: number;
    absorption: number;
  };
  completeness: { onTime: string[]; late: string[]; missing: string[] };
  /** Changes since the previous revision of this period (empty for r1). */
  changes: ReportChange[];
  /** Changes besides figures: an operator's reason for re-issuing, registry fields old → new. */
  notes?: ChangeNote[];
}
