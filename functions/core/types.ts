/**
 * The domain model: registry, catalogue, normalised submissions, validation issues.
 * Dates are zone-less calendar dates `YYYY-MM-DD`; periods are `YYYY-Qn` in Europe/Riga.
 */

export type IsoDate = string;
export type Lang = 'lv' | 'en';
export type Bilingual = { lv: string; en: string };

/**
 * One line of a revision's change list (an operator's reason, a registry field old → new, a project added or
 * removed). A registry field's line also carries its parts, so that a table can put them in columns (the XLSX).
 */
export interface ChangeNote extends Bilingual {
  projectId?: string;
  what?: Bilingual;
  old?: Bilingual;
  new?: Bilingual;
}

export const FUNDS = ['AMIF-2021-2027', 'AMIF-2014-2020', 'ESF', 'OTHER'] as const;
export type Fund = (typeof FUNDS)[number];

/**
 * The dates a project of each fund may lie within (issue 14: a one-digit typo in a year must be an error at the
 * cell, not four hundred reports). AMIF 2021-2027: 2021-01-01 to 2029-12-31, the eligibility window of Reg.
 * 2021/1060 (CPR) Art. 63(2). AMIF 2014-2020: 2014-01-01 to 2024-06-30, Reg. 514/2014 Art. 17(3) as amended by
 * Reg. 2022/585 (expenditure incurred and paid by the Responsible Authority by 30 June 2024). ESF and OTHER: a
 * deliberately wide 2007-01-01 to 2035-12-31 (three programming periods), which still catches a wrong century.
 */
export const FUND_DATE_WINDOWS: Record<Fund, { from: string; to: string; source: string }> = {
  'AMIF-2021-2027': { from: '2021-01-01', to: '2029-12-31', source: 'Reg. 2021/1060 Art. 63(2)' },
  'AMIF-2014-2020': { from: '2014-01-01', to: '2024-06-30', source: 'Reg. 514/2014 Art. 17(3), Reg. 2022/585' },
  ESF: { from: '2007-01-01', to: '2035-12-31', source: 'programming periods 2007-2013 to 2028-2034' },
  OTHER: { from: '2007-01-01', to: '2035-12-31', source: 'programming periods 2007-2013 to 2028-2034' },
};

export const SPECIFIC_OBJECTIVES = ['SO1', 'SO2', 'SO3', 'SO4'] as const;
export type SpecificObjective = (typeof SPECIFIC_OBJECTIVES)[number];

export const AGGREGATIONS = ['sum', 'unique', 'latest'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const ACTIVITIES = [
  'language-course',
  'civic-course',
  'legal-assistance',
  'guidance',
  'reception-support',
  'psychological-support',
  'interpretation',
  'training',
  'voluntary-return',
  'reintegration',
  'social-mentoring',
] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** Gender as reported (Annex VIII asks every person indicator by gender); `unknown` = not known. */
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/**
 * Age at the start of the person's first activity in the project, in the Annex VIII brackets. `18+` is the old
 * template's unsplit adult bracket ("18+ not split"); `unknown` = not known.
 */
export const AGE_BRACKETS = ['<18', '18-60', '>60', '18+', 'unknown'] as const;
export type AgeBracket = (typeof AGE_BRACKETS)[number];

/** One person's profile as kept in a record: `<gender>/<bracket>`, e.g. `female/18-60`. */
export type PersonProfile = `${Gender}/${AgeBracket}`;

export const CEFR_LEVELS = ['A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];

/**
 * How a participant-based indicator is derived from participant rows. Every condition given must hold
 * (`activities` is any-of). A person counts once per indicator, however many rows qualify.
 */
export interface ParticipantRule {
  activities?: Activity[];
  /** Level at end at least one CEFR step above level at start. */
  improvedLevel?: boolean;
  /** "Helpful for integration" = yes. */
  helpful?: boolean;
  /** Vulnerable = yes. */
  vulnerable?: boolean;
}

/** Where a Latvian indicator name comes from: the registry (official), the Latvian programme, or our translation. */
export type NameSource = 'official' | 'programme' | 'working translation';

/** Annex VIII types; Annex IV (2014-2020) does not classify its indicators, and we do not guess. */
export type IndicatorType = 'output' | 'result' | 'not classified';

export interface IndicatorDef {
  code: string;
  /** `AMIF-2021-2027`, `AMIF-2014-2020`, or `programme` for registry-defined indicators. */
  catalogue: 'AMIF-2021-2027' | 'AMIF-2014-2020' | 'programme';
  /** The specific objective the Annex lists it under (common indicators only). */
  specificObjective?: SpecificObjective;
  /** The Annex item it reproduces, e.g. `SO1 1.2` or `Annex IV (a)(i) sub-category`. */
  annexItem?: string;
  /** "Of which" items: the code of the indicator this one is a part of; never exceeds it. */
  breakdownOf?: string;
  /** Names as the legal text words them; "the number of …" breakdowns are capitalised only when displayed. */
  name: Bilingual;
  nameLvSource?: NameSource;
  unit: Bilingual;
  type: IndicatorType;
  aggregation: Aggregation;
  /** Counts must be whole numbers. */
  integer: boolean;
  rule?: ParticipantRule;
}

/** Where a value came from: the cell, as the workbook had it. */
export interface CellRef {
  sheet: string;
  cell: string;
  /** The raw cell value as text (never a participant ID: those are kept out of lineage). */
  raw: string;
}

/** Identity of one uploaded object version. */
export interface SourceRef {
  key: string;
  version: string;
  sha256: string;
  bytes: number;
  uploadedAt: string;
}

export interface Project {
  id: string;
  contractNo: string;
  title: string;
  beneficiary: string;
  fund: Fund;
  specificObjective: SpecificObjective;
  start: IsoDate;
  end: IsoDate;
  eligibleCost: number;
  /** EU co-financing rate, percent 0..100. */
  euRatePercent: number;
  coordinatorEmails: string[];
}

export interface Target {
  projectId: string;
  indicatorCode: string;
  baseline: number;
  milestone: number | null;
  milestoneDate: IsoDate | null;
  target: number;
}

/** The programme's performance framework for one indicator (registry sheet `Programmas mērķi`), for Art. 42. */
export interface ProgrammeTarget {
  indicatorCode: string;
  /** Result indicators only. */
  baseline: number | null;
  milestone2024: number | null;
  target2029: number | null;
}

export interface BudgetLine {
  projectId: string;
  category: string;
  planned: number;
}

export interface Recipient {
  email: string;
  role: 'manager' | 'auditor';
  /** Empty: all projects. */
  projects: string[];
  language: Lang;
}

export interface Settings {
  deadlineDays: number;
  reminderDays: number;
}

export const DEFAULT_SETTINGS: Settings = { deadlineDays: 15, reminderDays: 5 };

export interface Registry {
  schemaVersion: 1;
  kind: 'registry';
  source: SourceRef;
  projects: Project[];
  targets: Target[];
  budget: BudgetLine[];
  recipients: Recipient[];
  /** Programme-specific indicators from the `Rādītāji` sheet. */
  indicators: IndicatorDef[];
  /** From the optional `Programmas mērķi` sheet; absent in registries read before it existed. */
  programmeTargets?: ProgrammeTarget[];
  settings: Settings;
}

export type Severity = 'error' | 'warning';

/** A user mistake, found by validation. Returned as a value, never thrown. */
export interface ValidationIssue {
  severity: Severity;
  code: string;
  sheet?: string;
  cell?: string;
  message: Bilingual;
  /** What was found (masked where it could be personal data). */
  found?: string;
  expected?: string;
  /**
   * The cell's value was refused as personal data: every copy that goes back (the annotated workbook) shows this
   * mask instead of the value, and `found` holds the mask too.
   */
  mask?: string;
}

/** An indicator value typed by the coordinator for this period. */
export interface TypedIndicatorValue {
  code: string;
  value: number;
  comment: string;
  lineage: CellRef;
}

/** A participant-based indicator computed from the participant rows of one submission. */
export interface DerivedIndicatorValue {
  code: string;
  /** Distinct qualifying participants in this submission. */
  value: number;
  /** Qualifying pseudonymous IDs; stays in the submissions store, never printed. */
  participantIds: string[];
  /** The ID cells of the qualifying rows (raw omitted). */
  lineage: CellRef[];
}

export interface ParticipantRecord {
  id: string;
  activity: Activity;
  start: IsoDate | null;
  end: IsoDate | null;
  levelStart: CefrLevel | null;
  levelEnd: CefrLevel | null;
  helpful: boolean | null;
  gender: Gender;
  ageBracket: AgeBracket;
  vulnerable: boolean | null;
  /** Row number on the participants sheet. */
  row: number;
}

export interface ExpenditureLine {
  /** The project's budget line, as the registry spells it (the upload may spell it differently). */
  category: string;
  /** Whole cents (see `money.ts`): money is never summed as binary fractions of a euro. */
  amountCents: number;
  lineage: CellRef;
}

export interface NarrativeText {
  text: string;
  lineage: CellRef;
}

export interface Narrative {
  achievements: NarrativeText | null;
  problems: NarrativeText | null;
  nextSteps: NarrativeText | null;
}

/** A typed person indicator's breakdown, from the `Sadalījums` / `Breakdown` sheet; its cells add up to the value. */
export interface TypedBreakdown {
  code: string;
  cells: { gender: Gender; age: AgeBracket; value: number; lineage: CellRef }[];
}

/**
 * The submission record schema written from now on. 4: participant IDs in today's canonical form (composed again
 * after case folding, `canonicalParticipantId`). 3: money in whole cents (`amountCents`), IDs folded without
 * composing them again. 2: euros as floats, IDs as written, gender and age profiles.
 */
export const SUBMISSION_SCHEMA_VERSION = 4;
/**
 * Every schema a reader accepts (`upgradeSubmission` reads each as the current one). Schema 1 had no gender and age
 * profiles: read as today's, its breakdowns would be missing without a word, so it is refused.
 */
export const SUBMISSION_SCHEMA_VERSIONS = [2, 3, 4] as const;

/** One accepted upload, normalised. */
export interface NormalisedSubmission {
  schemaVersion: typeof SUBMISSION_SCHEMA_VERSION;
  kind: 'submission';
  source: SourceRef;
  /** Registry version the submission was validated against. */
  registryVersion: string;
  /** Edition of the common indicator catalogues it was validated against. */
  catalogueVersion: string;
  projectId: string;
  period: string;
  /** Sheet name of the participants sheet as found (for lineage). */
  indicators: TypedIndicatorValue[];
  derived: DerivedIndicatorValue[];
  /**
   * How many participant rows were accepted. The rows themselves are not kept: only what the indicators need (the
   * qualifying pseudonyms per indicator) is stored — data minimisation, and a 100 000-row upload stays small.
   */
  participantRows: number;
  /**
   * Gender and age bracket per qualifying pseudonym (nothing else about the person is kept): the bracket of the
   * person's first activity in this submission.
   */
  profiles: Record<string, PersonProfile>;
  /** Breakdowns of typed person indicators. */
  breakdowns: TypedBreakdown[];
  expenditure: ExpenditureLine[];
  narrative: Narrative;
  warnings: ValidationIssue[];
}

/** Why an upload was refused. */
export interface Rejection {
  schemaVersion: 1;
  kind: 'rejection';
  source: SourceRef;
  projectId: string | null;
  period: string | null;
  issues: ValidationIssue[];
}
