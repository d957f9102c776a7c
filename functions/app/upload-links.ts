/**
 * The personal upload link in coordinators' e-mails (docs/architecture.md §1–2): signed for one project and one period, valid
 * until 30 days after the later of the period's deadline and the mail's date (`core/upload-link.ts`).
 */
import { periodFromKey, rigaDate, submissionDeadline } from '../core/period';
import type { Registry } from '../core/types';
import { nextDuePeriod, signUploadLink, uploadLinkExpiry } from '../core/upload-link';
import type { Deps, UploadLinkConfig } from './deps';

/** The page's address for a token: `<base>upload?t=<token>`. */
export function dropPageUrl(baseUrl: string, token: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}upload?t=${encodeURIComponent(token)}`;
}

/** A signed link for `period` (or the project's next due period when null), mailed now. */
export async function uploadLinkFor(
  deps: Pick<Deps, 'clock'> & { links?: UploadLinkConfig },
  registry: Registry | null,
  projectId: string,
  period: string | null,
): Promise<string | undefined> {
  const project = registry?.projects.find((p) => p.id === projectId);
  if (!deps.links || !registry || !project) return undefined;
  const now = deps.clock.now();
  const linkPeriod = period ?? nextDuePeriod(project, registry.settings.deadlineDays, rigaDate(now));
  const deadline = submissionDeadline(periodFromKey(linkPeriod), registry.settings.deadlineDays);
  const ring = await deps.links.keys.keyRing();
  const token = signUploadLink(ring, { project: projectId, period: linkPeriod }, uploadLinkExpiry(deadline, now));
  return dropPageUrl(deps.links.baseUrl, token);
}
