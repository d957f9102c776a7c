/**
 * `pmif-reports serve`: the drop page and its endpoint on `http://localhost:<port>`, over the folder store. Uploads
 * land in the store through the local stand-in for a presigned POST and are ingested at once (one at a time, in
 * the order they arrive), exactly as `run` would ingest them: same guard, same validation, same mail ledger, so
 * `serve` and `run` on one store at once neither lose an upload nor send a receipt twice.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FORM_OVERHEAD_BYTES, LocalUploadGate, receiveLocalUpload } from '../adapters/local-upload-gate';
import { ingestObject } from '../app/ingest';
import type { EndpointDeps } from '../app/upload-endpoint';
import { MAX_UPLOAD_BYTES } from '../core/upload-link';
import { type EndpointResponse, faultResponse, handleEndpointRequest, MAX_JSON_BODY } from '../upload/router';
import { DEFAULT_LINK_PORT, type LocalOptions, localDeps } from './local-deps';

export interface ServeOptions extends LocalOptions {
  /** 0 picks a free port. Default {@link DEFAULT_LINK_PORT}. */
  port?: number;
}

export interface RunningServer {
  /** `http://localhost:<port>` */
  origin: string;
  /** Resolves when every upload received so far has been ingested. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
    this.name = 'BodyTooLargeError';
  }
}

/** Read a request body, refusing (without buffering the rest) anything over `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function send(res: ServerResponse, response: EndpointResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const server: Server = createServer();
  // Bind before building the deps: the links in mails written while serving must name the real port.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_LINK_PORT, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://localhost:${port}`;
  const deps = localDeps({ ...options, port });
  const keys = deps.links.keys;
  const now = () => deps.clock.now();
  const endpoint: EndpointDeps = { ...deps, keys, gate: new LocalUploadGate(origin, keys, now) };

  let queue: Promise<void> = Promise.resolve();
  const ingestSoon = (key: string) => {
    queue = queue
      .then(() => ingestObject(deps, key))
      .then(
        () => undefined,
        // The upload is stored; the next `run` ingests it. Identifiers only in the log.
        (err: unknown) => deps.log.error('serve.ingest-failed', { error: (err as Error).name }),
      );
  };

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', origin);
      if (req.method === 'POST' && url.pathname === '/local-upload') {
        const body = await readBody(req, MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES);
        const result = await receiveLocalUpload(
          { keys, store: deps.store, now },
          req.headers['content-type'] ?? '',
          body,
        );
        if (result.ok) ingestSoon(result.key);
        else deps.log.warn('serve.upload-refused', { status: result.status, reason: result.reason });
        res.writeHead(result.ok ? 201 : result.status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(result.ok ? 'stored' : result.reason);
        return;
      }
      const body = req.method === 'POST' ? new TextDecoder().decode(await readBody(req, MAX_JSON_BODY)) : undefined;
      send(
        res,
        await handleEndpointRequest(endpoint, {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          ...(body === undefined ? {} : { body }),
        }),
      );
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end('too large');
        return;
      }
      deps.log.error('serve.fault', { error: (err as Error).name });
      send(res, faultResponse());
    }
  });

  return {
    origin,
    idle: async () => {
      let seen: Promise<void>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
