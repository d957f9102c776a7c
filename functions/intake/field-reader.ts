/**
 * Typed access to cells with every problem collected as an issue (never thrown), so one pass over a workbook
 * names every wrong cell at once.
 */
import { formatForBoth } from '../core/format';
import { type IssueCode, issue } from '../core/issue-codes';
import { hasInvisible, showInvisible } from '../core/participant-id';
import type { IsoDate, ValidationIssue } from '../core/types';
import { cellText, type Parsed, parseDate, parseNumber, parsePercent } from './cell-values';
import type { CellValue } from './workbook-data';

export interface CellAt {
  value: CellValue | undefined;
  sheet: string;
  cell: string;
}

/** A count within this of a whole number is that whole number (binary floating point residue, not a fraction). */
const WHOLE_NUMBER_TOLERANCE = 1e-9;

/**
 * Short, safe echo of what a cell held, for the coordinator's own feedback (never for logs). Invisible characters
 * are shown as their code points (`O.2.3.1⟨U+200B⟩`): otherwise "found O.2.3.1, expected O.2.3.1" explains nothing.
 */
export function foundText(value: CellValue | undefined): string {
  // A number in both languages' forms (`12,5 / 12.5`): the issue list is read in Latvian and English at once.
  if (typeof value === 'number' && Number.isFinite(value)) return formatForBoth(Number(cellText(value)));
  const raw = typeof value === 'string' ? value : cellText(value);
  const text = hasInvisible(raw) ? showInvisible(raw.trim()) : cellText(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export class FieldReader {
  readonly issues: ValidationIssue[] = [];

  add(
    code: IssueCode,
    at: { sheet: string; cell?: string },
    detail: { found?: string; expected?: string } = {},
    severity: 'error' | 'warning' = 'error',
  ): void {
    this.issues.push(issue(code, severity, at, detail));
  }

  private invalid(at: CellAt, parsed: Parsed<unknown>, code: IssueCode, expected: string): null {
    if (parsed.kind !== 'invalid') return null;
    const where = { sheet: at.sheet, cell: at.cell };
    if (parsed.reason === 'no-cached-value') this.add('formula-no-value', where, {}, 'error');
    else if (parsed.reason === 'error') this.add('formula-error', where, { found: foundText(at.value) });
    else this.add(code, where, { found: foundText(at.value), expected });
    return null;
  }

  private required(at: CellAt, required: boolean, expected: string): null {
    if (required) this.add('value-required', { sheet: at.sheet, cell: at.cell }, { expected });
    return null;
  }

  text(at: CellAt, required = false): string | null {
    const v = at.value;
    if (v !== undefined && typeof v === 'object' && (v.t === 'error' || v.t === 'no-cached-value')) {
      return this.invalid(
        at,
        { kind: 'invalid', reason: v.t === 'error' ? 'error' : 'no-cached-value' },
        'value-required',
        '',
      );
    }
    const text = cellText(v);
    if (!text) return this.required(at, required, 'text / teksts');
    return text;
  }

  number(
    at: CellAt,
    options: { required?: boolean; min?: number; integer?: boolean; percent?: boolean } = {},
  ): number | null {
    const parsed = options.percent ? parsePercent(at.value) : parseNumber(at.value);
    const expected = options.integer ? 'vesels skaitlis ≥ 0 / whole number ≥ 0' : 'skaitlis / number';
    if (parsed.kind === 'empty') return this.required(at, options.required ?? false, expected);
    if (parsed.kind === 'invalid') return this.invalid(at, parsed, 'value-not-number', expected);
    const value = parsed.value;
    const where = { sheet: at.sheet, cell: at.cell };
    // Bound magnitudes: 1e308 is a number to JavaScript but nonsense in a progress report.
    if (Math.abs(value) > 1e12) {
      this.add('value-not-number', where, { found: foundText(at.value), expected: '≤ 1 000 000 000 000' });
      return null;
    }
    if (options.min !== undefined && value < options.min) {
      this.add('value-negative', where, { found: foundText(at.value), expected: `≥ ${options.min}` });
      return null;
    }
    if (options.integer) {
      // A count as Excel shows it: 38.999999999999993 (what a formula leaves behind) is the 39 on the screen.
      const whole = Math.round(value);
      if (Math.abs(value - whole) > WHOLE_NUMBER_TOLERANCE) {
        this.add('value-not-integer', where, { found: foundText(at.value), expected });
        return null;
      }
      return whole;
    }
    return value;
  }

  date(at: CellAt, required = false): IsoDate | null {
    const parsed = parseDate(at.value);
    const expected = 'dd.mm.gggg / YYYY-MM-DD';
    if (parsed.kind === 'empty') return this.required(at, required, expected);
    if (parsed.kind === 'invalid') return this.invalid(at, parsed, 'value-not-date', expected);
    const v = at.value;
    // Serial 0 (an empty date cell shown as 00.01.1900) and 60 (29.02.1900, which never was: Excel's leap-year bug).
    if (typeof v === 'object' && v.t === 'date' && (Math.floor(v.serial) === 0 || Math.floor(v.serial) === 60)) {
      this.add('date-implausible', { sheet: at.sheet, cell: at.cell }, { found: foundText(v), expected }, 'warning');
    }
    return parsed.value;
  }

  /** One of `allowed`, matched case-insensitively; returns the allowed spelling. */
  oneOf<T extends string>(
    at: CellAt,
    allowed: readonly T[],
    required = false,
    code: IssueCode = 'value-not-allowed',
  ): T | null {
    const text = this.text(at, required);
    if (text === null) return null;
    const found = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
    if (found === undefined) {
      this.add(code, { sheet: at.sheet, cell: at.cell }, { found: foundText(at.value), expected: allowed.join(', ') });
      return null;
    }
    return found;
  }

  /** Jā / Nē / Yes / No (and TRUE/FALSE); empty is null. */
  yesNo(at: CellAt): boolean | null {
    const v = at.value;
    if (typeof v === 'boolean') return v;
    const text = cellText(v).toLowerCase();
    if (!text) return null;
    if (['jā', 'ja', 'yes', 'y', 'true', '1'].includes(text)) return true;
    if (['nē', 'ne', 'no', 'n', 'false', '0'].includes(text)) return false;
    this.add(
      'value-not-allowed',
      { sheet: at.sheet, cell: at.cell },
      { found: foundText(v), expected: 'Jā, Nē, Yes, No' },
    );
    return null;
  }
}

const EMAIL = /^[^\s@;,<>()"]+@[^\s@;,<>()"]+\.[A-Za-z]{2,}$/;

export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}
