/**
 * Money in integer cents, end to end (docs/architecture.md §5). Amounts are parsed into whole cents once, summed as integers,
 * and shares are computed from integer cents; a report shows cents / 100, which every renderer prints with two
 * decimals, so the PDF, the XLSX, the e-mail and the manifest carry the same figure.
 *
 * The one rounding rule: **half away from zero, on the exact decimal value** (what Excel's ROUND and Latvian
 * accounting practice do): 0,005 → 0,01; −0,005 → −0,01; 12,344 999 → 12,34. It applies where a value finer than a
 * cent is turned into cents: an amount typed with more decimals, and the EU share of a spend
 * (spend × rate, rounded once). The national share is spend − EU share, so the two always add up to the spend.
 */

/** Splits a finite number into its exact shortest decimal digits (JavaScript's own `String(n)` round-trip form). */
function decimalParts(value: number): { negative: boolean; digits: string; exponent: number } {
  // toExponential() without an argument gives the shortest digits that read back as the same double.
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(value.toExponential());
  if (!m) throw new RangeError(`not a finite number: ${value}`);
  const digits = `${m[2]}${m[3] ?? ''}`;
  return { negative: m[1] === '-', digits, exponent: Number(m[4]) - (digits.length - 1) };
}

/**
 * Whole cents of a euro amount, rounded half away from zero on the decimal value the number stands for (so
 * 1.005 → 101 cents, although the double 1.005 is slightly below it). Null for a value that is not finite or
 * not representable as a safe integer of cents.
 */
export function toCents(euros: number): number | null {
  if (!Number.isFinite(euros)) return null;
  if (euros === 0) return 0;
  const { negative, digits, exponent } = decimalParts(euros);
  // value = digits × 10^exponent; cents = value × 100 = digits × 10^(exponent + 2).
  const shift = exponent + 2;
  let cents: bigint;
  if (shift >= 0) cents = BigInt(digits) * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    const n = BigInt(digits);
    cents = n / divisor;
    if ((n % divisor) * 2n >= divisor) cents += 1n;
  }
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const result = Number(cents);
  return negative ? -result : result;
}

/** True when a euro amount has nothing below the cent (12.34, not 12.345). */
export function isWholeCents(euros: number): boolean {
  const cents = toCents(euros);
  return cents !== null && cents / 100 === euros;
}

/** A cents figure as euros for display and for the report model: exactly the decimal `cents / 100`. */
export function centsToEuros(cents: number): number {
  return cents / 100;
}

/** Integer division of two bigints, rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return negative ? -q : q;
}

/**
 * A rate in percent (75, 82.5, 33.33) as an exact fraction: numerator over a power of ten. Rates have at most a
 * few decimals; the exact decimal digits of the number are used, so 82.5 is 825/1000, never 82.4999….
 */
function percentAsFraction(percent: number): { numerator: bigint; denominator: bigint } {
  if (!Number.isFinite(percent)) throw new RangeError(`not a finite rate: ${percent}`);
  if (percent === 0) return { numerator: 0n, denominator: 100n };
  const { negative, digits, exponent } = decimalParts(percent);
  const n = BigInt(digits) * (negative ? -1n : 1n);
  if (exponent >= 0) return { numerator: n * 10n ** BigInt(exponent), denominator: 100n };
  return { numerator: n, denominator: 100n * 10n ** BigInt(-exponent) };
}

/** The EU and national shares of a spend in cents at an EU co-financing rate in percent (the rule above). */
export function splitShares(spentCents: number, euRatePercent: number): { euCents: number; nationalCents: number } {
  const { numerator, denominator } = percentAsFraction(euRatePercent);
  const euCents = Number(divideRounded(BigInt(spentCents) * numerator, denominator));
  return { euCents, nationalCents: spentCents - euCents };
}

/** Sum of integer cents (kept as one function so no float sum of euros creeps back in). */
export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
