/**
 * The gender and age-group cells of participant and breakdown rows (docs/architecture.md §4.2), as people type them.
 * Latvian and English words, the old one-letter codes, and the age brackets with any dash or spacing.
 */
import type { AgeBracket, Gender } from './types';

const GENDER_WORDS: Record<string, Gender> = {
  sieviete: 'female',
  female: 'female',
  s: 'female',
  f: 'female',
  vīrietis: 'male',
  virietis: 'male',
  male: 'male',
  v: 'male',
  m: 'male',
  cits: 'other',
  other: 'other',
  x: 'other',
  'nav zināms': 'unknown',
  'nav zinams': 'unknown',
  'not known': 'unknown',
  unknown: 'unknown',
};

/** `null` when the text is not a gender value; an empty cell is `unknown` (not known). */
export function parseGender(text: string): Gender | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!t) return 'unknown';
  return GENDER_WORDS[t] ?? null;
}

/**
 * `null` when the text is not an age bracket; empty is `unknown`. `18+` is the old template's unsplit adult
 * bracket: accepted (the caller warns) and kept apart, never guessed into 18-60 or >60.
 */
export function parseAgeBracket(text: string): AgeBracket | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, '');
  if (!t) return 'unknown';
  if (t === '<18' || t === '0-17') return '<18';
  if (t === '18-60') return '18-60';
  if (t === '>60' || t === '61+') return '>60';
  if (t === '18+' || t === '>=18' || t === '≥18') return '18+';
  if (t === 'navzināms' || t === 'navzinams' || t === 'notknown' || t === 'unknown') return 'unknown';
  return null;
}
