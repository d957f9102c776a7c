/**
 * The Art. 42 data transmission (CPR 2021/1060 Art. 42(2)(b), Annex VII Tables 7 and 11): the cumulative values of
 * every Annex VIII indicator at a cut-off (31 December or 30 June), for AMIF 2021-2027 projects.
 *
 * Values achieved: each project's cumulative value at the cut-off (unique persons within the project), summed over
 * every project that started on or before the cut-off; a project that has ended contributes its final value.
 * Planned values: the sum of the selected projects' targets. Milestone, target and baseline: the registry's
 * programme targets, blank when it has none.
 */
import { aggregateIndicator, submissionsInForce } from './aggregate';
import { type Breakdown, personBreakdown, sumBreakdowns } from './breakdown';
import { buildCatalogue, displayName, isPersonIndicator, normaliseCode } from './catalogue';
import { periodFromKey, periodStart, submissionDeadline } from './period';
import { submissionStatus } from './report-model';
import {
  AGE_BRACKETS,
  type Bilingual,
  GENDERS,
  type IndicatorDef,
  type IsoDate,
  type NormalisedSubmission,
  type Project,
  type Registry,
  type SpecificObjective,
} from './types';

/** Thrown for a cut-off that is not 30 June or 31 December: indicators are transmitted for those only. */
export class CutoffError extends Error {
  constructor(readonly cutoff: string) {
    super(
      `"${cutoff}" nav rādītāju nosūtīšanas datums: derīgi ir tikai GGGG-06-30 un GGGG-12-31 (KNR 42. pants). / ` +
        `"${cutoff}" is not an indicator cut-off: only YYYY-06-30 and YYYY-12-31 are (CPR Art. 42).`,
    );
    this.name = 'CutoffError';
  }
}

/** The quarter a valid cut-off closes (`2025-12-31` → `2025-Q4`); throws {@link CutoffError} otherwise. */
export function cutoffPeriod(cutoff: string): string {
  const m = /^(\d{4})-(06-30|12-31)$/.exec(cutoff);
  if (!m) throw new CutoffError(cutoff);
  return `${m[1]}-Q${m[2] === '06-30' ? 2 : 4}`;
}

export type TransmissionRowKind = 'indicator' | 'of-which' | 'gender' | 'age';

export interface TransmissionRow {
  /** Annex VII table: 7 = outputs, 11 = results. */
  table: 7 | 11;
  specificObjective: SpecificObjective;
  /** The ID column: an "of which" item and every breakdown row keep the top indicator's ID. */
  id: string;
  /** The indicator the row's values belong to. */
  code: string;
  kind: TransmissionRowKind;
  name: Bilingual;
  /** The "Indicator breakdown (of which)" column; null on the indicator's own row. */
  breakdown: Bilingual | null;
  unit: Bilingual;
  baseline: number | null;
  milestone2024: number | null;
  target2029: number | null;
  /** Null on gender and age rows (targets are not broken down). */
  planned: number | null;
  achieved: number;
  comments: Bilingual | null;
}

export interface TransmissionModel {
  cutoff: IsoDate;
  /** The quarter the cut-off closes. */
  period: string;
  revision: number;
  generatedAt: string;
  /** Projects whose values are summed (AMIF 2021-2027, started on or before the cut-off). */
  projectIds: string[];
  /** Of those active in the cut-off quarter, whose submission for it is late or missing. */
  lateOrMissing: { id: string; status: 'late' | 'missing' }[];
  rows: TransmissionRow[];
}

const GENDER_NAMES: Record<(typeof GENDERS)[number], Bilingual> = {
  female: { lv: 'sievietes', en: 'female' },
  male: { lv: 'vīrieši', en: 'male' },
  other: { lv: 'cits dzimums', en: 'other gender' },
  unknown: { lv: 'dzimums nav zināms', en: 'gender not known' },
};
const AGE_NAMES: Record<(typeof AGE_BRACKETS)[number], Bilingual> = {
  '<18': { lv: 'vecums <18', en: 'age <18' },
  '18-60': { lv: 'vecums 18-60', en: 'age 18-60' },
  '>60': { lv: 'vecums >60', en: 'age >60' },
  '18+': { lv: 'vecums 18+ nesadalīts', en: 'age 18+ not split' },
  unknown: { lv: 'vecums nav zināms', en: 'age not known' },
};

export const TRANSMISSION_NOTE: Bilingual = {
  lv: 'Sasniegtās vērtības: kumulatīvi uz nosūtīšanas datumu, unikālas personas katrā projektā, summētas pār visiem AMIF 2021-2027 projektiem, kas sākušies līdz šim datumam (pabeigts projekts dod savu gala vērtību). Plānotās vērtības: atlasīto projektu mērķu summa.',
  en: 'Values achieved: cumulative at the cut-off, unique persons within each project, summed across every AMIF 2021-2027 project that started on or before the cut-off (a project that has ended contributes its final value). Planned values: the sum of the selected projects’ targets.',
};

interface ProjectFigures {
  project: Project;
  cumulative: Map<string, number>;
  breakdowns: Map<string, Breakdown>;
}

function projectFigures(
  project: Project,
  defs: readonly IndicatorDef[],
  submissions: readonly NormalisedSubmission[],
  period: string,
): ProjectFigures {
  const history = submissionsInForce(
    submissions.filter((s) => s.projectId === project.id),
    period,
  );
  const cumulative = new Map<string, number>();
  const breakdowns = new Map<string, Breakdown>();
  for (const def of defs) {
    cumulative.set(def.code, aggregateIndicator(def, history, period).cumulative);
    if (isPersonIndicator(def)) breakdowns.set(def.code, personBreakdown(def, history, period));
  }
  return { project, cumulative, breakdowns };
}

const names = (def: IndicatorDef): Bilingual => ({ lv: displayName(def, 'lv'), en: displayName(def, 'en') });

/** The late-or-missing comment of one specific objective's indicator rows. */
function comment(
  so: SpecificObjective,
  model: Pick<TransmissionModel, 'lateOrMissing' | 'period'>,
  registry: Registry,
) {
  const of = (status: 'late' | 'missing') =>
    model.lateOrMissing
      .filter((p) => p.status === status && registry.projects.find((r) => r.id === p.id)?.specificObjective === so)
      .map((p) => p.id);
  const missing = of('missing');
  const late = of('late');
  if (missing.length === 0 && late.length === 0) return null;
  const lv: string[] = [];
  const en: string[] = [];
  if (missing.length > 0) {
    lv.push(`${model.period} iesniegums nav saņemts: ${missing.join(', ')}`);
    en.push(`${model.period} submission missing: ${missing.join(', ')}`);
  }
  if (late.length > 0) {
    lv.push(`${model.period} iesniegums saņemts novēloti: ${late.join(', ')}`);
    en.push(`${model.period} submission late: ${late.join(', ')}`);
  }
  return { lv: lv.join('; '), en: en.join('; ') };
}

export interface TransmissionInputs {
  registry: Registry;
  submissions: readonly NormalisedSubmission[];
  cutoff: IsoDate;
  revision: number;
  generatedAt: string;
}

export function buildTransmission(inputs: TransmissionInputs): TransmissionModel {
  const { registry, cutoff } = inputs;
  const period = cutoffPeriod(cutoff);
  const catalogue = buildCatalogue(registry.indicators);
  const defs = catalogue.all.filter((d) => d.catalogue === 'AMIF-2021-2027');
  const selected = registry.projects.filter((p) => p.fund === 'AMIF-2021-2027');
  const started = selected.filter((p) => p.start <= cutoff);
  const figures = started.map((p) => projectFigures(p, defs, inputs.submissions, period));
  const deadline = submissionDeadline(periodFromKey(period), registry.settings.deadlineDays);
  const quarterStart = periodStart(periodFromKey(period));
  const lateOrMissing: TransmissionModel['lateOrMissing'] = [];
  for (const p of started) {
    // Only a project still running in the cut-off quarter owes a submission for it.
    if (p.end < quarterStart) continue;
    const history = submissionsInForce(
      inputs.submissions.filter((s) => s.projectId === p.id),
      period,
    );
    const status = submissionStatus(history, period, deadline);
    if (status !== 'on-time') lateOrMissing.push({ id: p.id, status });
  }
  const head = { cutoff, period, revision: inputs.revision, generatedAt: inputs.generatedAt, lateOrMissing };
  const rows: TransmissionRow[] = [];
  for (const def of defs) rows.push(...indicatorRows(def, catalogue.get, registry, selected, figures, head));
  return { ...head, projectIds: started.map((p) => p.id), rows };
}

function indicatorRows(
  def: IndicatorDef,
  get: (code: string) => IndicatorDef | undefined,
  registry: Registry,
  selected: readonly Project[],
  figures: readonly ProjectFigures[],
  head: Pick<TransmissionModel, 'lateOrMissing' | 'period'>,
): TransmissionRow[] {
  const parent = def.breakdownOf ? get(def.breakdownOf) : undefined;
  const top = parent ?? def;
  const so = def.specificObjective ?? 'SO1';
  const frame = (registry.programmeTargets ?? []).find(
    (t) => normaliseCode(t.indicatorCode) === normaliseCode(def.code),
  );
  const selectedIds = new Set(selected.map((p) => p.id));
  const planned = registry.targets
    .filter((t) => selectedIds.has(t.projectId) && normaliseCode(t.indicatorCode) === normaliseCode(def.code))
    .reduce((n, t) => n + t.target, 0);
  const achieved = figures.reduce((n, f) => n + (f.cumulative.get(def.code) ?? 0), 0);
  const base: TransmissionRow = {
    table: def.type === 'result' ? 11 : 7,
    specificObjective: so,
    id: top.code,
    code: def.code,
    kind: parent ? 'of-which' : 'indicator',
    name: names(top),
    breakdown: parent ? def.name : null,
    unit: def.unit,
    baseline: def.type === 'result' ? (frame?.baseline ?? null) : null,
    milestone2024: def.type === 'result' ? null : (frame?.milestone2024 ?? null),
    target2029: frame?.target2029 ?? null,
    planned,
    achieved,
    comments: comment(so, head, registry),
  };
  const rows = [base];
  if (!isPersonIndicator(def)) return rows;
  const b = sumBreakdowns(figures.map((f) => f.breakdowns.get(def.code)!).filter(Boolean));
  const of = (label: Bilingual): Bilingual =>
    parent ? { lv: `${def.name.lv}: ${label.lv}`, en: `${def.name.en}: ${label.en}` } : label;
  const empty = { baseline: null, milestone2024: null, target2029: null, planned: null, comments: null };
  for (const g of GENDERS) {
    const n = AGE_BRACKETS.reduce((sum, a) => sum + b.counts[g][a], 0);
    rows.push({ ...base, ...empty, kind: 'gender', breakdown: of(GENDER_NAMES[g]), achieved: n });
  }
  for (const a of AGE_BRACKETS) {
    const n = GENDERS.reduce((sum, g) => sum + b.counts[g][a], 0);
    rows.push({ ...base, ...empty, kind: 'age', breakdown: of(AGE_NAMES[a]), achieved: n });
  }
  return rows;
}

/** The figures a later revision is compared against: every cell that carries a value, by row. */
export function transmissionFigures(model: TransmissionModel): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const r of model.rows) {
    out[`${r.code}|${r.kind}|${r.breakdown?.en ?? ''}`] = [
      r.baseline,
      r.milestone2024,
      r.target2029,
      r.planned,
      r.achieved,
      r.comments?.en ?? null,
      r.name.lv,
    ];
  }
  return out;
}
