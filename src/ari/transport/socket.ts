import { isIP, type NetConnectOpts, connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { decodeAriEvent } from '../decode.js';
import { AriConnectionError, AriOptionsError, AriProtocolError } from '../errors.js';
import type { AriEvent } from '../events.js';
import { type Logger, silentLogger } from '../logger.js';
import { DEFAULT_CONNECT_ATTEMPTS } from '../options.js';

/**
 * The life of an {@link EventSocket}:
 * - `idle`: built, `connect()` not called yet;
 * - `connecting`: an opening handshake is under way (the first one or a retry);
 * - `connected`: the WebSocket is open and events flow;
 * - `reconnecting`: an attempt failed or the connection was lost; the next attempt waits for its backoff delay
 *   (`reconnecting` → `connecting` → `reconnecting` ... until one attempt opens);
 * - `closed`: final, after `close()`, a refusal of the credentials (401/403), a first connection that failed
 *   `connectAttempts` times, or a failure with reconnection disabled.
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** One transition of {@link EventSocket.state}. */
export interface ConnectionStateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /**
   * On `connecting` and `connected`: the number of this attempt since the last time the socket was connected
   * (1 = first try). On `reconnecting`: how many attempts in a row have failed (0 right after losing a connection
   * that was open); the coming retry waits `delayMs`.
   */
  attempt: number;
  /** Why the socket is `reconnecting` or `closed`, when it was not a plain `close()`. */
  error?: Error;
  /** On `reconnecting`: how long until the next attempt, in ms. */
  delayMs?: number;
  /**
   * On `connected` after a loss: the window in which events may have been missed (`from` = when the previous
   * connection was lost, `to` = when this one opened, epoch ms). A runtime should resynchronise its state from
   * REST (channels, live recordings) for that window.
   */
  gap?: { from: number; to: number; durationMs: number };
}

/** Options of {@link EventSocket}. */
export interface EventSocketOptions {
  /**
   * The ARI base URL as the user gave it: `http(s)://host:8088` or `http(s)://host:8088/ari`, with or without a
   * trailing slash (`ws(s)://` is accepted too). The socket connects to `ws(s)://host:8088/ari/events`.
   * No credentials, query or fragment (AriOptionsError).
   */
  url: string;
  /** ARI user; sent in the `Authorization: Basic` header, never in the URL. */
  username: string;
  /** ARI password; sent in the `Authorization: Basic` header, never in the URL. */
  password: string;
  /** The Stasis applications to register and receive events for; at least one, none empty or containing a comma. */
  apps: readonly string[];
  /** Subscribe the apps to every event source of Asterisk (`subscribeAll=true`). Default false. */
  subscribeAll?: boolean;
  /**
   * Liveness check: a ping every `intervalMs` (default 15_000); no pong within `timeoutMs` (default 5_000) drops the
   * connection and reconnects. `false` disables it.
   */
  heartbeat?: { intervalMs?: number; timeoutMs?: number } | false;
  /**
   * How many attempts the first connection gets (each after the backoff of `reconnect`) before `connect()` rejects
   * with an {@link AriConnectionError} naming the URL and the likely cause and the socket closes. A refusal of the
   * credentials (HTTP 401/403) ends it at the first attempt. A positive integer or `Infinity` (retry until it
   * works). Default 3.
   */
  connectAttempts?: number;
  /**
   * Retries between the attempts of the first connection (at most `connectAttempts`) and, once a connection has
   * worked, after every loss, endlessly: the n-th retry in a row waits
   * `min(maxDelayMs, initialDelayMs * factor^(n-1))`, spread by ±`jitter` (a fraction);
   * the count starts again once a connection opens. Defaults: 250 ms, factor 2,
   * max 15_000 ms, jitter 0.2. `false`: no retry; the first failure closes the socket.
   */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number; factor?: number; jitter?: number } | false;
  /** Where connection changes and reported errors are logged. Default: silent. */
  logger?: Logger;
}

/** A resolved reconnection policy; see {@link EventSocketOptions.reconnect}. */
export interface ReconnectPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  jitter: number;
}

/**
 * The delay before retry number `retry` (1-based): `min(max, initial * factor^(retry-1))` times a random factor in
 * `[1 - jitter, 1 + jitter]`, never above `maxDelayMs`. `random` returns a number in [0, 1) like `Math.random`.
 */
export function reconnectDelay(retry: number, policy: ReconnectPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, retry - 1));
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(base + spread)));
}

const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 250, maxDelayMs: 15_000, factor: 2, jitter: 0.2 };
const DEFAULT_HEARTBEAT = { intervalMs: 15_000, timeoutMs: 5_000 };
const HANDSHAKE_TIMEOUT_MS = 10_000;

type Listener<T> = (value: T) => void;

/**
 * The one WebSocket that carries ARI events for one or more Stasis applications (`GET /ari/events?app=a,b`).
 *
 * Events reach `onEvent` listeners in strict arrival order, synchronously, one frame at a time. A listener that
 * throws is reported through `onError` and the logger; the other listeners and the next frames are not affected.
 * A frame that is not an ARI event is reported as an `AriProtocolError` and skipped. The connection is watched with
 * pings and re-opened with jittered exponential backoff (see {@link EventSocketOptions}).
 *
 * ```ts
 * const socket = new EventSocket({ url: 'http://localhost:8088', username: 'asterisk', password: 'secret', apps: ['vm'] });
 * socket.onEvent((e) => { if (e.type === 'StasisStart') console.log(e.channel.id) });
 * socket.onState((c) => { if (c.gap) resync(c.gap) });
 * await socket.connect();
 * ```
 */
export class EventSocket {
  /** The URL the socket connects to (no credentials in it). */
  readonly url: string;
  #state: ConnectionState = 'idle';
  readonly #authorization: string;
  readonly #heartbeat: { intervalMs: number; timeoutMs: number } | false;
  readonly #reconnect: ReconnectPolicy | false;
  readonly #connectAttempts: number;
  readonly #logger: Logger;
  // Set once a connection has opened: from then on a loss is retried endlessly (per `reconnect`).
  #everConnected = false;
  // Replaced, never mutated, so that a listener removed or added while a frame is dispatched does not disturb it.
  #eventListeners: readonly Listener<AriEvent>[] = [];
  #stateListeners: readonly Listener<ConnectionStateChange>[] = [];
  #errorListeners: readonly Listener<Error>[] = [];
  #ws: WebSocket | undefined;
  #attempt = 0;
  #failures = 0;
  #retries = 0;
  // Every TCP socket this instance opened and that is not closed yet: close() waits for them all.
  readonly #sockets = new Set<Socket>();
  #lostAt: number | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #pongTimer: NodeJS.Timeout | undefined;
  #connecting: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  #closing: Promise<void> | undefined;
  // Why the current WebSocket was terminated by this side (a missed pong), read by its 'close' handler.
  #dropped: Error | undefined;

  /** @throws {AriOptionsError} when an option is missing or invalid (the option is named). */
  constructor(options: EventSocketOptions) {
    if (options === null || typeof options !== 'object') throw new AriOptionsError('options', 'must be an object');
    this.url = eventsUrl(options.url, options.apps, options.subscribeAll);
    if (typeof options.username !== 'string' || options.username === '') {
      throw new AriOptionsError('username', 'must be a non-empty string');
    }
    if (typeof options.password !== 'string') throw new AriOptionsError('password', 'must be a string');
    if (options.username.includes(':')) throw new AriOptionsError('username', 'must not contain ":" (Basic auth)');
    this.#authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
    this.#heartbeat = heartbeatOption(options.heartbeat);
    this.#reconnect = reconnectOption(options.reconnect);
    this.#connectAttempts = connectAttemptsOption(options.connectAttempts);
    this.#logger = options.logger ?? silentLogger;
  }

  /** The current connection state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Adds an event listener; returns the function that removes it. */
  onEvent(listener: (event: AriEvent) => void): () => void {
    this.#eventListeners = [...this.#eventListeners, listener];
    return () => {
      this.#eventListeners = this.#eventListeners.filter((l) => l !== listener);
    };
  }

  /** Adds a connection state listener; returns the function that removes it. */
  onState(listener: (change: ConnectionStateChange) => void): () => void {
    this.#stateListeners = [...this.#stateListeners, listener];
    return () => {
      this.#stateListeners = this.#stateListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Adds an error listener: failed attempts and lost connections (`AriConnectionError`), malformed frames
   * (`AriProtocolError`) and errors thrown by event or state listeners (as thrown). Returns the remover.
   */
  onError(listener: (error: Error) => void): () => void {
    this.#errorListeners = [...this.#errorListeners, listener];
    return () => {
      this.#errorListeners = this.#errorListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Opens the socket. Resolves on the first successful open (at once if already connected). A first connection
   * gets at most `connectAttempts` attempts (default 3, with the reconnect backoff between them); once a connection
   * has worked, a pending `connect()` waits through endless retries. Calling it again while pending returns the same
   * promise.
   *
   * @throws {AriConnectionError} (rejects) when the first connection cannot be made: `connectAttempts` attempts
   *   failed (refused, no such host, not an ARI server, HTTP 404...), the server refused the credentials (HTTP 401
   *   or 403: at the first attempt), or the first attempt failed with `reconnect: false`. The message names the URL
   *   and the likely cause; `url`, `status` and `attempts` are on the error; the socket is then closed. Also when
   *   `close()` is called before the socket opened, or the socket is already closed.
   */
  connect(): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new AriConnectionError('the event socket is closed'));
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#connecting) return this.#connecting.promise;
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#connecting = { promise, resolve, reject };
    if (this.#state === 'idle') this.#open();
    return promise;
  }

  /**
   * Closes the socket for good: cancels every timer, closes the WebSocket and resolves once it is closed, leaving
   * no handle open. Idempotent: later calls return the same promise. A pending `connect()` rejects.
   */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#clearTimers();
    const ws = this.#ws;
    this.#ws = undefined;
    this.#settleConnect(new AriConnectionError('the event socket was closed before it connected'));
    this.#setState('closed', {});
    this.#closing = (ws ? closeWebSocket(ws) : Promise.resolve())
      .then(() =>
        Promise.all([...this.#sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)))),
      )
      .then(() => {});
    return this.#closing;
  }

  #track(socket: Socket): Socket {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    // Errors reach us through the WebSocket or its HTTP request; once a refused upgrade has let the TCP socket go
    // (req.destroy), a late ECONNRESET on it would otherwise be an uncaught exception in the user's process.
    socket.on('error', () => {});
    return socket;
  }

  #open(): void {
    this.#attempt += 1;
    this.#setState('connecting', {});
    const secure = this.url.startsWith('wss:');
    const ws = new WebSocket(this.url, {
      headers: { Authorization: this.#authorization },
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
      followRedirects: false,
      createConnection: ((options: TcpOptions) => this.#track(connectTcp(options, secure))) as typeof netConnect,
    });
    this.#ws = ws;
    let httpStatus: number | undefined;
    let failure: Error | undefined;
    let opened = false;

    ws.on('unexpected-response', (req, res) => {
      httpStatus = res.statusCode;
      res.resume();
      req.destroy();
      ws.terminate();
    });
    ws.on('open', () => {
      if (this.#ws !== ws) return;
      opened = true;
      this.#onOpen(ws);
    });
    ws.on('message', (data, isBinary) => {
      if (this.#ws !== ws) return;
      this.#onFrame(data, isBinary);
    });
    ws.on('pong', () => {
      if (this.#ws !== ws) return;
      clearTimeout(this.#pongTimer);
      this.#pongTimer = undefined;
      this.#schedulePing(ws);
    });
    ws.on('error', (error) => {
      failure ??= error;
    });
    ws.on('close', (code, reason) => {
      if (this.#ws !== ws) return;
      this.#ws = undefined;
      this.#clearTimers();
      failure = this.#dropped ?? failure;
      this.#dropped = undefined;
      if (httpStatus !== undefined) {
        this.#onFailure(
          new AriConnectionError(`ARI refused the event socket: HTTP ${httpStatus}${statusHint(httpStatus)}`, {
            method: 'GET',
            path: '/events',
            url: this.#baseUrl(),
            status: httpStatus,
          }),
          httpStatus === 401 || httpStatus === 403,
        );
      } else if (opened) {
        const why = failure ? failure.message : `code ${code}${reason.length ? ` ${reason.toString()}` : ''}`;
        this.#onFailure(new AriConnectionError(`ARI event socket lost (${why})`, { cause: failure }), false);
      } else {
        const why = failure?.message ?? `code ${code}`;
        this.#onFailure(
          new AriConnectionError(`cannot open the ARI event socket: ${why}`, { cause: failure, url: this.#baseUrl() }),
          false,
        );
      }
    });
  }

  #onOpen(ws: WebSocket): void {
    const now = Date.now();
    const gap =
      this.#lostAt === undefined ? undefined : { from: this.#lostAt, to: now, durationMs: now - this.#lostAt };
    this.#lostAt = undefined;
    this.#failures = 0;
    this.#retries = 0;
    this.#everConnected = true;
    this.#setState('connected', gap ? { gap } : {});
    this.#attempt = 0;
    this.#schedulePing(ws);
    this.#settleConnect();
  }

  #onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    let event: AriEvent;
    try {
      if (isBinary) throw new AriProtocolError('ARI event frame is binary, expected text');
      event = decodeAriEvent(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8'));
    } catch (error) {
      this.#report(error as Error, 'malformed ARI event frame skipped');
      return;
    }
    const listeners = this.#eventListeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(event);
      } catch (error) {
        this.#report(asError(error), 'ARI event listener threw', { type: event.type });
      }
    }
  }

  #onFailure(error: Error, final: boolean): void {
    if (this.#state === 'closed') return;
    const wasConnected = this.#state === 'connected';
    if (wasConnected) this.#lostAt = Date.now();
    else this.#failures += 1;
    this.#report(error, wasConnected ? 'ARI event socket lost' : 'ARI event socket attempt failed');
    const givingUp = !this.#everConnected && this.#failures >= this.#connectAttempts;
    if (final || this.#reconnect === false || givingUp) {
      const reported = this.#everConnected ? error : firstConnectError(error, this.#baseUrl(), this.#failures);
      this.#settleConnect(reported);
      this.#setState('closed', { error: reported });
      return;
    }
    this.#retries += 1;
    const delayMs = reconnectDelay(this.#retries, this.#reconnect);
    this.#setState('reconnecting', { error, delayMs, attempt: this.#failures });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state === 'reconnecting') this.#open();
    }, delayMs);
  }

  /** `http(s)://host:port/ari`: the ARI base this socket connects to, as the user would write it. */
  #baseUrl(): string {
    const url = new URL(this.url);
    const scheme = url.protocol === 'wss:' ? 'https:' : 'http:';
    return `${scheme}//${url.host}${url.pathname.replace(/\/events$/, '')}`;
  }

  #schedulePing(ws: WebSocket): void {
    const heartbeat = this.#heartbeat;
    if (heartbeat === false) return;
    clearTimeout(this.#pingTimer);
    this.#pingTimer = setTimeout(() => {
      this.#pingTimer = undefined;
      if (this.#ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      this.#pongTimer = setTimeout(() => {
        this.#pongTimer = undefined;
        if (this.#ws !== ws) return;
        this.#logger.warn('ARI event socket: no pong, dropping the connection', { timeoutMs: heartbeat.timeoutMs });
        this.#dropped = new Error(`no pong within ${heartbeat.timeoutMs} ms`);
        ws.terminate();
      }, heartbeat.timeoutMs);
      ws.ping();
    }, heartbeat.intervalMs);
  }

  #setState(state: ConnectionState, extra: Partial<ConnectionStateChange>): void {
    const previous = this.#state;
    if (previous === 'closed') return;
    this.#state = state;
    const change: ConnectionStateChange = { state, previous, attempt: this.#attempt, ...extra };
    this.#logger[state === 'reconnecting' ? 'warn' : 'info']('ARI event socket state', {
      state,
      previous,
      attempt: change.attempt,
      delayMs: change.delayMs,
      gapMs: change.gap?.durationMs,
      error: change.error?.message,
    });
    const listeners = this.#stateListeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(change);
      } catch (error) {
        this.#report(asError(error), 'ARI connection state listener threw', { state });
      }
    }
  }

  #report(error: Error, message: string, fields: Record<string, unknown> = {}): void {
    this.#logger.error(message, { ...fields, error: error.message, code: (error as { code?: unknown }).code });
    const listeners = this.#errorListeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(error);
      } catch (thrown) {
        this.#logger.error('ARI event socket error listener threw', { error: asError(thrown).message });
      }
    }
  }

  #settleConnect(error?: Error): void {
    const pending = this.#connecting;
    if (!pending) return;
    this.#connecting = undefined;
    if (error) pending.reject(error);
    else pending.resolve();
  }

  #clearTimers(): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#retryTimer = this.#pingTimer = this.#pongTimer = undefined;
  }
}

function eventsUrl(base: unknown, apps: unknown, subscribeAll: unknown): string {
  if (typeof base !== 'string' || base === '') throw new AriOptionsError('url', 'must be a non-empty string');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new AriOptionsError('url', `not a URL: ${JSON.stringify(base)}`);
  }
  const scheme = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[url.protocol];
  if (!scheme) throw new AriOptionsError('url', `must be http(s):// or ws(s)://, got ${url.protocol}`);
  if (url.username || url.password) {
    throw new AriOptionsError('url', 'must not contain credentials; pass username and password');
  }
  if (url.search || url.hash) throw new AriOptionsError('url', 'must not have a query or a fragment');
  if (!Array.isArray(apps) || apps.length === 0) throw new AriOptionsError('apps', 'must name at least one app');
  for (const app of apps) {
    if (typeof app !== 'string' || app === '' || app.includes(',')) {
      throw new AriOptionsError('apps', `each app must be a non-empty string without ",": ${JSON.stringify(app)}`);
    }
  }
  if (subscribeAll !== undefined && typeof subscribeAll !== 'boolean') {
    throw new AriOptionsError('subscribeAll', 'must be a boolean');
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/ari')) path += '/ari';
  // Asterisk splits the one `app` parameter on commas after decoding it, so the commas stay literal.
  const query = `app=${(apps as string[]).map(encodeURIComponent).join(',')}${subscribeAll ? '&subscribeAll=true' : ''}`;
  return `${scheme}//${url.host}${path}/events?${query}`;
}

function heartbeatOption(value: EventSocketOptions['heartbeat']): { intervalMs: number; timeoutMs: number } | false {
  if (value === false) return false;
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    throw new AriOptionsError('heartbeat', 'must be an object or false');
  }
  const intervalMs = positive('heartbeat.intervalMs', value?.intervalMs, DEFAULT_HEARTBEAT.intervalMs);
  const timeoutMs = positive('heartbeat.timeoutMs', value?.timeoutMs, DEFAULT_HEARTBEAT.timeoutMs);
  return { intervalMs, timeoutMs };
}

function reconnectOption(value: EventSocketOptions['reconnect']): ReconnectPolicy | false {
  if (value === false) return false;
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    throw new AriOptionsError('reconnect', 'must be an object or false');
  }
  const d = DEFAULT_RECONNECT;
  const initialDelayMs = positive('reconnect.initialDelayMs', value?.initialDelayMs, d.initialDelayMs, true);
  const maxDelayMs = positive('reconnect.maxDelayMs', value?.maxDelayMs, Math.max(d.maxDelayMs, initialDelayMs), true);
  if (maxDelayMs < initialDelayMs) throw new AriOptionsError('reconnect.maxDelayMs', 'must be >= initialDelayMs');
  const factor = positive('reconnect.factor', value?.factor, d.factor);
  if (factor < 1) throw new AriOptionsError('reconnect.factor', 'must be >= 1');
  const jitter = value?.jitter ?? d.jitter;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new AriOptionsError('reconnect.jitter', 'must be a number between 0 and 1');
  }
  return { initialDelayMs, maxDelayMs, factor, jitter };
}

function connectAttemptsOption(value: unknown): number {
  if (value === undefined) return DEFAULT_CONNECT_ATTEMPTS;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AriOptionsError('connectAttempts', `must be a positive integer or Infinity, got ${String(value)}`);
  }
  return value;
}

/** Network error codes of Node, and what they most likely mean for someone connecting to Asterisk. */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED:
    'connection refused: nothing listens there (is Asterisk running, with http.conf enabled = yes and this bindport?)',
  ENOTFOUND: 'no such host (is the host name right?)',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  ECONNRESET: 'the server closed the connection during the handshake (is this an ARI server, and http: not https:?)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'no answer (a firewall, or the wrong host?)',
  EPROTO: 'TLS failed (https:// to a plain HTTP port?)',
};

/** The error `connect()` rejects with when a first connection never worked: the URL, the likely cause, the count. */
function firstConnectError(last: Error, url: string, attempts: number): AriConnectionError {
  const status = last instanceof AriConnectionError ? last.status : undefined;
  const cause = last.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  let why: string;
  if (status === 401 || status === 403) why = `HTTP ${status}${statusHint(status)}`;
  else if (status === 404) {
    why =
      "HTTP 404: no ARI there (is ARI enabled in ari.conf, and is the URL Asterisk's HTTP server, e.g. http://host:8088?)";
  } else if (status !== undefined) {
    const hint =
      statusHint(status) ||
      (status >= 500
        ? ': the server failed (is Asterisk still starting?)'
        : ': not an ARI event endpoint (is it Asterisk?)');
    why = `HTTP ${status} instead of a WebSocket upgrade${hint}`;
  } else if (code && NETWORK_CAUSES[code]) why = NETWORK_CAUSES[code];
  else if (/handshake has timed out/i.test(last.message)) why = `no WebSocket answer within ${HANDSHAKE_TIMEOUT_MS} ms`;
  else why = last.message.replace(/^cannot open the ARI event socket: /, '');
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  return new AriConnectionError(`cannot connect to ARI at ${url}: ${why} (${tries})`, {
    method: 'GET',
    path: '/events',
    url,
    status,
    attempts,
    cause: last,
  });
}

function positive(name: string, value: unknown, fallback: number, zeroAllowed = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new AriOptionsError(name, `must be a ${zeroAllowed ? 'non-negative' : 'positive'} finite number`);
  }
  return value;
}

function statusHint(status: number): string {
  if (status === 401) return ' (wrong username or password)';
  if (status === 403) return ' (user not allowed)';
  if (status === 404) return ' (is ARI enabled, and is the URL the ARI base?)';
  if (status === 400) return ' (bad app names?)';
  return '';
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

// What ws itself would do, with the socket kept so that close() can wait until it is really closed.
type TcpOptions = ConnectionOptions & { host?: string; socketPath?: string };

function connectTcp(options: TcpOptions, secure: boolean): Socket {
  if (!secure) return netConnect({ ...options, path: options.socketPath } as unknown as NetConnectOpts);
  const servername = options.servername ?? (isIP(options.host ?? '') ? '' : options.host);
  // `path` is the HTTP path here; left in, tls would take it for a Unix socket.
  return tlsConnect({ ...options, path: undefined, servername });
}

function closeWebSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    if (ws.readyState === WebSocket.OPEN) {
      ws.close(1000);
      // A peer that never answers the close frame must not keep the handle open.
      const timer = setTimeout(() => ws.terminate(), 2_000);
      ws.once('close', () => clearTimeout(timer));
    } else {
      ws.terminate();
    }
  });
}
