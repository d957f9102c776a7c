/**
 * Participant-based indicators: computed from pseudonymous participant rows by the catalogue's rules.
 * A person counts once per indicator, however many rows or activities qualify.
 */
import { cellRef } from './cells';
import { canonicalParticipantId } from './participant-id';
import {
  CEFR_LEVELS,
  type CellRef,
  type DerivedIndicatorValue,
  type IndicatorDef,
  type ParticipantRecord,
  type ParticipantRule,
  type PersonProfile,
} from './types';

export function qualifies(p: ParticipantRecord, rule: ParticipantRule): boolean {
  if (rule.activities && !rule.activities.includes(p.activity)) return false;
  if (rule.helpful && p.helpful !== true) return false;
  if (rule.vulnerable && p.vulnerable !== true) return false;
  if (rule.improvedLevel && !improved(p)) return false;
  return true;
}

/**
 * Every rule-based indicator's distinct qualifying participants, with the ID cells as lineage
 * (raw left empty: pseudonyms stay in the submissions store).
 */
export function deriveIndicators(
  participants: readonly ParticipantRecord[],
  definitions: readonly IndicatorDef[],
  where: { sheet: string; idColumn: number },
): DerivedIndicatorValue[] {
  return derive(participants, definitions, where).values;
}

/** Figures that are kept, with the profiles of their persons: `personProfiles` of the kept figures. */
export interface Derivation {
  derived: DerivedIndicatorValue[];
  profiles(): Record<string, PersonProfile>;
}

/**
 * `deriveIndicators` with only the figures `keep` keeps, and their persons' profiles as `personProfiles` would
 * give them for those figures, found from the persons as this numbered them (no set of every person's ID to
 * gather, look up and sort again, which was most of a 100 000-row upload's profiles).
 */
export function deriveWithProfiles(
  participants: readonly ParticipantRecord[],
  definitions: readonly IndicatorDef[],
  where: { sheet: string; idColumn: number },
  keep: (d: DerivedIndicatorValue) => boolean,
): Derivation {
  const { values, marked, index } = derive(participants, definitions, where);
  const kept = values.flatMap((d, r) => (keep(d) ? [r] : []));
  return {
    derived: kept.map((r) => values[r]!),
    profiles: () =>
      profilesOfMarked(
        participants,
        index,
        kept.map((r) => marked[r]!),
      ),
  };
}

function derive(
  participants: readonly ParticipantRecord[],
  definitions: readonly IndicatorDef[],
  where: { sheet: string; idColumn: number },
): { values: DerivedIndicatorValue[]; marked: Uint8Array[]; index: PersonIndex } {
  const rules = definitions.filter((d) => d.rule);
  const index = indexPersons(rules.length === 0 ? [] : participants);
  const { personOf, sortedIds } = index;
  const rows = rules.map((): number[] => []);
  const counts = rules.map(() => 0);
  // One mark per person and indicator rather than a set of ID strings per indicator: the IDs come out in sorted
  // order by walking the persons, sorted once for every indicator, and picking the marked ones.
  const marked = rules.map(() => new Uint8Array(sortedIds.length));
  const kinds = new RowKinds(rules.map((d) => d.rule!));
  for (let i = 0; i < personOf.length; i++) {
    const p = participants[i]!;
    const person = personOf[i]!;
    for (const r of kinds.rulesOf(p)) {
      rows[r]!.push(p.row);
      const marks = marked[r]!;
      if (marks[person] === 0) {
        marks[person] = 1;
        counts[r]!++;
      }
    }
  }
  const values = rules.map((def, r) => {
    const marks = marked[r]!;
    const participantIds: string[] = [];
    for (let person = 0; person < sortedIds.length; person++)
      if (marks[person] === 1) participantIds.push(sortedIds[person]!);
    return { code: def.code, value: counts[r]!, participantIds, lineage: rowRuns(rows[r]!, where) };
  });
  return { values, marked, index };
}

/**
 * `personProfiles` for figures given as their marks over the persons of `index`: the same persons in the same
 * (sorted) order, each from the earliest row of that person, however its ID is written.
 */
function profilesOfMarked(
  participants: readonly ParticipantRecord[],
  index: PersonIndex,
  marks: readonly Uint8Array[],
): Record<string, PersonProfile> {
  const { sortedIds, personOf } = index;
  const counted = new Uint8Array(sortedIds.length);
  for (const m of marks) for (let person = 0; person < m.length; person++) counted[person]! |= m[person]!;
  const first: (ParticipantRecord | undefined)[] = new Array(sortedIds.length);
  for (let i = 0; i < personOf.length; i++) {
    const p = participants[i]!;
    // The row counts for the person the figures counted it for: its ID's canonical form, however it is written
    // (looked up as written, `o-17` found no profile and the person was counted as not known).
    const person = personOf[i]!;
    if (counted[person] === 0) continue;
    const seen = first[person];
    if (seen === undefined || earlier(p, seen)) first[person] = p;
  }
  const profile = new ProfileTexts();
  const out: Record<string, PersonProfile> = {};
  for (let person = 0; person < sortedIds.length; person++) {
    const p = first[person];
    if (p !== undefined) out[sortedIds[person]!] = profile.of(p);
  }
  return out;
}

/** `gender/age bracket`, interned by gender, then age bracket: no string is built per person to look it up. */
class ProfileTexts {
  private readonly byGender = new Map<string, Map<string, PersonProfile>>();

  of(p: ParticipantRecord): PersonProfile {
    let byAge = this.byGender.get(p.gender);
    if (byAge === undefined) {
      byAge = new Map();
      this.byGender.set(p.gender, byAge);
    }
    let profile = byAge.get(p.ageBracket);
    if (profile === undefined) {
      profile = `${p.gender}/${p.ageBracket}` as PersonProfile;
      byAge.set(p.ageBracket, profile);
    }
    return profile;
  }
}

/**
 * Which rules a row meets, by what `qualifies` looks at (its activity, helpful, vulnerable and whether its level
 * rose): rows alike in those are alike for every rule, so each kind of row is judged once, not each row once per
 * rule. A sheet has a few dozen kinds.
 */
class RowKinds {
  private readonly activities = new Map<string, number>();
  private readonly byKind: (number[] | undefined)[] = [];

  constructor(private readonly rules: readonly ParticipantRule[]) {}

  rulesOf(p: ParticipantRecord): number[] {
    let activity = this.activities.get(p.activity);
    if (activity === undefined) {
      activity = this.activities.size;
      this.activities.set(p.activity, activity);
    }
    const kind = activity * 8 + (p.helpful === true ? 4 : 0) + (p.vulnerable === true ? 2 : 0) + (improved(p) ? 1 : 0);
    let met = this.byKind[kind];
    if (met === undefined) {
      met = [];
      for (let r = 0; r < this.rules.length; r++) if (qualifies(p, this.rules[r]!)) met.push(r);
      this.byKind[kind] = met;
    }
    return met;
  }
}

/** The level at the end at least one CEFR step above the level at the start, as `qualifies` judges it. */
function improved(p: ParticipantRecord): boolean {
  if (!p.levelStart || !p.levelEnd) return false;
  return CEFR_LEVELS.indexOf(p.levelEnd) >= CEFR_LEVELS.indexOf(p.levelStart) + 1;
}

/** The distinct persons of the rows, numbered in the order of their sorted IDs, and each row's person. */
interface PersonIndex {
  sortedIds: string[];
  personOf: Int32Array;
  /** Person number by folded ID. */
  number: Map<string, number>;
}

function indexPersons(participants: readonly ParticipantRecord[]): PersonIndex {
  // One person, one ID: `O-17`, `o-17` and `O-17` + a zero-width space are the same person. Folded once per row,
  // not once per row and indicator.
  const canonical = participants.map((p) => canonicalParticipantId(p.id));
  // Sorted as `[...set].sort()` sorts (UTF-16 code units), once for every indicator.
  const sortedIds = [...new Set(canonical)].sort();
  const number = new Map<string, number>();
  for (let i = 0; i < sortedIds.length; i++) number.set(sortedIds[i]!, i);
  const personOf = new Int32Array(participants.length);
  for (let i = 0; i < canonical.length; i++) personOf[i] = number.get(canonical[i]!)!;
  return { sortedIds, personOf, number };
}

/**
 * The ID cells of qualifying rows as runs (`A2:A4051`): a figure built from 100 000 rows needs a handful of
 * ranges, not 100 000 cell references.
 */
function rowRuns(rows: readonly number[], where: { sheet: string; idColumn: number }): CellRef[] {
  // Rows come in sheet order, one person a row: already ascending and distinct, unless a caller mixed them.
  const sorted = isStrictlyAscending(rows) ? rows : [...new Set(rows)].sort((a, b) => a - b);
  const out: CellRef[] = [];
  let start = sorted[0];
  let end = start;
  const flush = () => {
    if (start === undefined || end === undefined) return;
    const first = cellRef(start, where.idColumn);
    out.push({
      sheet: where.sheet,
      cell: start === end ? first : `${first}:${cellRef(end, where.idColumn)}`,
      raw: '',
    });
  };
  for (let i = 1; i < sorted.length; i++) {
    const row = sorted[i]!;
    if (row === (end ?? 0) + 1) end = row;
    else {
      flush();
      start = row;
      end = row;
    }
  }
  flush();
  return out;
}

function isStrictlyAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! <= values[i - 1]!) return false;
  return true;
}

/**
 * Gender and age bracket of every pseudonym that qualified for some indicator, and nothing else about them. A
 * person is counted in the bracket of their first activity: the row with the earliest start date (undated rows
 * last, then sheet order). Profiles are interned (there are 20), so 100 000 persons cost 100 000 references.
 */
export function personProfiles(
  participants: readonly ParticipantRecord[],
  derived: readonly DerivedIndicatorValue[],
): Record<string, PersonProfile> {
  const first = new Map<string, ParticipantRecord | null>();
  for (const d of derived) for (const id of d.participantIds) first.set(id, null);
  for (const p of participants) {
    // Figures name persons by canonical ID: a row written `o-17` is person `O-17`'s.
    const id = canonicalParticipantId(p.id);
    const seen = first.get(id);
    if (seen === undefined) continue;
    if (seen === null || earlier(p, seen)) first.set(id, p);
  }
  const profile = new ProfileTexts();
  const out: Record<string, PersonProfile> = {};
  for (const id of [...first.keys()].sort()) {
    const p = first.get(id);
    if (p) out[id] = profile.of(p);
  }
  return out;
}

function earlier(a: ParticipantRecord, b: ParticipantRecord): boolean {
  if (a.start !== b.start) {
    if (a.start === null) return false;
    if (b.start === null) return true;
    return a.start < b.start;
  }
  return a.row < b.row;
}
