/**
 * One person, one ID (docs/architecture.md §4.2). Participant IDs are typed by hand, pasted from other systems and exported by
 * web tools, so the same pseudonym arrives as `O-17`, `o-17`, `O-17` + a zero-width space or with a no-break
 * space. They are compared in a canonical form, so such variants count as one person.
 */

const PLAIN = /^[!-~]*$/;

/** Invisible and bidirectional formatting characters: zero-width spaces and joiners, BOM, LRM/RLM, isolates. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * The canonical form of a participant ID: Unicode NFKC (full-width letters and digits, no-break spaces);
 * invisible and bidirectional characters removed; outer whitespace trimmed and inner whitespace collapsed to one
 * space; case folded (to upper case), and composed again by NFKC: case mapping can leave a letter decomposed
 * (lower-case ΐ upper-cases to Ι, diaeresis, acute, where NFKC writes Ϊ, acute), and the same ID typed in capitals
 * must give the same form. So the form is its own canonical form: folding it again changes nothing.
 */
export function canonicalParticipantId(raw: string): string {
  // Printable ASCII without spaces, the usual pseudonym, has nothing to normalise: 100 000 rows stay cheap.
  if (PLAIN.test(raw)) return raw.toUpperCase();
  // Case is folded to upper (through lower, so ß and ẞ agree): usual pseudonyms keep their spelling.
  const folded = raw.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim().toLowerCase().toUpperCase();
  return folded.normalize('NFKC');
}

/** True when the text holds a character a reader cannot see (it is then shown with `showInvisible`). */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text) || /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/u.test(text);
}

/**
 * The text with every invisible character, and every space other than the plain one, made visible as its code
 * point (`O.2.3.1⟨U+200B⟩`), so a message about a found value shows what is actually in the cell.
 */
export function showInvisible(text: string): string {
  return text.replace(
    /[\p{Cf}\p{Default_Ignorable_Code_Point}\u00a0\u2000-\u200a\u202f\u205f\u3000]/gu,
    (ch) => `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}

/** A group of rows whose IDs differ as written but are one person in canonical form. */
export interface IdVariantGroup {
  canonical: string;
  rows: number[];
}

/**
 * The IDs written in more than one way: each such person with the rows of every spelling, in the order each person
 * first appears. Nearly every sheet has none, so the first pass keeps one spelling per person and nothing per row;
 * rows are gathered in a second pass, only for the persons that need them.
 */
export function participantIdVariants(entries: readonly { id: string; row: number }[]): IdVariantGroup[] {
  const firstSpelling = new Map<string, string>();
  const varied = new Set<string>();
  for (const e of entries) {
    const key = canonicalParticipantId(e.id);
    const first = firstSpelling.get(key);
    if (first === undefined) firstSpelling.set(key, e.id);
    else if (first !== e.id) varied.add(key);
  }
  if (varied.size === 0) return [];
  const rows = new Map<string, number[]>();
  for (const key of firstSpelling.keys()) if (varied.has(key)) rows.set(key, []);
  for (const e of entries) rows.get(canonicalParticipantId(e.id))?.push(e.row);
  return [...rows].map(([canonical, list]) => ({ canonical, rows: [...new Set(list)].sort((a, b) => a - b) }));
}
