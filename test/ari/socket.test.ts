// EventSocket against a real `ws` WebSocketServer on loopback: what the server sees, ordering, error isolation,
// liveness, reconnection with backoff and gap reporting, refusal of credentials, clean shutdown.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { AriConnectionError, AriOptionsError, AriProtocolError } from '../../src/ari/errors.js';
import type { AriEvent } from '../../src/ari/events.js';
import type { Logger } from '../../src/ari/logger.js';
import {
  type ConnectionState,
  type ConnectionStateChange,
  EventSocket,
  type EventSocketOptions,
  reconnectDelay,
} from '../../src/ari/transport/socket.js';

interface FakeAri {
  wss: WebSocketServer;
  port: number;
  requests: IncomingMessage[];
  clients: WebSocket[];
  connection(): Promise<WebSocket>;
  stop(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeAri(
  options: { port?: number; status?: number; autoPong?: boolean; waitForClose?: boolean } = {},
): Promise<FakeAri> {
  const requests: IncomingMessage[] = [];
  const clients: WebSocket[] = [];
  const waiting: ((ws: WebSocket) => void)[] = [];
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    autoPong: options.autoPong ?? true,
    verifyClient: (info, done) => {
      requests.push(info.req);
      if (options.status) done(false, options.status, 'Refused');
      else done(true);
    },
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (ws) => {
    clients.push(ws);
    const next = waiting.shift();
    if (next) next(ws);
  });
  let stopped: Promise<void> | undefined;
  const server: FakeAri = {
    wss,
    port: (wss.address() as AddressInfo).port,
    requests,
    clients,
    connection: () =>
      new Promise<WebSocket>((resolve) => {
        const seen = clients.length - waiting.length;
        // Hand out connections in order: the n-th call gets the n-th connection.
        if (seen > 0 && clients.length > 0 && waiting.length === 0 && handedOut < clients.length) {
          resolve(clients[handedOut++]!);
          return;
        }
        waiting.push((ws) => {
          handedOut++;
          resolve(ws);
        });
      }),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        for (const ws of clients) ws.terminate();
        wss.close(() => resolve());
      });
      return stopped;
    },
  };
  let handedOut = 0;
  cleanups.push(() => server.stop());
  return server;
}

function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: unknown }[] } {
  const lines: { level: string; message: string; fields?: unknown }[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function socketFor(server: { port: number }, options: Partial<EventSocketOptions> = {}) {
  const socket = new EventSocket({
    url: `http://127.0.0.1:${server.port}`,
    username: 'asterisk',
    password: 'asterisk',
    apps: ['vm-record'],
    heartbeat: false,
    ...options,
  });
  const events: AriEvent[] = [];
  const errors: Error[] = [];
  const states: ConnectionStateChange[] = [];
  socket.onEvent((e) => events.push(e));
  socket.onError((e) => errors.push(e));
  socket.onState((c) => states.push(c));
  cleanups.push(() => socket.close());
  return { socket, events, errors, states };
}

function nextState(
  socket: EventSocket,
  state: ConnectionState,
  where: (c: ConnectionStateChange) => boolean = () => true,
): Promise<ConnectionStateChange> {
  return new Promise((resolve) => {
    const off = socket.onState((c) => {
      if (c.state === state && where(c)) {
        off();
        resolve(c);
      }
    });
  });
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (check()) resolve();
      else setImmediate(poll);
    };
    poll();
  });
}

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

function seq(event: AriEvent): unknown {
  return (event as unknown as Record<string, unknown>).seq;
}

function frame(type: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type, application: 'vm-record', timestamp: '2026-11-21T21:56:05.026+0000', ...extra });
}

describe('EventSocket: URL and handshake', () => {
  it('subscribes all apps in one app parameter, with Basic credentials in the header and none in the URL', async () => {
    const server = await fakeAri();
    const { socket } = socketFor(server, {
      url: `http://127.0.0.1:${server.port}/ari/`,
      username: 'asterisk',
      password: 'p@ss:w/rd',
      apps: ['vm-record', 'rec app', 'caller&x=1'],
      subscribeAll: true,
    });
    await socket.connect();
    expect(socket.state).toBe('connected');
    const req = server.requests[0]!;
    const url = new URL(req.url!, 'http://x');
    expect(url.pathname).toBe('/ari/events');
    expect(url.searchParams.getAll('app')).toEqual(['vm-record,rec app,caller&x=1']);
    expect(url.searchParams.get('subscribeAll')).toBe('true');
    expect([...url.searchParams.keys()].sort()).toEqual(['app', 'subscribeAll']);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('asterisk:p@ss:w/rd').toString('base64')}`);
    expect(req.url).not.toMatch(/asterisk|p%40ss|p@ss|api_key/);
    expect(socket.url).not.toMatch(/p@ss|api_key/);
  });

  it('derives ws(s)://host/ari/events from every accepted form of the ARI base URL', () => {
    const url = (base: string) =>
      new EventSocket({ url: base, username: 'u', password: 'p', apps: ['a', 'b'], heartbeat: false }).url;
    expect(url('http://pbx:8088')).toBe('ws://pbx:8088/ari/events?app=a,b');
    expect(url('http://pbx:8088/')).toBe('ws://pbx:8088/ari/events?app=a,b');
    expect(url('http://pbx:8088/ari')).toBe('ws://pbx:8088/ari/events?app=a,b');
    expect(url('https://pbx/ari/')).toBe('wss://pbx/ari/events?app=a,b');
    expect(url('https://pbx/asterisk/ari')).toBe('wss://pbx/asterisk/ari/events?app=a,b');
    expect(url('ws://pbx:8088')).toBe('ws://pbx:8088/ari/events?app=a,b');
  });

  it.each<[string, Partial<EventSocketOptions>]>([
    ['url', { url: 'not a url' }],
    ['url', { url: 'ftp://pbx' }],
    ['url', { url: 'http://asterisk:secret@pbx:8088' }],
    ['url', { url: 'http://pbx:8088/ari?api_key=asterisk:secret' }],
    ['apps', { apps: [] }],
    ['apps', { apps: ['a,b'] }],
    ['apps', { apps: [''] }],
    ['username', { username: '' }],
    ['username', { username: 'a:b' }],
    ['heartbeat.intervalMs', { heartbeat: { intervalMs: 0 } }],
    ['heartbeat.timeoutMs', { heartbeat: { timeoutMs: -1 } }],
    ['reconnect.factor', { reconnect: { factor: 0.5 } }],
    ['reconnect.jitter', { reconnect: { jitter: 2 } }],
    ['reconnect.maxDelayMs', { reconnect: { initialDelayMs: 500, maxDelayMs: 100 } }],
    ['reconnect.initialDelayMs', { reconnect: { initialDelayMs: Number.NaN } }],
  ])('rejects a bad %s (%j) with AriOptionsError naming it', (option, bad) => {
    const build = () => new EventSocket({ url: 'http://pbx:8088', username: 'u', password: 'p', apps: ['a'], ...bad });
    expect(build).toThrow(AriOptionsError);
    expect(build).toThrow(expect.objectContaining({ option }));
  });
});

describe('EventSocket: delivery', () => {
  it('delivers every frame once, in arrival order, unknown types included', async () => {
    const server = await fakeAri();
    const { socket, events, errors } = socketFor(server);
    const conn = server.connection();
    await socket.connect();
    const ws = await conn;
    const types = ['StasisStart', 'ChannelDtmfReceived', 'PlaybackStarted', 'ChannelRinging', 'StasisEnd'];
    for (let i = 0; i < 500; i++) ws.send(frame(types[i % types.length]!, { seq: i }));
    await until(() => events.length === 500);
    expect(events.map((e) => seq(e))).toEqual([...Array(500).keys()]);
    expect(events.map((e) => e.type).slice(0, 5)).toEqual(types);
    expect(errors).toEqual([]);
  });

  it('reports a throwing listener and keeps delivering to it and to the others', async () => {
    const server = await fakeAri();
    const logger = recordingLogger();
    const { socket, events, errors } = socketFor(server, { logger });
    const boom = new Error('listener bug');
    const seenByThrower: number[] = [];
    socket.onEvent((e) => {
      seenByThrower.push(seq(e) as number);
      if (seq(e) === 1) throw boom;
    });
    const after: number[] = [];
    socket.onEvent((e) => after.push(seq(e) as number));
    const conn = server.connection();
    await socket.connect();
    const ws = await conn;
    for (let i = 0; i < 3; i++) ws.send(frame('StasisStart', { seq: i }));
    await until(() => after.length === 3);
    expect(seenByThrower).toEqual([0, 1, 2]);
    expect(events.map((e) => seq(e))).toEqual([0, 1, 2]);
    expect(errors).toEqual([boom]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'ARI event listener threw', fields: expect.anything() }),
    );
    expect(socket.state).toBe('connected');
  });

  it('reports a malformed frame as AriProtocolError, skips it and lives on', async () => {
    const server = await fakeAri();
    const { socket, events, errors, states } = socketFor(server);
    const conn = server.connection();
    await socket.connect();
    const ws = await conn;
    ws.send(frame('StasisStart', { seq: 0 }));
    ws.send('{"type":');
    ws.send('[1,2]');
    ws.send(Buffer.from(frame('StasisStart')), { binary: true });
    ws.send(frame('StasisEnd', { seq: 1 }));
    await until(() => events.length === 2);
    expect(events.map((e) => seq(e))).toEqual([0, 1]);
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toBeInstanceOf(AriProtocolError);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected']);
  });

  it('lets a listener unsubscribe itself while a frame is being delivered', async () => {
    const server = await fakeAri();
    const { socket, events } = socketFor(server);
    const once: unknown[] = [];
    const off = socket.onEvent((e) => {
      once.push(seq(e));
      off();
    });
    const conn = server.connection();
    await socket.connect();
    const ws = await conn;
    ws.send(frame('StasisStart', { seq: 0 }));
    ws.send(frame('StasisStart', { seq: 1 }));
    await until(() => events.length === 2);
    expect(once).toEqual([0]);
  });
});

describe('EventSocket: reconnection', () => {
  it('reconnects after the server drops the connection and reports the gap', async () => {
    const server = await fakeAri();
    const { socket, events, states, errors } = socketFor(server);
    const first = server.connection();
    await socket.connect();
    const ws1 = await first;
    const lostBefore = Date.now();
    const back = nextState(socket, 'connected', (c) => c.gap !== undefined);
    const second = server.connection();
    ws1.terminate();
    const change = await back;
    const ws2 = await second;
    expect(change.previous).toBe('connecting');
    expect(change.gap!.from).toBeGreaterThanOrEqual(lostBefore);
    expect(change.gap!.to).toBeGreaterThanOrEqual(change.gap!.from);
    expect(change.gap!.durationMs).toBe(change.gap!.to - change.gap!.from);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
    expect(states[2]!.error).toBeInstanceOf(AriConnectionError);
    expect(errors[0]).toBeInstanceOf(AriConnectionError);
    expect(server.requests).toHaveLength(2);
    ws2.send(frame('StasisStart', { seq: 'after' }));
    await until(() => events.length === 1);
    expect(seq(events[0]!)).toBe('after');
  });

  it('keeps trying while the server is down and reconnects when it is back on the same port', async () => {
    const server = await fakeAri();
    const { port } = server;
    const { socket, states } = socketFor(server, { reconnect: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 } });
    await socket.connect();
    const stoppedAt = Date.now();
    await server.stop();
    await until(() => states.filter((s) => s.state === 'reconnecting').length >= 4);
    const failed = states.filter((s) => s.state === 'reconnecting' && s.attempt > 0);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    for (const f of failed) expect(f.error!.message).toMatch(/cannot open the ARI event socket/);
    const restartedAt = Date.now();
    const back = nextState(socket, 'connected');
    const restarted = await fakeAri({ port });
    const change = await back;
    expect(restarted.requests).toHaveLength(1);
    expect(change.gap!.from).toBeGreaterThanOrEqual(stoppedAt);
    expect(change.gap!.from).toBeLessThanOrEqual(restartedAt);
    expect(change.gap!.to).toBeGreaterThanOrEqual(restartedAt);
    expect(change.attempt).toBeGreaterThan(1);
  });

  it('grows the delay between failed attempts and caps it', async () => {
    // Nothing listens on this port: each attempt is refused at once.
    const gone = await fakeAri();
    const { port } = gone;
    await gone.stop();
    const { socket, states } = socketFor(
      { port },
      {
        reconnect: { initialDelayMs: 2, factor: 3, maxDelayMs: 40, jitter: 0 },
        connectAttempts: Number.POSITIVE_INFINITY,
      },
    );
    const rejected = expect(socket.connect()).rejects.toThrow(AriConnectionError);
    await until(() => states.filter((s) => s.state === 'reconnecting').length >= 6);
    const retries = states.filter((s) => s.state === 'reconnecting');
    expect(retries.slice(0, 6).map((s) => [s.attempt, s.delayMs])).toEqual([
      [1, 2],
      [2, 6],
      [3, 18],
      [4, 40],
      [5, 40],
      [6, 40],
    ]);
    await socket.close();
    await rejected;
  });

  it('computes jittered exponential delays within bounds', () => {
    const policy = { initialDelayMs: 250, maxDelayMs: 15_000, factor: 2, jitter: 0.2 };
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => reconnectDelay(n, policy, middle))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
    expect(reconnectDelay(1, policy, () => 0)).toBe(200);
    expect(reconnectDelay(1, policy, () => 0.999999)).toBe(300);
    expect(reconnectDelay(3, policy, () => 0)).toBe(800);
    // Jitter never pushes a delay over the cap, and spreads delays at the cap below it.
    expect(reconnectDelay(50, policy, () => 0.999999)).toBe(15_000);
    expect(reconnectDelay(50, policy, () => 0)).toBe(12_000);
    expect(reconnectDelay(1_000, policy, middle)).toBe(15_000);
  });

  it('drops and reopens a connection whose server stops answering pings', async () => {
    const server = await fakeAri({ autoPong: false });
    const logger = recordingLogger();
    const { socket } = socketFor(server, { heartbeat: { intervalMs: 10, timeoutMs: 30 }, logger });
    await socket.connect();
    const lost = await nextState(socket, 'reconnecting');
    expect(lost.previous).toBe('connected');
    expect(lost.error!.message).toMatch(/no pong within 30 ms/);
    await nextState(socket, 'connected');
    expect(server.requests.length).toBe(2);
    expect(logger.lines.some((l) => l.level === 'warn' && /no pong/.test(l.message))).toBe(true);
  });

  it('keeps a connection whose server answers pings', async () => {
    const server = await fakeAri();
    const { socket, states } = socketFor(server, { heartbeat: { intervalMs: 5, timeoutMs: 5_000 } });
    const conn = server.connection();
    await socket.connect();
    const ws = await conn;
    let pings = 0;
    ws.on('ping', () => pings++);
    await until(() => pings >= 5);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected']);
  });
});

describe('EventSocket: refusals and shutdown', () => {
  it.each([401, 403])('rejects connect() on HTTP %i, closes for good and does not retry', async (status) => {
    const server = await fakeAri({ status });
    const { socket, errors, states } = socketFor(server, { reconnect: { initialDelayMs: 1 } });
    const error = await socket.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AriConnectionError);
    expect((error as Error).message).toMatch(new RegExp(`HTTP ${status}`));
    if (status === 401) expect((error as Error).message).toMatch(/wrong username or password/);
    // The attempt's own error went to onError; connect() rejects with the summary that names the URL.
    expect(errors).toEqual([(error as Error).cause]);
    expect((error as AriConnectionError).url).toBe(`http://127.0.0.1:${server.port}/ari`);
    expect(socket.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ state: 'closed', error });
    expect(server.requests).toHaveLength(1);
    await expect(socket.connect()).rejects.toThrow(/closed/);
  });

  it('retries other refusals of the upgrade (HTTP 503) and reports them', async () => {
    const server = await fakeAri({ status: 503 });
    const { socket, errors } = socketFor(server, {
      reconnect: { initialDelayMs: 1, maxDelayMs: 2 },
      connectAttempts: Number.POSITIVE_INFINITY,
    });
    void socket.connect().catch(() => {});
    await until(() => server.requests.length >= 5);
    expect(socket.state).not.toBe('closed');
    expect(errors[0]!.message).toMatch(/HTTP 503/);
  });

  it('rejects connect() on the first failure when reconnect is false', async () => {
    const gone = await fakeAri();
    await gone.stop();
    const { socket, states } = socketFor(gone, { reconnect: false });
    await expect(socket.connect()).rejects.toThrow(/cannot connect to ARI at .*connection refused.*\(1 attempt\)/);
    expect(socket.state).toBe('closed');
    expect(states.map((s) => s.state)).toEqual(['connecting', 'closed']);
  });

  it('close() is idempotent, closes the WebSocket cleanly and leaves no handle open', async () => {
    const server = await fakeAri();
    const before = handles();
    const { socket, states } = socketFor(server, { heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 } });
    const conn = server.connection();
    await socket.connect();
    const ws = await conn;
    const closedByPeer = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const first = socket.close();
    expect(socket.close()).toBe(first);
    await first;
    expect(await closedByPeer).toBe(1000);
    expect(socket.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ state: 'closed', previous: 'connected' });
    // Whatever earlier tests still had winding down may be gone by now; nothing new may be left.
    const after = handles();
    for (const kind of ['TCPSocketWrap', 'ConnectWrap', 'Timeout', 'Immediate']) {
      expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
    }
  });

  it('close() while reconnecting cancels the retry and rejects a pending connect()', async () => {
    const gone = await fakeAri();
    await gone.stop();
    const { socket, states } = socketFor(gone, { reconnect: { initialDelayMs: 60_000, jitter: 0 } });
    const pending = socket.connect();
    const rejected = expect(pending).rejects.toThrow(AriConnectionError);
    await nextState(socket, 'reconnecting');
    const before = handles().Timeout ?? 0;
    await socket.close();
    await rejected;
    expect(handles().Timeout ?? 0).toBe(before - 1);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'reconnecting', 'closed']);
  });

  it('close() before connect() closes without opening anything', async () => {
    const server = await fakeAri();
    const { socket } = socketFor(server);
    await socket.close();
    await expect(socket.connect()).rejects.toThrow(AriConnectionError);
    expect(server.requests).toHaveLength(0);
  });
});
