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
import { mulberry32 } from '../../sample/sample-projects';

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

/** What ICU writes for `value` (exactly representable, so no rounding), in the report's grouping and separators. */
function intlNumber(value: number, lang: 'lv' | 'en', minDecimals: number, maxDecimals: number): string {
  const en = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: minDecimals,
    maximumFractionDigits: maxDecimals,
    useGrouping: true,
  }).format(value);
  // Our rule groups from four digits in both languages, with a no-break space and a decimal comma in Latvian.
  return lang === 'en' ? en : en.replace(/,/g, NB).replace('.', ',');
}

describe('PDF number formatting, generated', () => {
  const rng = mulberry32(19);
  const magnitude = () => Math.floor(rng() * 10 ** Math.floor(rng() * 16)) * (rng() < 0.2 ? -1 : 1);
  it('writes whole numbers of every size as ICU does, with any decimals asked for', () => {
    for (let i = 0; i < 4000; i++) {
      const value = i < 20 ? [0, -0, 1, -1, 999, 1000, -1000, 9999, 10000, 999999, 1000000][i % 11]! : magnitude();
      const min = Math.floor(rng() * 4);
      const max = min + Math.floor(rng() * 3);
      // Beyond about 1e14 in units of the last decimal the rounding's nudge (roundTo) shows; no report comes near.
      if (Math.abs(value) * 10 ** max >= 1e14) continue;
      for (const lang of ['lv', 'en'] as const) {
        const expected = intlNumber(value, lang, min, max).replace(/^-(0(?:[.,]0+)?)$/, '$1');
        expect(formatNumber(value, lang, min, max), `${value} ${min}-${max}`).toBe(expected);
      }
    }
  });

  it('writes numbers with decimals that need no rounding as ICU does', () => {
    for (let i = 0; i < 4000; i++) {
      const decimals = 1 + Math.floor(rng() * 3);
      // Halves, quarters, eighths: exact in binary, with at most `decimals` decimal places.
      const value = decimals === 1 ? magnitude() / 2 : decimals === 2 ? magnitude() / 4 : magnitude() / 8;
      if (Math.abs(value) * 10 ** decimals >= 1e14) continue;
      const min = Math.floor(rng() * (decimals + 1));
      for (const lang of ['lv', 'en'] as const)
        expect(formatNumber(value, lang, min, decimals), `${value} ${min}-${decimals}`).toBe(
          intlNumber(value, lang, min, decimals).replace(/^-(0(?:[.,]0+)?)$/, '$1'),
        );
    }
  });
});

describe('PDF date and time formatting, generated', () => {
  it('shows instants across the year (and its clock changes) as ICU does in Riga, every time it is asked', () => {
    const rng = mulberry32(20);
    const riga = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Riga',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const instants = Array.from({ length: 3000 }, () =>
      new Date(Date.UTC(2020, 0, 1) + Math.floor(rng() * 6 * 365 * 24 * 60) * 60000).toISOString(),
    );
    for (const instant of [...instants, ...instants.slice(0, 500)]) {
      const parts = Object.fromEntries(riga.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
      const iso = `${parts.year}-${parts.month}-${parts.day}`;
      expect(formatDateTime(instant, 'en')).toBe(`${iso} ${parts.hour}:${parts.minute}`);
      expect(formatDateTime(instant, 'lv')).toBe(
        `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`,
      );
    }
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
