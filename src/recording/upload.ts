/**
 * Sends finished recordings to the customer's server with HTTP PUT, from a durable spool.
 *
 * Delivery is at-least-once: a file leaves the spool only after a 2xx, so a crash between the server storing it and
 * the answer reaching us sends it again after the restart. Exactly-once is impossible over HTTP, but a PUT to a fixed
 * name (`call_recording_<CALL_ID>.<EXT>`) is idempotent: the receiver ends up with the one file either way.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { type Dispatcher, request } from 'undici';
import { AriOptionsError, checkOptions } from '../ari/errors.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import { Spool, type SpoolEntry } from './spool.js';

/** Options of {@link Uploader.open}. */
export interface UploaderOptions {
  /** The spool directory (created if missing). Files in it from an earlier run are sent at once. */
  readonly spoolDir: string;
  /** First retry delay in ms (before jitter). Default 1000. */
  readonly initialDelayMs?: number;
  /** Cap of the retry delay in ms. Default 300000 (5 minutes). */
  readonly maxDelayMs?: number;
  /**
   * Attempts before a file that keeps failing transiently is moved to `failed/`. Default `Infinity`: the spool keeps
   * it and retries until the server takes it.
   */
  readonly maxAttempts?: number;
  /** Limit of one attempt (headers and body), in ms. Default 60000. */
  readonly attemptTimeoutMs?: number;
  /** Extra request headers (authorization, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /** undici dispatcher (proxy, TLS settings). Default: undici's global one. */
  readonly dispatcher?: Dispatcher;
  /** Waits between attempts; replace it in tests. Must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  readonly logger?: Logger;
}

/** Progress of one file. */
export type UploadEvent =
  | { type: 'attempt'; id: string; attempt: number }
  | { type: 'retrying'; id: string; attempt: number; delayMs: number; reason: string; status?: number }
  | { type: 'accepted'; id: string; url: string; status: number }
  | { type: 'rejected'; id: string; url: string; status?: number; reason: string };

/** How a delivery ended. `rejected` files are in the spool's `failed/` folder, unless `closed` (still pending). */
export type UploadOutcome =
  | { accepted: true; status: number }
  | { accepted: false; status?: number; reason: string; closed?: boolean };

/**
 * Where the recorder hands finished recordings for upload: the spool's {@link Uploader} on one machine, or
 * `PostgresUploadQueue` (`ari-voicemail/postgres`) shared by the instances of a cluster.
 */
export interface RecordingUploads {
  /**
   * Takes a file durably and starts (or schedules) its delivery; resolves once it is safe (not when uploaded). A
   * url with credentials is kept without them; `credentialed`: its credentials were taken off earlier.
   */
  add(
    source: AsyncIterable<Uint8Array> | Uint8Array,
    meta: { url: string; contentType: string; metadata?: Record<string, unknown>; credentialed?: boolean },
  ): Promise<{ readonly id: string; readonly bytes: number }>;
  /** Makes the credentials of `url` (`https://user:pass@host/`) known for every upload to its origin. */
  useCredentials(url: string): void;
  /** How the delivery of a file ended (never rejects). */
  delivery(id: string): Promise<UploadOutcome>;
  /** Listens to the progress of deliveries; returns the unsubscribe function. */
  subscribe(listener: (event: UploadEvent) => void): () => void;
  /** The latest progress event of a delivery under way. */
  progress(id: string): UploadEvent | undefined;
}

const RETRYABLE = (status: number) => status >= 500 || status === 408 || status === 429;
const KEEP_OUTCOMES = 1000;

/** The metadata flag of a spooled file whose url had credentials (spooled without them). */
const CREDENTIALED = 'urlHadCredentials';

/** A url without its `user:pass@` part, its origin, and the Basic authorization those credentials make. */
export function splitCredentials(raw: string): { url: string; origin: string; authorization: string | undefined } {
  const url = new URL(raw);
  if (url.username === '' && url.password === '') return { url: raw, origin: url.origin, authorization: undefined };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return { url: url.toString(), origin: url.origin, authorization };
}

/** The uploader: one delivery loop a spooled file. */
export class Uploader implements RecordingUploads {
  readonly #deliveries = new Map<string, Promise<UploadOutcome>>();
  readonly #outcomes = new Map<string, UploadOutcome>();
  readonly #latest = new Map<string, UploadEvent>();
  readonly #listeners = new Set<(event: UploadEvent) => void>();
  readonly #closing = new AbortController();
  readonly #logger: Logger;
  /** Authorization by origin, from the urls' credentials: in memory only, never spooled or logged. */
  readonly #credentials = new Map<string, string>();

  private constructor(
    readonly spool: Spool,
    private readonly options: UploaderOptions,
  ) {
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Opens the spool and starts sending what is pending in it.
   * @throws AriOptionsError naming the option when an option is missing, unknown or malformed (before the spool is
   * touched); an I/O error when the spool directory cannot be created or read.
   */
  static async open(options: UploaderOptions): Promise<Uploader> {
    checkOptions('Uploader.open', options, validateUploaderOptions);
    const uploader = new Uploader(await Spool.open(options.spoolDir), options);
    const unreadable = (path: string, error: unknown): void =>
      uploader.#logger.error('spooled recording cannot be read; left in the spool for an operator', { path, error });
    for (const entry of await uploader.spool.list('pending', unreadable)) uploader.#start(entry);
    return uploader;
  }

  /**
   * Spools a file durably, then starts sending it. Resolves once it is on disk (not when it is uploaded). A url
   * with credentials (`https://user:pass@host/...`) is spooled and logged without them: they are sent as an
   * `Authorization: Basic` header, and held in memory only (see {@link Uploader.useCredentials}). `credentialed`:
   * the url had credentials that were taken off earlier; those known for its origin are sent.
   */
  async add(
    source: AsyncIterable<Uint8Array> | Uint8Array,
    meta: { url: string; contentType: string; metadata?: Record<string, unknown>; credentialed?: boolean },
  ): Promise<SpoolEntry> {
    if (this.#closing.signal.aborted) throw new Error('uploader is closed');
    const { url, origin, authorization } = splitCredentials(meta.url);
    if (authorization !== undefined) this.#credentials.set(origin, authorization);
    const { credentialed, ...rest } = meta;
    const entry = await this.spool.add(source, {
      ...rest,
      url,
      ...(authorization !== undefined || credentialed ? { metadata: { ...meta.metadata, [CREDENTIALED]: true } } : {}),
    });
    this.#start(entry);
    return entry;
  }

  /**
   * Makes the credentials of `url` (`https://user:pass@host/`) known for every upload to its origin: for files
   * spooled by an earlier run, whose urls were spooled without them (they wait until their credentials are known).
   */
  useCredentials(url: string): void {
    const { origin, authorization } = splitCredentials(url);
    if (authorization !== undefined) this.#credentials.set(origin, authorization);
  }

  /** The outcome of a file's delivery (never rejects). An unknown id that is still pending is picked up. */
  async delivery(id: string): Promise<UploadOutcome> {
    const known = this.#deliveries.get(id) ?? this.#outcomes.get(id);
    if (known) return known;
    const entry = await this.spool.get(id);
    if (!entry) return { accepted: false, reason: `no pending spool entry ${id}` };
    return this.#start(entry);
  }

  /** Listens to the progress of every file; returns the unsubscribe function. */
  subscribe(listener: (event: UploadEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The latest progress event of a delivery still under way, for a listener that subscribes after the delivery
   * began (a failed first attempt can be over before the caller of {@link Uploader.add} gets to subscribe).
   */
  progress(id: string): UploadEvent | undefined {
    return this.#latest.get(id);
  }

  /** Resolves when no delivery is in flight. */
  async idle(): Promise<void> {
    while (this.#deliveries.size > 0) await Promise.all(this.#deliveries.values());
  }

  /** Stops sending. Files not yet accepted stay in the spool for the next {@link Uploader.open}. */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.idle();
  }

  #start(entry: SpoolEntry): Promise<UploadOutcome> {
    const running = this.#deliveries.get(entry.id);
    if (running) return running;
    const delivery = this.#deliver(entry).then((outcome) => {
      this.#deliveries.delete(entry.id);
      this.#latest.delete(entry.id);
      this.#outcomes.set(entry.id, outcome);
      if (this.#outcomes.size > KEEP_OUTCOMES) this.#outcomes.delete(this.#outcomes.keys().next().value as string);
      return outcome;
    });
    this.#deliveries.set(entry.id, delivery);
    return delivery;
  }

  #emit(event: UploadEvent): void {
    this.#latest.set(event.id, event);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error('upload listener threw', { error });
      }
    }
  }

  async #deliver(entry: SpoolEntry): Promise<UploadOutcome> {
    const signal = this.#closing.signal;
    const maxAttempts = this.options.maxAttempts ?? Number.POSITIVE_INFINITY;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return closed();
      this.#emit({ type: 'attempt', id: entry.id, attempt });
      const result = await this.#put(entry, signal);
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        await this.spool.remove(entry.id);
        this.#logger.info('recording uploaded', { id: entry.id, url: entry.url, status: result.status, attempt });
        this.#emit({ type: 'accepted', id: entry.id, url: entry.url, status: result.status });
        return { accepted: true, status: result.status };
      }
      if (signal.aborted) return closed();
      const transient = result.status === undefined || RETRYABLE(result.status);
      if (!transient || attempt >= maxAttempts) {
        const reason = transient ? `gave up after ${attempt} attempts: ${result.reason}` : result.reason;
        await this.spool.fail(entry, { ...(result.status !== undefined ? { status: result.status } : {}), reason });
        this.#logger.error('recording upload refused', { id: entry.id, url: entry.url, status: result.status, reason });
        this.#emit({ type: 'rejected', id: entry.id, url: entry.url, reason, ...statusOf(result) });
        return { accepted: false, reason, ...statusOf(result) };
      }
      const delayMs = this.#backoff(attempt, result.retryAfterMs);
      this.#logger.warn('recording upload failed, retrying', { id: entry.id, status: result.status, delayMs, attempt });
      this.#emit({ type: 'retrying', id: entry.id, attempt, delayMs, reason: result.reason, ...statusOf(result) });
      try {
        await (this.options.sleep ?? sleep)(delayMs, signal);
      } catch {
        return closed();
      }
    }
  }

  async #put(
    entry: SpoolEntry,
    signal: AbortSignal,
  ): Promise<{ status?: number; reason: string; retryAfterMs?: number }> {
    let authorization: string | undefined;
    if (entry.metadata[CREDENTIALED] === true) {
      authorization = this.#credentials.get(new URL(entry.url).origin);
      if (authorization === undefined) {
        return { reason: 'the credentials of its url are not known in this run yet (Uploader.useCredentials)' };
      }
    }
    return putFile(entry.url, createReadStream(this.spool.dataPath(entry.id)), {
      contentType: entry.contentType,
      bytes: entry.bytes,
      signal,
      options: this.options,
      ...(authorization !== undefined ? { authorization } : {}),
    });
  }

  #backoff(attempt: number, retryAfterMs: number | undefined): number {
    return retryDelay(this.options, attempt, retryAfterMs);
  }
}

/** The attempt settings an upload shares with {@link Uploader}: timeouts, headers, dispatcher, backoff. */
export type UploadAttemptOptions = Pick<
  UploaderOptions,
  'initialDelayMs' | 'maxDelayMs' | 'attemptTimeoutMs' | 'headers' | 'dispatcher' | 'random'
>;

/** What one PUT came to: the status (none when no answer came), a short reason, the server's `Retry-After`. */
export interface PutResult {
  readonly status?: number;
  readonly reason: string;
  readonly retryAfterMs?: number;
}

/** Whether an answer is worth retrying (5xx, 408, 429); any other non-2xx is refused for good. */
export const isRetryableStatus = RETRYABLE;

/** One PUT of a file's bytes to `url` (never rejects: a network error is a result without a status). */
export async function putFile(
  url: string,
  body: Readable | Uint8Array,
  put: {
    contentType: string;
    bytes: number;
    signal: AbortSignal;
    options: UploadAttemptOptions;
    authorization?: string;
  },
): Promise<PutResult> {
  const { options } = put;
  const timeout = options.attemptTimeoutMs ?? 60_000;
  try {
    const response = await request(url, {
      method: 'PUT',
      body,
      headers: {
        ...options.headers,
        ...(put.authorization !== undefined ? { authorization: put.authorization } : {}),
        'content-type': put.contentType,
        'content-length': String(put.bytes),
      },
      signal: put.signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const text = (await response.body.text()).slice(0, 200);
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    return {
      status: response.statusCode,
      reason: `HTTP ${response.statusCode}${text ? `: ${text}` : ''}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  } catch (error) {
    return { reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** The delay before retry number `attempt` + 1: doubling from `initialDelayMs` up to `maxDelayMs`, jittered. */
export function retryDelay(options: UploadAttemptOptions, attempt: number, retryAfterMs?: number): number {
  const max = options.maxDelayMs ?? 300_000;
  const base = Math.min(max, (options.initialDelayMs ?? 1000) * 2 ** (attempt - 1));
  // "Equal jitter": never less than half the step, so a crowd of retries spreads without hammering at once.
  const jittered = base / 2 + (options.random ?? Math.random)() * (base / 2);
  return Math.round(Math.min(max, Math.max(jittered, retryAfterMs ?? 0)));
}

const UPLOADER_OPTIONS = new Set([
  'spoolDir',
  'initialDelayMs',
  'maxDelayMs',
  'maxAttempts',
  'attemptTimeoutMs',
  'headers',
  'dispatcher',
  'sleep',
  'random',
  'logger',
]);

function validateUploaderOptions(options: UploaderOptions): void {
  if (!options || typeof options !== 'object') throw new AriOptionsError('options', 'required');
  for (const key of Object.keys(options)) {
    if (!UPLOADER_OPTIONS.has(key)) throw new AriOptionsError(key, 'unknown option');
  }
  if (typeof options.spoolDir !== 'string' || options.spoolDir.length === 0)
    throw new AriOptionsError('spoolDir', 'a directory path is required');
  const positive = (name: 'initialDelayMs' | 'maxDelayMs' | 'attemptTimeoutMs'): void => {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0))
      throw new AriOptionsError(name, `a positive finite number of ms, got ${String(value)}`);
  };
  positive('initialDelayMs');
  positive('maxDelayMs');
  positive('attemptTimeoutMs');
  const { maxAttempts } = options;
  if (
    maxAttempts !== undefined &&
    maxAttempts !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(maxAttempts) && maxAttempts >= 1)
  )
    throw new AriOptionsError('maxAttempts', `an integer >= 1 or Infinity, got ${String(maxAttempts)}`);
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null)
      throw new AriOptionsError('headers', 'an object of header names to string values');
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string') throw new AriOptionsError(`headers.${name}`, 'a string value');
    }
  }
  for (const name of ['sleep', 'random'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new AriOptionsError(name, 'a function');
  }
  const { logger } = options;
  if (
    logger !== undefined &&
    !['debug', 'info', 'warn', 'error'].every((l) => typeof logger[l as keyof Logger] === 'function')
  )
    throw new AriOptionsError('logger', 'an object with debug, info, warn and error functions');
}

const closed = (): UploadOutcome => ({
  accepted: false,
  reason: 'uploader closed; the file stays in the spool',
  closed: true,
});
const statusOf = (result: { status?: number }) => (result.status !== undefined ? { status: result.status } : {});
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal });

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
