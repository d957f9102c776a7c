/**
 * The personal-data guard (docs/architecture.md §4.2, §7): does a participant ID look like a personal code, an e-mail address
 * or a person's name? Participant IDs must be pseudonyms (`P-0001`, `PM-D-001`, `LV-0001`, `IOM-0001`, `A12`,
 * `KM/2024/17`); anything else is refused and its value replaced by a mask wherever it would be shown.
 *
 * Values are judged after undoing the disguises found in real uploads: full-width and other-script digits,
 * dots, dashes of every kind, no-break hyphens and invisible characters between the digits, `(at)` and `＠`,
 * capitals or lower case, "Surname, Name" and initials.
 */

/** What a refused value looked like, and the mask shown instead of it. */
export type PersonalDataKind = 'personal-code' | 'email' | 'name';

export const PERSONAL_DATA_MASKS: Record<PersonalDataKind, string> = {
  'personal-code': '######-#####',
  email: '***@***',
  name: '*** ***',
};

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  mask: string;
}

const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** Digit value of any Unicode decimal digit (Arabic-Indic ٣, Devanagari ३, …): its place in its run of ten. */
function digitValue(ch: string): number {
  let code = ch.codePointAt(0)!;
  let offset = 0;
  // Decimal digits are encoded in runs starting at zero; walk back to the run's start.
  while (offset < 60 && /\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
    code--;
    offset++;
  }
  return offset % 10;
}

/** NFKC, invisible characters dropped, every decimal digit as ASCII. */
function unmask(value: string): string {
  // Printable ASCII has no other digits and nothing NFKC changes (most pseudonyms: skip the work).
  if (/^[ -~]*$/.test(value)) return value;
  return value
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\p{Nd}/gu, (d) => (d >= '0' && d <= '9' ? d : String(digitValue(d))));
}

/**
 * A personal code, old (`DDMMYY-CNNNN`) or new (`32NNNN-NNNNN`) form: eleven digits in one run, whatever
 * separators (spaces, dots, slashes, any dash) stand between them. Eleven digits in one run are refused even when
 * the date part is not a date: no pseudonym scheme needs them, and a mistyped code is still a code.
 */
function isPersonalCode(text: string): boolean {
  // Fewer than eleven digits in all cannot hold a code (the common case, answered without a regular expression).
  let digits = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) digits++;
  if (digits < 11) return false;
  const runs = text.match(/\d(?:[\s\p{Pd}\p{Zs}\u2212.,/_'’·:]*\d)*/gu) ?? [];
  return runs.some((run) => run.replace(/\D/g, '').length === 11);
}

/** `(at)`, `[at]`, `{at}`, ` at ` + ` dot ` and the like written out as the characters they stand for. */
function undisguiseEmail(text: string): string {
  return text
    .replace(/\s*[([{<]\s*(?:at|et|@)\s*[)\]}>]\s*/giu, '@')
    .replace(/\s*[([{<]\s*(?:dot|punkts)\s*[)\]}>]\s*/giu, '.')
    .replace(/^(\S+)\s+at\s+(\S+)\s+dot\s+(\S+)$/iu, '$1@$2.$3');
}

function isEmail(text: string): boolean {
  if (!/[@([{<]|\sat\s/iu.test(text)) return false;
  return /[^\s@]+@[^\s@]+\.[^\s@]{2,}/u.test(undisguiseEmail(text));
}

/**
 * A person's name in any case: no digits, two or more words of letters (a hyphenated or apostrophised surname is
 * one word), written "Name Surname", "Surname, Name", or with initials ("J. Bērziņš", "Bērziņš J.").
 */
function isName(text: string): boolean {
  if (/\d/u.test(text)) return false;
  const words = text
    .trim()
    .split(/[\s,]+|(?<=\.)/u)
    .filter((w) => w !== '');
  if (words.length < 2 || words.length > 5) return false;
  const word = /^\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*$/u;
  const initial = /^(?:\p{L}\.)+$/u;
  const full = words.filter((w) => word.test(w) && w.replace(/\P{L}/gu, '').length >= 2);
  const initials = words.filter((w) => initial.test(w));
  return full.length + initials.length === words.length && full.length >= 1 && full.length + initials.length >= 2;
}

/**
 * The usual pseudonym, told by one scan of its characters: printable ASCII without spaces or the characters an
 * e-mail disguise starts with (`@ ( [ { <`), with one to ten digits. Such an ID is none of the kinds below: it
 * unmasks to itself, has too few digits for a personal code, no `@`, bracket or spaced "at" for an e-mail, and a
 * digit, which no name has. A participant sheet asks this once a row.
 */
function isPlainPseudonym(value: string): boolean {
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    // Outside printable ASCII, the space, @ ( < [ {.
    else if (c <= 0x20 || c >= 0x7f || c === 0x40 || c === 0x28 || c === 0x3c || c === 0x5b || c === 0x7b) return false;
  }
  return digits > 0 && digits < 11;
}

/** Judge one participant ID; null when it may be kept as a pseudonym. */
export function findPersonalData(value: string): PersonalDataFinding | null {
  return isPlainPseudonym(value) ? null : findPersonalDataInFull(value);
}

/** `findPersonalData` without its shortcut for the usual pseudonym: every check, for every value (tests compare). */
export function findPersonalDataInFull(value: string): PersonalDataFinding | null {
  const text = unmask(value);
  const kind: PersonalDataKind | null = isPersonalCode(text)
    ? 'personal-code'
    : isEmail(text)
      ? 'email'
      : isName(text)
        ? 'name'
        : null;
  return kind ? { kind, mask: PERSONAL_DATA_MASKS[kind] } : null;
}

/** What the found value is shown as in issues: the mask with a word on what it looked like. */
export function describeFinding(finding: PersonalDataFinding): string {
  const words: Record<PersonalDataKind, string> = {
    'personal-code': 'personas kods / personal code',
    email: 'e-pasts / e-mail',
    name: 'vārds / name',
  };
  return `${finding.mask} (${words[finding.kind]})`;
}
