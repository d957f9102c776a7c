/**
 * A refused personal-data value never leaves the ingest step (docs/architecture.md §7): an upload whose participant IDs
 * are personal codes in every disguise, e-mails and names is refused, and every artefact of it — the rejection record,
 * the annotated workbook (each XML part), the e-mail (every MIME part, attachments decoded) and the log lines — is
 * scanned for the original values.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import { ingestObject } from '../../functions/app/ingest';
import { PERSONAL_DATA_MASKS } from '../../functions/intake/personal-data';
import { CODE_DIGITS, EMAILS, NAMES, PERSONAL_CODES } from '../fixtures/personal-data-disguises';
import { type LogLine, recordingLogger } from '../helpers/small-programme';
import { testRegistry, workbookBytes } from '../helpers/workbooks';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

/** Digits of any script as ASCII, invisible characters dropped: how the guard reads a value. */
function unmask(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
    .replace(/\p{Nd}/gu, (d) => {
      let code = d.codePointAt(0)!;
      let offset = 0;
      while (/\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
        code--;
        offset++;
      }
      return String(offset % 10);
    });
}

/** Every run of digits with separators between them, as its digits alone. */
function digitRuns(text: string): string[] {
  return (unmask(text).match(/\d(?:[\s\p{Pd}\p{Zs}\u2212.,/_'’·:]*\d)*/gu) ?? []).map((r) => r.replace(/\D/g, ''));
}

/** The texts an artefact is made of: a zip's parts, or the bytes as UTF-8. */
function textsOf(name: string, bytes: Uint8Array): { name: string; text: string }[] {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    return Object.entries(unzipSync(bytes)).map(([part, data]) => ({
      name: `${name}:${part}`,
      text: new TextDecoder().decode(data),
    }));
  }
  return [{ name, text: new TextDecoder().decode(bytes) }];
}

describe('personal data in a refused upload', () => {
  it('is refused in every disguise and appears in no artefact', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pmif-personal-'));
    roots.push(root);
    const clock = fixedClock(new Date('2025-10-05T08:00:00Z'));
    const lines: LogLine[] = [];
    const deps = {
      store: new FolderStore(join(root, 'bucket')),
      mailer: new OutboxMailer(join(root, 'outbox'), { clock }),
      clock,
      log: recordingLogger(lines),
      mailFrom: 'pmif@example.lv',
    };
    const refused = [...PERSONAL_CODES, ...EMAILS, ...NAMES].map(([, value]) => value);
    const key = 'inbox/lv-courses/2025-Q3.xlsx';
    await deps.store.put(
      key,
      await workbookBytes({
        Projekts: [
          ['Projekta ID', 'lv-courses'],
          ['Periods', '2025-Q3'],
        ],
        Rādītāji: [['Kods', 'Vērtība periodā']],
        Dalībnieki: [
          ['Dalībnieka ID', 'Aktivitāte'],
          ['P-0001', 'language-course'],
          ...refused.map((id) => [id, 'language-course']),
        ],
        Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
      }),
    );
    const outcome = await ingestObject(deps, key, { registry: testRegistry() });
    expect(outcome.status).toBe('rejected');

    const version = (await deps.store.get(key))!.version;
    const record = JSON.parse(
      new TextDecoder().decode((await deps.store.get(`rejections/lv-courses/${version}.json`))!.bytes),
    );
    const personal = (record.issues as { code: string; cell: string; found: string }[]).filter(
      (i) => i.code === 'participant-id-personal',
    );
    // Each disguise refused at its own cell (rows 3.. hold them; row 2 is a pseudonym).
    expect(personal.map((i) => i.cell)).toEqual(refused.map((_, i) => `A${i + 3}`));
    const masks = Object.values(PERSONAL_DATA_MASKS);
    for (const i of personal)
      expect(
        masks.some((m) => i.found.startsWith(m)),
        i.found,
      ).toBe(true);

    const artefacts: { name: string; text: string }[] = [];
    for (const o of await deps.store.list('rejections/')) {
      artefacts.push(...textsOf(o.key, (await deps.store.get(o.key))!.bytes));
    }
    const emails = await readdir(join(root, 'outbox'));
    expect(emails.length).toBeGreaterThan(0);
    for (const file of emails) {
      const raw = await readFile(join(root, 'outbox', file));
      artefacts.push({ name: file, text: raw.toString('utf8') });
      const mail = await simpleParser(raw);
      artefacts.push(
        { name: `${file}:text`, text: mail.text ?? '' },
        { name: `${file}:html`, text: String(mail.html) },
      );
      for (const a of mail.attachments) artefacts.push(...textsOf(`${file}:${a.filename}`, new Uint8Array(a.content)));
    }
    artefacts.push({ name: 'log', text: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(artefacts.some((a) => a.name.includes('.xlsx:xl/worksheets/'))).toBe(true);

    for (const { name, text } of artefacts) {
      for (const run of digitRuns(text)) {
        for (const digits of CODE_DIGITS) expect(run.includes(digits), `${digits} in ${name}`).toBe(false);
      }
      for (const [, value] of [...EMAILS, ...NAMES]) {
        expect(unmask(text).toLowerCase().includes(unmask(value).toLowerCase().trim()), `${value} in ${name}`).toBe(
          false,
        );
      }
    }
    // The annotated copy shows the masks where the values were.
    const sheet = artefacts.find((a) => a.name.endsWith('.xlsx:xl/sharedStrings.xml'))?.text ?? '';
    for (const m of masks) expect(sheet).toContain(m);
  });
});
