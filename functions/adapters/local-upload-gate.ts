/**
 * Local mode's stand-in for an S3 presigned POST: the form goes to `pmif-reports serve` itself, with a signed
 * ticket naming the one key, the content type and the size cap. The receiving side checks the ticket the way S3
 * checks a POST policy, then writes the file into the folder store create-only.
 */
import type { LinkKeys, ObjectStore, PresignedPost, UploadGate } from '../core/ports';
import { AlreadyExistsError } from '../core/ports';
import { signLink, verifyLink } from '../core/signed-link';

const TICKET_KIND = 'local-post';
/** Form fields and multipart framing around the file: allowed on top of the file's own cap. */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

export class LocalUploadGate implements UploadGate {
  constructor(
    private readonly origin: string,
    private readonly keys: LinkKeys,
    private readonly now: () => Date,
  ) {}

  async presignPost(
    key: string,
    limits: { maxBytes: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedPost> {
    const ticket = signLink(await this.keys.keyRing(), {
      kind: TICKET_KIND,
      exp: Math.floor(this.now().getTime() / 1000) + limits.expiresInSeconds,
      scope: { key, maxBytes: String(limits.maxBytes), contentType: limits.contentType },
    });
    return { url: `${this.origin}/local-upload`, fields: { key, 'Content-Type': limits.contentType, ticket } };
  }
}

export type LocalUploadResult =
  | { ok: true; key: string }
  | { ok: false; status: 400 | 403 | 409 | 413; reason: string };

/** Check a form upload against its ticket and store it. Nothing is written unless every check passes. */
export async function receiveLocalUpload(
  deps: { keys: LinkKeys; store: ObjectStore; now: () => Date },
  contentType: string,
  body: Uint8Array,
): Promise<LocalUploadResult> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { ok: false, status: 400, reason: 'not a multipart form' };
  }
  const ticket = form.get('ticket');
  const key = form.get('key');
  const file = form.get('file');
  if (typeof ticket !== 'string' || typeof key !== 'string' || !(file instanceof Blob)) {
    return { ok: false, status: 400, reason: 'ticket, key and file are required' };
  }
  const v = verifyLink(await deps.keys.keyRing(), ticket, TICKET_KIND, deps.now());
  if (!v.ok) return { ok: false, status: 403, reason: `ticket ${v.reason}` };
  const scope = v.claims.scope;
  if (scope.key !== key) return { ok: false, status: 403, reason: 'key differs from the ticket' };
  if (form.get('Content-Type') !== scope.contentType) return { ok: false, status: 403, reason: 'content type' };
  if (file.size < 1 || file.size > Number(scope.maxBytes)) return { ok: false, status: 413, reason: 'size' };
  try {
    await deps.store.put(key, new Uint8Array(await file.arrayBuffer()), {
      ifNoneMatch: true,
      contentType: scope.contentType,
    });
  } catch (err) {
    // A ticket is good for one object: a second POST with it must not replace the first upload.
    if (err instanceof AlreadyExistsError) return { ok: false, status: 409, reason: 'already uploaded' };
    throw err;
  }
  return { ok: true, key };
}
