import { describe, expect, it } from 'vitest';
import { nameMatches, normaliseName } from '../../functions/core/names';

describe('name matching', () => {
  it.each([
    ['Projekta ID', 'PROJEKTA ID'],
    ['Projekta ID', 'projekta   id'],
    ['Projekta ID', 'Projekta\u00a0ID '],
    ['Līguma Nr.', 'liguma nr'],
    ['Attiecināmās izmaksas, EUR', 'ATTIECINAMAS IZMAKSAS , EUR'],
    ['Rādītāja kods', 'Raditaja_kods'],
    ['Nākamie soļi', 'NAKAMIE SOLI'],
  ])('%j matches %j', (canonical, typed) => {
    expect(nameMatches(typed, [canonical])).toBe(true);
  });

  it('does not match different names or empty text', () => {
    expect(nameMatches('Projekta nosaukums', ['Projekta ID'])).toBe(false);
    expect(nameMatches('', ['Projekta ID'])).toBe(false);
    expect(normaliseName('Sākuma  līmenis')).toBe('sakuma limenis');
  });
});
