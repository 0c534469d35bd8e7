// The HTTP + WebSocket front of the simulator: auth, faults, routing, and event sockets per app.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../ari/logger.js';
import { apiDocsFor } from './api-docs.js';
import type { InternalClock } from './clock.js';
import type { Failure, FaultState } from './faults.js';
import { HANDLERS, type HandlerContext, type Reply } from './handlers.js';
import { SimError } from './model.js';
import { matchRoute, parseParams } from './router.js';

const MAX_BODY = 1 << 20;

export interface ServerDeps {
  host: string;
  port: number;
  username: string;
  password: string;
  /** More accounts (user name to password). */
  users?: Readonly<Record<string, string>>;
  clock: InternalClock;
  logger: Logger;
  handlers: HandlerContext;
  faults: () => FaultState;
}

/** Event sockets by app: the newest socket for an app takes it over, as Asterisk does. */
export class AppSockets {
  readonly sockets = new Set<WebSocket>();
  readonly byApp = new Map<string, WebSocket>();
  readonly subscribeAll = new Set<string>();

  add(ws: WebSocket, apps: string[], all: boolean): void {
    this.sockets.add(ws);
    for (const app of apps) {
      this.byApp.set(app, ws);
      if (all) this.subscribeAll.add(app);
      else this.subscribeAll.delete(app);
    }
    ws.on('close', () => {
      this.sockets.delete(ws);
      for (const app of apps) {
        if (this.byApp.get(app) === ws) {
          this.byApp.delete(app);
          this.subscribeAll.delete(app);
        }
      }
    });
  }

  deliver(app: string, event: Record<string, unknown>): void {
    const ws = this.byApp.get(app);
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ ...event, application: app }));
  }
}

export class SimServer {
  readonly http: Server;
  readonly wss = new WebSocketServer({ noServer: true });
  readonly apps = new AppSockets();
  port = 0;
  /** `user:password` of every account, to the user name. */
  readonly #accounts = new Map<string, string>();

  constructor(readonly deps: ServerDeps) {
    this.#accounts.set(`${deps.username}:${deps.password}`, deps.username);
    for (const [user, password] of Object.entries(deps.users ?? {})) this.#accounts.set(`${user}:${password}`, user);
    this.http = createServer((req, res) => this.#onRequest(req, res));
    this.http.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket, head));
    this.http.on('clientError', (_err, socket) => socket.destroy());
  }

  async listen(port = this.deps.port): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.http.once('error', onError);
      this.http.listen(port, this.deps.host, () => {
        this.http.off('error', onError);
        resolve();
      });
    });
    const addr = this.http.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
  }

  async stopListening(): Promise<void> {
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** The user a request authenticates as, or undefined. */
  #authorized(req: IncomingMessage, url: URL): string | undefined {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      return this.#accounts.get(Buffer.from(header.slice(6), 'base64').toString('utf8'));
    }
    return this.#accounts.get(url.searchParams.get('api_key') ?? '');
  }

  #send(res: ServerResponse, reply: Reply): void {
    if (reply.binary) {
      res.writeHead(reply.status, { 'content-type': reply.binary.type, 'content-length': reply.binary.bytes.length });
      res.end(reply.binary.bytes);
      return;
    }
    if (reply.json === undefined) {
      res.writeHead(reply.status);
      res.end();
      return;
    }
    const body = JSON.stringify(reply.json);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  #error(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    const body = JSON.stringify({ message });
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  // Swagger 1.2 documents built from our own operation table, for clients that read them at connect (ari-client).
  #apiDocs(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const doc = apiDocsFor(pathname, `http://${req.headers.host ?? `127.0.0.1:${this.port}`}`);
    if (doc === undefined) {
      this.#error(res, 404, 'Resource not found');
      return;
    }
    const body = JSON.stringify(doc);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.deps.clock.noteActivity();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      this.deps.clock.noteActivity();
      if (size > MAX_BODY) {
        this.#error(res, 413, 'Request body too large');
        return;
      }
      if (!url.pathname.startsWith('/ari/')) {
        this.#error(res, 404, 'Resource not found');
        return;
      }
      const user = this.#authorized(req, url);
      if (user === undefined) {
        this.#error(res, 401, 'Authentication required', {
          'www-authenticate': 'Basic realm="Asterisk REST Interface"',
        });
        return;
      }
      const rawPath = req.url!.split('?')[0]!.slice(4);
      if (method === 'GET' && rawPath.startsWith('/api-docs/')) {
        this.#apiDocs(req, res, url.pathname);
        return;
      }
      const faults = this.deps.faults();
      const failure = faults.takeFailure(method, rawPath, user);
      if (failure && !failure.after) {
        this.#error(res, failure.status, failure.message);
        return;
      }
      const delay = faults.takeDelay(method, rawPath, user);
      const run = (): void => this.#handle(method, rawPath, url, Buffer.concat(chunks), req, res, failure);
      if (delay !== undefined && delay > 0) this.deps.clock.setTimer(delay, run);
      else run();
    });
  }

  #handle(
    method: string,
    rawPath: string,
    url: URL,
    raw: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
    failure?: Failure,
  ): void {
    if (res.destroyed) return;
    let reply: Reply;
    try {
      const match = matchRoute(method, rawPath);
      if (match.kind === 'not-found') throw new SimError(404, 'Resource not found');
      if (match.kind === 'method-not-allowed') throw new SimError(405, `Method ${method} not allowed on ${rawPath}`);
      const { op } = match;
      const handler = HANDLERS[`${op.resource}.${op.nickname}`];
      if (!handler) {
        throw new SimError(
          501,
          `Not implemented by the ARI simulator: ${op.resource}.${op.nickname} (${op.method} /ari${op.path})`,
        );
      }
      let body: unknown;
      if (raw.length > 0 && /json/i.test(req.headers['content-type'] ?? 'application/json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new SimError(400, 'Error parsing request body');
        }
      }
      reply = handler(this.deps.handlers, parseParams(op, match.path, url.searchParams, body));
    } catch (err) {
      if (err instanceof SimError) {
        this.#error(res, err.status, err.message);
        return;
      }
      this.deps.logger.error('simulator: handler failed', { method, path: rawPath, error: String(err) });
      this.#error(res, 500, 'Internal Server Error');
      return;
    }
    // A fault `after` the work: done, and its answer replaced.
    if (failure) this.#error(res, failure.status, failure.message);
    else this.#send(res, reply);
    if (reply.after) {
      try {
        reply.after();
      } catch (err) {
        this.deps.logger.error('simulator: deferred effect failed', { method, path: rawPath, error: String(err) });
      }
    }
  }

  #reject(socket: Duplex, status: number, text: string, message: string): void {
    const body = JSON.stringify({ message });
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.deps.clock.noteActivity();
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname !== '/ari/events') {
      this.#reject(socket, 404, 'Not Found', 'Resource not found');
      return;
    }
    if (this.#authorized(req, url) === undefined) {
      this.#reject(socket, 401, 'Unauthorized', 'Authentication required');
      return;
    }
    if (this.deps.faults().refusingUpgrades) {
      this.#reject(socket, 503, 'Service Unavailable', 'Refusing connections (simulated fault)');
      return;
    }
    const apps = (url.searchParams.get('app') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (!apps.length) {
      this.#reject(socket, 400, 'Bad Request', "Missing param 'app'");
      return;
    }
    const all = /^(true|yes|1)$/i.test(url.searchParams.get('subscribeAll') ?? '');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {});
      this.apps.add(ws, apps, all);
    });
  }

  dropSockets(app?: string): number {
    const targets =
      app === undefined ? [...this.apps.sockets] : [this.apps.byApp.get(app)].filter((w): w is WebSocket => !!w);
    for (const ws of targets) ws.terminate();
    return targets.length;
  }

  malformed(app?: string): number {
    const targets = app ? [this.apps.byApp.get(app)].filter((w): w is WebSocket => !!w) : [...this.apps.sockets];
    for (const ws of targets) if (ws.readyState === WebSocket.OPEN) ws.send('{"type": "StasisStart", "applica');
    return targets.length;
  }

  async close(): Promise<void> {
    for (const ws of [...this.apps.sockets]) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const closed = new Promise<void>((resolve) => {
      if (!this.http.listening) return resolve();
      this.http.close(() => resolve());
    });
    this.http.closeAllConnections();
    await closed;
  }
}
