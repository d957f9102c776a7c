import { describe, expect, it } from 'vitest';
import {
  elapsedShare,
  formatPeriod,
  isOnTime,
  parsePeriod,
  periodEnd,
  periodStart,
  periodsBetween,
  projectActiveIn,
  rigaDate,
  submissionDeadline,
} from '../../functions/core/period';

describe('periods', () => {
  it.each([
    ['2025-Q3', '2025-Q3'],
    ['2025 Q3', '2025-Q3'],
    ['Q3 2025', '2025-Q3'],
    ['  2025-q3 ', '2025-Q3'],
    ['2025. gada 3. ceturksnis', '2025-Q3'],
    ['2025.gada 4.ceturksnis', '2025-Q4'],
  ])('parses %j', (text, expected) => {
    const p = parsePeriod(text);
    expect(p && formatPeriod(p)).toBe(expected);
  });

  it.each(['2025-Q5', '2025-Q0', 'Q3', '2025', '3. ceturksnis', '1899-Q1', ''])('refuses %j', (text) => {
    expect(parsePeriod(text)).toBeNull();
  });

  it('knows quarter boundaries, including leap years', () => {
    expect(periodStart({ year: 2024, quarter: 1 })).toBe('2024-01-01');
    expect(periodEnd({ year: 2024, quarter: 1 })).toBe('2024-03-31');
    expect(periodEnd({ year: 2025, quarter: 2 })).toBe('2025-06-30');
    expect(periodEnd({ year: 2025, quarter: 4 })).toBe('2025-12-31');
    expect(periodsBetween('2024-11-15', '2025-04-01').map(formatPeriod)).toEqual(['2024-Q4', '2025-Q1', '2025-Q2']);
  });

  it('computes the deadline from the settings and judges uploads in Riga time', () => {
    const deadline = submissionDeadline({ year: 2025, quarter: 3 }, 15);
    expect(deadline).toBe('2025-10-15');
    // 23:30 Riga on the deadline day is 20:30 UTC (summer time): on time.
    expect(isOnTime(new Date('2025-10-15T20:30:00Z'), deadline)).toBe(true);
    // 00:30 Riga the next day is 21:30 UTC on the 15th: late, though UTC still says the 15th.
    expect(isOnTime(new Date('2025-10-15T21:30:00Z'), deadline)).toBe(false);
    expect(rigaDate(new Date('2025-12-31T22:30:00Z'))).toBe('2026-01-01');
  });

  it('computes the elapsed share of a project inclusively and clamps it', () => {
    expect(elapsedShare('2023-01-01', '2023-12-31', '2023-12-31')).toBe(1);
    expect(elapsedShare('2023-01-01', '2023-12-31', '2022-12-31')).toBe(0);
    expect(elapsedShare('2023-01-01', '2024-12-31', '2023-12-31')).toBeCloseTo(365 / 731, 6);
    expect(elapsedShare('2023-01-01', '2023-12-31', '2030-01-01')).toBe(1);
  });

  it('finds projects active in a period by overlap', () => {
    const project = { start: '2023-04-23', end: '2025-12-31' };
    expect(projectActiveIn(project, { year: 2023, quarter: 1 })).toBe(false);
    expect(projectActiveIn(project, { year: 2023, quarter: 2 })).toBe(true);
    expect(projectActiveIn(project, { year: 2025, quarter: 4 })).toBe(true);
    expect(projectActiveIn(project, { year: 2026, quarter: 1 })).toBe(false);
  });
});
