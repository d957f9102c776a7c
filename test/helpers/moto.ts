/**
 * moto (a faithful local AWS, Python) for tests: its server in a child process on a free port, stopped with the
 * suite. Unlike s3rver it keeps versions, applies Object Lock default retention and answers `If-None-Match: *` on an
 * existing key with 412, so the S3 adapter and the handlers run against S3's own behaviour, with no emulation.
 * `.ci/run` installs moto when it is missing; here it must be importable by `python3`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/** How a bucket is made: versioned (the data bucket) or with Object Lock default retention (the archive). */
export interface MotoBucket {
  name: string;
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; years: number };
}

export interface RunningMoto {
  endpoint: string;
  /** A client with the SDK's production defaults (checksums on), pointed at moto. */
  client(): S3Client;
  stop(): Promise<void>;
}

/** moto's CLI cannot listen on port 0: ask the OS for a free port, release it, and hand it to moto. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited (${child.exitCode}): ${output()}`);
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not start within 30 s: ${output()}`);
}

/** Start moto's server and create the buckets (versioned; Object Lock where asked). */
export async function startMoto(buckets: MotoBucket[]): Promise<RunningMoto> {
  let lastError: unknown;
  // Another process may take the port between freePort() and moto's bind: try a few.
  for (let tries = 0; tries < 3; tries++) {
    const port = await freePort();
    const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilUp(endpoint, child, () => stderr);
    } catch (err) {
      lastError = err;
      child.kill();
      continue;
    }
    const clients: S3Client[] = [];
    const moto: RunningMoto = {
      endpoint,
      client() {
        const client = new S3Client({
          endpoint,
          region: 'eu-north-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        });
        clients.push(client);
        return client;
      },
      async stop() {
        for (const c of clients) c.destroy();
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill();
          await exited;
        }
      },
    };
    const admin = moto.client();
    for (const bucket of buckets) await createBucket(admin, bucket);
    return moto;
  }
  throw lastError;
}

/** Create a bucket the way the stack does: versioned, with Object Lock default retention where asked. */
export async function createBucket(client: S3Client, bucket: MotoBucket): Promise<void> {
  await client.send(
    new CreateBucketCommand({
      Bucket: bucket.name,
      CreateBucketConfiguration: { LocationConstraint: 'eu-north-1' },
      ...(bucket.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
    }),
  );
  await client.send(
    new PutBucketVersioningCommand({ Bucket: bucket.name, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  if (bucket.objectLock) {
    await client.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket.name,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: bucket.objectLock.mode, Years: bucket.objectLock.years } },
        },
      }),
    );
  }
}
