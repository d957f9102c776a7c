/**
 * Uploads read on a pool's workers ahead of the ingest that commits them (issue 19). A run ingests its inbox one
 * upload at a time, in upload order, because each decision is recorded, mailed and receipted before the next; the
 * reading and checking of each workbook (`readSubmission`: unzip, XML, validation) depends only on its bytes, the
 * registry in force and the date, so it can start early on a worker while this thread commits the ones before.
 * Ingest takes a read only when it was made from the very object, registry and context it would read with itself;
 * otherwise, and when the worker failed, it reads as before, on its own thread, so every outcome is the same.
 */
import { classifyUpload, keys, linkUploadPeriod } from '../core/keys';
import { rigaDate } from '../core/period';
import type { ObjectInfo } from '../core/ports';
import type { Registry, SourceRef } from '../core/types';
import type { SubmissionContext, SubmissionReadResult } from '../intake/read-submission';
import { type Deps, sha256Hex } from './deps';
import type { RenderPool } from './parallel-render';

/** A read started ahead: what it was made from, and its result (null when the worker could not give one). */
interface Ahead {
  source: SourceRef;
  ctx: Omit<SubmissionContext, 'registry'>;
  result: Promise<SubmissionReadResult | null>;
}

/** How ingest asks for a read made ahead of it. */
export interface ReadsAhead {
  /** The read of `source` in `ctx`, if one was made from exactly these; undefined otherwise. */
  take(source: SourceRef, ctx: SubmissionContext): Promise<SubmissionReadResult | null> | undefined;
}

/**
 * Reads `uploads` (in the order they will be ingested) on `pool`, at most `window` ahead of the one ingest takes,
 * against `registry`. Uploads that ingest will not read (already ingested, pending, not a submission) are left out.
 * Call {@link InboxReadAhead.close} when the ingest is done: it lets go of the registry on the workers.
 */
export class InboxReadAhead implements ReadsAhead {
  private readonly reads = new Map<string, Ahead>();
  private readonly context: number;
  private next = 0;

  constructor(
    private readonly deps: Pick<Deps, 'store' | 'clock'>,
    private readonly pool: RenderPool,
    private readonly registry: Registry,
    private readonly uploads: readonly ObjectInfo[],
    private readonly window: number,
  ) {
    this.context = pool.openRegistry(registry);
  }

  /** Start reads up to the window; ingest calls {@link take} as it reaches each upload. */
  async fill(): Promise<void> {
    while (this.next < this.uploads.length && this.reads.size < this.window) {
      const info = this.uploads[this.next++]!;
      // An upload that cannot be read here is left to ingest, which meets the same problem and records it.
      const ahead = await this.start(info).catch(() => null);
      if (ahead) this.reads.set(idOf(ahead.source.key, ahead.source.version), ahead);
    }
  }

  take(source: SourceRef, ctx: SubmissionContext): Promise<SubmissionReadResult | null> | undefined {
    const id = idOf(source.key, source.version);
    const ahead = this.reads.get(id);
    if (!ahead) return undefined;
    this.reads.delete(id);
    void this.fill();
    const same =
      ctx.registry === this.registry &&
      ctx.folder === ahead.ctx.folder &&
      ctx.today === ahead.ctx.today &&
      (ctx.linkPeriod ?? null) === (ahead.ctx.linkPeriod ?? null) &&
      sameSource(source, ahead.source);
    return same ? ahead.result : undefined;
  }

  close(): void {
    this.pool.release(this.context);
  }

  /** Read the upload as ingest would find it and send it to a worker; null when ingest will not read it. */
  private async start(info: ObjectInfo): Promise<Ahead | null> {
    const place = classifyUpload(info.key);
    if (place?.kind !== 'submission') return null;
    const { store } = this.deps;
    if (await store.get(keys.ingested(info.key, info.version))) return null;
    if (await store.get(keys.pending(place.folder, info.version))) return null;
    const object = await store.get(info.key, info.version);
    if (!object) return null;
    const source: SourceRef = {
      key: info.key,
      version: object.version,
      sha256: sha256Hex(object.bytes),
      bytes: object.bytes.byteLength,
      uploadedAt: object.lastModified.toISOString(),
    };
    const ctx = {
      folder: place.folder,
      today: rigaDate(this.deps.clock.now()),
      linkPeriod: linkUploadPeriod(info.key),
    };
    const result = this.pool
      .run(this.context, 'readSubmission', { bytes: object.bytes, source, ctx })
      .catch(() => null);
    return { source, ctx, result };
  }
}

const idOf = (key: string, version: string) => `${key}\n${version}`;

function sameSource(a: SourceRef, b: SourceRef): boolean {
  return (
    a.key === b.key &&
    a.version === b.version &&
    a.sha256 === b.sha256 &&
    a.bytes === b.bytes &&
    a.uploadedAt === b.uploadedAt
  );
}
