/**
 * The auditors' short e-mail (issue 18): one per auditor and issued revision, in the auditor's language, with the
 * link to the revision page and nothing attached. No figures, no project data: the page and the archive hold them.
 */
import { formatDate } from '../core/format';
import type { OutgoingMail } from '../core/ports';
import type { Bilingual, Lang } from '../core/types';
import { LINK_TEXT } from './link-text';
import { type Block, bilingualMail } from './mail-blocks';
import { MAIL_TEXT } from './mail-text';

export interface AuditorMailInput {
  from: string;
  to: string;
  lang: Lang;
  period: string;
  revision: number;
  /** The revision page (a signed link that lives as long as the archive's retention). */
  revisionUrl: string;
  /** When the link stops working, `YYYY-MM-DD`. */
  validUntil: string;
}

export function composeAuditorMail(input: AuditorMailInput): OutgoingMail {
  const { lang } = input;
  const t = (b: Bilingual) => b[lang];
  const subject = `${t(LINK_TEXT.auditorSubject)} ${input.period} (r${input.revision})`;
  const blocks: Block[] = [
    { kind: 'h1', text: subject },
    {
      kind: 'fields',
      rows: [
        [t(LINK_TEXT.periodLabel), input.period],
        [t(LINK_TEXT.revisionLabel), `r${input.revision}`],
      ],
    },
    { kind: 'p', text: t(LINK_TEXT.auditorIntro(input.period, input.revision)) },
    { kind: 'link', label: t(LINK_TEXT.revisionPage), href: input.revisionUrl },
    { kind: 'p', text: t(LINK_TEXT.auditorValid(formatDate(input.validUntil, lang))), tone: 'muted' },
    { kind: 'p', text: t(MAIL_TEXT.automatic), tone: 'muted' },
  ];
  return bilingualMail({ from: input.from, to: [input.to] }, subject, blocks, lang, []);
}
