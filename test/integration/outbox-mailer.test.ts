/**
 * OutboxMailer end to end: compose a mail, send it into a temporary outbox, and read the `.eml` back with a real
 * MIME parser (mailparser) — decoded subject, both bodies, attachments byte for byte, stable Message-ID.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeRawMessage, composerOptions, OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { XLSX_CONTENT_TYPE } from '../../functions/core/cells';
import { type Clock, type OutgoingMail, StoreError } from '../../functions/core/ports';
import type { ProgrammeReportModel } from '../../functions/core/report-types';
import { composeRejectionMail } from '../../functions/mail/coordinator-mails';
import { composeManagerMail, type ManagerMailInput, PDF_CONTENT_TYPE } from '../../functions/mail/manager-mail';

const FROM = 'PMIF pārskati <noreply@pmif.example.lv>';
const AT = new Date('2025-10-16T06:00:07Z');
const fixedClock = (date: Date): Clock => ({ now: () => date });

/** Every byte value, in a pattern that differs per seed: binary content that any re-encoding would damage. */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + seed * 17 + (i >> 8)) & 0xff;
  return out;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function programme(): ProgrammeReportModel {
  const row = (id: string, title: string, submission: 'on-time' | 'late' | 'missing') => ({
    id,
    title,
    beneficiary: 'Biedrība',
    fund: 'AMIF-2021-2027' as const,
    submission,
    statusCounts: { achieved: 1, 'on-track': 1, 'at-risk': 1, behind: 0, 'not-achieved': 0, 'no-target': 0 },
    eligibleCost: 100_000,
    spentCumulative: 25_000,
    absorption: 0.25,
    elapsed: 0.5,
  });
  return {
    kind: 'programme',
    period: '2025-Q3',
    periodStart: '2025-07-01',
    periodEnd: '2025-09-30',
    revision: 1,
    generatedAt: '2025-10-16T06:00:00.000Z',
    deadline: '2025-10-15',
    projects: [
      row('valoda-riga', 'Latviešu valoda <visiem> & ikvienam', 'on-time'),
      row('atgriesanas', 'Brīvprātīgā atgriešanās', 'late'),
    ],
    indicators: [],
    finance: {
      eligibleCost: 200_000,
      spentThisPeriod: 10_000,
      spentCumulative: 50_000,
      euShare: 37_500,
      nationalShare: 12_500,
      absorption: 0.25,
    },
    completeness: { onTime: ['valoda-riga'], late: ['atgriesanas'], missing: [] },
    changes: [],
  };
}

function managerInput(fileSize = 5000, overrides: Partial<ManagerMailInput> = {}): ManagerMailInput {
  return {
    from: FROM,
    to: 'vaditajs@iem.example.lv',
    lang: 'lv',
    programme: programme(),
    programmePdf: bytes(fileSize, 1),
    programmeXlsx: bytes(fileSize, 2),
    projectFiles: programme().projects.map((row, i) => ({
      projectId: row.id,
      title: row.title,
      pdf: bytes(fileSize, 10 + i),
      xlsx: bytes(fileSize, 20 + i),
      pdfKey: `reports/2025-Q3/r1/${row.id}.pdf`,
      xlsxKey: `reports/2025-Q3/r1/${row.id}.xlsx`,
    })),
    ...overrides,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function emlFiles(outbox: string): Promise<string[]> {
  return (await readdir(outbox)).sort();
}

async function sendAndParse(mailer: OutboxMailer, outbox: string, mail: OutgoingMail) {
  const before = new Set(await emlFiles(outbox).catch(() => []));
  const { messageId } = await mailer.send(mail);
  const created = (await emlFiles(outbox)).filter((f) => !before.has(f));
  expect(created).toHaveLength(1);
  const raw = await readFile(join(outbox, created[0]!));
  return { messageId, file: created[0]!, raw, parsed: await simpleParser(raw) };
}

function attachmentDigests(parsed: ParsedMail) {
  return parsed.attachments.map((a) => [a.filename, a.contentType, sha256(a.content)]);
}

describe('OutboxMailer', () => {
  it('writes a parseable .eml with the Latvian subject, both bodies and byte-equal attachments', async () => {
    const outbox = join(dir, 'outbox', 'nested');
    const mailer = new OutboxMailer(outbox, { clock: fixedClock(AT) });
    const mail = composeManagerMail(managerInput());
    expect(mail.attachments).toHaveLength(6);

    const { messageId, file, raw, parsed } = await sendAndParse(mailer, outbox, mail);

    expect(file).toMatch(/^20251016-060007-[0-9a-f]{12}\.eml$/);
    expect(parsed.subject).toBe('PMIF progresa pārskats 2025-Q3 (r1)');
    // The raw header is RFC 2047-encoded: no 8-bit bytes in the header section.
    const headerSection = raw.subarray(0, raw.indexOf('\r\n\r\n'));
    expect(headerSection.every((b) => b < 0x80)).toBe(true);
    expect(parsed.from?.value).toEqual([{ name: 'PMIF pārskati', address: 'noreply@pmif.example.lv' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined).toBe('vaditajs@iem.example.lv');
    expect(parsed.date?.toISOString()).toBe(AT.toISOString());
    expect(parsed.messageId).toBe(messageId);
    expect(messageId).toMatch(/^<[0-9a-f]{32}@pmif\.example\.lv>$/);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

    expect(parsed.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(mail.text.trimEnd());
    expect(parsed.text).toContain('Iesniegts novēloti: 1 — atgriesanas');
    expect(parsed.html).toBeTypeOf('string');
    expect(parsed.html as string).toContain('Latviešu valoda &lt;visiem&gt; &amp; ikvienam');
    expect((parsed.html as string).replace(/\r\n/g, '\n').trimEnd()).toBe(mail.html.trimEnd());

    expect(attachmentDigests(parsed)).toEqual(
      mail.attachments.map((a) => [a.filename, a.contentType, sha256(a.content)]),
    );
    expect(parsed.attachments.map((a) => a.contentType)).toEqual([
      PDF_CONTENT_TYPE,
      XLSX_CONTENT_TYPE,
      PDF_CONTENT_TYPE,
      XLSX_CONTENT_TYPE,
      PDF_CONTENT_TYPE,
      XLSX_CONTENT_TYPE,
    ]);
    expect(await readdir(outbox)).toEqual([file]);
  });

  it('decodes a non-ASCII attachment name and the extra headers', async () => {
    const mailer = new OutboxMailer(dir, { clock: fixedClock(AT) });
    const annotated = { filename: 'ceturksnis-3-kļūdas.xlsx', content: bytes(3000, 5) };
    const mail = composeRejectionMail({
      from: FROM,
      to: ['a@biedriba.example.lv', 'b@biedriba.example.lv'],
      projectId: 'valoda-riga',
      sourceKey: 'inbox/valoda-riga/ceturksnis-3.xlsx',
      issues: [
        {
          severity: 'error',
          code: 'value-not-number',
          sheet: 'Rādītāji',
          cell: 'C5',
          message: { lv: 'Vērtība nav skaitlis.', en: 'The value is not a number.' },
          found: 'divpadsmit',
          expected: 'skaitlis ≥ 0',
        },
      ],
      annotated,
    });

    const { parsed } = await sendAndParse(mailer, dir, {
      ...mail,
      headers: { ...mail.headers, 'X-PMIF-Delivery': 'd-1' },
    });

    expect(parsed.subject).toBe('PMIF valoda-riga: iesniegums noraidīts / submission rejected');
    expect(parsed.headers.get('x-pmif-delivery')).toBe('d-1');
    expect(parsed.text).toContain('Rādītāji!C5 | Kļūda / Error | Vērtība nav skaitlis. | The value is not a number.');
    const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : [];
    expect(to).toEqual(['a@biedriba.example.lv', 'b@biedriba.example.lv']);
    expect(attachmentDigests(parsed)).toEqual([[annotated.filename, XLSX_CONTENT_TYPE, sha256(annotated.content)]]);
  });

  it('gives the same Message-ID for the same mail and a new one when the content or delivery id differs', async () => {
    const mail = composeManagerMail(managerInput());
    const first = await new OutboxMailer(dir, { clock: fixedClock(AT) }).send(mail);
    const later = await new OutboxMailer(dir, { clock: fixedClock(new Date('2025-10-17T08:00:00Z')) }).send(
      composeManagerMail(managerInput()),
    );
    expect(later.messageId).toBe(first.messageId);

    const delivered = await new OutboxMailer(dir, { clock: fixedClock(AT) }).send({
      ...mail,
      headers: { ...mail.headers, 'X-PMIF-Delivery': 'r1-abc' },
    });
    const redelivered = await new OutboxMailer(dir, { clock: fixedClock(AT) }).send({
      ...mail,
      headers: { ...mail.headers, 'X-PMIF-Delivery': 'r1-def' },
    });
    const english = await new OutboxMailer(dir, { clock: fixedClock(AT) }).send(
      composeManagerMail(managerInput(5000, { lang: 'en' })),
    );
    const otherBytes = await new OutboxMailer(dir, { clock: fixedClock(AT) }).send(
      composeManagerMail({ ...managerInput(), programmePdf: bytes(5000, 99) }),
    );
    const ids = [first.messageId, delivered.messageId, redelivered.messageId, english.messageId, otherBytes.messageId];
    expect(new Set(ids).size).toBe(ids.length);
    expect(await readdir(dir)).toHaveLength(6);
  });

  it('uses the configured Message-ID domain', async () => {
    const { messageId } = await new OutboxMailer(dir, { domain: 'iem.example.lv', clock: fixedClock(AT) }).send(
      composeManagerMail(managerInput()),
    );
    expect(messageId).toMatch(/^<[0-9a-f]{32}@iem\.example\.lv>$/);
  });

  it('writes the same bytes for the same mail, date and Message-ID', async () => {
    const mail = composeManagerMail(managerInput());
    const a = await composeRawMessage(mail, AT, '<x@pmif.example.lv>');
    const b = await composeRawMessage(mail, AT, '<x@pmif.example.lv>');
    expect(sha256(a)).toBe(sha256(b));
    const c = await composeRawMessage(mail, new Date('2025-10-16T06:00:08Z'), '<x@pmif.example.lv>');
    expect(sha256(c)).not.toBe(sha256(a));
  });

  it('makes the outbox again when it was removed after a send', async () => {
    const outbox = join(dir, 'removed');
    const mailer = new OutboxMailer(outbox, { clock: fixedClock(AT) });
    await mailer.send(composeManagerMail(managerInput()));
    await rm(outbox, { recursive: true });
    await mailer.send(composeManagerMail(managerInput(5000, { lang: 'en' })));
    expect((await readdir(outbox)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  });

  it('fails with a StoreError and leaves no temp file when the message cannot be put in place', async () => {
    const mail = composeManagerMail(managerInput());
    const probe = join(dir, 'probe');
    await new OutboxMailer(probe, { clock: fixedClock(AT) }).send(mail);
    const [name] = await readdir(probe);
    // A directory where the .eml should go makes the final rename fail after the temp file was written.
    const outbox = join(dir, 'outbox');
    await mkdir(join(outbox, name!), { recursive: true });

    await expect(new OutboxMailer(outbox, { clock: fixedClock(AT) }).send(mail)).rejects.toBeInstanceOf(StoreError);
    expect(await readdir(outbox)).toEqual([name]);
  });
});

describe('Windows line breaks made on the whole message', () => {
  /** Text with every kind of line break in every place: LF, CR LF, a lone CR, at the start, the end, doubled. */
  function breaks(seed: number, length: number): string {
    const pieces = ['\n', '\r\n', '\r', 'ā', 'a', ' ', '.', '\n\n', '\r\r\n', 'Šis ir teksts'];
    let out = '';
    let x = seed * 7919 + 1;
    for (let i = 0; i < length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      out += pieces[x % pieces.length];
    }
    return out;
  }

  it('gives the bytes nodemailer gives with newline "win", for generated mails', async () => {
    for (let seed = 0; seed < 40; seed++) {
      const text = breaks(seed, seed * 13);
      const mail: OutgoingMail = {
        from: FROM,
        to: seed % 3 === 0 ? ['a@example.lv', 'b@example.lv'] : ['a@example.lv'],
        subject: seed % 2 ? `Pārskats\n${breaks(seed, 3)}` : 'Pārskats',
        text: seed % 5 === 4 ? '' : text,
        html: `<p>${breaks(seed + 1, seed * 7)}</p>`,
        attachments: [
          { filename: `a\n${seed}.pdf`, contentType: 'application/pdf', content: bytes(seed * 97, seed) },
          {
            filename: 'piezīmes.txt',
            contentType: 'text/plain; charset=utf-8',
            content: new TextEncoder().encode(breaks(seed + 2, seed * 5)),
          },
        ].slice(0, seed % 3),
        headers: seed % 4 === 0 ? { 'X-PMIF-Delivery': `r1-${seed}\nx` } : {},
      };
      const messageId = `<m${seed}@pmif.example.lv>`;
      const reference = await new MailComposer({ ...composerOptions(mail, AT, messageId), newline: 'win' })
        .compile()
        .build();
      expect(sha256(await composeRawMessage(mail, AT, messageId)), `seed ${seed}`).toBe(sha256(reference));
    }
  });
});

describe('the 10 MB rule against real message sizes', () => {
  it('never attaches project reports that make the encoded message larger than the limit', async () => {
    // 2 projects × 2 files × 1 MB + programme files: about 8 MB once encoded.
    const input = managerInput(1_000_000);
    const full = composeManagerMail({ ...input, maxBytes: Number.POSITIVE_INFINITY });
    expect(full.attachments).toHaveLength(6);
    const size = (await composeRawMessage(full, AT, '<x@pmif.example.lv>')).byteLength;

    // One byte under the real size: attaching would break the limit, so the project reports must be listed.
    const under = composeManagerMail({ ...input, maxBytes: size - 1 });
    expect(under.attachments.map((a) => a.filename)).toEqual(['programme-2025-Q3-r1.pdf', 'programme-2025-Q3-r1.xlsx']);
    expect(under.text).toContain('reports/2025-Q3/r1/valoda-riga.pdf');
    expect((await composeRawMessage(under, AT, '<x@pmif.example.lv>')).byteLength).toBeLessThan(size - 1);

    // With 5 % to spare the estimate must not be so cautious that it refuses.
    const spare = composeManagerMail({ ...input, maxBytes: Math.ceil(size * 1.05) });
    expect(spare.attachments).toHaveLength(6);
  });
});
