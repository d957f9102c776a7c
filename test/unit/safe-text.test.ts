import { describe, expect, it } from 'vitest';
import { csvEscape, MAX_CELL_TEXT, safeCellText } from '../../functions/workbooks/safe-text';
import { HOSTILE_TEXTS } from '../fixtures/xlsx-report-models';

describe('safeCellText', () => {
  it('strips control characters but keeps tab and newline', () => {
    expect(safeCellText('a\u0000b\u0007c\td\ne\rf\u000Bg\u007Fh\u0085i')).toBe('abc\td\nefghi');
  });

  it('keeps Latvian letters, emoji and ordinary punctuation unchanged', () => {
    const text = 'Ģimeņu atbalsts — 87 % “labi”, Ķīpsala 😀 & <b>';
    expect(safeCellText(text)).toBe(text);
  });

  it('drops lone surrogates and XML non-characters that would corrupt the file', () => {
    expect(safeCellText('x\uD83Dy\uDE00z\uFFFE\uFFFF')).toBe('xyz');
  });

  it('returns formula-looking text as the same plain string', () => {
    for (const hostile of HOSTILE_TEXTS) {
      const safe = safeCellText(hostile);
      expect(typeof safe).toBe('string');
      expect(safe).toBe(hostile.replace(/\r/g, ''));
    }
  });

  it('leaves text at the limit alone and cuts longer text to the limit with a visible mark', () => {
    const atLimit = 'a'.repeat(MAX_CELL_TEXT);
    expect(safeCellText(atLimit)).toBe(atLimit);
    const cut = safeCellText('b'.repeat(MAX_CELL_TEXT + 500));
    expect(cut).toHaveLength(MAX_CELL_TEXT);
    expect(cut.endsWith('b…')).toBe(true);
  });

  it('counts the limit after stripping, so control characters do not cause a cut', () => {
    const text = `${'c'.repeat(MAX_CELL_TEXT)}\u0000\u0000`;
    expect(safeCellText(text)).toBe('c'.repeat(MAX_CELL_TEXT));
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `${'d'.repeat(MAX_CELL_TEXT - 2)}😀😀`;
    const cut = safeCellText(text);
    expect(cut).toBe(`${'d'.repeat(MAX_CELL_TEXT - 2)}…`);
  });

  it('escapes OOXML _xHHHH_ sequences so the cell shows them literally', () => {
    expect(safeCellText('a_x0041_b _x00e9_ _x12_')).toBe('a_x005F_x0041_b _x005F_x00e9_ _x12_');
  });
});

describe('csvEscape', () => {
  it('prefixes a single quote to fields that start a formula', () => {
    expect(csvEscape("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvEscape('+SUM(A1:A2)')).toBe("'+SUM(A1:A2)");
    expect(csvEscape('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvEscape('-2+3')).toBe("'-2+3");
    expect(csvEscape('\t=1')).toBe("'\t=1");
  });

  it('neutralises a leading carriage return and quotes the field because of it', () => {
    expect(csvEscape('\r=1')).toBe(`"'\r=1"`);
  });

  it('quotes fields with commas, quotes or line breaks, doubling inner quotes (RFC 4180)', () => {
    expect(csvEscape('Rīga, Liepāja')).toBe('"Rīga, Liepāja"');
    expect(csvEscape('Biedrība "Ūdeņi"')).toBe('"Biedrība ""Ūdeņi"""');
    expect(csvEscape('line\nbreak')).toBe('"line\nbreak"');
    expect(csvEscape('=1,"2"')).toBe(`"'=1,""2"""`);
  });

  it('leaves ordinary fields alone, including formula characters after the first', () => {
    expect(csvEscape('PMIF-2024-001')).toBe('PMIF-2024-001');
    expect(csvEscape('a=b+c')).toBe('a=b+c');
    expect(csvEscape('')).toBe('');
  });
});
