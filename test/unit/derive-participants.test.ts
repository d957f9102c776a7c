/**
 * The participant-based figures (`deriveIndicators`) and the person profiles (`personProfiles`) against a plain
 * recomputation written here from their definitions: per indicator, the set of qualifying persons (IDs folded by
 * `canonicalParticipantId`), sorted; the qualifying rows as runs of ID cells; each person's profile from their
 * first activity. Generated participants: IDs written several ways and in no order, rows out of order and repeated,
 * every activity, level and flag, and catalogues with rules of every kind.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalogue } from '../../functions/core/catalogue';
import { cellRef } from '../../functions/core/cells';
import { canonicalParticipantId } from '../../functions/core/participant-id';
import { deriveIndicators, deriveWithProfiles, personProfiles, qualifies } from '../../functions/core/participants';
import {
  ACTIVITIES,
  CEFR_LEVELS,
  type DerivedIndicatorValue,
  type IndicatorDef,
  type ParticipantRecord,
} from '../../functions/core/types';
import { mulberry32 as random } from '../../sample/sample-projects';

const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
const AGES = ['<18', '18-60', '>60', '18+', 'unknown'] as const;

/** One person's ID as coordinators write it: the usual form, lower case, with invisible or wide characters. */
function spelling(next: () => number, person: number): string {
  const base = `P-${person}`;
  // ΐ in lower case and Ϊ́ in capitals, composed and decomposed: one person however it is written.
  const ways = [base, base, base, base.toLowerCase(), `${base}\u200b`, ` ${base} `, `Ｐ-${person}`, `ü-${person}`];
  ways.push(`\u0390-${person}`, `\u03aa\u0301-${person}`, `\u0399\u0308\u0301-${person}`);
  return ways[Math.floor(next() * ways.length)]!;
}

function participants(seed: number): ParticipantRecord[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const count = Math.floor(next() * 400);
  const persons = 1 + Math.floor(next() * (count + 1));
  const rows = Array.from({ length: count }, (_, i) => 2 + i);
  // Now and then rows out of order, or one row number twice (callers may mix sheets).
  if (next() < 0.3) rows.sort(() => next() - 0.5);
  if (next() < 0.2 && rows.length > 3) rows[1] = rows[2]!;
  return rows.map((row) => ({
    id: spelling(next, Math.floor(next() * persons)),
    activity: pick(ACTIVITIES),
    start: next() < 0.8 ? `2025-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}` : null,
    end: null,
    levelStart: next() < 0.6 ? pick(CEFR_LEVELS) : null,
    levelEnd: next() < 0.6 ? pick(CEFR_LEVELS) : null,
    helpful: pick([true, false, null]),
    gender: pick(GENDERS),
    ageBracket: pick(AGES),
    vulnerable: pick([true, false, null]),
    row,
  }));
}

/** The catalogue's rule-based indicators and some made up here, in a generated order, with some without a rule. */
function definitions(seed: number): IndicatorDef[] {
  const next = random(seed * 7 + 1);
  const all = buildCatalogue().all;
  const ruled = all.filter((d) => d.rule);
  const unruled = all.filter((d) => !d.rule).slice(0, 3);
  const extra: IndicatorDef[] = [
    { ...ruled[0]!, code: 'X.1', rule: {} },
    { ...ruled[0]!, code: 'X.2', rule: { helpful: true, vulnerable: true } },
    { ...ruled[0]!, code: 'X.3', rule: { improvedLevel: true } },
    { ...ruled[0]!, code: 'X.4', rule: { activities: [] } },
  ];
  return [...ruled, ...unruled, ...extra].filter(() => next() < 0.8).sort(() => next() - 0.5);
}

/** The figures from their definition, one indicator at a time. */
function expectedFigures(
  records: readonly ParticipantRecord[],
  defs: readonly IndicatorDef[],
  where: { sheet: string; idColumn: number },
): DerivedIndicatorValue[] {
  return defs
    .filter((d) => d.rule)
    .map((d) => {
      const qualifying = records.filter((p) => qualifies(p, d.rule!));
      const ids = [...new Set(qualifying.map((p) => canonicalParticipantId(p.id)))].sort();
      const rows = [...new Set(qualifying.map((p) => p.row))].sort((a, b) => a - b);
      const lineage: DerivedIndicatorValue['lineage'] = [];
      for (let i = 0; i < rows.length; ) {
        let j = i;
        while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++;
        const first = cellRef(rows[i]!, where.idColumn);
        const cell = i === j ? first : `${first}:${cellRef(rows[j]!, where.idColumn)}`;
        lineage.push({ sheet: where.sheet, cell, raw: '' });
        i = j + 1;
      }
      return { code: d.code, value: ids.length, participantIds: ids, lineage };
    });
}

/** Each derived person's profile from the row written with that very ID that started first (then sheet order). */
function expectedProfiles(records: readonly ParticipantRecord[], derived: readonly DerivedIndicatorValue[]) {
  const ids = [...new Set(derived.flatMap((d) => d.participantIds))].sort();
  const out: Record<string, string> = {};
  for (const id of ids) {
    // A person's rows are those whose ID is theirs in canonical form, however it is written.
    const rows = records.filter((p) => canonicalParticipantId(p.id) === id);
    if (rows.length === 0) continue;
    const first = rows.reduce((a, b) => {
      if (a.start !== b.start) {
        if (a.start === null) return b;
        if (b.start === null) return a;
        return b.start < a.start ? b : a;
      }
      return b.row < a.row ? b : a;
    });
    out[id] = `${first.gender}/${first.ageBracket}`;
  }
  return out;
}

describe('participant-based figures', () => {
  it('count each qualifying person once, list them sorted and their rows as runs, for generated sheets', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const records = participants(seed);
      const defs = definitions(seed);
      const where = { sheet: 'Dalībnieki', idColumn: 1 + (seed % 3) };
      expect(deriveIndicators(records, defs, where), `seed ${seed}`).toEqual(expectedFigures(records, defs, where));
    }
  });

  it('give each derived person the profile of their first activity, in ID order', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const records = participants(seed);
      const derived = deriveIndicators(records, definitions(seed), { sheet: 'Dalībnieki', idColumn: 1 });
      const profiles = personProfiles(records, derived);
      const expected = expectedProfiles(records, derived);
      expect(profiles, `seed ${seed}`).toEqual(expected);
      expect(Object.keys(profiles), `seed ${seed}`).toEqual(Object.keys(expected));
    }
  });

  it('with profiles, keep the figures asked for and give their persons the profiles personProfiles gives', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const next = random(seed * 13);
      const records = participants(seed);
      const defs = definitions(seed);
      const where = { sheet: 'Dalībnieki', idColumn: 1 };
      const dropped = new Set(defs.filter(() => next() < 0.3).map((d) => d.code));
      const keep = (d: DerivedIndicatorValue) => d.value > 0 && !dropped.has(d.code);
      const kept = deriveIndicators(records, defs, where).filter(keep);
      const { derived, profiles } = deriveWithProfiles(records, defs, where, keep);
      expect(derived, `seed ${seed}`).toEqual(kept);
      const expected = personProfiles(records, kept);
      expect(profiles(), `seed ${seed}`).toEqual(expected);
      expect(Object.keys(profiles()), `seed ${seed}`).toEqual(Object.keys(expected));
    }
  });

  it('give nothing for no rows, and no figure for an indicator without a rule', () => {
    const defs = definitions(3);
    const empty = deriveIndicators([], defs, { sheet: 'S', idColumn: 1 });
    expect(empty.map((d) => d.code)).toEqual(defs.filter((d) => d.rule).map((d) => d.code));
    expect(empty.every((d) => d.value === 0 && d.participantIds.length === 0 && d.lineage.length === 0)).toBe(true);
    expect(personProfiles([], empty)).toEqual({});
  });
});
