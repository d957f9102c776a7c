/**
 * The managers' e-mail that carries an Art. 42 transmission: a short note in the recipient's language with the
 * workbook of that edition attached. No participant data: the workbook holds programme totals only.
 */
import { XLSX_CONTENT_TYPE } from '../core/cells';
import { formatDate } from '../core/format';
import type { OutgoingMail } from '../core/ports';
import type { Lang } from '../core/types';
import { escapeHtml } from './mail-blocks';

export interface TransmissionMailInput {
  from: string;
  to: string;
  lang: Lang;
  cutoff: string;
  revision: number;
  /** Projects whose submission for the cut-off quarter is missing or late (listed in the comments too). */
  lateOrMissing: string[];
  xlsx: Uint8Array;
  xlsxKey: string;
}

const TEXT = {
  subject: {
    lv: (c: string, r: number) => `PMIF: KNR 42. pantā noteiktā datu nosūtīšana uz ${formatDate(c, 'lv')} (r${r})`,
    en: (c: string, r: number) => `PMIF: CPR Art. 42 data transmission at ${c} (r${r})`,
  },
  body: {
    lv: (c: string) =>
      `Pielikumā ir rādītāju vērtības uz ${formatDate(c, 'lv')}, sakārtotas kā KNR VII pielikuma 7. un 11. tabulā (iznākuma un rezultātu rādītāji), ar sadalījumu pēc dzimuma un vecuma. Tās nosūtāmas Komisijai līdz ${c.endsWith('12-31') ? '31. janvārim' : '31. jūlijam'}.`,
    en: (c: string) =>
      `Attached are the indicator values at ${c}, laid out as CPR Annex VII Tables 7 and 11 (outputs and results), with the gender and age breakdowns. They are due to the Commission by ${c.endsWith('12-31') ? '31 January' : '31 July'}.`,
  },
  late: {
    lv: (ids: string) => `Ceturkšņa iesniegums nav saņemts vai iesniegts novēloti: ${ids}.`,
    en: (ids: string) => `Quarterly submission missing or late: ${ids}.`,
  },
  archived: { lv: 'Arhīvā:', en: 'Archived as:' },
};

export function composeTransmissionMail(input: TransmissionMailInput): OutgoingMail {
  const { lang } = input;
  const lines = [TEXT.body[lang](input.cutoff)];
  if (input.lateOrMissing.length > 0) lines.push(TEXT.late[lang](input.lateOrMissing.join(', ')));
  lines.push(`${TEXT.archived[lang]} ${input.xlsxKey}`);
  const file = input.xlsxKey.split('/').at(-1) ?? 'transmission.xlsx';
  return {
    from: input.from,
    to: [input.to],
    subject: TEXT.subject[lang](input.cutoff, input.revision),
    text: `${lines.join('\n\n')}\n`,
    html: `<!doctype html><html lang="${lang}"><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`,
    attachments: [
      { filename: `${input.cutoff}-r${input.revision}-${file}`, contentType: XLSX_CONTENT_TYPE, content: input.xlsx },
    ],
  };
}
