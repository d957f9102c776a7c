/**
 * The four e-mails, composed from models: subjects, both bodies in the right language(s) with Latvian diacritics
 * intact, hostile titles escaped in HTML, attachments named and typed, and the size rule for project reports.
 */
import { describe, expect, it } from 'vitest';
import { XLSX_CONTENT_TYPE } from '../../functions/core/cells';
import type { ProgrammeProjectRow, ProgrammeReportModel } from '../../functions/core/report-types';
import type { ValidationIssue } from '../../functions/core/types';
import {
  composeAcceptanceMail,
  composeRejectionMail,
  composeReminderMail,
  MAX_LISTED_ISSUES,
} from '../../functions/mail/coordinator-mails';
import { estimateEncodedSize } from '../../functions/mail/mail-blocks';
import {
  composeManagerMail,
  DEFAULT_MAX_MAIL_BYTES,
  type ManagerMailInput,
  PDF_CONTENT_TYPE,
  type ProjectReportFiles,
} from '../../functions/mail/manager-mail';

const NBSP = '\u00a0';
const HOSTILE_TITLE = 'Valoda <script>alert("x")</script> & integrācija';
const FROM = 'PMIF pārskati <noreply@pmif.example.lv>';

function projectRow(
  id: string,
  title: string,
  submission: ProgrammeProjectRow['submission'],
  absorption: number,
): ProgrammeProjectRow {
  return {
    id,
    title,
    beneficiary: 'Biedrība "Ūdeņu ķēde"',
    fund: 'AMIF-2021-2027',
    submission,
    statusCounts: { achieved: 1, 'on-track': 2, 'at-risk': 0, behind: 1, 'not-achieved': 0, 'no-target': 0 },
    eligibleCost: 100_000,
    spentCumulative: absorption * 100_000,
    absorption,
    elapsed: 0.5,
  };
}

function programme(overrides: Partial<ProgrammeReportModel> = {}): ProgrammeReportModel {
  return {
    kind: 'programme',
    period: '2025-Q3',
    periodStart: '2025-07-01',
    periodEnd: '2025-09-30',
    revision: 1,
    generatedAt: '2025-10-16T06:00:00.000Z',
    deadline: '2025-10-15',
    projects: [
      projectRow('valoda-riga', HOSTILE_TITLE, 'on-time', 0.425),
      projectRow('juridiska-palidziba', 'Juridiskā palīdzība patvēruma meklētājiem', 'late', 0.3),
      projectRow('atgriesanas', 'Brīvprātīgā atgriešanās', 'missing', 0.2625),
    ],
    indicators: [
      {
        code: 'O.2.3.1',
        name: { lv: 'Dalībnieki valodas kursos', en: 'Participants in language courses' },
        unit: { lv: 'personas', en: 'persons' },
        thisPeriod: 12,
        cumulative: 40,
        target: 100,
        cumulativeWithTarget: 40,
        achievement: 40 / 100,
        projects: 2,
      },
    ],
    finance: {
      eligibleCost: 300_000,
      spentThisPeriod: 12_345.67,
      spentCumulative: 98_750,
      euShare: 74_062.5,
      nationalShare: 24_687.5,
      absorption: 0.329_166,
    },
    completeness: { onTime: ['valoda-riga'], late: ['juridiska-palidziba'], missing: ['atgriesanas'] },
    changes: [],
    ...overrides,
  };
}

function bytes(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

function projectFiles(size: number): ProjectReportFiles[] {
  return programme().projects.map((row, i) => ({
    projectId: row.id,
    title: row.title,
    pdf: bytes(size, i),
    xlsx: bytes(size, i + 100),
    pdfKey: `reports/2025-Q3/r1/${row.id}.pdf`,
    xlsxKey: `reports/2025-Q3/r1/${row.id}.xlsx`,
  }));
}

function managerInput(overrides: Partial<ManagerMailInput> = {}): ManagerMailInput {
  return {
    from: FROM,
    to: 'vaditajs@iem.example.lv',
    lang: 'lv',
    programme: programme(),
    programmePdf: bytes(2000, 1),
    programmeXlsx: bytes(1500, 2),
    projectFiles: projectFiles(1000),
    ...overrides,
  };
}

const issue = (overrides: Partial<ValidationIssue>): ValidationIssue => ({
  severity: 'error',
  code: 'value-not-number',
  message: { lv: 'Vērtība nav skaitlis.', en: 'The value is not a number.' },
  ...overrides,
});

describe('composeManagerMail', () => {
  it('shows times in Riga time and says so, and dates the way each language writes them', () => {
    // 06:00 UTC on 16 October 2025 is 09:00 in Riga (summer time).
    const lv = composeManagerMail(managerInput());
    expect(lv.text).toContain('16.10.2025 09:00 (Rīgas laiks)');
    expect(lv.text).not.toContain('UTC');
    expect(lv.text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b(?! *\()/);
    const en = composeManagerMail(managerInput({ lang: 'en' }));
    expect(en.text).toContain('09:00 (Riga time)');
    expect(en.text).not.toContain('UTC');
  });

  it('writes a Latvian report with the KPI summary, project table and attachment list', () => {
    const mail = composeManagerMail(managerInput());

    expect(mail.subject).toBe('PMIF progresa pārskats 2025-Q3 (r1)');
    expect(mail.from).toBe(FROM);
    expect(mail.to).toEqual(['vaditajs@iem.example.lv']);
    expect(mail.text).toContain('Projekti periodā: 3');
    expect(mail.text).toContain('Iesnieguši pārskatu: 2 no 3');
    expect(mail.text).toContain('Iesniegts laikā: 1 — valoda-riga');
    expect(mail.text).toContain('Iesniegts novēloti: 1 — juridiska-palidziba');
    expect(mail.text).toContain('Nav iesniegts: 1 — atgriesanas');
    expect(mail.text).toContain(`Izdevumi periodā: 12${NBSP}345,67${NBSP}EUR`);
    expect(mail.text).toContain(`Izdevumi kopā: 98${NBSP}750,00${NBSP}EUR`);
    expect(mail.text).toContain(`Apguve: 32,9${NBSP}% no attiecināmajām izmaksām (300${NBSP}000,00${NBSP}EUR)`);
    // Status counts summed over the three projects (1, 2, 0, 1, 0 each).
    expect(mail.text).toContain('Sasniegts | 3');
    expect(mail.text).toContain('Atbilst plānam | 6');
    expect(mail.text).toContain('Risks | 0');
    expect(mail.text).toContain('Atpaliek | 3');
    expect(mail.text).toContain(
      `juridiska-palidziba | Juridiskā palīdzība patvēruma meklētājiem | Iesniegts novēloti | 30${NBSP}000,00${NBSP}EUR | 30,0${NBSP}% | 50,0${NBSP}%`,
    );
    expect(mail.text).toContain('- programme-2025-Q3-r1.pdf (2 KB)');
    expect(mail.text).toContain('Pievienoti arī 3 projektu pārskati');
    expect(mail.text).not.toContain('Labots');
    expect(mail.text).not.toContain('Izmaiņas salīdzinājumā');
    expect(mail.html).toContain('<html lang="lv">');
    expect(mail.html).toContain('Iesniegts novēloti');
    expect(mail.headers).toEqual({ 'Auto-Submitted': 'auto-generated' });
  });

  it('writes the whole mail in English for an English-speaking manager', () => {
    const mail = composeManagerMail(managerInput({ lang: 'en' }));

    expect(mail.subject).toBe('PMIF progress report 2025-Q3 (r1)');
    expect(mail.text).toContain('Submitted on time: 1 — valoda-riga');
    expect(mail.text).toContain('Missing: 1 — atgriesanas');
    expect(mail.text).toContain(`Spending this period: EUR${NBSP}12,345.67`);
    expect(mail.text).toContain('Absorption: 32.9% of eligible cost');
    expect(mail.text).toContain('On track | 6');
    expect(mail.html).toContain('<html lang="en">');
    for (const latvian of ['Kopsavilkums', 'Iesniegts', 'Pielikumi', 'pārskats']) {
      expect(mail.text).not.toContain(latvian);
      expect(mail.html).not.toContain(latvian);
    }
  });

  it('escapes project titles in HTML and keeps them verbatim in plain text', () => {
    const mail = composeManagerMail(managerInput());

    expect(mail.html).toContain('Valoda &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; integrācija');
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toMatch(/& integr/);
    expect(mail.text).toContain(HOSTILE_TITLE);
  });

  it('marks a corrected revision in the subject and lists every changed figure', () => {
    const changes = [
      { projectId: 'valoda-riga', figure: 'O.2.3.1', old: 10, new: 12 },
      { projectId: 'atgriesanas', figure: 'finance', old: 1000, new: 1250.5 },
    ];
    const mail = composeManagerMail(managerInput({ programme: programme({ revision: 2, changes }) }));

    expect(mail.subject).toBe('Labots pārskats: PMIF progresa pārskats 2025-Q3 (r2)');
    expect(mail.text).toContain('Šī ir labotā redakcija r2');
    expect(mail.text).toContain(`valoda-riga | ${HOSTILE_TITLE} | O.2.3.1 — Dalībnieki valodas kursos | 10 | 12`);
    expect(mail.text).toContain(
      `atgriesanas | Brīvprātīgā atgriešanās | Izdevumi, EUR | 1${NBSP}000,00 | 1${NBSP}250,50`,
    );
    expect(mail.attachments.map((a) => a.filename)).toContain('programme-2025-Q3-r2.pdf');

    const english = composeManagerMail(managerInput({ lang: 'en', programme: programme({ revision: 2, changes }) }));
    expect(english.subject).toBe('Corrected report: PMIF progress report 2025-Q3 (r2)');
    expect(english.text).toContain(
      'valoda-riga | Valoda <script>alert("x")</script> & integrācija | O.2.3.1 — Participants',
    );
  });

  it('treats recorded changes as a correction even in r1, and says so when a revision changed no figure', () => {
    const withChanges = programme({ changes: [{ projectId: 'valoda-riga', figure: 'O.2.3.1', old: 1, new: 2 }] });
    expect(composeManagerMail(managerInput({ programme: withChanges })).subject).toMatch(/^Labots pārskats: /);

    const r2 = composeManagerMail(managerInput({ programme: programme({ revision: 2 }) }));
    expect(r2.subject).toBe('Labots pārskats: PMIF progresa pārskats 2025-Q3 (r2)');
    expect(r2.text).toContain('Neviena rādītāja vai izdevumu vērtība nav mainījusies.');
  });

  it('attaches the programme and every project report when they fit', () => {
    const mail = composeManagerMail(managerInput());

    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['programme-2025-Q3-r1.pdf', PDF_CONTENT_TYPE],
      ['programme-2025-Q3-r1.xlsx', XLSX_CONTENT_TYPE],
      ['valoda-riga-2025-Q3-r1.pdf', PDF_CONTENT_TYPE],
      ['valoda-riga-2025-Q3-r1.xlsx', XLSX_CONTENT_TYPE],
      ['juridiska-palidziba-2025-Q3-r1.pdf', PDF_CONTENT_TYPE],
      ['juridiska-palidziba-2025-Q3-r1.xlsx', XLSX_CONTENT_TYPE],
      ['atgriesanas-2025-Q3-r1.pdf', PDF_CONTENT_TYPE],
      ['atgriesanas-2025-Q3-r1.xlsx', XLSX_CONTENT_TYPE],
    ]);
    expect(mail.text).not.toContain('reports/2025-Q3/r1/');
  });

  it('attaches the very bytes it was given', () => {
    const input = managerInput();
    const mail = composeManagerMail(input);
    expect(mail.attachments[0]!.content).toBe(input.programmePdf);
    expect(mail.attachments[1]!.content).toBe(input.programmeXlsx);
    expect(mail.attachments[2]!.content).toBe(input.projectFiles[0]!.pdf);
    expect(mail.attachments[7]!.content).toBe(input.projectFiles[2]!.xlsx);
  });

  it('lists the project reports by archive key, attaching none, when they would pass 10 MB', () => {
    // 3 projects × 2 × 1.75 MB = 10.5 MB before encoding: over the limit however it is counted.
    const mail = composeManagerMail(managerInput({ projectFiles: projectFiles(1_750_000) }));

    expect(DEFAULT_MAX_MAIL_BYTES).toBe(10_000_000);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['programme-2025-Q3-r1.pdf', 'programme-2025-Q3-r1.xlsx']);
    expect(mail.text).toContain(
      'Projektu pārskati nav pievienoti, jo kopā ar tiem e-pasts pārsniegtu 10 MB ierobežojumu.',
    );
    for (const row of programme().projects) {
      expect(mail.text).toContain(`reports/2025-Q3/r1/${row.id}.pdf | reports/2025-Q3/r1/${row.id}.xlsx`);
      expect(mail.html).toContain(`reports/2025-Q3/r1/${row.id}.xlsx`);
    }
    expect(mail.text).not.toContain('Pievienoti arī');
    expect(estimateEncodedSize(mail)).toBeLessThan(DEFAULT_MAX_MAIL_BYTES);
  });

  it('attaches project reports of just under 10 MB in total when encoded', () => {
    // 3 × 2 × 1.2 MB = 7.2 MB raw ≈ 9.7 MB in base64: still fits.
    const mail = composeManagerMail(managerInput({ projectFiles: projectFiles(1_200_000) }));
    expect(mail.attachments).toHaveLength(8);
    expect(estimateEncodedSize(mail)).toBeLessThanOrEqual(DEFAULT_MAX_MAIL_BYTES);
  });

  it('follows a custom size limit, naming it in the body', () => {
    const mail = composeManagerMail(managerInput({ lang: 'en', maxBytes: 20_000 }));
    expect(mail.attachments).toHaveLength(2);
    expect(mail.text).toContain('would exceed the 20 kB limit');
  });

  it('keeps the recipient address out of the body', () => {
    const mail = composeManagerMail(managerInput());
    expect(mail.text).not.toContain('vaditajs@');
    expect(mail.html).not.toContain('vaditajs@');
  });
});

describe('composeAcceptanceMail', () => {
  const base = {
    from: FROM,
    to: ['koordinators@biedriba.example.lv'],
    projectId: 'valoda-riga',
    period: '2025-Q3',
    sourceKey: 'inbox/valoda-riga/ceturksnis 3 — galīgais.xlsx',
    sha256: 'a'.repeat(64),
  };

  it('confirms in Latvian, then English, naming the file by its name, not its storage key or hash', () => {
    const mail = composeAcceptanceMail({ ...base, warnings: [] });

    expect(mail.subject).toBe('PMIF valoda-riga 2025-Q3: iesniegums pieņemts / submission accepted');
    expect(mail.to).toEqual(['koordinators@biedriba.example.lv']);
    const lv = mail.text.indexOf('Projekta valoda-riga progresa pārskata iesniegums par periodu 2025-Q3 ir pieņemts');
    const en = mail.text.indexOf('The progress submission of project valoda-riga for 2025-Q3 has been accepted');
    expect(lv).toBeGreaterThan(0);
    expect(en).toBeGreaterThan(lv);
    expect(mail.text).toContain('Datne / File: ceturksnis 3 — galīgais.xlsx');
    expect(mail.text).not.toContain('inbox/');
    expect(mail.text).not.toContain('a'.repeat(64));
    expect(mail.text).not.toContain('Brīdinājumi');
    expect(mail.attachments).toEqual([]);
  });

  it('lists the warnings with sheet!cell and both messages', () => {
    const warnings = [
      issue({
        severity: 'warning',
        code: 'value-differs',
        sheet: 'Rādītāji',
        cell: 'C7',
        message: { lv: 'Vērtība atšķiras <no> aprēķinātās & pārbaudiet.', en: 'Value differs.' },
        found: 'ievadīts 12 / typed 12',
        expected: 'aprēķināts 14 / computed 14',
      }),
      issue({
        severity: 'warning',
        code: 'no-narrative',
        message: { lv: 'Nav aprakstošās daļas.', en: 'No narrative.' },
      }),
      issue({
        severity: 'warning',
        code: 'x',
        sheet: 'Mana lapa',
        cell: 'B2',
        message: { lv: 'Pārbaudiet.', en: 'Check.' },
      }),
    ];
    const mail = composeAcceptanceMail({ ...base, warnings });

    expect(mail.text).toContain('Lūdzu, izskatiet tālāk norādītos brīdinājumus (3)');
    expect(mail.text).toContain('Brīdinājumi / Warnings');
    // Each warning with what was typed and what was computed or expected.
    expect(mail.text).toContain(
      'Vieta / Location | Veids / Type | Ziņojums | Message | Konstatēts / Found | Jābūt / Expected',
    );
    expect(mail.text).toContain(
      'Rādītāji!C7 | Brīdinājums / Warning | Vērtība atšķiras <no> aprēķinātās & pārbaudiet. | Value differs. | ievadīts 12 / typed 12 | aprēķināts 14 / computed 14',
    );
    expect(mail.text).toContain(
      'visa datne / whole file | Brīdinājums / Warning | Nav aprakstošās daļas. | No narrative.',
    );
    expect(mail.text).toContain("'Mana lapa'!B2 | Brīdinājums / Warning | Pārbaudiet. | Check.");
    expect(mail.html).toContain('Vērtība atšķiras &lt;no&gt; aprēķinātās &amp; pārbaudiet.');
  });

  it('puts English first when asked', () => {
    const mail = composeAcceptanceMail({ ...base, lang: 'en', warnings: [] });
    expect(mail.subject).toBe('PMIF valoda-riga 2025-Q3: submission accepted / iesniegums pieņemts');
    expect(mail.text.indexOf('has been accepted')).toBeLessThan(mail.text.indexOf('ir pieņemts'));
    expect(mail.html).toContain('<html lang="en">');
  });
});

describe('composeRejectionMail', () => {
  const issues: ValidationIssue[] = [
    issue({
      severity: 'warning',
      code: 'x',
      sheet: 'Izdevumi',
      cell: 'B9',
      message: { lv: 'Brīdinājums.', en: 'A warning.' },
    }),
    issue({ sheet: 'Rādītāji', cell: 'C5', found: 'divpadsmit <12> & vairāk', expected: 'skaitlis ≥ 0' }),
    issue({
      code: 'sheet-missing',
      message: { lv: 'Trūkst obligātās lapas.', en: 'A required sheet is missing.' },
      expected: 'Izdevumi',
    }),
    issue({
      code: 'value-not-allowed',
      sheet: 'Dalībnieki',
      cell: 'A4',
      found: '******-*****',
      expected: 'pseidonīms',
    }),
  ];

  it('names every issue in both languages, errors first, with found and expected', () => {
    const mail = composeRejectionMail({
      from: FROM,
      to: ['koordinators@biedriba.example.lv'],
      projectId: 'valoda-riga',
      sourceKey: 'inbox/valoda-riga/q3.xlsx',
      issues,
    });

    expect(mail.subject).toBe('PMIF valoda-riga: iesniegums noraidīts / submission rejected');
    expect(mail.text).toContain('Datne q3.xlsx netika pieņemta. Kļūdu skaits: 3.');
    expect(mail.text).toContain('The file q3.xlsx was not accepted. Errors: 3.');
    expect(mail.text).not.toContain('inbox/valoda-riga/');
    expect(mail.text).toContain(
      'Vieta / Location | Veids / Type | Ziņojums | Message | Konstatēts / Found | Jābūt / Expected',
    );
    const rows = [
      'Rādītāji!C5 | Kļūda / Error | Vērtība nav skaitlis. | The value is not a number. | divpadsmit <12> & vairāk | skaitlis ≥ 0',
      'visa datne / whole file | Kļūda / Error | Trūkst obligātās lapas. | A required sheet is missing. |  | Izdevumi',
      'Dalībnieki!A4 | Kļūda / Error | Vērtība nav skaitlis. | The value is not a number. | ******-***** | pseidonīms',
      'Izdevumi!B9 | Brīdinājums / Warning | Brīdinājums. | A warning. |  | ',
    ];
    const positions = rows.map((row) => mail.text.indexOf(row));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(mail.html).toContain('divpadsmit &lt;12&gt; &amp; vairāk');
    expect(mail.html).not.toContain('<12>');
    expect(mail.attachments).toEqual([]);
    expect(mail.text).not.toContain('Pielikumā');
  });

  it('attaches the annotated workbook as XLSX and says so', () => {
    const content = bytes(500, 7);
    const mail = composeRejectionMail({
      from: FROM,
      to: ['a@biedriba.example.lv', 'b@biedriba.example.lv'],
      projectId: 'valoda-riga',
      sourceKey: 'inbox/valoda-riga/q3.xlsx',
      issues,
      annotated: { filename: 'q3-kļūdas.xlsx', content },
    });

    expect(mail.to).toEqual(['a@biedriba.example.lv', 'b@biedriba.example.lv']);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'q3-kļūdas.xlsx', contentType: XLSX_CONTENT_TYPE });
    expect(mail.attachments[0]!.content).toBe(content);
    expect(mail.text).toContain('Pielikumā (q3-kļūdas.xlsx) ir jūsu darbgrāmata ar iezīmētām kļūdainajām šūnām.');
    expect(mail.text).toContain('Attached (q3-kļūdas.xlsx) is your workbook with the wrong cells highlighted.');
  });

  it('names the file when the upload could not be tied to a project', () => {
    const mail = composeRejectionMail({
      from: FROM,
      to: ['x@example.lv'],
      projectId: null,
      sourceKey: 'inbox/nezinams/atskaite.xlsx',
      issues: [issue({ code: 'project-unknown' })],
    });
    expect(mail.subject).toBe('PMIF atskaite.xlsx: iesniegums noraidīts / submission rejected');
    expect(mail.text).toContain('Projekts / Project: nezināms projekts / unknown project');
  });

  it('caps the table and says how many more there are', () => {
    const many = Array.from({ length: MAX_LISTED_ISSUES + 5 }, (_, i) =>
      issue({ sheet: 'Dalībnieki', cell: `A${i + 2}` }),
    );
    const mail = composeRejectionMail({
      from: FROM,
      to: ['x@example.lv'],
      projectId: 'p',
      sourceKey: 'k',
      issues: many,
    });
    expect(mail.text).toContain(`Dalībnieki!A${MAX_LISTED_ISSUES + 1} |`);
    expect(mail.text).not.toContain(`Dalībnieki!A${MAX_LISTED_ISSUES + 2} |`);
    expect(mail.text).toContain('Vēl 5 ieraksti šeit nav uzskaitīti. / 5 more entries are not listed here.');
    expect(mail.text).toContain(`Kļūdu skaits: ${MAX_LISTED_ISSUES + 5}.`);
  });
});

describe('composeReminderMail', () => {
  const input = {
    from: FROM,
    to: ['koordinators@biedriba.example.lv'],
    projectId: 'valoda-riga',
    projectTitle: HOSTILE_TITLE,
    period: '2025-Q3',
    deadline: '2025-10-15',
  };

  it('reminds in Latvian, then English, with the deadline', () => {
    const mail = composeReminderMail(input);

    expect(mail.subject).toBe('PMIF valoda-riga 2025-Q3: atgādinājums, termiņš 2025-10-15 / reminder, due 2025-10-15');
    const lv = mail.text.indexOf(
      `Atgādinām, ka projekta valoda-riga „${HOSTILE_TITLE}” progresa pārskata iesniegums par periodu 2025-Q3 vēl nav saņemts. Iesniegšanas termiņš ir 2025-10-15.`,
    );
    const en = mail.text.indexOf('This is a reminder that the progress submission of project valoda-riga');
    expect(lv).toBeGreaterThan(0);
    expect(en).toBeGreaterThan(lv);
    expect(mail.text).toContain('Iesniegšanas termiņš / Submission deadline: 2025-10-15');
    expect(mail.text).not.toContain('inbox/');
    expect(mail.html).toContain('Valoda &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; integrācija');
    expect(mail.html).not.toContain('<script');
    expect(mail.attachments).toEqual([]);
  });

  it('says where to upload when told', () => {
    const mail = composeReminderMail({ ...input, uploadTo: 'inbox/valoda-riga/' });
    expect(mail.text).toContain(
      'augšupielādējiet aizpildīto iesniegšanas darbgrāmatu (.xlsx) uz inbox/valoda-riga/ līdz termiņam',
    );
    expect(mail.text).toContain(
      'upload the completed submission workbook (.xlsx) to inbox/valoda-riga/ by the deadline',
    );
  });
});
