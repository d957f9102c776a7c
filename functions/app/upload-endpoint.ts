/**
 * The drop page's endpoint (docs/architecture.md §2), the same for `pmif-reports serve` and the Lambda behind the Function URL:
 * check the link's token, hand out a fresh presigned POST for one key under `inbox/<project>/`, tell the page what
 * became of that one upload, and give out the pre-filled blank template. Each answer is plain data; the HTTP
 * framing lives in `upload-http.ts`.
 */
import { standardIndicators } from '../core/catalogue';
import { XLSX_CONTENT_TYPE } from '../core/cells';
import { keys, linkUploadKey, parseInboxKey } from '../core/keys';
import { periodFromKey, submissionDeadline } from '../core/period';
import type { Clock, DownloadGate, LinkKeys, Logger, ObjectStore, UploadGate } from '../core/ports';
import { signLink, verifyLink } from '../core/signed-link';
import type { Bilingual, NormalisedSubmission, Rejection } from '../core/types';
import {
  isXlsxName,
  LINK_MESSAGES,
  MAX_UPLOAD_BYTES,
  PRESIGNED_POST_SECONDS,
  safeUploadName,
  type UploadScope,
  VERDICT_KIND,
  VERDICT_TOKEN_SECONDS,
  verifyUploadLink,
} from '../core/upload-link';
import { issueLocation } from '../mail/coordinator-mails';
import { buildSubmissionTemplate } from '../workbooks/write-template';
import { parseJson } from './deps';
import { loadRegistryInForce } from './registry-store';

/**
 * What the endpoint needs: the store (read-only here), the clock, the link keys and the upload gate; on S3 also the
 * presigner of download links (issue 18; locally the endpoint hands out the stored bytes itself).
 */
export interface EndpointDeps {
  store: ObjectStore;
  clock: Clock;
  log: Logger;
  keys: LinkKeys;
  gate: UploadGate;
  downloads?: DownloadGate;
}

/** A refusal the page shows as it is: an HTTP status and the reason in both languages. */
export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 410 | 413;
  code: string;
  message: Bilingual;
}

function refuse(status: Refusal['status'], code: keyof typeof LINK_MESSAGES): Refusal {
  return { ok: false, status, code, message: LINK_MESSAGES[code] };
}

/** What the page shows once the link checks out. */
export interface LinkView {
  ok: true;
  project: string;
  projectTitle: string;
  period: string;
  deadline: string;
  expiresAt: string;
  maxBytes: number;
}

async function openScope(
  deps: EndpointDeps,
  token: string,
): Promise<{ ok: true; scope: UploadScope; expiresAt: Date } | Refusal> {
  const v = verifyUploadLink(await deps.keys.keyRing(), token, deps.clock.now());
  if (v.ok) return v;
  deps.log.warn('upload.link-refused', { reason: v.reason });
  return v.reason === 'expired' ? refuse(410, 'expired') : refuse(403, 'invalid');
}

/** Check a link and describe what it is for (project, period, deadline). */
export async function openLink(deps: EndpointDeps, token: string): Promise<LinkView | Refusal> {
  const opened = await openScope(deps, token);
  if (!opened.ok) return opened;
  const { project: projectId, period } = opened.scope;
  const registry = await loadRegistryInForce(deps.store);
  const project = registry?.projects.find((p) => p.id === projectId);
  if (!registry || !project) return refuse(404, 'unknown-project');
  return {
    ok: true,
    project: projectId,
    projectTitle: project.title,
    period,
    deadline: submissionDeadline(periodFromKey(period), registry.settings.deadlineDays),
    expiresAt: opened.expiresAt.toISOString(),
    maxBytes: MAX_UPLOAD_BYTES,
  };
}

export interface UploadPermit {
  ok: true;
  /** Where the browser sends the file, and the form fields to send before it. */
  post: { url: string; fields: Record<string, string> };
  /** Lets the page ask for this upload's verdict, and nothing else. */
  verdictToken: string;
}

/** `2026-11-16T06:00:00Z` + random → `20261116T060000Z-k3v9x2`. */
function uploadStamp(now: Date): string {
  const iso = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${iso}-${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`;
}

/**
 * A fresh presigned POST for one new key under the link's project inbox, naming the link's period and the file's
 * own name; `.xlsx` only, at most {@link MAX_UPLOAD_BYTES}. The size given here is the browser's word: the POST's
 * policy (or the local server) enforces the cap on the bytes actually sent.
 */
export async function permitUpload(
  deps: EndpointDeps,
  token: string,
  file: { name: string; size: number },
): Promise<UploadPermit | Refusal> {
  const link = await openLink(deps, token);
  if (!link.ok) return link;
  if (!isXlsxName(file.name)) return refuse(400, 'not-xlsx');
  if (!Number.isFinite(file.size) || file.size <= 0) return refuse(400, 'empty');
  if (file.size > MAX_UPLOAD_BYTES) return refuse(413, 'too-large');
  const now = deps.clock.now();
  const key = linkUploadKey(link.project, link.period, uploadStamp(now), safeUploadName(file.name));
  const post = await deps.gate.presignPost(key, {
    maxBytes: MAX_UPLOAD_BYTES,
    contentType: XLSX_CONTENT_TYPE,
    expiresInSeconds: PRESIGNED_POST_SECONDS,
  });
  const verdictToken = signLink(await deps.keys.keyRing(), {
    kind: VERDICT_KIND,
    exp: Math.floor(now.getTime() / 1000) + VERDICT_TOKEN_SECONDS,
    scope: { key },
  });
  deps.log.info('upload.permitted', { project: link.project, period: link.period, bytes: file.size });
  return { ok: true, post, verdictToken };
}

export interface IssueView {
  severity: 'error' | 'warning';
  location: string;
  message: Bilingual;
  found?: string;
  expected?: string;
}

export type Verdict =
  | { ok: true; status: 'waiting' }
  | { ok: true; status: 'accepted'; project: string; period: string; deadline: string | null; warnings: IssueView[] }
  | { ok: true; status: 'rejected'; issues: IssueView[]; annotated: boolean }
  | { ok: true; status: 'held'; issues: IssueView[] };

function issueViews(issues: Rejection['issues']): IssueView[] {
  return issues.map((i) => ({
    severity: i.severity === 'error' ? 'error' : 'warning',
    location: issueLocation(i, ['lv', 'en']),
    message: i.message,
    ...(i.found === undefined ? {} : { found: i.found }),
    ...(i.expected === undefined ? {} : { expected: i.expected }),
  }));
}

async function verdictKey(deps: EndpointDeps, token: string): Promise<string | Refusal> {
  const v = verifyLink(await deps.keys.keyRing(), token, VERDICT_KIND, deps.clock.now());
  if (!v.ok) return v.reason === 'expired' ? refuse(410, 'expired') : refuse(403, 'invalid');
  const key = v.claims.scope.key;
  return key && parseInboxKey(key) ? key : refuse(403, 'invalid');
}

/** What became of the one upload a verdict token names: nothing about any other object is read or told. */
export async function uploadVerdict(deps: EndpointDeps, token: string): Promise<Verdict | Refusal> {
  const key = await verdictKey(deps, token);
  if (typeof key !== 'string') return key;
  const receipts = await deps.store.list(keys.ingestedOf(key));
  const receipt = receipts[0] && (await deps.store.get(receipts[0].key));
  if (!receipt) return { ok: true, status: 'waiting' };
  const r = parseJson<{ status: string; recordKey: string | null }>(receipt.bytes);
  const record = r.recordKey ? await deps.store.get(r.recordKey) : undefined;
  if (!record) return { ok: true, status: 'waiting' };
  if (r.status === 'accepted') {
    const s = parseJson<NormalisedSubmission>(record.bytes);
    const registry = await loadRegistryInForce(deps.store);
    const deadline = registry ? submissionDeadline(periodFromKey(s.period), registry.settings.deadlineDays) : null;
    return {
      ok: true,
      status: 'accepted',
      project: s.projectId,
      period: s.period,
      deadline,
      warnings: issueViews(s.warnings),
    };
  }
  const rejection = parseJson<Rejection>(record.bytes);
  if (r.status === 'rejected') {
    const annotated = await deps.store.get(r.recordKey!.replace(/\.json$/, '.xlsx'));
    return { ok: true, status: 'rejected', issues: issueViews(rejection.issues), annotated: annotated !== undefined };
  }
  // Any other outcome (e.g. kept pending until a later registry decides it) is shown with its issues, not hidden.
  return { ok: true, status: 'held', issues: issueViews(rejection.issues ?? []) };
}

/** The annotated copy of the one rejected upload a verdict token names. */
export async function annotatedWorkbook(
  deps: EndpointDeps,
  token: string,
): Promise<{ ok: true; name: string; bytes: Uint8Array } | Refusal> {
  const key = await verdictKey(deps, token);
  if (typeof key !== 'string') return key;
  for (const info of await deps.store.list(keys.ingestedOf(key))) {
    const receipt = await deps.store.get(info.key);
    const r = receipt && parseJson<{ recordKey: string | null }>(receipt.bytes);
    if (!r?.recordKey?.startsWith(keys.rejectionsPrefix)) continue;
    const copy = await deps.store.get(r.recordKey.replace(/\.json$/, '.xlsx'));
    if (copy)
      return { ok: true, name: `${parseInboxKey(key)!.file.replace(/\.xlsx$/i, '')}-kludas.xlsx`, bytes: copy.bytes };
  }
  return { ok: false, status: 404, code: 'no-annotated', message: { lv: 'Nav atrasts.', en: 'Not found.' } };
}

/** The blank submission template with the link's project and period filled in. */
export async function prefilledTemplate(
  deps: EndpointDeps,
  token: string,
): Promise<{ ok: true; name: string; bytes: Uint8Array } | Refusal> {
  const link = await openLink(deps, token);
  if (!link.ok) return link;
  const registry = await loadRegistryInForce(deps.store);
  const fund = registry?.projects.find((p) => p.id === link.project)?.fund;
  // The project's own fund period's indicators, as the committed template does; all of them for other funds.
  const forFund = standardIndicators().filter((def) => def.catalogue === fund);
  const bytes = await buildSubmissionTemplate({
    projectId: link.project,
    period: link.period,
    catalogue: forFund.length > 0 ? forFund : standardIndicators(),
  });
  return { ok: true, name: `${link.project}-${link.period}.xlsx`, bytes };
}
