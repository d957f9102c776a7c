/** The strict command line (issue 14): `--now` is ISO 8601 only, `--period` any quarter, `--project` ID-shaped. */
import { describe, expect, it } from 'vitest';
import { parseNow } from '../../functions/cli/local-deps';
import { periodOption, projectOption } from '../../functions/cli/options';

describe('--now', () => {
  it.each([
    // A date is 06:00 in Riga that day: UTC+3 in summer, UTC+2 in winter, summer time from its first day.
    ['2025-07-16', '2025-07-16T03:00:00.000Z'],
    ['2025-01-16', '2025-01-16T04:00:00.000Z'],
    ['2025-03-30', '2025-03-30T03:00:00.000Z'],
    ['2025-10-26', '2025-10-26T04:00:00.000Z'],
    ['2024-02-29', '2024-02-29T04:00:00.000Z'],
    // An instant keeps its own zone.
    ['2025-07-16T06:00:00+03:00', '2025-07-16T03:00:00.000Z'],
    ['2025-07-16T03:00Z', '2025-07-16T03:00:00.000Z'],
    ['2025-07-16T03:00:00.250Z', '2025-07-16T03:00:00.250Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseNow(text).toISOString()).toBe(iso);
  });

  it.each([
    '11/12/2026',
    '12.11.2026',
    '2025-02-30',
    '2023-02-29',
    '',
    ' ',
    'now',
    'today',
    '2025-7-16',
    '20250716',
    '2025-07-16T06:00',
    '2025-07-16 06:00Z',
    '2025-07-16T25:00Z',
    '2025-07-16T06:61Z',
    'Wed Jul 16 2025',
  ])('refuses %j, naming the forms it accepts', (text) => {
    expect(() => parseNow(text)).toThrow(/ISO 8601 date \(2025-07-16, 06:00 Riga\)/);
  });
});

describe('--period', () => {
  it.each([
    ['1923-Q1', '1923-Q1'],
    ['2025-q3', '2025-Q3'],
    ['2025Q4', '2025-Q4'],
    ['9999-Q4', '9999-Q4'],
    ['Q3 2025', '2025-Q3'],
  ])('takes %s as %s', (text, period) => {
    expect(periodOption(text)).toBe(period);
  });
  it.each(['2025-Q5', '2025-Q0', '25-Q3', '2025', ''])('refuses %j', (text) => {
    expect(() => periodOption(text)).toThrow(/a period such as 2025-Q3/);
  });
});

describe('--project', () => {
  it.each(['latvian-language', 'p1', 'a'])('takes %s', (id) => expect(projectOption(id)).toBe(id));
  it.each(['Latvian-Language', 'lv courses', '../registry', 'a/b', '-x', '', 'ā'])('refuses %j', (id) => {
    expect(() => projectOption(id)).toThrow(/project ID/);
  });
});
