import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { InspectionEvent } from 'xstate';
import type { CallLifecycleEvent } from '../runtime/app.js';
import type { CallObserver } from '../runtime/observers.js';
import { type LiveCall, LiveCalls, type LiveCallsOptions, type LiveUpdate } from './calls.js';
import { livePage } from './page.js';

/** Options of {@link startLiveView}. */
export interface LiveViewOptions extends LiveCallsOptions {
  /** TCP port; 0 (the default) takes any free one. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`: only this machine can open the view. */
  readonly host?: string;
  /**
   * When set, the page must present it (it reads it from the URL's fragment, `#token=...`, which the browser never
   * sends to a server) as the first message on its WebSocket, or a program as `Authorization: Bearer <token>` on
   * the upgrade; any other is refused with close code 4401.
   */
  readonly token?: string;
}

/** A running live view: pass it in the runtime's (or `attachRecorder`'s) `observers`, open `url` in a browser. */
export interface LiveView extends CallObserver {
  /** The page's address, with the token in its fragment when there is one. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** What the page shows (live calls, then ended calls still kept). */
  calls(): LiveCall[];
  readonly inspect: (event: InspectionEvent) => void;
  readonly onCallEvent: (event: CallLifecycleEvent) => void;
  /** Closes every page's socket and the server. */
  close(): Promise<void>;
}

/** WebSocket close code of a refused token (or none in time). */
export const LIVE_VIEW_UNAUTHORIZED = 4401;
const HELLO_TIMEOUT_MS = 10_000;
/** A page that reads slower than the calls change is dropped rather than buffered without end. */
const MAX_BUFFERED = 8 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Serves a page that shows every running call's actor on its statechart, the active states lit, its transitions
 * beside it, updated over a WebSocket; ended calls stay listed for `keepEndedMs`. Everything the page needs is in
 * it (charts included): it works with no internet. Bound to 127.0.0.1 unless `host` says otherwise; the page's
 * socket is accepted only from its own origin and, with `token`, only after the page presents it.
 * @throws TypeError on a malformed option; the listen error (EADDRINUSE...) as Node gives it.
 */
export async function startLiveView(options: LiveViewOptions = {}): Promise<LiveView> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError('startLiveView: port must be 0-65535');
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token.length === 0))
    throw new TypeError('startLiveView: token must be a non-empty string');
  const calls = new LiveCalls(options);
  const expected = options.token === undefined ? undefined : digest(options.token);
  const nonce = randomBytes(16).toString('base64');
  // The charts (a few hundred kB) are loaded only by an app that starts a live view.
  const { LIVE_CHARTS } = await import('./charts.generated.js');
  const page = livePage({ charts: LIVE_CHARTS, nonce });
  const sockets = new Set<WebSocket>();
  const authed = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let boundPort = port;

  const allowedHost = (header: string | undefined): boolean => {
    // DNS rebinding: on loopback, only loopback names may reach the view.
    if (!LOOPBACK.has(host)) return true;
    if (header === undefined) return false;
    const name = header.toLowerCase().replace(/:\d+$/, '');
    return LOOPBACK.has(name);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHost(req.headers.host)) return plain(res, 421, 'this view answers only to loopback names');
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    if (path !== '/' && path !== '/index.html') return plain(res, 404, 'not found');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : page);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const origin = req.headers.origin;
    // Another web page open in the same browser may try to connect: only the view's own origin is let in.
    const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`;
    if (path !== '/ws' || !allowedHost(req.headers.host) || !sameOrigin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req.headers.authorization));
  });

  const send = (ws: WebSocket, message: unknown): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(message));
  };

  const welcome = (ws: WebSocket): void => {
    authed.add(ws);
    // Further messages are not expected; a page that sends any is ignored.
    send(ws, { type: 'calls', now: Date.now(), calls: calls.list() });
  };

  function accept(ws: WebSocket, authorization: string | undefined): void {
    sockets.add(ws);
    ws.on('close', () => {
      sockets.delete(ws);
      authed.delete(ws);
    });
    ws.on('error', () => ws.terminate());
    // A program (not a page) may present the token as `Authorization: Bearer <token>` instead of a first message.
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
    if (expected !== undefined && bearer !== undefined && timingSafeEqual(digest(bearer), expected)) {
      welcome(ws);
      return;
    }
    const timer = setTimeout(() => ws.close(LIVE_VIEW_UNAUTHORIZED, 'no token'), HELLO_TIMEOUT_MS);
    timer.unref();
    ws.once('message', (data) => {
      clearTimeout(timer);
      let token: unknown;
      try {
        token = (JSON.parse(String(data)) as { type?: unknown; token?: unknown }).token;
      } catch {
        token = undefined;
      }
      if (expected !== undefined && (typeof token !== 'string' || !timingSafeEqual(digest(token), expected))) {
        ws.close(LIVE_VIEW_UNAUTHORIZED, 'wrong token');
        return;
      }
      welcome(ws);
    });
  }

  const unsubscribe = calls.subscribe((update: LiveUpdate) => {
    if (authed.size === 0) return;
    const { log: _log, ...call } = update.call;
    const message = { type: 'call', now: Date.now(), call, transition: update.transition };
    for (const ws of authed) send(ws, message);
  });
  // Ended calls past their time leave the open pages too.
  const pruner = setInterval(
    () => {
      const gone = calls.prune();
      if (gone.length > 0) for (const ws of authed) send(ws, { type: 'gone', callIds: gone });
    },
    Math.min(options.keepEndedMs ?? 600_000, 30_000),
  );
  pruner.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        boundPort = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  } catch (error) {
    unsubscribe();
    clearInterval(pruner);
    wss.close();
    throw error;
  }

  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${urlHost}:${boundPort}/${options.token === undefined ? '' : `#token=${encodeURIComponent(options.token)}`}`;
  return {
    url,
    port: boundPort,
    host,
    calls: () => calls.list(),
    inspect: calls.inspect,
    onCallEvent: calls.onCallEvent,
    async close() {
      unsubscribe();
      clearInterval(pruner);
      for (const ws of sockets) ws.close(1001, 'the live view is closing');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
