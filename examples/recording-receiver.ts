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
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { fail, parseCli } from './cli.js';

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
  const server: Server = createServer(async (req, res) => {
    const name = basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (req.method !== 'PUT' || !/^[\w.-]+$/.test(name) || name.startsWith('.')) {
      res.writeHead(req.method === 'PUT' ? 400 : 405).end();
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
