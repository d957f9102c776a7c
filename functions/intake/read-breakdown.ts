/**
 * The person-indicator parts of a submission (docs/architecture.md §4.2): gender and age-group cells, the optional
 * `Sadalījums` / `Breakdown` sheet of typed person indicators, codes whose meaning moved, and the "of which" rule
 * (a breakdown never exceeds its parent).
 */
import { type Catalogue, isPersonIndicator, normaliseCode } from '../core/catalogue';
import { formatForBoth } from '../core/format';
import type { IssueCode } from '../core/issue-codes';
import { issue } from '../core/issue-codes';
import { parseAgeBracket, parseGender } from '../core/person-values';
import { movedCode } from '../core/renumbered';
import type {
  AgeBracket,
  DerivedIndicatorValue,
  Gender,
  TypedBreakdown,
  TypedIndicatorValue,
  ValidationIssue,
} from '../core/types';
import { SUBMISSION_SHEETS, sheetSpec } from '../core/workbook-schema';
import { cellText } from './cell-values';
import { type CellAt, type FieldReader, foundText } from './field-reader';
import { findSheet, readTable } from './sheet-table';
import type { WorkbookData } from './workbook-data';

const GENDER_EXPECTED = 'sieviete, vīrietis, cits, female, male, other (tukšs = nav zināms / empty = not known)';
const AGE_EXPECTED = '<18, 18-60, >60 (tukšs = nav zināms / empty = not known)';

/** A gender cell; empty is not known. Anything else is an error at the cell. */
export function readGender(f: FieldReader, at: CellAt): Gender | null {
  const gender = parseGender(cellText(at.value));
  if (gender === null)
    f.add(
      'value-not-allowed',
      { sheet: at.sheet, cell: at.cell },
      { found: foundText(at.value), expected: GENDER_EXPECTED },
    );
  return gender;
}

/** An age-group cell; the old unsplit `18+` is accepted with a warning and kept as "18+ not split". */
export function readAgeBracket(f: FieldReader, at: CellAt): AgeBracket | null {
  const age = parseAgeBracket(cellText(at.value));
  if (age === null)
    f.add(
      'value-not-allowed',
      { sheet: at.sheet, cell: at.cell },
      { found: foundText(at.value), expected: AGE_EXPECTED },
    );
  if (age === '18+')
    f.add(
      'age-group-not-split',
      { sheet: at.sheet, cell: at.cell },
      { found: '18+', expected: '18-60, >60' },
      'warning',
    );
  return age;
}

/**
 * The issue for a code whose meaning moved: a renumbered Annex VIII code always (its old meaning must not be
 * counted as the new one), a replaced 2014-2020 code only when nothing else (e.g. the registry) defines it now.
 */
export function movedCodeIssue(
  codeText: string,
  typedName: string,
  known: boolean,
): { code: IssueCode; expected: string } | null {
  const moved = movedCode(normaliseCode(codeText), typedName);
  if (!moved || (known && moved.why !== 'renumbered')) return null;
  if (moved.why === 'renumbered') return { code: 'indicator-renumbered', expected: moved.now };
  if (moved.why === 'replaced') return { code: 'indicator-replaced', expected: moved.now };
  return { code: 'indicator-programme-specific', expected: moved.now };
}

/** The optional breakdown sheet: per typed person indicator, cells that must add up to the typed value. */
export function readBreakdownSheet(
  workbook: WorkbookData,
  f: FieldReader,
  catalogue: Catalogue,
  typed: readonly TypedIndicatorValue[],
): TypedBreakdown[] {
  const spec = sheetSpec(SUBMISSION_SHEETS, 'breakdown');
  const sheet = findSheet(workbook, spec);
  if (!sheet) return [];
  const { table, issues } = readTable(sheet, spec);
  f.issues.push(...issues);
  const byCode = new Map<string, TypedBreakdown & { firstCell: string }>();
  for (const row of table?.rows ?? []) {
    const codeText = f.text(row.at('code'), true);
    const moved = codeText ? movedCodeIssue(codeText, '', catalogue.get(codeText) !== undefined) : null;
    const def = codeText && !moved ? catalogue.get(codeText) : undefined;
    if (moved)
      f.add(moved.code, { sheet: sheet.name, cell: row.ref('code') }, { found: codeText!, expected: moved.expected });
    else if (codeText && !def) f.add('indicator-unknown', row.at('code'), { found: foundText(row.get('code')) });
    else if (def && !isPersonIndicator(def))
      f.add('breakdown-not-person', row.at('code'), { found: def.code, expected: `${def.unit.lv} / ${def.unit.en}` });
    const gender = readGender(f, row.at('gender'));
    const age = readAgeBracket(f, row.at('ageGroup'));
    const value = f.number(row.at('value'), { required: true, min: 0, integer: true });
    if (!def || !isPersonIndicator(def) || gender === null || age === null || value === null) continue;
    const entry = byCode.get(def.code) ?? { code: def.code, cells: [], firstCell: row.ref('value') };
    entry.cells.push({
      gender,
      age,
      value,
      lineage: { sheet: sheet.name, cell: row.ref('value'), raw: cellText(row.get('value')) },
    });
    byCode.set(def.code, entry);
  }
  const out: TypedBreakdown[] = [];
  for (const { firstCell, ...entry } of byCode.values()) {
    const sum = entry.cells.reduce((n, c) => n + c.value, 0);
    const value = typed.find((t) => t.code === entry.code);
    const where = { sheet: sheet.name, cell: firstCell };
    if (!value) f.add('breakdown-without-value', where, { found: `${entry.code}: ${formatForBoth(sum)}` });
    else if (sum !== value.value)
      f.add('breakdown-sum-mismatch', where, {
        found: `${entry.code}: Σ ${formatForBoth(sum)}`,
        expected: `${formatForBoth(value.value)} (${value.lineage.sheet}!${value.lineage.cell})`,
      });
    else out.push(entry);
  }
  return out;
}

/**
 * "Of which" for the period: a breakdown item never exceeds the indicator it is part of. The value in force is
 * the one computed from participant rows when there is one, else the typed one; the error sits at a typed cell.
 */
export function breakdownExcessIssues(
  catalogue: Catalogue,
  typed: readonly TypedIndicatorValue[],
  derived: readonly DerivedIndicatorValue[],
): ValidationIssue[] {
  const value = (code: string) => {
    const d = derived.find((x) => x.code === code);
    const t = typed.find((x) => x.code === code);
    if (d && (d.value > 0 || !t)) return { n: d.value, cell: t?.lineage ?? null, derived: true };
    return t ? { n: t.value, cell: t.lineage, derived: false } : null;
  };
  const out: ValidationIssue[] = [];
  for (const def of catalogue.all) {
    if (!def.breakdownOf) continue;
    const child = value(def.code);
    const parent = value(def.breakdownOf);
    if (!child || !parent || child.n <= parent.n) continue;
    const at = !child.derived && child.cell ? child.cell : parent.cell;
    if (!at) continue;
    out.push(
      issue(
        'indicator-breakdown-exceeds-parent',
        'error',
        { sheet: at.sheet, cell: at.cell },
        {
          found: `${def.code} = ${formatForBoth(child.n)}`,
          expected: `≤ ${def.breakdownOf} = ${formatForBoth(parent.n)}`,
        },
      ),
    );
  }
  return out;
}
