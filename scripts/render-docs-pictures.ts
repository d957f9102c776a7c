/**
 * Regenerate the report pictures in `docs/` from the sample run: `npm start`, then `npm run docs:pictures`.
 * Needs `pdftoppm` (Debian package poppler-utils), LibreOffice (`soffice`) for the workbooks, and Chromium
 * (`chromium`) for the managers' e-mail as a browser shows it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LABELS } from '../functions/core/labels';

const repo = resolve(import.meta.dirname, '..');
const reports = join(repo, '.local', 'demo', 'bucket', 'reports', '2025-Q3', 'r1');
const pictures: [pdf: string, first: number, last: number, out: string][] = [
  ['latvian-language.pdf', 1, 2, 'report-project'],
  ['latvian-language.en.pdf', 1, 1, 'report-project-en'],
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

// One annotated workbook sent back with a rejection, as LibreOffice prints its first sheet (the issue list).
const rejections = join(repo, '.local', 'demo', 'bucket', 'rejections');
// The rejection with the most issues shows the most of the issue list.
const issueCount = (json: string): number =>
  (JSON.parse(readFileSync(join(rejections, json), 'utf8')) as { issues?: unknown[] }).issues?.length ?? 0;
const annotated = readdirSync(rejections, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json') && existsSync(join(rejections, f.replace(/\.json$/, '.xlsx'))))
  .sort()
  .reduce<string | undefined>(
    (best, f) => (best === undefined || issueCount(f) > issueCount(best) ? f : best),
    undefined,
  )
  ?.replace(/\.json$/, '.xlsx');
if (!annotated) throw new Error(`no annotated workbook under ${rejections}: run \`npm start\` first`);
execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', work, join(rejections, annotated)], {
  stdio: 'ignore',
});
const annotatedPdf = join(
  work,
  `${annotated
    .split('/')
    .at(-1)!
    .replace(/\.xlsx$/, '')}.pdf`,
);
execFileSync('pdftoppm', [
  // The top of the page: the list is a few rows on a landscape page that is otherwise white.
  ...['-png', '-r', '130', '-f', '1', '-l', '1', '-x', '60', '-y', '80', '-W', '1440', '-H', '300', '-singlefile'],
  annotatedPdf,
  join(repo, 'docs', 'annotated-workbook'),
]);
console.log(`docs/annotated-workbook.png from rejections/${annotated}`);

// The managers' report e-mail as Chromium renders its HTML body (the first Latvian one in the outbox).
const outbox = join(repo, '.local', 'demo', 'outbox');
const { simpleParser } = await import('mailparser');
// Subjects are MIME-encoded in the files: parse each mail and pick the Latvian quarterly report of 2025-Q3.
let parsed: Awaited<ReturnType<typeof simpleParser>> | undefined;
for (const file of readdirSync(outbox)
  .filter((f) => f.endsWith('.eml'))
  .sort()) {
  const mail = await simpleParser(readFileSync(join(outbox, file)));
  if (mail.subject?.startsWith(`${LABELS.managerSubject.lv} 2025-Q3`) && typeof mail.html === 'string') {
    parsed = mail;
    break;
  }
}
if (!parsed) throw new Error(`no managers' e-mail in ${outbox}: run \`npm start\` first`);
const html = join(work, 'managers-mail.html');
writeFileSync(html, typeof parsed.html === 'string' ? parsed.html : '');
execFileSync(
  'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    `--screenshot=${join(repo, 'docs', 'managers-mail.png')}`,
    // Tall enough for the whole mail down to its footer, since it links the revision page and says how long links live.
    '--window-size=900,1500',
    `file://${html}`,
  ],
  { stdio: 'ignore' },
);
console.log('docs/managers-mail.png from the outbox');
