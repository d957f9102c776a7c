import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatCellRef,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPeriodLabel,
  formatQuantity,
  formatRate,
  shortHash,
} from '../../functions/core/format';

const NB = '\u00a0';

describe('PDF number formatting', () => {
  it('groups Latvian numbers from four digits with a no-break space', () => {
    expect(formatNumber(999, 'lv')).toBe('999');
    expect(formatNumber(3727, 'lv')).toBe(`3${NB}727`);
    expect(formatNumber(1_234_567, 'lv')).toBe(`1${NB}234${NB}567`);
    expect(formatNumber(-12_345, 'lv')).toBe(`-12${NB}345`);
  });

  it('groups English numbers with commas and uses a decimal point', () => {
    expect(formatNumber(3727, 'en')).toBe('3,727');
    expect(formatAmount(29_852.8, 'en')).toBe('29,852.80');
  });

  it('writes amounts with two decimals, rounding half up without binary artefacts', () => {
    expect(formatAmount(29_852.8, 'lv')).toBe(`29${NB}852,80`);
    expect(formatAmount(1.005, 'lv')).toBe('1,01');
    expect(formatAmount(0, 'lv')).toBe('0,00');
    expect(formatMoney(1250, 'lv')).toBe(`1${NB}250,00${NB}EUR`);
    expect(formatMoney(1250, 'en')).toBe(`EUR${NB}1,250.00`);
  });

  it('writes quantities whole when whole and with up to two decimals otherwise', () => {
    expect(formatQuantity(2124, 'lv')).toBe(`2${NB}124`);
    expect(formatQuantity(12.5, 'lv')).toBe('12,5');
    expect(formatQuantity(null, 'lv')).toBe('—');
  });

  it('writes percentages with one decimal (none on scales) and rates as given', () => {
    expect(formatPercent(0.7079, 'lv')).toBe(`70,8${NB}%`);
    expect(formatPercent(0.62, 'lv')).toBe(`62,0${NB}%`);
    expect(formatPercent(0.62, 'en')).toBe('62.0%');
    expect(formatPercent(0.5, 'lv', 0)).toBe(`50${NB}%`);
    expect(formatPercent(null, 'lv')).toBe('—');
    expect(formatPercent(Number.NaN, 'en')).toBe('—');
    expect(formatRate(75, 'lv')).toBe(`75${NB}%`);
    expect(formatRate(82.5, 'en')).toBe('82.5%');
  });
});

describe('PDF date formatting', () => {
  it('writes dates dd.mm.yyyy in Latvian and ISO in English', () => {
    expect(formatDate('2025-07-15', 'lv')).toBe('15.07.2025');
    expect(formatDate('2025-07-15', 'en')).toBe('2025-07-15');
  });

  it('shows instants in Riga time, summer and winter', () => {
    expect(formatDateTime('2025-07-16T06:00:00.000Z', 'lv')).toBe('16.07.2025 09:00');
    expect(formatDateTime('2025-01-15T22:30:00Z', 'lv')).toBe('16.01.2025 00:30');
    expect(formatDateTime('2025-01-15T22:30:00Z', 'en')).toBe('2025-01-16 00:30');
  });

  it('writes period labels in words', () => {
    expect(formatPeriodLabel('2025-Q3', 'lv')).toBe('2025. gada 3. ceturksnis');
    expect(formatPeriodLabel('2025-Q3', 'en')).toBe('Q3 2025');
  });

  it('quotes sheet names Excel would quote and shortens hashes', () => {
    expect(formatCellRef('Rādītāji', 'C3')).toBe('Rādītāji!C3');
    expect(formatCellRef('Mana lapa', 'A1')).toBe("'Mana lapa'!A1");
    expect(formatCellRef(undefined, undefined)).toBe('—');
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
  });
});
