import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One PUT the receiver saw. */
export interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly contentLength: string | undefined;
  readonly authorization: string | undefined;
  readonly body: Buffer;
}

/**
 * A customer's receiving server on loopback: answers each PUT with the next scripted status (then 201), and keeps
 * the bodies it accepted by path (a 503 carries `Retry-After: 2`) (a PUT to the same path replaces the file, as a real one would).
 */
export interface TestReceiver {
  readonly url: string;
  readonly requests: Received[];
  readonly files: Map<string, Buffer>;
  /** Statuses to answer with before accepting (500, 500, ...). */
  script: number[];
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<TestReceiver> {
  const requests: Received[] = [];
  const files = new Map<string, Buffer>();
  const state = { script: [] as number[] };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const received = {
      path: req.url ?? '',
      contentType: req.headers['content-type'],
      contentLength: req.headers['content-length'],
      authorization: req.headers.authorization,
      body: Buffer.concat(chunks),
    };
    requests.push(received);
    const status = state.script.shift() ?? 201;
    if (req.method === 'PUT' && status < 300) files.set(received.path, received.body);
    // A 503 says when to come back, as overloaded servers do.
    res
      .writeHead(status, { 'content-type': 'text/plain', ...(status === 503 ? { 'retry-after': '2' } : {}) })
      .end(status < 300 ? 'stored' : 'nope');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    files,
    get script() {
      return state.script;
    },
    set script(value) {
      state.script = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
