/**
 * Every fixed word of the outputs, in Latvian and English: one table (data, `templates/labels.json`) for the PDF
 * reports, the XLSX reports and the e-mails, so a label reads the same wherever it says the same thing and a
 * translator reviews it in one place. Where an output needs other words (a short column header in the PDF, full words
 * in the XLSX), it has its own key. The e-mails' two message columns are headed each in its own language.
 */
import labels from '../../templates/labels.json' with { type: 'json' };
import type { Bilingual } from './types';

export const LABELS = labels satisfies Record<string, Bilingual>;

/** A key of the label table. */
export type LabelKey = keyof typeof LABELS;

/** How the reports and mails name an indicator's status (PDF, XLSX and mail alike), keyed by the status. */
export const STATUS_LABELS = {
  achieved: LABELS.statusAchieved,
  'on-track': LABELS.statusOnTrack,
  'at-risk': LABELS.statusAtRisk,
  behind: LABELS.statusBehind,
  'not-achieved': LABELS.statusNotAchieved,
  'no-target': LABELS.statusNoTarget,
} as const satisfies Record<string, Bilingual>;

/** How they name whether a project's submission came in time, keyed by the submission status. */
export const SUBMISSION_STATUS_LABELS = {
  'on-time': LABELS.submittedOnTime,
  late: LABELS.submittedLate,
  missing: LABELS.submissionMissing,
} as const satisfies Record<string, Bilingual>;
