/**
 * An in-process SES server (aws-ses-v2-local) for tests: the SES v2 HTTP API on 127.0.0.1, with the mails it
 * accepted readable from `GET /store` (subject decoded, attachments base64).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';

/** A mail as the server stores it. */
export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: { filename?: string; contentType: string; content: string; size: number }[];
  at: number;
}

export interface RunningSesServer {
  endpoint: string;
  client(): SESv2Client;
  /** Every mail accepted since the last `clear()`, in order. */
  mails(): Promise<StoredMail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

type Start = (config: { host: string; port: number }) => Promise<Server>;

/** Start aws-ses-v2-local on a free port. Its store is per process: one server per test file. */
export async function startSesServer(): Promise<RunningSesServer> {
  const mod = (await import('aws-ses-v2-local')) as unknown as { default?: Start | { default?: Start } };
  // Loaded as CommonJS through ESM, the function may sit one `default` deeper.
  const candidate = mod.default ?? (mod as unknown as Start);
  const start = (typeof candidate === 'function' ? candidate : candidate.default) as Start;
  const server = await start({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: SESv2Client[] = [];
  const clear = async () => {
    const res = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    if (!res.ok) throw new Error(`clear-store: HTTP ${res.status}`);
  };
  await clear();
  return {
    endpoint,
    client() {
      const client = new SESv2Client({
        endpoint,
        region: 'eu-north-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      clients.push(client);
      return client;
    },
    async mails() {
      const res = await fetch(`${endpoint}/store`);
      if (!res.ok) throw new Error(`store: HTTP ${res.status}`);
      return ((await res.json()) as { emails: StoredMail[] }).emails;
    },
    clear,
    async stop() {
      for (const c of clients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
