/**
 * Regenerate the report pictures in `docs/` from the sample run: `npm start`, then `npm run docs:pictures`.
 * Needs `pdftoppm` (Debian package poppler-utils).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
