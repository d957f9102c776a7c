/**
 * The sample programme as data: the six real AMIF/PMIF projects of `domain/amif.md` in a registry, one submission
 * per project per quarter, and submissions with planted mistakes. Pure and seeded: the same code gives the same
 * sample, so tests and demos can pin what the reports must show.
 *
 * Where amif.md gives no figure (some dates, contract numbers, beneficiaries, costs, emails), the value here is an
 * invented, plausible one; every e-mail address, person name and participant ID is fictional.
 */
import { standardIndicators } from '../functions/core/catalogue';
import type { IssueCode } from '../functions/core/issue-codes';
import {
  addDays,
  daysBetween,
  elapsedShare,
  formatPeriod,
  periodEnd,
  periodStart,
  periodsBetween,
  rigaWallClock,
} from '../functions/core/period';
import {
  type Activity,
  type Aggregation,
  type BudgetLine,
  CEFR_LEVELS,
  type CefrLevel,
  type IndicatorDef,
  type IsoDate,
  type ParticipantRule,
  type ProgrammeTarget,
  type Project,
  type Recipient,
  type Settings,
  type Severity,
  type Target,
} from '../functions/core/types';

/** Seed of the whole sample; change it and every figure moves. */
export const SAMPLE_SEED = 20_250_930;

/** Mulberry32: a tiny, well-mixed 32-bit PRNG, so the sample never depends on `Math.random`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A PRNG per purpose, so adding a draw in one project does not shift every other project's figures. */
function rngFor(label: string): () => number {
  let hash = SAMPLE_SEED >>> 0;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return mulberry32(hash);
}

const intBetween = (rng: () => number, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const chance = (rng: () => number, p: number): boolean => rng() < p;
/** `n` scaled by a random factor in 1 ± spread, rounded. */
const jitter = (rng: () => number, n: number, spread: number): number =>
  Math.max(0, Math.round(n * (1 + (rng() * 2 - 1) * spread)));

// ---------------------------------------------------------------------------------------------------------------
// Calendar: the programme's own period arithmetic (functions/core/period.ts), so the sample's quarters, deadlines
// and upload times are the ones the runtime computes.

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

/** A reporting quarter of one project, clipped to the project's dates. */
interface Quarter {
  index: number;
  period: string;
  /** Calendar start and end of the quarter. */
  start: IsoDate;
  end: IsoDate;
  /** The part of the quarter inside the project. */
  activeStart: IsoDate;
  activeEnd: IsoDate;
}

/** Every quarter that overlaps the project's dates, in order. */
function projectQuarters(project: Project): Quarter[] {
  return periodsBetween(project.start, project.end).map((p, index) => {
    const start = periodStart(p);
    const end = periodEnd(p);
    return {
      index,
      period: formatPeriod(p),
      start,
      end,
      activeStart: maxDate(start, project.start),
      activeEnd: minDate(end, project.end),
    };
  });
}

/** Share of the project's duration elapsed at the end of `date` (0..1): "expected" in docs/architecture.md. */
function projectElapsed(project: Project, date: IsoDate): number {
  return elapsedShare(project.start, project.end, date);
}

function dateBetween(rng: () => number, from: IsoDate, to: IsoDate): IsoDate {
  return addDays(from, intBetween(rng, 0, Math.max(0, daysBetween(from, to))));
}

/** A Europe/Riga wall-clock time as an ISO UTC instant. */
export function rigaTimeToIso(date: IsoDate, hour: number, minute: number): string {
  return rigaWallClock(date, hour, minute).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Catalogue

/** The common catalogues (`templates/catalogue/`), one per fund period. */
export const SAMPLE_CATALOGUES: Record<'AMIF-2021-2027' | 'AMIF-2014-2020', IndicatorDef[]> = {
  'AMIF-2021-2027': standardIndicators().filter((def) => def.catalogue === 'AMIF-2021-2027'),
  'AMIF-2014-2020': standardIndicators().filter((def) => def.catalogue === 'AMIF-2014-2020'),
};

interface ProgrammeIndicatorRow {
  code: string;
  nameLv: string;
  nameEn: string;
  unit: string;
  aggregation: Aggregation;
}

/** Programme-specific indicators (registry sheet `Rādītāji`): figures the common catalogues lack. */
const PROGRAMME_INDICATORS: ProgrammeIndicatorRow[] = [
  {
    code: 'P.1',
    nameLv: 'Ukrainas civiliedzīvotāju skaits, kuri konsultēti vai kuriem izsniegtas uzturēšanās atļaujas',
    nameEn: 'Ukrainian civilians advised or issued residence permits',
    unit: 'personas',
    aggregation: 'sum',
  },
  {
    code: 'P.2',
    nameLv: 'Personu skaits, kurām sniegts atbalsts īslaicīgas uzturēšanās laikā',
    nameEn: 'Persons given short-stay assistance',
    unit: 'personas',
    aggregation: 'sum',
  },
  {
    code: 'P.3',
    nameLv: 'Iegādāto mikroautobusu skaits',
    nameEn: 'Minibuses purchased',
    unit: 'gab.',
    aggregation: 'sum',
  },
  {
    code: 'P.4',
    nameLv: 'Uzstādīto elektrotransportlīdzekļu uzlādes staciju skaits',
    nameEn: 'Electric vehicle charging stations installed',
    unit: 'gab.',
    aggregation: 'sum',
  },
  {
    code: 'P.5',
    nameLv: 'Iesaistīto sociālo mentoru skaits',
    nameEn: 'Social mentors engaged',
    unit: 'mentori',
    aggregation: 'latest',
  },
  {
    code: 'P.6',
    nameLv: 'Informatīvā tālruņa un tīmekļvietnes konsultāciju skaits',
    nameEn: 'Hotline and website consultations',
    unit: 'konsultācijas',
    aggregation: 'sum',
  },
  // The 2014-2020 programme's own indicators: not in Reg. 516/2014 Annex IV, so the registry defines them.
  {
    code: 'SO2.N1',
    nameLv: 'Latviešu valodas kursu dalībnieku skaits',
    nameEn: 'Number of participants in Latvian language courses',
    unit: 'dalībnieki',
    aggregation: 'sum',
  },
  {
    code: 'SO2.N2',
    nameLv: 'Sociālās orientācijas kursu dalībnieku skaits',
    nameEn: 'Number of participants in social orientation courses',
    unit: 'dalībnieki',
    aggregation: 'sum',
  },
];

/** The programme indicators as the registry reader should produce them (unit given in Latvian only). */
export const SAMPLE_PROGRAMME_INDICATORS: IndicatorDef[] = PROGRAMME_INDICATORS.map((row) => ({
  code: row.code,
  catalogue: 'programme',
  name: { lv: row.nameLv, en: row.nameEn },
  unit: { lv: row.unit, en: row.unit },
  type: 'output',
  aggregation: row.aggregation,
  integer: true,
}));

function indicatorDef(code: string): IndicatorDef {
  const all = [
    ...SAMPLE_CATALOGUES['AMIF-2021-2027'],
    ...SAMPLE_CATALOGUES['AMIF-2014-2020'],
    ...SAMPLE_PROGRAMME_INDICATORS,
  ];
  const def = all.find((d) => d.code === code);
  if (!def) throw new Error(`sample uses an indicator missing from the catalogues: ${code}`);
  return def;
}

// ---------------------------------------------------------------------------------------------------------------
// Participants

/** One row of the `Dalībnieki` sheet, keyed by the schema's column ids. Dates are `YYYY-MM-DD`. */
export interface ParticipantRow {
  participantId: string;
  activity: Activity;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
  levelStart: string | null;
  levelEnd: string | null;
  helpful: 'Jā' | 'Nē' | null;
  gender: string | null;
  ageGroup: string | null;
  vulnerable: 'Jā' | 'Nē' | null;
}

/** One person in one activity over one or more consecutive quarters. */
interface Enrolment {
  id: string;
  activity: Activity;
  first: number;
  last: number;
  start: IsoDate;
  end: IsoDate;
  levelStart: CefrLevel | null;
  /** Reported only in the quarter the activity ends. */
  levelEnd: CefrLevel | null;
  helpful: boolean | null;
  gender: string;
  ageGroup: string;
  vulnerable: boolean | null;
}

const yesNo = (value: boolean | null): 'Jā' | 'Nē' | null => (value === null ? null : value ? 'Jā' : 'Nē');

/** Code-unit order: unlike `localeCompare`, the same on every machine and locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function rowsForQuarter(enrolments: Enrolment[], quarter: Quarter): ParticipantRow[] {
  return enrolments
    .filter((e) => e.first <= quarter.index && quarter.index <= e.last)
    .map((e) => {
      const ends = e.last === quarter.index;
      return {
        participantId: e.id,
        activity: e.activity,
        startDate: e.start,
        endDate: ends ? e.end : null,
        levelStart: e.levelStart,
        levelEnd: ends ? e.levelEnd : null,
        helpful: ends ? yesNo(e.helpful) : null,
        gender: e.gender || null,
        ageGroup: e.ageGroup,
        vulnerable: yesNo(e.vulnerable),
      };
    })
    .sort((a, b) => compareText(a.participantId, b.participantId) || compareText(a.activity, b.activity));
}

/** Whether a row qualifies for a participant rule (types.ts `ParticipantRule`: every given condition holds). */
export function rowQualifies(rule: ParticipantRule, row: ParticipantRow): boolean {
  if (rule.activities && !rule.activities.includes(row.activity)) return false;
  if (rule.helpful && row.helpful !== 'Jā') return false;
  if (rule.vulnerable && row.vulnerable !== 'Jā') return false;
  if (rule.improvedLevel) {
    const start = CEFR_LEVELS.indexOf(row.levelStart as CefrLevel);
    const end = CEFR_LEVELS.indexOf(row.levelEnd as CefrLevel);
    if (start < 0 || end < 0 || end < start + 1) return false;
  }
  return true;
}

/** Distinct participants among `rows` that qualify for `rule`. */
export function countQualifying(rule: ParticipantRule, rows: ParticipantRow[]): number {
  return new Set(rows.filter((row) => rowQualifies(rule, row)).map((row) => row.participantId)).size;
}

interface PersonTraits {
  gender: string;
  ageGroup: string;
  vulnerable: boolean | null;
}

/** Every gender value occurs: a few persons say "other" and for a few it is not known (empty cell). */
function drawGender(rng: () => number, male: number): string {
  const r = rng();
  if (r < 0.02) return 'cits';
  if (r < 0.04) return '';
  return r < 0.04 + male * 0.96 ? 'vīrietis' : 'sieviete';
}

/** The Annex VIII brackets, about one adult in twelve over 60. */
function drawAgeGroup(rng: () => number, minor: number): string {
  const r = rng();
  if (r < minor) return '<18';
  return r > 1 - (1 - minor) / 12 ? '>60' : '18-60';
}

function traits(rng: () => number, shares: { male: number; minor: number; vulnerable: number }): PersonTraits {
  return {
    gender: drawGender(rng, shares.male),
    ageGroup: drawAgeGroup(rng, shares.minor),
    vulnerable: chance(rng, shares.vulnerable),
  };
}

const pseudonym = (prefix: string, n: number, width: number): string => `${prefix}-${String(n).padStart(width, '0')}`;

/** A duration in quarters drawn from cumulative weights, e.g. [0.6, 1] → 1 quarter 60 %, 2 quarters 40 %. */
function drawQuarters(rng: () => number, cumulative: number[]): number {
  const r = rng();
  const i = cumulative.findIndex((c) => r < c);
  return (i < 0 ? cumulative.length - 1 : i) + 1;
}

function enrol(
  rng: () => number,
  quarters: Quarter[],
  base: Omit<Enrolment, 'first' | 'last' | 'start' | 'end'>,
  first: number,
  span: number,
): Enrolment {
  const last = Math.min(quarters.length - 1, first + span - 1);
  const q0 = quarters[first]!;
  const q1 = quarters[last]!;
  const start = dateBetween(rng, q0.activeStart, q0.activeEnd);
  const end = dateBetween(rng, maxDate(start, q1.activeStart), q1.activeEnd);
  return { ...base, first, last, start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// Projects

type CatalogueId = 'AMIF-2021-2027' | 'AMIF-2014-2020';

interface TargetSpec {
  code: string;
  target: number;
  milestone: number | null;
  milestoneDate: IsoDate | null;
}

/** Everything the generator needs about one project. */
interface ProjectSpec {
  project: Project;
  catalogue: CatalogueId;
  targets: TargetSpec[];
  budget: { category: string; planned: number }[];
  /** Cumulative absorption as a function of elapsed share; most track time, one lags. */
  absorption: (elapsed: number) => number;
  preparedBy: string;
  email: string;
  participants: (quarters: Quarter[]) => Enrolment[];
  /** Typed values of indicators that are not participant-based, per quarter. */
  typed: (quarter: Quarter, rng: () => number) => Record<string, number>;
  /** The coordinator's comments on typed values, where one would write one. */
  comments?: (typed: Record<string, number>) => Record<string, string>;
  narrative: (quarter: Quarter, rows: ParticipantRow[], typed: Record<string, number>, rng: () => number) => Progress;
}

/** The `Progress` sheet, keyed by column id. */
export interface Progress {
  achievements: string;
  problems: string;
  nextSteps: string;
}

const onTrack = (elapsed: number): number => elapsed * (0.9 + 0.08 * elapsed);

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const COMMON_PROBLEMS = [
  'Būtisku problēmu nebija.',
  'Aizkavējās viena iepirkuma līguma noslēgšana; tas neietekmē rādītāju izpildi.',
  'Darbinieku mainības dēļ uz laiku palielinājās pārējo darbinieku noslodze.',
  'Tulku pieejamība retajās valodās ir ierobežota; izmantoti attālinātie tulkošanas pakalpojumi.',
] as const;

const PROJECTS: ProjectSpec[] = [
  {
    project: {
      id: 'pmlp-reception',
      contractNo: 'PMLP/PMIF/2023/2',
      title: 'Starptautiskās aizsardzības pieteikuma iesniedzēju uzņemšanas un izmitināšanas nodrošināšana',
      beneficiary: 'Pilsonības un migrācijas lietu pārvalde',
      fund: 'AMIF-2021-2027',
      specificObjective: 'SO1',
      start: '2023-01-01',
      end: '2025-12-31',
      eligibleCost: 6_370_557,
      euRatePercent: 75,
      coordinatorEmails: ['ilze.berzina@pmlp.example.lv', 'pmif.projekti@pmlp.example.lv'],
    },
    catalogue: 'AMIF-2021-2027',
    targets: [
      { code: 'O.1.1', target: 1681, milestone: 800, milestoneDate: '2024-06-30' },
      { code: 'O.1.1.1', target: 600, milestone: 280, milestoneDate: '2024-06-30' },
      { code: 'O.1.1.3', target: 420, milestone: 200, milestoneDate: '2024-06-30' },
      { code: 'O.1.2', target: 48, milestone: 24, milestoneDate: '2023-12-31' },
      { code: 'O.1.3', target: 250, milestone: 120, milestoneDate: '2024-06-30' },
      { code: 'P.1', target: 13_929, milestone: 7000, milestoneDate: '2024-06-30' },
      { code: 'P.3', target: 3, milestone: 3, milestoneDate: '2023-12-31' },
      { code: 'P.4', target: 2, milestone: null, milestoneDate: null },
    ],
    budget: [
      { category: 'Personāla izmaksas', planned: 1_720_000 },
      { category: 'Uzņemšanas pakalpojumi (materiālā, medicīniskā un psiholoģiskā palīdzība)', planned: 2_480_000 },
      { category: 'Tulkošanas pakalpojumi', planned: 410_000 },
      { category: 'Infrastruktūra un aprīkojums', planned: 1_370_000 },
      { category: 'Netiešās izmaksas', planned: 390_557 },
    ],
    absorption: onTrack,
    preparedBy: 'Ilze Bērziņa',
    email: 'ilze.berzina@pmlp.example.lv',
    participants: (quarters) => {
      const rng = rngFor('pmlp-reception:participants');
      const enrolments: Enrolment[] = [];
      const arrivals = [150, 140, 135, 150, 145, 140, 130, 140, 150, 140, 135, 130];
      let n = 0;
      for (const quarter of quarters) {
        const count = jitter(rng, arrivals[quarter.index] ?? 130, 0.06);
        for (let i = 0; i < count; i++) {
          const id = pseudonym('PM', ++n, 5);
          const base = { id, levelStart: null, levelEnd: null, helpful: null };
          const person = traits(rng, { male: 0.62, minor: 0.28, vulnerable: 0.25 });
          const stay = enrol(
            rng,
            quarters,
            { ...base, ...person, activity: 'reception-support' },
            quarter.index,
            drawQuarters(rng, [0.6, 1]),
          );
          enrolments.push(stay);
          if (chance(rng, 0.36)) {
            enrolments.push(
              enrol(rng, quarters, { ...base, ...person, activity: 'legal-assistance' }, quarter.index, 1),
            );
          }
        }
      }
      // Reception staff trained: 48 people in four groups.
      const groups: [number, number][] = [
        [1, 16],
        [2, 12],
        [5, 12],
        [6, 8],
      ];
      let staff = 0;
      for (const [index, size] of groups) {
        for (let i = 0; i < size; i++) {
          enrolments.push(
            enrol(
              rng,
              quarters,
              {
                id: pseudonym('PM-D', ++staff, 3),
                activity: 'training',
                levelStart: null,
                levelEnd: null,
                helpful: null,
                gender: chance(rng, 0.3) ? 'vīrietis' : 'sieviete',
                ageGroup: chance(rng, 0.1) ? '>60' : '18-60',
                vulnerable: null,
              },
              index,
              1,
            ),
          );
        }
      }
      return enrolments;
    },
    typed: (quarter, rng) => {
      const ukrainians = [2100, 1850, 1600, 1450, 1300, 1150, 1050, 950, 850, 700, 500, 400];
      return {
        'O.1.3': quarter.period === '2024-Q2' ? 120 : quarter.period === '2024-Q4' ? 130 : 0,
        'P.1': jitter(rng, ukrainians[quarter.index] ?? 400, 0.04),
        'P.3': quarter.period === '2023-Q4' ? 3 : 0,
        'P.4': quarter.period === '2025-Q1' ? 2 : 0,
      };
    },
    comments: (typed) => ({
      ...(typed['O.1.3'] ? { 'O.1.3': 'Liepnas centrs' } : {}),
      ...(typed['P.3'] ? { 'P.3': 'Piegādāti un reģistrēti CSDD' } : {}),
      ...(typed['P.4'] ? { 'P.4': 'Muceniekos un Liepnā' } : {}),
    }),
    narrative: (quarter, rows, typed, rng) => {
      const arrivals = new Set(rows.filter((r) => r.activity === 'reception-support').map((r) => r.participantId)).size;
      const legal = new Set(rows.filter((r) => r.activity === 'legal-assistance').map((r) => r.participantId)).size;
      const extras: string[] = [];
      if ((typed['O.1.3'] ?? 0) > 0)
        extras.push(`Liepnas centrā izveidotas ${typed['O.1.3']} jaunas izmitināšanas vietas.`);
      if ((typed['P.3'] ?? 0) > 0)
        extras.push(`Iegādāti ${typed['P.3']} mikroautobusi patvēruma meklētāju pārvadāšanai.`);
      if ((typed['P.4'] ?? 0) > 0) extras.push(`Uzstādītas ${typed['P.4']} elektrotransportlīdzekļu uzlādes stacijas.`);
      return {
        achievements: [
          `${quarter.period}: Muceniekos un Liepnā atbalstu saņēma ${arrivals} starptautiskās aizsardzības pieteikuma iesniedzēji, juridisko palīdzību — ${legal}.`,
          `Konsultēti vai uzturēšanās atļaujas saņēma ${typed['P.1']} Ukrainas civiliedzīvotāji.`,
          ...extras,
        ].join(' '),
        problems: pick(rng, COMMON_PROBLEMS),
        nextSteps: 'Turpināt uzņemšanas pakalpojumus abos centros un darbinieku apmācību.',
      };
    },
  },
  {
    project: {
      id: 'one-stop-shop',
      contractNo: 'PMIF/13.1./2022/1/01',
      title: 'Vienas pieturas aģentūra trešo valstu valstspiederīgajiem',
      beneficiary: 'Biedrība „Vienas pieturas aģentūra”',
      fund: 'AMIF-2021-2027',
      specificObjective: 'SO2',
      start: '2023-05-01',
      end: '2025-12-31',
      eligibleCost: 2_559_526,
      euRatePercent: 75,
      coordinatorEmails: ['maris.ozols@vpa.example.lv'],
    },
    catalogue: 'AMIF-2021-2027',
    targets: [
      { code: 'O.2.3', target: 3000, milestone: 1300, milestoneDate: '2024-06-30' },
      { code: 'O.2.3.3', target: 3000, milestone: 1300, milestoneDate: '2024-06-30' },
      { code: 'R.2.9', target: 1800, milestone: 700, milestoneDate: '2024-06-30' },
      { code: 'P.6', target: 9000, milestone: 4000, milestoneDate: '2024-06-30' },
    ],
    budget: [
      { category: 'Personāla izmaksas', planned: 1_180_000 },
      { category: 'Konsultāciju un tulkošanas pakalpojumi', planned: 720_000 },
      { category: 'Psihologa pakalpojumi', planned: 260_000 },
      { category: 'Tīmekļvietne un informatīvais tālrunis', planned: 232_076 },
      { category: 'Netiešās izmaksas', planned: 167_450 },
    ],
    absorption: onTrack,
    preparedBy: 'Māris Ozols',
    email: 'maris.ozols@vpa.example.lv',
    participants: (quarters) => {
      const rng = rngFor('one-stop-shop:participants');
      const enrolments: Enrolment[] = [];
      let n = 0;
      for (const quarter of quarters) {
        const count = jitter(rng, quarter.index === 0 ? 140 : 285, 0.06);
        for (let i = 0; i < count; i++) {
          const helpfulDraw = rng();
          enrolments.push(
            enrol(
              rng,
              quarters,
              {
                id: pseudonym('P', ++n, 5),
                activity: 'guidance',
                levelStart: null,
                levelEnd: null,
                helpful: helpfulDraw < 0.65 ? true : helpfulDraw < 0.75 ? false : null,
                ...traits(rng, { male: 0.55, minor: 0.02, vulnerable: 0.1 }),
              },
              quarter.index,
              drawQuarters(rng, [0.67, 0.92, 1]),
            ),
          );
        }
      }
      return enrolments;
    },
    typed: (quarter, rng) => ({ 'P.6': jitter(rng, quarter.index === 0 ? 420 : 850, 0.08) }),
    narrative: (quarter, rows, typed, rng) => {
      const clients = new Set(rows.map((r) => r.participantId)).size;
      return {
        achievements: `${quarter.period}: konsultācijas (sociālekonomiskās un juridiskās) saņēma ${clients} trešo valstu valstspiederīgie Rīgā, Liepājā, Daugavpilī, Valmierā un Jelgavā; informatīvajā tālrunī un tīmekļvietnē sniegtas ${typed['P.6']} konsultācijas.`,
        problems: pick(rng, COMMON_PROBLEMS),
        nextSteps: 'Turpināt konsultācijas visos piecos punktos; paplašināt tulkošanu retajās valodās.',
      };
    },
  },
  {
    project: {
      id: 'latvian-language',
      contractNo: 'PMIF/2.1.1/2023/1',
      title: 'Latviešu valodas kursi un sarunu klubi trešo valstu valstspiederīgajiem (1. kārta)',
      beneficiary: 'Latviešu valodas aģentūra',
      fund: 'AMIF-2021-2027',
      specificObjective: 'SO2',
      start: '2023-07-01',
      end: '2026-06-30',
      eligibleCost: 4_600_000,
      euRatePercent: 75,
      coordinatorEmails: ['liga.kalnina@lva.example.lv'],
    },
    catalogue: 'AMIF-2021-2027',
    targets: [
      { code: 'O.2.3.1', target: 1500, milestone: 600, milestoneDate: '2024-06-30' },
      { code: 'R.2.8', target: 750, milestone: 300, milestoneDate: '2024-12-31' },
      { code: 'R.2.9', target: 1000, milestone: 400, milestoneDate: '2024-12-31' },
    ],
    budget: [
      { category: 'Personāla izmaksas', planned: 1_450_000 },
      { category: 'Valodas kursu pakalpojumi', planned: 2_480_000 },
      { category: 'Mācību materiāli', planned: 260_000 },
      { category: 'Sarunu klubi', planned: 110_000 },
      { category: 'Netiešās izmaksas', planned: 300_000 },
    ],
    absorption: onTrack,
    preparedBy: 'Līga Kalniņa',
    email: 'liga.kalnina@lva.example.lv',
    participants: (quarters) => {
      const rng = rngFor('latvian-language:participants');
      const enrolments: Enrolment[] = [];
      let n = 0;
      for (const quarter of quarters) {
        const count = jitter(rng, quarter.index === 0 ? 90 : 130, 0.06);
        for (let i = 0; i < count; i++) {
          const startLevel = CEFR_LEVELS[drawQuarters(rng, [0.4, 0.75, 0.93, 1]) - 1]!;
          const dropped = chance(rng, 0.15);
          // Few learners gain a full level: this is the project whose result indicator R.2.8 falls behind.
          const gain = dropped ? 0 : chance(rng, 0.32) ? (chance(rng, 0.1) ? 2 : 1) : 0;
          const endLevel = dropped ? null : CEFR_LEVELS[CEFR_LEVELS.indexOf(startLevel) + gain]!;
          enrolments.push(
            enrol(
              rng,
              quarters,
              {
                id: pseudonym('LV', ++n, 4),
                activity: 'language-course',
                levelStart: startLevel,
                levelEnd: endLevel,
                helpful: dropped ? null : chance(rng, 0.8),
                ...traits(rng, { male: 0.45, minor: 0.05, vulnerable: 0.08 }),
              },
              quarter.index,
              drawQuarters(rng, [0.5, 1]) + 1,
            ),
          );
        }
      }
      return enrolments;
    },
    typed: () => ({}),
    narrative: (quarter, rows, _typed, rng) => {
      const learners = new Set(rows.map((r) => r.participantId)).size;
      const finished = rows.filter((r) => r.endDate !== null).length;
      return {
        achievements: `${quarter.period}: latviešu valodas kursos un sarunu klubos mācījās ${learners} dalībnieki; kursu noslēdza ${finished}.`,
        problems:
          quarter.index >= 4
            ? 'Daļa dalībnieku kursu beidz, nesasniedzot nākamo valodas līmeni; nepietiek stundu A2–B1 līmeņa grupām.'
            : pick(rng, COMMON_PROBLEMS),
        nextSteps: 'Palielināt stundu skaitu A2–B1 grupās un pievienot sarunu klubus reģionos.',
      };
    },
  },
  {
    project: {
      id: 'civic-orientation',
      contractNo: 'PMIF/2.1.2/2023/1',
      title: 'Ievadkurss par dzīvi Latvijā trešo valstu valstspiederīgajiem (1. kārta)',
      beneficiary: 'Biedrība „Ievadkursu centrs”',
      fund: 'AMIF-2021-2027',
      specificObjective: 'SO2',
      start: '2023-10-01',
      end: '2026-06-30',
      eligibleCost: 862_000,
      euRatePercent: 75,
      coordinatorEmails: ['janis.liepins@ievadkurss.example.lv'],
    },
    catalogue: 'AMIF-2021-2027',
    targets: [
      { code: 'O.2.3.2', target: 4500, milestone: 2000, milestoneDate: '2024-12-31' },
      { code: 'R.2.9', target: 3000, milestone: 1200, milestoneDate: '2024-12-31' },
    ],
    budget: [
      { category: 'Personāla izmaksas', planned: 310_000 },
      { category: 'Kursu organizēšana un lektori', planned: 360_000 },
      { category: 'Tulkošana', planned: 90_000 },
      { category: 'Informatīvie materiāli', planned: 45_000 },
      { category: 'Netiešās izmaksas', planned: 57_000 },
    ],
    // The under-spender: courses started late and cost less than planned.
    absorption: (elapsed) => elapsed * 0.6,
    preparedBy: 'Jānis Liepiņš',
    email: 'janis.liepins@ievadkurss.example.lv',
    participants: (quarters) => {
      const rng = rngFor('civic-orientation:participants');
      const intake = [120, 220, 260, 300, 300, 320, 330, 340, 350, 350, 330];
      const enrolments: Enrolment[] = [];
      let n = 0;
      for (const quarter of quarters) {
        const count = jitter(rng, intake[quarter.index] ?? 330, 0.05);
        for (let i = 0; i < count; i++) {
          const completed = chance(rng, 0.95);
          enrolments.push(
            enrol(
              rng,
              quarters,
              {
                id: pseudonym('IK', ++n, 5),
                activity: 'civic-course',
                levelStart: null,
                levelEnd: null,
                helpful: completed ? chance(rng, 0.85) : null,
                ...traits(rng, { male: 0.5, minor: 0.04, vulnerable: 0.07 }),
              },
              quarter.index,
              drawQuarters(rng, [0.85, 1]),
            ),
          );
        }
      }
      return enrolments;
    },
    typed: () => ({}),
    narrative: (quarter, rows, _typed, rng) => {
      const participants = new Set(rows.map((r) => r.participantId)).size;
      return {
        achievements: `${quarter.period}: ievadkursu par dzīvi Latvijā apmeklēja ${participants} dalībnieki.`,
        problems:
          quarter.index >= 2
            ? 'Dalībnieku skaits joprojām ir zemāks par plānoto; grupas reģionos nepiepildās.'
            : pick(rng, COMMON_PROBLEMS),
        nextSteps: 'Sadarbībā ar pašvaldībām un darba devējiem uzrunāt vairāk dalībnieku; piedāvāt vakara grupas.',
      };
    },
  },
  {
    project: {
      id: 'iom-return',
      contractNo: 'AK/IOM/PMIF/2018/1',
      title: 'Brīvprātīgās atgriešanās un reintegrācijas atbalsts',
      beneficiary: 'Starptautiskās Migrācijas organizācijas birojs Latvijā',
      fund: 'AMIF-2014-2020',
      specificObjective: 'SO3',
      start: '2019-01-03',
      end: '2022-12-31',
      eligibleCost: 532_651,
      euRatePercent: 75,
      coordinatorEmails: ['kristine.vitola@smo.example.lv'],
    },
    catalogue: 'AMIF-2014-2020',
    targets: [
      { code: 'IV-c-iii', target: 280, milestone: 140, milestoneDate: '2020-12-31' },
      { code: 'IV-c-ii', target: 140, milestone: 70, milestoneDate: '2020-12-31' },
      { code: 'P.2', target: 56, milestone: 28, milestoneDate: '2020-12-31' },
    ],
    budget: [
      { category: 'Personāla izmaksas', planned: 168_000 },
      { category: 'Atgriešanās ceļa izdevumi', planned: 152_000 },
      { category: 'Reintegrācijas atbalsts', planned: 140_000 },
      { category: 'Īslaicīgas uzturēšanās atbalsts', planned: 38_000 },
      { category: 'Netiešās izmaksas', planned: 34_651 },
    ],
    absorption: onTrack,
    preparedBy: 'Kristīne Vītola',
    email: 'kristine.vitola@smo.example.lv',
    participants: (quarters) => {
      const rng = rngFor('iom-return:participants');
      // Returns per quarter; 2020-Q2 and Q3 show the pandemic's travel stop.
      const returns = [16, 18, 20, 19, 16, 4, 7, 13, 15, 18, 20, 21, 22, 23, 22, 21];
      const enrolments: Enrolment[] = [];
      let n = 0;
      for (const quarter of quarters) {
        for (let i = 0; i < (returns[quarter.index] ?? 15); i++) {
          const person = {
            id: pseudonym('IOM', ++n, 4),
            levelStart: null,
            levelEnd: null,
            helpful: null,
            ...traits(rng, { male: 0.7, minor: 0.2, vulnerable: 0.15 }),
          };
          const departure = enrol(rng, quarters, { ...person, activity: 'voluntary-return' }, quarter.index, 1);
          enrolments.push({ ...departure, end: departure.start });
          if (chance(rng, 0.52)) {
            const later = quarter.index + 1 < quarters.length && chance(rng, 0.4) ? 1 : 0;
            const support = enrol(rng, quarters, { ...person, activity: 'reintegration' }, quarter.index + later, 1);
            const start = maxDate(support.start, departure.start);
            enrolments.push({ ...support, start, end: maxDate(support.end, start) });
          }
        }
      }
      return enrolments;
    },
    typed: (quarter) => ({ 'P.2': [4, 4, 4, 4, 3, 1, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4][quarter.index] ?? 0 }),
    narrative: (quarter, rows, typed, rng) => {
      const returned = rows.filter((r) => r.activity === 'voluntary-return').length;
      const reintegrated = rows.filter((r) => r.activity === 'reintegration').length;
      const pandemic = quarter.period === '2020-Q2' || quarter.period === '2020-Q3';
      return {
        achievements: `${quarter.period}: brīvprātīgi atgriezās ${returned} personas; reintegrācijas atbalstu saņēma ${reintegrated}; īslaicīgas uzturēšanās atbalsts sniegts ${typed['P.2']} personām.`,
        problems: pandemic
          ? 'Covid-19 ceļošanas ierobežojumu dēļ lielākā daļa atgriešanās braucienu atlikti.'
          : pick(rng, COMMON_PROBLEMS),
        nextSteps: 'Turpināt konsultācijas aizturēšanas centrā un sadarbību ar IOM birojiem izcelsmes valstīs.',
      };
    },
  },
  {
    project: {
      id: 'red-cross-mentors',
      contractNo: 'SIF/9.1.4.4/2019/LSK',
      title: 'Sociālā darbinieka un sociālā mentora pakalpojumi patvēruma meklētājiem',
      beneficiary: 'Latvijas Sarkanais Krusts',
      fund: 'ESF',
      specificObjective: 'SO1',
      start: '2019-12-01',
      end: '2022-11-30',
      eligibleCost: 398_400,
      euRatePercent: 85,
      coordinatorEmails: ['edgars.krumins@redcross.example.lv'],
    },
    catalogue: 'AMIF-2014-2020',
    targets: [
      { code: 'C1', target: 80, milestone: 40, milestoneDate: '2020-06-30' },
      { code: 'P.5', target: 10, milestone: 6, milestoneDate: '2020-06-30' },
    ],
    budget: [
      { category: 'Personāla izmaksas', planned: 252_000 },
      { category: 'Sociālo mentoru pakalpojumi', planned: 96_000 },
      { category: 'Transporta izdevumi', planned: 24_336 },
      { category: 'Netiešās izmaksas', planned: 26_064 },
    ],
    absorption: onTrack,
    preparedBy: 'Edgars Krūmiņš',
    email: 'edgars.krumins@redcross.example.lv',
    participants: (quarters) => {
      const rng = rngFor('red-cross-mentors:participants');
      const enrolments: Enrolment[] = [];
      let n = 0;
      for (const quarter of quarters) {
        const count = jitter(rng, quarter.index === 0 ? 45 : 40, 0.1);
        for (let i = 0; i < count; i++) {
          const base = {
            id: pseudonym('SK', ++n, 4),
            activity: 'social-mentoring' as const,
            levelStart: null,
            levelEnd: null,
            helpful: null,
            ...traits(rng, { male: 0.6, minor: 0.3, vulnerable: 0.35 }),
          };
          // Clients are served month after month, so the same person recurs over several quarters.
          const stay = enrol(rng, quarters, base, quarter.index, drawQuarters(rng, [0.3, 0.65, 0.85, 1]));
          enrolments.push(stay);
          // Some come back after a gap (a new application, a move between centres).
          if (stay.last + 2 < quarters.length && chance(rng, 0.08)) {
            enrolments.push(enrol(rng, quarters, base, stay.last + 2, 1));
          }
        }
      }
      return enrolments;
    },
    typed: (quarter) => ({ 'P.5': [4, 7, 9, 10, 11, 11, 10, 10, 11, 12, 12, 11, 10][quarter.index] ?? 10 }),
    comments: () => ({ 'P.5': 'Aktīvie mentori ceturkšņa beigās' }),
    narrative: (quarter, rows, typed, rng) => {
      const clients = new Set(rows.map((r) => r.participantId)).size;
      return {
        achievements: `${quarter.period}: sociālā darbinieka un mentoru atbalstu saņēma ${clients} klienti (Muceniekos un ārpus centra); iesaistīti ${typed['P.5']} sociālie mentori.`,
        problems: pick(rng, COMMON_PROBLEMS),
        nextSteps: 'Turpināt individuālo atbalstu un mentoru apmācību.',
      };
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Registry

/** The registry workbook's content, keyed like the schema's column ids. */
export interface SampleRegistry {
  projects: Project[];
  targets: Target[];
  budget: BudgetLine[];
  recipients: Recipient[];
  /** Rows of the optional `Rādītāji` sheet. */
  indicators: ProgrammeIndicatorRow[];
  /** Rows of the optional `Programmas mērķi` sheet: the programme's performance framework. */
  programmeTargets: ProgrammeTarget[];
  settings: Settings;
}

/**
 * The programme's milestone 2024 and target 2029 for every common indicator the sample projects target: a quarter
 * above what the selected projects plan (more calls are expected), rounded up to tens. Milestones are for outputs
 * only (CPR Art. 16), baselines for results only.
 */
function sampleProgrammeTargets(): ProgrammeTarget[] {
  const planned = new Map<string, number>();
  for (const { project, targets } of PROJECTS) {
    if (project.fund !== 'AMIF-2021-2027') continue;
    for (const t of targets) {
      if (!SAMPLE_CATALOGUES['AMIF-2021-2027'].some((d) => d.code === t.code)) continue;
      planned.set(t.code, (planned.get(t.code) ?? 0) + t.target);
    }
  }
  return [...planned.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([code, sum]) => {
      const target2029 = Math.ceil((sum * 1.25) / 10) * 10;
      const result = code.startsWith('R.');
      return {
        indicatorCode: code,
        baseline: result ? 0 : null,
        milestone2024: result ? null : Math.round(target2029 * 0.3),
        target2029,
      };
    });
}

const RECIPIENTS: Recipient[] = [
  { email: 'pmif.vadiba@iem.example.lv', role: 'manager', projects: [], language: 'lv' },
  {
    email: 'integracija@km.example.lv',
    role: 'manager',
    projects: ['one-stop-shop', 'latvian-language', 'civic-orientation'],
    language: 'lv',
  },
  { email: 'programme.officer@iem.example.lv', role: 'manager', projects: [], language: 'en' },
  { email: 'revizija@fm.example.lv', role: 'auditor', projects: [], language: 'lv' },
];

/** Build the registry content of the sample programme. */
export function buildSampleRegistry(): SampleRegistry {
  return {
    projects: PROJECTS.map((p) => p.project),
    targets: PROJECTS.flatMap((p) =>
      p.targets.map((t) => ({
        projectId: p.project.id,
        indicatorCode: t.code,
        baseline: 0,
        milestone: t.milestone,
        milestoneDate: t.milestoneDate,
        target: t.target,
      })),
    ),
    budget: PROJECTS.flatMap((p) => p.budget.map((b) => ({ projectId: p.project.id, ...b }))),
    recipients: RECIPIENTS,
    indicators: PROGRAMME_INDICATORS,
    programmeTargets: sampleProgrammeTargets(),
    settings: { deadlineDays: 15, reminderDays: 5 },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Submissions

/** One indicator row of the `Rādītāji` sheet; `value` may be text only in planted mistakes. */
export interface IndicatorRow {
  code: string;
  name: string;
  value: number | string;
  comment: string;
}

/** The content of one submission workbook, sheet by sheet. */
export interface SubmissionContent {
  projectId: string;
  /** As written in the `Periods` cell (malformed in one planted mistake). */
  period: string;
  preparedBy: string;
  email: string;
  indicators: IndicatorRow[];
  /** Null: no `Dalībnieki` sheet. */
  participants: ParticipantRow[] | null;
  expenditure: { category: string; amount: number }[];
  progress: Progress;
}

/** One regular sample upload. */
export interface SampleSubmission {
  content: SubmissionContent;
  /** The catalogue the coordinator's template carried. */
  catalogue: CatalogueId;
  /** Upload instant, ISO UTC; the local store reads it back from the file's mtime. */
  uploadedAt: string;
}

/** Where a planted mistake must be reported: sheet and column by schema id, `row` the 0-based data row. */
export interface PlantedIssue {
  code: IssueCode;
  severity: Severity;
  sheet: string;
  /** Absent for sheet-level issues (cell ''). */
  column?: string;
  row?: number;
  /** A header-level issue (a missing column): reported at the header row's first cell, A1. */
  header?: true;
}

/** A submission with exactly known mistakes. */
export interface SampleMistake {
  name: string;
  /** The inbox folder the file is meant to be uploaded to. */
  projectFolder: string;
  content: SubmissionContent;
  catalogue: CatalogueId;
  omitSheets: string[];
  omitColumns: { sheet: string; column: string }[];
  uploadedAt: string;
  planted: PlantedIssue[];
}

/** The whole sample programme. */
export interface SampleData {
  registry: SampleRegistry;
  submissions: SampleSubmission[];
  mistakes: SampleMistake[];
}

/** Uploads after the deadline (period end + 15 days), by `projectId period`, in days after the period end. */
const LATE_UPLOADS: Record<string, number> = {
  'iom-return 2020-Q2': 27,
  'red-cross-mentors 2021-Q1': 18,
  'one-stop-shop 2024-Q4': 22,
  'civic-orientation 2025-Q3': 19,
};

function uploadTime(projectId: string, quarter: Quarter): string {
  const rng = rngFor(`${projectId}:${quarter.period}:upload`);
  const late = LATE_UPLOADS[`${projectId} ${quarter.period}`];
  const days = late ?? intBetween(rng, 3, 12);
  return rigaTimeToIso(addDays(quarter.end, days), intBetween(rng, 8, 16), intBetween(rng, 0, 59));
}

function roundCents(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Expenditure per quarter: cumulative absorption follows the project's curve, split by budget shares. */
function expenditureByQuarter(spec: ProjectSpec, quarters: Quarter[]): { category: string; amount: number }[][] {
  const rng = rngFor(`${spec.project.id}:expenditure`);
  const { eligibleCost } = spec.project;
  let previous = 0;
  return quarters.map((quarter) => {
    const elapsed = projectElapsed(spec.project, quarter.activeEnd);
    // The first quarter is a ramp-up: contracts and hiring come before most spending.
    const cumulative = spec.absorption(elapsed) * (quarter.index === 0 ? 0.6 : 1);
    const total = Math.max(0, (cumulative - previous) * eligibleCost * (1 + (rng() * 2 - 1) * 0.08));
    previous += total / eligibleCost;
    const weights = spec.budget.map((b) => (b.planned / eligibleCost) * (0.8 + rng() * 0.4));
    const sum = weights.reduce((a, b) => a + b, 0);
    return spec.budget.map((b, i) => ({ category: b.category, amount: roundCents((total * weights[i]!) / sum) }));
  });
}

interface BuiltProject {
  spec: ProjectSpec;
  quarters: Quarter[];
  submissions: SampleSubmission[];
}

function buildProject(spec: ProjectSpec): BuiltProject {
  const quarters = projectQuarters(spec.project);
  const enrolments = spec.participants(quarters);
  const expenditure = expenditureByQuarter(spec, quarters);
  const submissions = quarters.map((quarter) => {
    const rng = rngFor(`${spec.project.id}:${quarter.period}:typed`);
    const rows = rowsForQuarter(enrolments, quarter);
    const typed = spec.typed(quarter, rng);
    const comments = spec.comments?.(typed) ?? {};
    const indicators: IndicatorRow[] = spec.targets.map((t) => {
      const def = indicatorDef(t.code);
      // Participant-based values typed as the distinct participants of the quarter, so they agree with the rows.
      const value = def.rule ? countQualifying(def.rule, rows) : (typed[t.code] ?? 0);
      return { code: t.code, name: def.name.lv, value, comment: comments[t.code] ?? '' };
    });
    const content: SubmissionContent = {
      projectId: spec.project.id,
      period: quarter.period,
      preparedBy: spec.preparedBy,
      email: spec.email,
      indicators,
      participants: rows,
      expenditure: expenditure[quarter.index]!,
      progress: spec.narrative(quarter, rows, typed, rng),
    };
    return { content, catalogue: spec.catalogue, uploadedAt: uploadTime(spec.project.id, quarter) };
  });
  return { spec, quarters, submissions };
}

// ---------------------------------------------------------------------------------------------------------------
// Planted mistakes

function submissionOf(built: BuiltProject[], projectId: string, period: string): SampleSubmission {
  const project = built.find((b) => b.spec.project.id === projectId);
  const submission = project?.submissions.find((s) => s.content.period === period);
  if (!submission) throw new Error(`no sample submission ${projectId} ${period}`);
  return submission;
}

/** A deep copy of a submission's content to plant mistakes in. */
function copyContent(submission: SampleSubmission): SubmissionContent {
  return structuredClone(submission.content);
}

function indexOfCode(content: SubmissionContent, code: string): number {
  const i = content.indicators.findIndex((row) => row.code === code);
  if (i < 0) throw new Error(`sample content lacks indicator ${code}`);
  return i;
}

/** Keep only indicators not derived from participants, so participant-row mistakes cannot cause mismatches. */
function withoutParticipantIndicators(content: SubmissionContent): void {
  content.indicators = content.indicators.filter((row) => !indicatorDef(row.code).rule);
}

function mistake(
  name: string,
  source: SampleSubmission,
  content: SubmissionContent,
  planted: PlantedIssue[],
  extra: Partial<Pick<SampleMistake, 'projectFolder' | 'omitSheets' | 'omitColumns'>> = {},
): SampleMistake {
  return {
    name,
    projectFolder: extra.projectFolder ?? content.projectId,
    content,
    catalogue: source.catalogue,
    omitSheets: extra.omitSheets ?? [],
    omitColumns: extra.omitColumns ?? [],
    // An hour after the regular upload: a second upload of the period is later, so "newest wins" is not a tie.
    uploadedAt: new Date(Date.parse(source.uploadedAt) + 3_600_000).toISOString(),
    planted,
  };
}

/** Bad typed values on indicators that are not participant-based. */
function indicatorValues(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'pmlp-reception', '2025-Q2');
  const content = copyContent(source);
  const negative = indexOfCode(content, 'P.1');
  const fractional = indexOfCode(content, 'O.1.3');
  const text = indexOfCode(content, 'P.4');
  content.indicators[negative]!.value = -1450;
  content.indicators[fractional]!.value = 12.5;
  content.indicators[text]!.value = 'divi';
  return mistake('indicator-values', source, content, [
    { code: 'value-negative', severity: 'error', sheet: 'indicators', column: 'value', row: negative },
    { code: 'value-not-integer', severity: 'error', sheet: 'indicators', column: 'value', row: fractional },
    { code: 'value-not-number', severity: 'error', sheet: 'indicators', column: 'value', row: text },
  ]);
}

/** An unknown code, a repeated indicator row and a negative expenditure line. */
function indicatorCodes(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'one-stop-shop', '2025-Q1');
  const content = copyContent(source);
  const hotline = content.indicators[indexOfCode(content, 'P.6')]!;
  content.indicators.push({ code: 'O.2.9', name: 'Konsultāciju skaits', value: 12, comment: '' });
  content.indicators.push({ ...hotline });
  const unknown = content.indicators.length - 2;
  const duplicate = content.indicators.length - 1;
  const line = content.expenditure.findIndex((e) => e.category === 'Psihologa pakalpojumi');
  content.expenditure[line]!.amount = -350;
  return mistake('indicator-codes', source, content, [
    { code: 'indicator-unknown', severity: 'error', sheet: 'indicators', column: 'code', row: unknown },
    { code: 'indicator-duplicate', severity: 'error', sheet: 'indicators', column: 'code', row: duplicate },
    { code: 'expenditure-negative', severity: 'error', sheet: 'expenditure', column: 'amount', row: line },
  ]);
}

/** Personal data as participant IDs, and bad language levels. */
function participantRows(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'latvian-language', '2025-Q2');
  const content = copyContent(source);
  withoutParticipantIndicators(content);
  const rows = content.participants!;
  const finished = rows.flatMap((row, i) => (row.levelEnd !== null ? [i] : []));
  const ongoing = rows.flatMap((row, i) => (row.levelEnd === null ? [i] : []));
  const [personalCode, email] = [ongoing[3]!, ongoing[10]!];
  const [decreased, invalid] = [finished[2]!, finished[7]!];
  rows[personalCode]!.participantId = '120345-12345';
  rows[email]!.participantId = 'anna.ozola@example.lv';
  rows[decreased]!.levelStart = 'B1';
  rows[decreased]!.levelEnd = 'A2';
  rows[invalid]!.levelEnd = 'B3';
  return mistake('participant-rows', source, content, [
    {
      code: 'participant-id-personal',
      severity: 'error',
      sheet: 'participants',
      column: 'participantId',
      row: personalCode,
    },
    {
      code: 'participant-id-personal',
      severity: 'error',
      sheet: 'participants',
      column: 'participantId',
      row: email,
    },
    {
      code: 'participant-level-decreased',
      severity: 'error',
      sheet: 'participants',
      column: 'levelEnd',
      row: decreased,
    },
    {
      code: 'participant-level-invalid',
      severity: 'error',
      sheet: 'participants',
      column: 'levelEnd',
      row: invalid,
    },
  ]);
}

function periodMalformed(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'one-stop-shop', '2025-Q3');
  const content = copyContent(source);
  content.period = '2025-Q5';
  return mistake('period-malformed', source, content, [
    { code: 'period-malformed', severity: 'error', sheet: 'project', column: 'period' },
  ]);
}

/** The course's first quarter, dated one quarter before the project starts (2023-10-01). */
function periodBeforeStart(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'civic-orientation', '2023-Q4');
  const content = copyContent(source);
  content.period = '2023-Q3';
  return mistake('period-before-start', source, content, [
    { code: 'period-before-start', severity: 'error', sheet: 'project', column: 'period' },
  ]);
}

/** A language-course file dropped into the civic-orientation folder. It carries only what is valid for both projects (cost categories both budgets have, no indicator rows, no participants), so the folder mismatch is the one thing wrong whichever project a validator checks it against. */
function wrongFolder(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'latvian-language', '2025-Q2');
  const content = copyContent(source);
  content.indicators = [];
  content.participants = null;
  content.expenditure = content.expenditure.filter(
    (e) => e.category === 'Personāla izmaksas' || e.category === 'Netiešās izmaksas',
  );
  return mistake(
    'wrong-folder',
    source,
    content,
    [{ code: 'project-folder-mismatch', severity: 'error', sheet: 'project', column: 'projectId' }],
    { projectFolder: 'civic-orientation' },
  );
}

/** The only issue is a warning: the file is accepted, with the computed value in force. */
function derivedMismatch(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'one-stop-shop', '2025-Q2');
  const content = copyContent(source);
  const row = indexOfCode(content, 'O.2.3.3');
  content.indicators[row]!.value = Number(content.indicators[row]!.value) + 4;
  // Spreadsheet habits that must change no figure: a correct "Kopā" row under the expenditure, and one
  // participant written three more ways (zero-width space, lower case, no-break space), still one person.
  const total = content.expenditure.reduce((a, e) => a + Math.round(Number(e.amount) * 100), 0) / 100;
  content.expenditure.push({ category: 'Kopā', amount: total });
  const people = content.participants!;
  const first = people[0]!;
  const variants = [`${first.participantId}\u200b`, first.participantId.toLowerCase(), `${first.participantId}\u00a0`];
  const variantRows = variants.map((participantId) => people.push({ ...first, participantId }) - 1);
  return mistake('derived-mismatch', source, content, [
    { code: 'indicator-derived-mismatch', severity: 'warning', sheet: 'indicators', column: 'value', row },
    {
      code: 'participant-id-variants',
      severity: 'warning',
      sheet: 'participants',
      column: 'participantId',
      row: 0,
    },
    ...variantRows.map((r) => ({
      code: 'participant-duplicate' as const,
      severity: 'warning' as const,
      sheet: 'participants',
      column: 'participantId',
      row: r,
    })),
  ]);
}

function missingSheetAndColumn(built: BuiltProject[]): SampleMistake {
  const source = submissionOf(built, 'pmlp-reception', '2024-Q4');
  const content = copyContent(source);
  return mistake(
    'missing-sheet-and-column',
    source,
    content,
    [
      { code: 'sheet-missing', severity: 'error', sheet: 'expenditure' },
      { code: 'column-missing', severity: 'error', sheet: 'indicators', header: true },
    ],
    { omitSheets: ['expenditure'], omitColumns: [{ sheet: 'indicators', column: 'value' }] },
  );
}

/** The planted mistakes, in the order they are written and uploaded. */
const PLANTED = [
  indicatorValues,
  indicatorCodes,
  participantRows,
  periodMalformed,
  periodBeforeStart,
  wrongFolder,
  derivedMismatch,
  missingSheetAndColumn,
];

function buildMistakes(built: BuiltProject[]): SampleMistake[] {
  return PLANTED.map((plant) => plant(built));
}

/** Build the whole sample programme: registry, regular submissions (project by project) and planted mistakes. */
export function buildSampleData(): SampleData {
  const built = PROJECTS.map(buildProject);
  return {
    registry: buildSampleRegistry(),
    submissions: built.flatMap((b) => b.submissions),
    mistakes: buildMistakes(built),
  };
}

/** The catalogue (common plus programme-specific) a project's template lists. */
export function sampleCatalogue(catalogue: CatalogueId): IndicatorDef[] {
  return [...SAMPLE_CATALOGUES[catalogue], ...SAMPLE_PROGRAMME_INDICATORS];
}
