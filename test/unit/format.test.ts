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
      // ICU's digits as the expectation up to 1e14 units of the last decimal; above, the large-number tests below.
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

/** |value| × 10^decimals rounded half away from zero, computed exactly from the double's binary digits with BigInt. */
function exactDigits(value: number, decimals: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = biased === 0 ? -1074 : biased - 1075;
  const num = (mantissa * 10n ** BigInt(decimals)) << BigInt(Math.max(0, exponent));
  const den = 1n << BigInt(Math.max(0, -exponent));
  const digits = ((2n * num + den) / (2n * den)).toString().padStart(decimals + 1, '0');
  return decimals > 0 ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
}

/** What formatNumber should print, from {@link exactDigits}. */
function exactNumber(value: number, lang: 'lv' | 'en', minDecimals: number, maxDecimals: number): string {
  const digits = exactDigits(value, maxDecimals);
  const [whole = '', decimals = ''] = digits.split('.');
  let fraction = decimals;
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, lang === 'lv' ? NB : ',');
  const sign = value < 0 && /[1-9]/.test(digits) ? '-' : '';
  return `${sign}${grouped}${fraction ? (lang === 'lv' ? ',' : '.') + fraction : ''}`;
}

describe('PDF number formatting of large numbers, generated', () => {
  const rng = mulberry32(4021);
  const check = (value: number, min: number, max: number) => {
    for (const lang of ['lv', 'en'] as const)
      expect(formatNumber(value, lang, min, max), `${value} ${min}-${max} ${lang}`).toBe(
        exactNumber(value, lang, min, max),
      );
  };

  it('rounds from 2^40 units of the last decimal up by the value itself: no nudge, no exponent', () => {
    // Sums of many bounded cells can get here (programme totals); below 2^40 units the nudge absorbs representation
    // error by design (1.005 → 1.01), so the exact digits are not the expectation there.
    let checked = 0;
    for (let i = 0; i < 6000; i++) {
      const max = Math.floor(rng() * 4);
      const min = Math.floor(rng() * (max + 1));
      const magnitude = 10 ** (8 + rng() * 17);
      const value =
        (rng() < 0.5 ? Math.round(magnitude) + Math.floor(rng() * 1000) / 1000 : magnitude) * (rng() < 0.2 ? -1 : 1);
      if (Math.abs(value) * 10 ** max < 2 ** 40) continue;
      check(value, min, max);
      checked++;
    }
    expect(checked).toBeGreaterThan(4000);
  });

  it('rounds exact halves above 2^40 units away from zero, in both signs', () => {
    for (let i = 0; i < 500; i++) {
      const whole = 2 ** (41 + Math.floor(rng() * 11)) + Math.floor(rng() * 1000);
      const cents = 2 ** 36 + Math.floor(rng() * 1000);
      for (const sign of [1, -1]) {
        check(sign * (whole + 0.5), 0, 0);
        check(sign * (cents + 0.125), 2, 2);
        const minus = sign < 0 ? '-' : '';
        expect(formatNumber(sign * (whole + 0.5), 'en', 0, 0).replaceAll(',', '')).toBe(`${minus}${whole + 1}`);
        expect(formatNumber(sign * (cents + 0.125), 'en', 2, 2).replaceAll(',', '')).toBe(`${minus}${cents}.13`);
      }
    }
  });

  it('writes whole numbers up to 10^300 digit for digit', () => {
    for (let i = 0; i < 2000; i++) {
      const value = Math.round(10 ** (rng() * 300)) * (rng() < 0.2 ? -1 : 1);
      const decimals = Math.floor(rng() * 3);
      const text = formatNumber(value, 'en', decimals, decimals);
      expect(text, String(value)).not.toMatch(/e/);
      check(value, decimals, decimals);
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
