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
  if (rule.improvedLevel) {
    if (!p.levelStart || !p.levelEnd) return false;
    if (CEFR_LEVELS.indexOf(p.levelEnd) < CEFR_LEVELS.indexOf(p.levelStart) + 1) return false;
  }
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
  const out: DerivedIndicatorValue[] = [];
  // One person, one ID: `O-17`, `o-17` and `O-17` + a zero-width space are the same person. Folded once per row,
  // not once per row and indicator.
  let canonical: string[] | undefined;
  for (const def of definitions) {
    if (!def.rule) continue;
    canonical ??= participants.map((p) => canonicalParticipantId(p.id));
    const ids = new Set<string>();
    const rows: number[] = [];
    for (let i = 0; i < participants.length; i++) {
      const p = participants[i]!;
      if (!qualifies(p, def.rule)) continue;
      rows.push(p.row);
      ids.add(canonical[i]!);
    }
    out.push({ code: def.code, value: ids.size, participantIds: [...ids].sort(), lineage: rowRuns(rows, where) });
  }
  return out;
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
    const seen = first.get(p.id);
    if (seen === undefined) continue;
    if (seen === null || earlier(p, seen)) first.set(p.id, p);
  }
  const interned = new Map<string, PersonProfile>();
  const out: Record<string, PersonProfile> = {};
  for (const id of [...first.keys()].sort()) {
    const p = first.get(id);
    if (!p) continue;
    const text = `${p.gender}/${p.ageBracket}` as PersonProfile;
    let profile = interned.get(text);
    if (profile === undefined) {
      profile = text;
      interned.set(text, text);
    }
    out[id] = profile;
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
