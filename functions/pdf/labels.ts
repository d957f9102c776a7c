/**
 * Every visible text of the PDF reports, in Latvian (the default) and English. Status and submission labels come
 * from `report-types.ts` so the PDF and the XLSX always name a status the same way.
 */

import { LABELS, type LabelKey } from '../core/labels';
import {
  type IndicatorStatus,
  STATUS_LABELS,
  SUBMISSION_STATUS_LABELS,
  SUPERSEDED_FIGURE,
  type SubmissionStatus,
} from '../core/report-types';
import type { Bilingual, Fund, Lang, SpecificObjective } from '../core/types';

export type { LabelKey };

/** The label for `key` in `lang`. */
export function label(lang: Lang, key: LabelKey): string {
  return LABELS[key][lang];
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

/** What each status means, mirroring the rule in docs/architecture.md §5 (expected = elapsed share of the project). */
const STATUS_RULES: Record<IndicatorStatus, Bilingual> = {
  achieved: { lv: 'kumulatīvā vērtība ≥ 100 % no mērķa', en: 'cumulative value ≥ 100% of target' },
  'on-track': { lv: 'izpilde ≥ 90 % no sagaidāmās', en: 'achievement ≥ 90% of expected' },
  'at-risk': { lv: 'izpilde ≥ 60 % no sagaidāmās', en: 'achievement ≥ 60% of expected' },
  behind: { lv: 'izpilde < 60 % no sagaidāmās', en: 'achievement < 60% of expected' },
  'not-achieved': {
    lv: 'projekta pēdējā periodā vai vēlāk: kumulatīvā vērtība < 100 % no mērķa',
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
    ? 'Sagaidāmā izpilde = pagājusī projekta īstenošanas laika daļa perioda beigās.'
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
    return lang === 'lv' ? 'Finansējuma apguve atbilst pagājušajam laikam.' : 'Absorption matches the time elapsed.';
  if (lang === 'lv') {
    return `Finansējuma apguve ${direction < 0 ? 'atpaliek no pagājušā laika' : 'apsteidz pagājušo laiku'} par ${points} procentpunktiem.`;
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
    const then = atDue ? ` (${atDue.date} kumulatīvi ${atDue.value})` : '';
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

/** After the ranges a figure cites in print: how many more there are, and where. */
export function moreRanges(lang: Lang, count: string, n: number): string {
  if (lang === 'en') return `and ${count} more range${n === 1 ? '' : 's'} (sheet “Lineage” of the XLSX)`;
  // Latvian plural: 1, 21, 31… (not 11) take the singular.
  const one = n % 10 === 1 && n % 100 !== 11;
  return `un vēl ${count} ${one ? 'diapazons' : 'diapazoni'} (XLSX lapā „Izcelsme”)`;
}

/** After the projects a cover box names: how many more there are, and where every project is listed. */
export function moreProjects(lang: Lang, count: string): string {
  const table = label(lang, 'projectsStatuses');
  return lang === 'lv'
    ? `… un vēl ${count} (visi — tabulā „${table}”)`
    : `… and ${count} more (all in the table “${table}”)`;
}

/** Where the cell-level lineage is, under the compact appendix. */
export function lineageWhere(lang: Lang, cells: string): string {
  return lang === 'lv'
    ? `Katra šūna atsevišķi (kopā ${cells}) ar tās vērtību ir uzskaitīta šī pārskata XLSX datnes lapā „Izcelsme”; katras avota datnes versija un SHA-256, kā arī normalizētais ieraksts ir pārskata redakcijas manifestā (manifest.json).`
    : `Each cell on its own (${cells} in all), with its value, is listed on the sheet “Lineage” of this report's XLSX file; every source file's version and SHA-256 and its normalised record are in the revision's manifest (manifest.json).`;
}

/** A lineage `figure` for print: finance figures are stored as `finance:<category>`. */
export function figureLabel(lang: Lang, figure: string): string {
  if (figure === SUPERSEDED_FIGURE) return lang === 'lv' ? 'Aizstāts (netiek ņemts vērā)' : 'Superseded (not counted)';
  return figure.startsWith('finance:') ? `${label(lang, 'financeFigure')}: ${figure.slice(8)}` : figure;
}

/** A changed figure for the programme's change list: an indicator code, or `finance` for spending. */
export function changeFigureLabel(lang: Lang, figure: string): string {
  return figure === 'finance' ? label(lang, 'expenditureEur') : figure;
}
