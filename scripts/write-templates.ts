/**
 * Regenerate the committed blank templates: `npx tsx scripts/write-templates.ts`.
 * `test/unit/templates.test.ts` fails until the committed files match what this writes.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildCommittedTemplates } from '../functions/workbooks/write-template';

const templatesDir = fileURLToPath(new URL('../templates/', import.meta.url));
for (const { file, bytes } of await buildCommittedTemplates()) {
  await writeFile(`${templatesDir}${file}`, bytes);
  console.log(`wrote templates/${file} (${bytes.length} bytes)`);
}
