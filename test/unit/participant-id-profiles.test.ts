/**
 * A person whose ID is written otherwise than its canonical form (case, inner or outer spaces, a zero-width or
 * no-break space, full-width characters) keeps their gender and age bracket: the derived figures name persons by
 * canonical ID, so the profiles must too, or the breakdown counts them as "not known".
 */
import { describe, expect, it } from 'vitest';
import { submissionsInForce } from '../../functions/core/aggregate';
import { personBreakdown } from '../../functions/core/breakdown';
import { buildCatalogue } from '../../functions/core/catalogue';
import { canonicalParticipantId } from '../../functions/core/participant-id';
import { parseSubmission } from '../../functions/intake/read-submission';
import { source, testRegistry, workbook } from '../helpers/workbooks';

const HEADER = ['Dalībnieka ID', 'Aktivitāte', 'Sākuma datums', 'Dzimums', 'Vecuma grupa'];
// Each differs from its canonical form in one way canonicalisation undoes.
const SPELLINGS = ['o-17', ' O-18 ', 'O-\u200b19', 'O\u00a0 20', 'Ｏ-２１', 'ab-c-22'];

/** A submission whose participant sheet holds `rows`, read as ingest reads it. */
async function ingest(rows: string[][]) {
  const wb = await workbook({
    Projekts: [
      ['Projekta ID', 'lv-courses'],
      ['Periods', '2025-Q3'],
    ],
    Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
    Rādītāji: [['Kods', 'Vērtība periodā']],
    Dalībnieki: [HEADER, ...rows],
  });
  const ctx = { registry: testRegistry(), folder: 'lv-courses', today: '2026-01-01' };
  const result = parseSubmission(wb, { ...source(), version: 'v1', uploadedAt: '2025-12-01T00:00:00Z' }, ctx);
  if (!result.submission) throw new Error(result.issues.map((i) => i.code).join(', '));
  return result.submission;
}

describe('persons whose ID is not written in canonical form', () => {
  it('are counted in their gender and age bracket, not as not known', async () => {
    for (const id of SPELLINGS) expect(canonicalParticipantId(id), JSON.stringify(id)).not.toBe(id);
    const submission = await ingest(SPELLINGS.map((id) => [id, 'language-course', '2025-07-01', 'sieviete', '18-60']));
    const derived = submission.derived.find((d) => d.code === 'O.2.3.1')!;
    expect(derived.participantIds).toEqual(SPELLINGS.map(canonicalParticipantId).sort());
    expect(Object.keys(submission.profiles).sort()).toEqual(derived.participantIds);
    const b = personBreakdown(buildCatalogue().get('O.2.3.1')!, submissionsInForce([submission], '2025-Q3'), '2025-Q3');
    expect(b.total).toBe(SPELLINGS.length);
    expect(b.counts.female['18-60']).toBe(SPELLINGS.length);
    expect(b.counts.unknown.unknown).toBe(0);
  });

  it('keep the profile of their first activity when the ID is written two ways', async () => {
    const s = await ingest([
      ['O-30', 'civic-course', '2025-09-01', 'vīrietis', '>60'],
      ['o-30', 'language-course', '2025-07-01', 'sieviete', '<18'],
    ]);
    expect(s.profiles).toEqual({ 'O-30': 'female/<18' });
  });
});
