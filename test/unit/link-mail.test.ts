/**
 * Links in the managers' and auditors' e-mails (issue 18): what a managers' mail attaches at each size limit, that
 * every report it does not attach is linked by its own archive key (so the reader's edition), that without link
 * configuration it falls back to archive keys, and the auditors' short mail.
 */
import { describe, expect, it } from 'vitest';
import { composeAuditorMail } from '../../functions/mail/auditor-mail';
import { estimateEncodedSize } from '../../functions/mail/mail-blocks';
import { composeManagerMail, type ManagerMailInput } from '../../functions/mail/manager-mail';
import { sampleProgrammeReport } from '../fixtures/report-models';

const FROM = 'PMIF <noreply@pmif.example.lv>';
const BASE = 'http://localhost:8787/';
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251);

function input(edition: 'lv' | 'en', withLinks: boolean, maxBytes?: number): ManagerMailInput {
  const programme = sampleProgrammeReport();
  const suffix = edition === 'en' ? '.en' : '';
  const rev = `reports/${programme.period}/r${programme.revision}/`;
  const projectFiles = programme.projects.map((row, i) => ({
    projectId: row.id,
    title: row.title,
    pdf: bytes(20_000, i),
    xlsx: bytes(10_000, i + 50),
    pdfKey: `${rev}${row.id}${suffix}.pdf`,
    xlsxKey: `${rev}${row.id}${suffix}.xlsx`,
  }));
  const programmeKeys = { pdf: `${rev}programme${suffix}.pdf`, xlsx: `${rev}programme${suffix}.xlsx` };
  const allKeys = [programmeKeys.pdf, programmeKeys.xlsx, ...projectFiles.flatMap((f) => [f.pdfKey, f.xlsxKey])];
  return {
    from: FROM,
    to: 'manager@iem.example.lv',
    lang: edition,
    programme,
    programmePdf: bytes(30_000, 1),
    programmeXlsx: bytes(15_000, 2),
    projectFiles,
    programmeKeys,
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(withLinks
      ? {
          links: {
            files: new Map(
              allKeys.map((k) => [k, `${BASE}download?t=tok-${encodeURIComponent(k)}&k=${encodeURIComponent(k)}`]),
            ),
            revisionPage: `${BASE}revision?t=page`,
            validUntil: '2026-02-14',
          },
        }
      : {}),
  };
}

const linkedKeys = (html: string) =>
  [...html.matchAll(/href="([^"]+\/download\?[^"]+)"/g)].map((m) =>
    new URL(m[1]!.replace(/&amp;/g, '&')).searchParams.get('k'),
  );

describe("managers' mail with links", () => {
  it('attaches everything when it fits, and still links the revision page', () => {
    const mail = composeManagerMail(input('lv', true));
    const projects = sampleProgrammeReport().projects.length;
    expect(mail.attachments).toHaveLength(2 + 2 * projects);
    expect(linkedKeys(mail.html)).toEqual([]);
    expect(mail.text).toContain(`${BASE}revision?t=page`);
    expect(mail.text).toContain('Saites derīgas līdz 14.02.2026');
  });

  it('attaches the programme summary and links every project report when the projects do not fit', () => {
    const all = composeManagerMail(input('en', true));
    const mail = composeManagerMail(input('en', true, estimateEncodedSize(all) - 1));
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      expect.stringMatching(/^programme-.*\.pdf$/),
      expect.stringMatching(/^programme-.*\.xlsx$/),
    ]);
    const i = input('en', true);
    expect(linkedKeys(mail.html)).toEqual(i.projectFiles.flatMap((f) => [f.pdfKey, f.xlsxKey]));
    expect(linkedKeys(mail.html).every((k) => k?.endsWith('.en.pdf') || k?.endsWith('.en.xlsx'))).toBe(true);
    expect(mail.text).toContain('Each one downloads with one click');
  });

  it('attaches nothing and links every report, the summary too, when even the summary does not fit', () => {
    const mail = composeManagerMail(input('lv', true, 1000));
    expect(mail.attachments).toEqual([]);
    const i = input('lv', true);
    expect(linkedKeys(mail.html)).toEqual([
      i.programmeKeys!.pdf,
      i.programmeKeys!.xlsx,
      ...i.projectFiles.flatMap((f) => [f.pdfKey, f.xlsxKey]),
    ]);
    expect(mail.text).not.toMatch(/Pielikumi|Attachments/);
  });

  it('without link configuration keeps the summary attached and lists the reports by archive key', () => {
    const mail = composeManagerMail(input('lv', false, 1000));
    expect(mail.attachments).toHaveLength(2);
    expect(linkedKeys(mail.html)).toEqual([]);
    for (const f of input('lv', false).projectFiles) expect(mail.text).toContain(f.pdfKey);
    expect(mail.text).not.toContain('/revision?');
  });
});

describe("auditors' mail", () => {
  it('is short, in the auditor language, with the revision page link and no attachment', () => {
    const mail = composeAuditorMail({
      from: FROM,
      to: 'revizija@fm.example.lv',
      lang: 'lv',
      period: '2025-Q3',
      revision: 2,
      revisionUrl: `${BASE}revision?t=abc`,
      validUntil: '2035-10-16',
    });
    expect(mail.subject).toBe('PMIF pārskatu arhīvs: jauna redakcija 2025-Q3 (r2)');
    expect(mail.attachments).toEqual([]);
    expect(mail.html).toContain(`href="${BASE}revision?t=abc"`);
    expect(mail.html).toContain('<html lang="lv">');
    expect(mail.text).toContain('16.10.2035');
    const en = composeAuditorMail({
      from: FROM,
      to: 'auditor@ec.example.eu',
      lang: 'en',
      period: '2025-Q3',
      revision: 2,
      revisionUrl: `${BASE}revision?t=abc`,
      validUntil: '2035-10-16',
    });
    expect(en.text).toContain('unless it is revoked by rotating the signing key');
  });
});
