/**
 * HTTP framing of the drop page and its endpoint, shared by `pmif-reports serve` (node:http) and the Lambda behind
 * the Function URL: a request in, a response out, no server library. Every answer a person may see is a page or
 * bilingual JSON; nothing returns a stack trace.
 */

import { type DownloadAnswer, openDownload, revisionView } from '../app/download-endpoint';
import {
  annotatedWorkbook,
  type EndpointDeps,
  openLink,
  permitUpload,
  prefilledTemplate,
  type Refusal,
  uploadVerdict,
} from '../app/upload-endpoint';
import { XLSX_CONTENT_TYPE } from '../core/cells';
import { LINK_MESSAGES } from '../core/upload-link';
import { DROP_PAGE_CSS, DROP_PAGE_SCRIPT, type DropPageState, renderDropPage } from './drop-page';
import { REVISION_PAGE_CSS, renderLinkRefusalPage, renderRevisionPage } from './revision-page';

export interface EndpointRequest {
  method: string;
  /** The path without the query, e.g. `/upload`. */
  path: string;
  query: URLSearchParams;
  /** The body as text (JSON requests only; files never pass through the endpoint). */
  body?: string;
}

export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** Largest JSON body the endpoint reads (`{ name, size }`). */
export const MAX_JSON_BODY = 4096;

export interface RouterOptions {
  /** Origin the browser uploads to (the bucket's, or empty when it is this server), for the page's CSP. */
  uploadOrigin?: string;
}

const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

function json(status: number, value: unknown): EndpointResponse {
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

function refusalJson(r: Refusal): EndpointResponse {
  return json(r.status, { ok: false, code: r.code, message: r.message });
}

function file(name: string, bytes: Uint8Array): EndpointResponse {
  // ASCII fallback plus the UTF-8 name (RFC 6266), so a Latvian file name survives.
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': XLSX_CONTENT_TYPE,
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    },
    body: bytes,
  };
}

function page(status: number, state: DropPageState, options: RouterOptions): EndpointResponse {
  const connect = ["'self'", options.uploadOrigin].filter(Boolean).join(' ');
  const csp = `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp },
    body: renderDropPage(state),
  };
}

/** A page without script: styles from this origin only, nothing else loaded, no form posts anywhere. */
function htmlPage(status: number, html: string): EndpointResponse {
  const csp =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp },
    body: html,
  };
}

/** A checked download: a redirect to the presigned GET (S3), or the bytes themselves (local `serve`). */
function downloadResponse(answer: DownloadAnswer): EndpointResponse {
  if (!answer.ok) return htmlPage(answer.status, renderLinkRefusalPage(answer));
  if ('redirect' in answer)
    return { status: 302, headers: { ...SECURITY_HEADERS, location: answer.redirect }, body: '' };
  const ascii = answer.name.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': answer.contentType,
      'content-length': String(answer.bytes.byteLength),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(answer.name)}`,
    },
    body: answer.bytes,
  };
}

async function dropPage(deps: EndpointDeps, token: string, options: RouterOptions): Promise<EndpointResponse> {
  if (!token) return page(400, { ok: false, message: LINK_MESSAGES.invalid }, options);
  const view = await openLink(deps, token);
  if (!view.ok) return page(view.status, { ok: false, message: view.message }, options);
  const { ok: _, ...rest } = view;
  const state: DropPageState = {
    ok: true,
    ...rest,
    templateHref: `api/template?t=${encodeURIComponent(token)}`,
    messages: LINK_MESSAGES,
  };
  return page(200, state, options);
}

function parseFile(body: string | undefined): { name: string; size: number } | null {
  if (!body || body.length > MAX_JSON_BODY) return null;
  try {
    const value = JSON.parse(body) as { name?: unknown; size?: unknown };
    return typeof value.name === 'string' && typeof value.size === 'number'
      ? { name: value.name, size: value.size }
      : null;
  } catch {
    return null;
  }
}

/** Route one request. Unknown paths get a 404; unexpected faults are the caller's to log and answer with a 500. */
export async function handleEndpointRequest(
  deps: EndpointDeps,
  req: EndpointRequest,
  options: RouterOptions = {},
): Promise<EndpointResponse> {
  const t = req.query.get('t') ?? '';
  const v = req.query.get('v') ?? '';
  const route = `${req.method.toUpperCase()} ${req.path}`;
  switch (route) {
    case 'GET /upload':
      return dropPage(deps, t, options);
    case 'GET /assets/drop.css':
      return {
        status: 200,
        headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' },
        body: DROP_PAGE_CSS,
      };
    case 'GET /assets/revision.css':
      return {
        status: 200,
        headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' },
        body: REVISION_PAGE_CSS,
      };
    case 'GET /download':
      return downloadResponse(await openDownload(deps, t, req.query.get('k')));
    case 'GET /revision': {
      const view = await revisionView(deps, t);
      return htmlPage(view.ok ? 200 : view.status, view.ok ? renderRevisionPage(view) : renderLinkRefusalPage(view));
    }
    case 'GET /assets/drop.js':
      return {
        status: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=300' },
        body: DROP_PAGE_SCRIPT,
      };
    case 'POST /api/uploads': {
      const fileInfo = parseFile(req.body);
      if (!fileInfo) return json(400, { ok: false, code: 'bad-request', message: LINK_MESSAGES['not-xlsx'] });
      const permit = await permitUpload(deps, t, fileInfo);
      return permit.ok ? json(200, permit) : refusalJson(permit);
    }
    case 'GET /api/verdict': {
      const verdict = await uploadVerdict(deps, v);
      return verdict.ok ? json(200, verdict) : refusalJson(verdict);
    }
    case 'GET /api/annotated': {
      const copy = await annotatedWorkbook(deps, v);
      return copy.ok ? file(copy.name, copy.bytes) : refusalJson(copy);
    }
    case 'GET /api/template': {
      const template = await prefilledTemplate(deps, t);
      return template.ok ? file(template.name, template.bytes) : refusalJson(template);
    }
    default:
      return page(404, { ok: false, message: NOT_HERE }, options);
  }
}

const NOT_HERE = {
  lv: 'Šeit nekā nav. Atveriet augšupielādes saiti no sava e-pasta.',
  en: 'Nothing here. Open the upload link from your e-mail.',
};

/** The answer to a fault the router did not expect: a plain page, never the error itself. */
export function faultResponse(): EndpointResponse {
  return page(
    500,
    {
      ok: false,
      message: {
        lv: 'Radās kļūda. Mēģiniet vēlreiz pēc brīža; ja neizdodas, sazinieties ar vadošo iestādi.',
        en: 'Something went wrong. Try again in a moment; if it keeps failing, contact the managing authority.',
      },
    },
    {},
  );
}
