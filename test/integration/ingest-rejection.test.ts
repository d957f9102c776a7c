/** A refused upload: the rejection record, the annotated workbook beside it, and the e-mail carrying it. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import { ingestObject } from '../../functions/app/ingest';
import { silentLogger } from '../../functions/core/ports';
import { testRegistry, workbookBytes } from '../helpers/workbooks';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

describe('a refused upload', () => {
  it('stores the rejection and the annotated workbook and mails both languages with the workbook attached', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pmif-reject-'));
    roots.push(root);
    const clock = fixedClock(new Date('2025-10-05T08:00:00Z'));
    const deps = {
      store: new FolderStore(join(root, 'bucket')),
      mailer: new OutboxMailer(join(root, 'outbox'), { clock }),
      clock,
      log: silentLogger,
      mailFrom: 'pmif@example.lv',
    };
    const key = 'inbox/lv-courses/2025-Q3 atskaite.xlsx';
    await deps.store.put(
      key,
      await workbookBytes({
        Projekts: [
          ['Projekta ID', 'lv-courses'],
          ['Periods', '2025-Q3'],
        ],
        Rādītāji: [
          ['Kods', 'Vērtība periodā'],
          ['O.2.3.1', 'daudz'],
        ],
        Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
      }),
    );
    const outcome = await ingestObject(deps, key, { registry: testRegistry() });
    expect(outcome.status).toBe('rejected');
    const version = (await deps.store.get(key))!.version;
    const keys = (await deps.store.list('rejections/')).map((o) => o.key);
    expect(keys).toEqual([`rejections/lv-courses/${version}.json`, `rejections/lv-courses/${version}.xlsx`]);
    expect((await deps.store.list('submissions/')).length).toBe(0);

    const [eml] = await readdir(join(root, 'outbox'));
    const mail = await simpleParser(await readFile(join(root, 'outbox', eml!)));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('koordinators@example.lv');
    expect(mail.text).toContain('Rādītāji!B2');
    expect(mail.text).toContain('The value is not a number.');
    const attachment = mail.attachments.find((a) => a.filename === '2025-Q3_atskaite-kļūdas.xlsx');
    expect(attachment).toBeDefined();
    const stored = (await deps.store.get(`rejections/lv-courses/${version}.xlsx`))!.bytes;
    expect(Buffer.compare(attachment!.content, Buffer.from(stored))).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(attachment!.content as unknown as ArrayBuffer);
    expect(String(wb.getWorksheet('Rādītāji')!.getCell('B2').note)).toContain('Vērtība nav skaitlis.');
  });
});
