/**
 * The words of download links and revision-page links in managers' and auditors' e-mails (issue 18), in both
 * languages; each mail picks its reader's.
 */
import type { Bilingual } from '../core/types';

export const LINK_TEXT = {
  linkedHeading: { lv: 'Pārskati lejupielādei', en: 'Reports to download' },
  linked: (limit: string): Bilingual => ({
    lv:
      `Pārskati nav pievienoti, jo kopā ar tiem e-pasts pārsniegtu ${limit} ierobežojumu. ` +
      'Katru no tiem var lejupielādēt ar vienu klikšķi zemāk esošajās saitēs.',
    en:
      `The reports are not attached because the e-mail would then exceed the ${limit} limit. ` +
      'Each one downloads with one click from the links below.',
  }),
  programme: { lv: 'Programmas kopsavilkums', en: 'Programme summary' },
  revisionPage: {
    lv: 'Redakcijas lapa: visi faili, SHA-256, avoti un pārbaude',
    en: 'Revision page: every file, SHA-256, sources and how to verify',
  },
  validUntil: (date: string): Bilingual => ({
    lv: `Saites derīgas līdz ${date}. Pēc tam jaunu saiti var lūgt vadošajai iestādei.`,
    en: `The links work until ${date}. After that, ask the managing authority for a new one.`,
  }),
  auditorSubject: { lv: 'PMIF pārskatu arhīvs: jauna redakcija', en: 'PMIF report archive: new revision' },
  auditorIntro: (period: string, revision: number): Bilingual => ({
    lv: `Pārskatu arhīvā ir izdota perioda ${period} redakcija r${revision}. Redakcijas lapā ir katrs pārskats ar tā izmēru un SHA-256, avoti ar versijām un jaucējvērtībām, manifests, izmaiņas salīdzinājumā ar iepriekšējo redakciju un norādījumi pārbaudei.`,
    en: `Revision r${revision} of period ${period} has been issued to the report archive. The revision page lists every report with its size and SHA-256, the sources with their versions and hashes, the manifest, the changes against the previous revision, and how to verify.`,
  }),
  auditorValid: (date: string): Bilingual => ({
    lv: `Saite derīga līdz ${date} (arhīva glabāšanas termiņš), ja vien tā netiek atsaukta, nomainot parakstīšanas atslēgu.`,
    en: `The link works until ${date} (the archive's retention), unless it is revoked by rotating the signing key.`,
  }),
  periodLabel: { lv: 'Periods', en: 'Period' },
  revisionLabel: { lv: 'Redakcija', en: 'Revision' },
} satisfies Record<string, Bilingual | ((...args: never[]) => Bilingual)>;
