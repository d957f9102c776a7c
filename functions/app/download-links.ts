/**
 * Download links and revision-page links in managers' and auditors' e-mails (issue 18), on the same endpoint and
 * base URL as the coordinators' upload links (`upload-links.ts`): managers' links live 90 days from the mail,
 * auditors' revision pages as long as the archive keeps the revision (or until a key rotation revokes them).
 */
import {
  auditorLinkExpiry,
  DEFAULT_RETENTION_YEARS,
  managerLinkExpiry,
  signDownloadLink,
  signRevisionLink,
} from '../core/download-link';
import type { Deps, UploadLinkConfig } from './deps';

function withSlash(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}

/** `<base>download?t=<token>&k=<key>`: the key is a choice among those the token names, nothing more. */
export function downloadUrl(baseUrl: string, token: string, key: string): string {
  return `${withSlash(baseUrl)}download?t=${encodeURIComponent(token)}&k=${encodeURIComponent(key)}`;
}

/** `<base>revision?t=<token>` */
export function revisionUrl(baseUrl: string, token: string): string {
  return `${withSlash(baseUrl)}revision?t=${encodeURIComponent(token)}`;
}

type LinkDeps = Pick<Deps, 'clock'> & { links?: UploadLinkConfig | undefined };

/**
 * One link per file for a set of files that belong together (a project's PDF and XLSX in one edition): one token
 * names all of them, each link picks one. Undefined when links are not configured.
 */
export async function managerDownloadLinks(
  deps: LinkDeps,
  objectKeys: readonly string[],
): Promise<Map<string, string> | undefined> {
  if (!deps.links) return undefined;
  const token = signDownloadLink(await deps.links.keys.keyRing(), objectKeys, managerLinkExpiry(deps.clock.now()));
  return new Map(objectKeys.map((key) => [key, downloadUrl(deps.links!.baseUrl, token, key)]));
}

/** The revision page for a manager's mail: 90 days, as their download links. */
export async function managerRevisionLink(
  deps: LinkDeps,
  period: string,
  revision: number,
): Promise<string | undefined> {
  if (!deps.links) return undefined;
  const token = signRevisionLink(
    await deps.links.keys.keyRing(),
    { period, revision },
    managerLinkExpiry(deps.clock.now()),
  );
  return revisionUrl(deps.links.baseUrl, token);
}

/** The revision page for an auditor: as long as the archive's retention of the revision from its generation. */
export async function auditorRevisionLink(
  deps: LinkDeps,
  manifest: { period: string; revision: number; generatedAt: string },
): Promise<{ url: string; expiresAt: Date } | undefined> {
  if (!deps.links) return undefined;
  const years = deps.links.retentionYears ?? DEFAULT_RETENTION_YEARS;
  const expiresAt = auditorLinkExpiry(manifest.generatedAt, years);
  const token = signRevisionLink(
    await deps.links.keys.keyRing(),
    { period: manifest.period, revision: manifest.revision },
    expiresAt,
  );
  return { url: revisionUrl(deps.links.baseUrl, token), expiresAt };
}
