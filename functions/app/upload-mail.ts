/** The coordinator's e-mails about an upload: to whom, and once per decision (through the mail ledger). */
import type { OutgoingMail } from '../core/ports';
import type { Registry, SourceRef } from '../core/types';
import type { Deps } from './deps';
import { type SendOnceResult, sendOnce, UnsentMailError } from './ledger';

/** What became of the coordinator's e-mail about an upload (`none`: nobody to tell). */
export type ReceiptMail = Exclude<SendOnceResult['status'], 'failed'> | 'none';

/**
 * The coordinators of the folder that was written to (docs/architecture.md §7): the uploader, as far as anyone can
 * tell.
 */
export function coordinatorsOf(registry: Registry | null, folder: string | null): string[] {
  if (folder === null) return [];
  return registry?.projects.find((p) => p.id === folder)?.coordinatorEmails ?? [];
}

/**
 * The coordinator's one e-mail in a ledger slot (acceptance, rejection, or the week-old "still waiting"). A send
 * that certainly failed throws {@link UnsentMailError} before the ingest receipt is written, so the event's retry
 * comes back for it.
 */
export async function receiptMail(
  deps: Deps,
  slot: string,
  source: SourceRef,
  to: string[],
  compose: () => OutgoingMail,
): Promise<ReceiptMail> {
  if (to.length === 0) return 'none';
  const result = await sendOnce(deps, {
    slot,
    event: 'ingest.receipt',
    about: { version: source.version },
    compose,
  });
  if (result.status === 'failed') throw new UnsentMailError(1, null, { cause: result.error });
  return result.status;
}
