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
