/**
 * Regenerate the report pictures in `docs/` from the sample run: `npm start`, then `npm run docs:pictures`.
 * Needs `pdftoppm` (Debian package poppler-utils), and LibreOffice (`soffice`) for the transmission workbook.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const reports = join(repo, '.local', 'demo', 'bucket', 'reports', '2025-Q3', 'r1');
const pictures: [pdf: string, first: number, last: number, out: string][] = [
  ['latvian-language.pdf', 1, 2, 'report-project'],
  ['programme.pdf', 1, 2, 'report-programme'],
];

for (const [pdf, first, last, out] of pictures) {
  const file = join(reports, pdf);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm start\` first`);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    String(first),
    '-l',
    String(last),
    file,
    join(repo, 'docs', out),
  ]);
  console.log(`docs/${out}-*.png from ${pdf}`);
}

// The Art. 42 transmission of the sample (English edition), as LibreOffice prints it: the top of Table 7.
const transmission = join(
  repo,
  '.local',
  'demo',
  'bucket',
  'transmissions',
  '2026-06-30',
  'r1',
  'transmission.en.xlsx',
);
if (!existsSync(transmission)) throw new Error(`${transmission} is missing: run \`npm start\` first`);
const work = mkdtempSync(join(tmpdir(), 'pmif-pictures-'));
execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', work, transmission], { stdio: 'ignore' });
execFileSync('pdftoppm', [
  ...['-png', '-r', '110', '-f', '1', '-l', '1', '-x', '0', '-y', '0', '-W', '1280', '-H', '720', '-singlefile'],
  join(work, 'transmission.en.pdf'),
  join(repo, 'docs', 'transmission-table7'),
]);
console.log('docs/transmission-table7.png from transmission.en.xlsx');
