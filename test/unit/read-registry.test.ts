import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../functions/intake/read-registry';
import { source, workbook } from '../helpers/workbooks';

const projectsHeader = [
  'Projekta ID',
  'Līguma Nr.',
  'Nosaukums',
  'Finansējuma saņēmējs',
  'Fonds',
  'Specifiskais mērķis',
  'Sākums',
  'Beigas',
  'Attiecināmās izmaksas, EUR',
  'ES līdzfinansējums, %',
  'Koordinatora e-pasts',
];
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

const good = {
  Projekti: [
    projectsHeader,
    [
      'iom-return',
      'AK/IOM/PMIF/2018/1',
      'Brīvprātīgā atgriešanās',
      'IOM Latvija',
      'AMIF-2014-2020',
      'SO3',
      utc(2019, 1, 3),
      utc(2022, 12, 31),
      532651,
      0.75,
      'a@example.lv; b@example.lv',
    ],
    [
      'pmlp-reception',
      'PMLP/PMIF/2023/2',
      'Uzņemšana',
      'PMLP',
      'AMIF-2021-2027',
      'SO1',
      '01.01.2023',
      '31.12.2025',
      '6 370 557',
      '75 %',
      'c@example.lv',
    ],
  ],
  Mērķi: [
    ['Projekta ID', 'Rādītāja kods', 'Bāzes vērtība', 'Mērķa vērtība'],
    ['pmlp-reception', 'O.1.1', 0, 1681],
    ['pmlp-reception', 'P.1', 0, 13929],
  ],
  Budžets: [
    ['Projekta ID', 'Izmaksu kategorija', 'Plānotā summa, EUR'],
    ['pmlp-reception', 'Personāla izmaksas', 3000000],
  ],
  Saņēmēji: [
    ['E-pasts', 'Loma', 'Projekti', 'Valoda'],
    ['vaditajs@example.gov.lv', 'vadītājs', '', 'lv'],
    ['auditor@example.eu', 'auditor', 'iom-return', 'en'],
  ],
  Rādītāji: [
    ['Kods', 'Nosaukums LV', 'Nosaukums EN', 'Mērvienība', 'Uzskaite'],
    ['P.1', 'Konsultētie Ukrainas civiliedzīvotāji', 'Ukrainian civilians advised', 'personas / persons', 'sum'],
  ],
  Iestatījumi: [
    ['Iesniegšanas termiņš, dienas', 20],
    ['Atgādinājums, dienas', 7],
  ],
};

describe('registry workbook', () => {
  it('reads projects, targets, budget, recipients, programme indicators and settings', async () => {
    const result = parseRegistry(await workbook(good), source('registry/registry.xlsx'));
    expect(result.issues).toEqual([]);
    const r = result.registry!;
    expect(r.projects.map((p) => [p.id, p.start, p.end, p.eligibleCost, p.euRatePercent])).toEqual([
      ['iom-return', '2019-01-03', '2022-12-31', 532651, 75],
      ['pmlp-reception', '2023-01-01', '2025-12-31', 6370557, 75],
    ]);
    expect(r.projects[0]?.coordinatorEmails).toEqual(['a@example.lv', 'b@example.lv']);
    expect(r.targets.map((t) => `${t.projectId}:${t.indicatorCode}:${t.target}`)).toEqual([
      'pmlp-reception:O.1.1:1681',
      'pmlp-reception:P.1:13929',
    ]);
    expect(r.recipients).toEqual([
      { email: 'vaditajs@example.gov.lv', role: 'manager', projects: [], language: 'lv' },
      { email: 'auditor@example.eu', role: 'auditor', projects: ['iom-return'], language: 'en' },
    ]);
    expect(r.indicators[0]).toMatchObject({
      code: 'P.1',
      catalogue: 'programme',
      unit: { lv: 'personas', en: 'persons' },
      aggregation: 'sum',
    });
    expect(r.settings).toEqual({ deadlineDays: 20, reminderDays: 7 });
  });

  it('gives the same calendar date from a 1900-system and a 1904-system workbook', async () => {
    const a = parseRegistry(await workbook(good), source());
    const b = parseRegistry(await workbook(good, { date1904: true }), source());
    expect(b.registry?.projects[0]?.start).toBe('2019-01-03');
    expect(b.registry?.projects.map((p) => [p.start, p.end])).toEqual(
      a.registry?.projects.map((p) => [p.start, p.end]),
    );
  });

  it('names duplicate ids, reversed dates, bad rates, unknown targets and malformed e-mails', async () => {
    const bad = structuredClone(good) as typeof good;
    bad.Projekti.push([
      'pmlp-reception',
      'X',
      'Dublikāts',
      'Y',
      'ESF',
      'SO1',
      '01.01.2024',
      '31.12.2023',
      10,
      120,
      'not-an-email',
    ]);
    bad.Mērķi.push(['pmlp-reception', 'Q.7.7', 0, 5]);
    const result = parseRegistry(await workbook(bad), source());
    expect(result.registry).toBeNull();
    expect(result.issues.map((i) => `${i.code}@${i.sheet}!${i.cell}`).sort()).toEqual(
      [
        'registry-duplicate-project@Projekti!A4',
        'registry-end-before-start@Projekti!H4',
        'registry-rate-out-of-range@Projekti!J4',
        'registry-email-invalid@Projekti!K4',
        'registry-target-unknown-indicator@Mērķi!B4',
      ].sort(),
    );
  });
});
