/**
 * Participant-based indicators: computed from pseudonymous participant rows by the catalogue's rules.
 * A person counts once per indicator, however many rows or activities qualify.
 */
import { cellRefOf } from './cells';
import {
  CEFR_LEVELS,
  type DerivedIndicatorValue,
  type IndicatorDef,
  type ParticipantRecord,
  type ParticipantRule,
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
  for (const def of definitions) {
    if (!def.rule) continue;
    const ids = new Set<string>();
    const lineage = [];
    for (const p of participants) {
      if (!qualifies(p, def.rule)) continue;
      lineage.push({ sheet: where.sheet, cell: cellRefOf(p.row, where.idColumn), raw: '' });
      ids.add(p.id);
    }
    out.push({ code: def.code, value: ids.size, participantIds: [...ids].sort(), lineage });
  }
  return out;
}
