/**
 * A tiny receiving server for recorded calls: stores the body of every `PUT /<path>/<name>` as `<dir>/<name>`.
 *
 *   npx tsx examples/recording-receiver.ts [--port 8090] [--dir ./received] [--host 127.0.0.1]
 *
 * Point the recorder at it with `--url http://127.0.0.1:8090/`. A PUT of the same name replaces the file (PUT is
 * idempotent: a file sent again after a crash ends up stored once). The body is written to a temporary file and
 * renamed, so a broken upload never leaves a half file under the final name.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { fail, parseCli } from './cli.js';

/** The longest file name the receiver stores (file systems refuse more than 255 bytes). */
const MAX_NAME = 200;

/**
 * The file name a PUT path asks for: its last segment, percent-decoded once. Refused (with the reason) when it is
 * not valid percent-encoding, holds a `/` or `\` once decoded (`%2f`: it would write elsewhere), starts with a dot,
 * has characters outside `A-Z a-z 0-9 _ . -`, or is longer than 200 characters.
 */
export function fileNameOf(rawPath: string): string | { error: string } {
  const path = rawPath.split('?')[0] ?? '';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    return { error: 'the file name is not valid percent-encoding' };
  }
  if (name.length === 0) return { error: 'no file name' };
  if (name.length > MAX_NAME) return { error: `the file name is longer than ${MAX_NAME} characters` };
  if (/[/\\]/.test(name)) return { error: 'the file name holds a path separator' };
  if (name.startsWith('.')) return { error: 'the file name starts with a dot' };
  if (!/^[\w.-]+$/.test(name)) return { error: 'the file name may hold only A-Z a-z 0-9 _ . -' };
  return name;
}

/** A running receiver. */
export interface RecordingReceiver {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the receiver; `port` 0 picks a free one. */
export async function startRecordingReceiver(options: {
  dir: string;
  port?: number;
  host?: string;
}): Promise<RecordingReceiver> {
  await mkdir(options.dir, { recursive: true });
  let counter = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'PUT') {
      res.writeHead(405).end();
      return;
    }
    const name = fileNameOf(req.url ?? '/');
    if (typeof name !== 'string') {
      // Drain what the client sends, then say why: a bad name never reaches the disk.
      req.resume();
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`${name.error}\n`);
      return;
    }
    const tmp = join(options.dir, `.${name}.${process.pid}.${++counter}.part`);
    try {
      await pipeline(req, createWriteStream(tmp));
      await rename(tmp, join(options.dir, name));
      console.log(
        `stored ${name} (${req.headers['content-type'] ?? '?'}, ${req.headers['content-length'] ?? '?'} bytes)`,
      );
      res.writeHead(201).end();
    } catch (error) {
      await rm(tmp, { force: true });
      console.error(`failed to store ${name}:`, error);
      if (!res.headersSent) res.writeHead(500).end();
    }
  };
  // Whatever a request does, the receiver goes on serving the others.
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('request failed:', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', done));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    close: () =>
      new Promise((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const values = parseCli(
    `
A small HTTP receiver that stores every recording PUT to it.

  npx tsx examples/recording-receiver.ts [options]

  --port N           default 8090
  --dir DIR          where files go (default ./received)
  --host ADDRESS     interface to listen on (default 127.0.0.1)
  --help             this text
`,
    {
      port: { type: 'string', default: '8090' },
      dir: { type: 'string', default: 'received' },
      host: { type: 'string' },
    },
  );
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${values.port}`);
  const receiver = await startRecordingReceiver({
    dir: resolve(values.dir),
    port,
    ...(values.host ? { host: values.host } : {}),
  });
  // Ctrl-C is handled before the app says it is ready: a signal in between would kill it outright.
  process.once('SIGINT', () => void receiver.close());
  console.log(`receiving recordings at ${receiver.url} into ${resolve(values.dir)}`);
}
