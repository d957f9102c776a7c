/**
 * The shipped catalogues against the verified lists of the legal texts (test/fixtures/verified-indicators.json,
 * copied from the domain notes, not from the catalogue): codes, order, types, parents and English wording.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalogue, displayName, isPersonIndicator } from '../../functions/core/catalogue';
import type { IndicatorDef } from '../../functions/core/types';
import { parseSubmission } from '../../functions/intake/read-submission';
import amif2014 from '../../templates/catalogue/amif-2014-2020.json' with { type: 'json' };
import amif2021 from '../../templates/catalogue/amif-2021-2027.json' with { type: 'json' };
import verified from '../fixtures/verified-indicators.json' with { type: 'json' };
import { source, testRegistry, workbook } from '../helpers/workbooks';

const annex8 = verified.annexVIII;
const annex4 = verified.annexIV;
const c2021 = amif2021.indicators as IndicatorDef[];
const c2014 = amif2014.indicators as IndicatorDef[];

describe('AMIF 2021-2027 catalogue = Reg. 2021/1147 Annex VIII', () => {
  it('has the 41 items in the Annex order, with O/R + SO + item number codes', () => {
    expect(annex8).toHaveLength(41);
    expect(c2021.map((d) => d.code)).toEqual(annex8.map((a) => a.code_proposed));
    // The code scheme itself, checked from the Annex's own numbering rather than the proposed codes.
    for (const [i, a] of annex8.entries()) {
      const letter = a.type === 'output' ? 'O' : 'R';
      expect(c2021[i]!.code).toBe(`${letter}.${a.so}.${a.annex_no}`);
      expect(c2021[i]!.specificObjective).toBe(`SO${a.so}`);
    }
  });

  it('has the Annex types, "of which" parents and English wording, word for word', () => {
    for (const [i, a] of annex8.entries()) {
      const def = c2021[i]!;
      expect({ code: def.code, type: def.type, parent: def.breakdownOf ?? null, en: def.name.en }).toEqual({
        code: a.code_proposed,
        type: a.type,
        parent: a.breakdown_of,
        en: a.name_en,
      });
    }
  });

  it('gives every Latvian name its provenance; programme wording only where a seed quotes it', () => {
    for (const [i, a] of annex8.entries()) {
      const def = c2021[i]!;
      expect(['official', 'programme', 'working translation']).toContain(def.nameLvSource);
      expect(def.name.lv.length).toBeGreaterThan(10);
      if (def.nameLvSource === 'programme') expect(def.name.lv).toBe(a.name_lv_seed_unverified);
    }
    expect(c2021.filter((d) => d.nameLvSource === 'official')).toEqual([]);
  });

  it('treats persons, participants and returnees as person indicators, and families not', () => {
    const person = (code: string) => isPersonIndicator(c2021.find((d) => d.code === code)!);
    for (const code of ['O.1.1', 'O.2.3.1', 'R.2.8', 'O.3.3', 'R.3.6', 'R.1.7', 'R.1.7.1', 'R.4.4', 'O.4.1'])
      expect(person(code), code).toBe(true);
    for (const code of ['R.1.7.2', 'O.1.3', 'O.2.2', 'O.2.4', 'O.2.7', 'O.3.2', 'O.3.4'])
      expect(person(code), code).toBe(false);
  });

  it('capitalises a breakdown\'s "the number of …" only when displayed', () => {
    const def = c2021.find((d) => d.code === 'O.2.3.1')!;
    expect(def.name.en.startsWith('the number of')).toBe(true);
    expect(displayName(def, 'en')).toBe(`T${def.name.en.slice(1)}`);
  });
});

describe('AMIF 2014-2020 catalogue = Reg. 516/2014 Annex IV', () => {
  it('has every Annex IV item and sub-category, verbatim, in order, nothing invented', () => {
    expect(c2014.map((d) => d.name.en)).toEqual(annex4.map((a) => a.name_en));
    for (const def of c2014) expect(def.type).toBe('not classified');
  });

  it('uses C1 and C2.1 where the source confirms them, else IV-<letter>-<roman>[-<n>] naming the Annex item', () => {
    let sub = 0;
    let parent = '';
    for (const [i, a] of annex4.entries()) {
      const def = c2014[i]!;
      const item = a.annex_item.replace(' sub-category', '');
      const scheme = `IV-${item[0]}-${item.slice(2, -1)}`;
      if (a.breakdown_of === null) {
        sub = 0;
        parent = a.id_verified?.startsWith('C2.1') ? 'C2.1' : (a.id_verified ?? scheme);
        expect(def.code).toBe(parent);
        expect(def.breakdownOf).toBeUndefined();
      } else {
        sub += 1;
        expect(def.code).toBe(`${scheme}-${sub}`);
        expect(def.breakdownOf).toBe(parent);
      }
    }
  });
});

describe('codes and names from the registry', () => {
  it("takes the registry's official Latvian name for a common indicator, keeping the Annex wording and rule", () => {
    const registryRow: IndicatorDef = {
      code: 'o.2.3.1',
      catalogue: 'programme',
      name: { lv: 'Oficiālais nosaukums', en: 'ignored' },
      unit: { lv: 'x', en: 'x' },
      type: 'output',
      aggregation: 'sum',
      integer: true,
    };
    const def = buildCatalogue([registryRow]).get('O.2.3.1')!;
    expect(def.name.lv).toBe('Oficiālais nosaukums');
    expect(def.nameLvSource).toBe('official');
    expect(def.name.en).toBe(annex8.find((a) => a.code_proposed === 'O.2.3.1')!.name_en);
    expect(def.rule).toEqual({ activities: ['language-course'] });
  });
});

describe('codes whose meaning moved', () => {
  const ctx = { registry: testRegistry(), folder: 'lv-courses', today: '2025-11-01' };
  const submit = async (rows: (string | number)[][]) => {
    const wb = await workbook({
      Projekts: [
        ['Projekta ID', 'lv-courses'],
        ['Periods', '2025-Q3'],
      ],
      Rādītāji: [['Kods', 'Nosaukums', 'Vērtība periodā'], ...rows],
      Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
    });
    return parseSubmission(wb, source(), ctx).issues.filter((i) => i.severity === 'error');
  };

  it('refuses R.4.6 and R.4.4 / R.4.5 typed with their old names, naming the code to use', async () => {
    const issues = await submit([
      ['R.4.6', 'Number of persons admitted through humanitarian admission', 1],
      ['R.4.4', 'Number of applicants for and beneficiaries of international protection transferred', 2],
      ['r.4.5', 'Pārmitināto personu skaits', 3],
    ]);
    expect(issues.map((i) => [i.code, i.cell, i.found, i.expected])).toEqual([
      ['indicator-renumbered', 'A2', 'R.4.6', 'R.4.5'],
      ['indicator-renumbered', 'A3', 'R.4.4', 'R.4.3'],
      ['indicator-renumbered', 'A4', 'r.4.5', 'R.4.4'],
    ]);
    expect(issues[0]!.message.en).toContain('R.4.3–R.4.5');
  });

  it('accepts R.4.4 and R.4.5 with their Annex VIII meaning, or without a name', async () => {
    const issues = await submit([
      ['R.4.4', 'Number of persons resettled', 1],
      ['R.4.5', '', 1],
    ]);
    expect(issues).toEqual([]);
  });

  it('explains the old invented 2014-2020 codes', async () => {
    const issues = await submit([
      ['SO3.C4', '', 1],
      ['SO2.N1', '', 1],
    ]);
    expect(issues.map((i) => [i.code, i.expected])).toEqual([
      ['indicator-replaced', 'IV-c-iii'],
      ['indicator-programme-specific', 'Rādītāji / Indicators'],
    ]);
  });
});
