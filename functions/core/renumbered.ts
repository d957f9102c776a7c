/**
 * Codes whose meaning moved when the catalogues were aligned with the legal texts. A workbook filled in from an
 * older template may still use them; it gets an error that says what the code is now, never a silent re-mapping
 * (a figure typed for one indicator must not be counted as another).
 */
import { normaliseName } from './names';

export interface MovedCode {
  /** The code the figure belongs under now (or the place it moved to). */
  now: string;
  why: 'renumbered' | 'replaced' | 'programme-specific';
}

/** Old names that identify a moved meaning, as folded text fragments (English and Latvian). */
const OLD_MEANING: Record<string, { words: string[]; now: string }> = {
  'R.4.4': { words: ['transferred', 'parvietot'], now: 'R.4.3' },
  'R.4.5': { words: ['resettled', 'parmitinat'], now: 'R.4.4' },
};

/** Annex VIII numbers the SO4 results R.4.3–R.4.5; the old catalogue had R.4.4–R.4.6. */
const GONE: Record<string, MovedCode> = {
  'R.4.6': { now: 'R.4.5', why: 'renumbered' },
  // 2014-2020: the old invented codes and their Annex IV items.
  'SO1.C1': { now: 'C1', why: 'replaced' },
  'SO1.C2.1': { now: 'C2.1', why: 'replaced' },
  'SO1.C3': { now: 'IV-a-iii', why: 'replaced' },
  'SO2.C1': { now: 'IV-b-i', why: 'replaced' },
  'SO2.C2': { now: 'IV-b-ii', why: 'replaced' },
  'SO2.C3': { now: 'IV-b-iii', why: 'replaced' },
  'SO3.C1': { now: 'IV-c-i', why: 'replaced' },
  'SO3.C2': { now: 'IV-c-ii', why: 'replaced' },
  'SO3.C3': { now: 'IV-c-iii', why: 'replaced' },
  'SO3.C4': { now: 'IV-c-iii', why: 'replaced' },
  'SO3.C5': { now: 'IV-c-iv', why: 'replaced' },
  'SO2.N1': { now: 'Rādītāji / Indicators', why: 'programme-specific' },
  'SO2.N2': { now: 'Rādītāji / Indicators', why: 'programme-specific' },
};

/**
 * Is this code (as found, normalised) one whose meaning moved? `typedName` is the informative name typed beside it,
 * which tells an old R.4.4/R.4.5 from the current one.
 */
export function movedCode(normalisedCode: string, typedName = ''): MovedCode | null {
  const gone = GONE[normalisedCode];
  if (gone) return gone;
  const old = OLD_MEANING[normalisedCode];
  if (!old) return null;
  const name = normaliseName(typedName);
  return old.words.some((w) => name.includes(w)) ? { now: old.now, why: 'renumbered' } : null;
}
