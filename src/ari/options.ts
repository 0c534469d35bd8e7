import type { Dispatcher } from 'undici';
import { AriOptionsError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';

/** How the event socket checks that the connection is alive. */
export interface HeartbeatOptions {
  /** Time between pings, in ms. */
  intervalMs?: number;
  /** Time to wait for the pong before the connection is considered lost, in ms. */
  timeoutMs?: number;
}

/** How the event socket reconnects after losing the connection. */
export interface ReconnectOptions {
  /** First delay, in ms. */
  initialDelayMs?: number;
  /** Largest delay, in ms. */
  maxDelayMs?: number;
  /** Growth of the delay between attempts. */
  factor?: number;
  /** Random share (0..1) of the delay added or removed. */
  jitter?: number;
}

/** Options of {@link createAriClient}. Validated once; a bad one throws an `AriOptionsError` naming it. */
export interface AriClientOptions {
  /**
   * Where Asterisk's HTTP server is: `http://host:8088` or `http://host:8088/ari` (a trailing slash is fine). Any other
   * path (behind a reverse proxy) gets `/ari` appended. `http:` or `https:` only; no credentials, query or fragment.
   */
  url: string;
  /** ARI user (`ari.conf`). */
  username: string;
  /** ARI password (`ari.conf`). */
  password: string;
  /**
   * The Stasis applications whose events `client.connect()` subscribes to: names without commas. Required for
   * `connect()`, not for REST calls.
   */
  apps?: string | readonly string[];
  /** Subscribe the event socket to every event source, not only the apps' own. Default `false`. */
  subscribeAll?: boolean;
  /** Time a REST call may take, start to end (queued, sent, answered, body read), in ms. Default `10_000`. */
  requestTimeoutMs?: number;
  /** Most concurrent HTTP connections to Asterisk (kept alive and reused). Default `32`. */
  connections?: number;
  /**
   * An undici dispatcher to send requests through (an `Agent`, `Pool`, `MockAgent`...). The client does not close a
   * dispatcher it was given. Default: a keep-alive `Pool` of `connections` connections, closed by `client.close()`.
   */
  dispatcher?: Dispatcher;
  /** Event socket heartbeat; `false` disables it. Default: the socket's defaults. */
  heartbeat?: HeartbeatOptions | false;
  /**
   * Attempts `connect()` makes for the first connection (with the `reconnect` backoff between them) before it rejects
   * with an `AriConnectionError` naming the URL and the likely cause (refused, no such host, HTTP 404 or another
   * answer that is not ARI). HTTP 401/403 rejects at the first attempt. A positive integer, or `Infinity` to wait
   * until Asterisk is there. Default `3`.
   */
  connectAttempts?: number;
  /**
   * Event socket reconnection: the backoff between first attempts, and, once a connection has worked, endless
   * retries after every loss. `false`: no retry at all (the first failure or loss closes the socket). Default: the
   * socket's defaults (250 ms doubling up to 15 s, jitter 0.2).
   */
  reconnect?: ReconnectOptions | false;
  /** Where the client logs. Default: silent. */
  logger?: Logger;
}

/** Options after validation, with defaults applied. */
export interface ResolvedAriOptions {
  /** `http(s)://host:port` */
  readonly origin: string;
  /** Path prefix of every operation, e.g. `/ari` (no trailing slash). */
  readonly basePath: string;
  /** `origin + basePath`. */
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly apps: readonly string[];
  readonly subscribeAll: boolean;
  readonly requestTimeoutMs: number;
  readonly connections: number;
  readonly dispatcher: Dispatcher | undefined;
  readonly heartbeat: HeartbeatOptions | false | undefined;
  readonly reconnect: ReconnectOptions | false | undefined;
  readonly connectAttempts: number;
  readonly logger: Logger;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECTIONS = 32;
/** Attempts of the first connection before `connect()` rejects (see {@link AriClientOptions.connectAttempts}). */
export const DEFAULT_CONNECT_ATTEMPTS = 3;

const KNOWN_OPTIONS = new Set([
  'url',
  'username',
  'password',
  'apps',
  'subscribeAll',
  'requestTimeoutMs',
  'connections',
  'dispatcher',
  'heartbeat',
  'reconnect',
  'connectAttempts',
  'logger',
]);

/** Validates the options of `createAriClient` and applies the defaults. Throws `AriOptionsError`. */
export function resolveAriOptions(options: AriClientOptions): ResolvedAriOptions {
  if (options === null || typeof options !== 'object') {
    throw new AriOptionsError('options', 'expected an object with url, username and password');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new AriOptionsError(key, 'unknown option');
  }
  const { origin, basePath } = parseUrl(options.url);
  if (typeof options.username !== 'string' || options.username === '') {
    throw new AriOptionsError('username', 'expected a non-empty string');
  }
  if (options.username.includes(':')) throw new AriOptionsError('username', 'must not contain ":" (HTTP Basic)');
  if (typeof options.password !== 'string') throw new AriOptionsError('password', 'expected a string');
  return {
    origin,
    basePath,
    baseUrl: origin + basePath,
    username: options.username,
    password: options.password,
    apps: parseApps(options.apps),
    subscribeAll: optionalBoolean('subscribeAll', options.subscribeAll) ?? false,
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    connections: positiveInteger('connections', options.connections) ?? DEFAULT_CONNECTIONS,
    dispatcher: parseDispatcher(options.dispatcher),
    heartbeat: parseNested('heartbeat', options.heartbeat, ['intervalMs', 'timeoutMs']),
    reconnect: parseNested('reconnect', options.reconnect, ['initialDelayMs', 'maxDelayMs', 'factor', 'jitter']),
    connectAttempts: parseConnectAttempts(options.connectAttempts),
    logger: parseLogger(options.logger),
  };
}

function parseUrl(value: unknown): { origin: string; basePath: string } {
  if (typeof value !== 'string' || value === '') {
    throw new AriOptionsError('url', 'expected a string like "http://localhost:8088"');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AriOptionsError('url', `"${value}" is not a URL (expected e.g. "http://localhost:8088")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AriOptionsError('url', `expected an http: or https: URL, got "${url.protocol}"`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new AriOptionsError('url', 'must not hold credentials: pass username and password as options');
  }
  if (url.search !== '' || url.hash !== '') throw new AriOptionsError('url', 'must not have a query or a fragment');
  let path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/ari')) path += '/ari';
  return { origin: url.origin, basePath: path };
}

function parseApps(value: unknown): readonly string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new AriOptionsError('apps', 'expected a string or an array of strings');
  for (const app of list) {
    if (typeof app !== 'string' || app === '')
      throw new AriOptionsError('apps', 'every app must be a non-empty string');
    if (app.includes(',')) throw new AriOptionsError('apps', `app "${app}" must not contain a comma`);
  }
  return Object.freeze([...new Set(list as string[])]);
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new AriOptionsError(name, 'expected a boolean');
}

function positive(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new AriOptionsError(name, `expected a positive finite number, got ${String(value)}`);
  }
  return value;
}

function positiveInteger(name: string, value: unknown): number | undefined {
  const n = positive(name, value);
  if (n !== undefined && !Number.isInteger(n)) throw new AriOptionsError(name, `expected a positive integer, got ${n}`);
  return n;
}

function parseDispatcher(value: unknown): Dispatcher | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof (value as Dispatcher).dispatch !== 'function') {
    throw new AriOptionsError('dispatcher', 'expected an undici Dispatcher (Agent, Pool, Client...)');
  }
  return value as Dispatcher;
}

function parseNested<T extends object>(name: string, value: unknown, keys: readonly string[]): T | false | undefined {
  if (value === undefined || value === false) return value;
  if (value === null || typeof value !== 'object') throw new AriOptionsError(name, 'expected an object or false');
  for (const [key, v] of Object.entries(value)) {
    if (!keys.includes(key)) throw new AriOptionsError(`${name}.${key}`, 'unknown option');
    if (v === undefined) continue;
    // The event socket checks the finer rules (delays may be 0, factor >= 1) when the client builds it.
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key === 'jitter' && v > 1)) {
      throw new AriOptionsError(
        `${name}.${key}`,
        key === 'jitter' ? 'expected a share between 0 and 1' : 'expected a finite number >= 0',
      );
    }
  }
  return value as T;
}

function parseConnectAttempts(value: unknown): number {
  if (value === undefined) return DEFAULT_CONNECT_ATTEMPTS;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AriOptionsError('connectAttempts', `expected a positive integer or Infinity, got ${String(value)}`);
  }
  return value;
}

function parseLogger(value: unknown): Logger {
  if (value === undefined) return silentLogger;
  const logger = value as Logger;
  if (
    logger === null ||
    typeof logger !== 'object' ||
    typeof logger.debug !== 'function' ||
    typeof logger.info !== 'function' ||
    typeof logger.warn !== 'function' ||
    typeof logger.error !== 'function'
  ) {
    throw new AriOptionsError('logger', 'expected an object with debug, info, warn and error methods');
  }
  return logger;
}
