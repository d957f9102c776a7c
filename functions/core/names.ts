/**
 * Matching sheet and column names the way people type them: case-, space- and diacritic-insensitive,
 * so `PROJEKTA  id`, `Projekta Id` and `projekta_id` all find `Projekta ID`.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_\u00a0\u202f]+/g, ' ')
    .replace(/\s*([,.%/:()-])\s*/g, '$1')
    .replace(/[.:]+$/, '')
    .trim();
}

/** True when `candidate` names the same thing as one of `names`. */
export function nameMatches(candidate: string, names: readonly string[]): boolean {
  const n = normaliseName(candidate);
  return n.length > 0 && names.some((x) => normaliseName(x) === n);
}
