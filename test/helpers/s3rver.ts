/**
 * An in-process S3 server (s3rver) for tests: real S3 REST over HTTP on 127.0.0.1, a fresh temp directory, the
 * given buckets. Plus what s3rver lacks, stated where used: `emulateConditionalWrites` answers `If-None-Match: *`
 * on an existing key with S3's own 412 response.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';

/** The part of s3rver's (untyped) API the tests use. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
  on(event: 'event', listener: (event: S3Event) => void): void;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

// s3rver ships no type declarations; load it through require and describe what is used above.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface RunningS3rver {
  server: S3rverInstance;
  endpoint: string;
  /** A client for this server: path-style, s3rver's fixed credentials, checksums only when required. */
  client(): S3Client;
  stop(): Promise<void>;
}

/** Start s3rver on a free port with the buckets created. */
export async function startS3rver(buckets: string[]): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'pmif-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    server,
    endpoint,
    client() {
      const client = new S3Client({
        endpoint,
        region: 'eu-north-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        // Test client only: by default the SDK streams bodies as aws-chunked with a CRC32 trailer, and s3rver
        // would store that framing inside the object. Production clients keep the defaults (Object Lock needs them).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      // Keep-alive sockets would hold close() open until they time out.
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A canned HTTP response as the SDK's deserializers read it (status, headers, body stream). */
export function httpResponse(statusCode: number, headers: Record<string, string>, body: string | Uint8Array = '') {
  return {
    statusCode,
    headers,
    body: Readable.from([typeof body === 'string' ? Buffer.from(body) : Buffer.from(body)]),
  };
}

/** S3's XML error document. */
export function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>TEST</RequestId><HostId>TEST</HostId></Error>`;
}

interface MiddlewareArgs {
  input: { Bucket?: string; Key?: string; IfNoneMatch?: string };
  request: { method?: string; headers?: Record<string, string> };
}
type Next = (args: MiddlewareArgs) => Promise<{ response: unknown; output?: unknown }>;

/**
 * Conditional PUTs in flight, per bucket and key, shared by every emulating client: two runs of a handler have
 * clients of their own, and a check-and-write that is atomic per client only would let both win (found when the
 * flow ran two deliver runs at once; moto, which checks on the server, sent each mail once).
 */
const queues = new Map<string, Promise<unknown>>();

/**
 * s3rver ignores `If-None-Match`. This puts S3's behaviour in front of it, at the HTTP layer of the test client:
 * a PUT that carries `If-None-Match: *` (as sent by the adapter, header and all) on a key that exists gets S3's
 * 412 PreconditionFailed response, which the SDK's own deserializer turns into its error, so the adapter's
 * mapping is exercised as it is against S3. Conditional PUTs of one key are serialised, making check-and-write
 * atomic as in S3. Production never sees this: only the test client is wrapped.
 */
export function emulateConditionalWrites(client: S3Client): void {
  const serialised = <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const previous = queues.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    queues.set(
      id,
      run.catch(() => {}),
    );
    return run;
  };
  client.middlewareStack.add(
    ((next: Next) => async (args: MiddlewareArgs) => {
      const headers = args.request?.headers ?? {};
      const ifNoneMatch = Object.entries(headers).find(([name]) => name.toLowerCase() === 'if-none-match')?.[1];
      const { Bucket, Key } = args.input ?? {};
      if (args.request?.method !== 'PUT' || ifNoneMatch !== '*' || !Bucket || !Key) return next(args);
      return serialised(`${Bucket}/${Key}`, async () => {
        const exists = await client.send(new HeadObjectCommand({ Bucket, Key })).then(
          () => true,
          (err: { $metadata?: { httpStatusCode?: number } }) => {
            if (err.$metadata?.httpStatusCode === 404) return false;
            throw err;
          },
        );
        if (!exists) return next(args);
        return {
          response: httpResponse(
            412,
            { 'content-type': 'application/xml' },
            s3ErrorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'),
          ),
        };
      });
    }) as never,
    // Innermost (after signing, below the deserializer): the SDK parses the 412 exactly as one from S3.
    { step: 'deserialize', priority: 'low', name: 'emulateConditionalWrites' },
  );
}

/**
 * S3-shaped ObjectCreated events from s3rver, URL-encoded as real S3 encodes keys (s3rver does not): each path
 * segment per `encodeURIComponent`, then spaces as `+`.
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}
