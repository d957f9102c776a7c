/**
 * The download side of the signed-link endpoint (issue 18), the same for `pmif-reports serve` and the Lambda behind
 * the Function URL: check a download token and hand over the one archived object it names (a presigned GET, or the
 * bytes from the local store), and build the revision page's view from a revision token. Each answer is plain
 * data; the HTTP framing lives in `upload/router.ts`.
 */
import { XLSX_CONTENT_TYPE } from '../core/cells';
import {
  DOWNLOAD_MESSAGES,
  DOWNLOAD_PRESIGN_SECONDS,
  isDownloadableKey,
  type Opened,
  openDownloadLink,
  openRevisionLink,
  signDownloadLink,
} from '../core/download-link';
import { keys, parseReportKey } from '../core/keys';
import type { Manifest } from '../core/manifest';
import { rigaDate } from '../core/period';
import type { Clock, DownloadGate, LinkKeys, Logger, ObjectStore } from '../core/ports';
import { diffFigures } from '../core/report-model';
import type { ReportChange } from '../core/report-types';
import type { Bilingual } from '../core/types';
import { parseJson, sha256Hex } from './deps';
import { loadRegistryInForce } from './registry-store';

/** What the download routes need: the store (read-only), the clock, the link keys, and on S3 a presigner. */
export interface DownloadDeps {
  store: ObjectStore;
  clock: Clock;
  log: Logger;
  keys: LinkKeys;
  /** Absent locally: the endpoint then answers with the object's bytes itself. */
  downloads?: DownloadGate;
}

/** A link that opens nothing, with the page's words. */
export interface DownloadRefusal {
  ok: false;
  status: 403 | 404 | 410;
  code: 'expired' | 'invalid' | 'not-named' | 'missing';
  message: Bilingual;
}

export type DownloadAnswer =
  | { ok: true; redirect: string }
  | { ok: true; name: string; contentType: string; bytes: Uint8Array }
  | DownloadRefusal;

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  xlsx: XLSX_CONTENT_TYPE,
  json: 'application/json',
};

/** The name a downloaded file is saved under: `2025-Q3-r1-one-stop-shop.en.pdf`. */
export function downloadName(key: string): string {
  const parsed = parseReportKey(key);
  return parsed ? `${parsed.period}-r${parsed.revision}-${parsed.file}` : key.replace(/^.*\//, '');
}

/** The managers of the registry in force: whom an expired link tells its holder to ask. */
async function contacts(store: ObjectStore): Promise<string[]> {
  const registry = await loadRegistryInForce(store);
  return (registry?.recipients ?? []).filter((r) => r.role === 'manager').map((r) => r.email);
}

/**
 * Why a link opens nothing. Only a link whose signature checks out (expired, not revoked) learns whom to ask: the
 * contacts are the registry's, not for anyone who types an address.
 */
async function refusal(deps: DownloadDeps, opened: Exclude<Opened<unknown>, { ok: true }>, exp?: Date) {
  deps.log.warn('download.link-refused', { reason: opened.reason });
  if (opened.reason === 'expired') {
    const until = exp ? rigaDate(exp) : '';
    const message = DOWNLOAD_MESSAGES.expired(until, await contacts(deps.store));
    return { ok: false, status: 410, code: 'expired', message } satisfies DownloadRefusal;
  }
  if (opened.reason === 'not-named') {
    return { ok: false, status: 403, code: 'not-named', message: DOWNLOAD_MESSAGES.notNamed } satisfies DownloadRefusal;
  }
  return { ok: false, status: 403, code: 'invalid', message: DOWNLOAD_MESSAGES.invalid } satisfies DownloadRefusal;
}

/** The expiry a token claims, read without trusting it (only to date the "expired" page of a checked token). */
function claimedExpiry(token: string): Date | undefined {
  try {
    const exp = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Open the one object a download token names (`requested`: the key in the URL, a choice among the named ones).
 * Nothing is read or signed before the token and the choice check out.
 */
export async function openDownload(
  deps: DownloadDeps,
  token: string,
  requested: string | null,
): Promise<DownloadAnswer> {
  const opened = openDownloadLink(await deps.keys.keyRing(), token, requested, deps.clock.now());
  if (!opened.ok) return refusal(deps, opened, claimedExpiry(token));
  const key = opened.value;
  const name = downloadName(key);
  const contentType = CONTENT_TYPES[key.replace(/^.*\./, '')] ?? 'application/octet-stream';
  const report = parseReportKey(key)!;
  deps.log.info('download.opened', { period: report.period, revision: report.revision, file: report.file });
  if (deps.downloads) {
    const url = await deps.downloads.presignGet(key, {
      expiresInSeconds: DOWNLOAD_PRESIGN_SECONDS,
      filename: name,
      contentType,
    });
    return { ok: true, redirect: url };
  }
  const obj = await deps.store.get(key);
  if (!obj) return { ok: false, status: 404, code: 'missing', message: DOWNLOAD_MESSAGES.missing };
  return { ok: true, name, contentType, bytes: obj.bytes };
}

/** One file on the revision page, with its own download link (relative to the page). */
export interface ListedFile {
  key: string;
  name: string;
  bytes: number;
  sha256: string;
  /** Null for an entry that is not a report file (a manifest edited by hand): listed, never opened. */
  href: string | null;
}

export interface RevisionView {
  ok: true;
  period: string;
  revision: number;
  generatedAt: string;
  codeVersion: string;
  expiresAt: string;
  /** Every output, with the size and SHA-256 the manifest gives (never recomputed). */
  outputs: ListedFile[];
  /** The manifest itself: its SHA-256 is of its stored bytes (it cannot list itself). */
  manifest: ListedFile;
  registry: { key: string; version: string; sha256: string };
  sources: { key: string; version: string; sha256: string }[];
  /** Figures changed since the previous revision; null for a first revision. */
  changes: ReportChange[] | null;
  notes: Bilingual[];
  reason?: string;
}

/** The page a relative download link points to, from the revision page at `<base>revision`. */
export function relativeDownloadHref(token: string, key: string): string {
  return `download?t=${encodeURIComponent(token)}&k=${encodeURIComponent(key)}`;
}

/**
 * What the revision page shows. Its download links are tokens of their own, each naming one file of this
 * revision and expiring with the page's token, so the page's rights never exceed the link that opened it.
 */
export async function revisionView(deps: DownloadDeps, token: string): Promise<RevisionView | DownloadRefusal> {
  const ring = await deps.keys.keyRing();
  const opened = openRevisionLink(ring, token, deps.clock.now());
  if (!opened.ok) return refusal(deps, opened, claimedExpiry(token));
  const { period, revision } = opened.value;
  const manifestKey = keys.manifest(period, revision);
  const obj = await deps.store.get(manifestKey);
  if (!obj) return { ok: false, status: 404, code: 'missing', message: DOWNLOAD_MESSAGES.missing };
  const manifest = parseJson<Manifest>(obj.bytes, manifestKey);
  const listed = (key: string, bytes: number, sha256: string): ListedFile => ({
    key,
    name: downloadName(key),
    bytes,
    sha256,
    href: isDownloadableKey(key) ? relativeDownloadHref(signDownloadLink(ring, [key], opened.expiresAt), key) : null,
  });
  let changes: ReportChange[] | null = null;
  if (revision > 1) {
    const previous = await deps.store.get(keys.manifest(period, revision - 1));
    const figures = previous ? parseJson<Manifest>(previous.bytes, previous.key).figures : {};
    changes = diffFigures(figures, manifest.figures);
  }
  deps.log.info('download.revision-page', { period, revision });
  return {
    ok: true,
    period,
    revision,
    generatedAt: manifest.generatedAt,
    codeVersion: manifest.codeVersion,
    expiresAt: opened.expiresAt.toISOString(),
    outputs: manifest.outputs.map((o) => listed(o.key, o.bytes, o.sha256)),
    manifest: listed(manifestKey, obj.bytes.byteLength, sha256Hex(obj.bytes)),
    registry: manifest.registry,
    sources: manifest.sources.map((s) => ({ key: s.key, version: s.version, sha256: s.sha256 })),
    changes,
    notes: manifest.notes ?? [],
    ...(manifest.reason === undefined ? {} : { reason: manifest.reason }),
  };
}
