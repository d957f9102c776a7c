/**
 * The reports' visual constants: a restrained palette (dark blue headings, grey rules) and the type scale.
 * Indicator status colours come from `STATUS_COLOURS` in report-types.ts, shared with the XLSX.
 */
import { STATUS_COLOURS, type SubmissionStatus } from '../core/report-types';

/** Colours as `#RRGGBB`. */
export const COLOURS = {
  heading: '#1F3864',
  text: '#1A1A1A',
  muted: '#5F6B7A',
  rule: '#BFC5CD',
  lightRule: '#DDE1E6',
  headerFill: '#E3E8EF',
  zebra: '#F4F6F9',
  track: '#E6E9EE',
  elapsed: '#8FA3BF',
  absorption: '#1F3864',
  plan: '#8FA3BF',
  actual: '#1F3864',
  milestone: '#B26B00',
  white: '#FFFFFF',
} as const;

/** Font sizes in points. */
export const SIZES = {
  coverKicker: 8,
  coverTitle: 22,
  coverSubtitle: 12,
  coverProject: 14,
  section: 13,
  subsection: 10,
  body: 9,
  small: 8,
  table: 7.5,
  tableDense: 7,
  footer: 7.5,
} as const;

/** `#`-prefixed colour from a bare hex such as `STATUS_COLOURS` values. */
export function hex(colour: string): string {
  return colour.startsWith('#') ? colour : `#${colour}`;
}

/** Dark or white text, whichever reads better on `fill` (amber needs dark text, deep red needs white). */
export function textOn(fill: string): string {
  const h = hex(fill).slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16) / 255) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.55 ? COLOURS.text : COLOURS.white;
}

/** Submission status colours, on the same traffic-light scale as the indicator statuses. */
export const SUBMISSION_COLOURS: Record<SubmissionStatus, string> = {
  'on-time': STATUS_COLOURS['on-track'],
  late: STATUS_COLOURS['at-risk'],
  missing: STATUS_COLOURS.behind,
};
