// connect() on a first connection that cannot work, against real loopback servers: a closed port, a web server that
// is not ARI, a server that refuses the credentials. It rejects after a bounded number of attempts, naming the URL and
// the likely cause; once a connection has worked, losses are retried without end.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { AriConnectionError, AriOptionsError } from '../../src/ari/errors.js';
import type { ConnectionStateChange } from '../../src/ari/transport/socket.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };

function client(url: string, extra: Partial<Parameters<typeof createAriClient>[0]> = {}) {
  const c: AriClient = createAriClient({
    url,
    username: 'asterisk',
    password: 'asterisk',
    apps: 'vm-record',
    heartbeat: false,
    reconnect: FAST,
    ...extra,
  });
  const states: ConnectionStateChange[] = [];
  c.onConnectionState((s) => states.push(s));
  cleanups.push(() => c.close());
  return { client: c, states };
}

/** A plain HTTP server (no WebSocket) answering every request with `answer`; counts the event socket requests. */
async function plainServer(answer: (req: IncomingMessage) => { status: number; body: string; type?: string }) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const a = answer(req);
    res.writeHead(a.status, { 'content-type': a.type ?? 'text/html' }).end(a.body);
  });
  // An upgrade request that no one handles is closed by Node; answer it as a web server would.
  server.on('upgrade', (req, socket) => {
    hits.push(req.url ?? '');
    const a = answer(req);
    // The client lets the connection go as soon as it has read the status (a reset, on this side).
    socket.on('error', () => {});
    socket.end(
      `HTTP/1.1 ${a.status} X\r\ncontent-type: text/html\r\ncontent-length: ${a.body.length}\r\n\r\n${a.body}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function failure(c: AriClient): Promise<AriConnectionError> {
  const error = await c.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AriConnectionError);
  return error as AriConnectionError;
}

describe('connect() on a first connection that cannot work', () => {
  it('a closed port: rejects after 3 attempts with the URL and "connection refused", and the socket is closed', async () => {
    const port = await closedPort();
    const { client: c, states } = client(`http://127.0.0.1:${port}`);
    const error = await failure(c);
    expect(error.message).toBe(
      `cannot connect to ARI at http://127.0.0.1:${port}/ari: connection refused: nothing listens there ` +
        '(is Asterisk running, with http.conf enabled = yes and this bindport?) (3 attempts)',
    );
    expect(error).toMatchObject({ code: 'ARI_CONNECTION', url: `http://127.0.0.1:${port}/ari`, attempts: 3 });
    expect(states.filter((s) => s.state === 'connecting')).toHaveLength(3);
    expect(c.connectionState).toBe('closed');
    await expect(c.connect()).rejects.toThrow(/closed/);
  });

  it('a web server that is not ARI (404 everywhere): says so, after the attempts it was given', async () => {
    const web = await plainServer(() => ({ status: 404, body: '<h1>Not Found</h1>' }));
    const { client: c } = client(`${web.url}/`, { connectAttempts: 2 });
    const error = await failure(c);
    expect(error.message).toMatch(new RegExp(`^cannot connect to ARI at ${web.url}/ari: HTTP 404: no ARI there`));
    expect(error.message).toMatch(/ari\.conf.*\(2 attempts\)$/);
    expect(error).toMatchObject({ status: 404, attempts: 2 });
    expect(web.hits).toEqual(['/ari/events?app=vm-record', '/ari/events?app=vm-record']);
  });

  it('a web server answering 200 to everything: "instead of a WebSocket upgrade", not ARI', async () => {
    const web = await plainServer(() => ({ status: 200, body: '<html>welcome</html>' }));
    const { client: c } = client(web.url);
    const error = await failure(c);
    expect(error.message).toMatch(/HTTP 200 instead of a WebSocket upgrade: not an ARI event endpoint/);
    expect(error.status).toBe(200);
    expect(web.hits).toHaveLength(3);
  });

  it('a server refusing the credentials (401): rejects at the first attempt, "wrong username or password"', async () => {
    const web = await plainServer(() => ({ status: 401, body: '{"message":"Authentication required"}' }));
    const { client: c } = client(web.url, { connectAttempts: 10 });
    const error = await failure(c);
    expect(error.message).toBe(
      `cannot connect to ARI at ${web.url}/ari: HTTP 401 (wrong username or password) (1 attempt)`,
    );
    expect(web.hits).toHaveLength(1);
  });

  it('connectAttempts is validated, naming the option; Infinity keeps trying until the server is there', async () => {
    for (const bad of [0, 1.5, -1, '3', Number.NaN]) {
      expect(() => client('http://127.0.0.1:1', { connectAttempts: bad as number })).toThrow(AriOptionsError);
    }
    expect(() => client('http://127.0.0.1:1', { connectAttempts: 0 })).toThrow(/"connectAttempts"/);
    const web = await plainServer(() => ({ status: 503, body: 'starting' }));
    const { client: c } = client(web.url, { connectAttempts: Number.POSITIVE_INFINITY });
    const connected = c.connect();
    await until(() => web.hits.length >= 6);
    expect(c.connectionState).not.toBe('closed');
    // close() rejects the pending connect() at once: the expectation is attached before, not a tick after.
    const rejected = expect(connected).rejects.toThrow(/closed before it connected/);
    await c.close();
    await rejected;
  });
});

describe('once a connection has worked', () => {
  it('a lost connection is retried without end, past connectAttempts, until the server takes it again', async () => {
    let refuse = 0;
    const upgrades: number[] = [];
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      verifyClient: (_info, done) => {
        upgrades.push(refuse);
        if (refuse > 0) {
          refuse--;
          done(false, 503, 'Unavailable');
        } else done(true);
      },
    });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
    const port = (wss.address() as AddressInfo).port;
    const { client: c, states } = client(`http://127.0.0.1:${port}`, { connectAttempts: 2 });
    const first = new Promise<import('ws').WebSocket>((resolve) => wss.once('connection', resolve));
    await c.connect();
    refuse = 6;
    (await first).terminate();
    await until(() => states.filter((s) => s.state === 'connected').length === 2);
    expect(upgrades).toEqual([0, 6, 5, 4, 3, 2, 1, 0]);
    expect(states.at(-1)?.gap).toBeDefined();
  });
});

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (check()) resolve();
      else setTimeout(poll, 1);
    };
    poll();
  });
}
