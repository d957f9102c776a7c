/**
 * Every visible text of the PDF reports, in Latvian (the default) and English. Status and submission labels come
 * from `report-types.ts` so the PDF and the XLSX always name a status the same way.
 */
import {
  type IndicatorStatus,
  STATUS_LABELS,
  SUBMISSION_STATUS_LABELS,
  SUPERSEDED_FIGURE,
  type SubmissionStatus,
} from '../core/report-types';
import type { Bilingual, Fund, Lang, SpecificObjective } from '../core/types';

const TEXT = {
  // Shared
  fundLine: { lv: 'Patvēruma, migrācijas un integrācijas fonds', en: 'Asylum, Migration and Integration Fund' },
  period: { lv: 'Periods', en: 'Period' },
  revision: { lv: 'Redakcija', en: 'Revision' },
  generatedAt: { lv: 'Sagatavots', en: 'Generated' },
  rigaTime: { lv: 'Rīgas laiks', en: 'Riga time' },
  deadline: { lv: 'Iesniegšanas termiņš', en: 'Submission deadline' },
  notProvided: { lv: 'Nav sniegts.', en: 'Not provided.' },
  total: { lv: 'Kopā', en: 'Total' },
  project: { lv: 'Projekts', en: 'Project' },
  beneficiary: { lv: 'Finansējuma saņēmējs', en: 'Beneficiary' },
  code: { lv: 'Kods', en: 'Code' },
  name: { lv: 'Nosaukums', en: 'Name' },
  unit: { lv: 'Mērv.', en: 'Unit' },
  eligibleCost: { lv: 'Attiecināmās izmaksas', en: 'Eligible cost' },
  spentThisPeriod: { lv: 'Izlietots periodā', en: 'Spent this period' },
  spentCumulative: { lv: 'Izlietots kopā', en: 'Spent to date' },
  absorption: { lv: 'Finansējuma apguve', en: 'Absorption' },
  timeElapsed: { lv: 'Laika patēriņš', en: 'Time elapsed' },
  euShare: { lv: 't. sk. ES līdzfinansējums', en: 'of which EU co-financing' },
  euCoFinancing: { lv: 'ES līdzfinansējums', en: 'EU co-financing' },
  nationalShare: { lv: 't. sk. valsts finansējums', en: 'of which national funding' },
  statusLegendTitle: { lv: 'Statusu nozīme', en: 'What the statuses mean' },

  // Project report
  projectReportTitle: { lv: 'Progresa pārskats', en: 'Progress report' },
  projectId: { lv: 'Projekta ID', en: 'Project ID' },
  contractNo: { lv: 'Līguma Nr.', en: 'Contract No.' },
  fund: { lv: 'Fonds', en: 'Fund' },
  specificObjective: { lv: 'Specifiskais mērķis', en: 'Specific objective' },
  projectDates: { lv: 'Projekta īstenošana', en: 'Project duration' },
  submission: { lv: 'Iesniegums', en: 'Submission' },
  uploadedAt: { lv: 'augšupielādēts', en: 'uploaded' },
  summary: { lv: 'Kopsavilkums', en: 'Summary' },
  indicatorStatuses: { lv: 'Rādītāju statusi', en: 'Indicator statuses' },
  indicators: { lv: 'Rādītāji', en: 'Indicators' },
  baseline: { lv: 'Bāzes vērt.', en: 'Baseline' },
  target: { lv: 'Mērķis', en: 'Target' },
  thisPeriod: { lv: 'Periodā', en: 'This period' },
  cumulative: { lv: 'Kopā', en: 'To date' },
  percentOfTarget: { lv: '% no mērķa', en: '% of target' },
  expectedPercent: { lv: 'Sagaid. %', en: 'Expected %' },
  status: { lv: 'Statuss', en: 'Status' },
  forecast: { lv: 'Prognoze', en: 'Forecast' },
  charts: { lv: 'Progress laikā', en: 'Progress over time' },
  chartsIntro: {
    lv: 'Uzkrātā faktiskā vērtība pārskata periodu beigās salīdzinājumā ar lineāru plānu no bāzes vērtības projekta sākumā līdz mērķa vērtībai projekta beigās.',
    en: 'Cumulative actual value at the end of each reporting period, compared with a linear plan from the baseline at the project start to the target at the project end.',
  },
  noCharts: { lv: 'Nav rādītāju ar mērķa vērtību.', en: 'No indicator has a target.' },
  legendPlan: { lv: 'Plāns', en: 'Plan' },
  legendActual: { lv: 'Faktiski (uzkrāti)', en: 'Actual (cumulative)' },
  legendMilestone: { lv: 'Starpposma vērtība', en: 'Milestone' },
  finance: { lv: 'Finanses', en: 'Finance' },
  costCategory: { lv: 'Izmaksu kategorija', en: 'Cost category' },
  plannedEur: { lv: 'Plānots, EUR', en: 'Planned, EUR' },
  thisPeriodEur: { lv: 'Periodā, EUR', en: 'This period, EUR' },
  cumulativeEur: { lv: 'Kopā, EUR', en: 'To date, EUR' },
  percentOfPlanned: { lv: '% no plānotā', en: '% of planned' },
  narrative: { lv: 'Koordinatora komentārs', en: "Coordinator's narrative" },
  achievements: { lv: 'Sasniegumi', en: 'Achievements' },
  problems: { lv: 'Problēmas', en: 'Problems' },
  nextSteps: { lv: 'Nākamie soļi', en: 'Next steps' },
  warnings: { lv: 'Datu kvalitātes brīdinājumi', en: 'Data-quality warnings' },
  noWarnings: { lv: 'Brīdinājumu nav.', en: 'No warnings.' },
  location: { lv: 'Vieta', en: 'Location' },
  message: { lv: 'Ziņojums', en: 'Message' },
  lineage: { lv: 'Pielikums. Datu izcelsme', en: 'Appendix. Data lineage' },
  lineageIntro: {
    lv: 'Katrs pārskatā norādītais skaitlis un avota šūna, no kuras tas iegūts. Fails un versija identificē precīzu augšupielādēto objektu; pilnas SHA-256 vērtības ir pārskata manifestā. Dalībnieku identifikatori netiek drukāti: to šūnām vērtības vietā norādīts „(ID)”.',
    en: 'Every figure in this report and the source cell it comes from. File and version identify the exact uploaded object; the full SHA-256 values are in the report manifest. Participant identifiers are never printed: their cells show “(ID)” instead of a value.',
  },
  noLineage: { lv: 'Nav avota datu.', en: 'No source data.' },
  figure: { lv: 'Skaitlis', en: 'Figure' },
  file: { lv: 'Fails', en: 'File' },
  version: { lv: 'Versija', en: 'Version' },
  cell: { lv: 'Šūna', en: 'Cell' },
  uploaded: { lv: 'Augšupielādēts', en: 'Uploaded' },
  rawValue: { lv: 'Vērtība', en: 'Value' },
  participantCell: { lv: '(ID)', en: '(ID)' },
  financeFigure: { lv: 'izdevumi', en: 'expenditure' },
  expenditureEur: { lv: 'Izdevumi, EUR', en: 'Expenditure, EUR' },
  milestoneMark: { lv: 'Starpposma vērtība nav sasniegta', en: 'Milestone missed' },

  // Programme report
  programmeReportTitle: { lv: 'Programmas kopsavilkums', en: 'Programme summary' },
  completeness: { lv: 'Iesniegumu pilnīgums', en: 'Submission completeness' },
  programmeFinance: { lv: 'Programmas finanses', en: 'Programme finance' },
  projectsStatuses: { lv: 'Projekti un rādītāju statusi', en: 'Projects and indicator statuses' },
  submissionStatus: { lv: 'Iesniegums', en: 'Submission' },
  commonIndicators: { lv: 'Kopējie rādītāji (visi projekti)', en: 'Common indicators (all projects)' },
  projectsCount: { lv: 'Projekti', en: 'Projects' },
  financeTotals: { lv: 'Finanses pa projektiem', en: 'Finance by project' },
  eligibleCostEur: { lv: 'Attiecināmās, EUR', en: 'Eligible, EUR' },
  spentCumulativeEur: { lv: 'Izlietots, EUR', en: 'Spent, EUR' },
  absorptionShort: { lv: 'Apguve', en: 'Absorption' },
  elapsedShort: { lv: 'Laiks', en: 'Elapsed' },
  changes: { lv: 'Labots pārskats — izmaiņas', en: 'Corrected report — changes' },
  changesIntro: {
    lv: 'Skaitļi, kas mainījušies salīdzinājumā ar iepriekšējo šī perioda redakciju (vēlāk saņemtu labojumu dēļ).',
    en: 'Figures that changed since the previous revision of this period (because corrections arrived later).',
  },
  oldValue: { lv: 'Iepriekš', en: 'Before' },
  newValue: { lv: 'Tagad', en: 'Now' },
  difference: { lv: 'Starpība', en: 'Difference' },
  none: { lv: 'nav', en: 'none' },
} satisfies Record<string, Bilingual>;

/** A key of the label dictionary. */
export type LabelKey = keyof typeof TEXT;

/** The label for `key` in `lang`. */
export function label(lang: Lang, key: LabelKey): string {
  return TEXT[key][lang];
}

/** A bilingual value in the report language. */
export function pick(text: Bilingual, lang: Lang): string {
  return text[lang];
}

/** Footer page numbering: `Lapa 3 no 12` / `Page 3 of 12`. */
export function pageOf(lang: Lang, page: number, pages: number): string {
  return lang === 'lv' ? `Lapa ${page} no ${pages}` : `Page ${page} of ${pages}`;
}

/** Indicator status label, from the shared table. */
export function statusLabel(lang: Lang, status: IndicatorStatus): string {
  return STATUS_LABELS[status][lang];
}

/** Submission status label, from the shared table. */
export function submissionLabel(lang: Lang, status: SubmissionStatus): string {
  return SUBMISSION_STATUS_LABELS[status][lang];
}

/** What each status means, mirroring the rule in DESIGN §5 (expected = elapsed share of the project). */
const STATUS_RULES: Record<IndicatorStatus, Bilingual> = {
  achieved: { lv: 'uzkrātā vērtība ≥ 100 % no mērķa', en: 'cumulative value ≥ 100% of target' },
  'on-track': { lv: 'izpilde ≥ 90 % no sagaidāmās', en: 'achievement ≥ 90% of expected' },
  'at-risk': { lv: 'izpilde ≥ 60 % no sagaidāmās', en: 'achievement ≥ 60% of expected' },
  behind: { lv: 'izpilde < 60 % no sagaidāmās', en: 'achievement < 60% of expected' },
  'not-achieved': {
    lv: 'projekta pēdējā periodā vai vēlāk: uzkrātā vērtība < 100 % no mērķa',
    en: "from the project's last period on: cumulative value < 100% of target",
  },
  'no-target': { lv: 'mērķa vērtība nav noteikta', en: 'no target value set' },
};

/** One legend line: the rule behind a status. */
export function statusRule(lang: Lang, status: IndicatorStatus): string {
  return STATUS_RULES[status][lang];
}

/** Note under the legend explaining "expected". */
export function expectedNote(lang: Lang): string {
  return lang === 'lv'
    ? 'Sagaidāmā izpilde = projekta laika patēriņš perioda beigās.'
    : 'Expected = share of the project duration elapsed at the period end.';
}

/** Summary sentence on spending; amounts come formatted. */
export function spentSentence(lang: Lang, cumulative: string, eligible: string, thisPeriod: string): string {
  return lang === 'lv'
    ? `Izlietots kopā ${cumulative} no ${eligible}, t. sk. šajā periodā ${thisPeriod}.`
    : `Spent to date ${cumulative} of ${eligible}, of which ${thisPeriod} this period.`;
}

/**
 * Absorption compared with time elapsed. `direction` is the sign of absorption minus elapsed (0 when equal at the
 * precision shown); `points` the formatted difference in percentage points.
 */
export function absorptionSentence(lang: Lang, direction: number, points: string): string {
  if (direction === 0)
    return lang === 'lv' ? 'Apguve atbilst laika patēriņam.' : 'Absorption matches the time elapsed.';
  if (lang === 'lv') {
    return `Apguve ${direction < 0 ? 'atpaliek no' : 'apsteidz'} laika patēriņu par ${points} procentpunktiem.`;
  }
  return `Absorption is ${points} percentage points ${direction < 0 ? 'behind' : 'ahead of'} the time elapsed.`;
}

/**
 * Footnote for an indicator whose milestone date passed unmet, with the cumulative value reported at the last period
 * end on or before that date when there is one; values come formatted.
 */
export function milestoneFootnote(
  lang: Lang,
  mark: string,
  code: string,
  milestone: string,
  date: string,
  atDue: { value: string; date: string } | null,
  metIn: string | null = null,
): string {
  if (lang === 'lv') {
    const then = atDue ? ` (${atDue.date} uzkrāti ${atDue.value})` : '';
    const later = metIn ? ` Sasniegta vēlāk: ${metIn}.` : '';
    return `${mark} ${code}: starpposma vērtība ${milestone} līdz ${date} nav sasniegta noteiktajā datumā${then}.${later}`;
  }
  const then = atDue ? ` (${atDue.value} at ${atDue.date})` : '';
  const later = metIn ? ` Met later, in ${metIn}.` : '';
  return `${mark} ${code}: milestone of ${milestone} by ${date} missed on its date${then}.${later}`;
}

const FUNDS: Record<Fund, Bilingual> = {
  'AMIF-2021-2027': {
    lv: 'Patvēruma, migrācijas un integrācijas fonds 2021–2027',
    en: 'Asylum, Migration and Integration Fund 2021–2027',
  },
  'AMIF-2014-2020': {
    lv: 'Patvēruma, migrācijas un integrācijas fonds 2014–2020',
    en: 'Asylum, Migration and Integration Fund 2014–2020',
  },
  ESF: { lv: 'Eiropas Sociālais fonds', en: 'European Social Fund' },
  OTHER: { lv: 'Cits finansējums', en: 'Other funding' },
};

/** Fund name for the cover. */
export function fundLabel(lang: Lang, fund: Fund): string {
  return FUNDS[fund]?.[lang] ?? fund;
}

const OBJECTIVES: Record<SpecificObjective, Bilingual> = {
  SO1: { lv: 'Kopējā Eiropas patvēruma sistēma', en: 'Common European Asylum System' },
  SO2: { lv: 'Legālā migrācija un integrācija', en: 'Legal migration and integration' },
  SO3: { lv: 'Atgriešana', en: 'Return' },
  SO4: { lv: 'Solidaritāte un atbildības dalīšana', en: 'Solidarity and responsibility sharing' },
};

/** Specific objective with its name: `SO2 — Legālā migrācija un integrācija`. */
export function objectiveLabel(lang: Lang, objective: SpecificObjective): string {
  const name = OBJECTIVES[objective]?.[lang];
  return name ? `${objective} — ${name}` : objective;
}

/** A lineage `figure` for print: finance figures are stored as `finance:<category>`. */
export function figureLabel(lang: Lang, figure: string): string {
  if (figure === SUPERSEDED_FIGURE) return lang === 'lv' ? 'Aizstāts (nav skaitīts)' : 'Superseded (not counted)';
  return figure.startsWith('finance:') ? `${label(lang, 'financeFigure')}: ${figure.slice(8)}` : figure;
}

/** A changed figure for the programme's change list: an indicator code, or `finance` for spending. */
export function changeFigureLabel(lang: Lang, figure: string): string {
  return figure === 'finance' ? label(lang, 'expenditureEur') : figure;
}
