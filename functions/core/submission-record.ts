/**
 * Stored submission records of an earlier schema, read as the current one: records already in a store keep
 * working after an upgrade, and their figures follow today's rules (money in cents, one ID per person).
 */
import { toCents } from './money';
import { canonicalParticipantId } from './participant-id';
import { type NormalisedSubmission, SUBMISSION_SCHEMA_VERSION, SUBMISSION_SCHEMA_VERSIONS } from './types';

/** An expenditure line as an accepted schema stored it: euros as a float (2) or whole cents (3 and 4). */
interface StoredLine {
  category: string;
  amount?: number;
  amountCents?: number;
  lineage: NormalisedSubmission['expenditure'][number]['lineage'];
}

/** A stored record this code cannot read: written by a newer version of it, or not a record at all. */
export class RecordSchemaError extends Error {
  constructor(readonly found: unknown) {
    super(
      `submission record of schema ${JSON.stringify(found)}: this code reads schemas ${SUBMISSION_SCHEMA_VERSIONS.join(', ')}; ` +
        'a newer record is read by the code that wrote it (see the archived code bundle), an older one is ingested again',
    );
    this.name = 'RecordSchemaError';
  }
}

/**
 * A parsed record as the current schema: schema 2 kept euros as floats and IDs as written, schema 3 IDs folded
 * without composing them again; their IDs are folded as today (a person written two ways counts once).
 */
export function upgradeSubmission(record: NormalisedSubmission): NormalisedSubmission {
  const version = record.schemaVersion as unknown;
  // Never guess at a newer schema (nor at one older than gender and age): either would change figures silently.
  if (!(SUBMISSION_SCHEMA_VERSIONS as readonly unknown[]).includes(version)) throw new RecordSchemaError(version);
  if (version === SUBMISSION_SCHEMA_VERSION) return record;
  // Fields are read defensively: a record is upgraded before anything checks its shape.
  const lines = (record.expenditure ?? []) as unknown as StoredLine[];
  return {
    ...record,
    schemaVersion: SUBMISSION_SCHEMA_VERSION,
    expenditure: lines.map((l) => ({
      category: l.category,
      amountCents: l.amountCents ?? toCents(l.amount ?? 0) ?? 0,
      lineage: l.lineage,
    })),
    profiles: Object.fromEntries(
      Object.entries(record.profiles ?? {})
        .map(([id, profile]) => [canonicalParticipantId(id), profile] as const)
        .reverse(),
    ),
    derived: (record.derived ?? []).map((d) => {
      const ids = [...new Set(d.participantIds.map(canonicalParticipantId))].sort();
      return { ...d, participantIds: ids, value: ids.length };
    }),
  };
}
