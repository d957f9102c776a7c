/** The Art. 42 transmission mail writes its cut-off date the way each language writes dates everywhere else. */
import { describe, expect, it } from 'vitest';
import { composeTransmissionMail } from '../../functions/mail/transmission-mail';

const mail = (lang: 'lv' | 'en') =>
  composeTransmissionMail({
    from: 'pmif@example.lv',
    to: 'vaditajs@example.lv',
    lang,
    cutoff: '2026-06-30',
    revision: 1,
    lateOrMissing: ['civic-orientation'],
    xlsx: new Uint8Array([1]),
    xlsxKey: 'transmissions/2026-06-30/r1/transmission.xlsx',
  });

describe('transmission mail dates', () => {
  it.each([
    ['lv', '30.06.2026', '31. jūlijam'],
    ['en', '2026-06-30', '31 July'],
  ] as const)('%s: the cut-off as %s, due by %s', (lang, date, due) => {
    const m = mail(lang);
    expect(m.subject).toContain(date);
    expect(m.text).toContain(date);
    expect(m.text).toContain(due);
    // Only the archive key keeps the ISO form in Latvian (it is a storage name).
    if (lang === 'lv') expect(m.text.replace(/transmissions\/\S+/, '')).not.toContain('2026-06-30');
  });
});
