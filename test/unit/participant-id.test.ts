/**
 * The canonical participant ID, generated: IDs written in the scripts and ways coordinators write them (Latin with
 * diacritics, Greek with tonos and dialytika, Cyrillic, full-width forms, ligatures, invisible characters, odd
 * spaces), each compared with the same ID in lower case, in capitals, decomposed and composed.
 */
import { describe, expect, it } from 'vitest';
import { canonicalParticipantId } from '../../functions/core/participant-id';
import { mulberry32 } from '../../sample/sample-projects';

const PIECES = [
  ...'ABCXYZabcxyz0189-_/.',
  ...'āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽüöäßẞİı',
  ...'αβγΐΰϊϋάέήίόύώΑΒΓΪΫΆΈΉΊΌΎΏς',
  ...'абвгдеёжзийАБВГДЕЁЖЗИЙ',
  ...'ＡＢＣａｂｃ０１２ﬁﬂǅǈ',
  '\u0301',
  '\u0308',
  '\u030c',
  '\u200b',
  '\u00a0',
  '\u2009',
  ' ',
];

function generatedId(next: () => number): string {
  const length = 1 + Math.floor(next() * 8);
  let id = '';
  for (let i = 0; i < length; i++) id += PIECES[Math.floor(next() * PIECES.length)];
  return id;
}

const hex = (text: string) => [...text].map((ch) => ch.codePointAt(0)!.toString(16)).join(' ');

describe('canonical participant IDs, generated', () => {
  const next = mulberry32(390);
  const ids = Array.from({ length: 20_000 }, () => generatedId(next));

  it('are their own canonical form: folding one again changes nothing', () => {
    for (const id of ids) {
      const canonical = canonicalParticipantId(id);
      expect(hex(canonicalParticipantId(canonical)), hex(id)).toBe(hex(canonical));
    }
  });

  it('are the same for an ID in lower case, in capitals, decomposed and composed', () => {
    for (const id of ids) {
      const canonical = hex(canonicalParticipantId(id));
      for (const written of [id.toLowerCase(), id.toUpperCase(), id.normalize('NFD'), id.normalize('NFC')])
        expect(hex(canonicalParticipantId(written)), `${hex(id)} written as ${hex(written)}`).toBe(canonical);
    }
  });

  it('fold ΐ, Ϊ́ and Ι + diaeresis + acute to one form, composed', () => {
    const forms = ['\u0390-1', '\u03aa\u0301-1', '\u0399\u0308\u0301-1', '\u03b9\u0308\u0301-1'];
    const canonical = forms.map(canonicalParticipantId);
    expect(new Set(canonical).size).toBe(1);
    expect(canonical[0]).toBe('\u03aa\u0301-1');
  });
});
