import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, AGGREGATIONS, type IndicatorDef } from '../../functions/core/types';
import { buildCommittedTemplates } from '../../functions/workbooks/write-template';
import amif20142020 from '../../templates/catalogue/amif-2014-2020.json' with { type: 'json' };
import amif20212027 from '../../templates/catalogue/amif-2021-2027.json' with { type: 'json' };

// The committed files were written in UTC; generating them west of UTC proves the bytes do not depend on the zone.
process.env.TZ = 'America/New_York';

const templatesDir = new URL('../../templates/', import.meta.url);

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

describe('committed templates', () => {
  it('are byte-identical to a fresh build (run `npx tsx scripts/write-templates.ts` after changing them)', async () => {
    const built = await buildCommittedTemplates();
    expect(built.map((t) => t.file)).toEqual(['registry-template.xlsx', 'submission-template.xlsx']);
    for (const { file, bytes } of built) {
      const committed = new Uint8Array(await readFile(new URL(file, templatesDir)));
      expect(Buffer.compare(Buffer.from(committed), Buffer.from(bytes)), file).toBe(0);
    }
  });

  it('lay the submission template out by Latvian name with the English name in a note and drop-down lists', async () => {
    const workbook = await load(new Uint8Array(await readFile(new URL('submission-template.xlsx', templatesDir))));
    expect(workbook.worksheets[0]?.name).toBe('Norādījumi');

    const indicators = workbook.getWorksheet('Rādītāji')!;
    expect(indicators.getCell('A1').value).toBe('Kods');
    expect(indicators.getCell('C1').value).toBe('Vērtība periodā');
    expect(indicators.getCell('C1').note).toBe('Value this period');
    // The code list points at the visible catalogue sheet and only warns (programme codes are allowed too).
    const code = indicators.getCell('A2').dataValidation;
    expect(code.type).toBe('list');
    expect(code.errorStyle).toBe('warning');
    expect(String(code.formulae[0])).toContain('Katalogs');
    expect(indicators.getCell(`A2000`).dataValidation?.type).toBe('list');
    expect(indicators.getCell(`A2001`).dataValidation).toBeUndefined();

    const participants = workbook.getWorksheet('Dalībnieki')!;
    expect(participants.getCell('B1').value).toBe('Aktivitāte');
    const activity = participants.getCell('B2').dataValidation;
    expect(activity.type).toBe('list');
    expect(activity.errorStyle).toBe('stop');
    const match = /^'(.+)'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$/.exec(String(activity.formulae[0]));
    expect(match).not.toBeNull();
    const [, listSheet, column, first, last] = match!;
    const lists = workbook.getWorksheet(listSheet!)!;
    expect(lists.state).toBe('hidden');
    const values: unknown[] = [];
    for (let row = Number(first); row <= Number(last); row++) values.push(lists.getCell(`${column}${row}`).value);
    expect(values).toEqual([...ACTIVITIES]);

    const project = workbook.getWorksheet('Projekts')!;
    expect(project.getCell('A2').value).toBe('Periods');
    expect(project.getCell('A2').note).toBe('Period');
  });

  it('lay the registry template out with every registry sheet', async () => {
    const workbook = await load(new Uint8Array(await readFile(new URL('registry-template.xlsx', templatesDir))));
    const names = workbook.worksheets.map((ws) => ws.name);
    expect(names).toEqual(
      expect.arrayContaining(['Norādījumi', 'Projekti', 'Mērķi', 'Budžets', 'Saņēmēji', 'Rādītāji', 'Iestatījumi']),
    );
    expect(workbook.getWorksheet('Projekti')!.getCell('A1').value).toBe('Projekta ID');
    expect(workbook.getWorksheet('Projekti')!.getCell('E2').dataValidation.type).toBe('list');
    expect(workbook.getWorksheet('Iestatījumi')!.getCell('A1').value).toBe('Iesniegšanas termiņš, dienas');
  });
});

describe('indicator catalogues', () => {
  const check = (indicators: IndicatorDef[], catalogue: string) => {
    const codes = indicators.map((i) => i.code);
    expect(new Set(codes).size, 'codes are unique').toBe(codes.length);
    for (const i of indicators) {
      const optional = [...(i.rule ? ['rule'] : []), ...(i.breakdownOf ? ['breakdownOf'] : [])];
      expect(Object.keys(i).sort()).toEqual(
        [
          'aggregation',
          'annexItem',
          'catalogue',
          'code',
          'integer',
          'name',
          'nameLvSource',
          'specificObjective',
          'type',
          'unit',
          ...optional,
        ].sort(),
      );
      expect(i.catalogue).toBe(catalogue);
      expect(i.name.lv && i.name.en && i.unit.lv && i.unit.en, i.code).toBeTruthy();
      expect(catalogue === 'AMIF-2014-2020' ? ['not classified'] : ['output', 'result']).toContain(i.type);
      expect(AGGREGATIONS).toContain(i.aggregation);
      // A unique count can only be computed from participant rows, and a rule only makes sense as a unique count.
      expect(i.aggregation === 'unique', i.code).toBe(i.rule !== undefined);
      for (const activity of i.rule?.activities ?? []) expect(ACTIVITIES).toContain(activity);
    }
  };

  it('AMIF 2021-2027 has the codes of domain/amif.md with the Latvian programme wording', () => {
    const indicators = amif20212027.indicators as IndicatorDef[];
    expect(amif20212027.catalogue).toBe('AMIF-2021-2027');
    check(indicators, 'AMIF-2021-2027');
    const codes = indicators.map((i) => i.code);
    for (const code of [
      'O.1.1',
      'O.1.1.1',
      'O.1.1.2',
      'O.1.1.3',
      'O.1.2',
      'O.1.3',
      'O.1.4',
      'R.1.5',
      'R.1.6',
      'O.2.3',
      'O.2.3.1',
      'O.2.3.2',
      'O.2.3.3',
      'R.2.8',
      'R.2.9',
      'O.3.1',
      'O.3.2',
      'O.3.3',
      'R.3.6',
    ]) {
      expect(codes).toContain(code);
    }
    const lv = (code: string) => indicators.find((i) => i.code === code)?.name.lv;
    expect(lv('O.2.3.1')).toBe('Dalībnieku skaits valodu kursos kopā');
    expect(lv('R.2.9')).toBe('To dalībnieku skaits, kuri norāda, ka darbība bijusi noderīga viņu integrācijai');
    expect(indicators.find((i) => i.code === 'R.2.8')?.rule).toEqual({
      activities: ['language-course'],
      improvedLevel: true,
    });
  });

  it('AMIF 2014-2020 covers voluntary return and reintegration', () => {
    const indicators = amif20142020.indicators as IndicatorDef[];
    expect(amif20142020.catalogue).toBe('AMIF-2014-2020');
    check(indicators, 'AMIF-2014-2020');
    expect(indicators.find((i) => i.code === 'IV-c-iii')?.rule).toEqual({ activities: ['voluntary-return'] });
    expect(indicators.find((i) => i.code === 'IV-c-ii')?.rule).toEqual({ activities: ['reintegration'] });
  });
});
