import { describe, expect, it } from 'vitest';
import { cellText, parseDate, parseNumber, parsePercent } from '../../functions/intake/cell-values';
import { serialToIsoDate } from '../../functions/intake/excel-dates';
import type { CellValue } from '../../functions/intake/read-xlsx';

const date = (iso: string, serial: number): CellValue => ({ t: 'date', iso, serial });
const error: CellValue = { t: 'error', code: '#DIV/0!' };
const noValue: CellValue = { t: 'no-cached-value', formula: 'SUM(A1:A3)' };

describe('cellText', () => {
  it('gives the text a person reads', () => {
    expect(cellText(undefined)).toBe('');
    expect(cellText('  Rīga   un\u00a0Liepāja \n')).toBe('Rīga   un\u00a0Liepāja');
    expect(cellText(42)).toBe('42');
    expect(cellText(-0.5)).toBe('-0.5');
    // Float noise past Excel's 15 significant digits is not shown, as Excel does not show it.
    expect(cellText(1.1 * 1.1)).toBe('1.21');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(date('2025-03-15', 45731))).toBe('2025-03-15');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(false)).toBe('FALSE');
    expect(cellText(error)).toBe('#DIV/0!');
    expect(cellText(noValue)).toBe('');
  });
});

describe('parseNumber', () => {
  it('passes numbers through and classifies what is not one', () => {
    expect(parseNumber(12.5)).toEqual({ kind: 'ok', value: 12.5 });
    expect(parseNumber(undefined)).toEqual({ kind: 'empty' });
    expect(parseNumber('   ')).toEqual({ kind: 'empty' });
    expect(parseNumber(Number.POSITIVE_INFINITY)).toEqual({ kind: 'invalid', reason: 'not-finite' });
    expect(parseNumber(Number.NaN)).toEqual({ kind: 'invalid', reason: 'not-finite' });
    expect(parseNumber(error)).toEqual({ kind: 'invalid', reason: 'error' });
    expect(parseNumber(noValue)).toEqual({ kind: 'invalid', reason: 'no-cached-value' });
    expect(parseNumber(date('2025-03-15', 45731))).toEqual({ kind: 'invalid', reason: 'not-number' });
    expect(parseNumber(true)).toEqual({ kind: 'invalid', reason: 'not-number' });
  });

  it.each([
    ['1 234', 1234],
    ['1\u00a0234,5', 1234.5],
    ['1\u202f234\u202f567', 1234567],
    ['1,234.5', 1234.5],
    ['1.234,5', 1234.5],
    ['1,234,567', 1234567],
    ['1.234.567,25', 1234567.25],
    ['12,5', 12.5],
    ['12.5', 12.5],
    ['1,234', 1.234],
    ['0,75', 0.75],
    [',5', 0.5],
    ['-3', -3],
    ['\u22123', -3],
    ['+7', 7],
    ['€ 1 234,50', 1234.5],
    ['€1234', 1234],
    ['-€ 5', -5],
    ['€ -5', -5],
    ['1234 EUR', 1234],
    ['-12,5 eur', -12.5],
    ['1234€', 1234],
    ['  42  ', 42],
    ['1e308', 1e308],
    ['2,5E3', 2500],
  ])('reads %j as %d', (text, value) => {
    expect(parseNumber(text)).toEqual({ kind: 'ok', value });
  });

  it.each([
    '12abc',
    '1,2,3',
    '1.2.3',
    '12 5',
    '1 234.567,5',
    '1,234.5.6',
    '12.',
    '--3',
    '€ 5 €',
    'EUR',
    '5%',
    '0x1A',
    'abc',
    '1 2345',
    '1'.repeat(100),
  ])('refuses %j as not-number', (text) => {
    expect(parseNumber(text)).toEqual({ kind: 'invalid', reason: 'not-number' });
  });

  it.each(['Infinity', '-Infinity', 'NaN', '∞', '1e309'])('refuses %j as not-finite', (text) => {
    expect(parseNumber(text)).toEqual({ kind: 'invalid', reason: 'not-finite' });
  });

  it('stays fast on a long cell of digits (no catastrophic backtracking)', () => {
    const started = performance.now();
    expect(parseNumber(`${'1,'.repeat(16_000)}x`).kind).toBe('invalid');
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('parsePercent', () => {
  it.each<[CellValue, number]>([
    [75, 75],
    [0.75, 75],
    [1, 100],
    [0.07, 7],
    [-0.5, -50],
    [150, 150],
    ['75%', 75],
    ['75 %', 75],
    ['0,75', 75],
    ['85,5 %', 85.5],
    ['0.5%', 0.5],
    ['75', 75],
  ])('reads %j as %d percent', (value, percent) => {
    expect(parsePercent(value)).toEqual({ kind: 'ok', value: percent });
  });

  it('classifies what is not a percentage', () => {
    expect(parsePercent(undefined)).toEqual({ kind: 'empty' });
    expect(parsePercent('abc %')).toEqual({ kind: 'invalid', reason: 'not-number' });
    expect(parsePercent(error)).toEqual({ kind: 'invalid', reason: 'error' });
    expect(parsePercent(noValue)).toEqual({ kind: 'invalid', reason: 'no-cached-value' });
  });
});

describe('parseDate', () => {
  it('takes date cells as they are and plausible serials as 1900-system dates', () => {
    expect(parseDate(date('2025-03-15', 45731))).toEqual({ kind: 'ok', value: '2025-03-15' });
    expect(parseDate(45731)).toEqual({ kind: 'ok', value: '2025-03-15' });
    expect(parseDate(45731.75)).toEqual({ kind: 'ok', value: '2025-03-15' });
    expect(parseDate(20_000)).toEqual({ kind: 'ok', value: '1954-10-03' });
    expect(parseDate(80_000)).toEqual({ kind: 'ok', value: '2119-01-11' });
    expect(parseDate(19_999)).toEqual({ kind: 'invalid', reason: 'not-date' });
    expect(parseDate(80_001)).toEqual({ kind: 'invalid', reason: 'not-date' });
    expect(parseDate(12)).toEqual({ kind: 'invalid', reason: 'not-date' });
  });

  it.each([
    ['15.03.2025', '2025-03-15'],
    ['5.3.2025', '2025-03-05'],
    ['15.03.2025.', '2025-03-15'],
    ['15/03/2025', '2025-03-15'],
    ['2025-03-15', '2025-03-15'],
    ['2025.03.15', '2025-03-15'],
    ['2025.03.15.', '2025-03-15'],
    ['2025-03-15T10:30:00Z', '2025-03-15'],
    ['15.03.2025 10:30', '2025-03-15'],
    ['29.02.2024', '2024-02-29'],
    [' 01.01.2026 ', '2026-01-01'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDate(text)).toEqual({ kind: 'ok', value: iso });
  });

  it.each([
    '31.02.2025',
    '29.02.2025',
    '31.04.2025',
    '00.01.2025',
    '15.13.2025',
    '2025-02-30',
    '15.03.25',
    '15-03-2025',
    '15.03/2025',
    '2025. gada 15. marts',
    'rīt',
    '45731',
  ])('refuses %j', (text) => {
    expect(parseDate(text)).toEqual({ kind: 'invalid', reason: 'not-date' });
  });

  it('classifies the rest', () => {
    expect(parseDate(undefined)).toEqual({ kind: 'empty' });
    expect(parseDate('')).toEqual({ kind: 'empty' });
    expect(parseDate(true)).toEqual({ kind: 'invalid', reason: 'not-date' });
    expect(parseDate(error)).toEqual({ kind: 'invalid', reason: 'error' });
    expect(parseDate(noValue)).toEqual({ kind: 'invalid', reason: 'no-cached-value' });
  });
});

describe('serialToIsoDate', () => {
  it('follows Excel around its phantom 29 February 1900', () => {
    expect(serialToIsoDate(1, false)).toBe('1900-01-01');
    expect(serialToIsoDate(59, false)).toBe('1900-02-28');
    expect(serialToIsoDate(60, false)).toBe('1900-02-28');
    expect(serialToIsoDate(61, false)).toBe('1900-03-01');
    expect(serialToIsoDate(36_525, false)).toBe('1999-12-31');
    expect(serialToIsoDate(45_731, false)).toBe('2025-03-15');
    expect(serialToIsoDate(45_731.99, false)).toBe('2025-03-15');
    expect(serialToIsoDate(2_958_465, false)).toBe('9999-12-31');
  });

  it('reads 1904-system serials', () => {
    expect(serialToIsoDate(0, true)).toBe('1904-01-01');
    expect(serialToIsoDate(44_269, true)).toBe('2025-03-15');
    expect(serialToIsoDate(44_269, true)).toBe(serialToIsoDate(44_269 + 1462, false));
  });

  it('agrees with the calendar on every day of 1900..2100', () => {
    const start = Date.UTC(1900, 2, 1);
    for (let serial = 61; serial < 73_051; serial++) {
      const expected = new Date(start + (serial - 61) * 86_400_000).toISOString().slice(0, 10);
      if (serialToIsoDate(serial, false) !== expected) throw new Error(`serial ${serial}: expected ${expected}`);
    }
    expect(serialToIsoDate(73_050, false)).toBe('2099-12-31');
  });

  it('refuses non-finite serials', () => {
    expect(() => serialToIsoDate(Number.NaN, false)).toThrow(RangeError);
  });
});
