/**
 * The rows of the rendering comparison: a lineage-style table (the longest table a report has), the same rows
 * for our PDF table and for the XLSX that LibreOffice converts.
 */
import { mulberry32 } from '../../sample/sample-projects';

export interface BenchTableRow {
  no: number;
  project: string;
  code: string;
  period: string;
  sheet: string;
  cell: string;
  value: number;
  comment: string;
}

export const TABLE_COLUMNS: { id: keyof BenchTableRow; header: string; width: number }[] = [
  { id: 'no', header: 'Nr.', width: 6 },
  { id: 'project', header: 'Projekts', width: 18 },
  { id: 'code', header: 'Rādītājs', width: 10 },
  { id: 'period', header: 'Periods', width: 9 },
  { id: 'sheet', header: 'Lapa', width: 11 },
  { id: 'cell', header: 'Šūna', width: 7 },
  { id: 'value', header: 'Vērtība', width: 10 },
  { id: 'comment', header: 'Komentārs', width: 36 },
];

const PROJECTS = ['latvian-language', 'civic-orientation', 'one-stop-shop', 'pmlp-reception'];
const CODES = ['O.2.3.1', 'R.2.8', 'R.2.9', 'O.1.1', 'O.2.1.2', 'R.1.5'];
const COMMENTS = [
  'Kursus pabeidza visi grupas dalībnieki',
  'Dati no reģistrācijas žurnāla, pārbaudīti ar apmeklējuma lapām',
  'Konsultācijas klātienē un attālināti; ietverti arī ģimenes locekļi',
  '',
  'Ievērojams pieaugums salīdzinājumā ar iepriekšējo ceturksni, jo sākās jauna grupa Daugavpilī',
];

export function makeTableRows(count: number): BenchTableRow[] {
  const rng = mulberry32(2000);
  return Array.from({ length: count }, (_, i) => ({
    no: i + 1,
    project: PROJECTS[i % PROJECTS.length]!,
    code: CODES[Math.floor(rng() * CODES.length)]!,
    period: `202${3 + (i % 3)}-Q${1 + (i % 4)}`,
    sheet: i % 3 === 0 ? 'Dalībnieki' : 'Rādītāji',
    cell: `${'BCDE'[i % 4]}${2 + (i % 1500)}`,
    value: Math.round(rng() * 100_000) / 100,
    comment: COMMENTS[i % COMMENTS.length]!,
  }));
}
