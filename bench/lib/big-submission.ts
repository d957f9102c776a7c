/**
 * A submission workbook with 100 000 participant rows: one real sample submission (its project sheet, indicators,
 * expenditure and progress text) laid out by the template code, with its participant rows repeated under fresh
 * pseudonymous IDs until the sheet holds `rows` rows. Validates without errors against the sample registry.
 */
import { writeFile } from 'node:fs/promises';
import {
  layOutSubmissionWorkbook,
  writeFormValues,
  writeTableRows,
  writeWorkbookBytes,
} from '../../functions/workbooks/write-template';
import { buildSampleData, type SampleSubmission, sampleCatalogue } from '../../sample/sample-projects';
import { cellValues } from '../../sample/write-sample';

/** The sample upload with the most participant rows in `period`: the template the big workbook grows from. */
export function richestSubmission(period: string): SampleSubmission {
  const candidates = buildSampleData().submissions.filter((s) => s.content.period === period);
  const best = candidates.sort(
    (a, b) => (b.content.participants?.length ?? 0) - (a.content.participants?.length ?? 0),
  )[0];
  if (!best?.content.participants?.length) throw new Error(`no sample submission with participants in ${period}`);
  return best;
}

/** Write the workbook to `path`; returns its project, period and size. */
export async function writeBigSubmission(path: string, period: string, rows: number) {
  const template = richestSubmission(period);
  const { content } = template;
  const base = content.participants!;
  const participants = Array.from({ length: rows }, (_, i) => ({
    ...base[i % base.length]!,
    participantId: `B-${String(i + 1).padStart(6, '0')}`,
  }));
  const laidOut = layOutSubmissionWorkbook({ catalogue: sampleCatalogue(template.catalogue) });
  const sheet = (id: string) => {
    const s = laidOut.sheets.get(id);
    if (!s) throw new Error(`template has no ${id} sheet`);
    return s;
  };
  writeFormValues(sheet('project'), {
    projectId: content.projectId,
    period: content.period,
    preparedBy: content.preparedBy,
    email: content.email,
  });
  const fill = (id: string, list: object[]) => {
    const s = sheet(id);
    writeTableRows(
      s,
      list.map((row) => cellValues(s, row)),
    );
  };
  fill('indicators', content.indicators);
  fill('participants', participants);
  fill('expenditure', content.expenditure);
  fill('progress', [content.progress]);
  const bytes = await writeWorkbookBytes(laidOut.workbook);
  await writeFile(path, bytes);
  return { projectId: content.projectId, period: content.period, bytes: bytes.byteLength, rows };
}
