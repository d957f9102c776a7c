/** Stored submission records: every schema written so far is read as today's; a newer or malformed one is refused. */
import { describe, expect, it } from 'vitest';
import { RecordSchemaError, upgradeSubmission } from '../../functions/core/submission-record';
import {
  type NormalisedSubmission,
  SUBMISSION_SCHEMA_VERSION,
  SUBMISSION_SCHEMA_VERSIONS,
} from '../../functions/core/types';

function record(schemaVersion: unknown): NormalisedSubmission {
  return {
    schemaVersion,
    kind: 'submission',
    source: {
      key: 'inbox/p/x.xlsx',
      version: 'v1',
      sha256: '0'.repeat(64),
      bytes: 1,
      uploadedAt: '2025-10-01T00:00:00Z',
    },
    registryVersion: 'r1',
    catalogueVersion: 'c',
    projectId: 'p',
    period: '2025-Q3',
    indicators: [],
    derived: [{ code: 'O.2.3.1', value: 2, participantIds: ['P-1', 'p-1'], lineage: [] }],
    participantRows: 2,
    profiles: { 'P-1': 'female/18-60' },
    breakdowns: [],
    expenditure: [],
    narrative: { achievements: null, problems: null, nextSteps: null },
    warnings: [],
  } as unknown as NormalisedSubmission;
}

describe('submission record schemas', () => {
  it('reads every schema written from the gender/age records on, as the current one', () => {
    for (const v of SUBMISSION_SCHEMA_VERSIONS) {
      const read = upgradeSubmission(record(v));
      expect(read.schemaVersion).toBe(SUBMISSION_SCHEMA_VERSION);
      expect(Object.values(read.profiles)).toEqual(['female/18-60']);
    }
  });

  it('folds the IDs of a schema 3 record as today: a Greek ID written in lower case and in capitals is one person', () => {
    // Schema 3 folded ΐ to Ι, diaeresis, acute (decomposed) and Ϊ́ typed in capitals to Ϊ, acute: two persons.
    const lower = '\u0390-7'.normalize('NFKC').toLowerCase().toUpperCase();
    const upper = '\u03aa\u0301-7';
    expect(lower).not.toBe(upper);
    const stored = {
      ...record(3),
      derived: [{ code: 'O.2.3.1', value: 2, participantIds: [lower, upper].sort(), lineage: [] }],
      profiles: { [lower]: 'female/18-60', [upper]: 'female/18-60' },
    } as unknown as NormalisedSubmission;
    const read = upgradeSubmission(stored);
    expect(read.derived[0]!.participantIds).toEqual([upper]);
    expect(read.derived[0]!.value).toBe(1);
    expect(Object.keys(read.profiles)).toEqual([upper]);
  });

  it('refuses a newer or malformed schema instead of guessing', () => {
    for (const v of [SUBMISSION_SCHEMA_VERSION + 1, 1, 0, '2', null, undefined, 2.5])
      expect(() => upgradeSubmission(record(v)), String(v)).toThrow(RecordSchemaError);
  });
});
