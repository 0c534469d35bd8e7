// The uploads of call recordings as jobs in PostgreSQL, for several app instances (on several Asterisks) sharing
// one database: the cluster mode's replacement of the local upload spool (src/recording/spool.ts).
//
// Where the bytes live: in the job's row (`bytea`). A recording can only be fetched over HTTP from the Asterisk that
// made it, so a job that only referred to it could be delivered by an instance on that Asterisk alone, and not at
// all once that Asterisk is down; with its bytes in the row, any instance delivers it, and the recording is deleted
// from Asterisk as soon as the row is committed (as it is once it is in the spool). The bytes are dropped when the
// file is accepted; a refused file keeps them for an operator.

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { AriOptionsError, checkOptions } from '../ari/errors.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import {
  isRetryableStatus,
  putFile,
  type RecordingUploads,
  retryDelay,
  splitCredentials,
  type UploadAttemptOptions,
  type UploadEvent,
  type UploadOutcome,
} from '../recording/upload.js';
import type { PostgresMessageStore } from './store.js';

/** Options of {@link PostgresUploadQueue.open}. */
export interface PostgresUploadQueueOptions extends UploadAttemptOptions {
  /** The store whose pool, schema and migrations the queue uses. */
  readonly store: PostgresMessageStore;
  /**
   * The `entity_id` of the Asterisk whose recordings this queue is given (`GET /asterisk/info` → `system.entity_id`):
   * with the file's name, the key of a job. An instance serving several Asterisks takes one view per Asterisk
   * ({@link PostgresUploadQueue.forAsterisk}).
   */
  readonly entityId: string;
  /** This instance's name in the job rows it holds (default: host name, process id and a random part). */
  readonly worker?: string;
  /**
   * How long a claimed job is held without news from its worker, in ms (default 30000). A live worker renews it
   * every third of it while it uploads; a job whose worker died is taken by another instance once it runs out.
   */
  readonly leaseMs?: number;
  /** How often due jobs are looked for, in ms (default 1000). A file added through this instance is tried at once. */
  readonly pollMs?: number;
  /** Uploads under way at once in this instance (default 4). */
  readonly concurrency?: number;
  /** Attempts before a file that keeps failing transiently is moved to `failed` (default `Infinity`). */
  readonly maxAttempts?: number;
  /** `false`: this instance only adds jobs and never uploads (default true). */
  readonly work?: boolean;
  readonly logger?: Logger;
}

/** A job as {@link PostgresUploadQueue.get} and {@link PostgresUploadQueue.list} show it (without its bytes). */
export interface UploadJob {
  /** `<entity_id>/<file name>`: the same recording always has the same id. */
  readonly id: string;
  readonly entityId: string;
  readonly fileName: string;
  /** The PUT url, without credentials. */
  readonly url: string;
  readonly contentType: string;
  readonly bytes: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly state: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  /** The status of the last answer, when one came. */
  readonly status?: number;
  readonly lastError?: string;
  /** The worker holding it now, when one does. */
  readonly leaseOwner?: string;
  readonly createdAt: string;
}

/** What a claim hands a worker. */
interface Claimed {
  readonly entity_id: string;
  readonly file_name: string;
  readonly url: string;
  readonly credentialed: boolean;
  readonly content_type: string;
  readonly bytes: string;
  readonly attempts: number;
}

interface JobRow extends Claimed {
  readonly metadata: Record<string, unknown>;
  readonly state: UploadJob['state'];
  readonly status: number | null;
  readonly last_error: string | null;
  readonly lease_owner: string | null;
  readonly created_at: Date;
}

const COLUMNS =
  'entity_id, file_name, url, credentialed, content_type, bytes, metadata, state, attempts, status, last_error, lease_owner, created_at';

/** A job's id from its key. */
export const uploadJobId = (entityId: string, fileName: string): string => `${entityId}/${fileName}`;

function splitId(id: string): { entityId: string; fileName: string } {
  const at = typeof id === 'string' ? id.lastIndexOf('/') : -1;
  if (at < 1 || at === id.length - 1) throw new TypeError(`not an upload job id (<entity_id>/<file name>): ${id}`);
  return { entityId: id.slice(0, at), fileName: id.slice(at + 1) };
}

const toJob = (row: JobRow): UploadJob => ({
  id: uploadJobId(row.entity_id, row.file_name),
  entityId: row.entity_id,
  fileName: row.file_name,
  url: row.url,
  contentType: row.content_type,
  bytes: Number(row.bytes),
  metadata: row.metadata,
  state: row.state,
  attempts: row.attempts,
  ...(row.status !== null ? { status: row.status } : {}),
  ...(row.last_error !== null ? { lastError: row.last_error } : {}),
  ...(row.lease_owner !== null ? { leaseOwner: row.lease_owner } : {}),
  createdAt: row.created_at.toISOString(),
});

async function collect(source: AsyncIterable<Uint8Array> | Uint8Array): Promise<Buffer> {
  if (source instanceof Uint8Array) return Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/**
 * The upload queue of call recordings on PostgreSQL (`ari-voicemail/postgres`): give it to `createRecordCallCalls`
 * or `attachRecorder` as `uploader`, in place of the spool's `Uploader`, and every instance on the database shares
 * the uploads. A recording is one row keyed by its Asterisk's `entity_id` and its file name
 * (`call_recording_<CALL_ID>.<EXT>`), its bytes in the row, written in one statement (or in the caller's
 * transaction: `add(..., { client })`), so a second add of the same recording (a recovery after a crash) changes
 * nothing. Any instance claims due jobs with `FOR UPDATE SKIP LOCKED` and holds each under a lease it renews while
 * it uploads: a job is never sent by two instances at once while its worker lives, and a dead worker's job is taken
 * by another once its lease runs out. A transient failure (no answer, 5xx, 408, 429) is retried by any instance
 * after the uploader's backoff; another 4xx moves the job to `failed` with the status.
 *
 * Delivery is at-least-once, as with the spool: a worker that dies after the server stored the file and before it
 * marked the job sent leaves it to another, which sends it again to the same name (a PUT there is idempotent).
 */
export class PostgresUploadQueue implements RecordingUploads {
  readonly store: PostgresMessageStore;
  readonly entityId: string;
  readonly worker: string;
  readonly #s: string;
  readonly #options: PostgresUploadQueueOptions;
  readonly #logger: Logger;
  readonly #closing = new AbortController();
  readonly #running = new Map<string, Promise<void>>();
  readonly #listeners = new Set<(event: UploadEvent) => void>();
  readonly #latest = new Map<string, UploadEvent>();
  readonly #credentials = new Map<string, string>();
  /** Woken when a local run ends (a delivery waiting on it looks again at once). */
  readonly #settled = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #again = false;

  private constructor(options: PostgresUploadQueueOptions) {
    this.store = options.store;
    this.entityId = options.entityId;
    this.worker = options.worker ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#s = `"${options.store.schema}"`;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    // Every delivery waited on and every upload under way listens for the close.
    setMaxListeners(0, this.#closing.signal);
  }

  /**
   * Migrates the store's schema and starts claiming due jobs (unless `work: false`).
   * @throws AriOptionsError naming the option when an option is missing, unknown or malformed
   */
  static async open(options: PostgresUploadQueueOptions): Promise<PostgresUploadQueue> {
    checkOptions('PostgresUploadQueue.open', options, validateQueueOptions);
    const queue = new PostgresUploadQueue(options);
    await options.store.migrate();
    queue.#wake();
    return queue;
  }

  /** A view of this queue for the recordings of another Asterisk (its `entity_id`), sharing its workers. */
  forAsterisk(entityId: string): RecordingUploads {
    if (typeof entityId !== 'string' || entityId.length === 0 || entityId.includes('/'))
      throw new TypeError(`an Asterisk entity_id (without "/"), got ${String(entityId)}`);
    return {
      add: (source, meta) => this.add(source, { ...meta, entityId }),
      useCredentials: (url) => this.useCredentials(url),
      delivery: (id) => this.delivery(id),
      subscribe: (listener) => this.subscribe(listener),
      progress: (id) => this.progress(id),
    };
  }

  /**
   * Writes a file's job (its bytes in the row), then wakes this instance's workers. Resolves once it is committed,
   * or, with `client` (a connection in a transaction of yours, `store.transaction`), once it is written there: it
   * exists, and is claimed, only if that transaction commits. A job with the same key (`entityId`, default the
   * queue's, and `metadata.fileName`, default the url's last segment) is left as it is, in any state: the id of that
   * one is returned. A url with credentials is stored without them (they are held in memory, as the `Uploader`
   * does: give every instance the url with {@link PostgresUploadQueue.useCredentials}).
   */
  async add(
    source: AsyncIterable<Uint8Array> | Uint8Array,
    meta: {
      url: string;
      contentType: string;
      metadata?: Record<string, unknown>;
      credentialed?: boolean;
      entityId?: string;
    },
    options: { client?: PoolClient } = {},
  ): Promise<{ id: string; bytes: number; created: boolean }> {
    if (this.#closing.signal.aborted) throw new Error('upload queue is closed');
    const { url, origin, authorization } = splitCredentials(meta.url);
    if (authorization !== undefined) this.#credentials.set(origin, authorization);
    const entityId = meta.entityId ?? this.entityId;
    const named = meta.metadata?.fileName;
    const fileName =
      typeof named === 'string' && named.length > 0
        ? named
        : decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    if (fileName.length === 0 || fileName.includes('/')) throw new TypeError(`no file name in ${url}`);
    const body = await collect(source);
    const credentialed = authorization !== undefined || meta.credentialed === true;
    const insert = async (client: Pick<PoolClient, 'query'>) => {
      const inserted = await client.query<{ bytes: string }>(
        `INSERT INTO ${this.#s}.upload_jobs (entity_id, file_name, url, credentialed, content_type, body, bytes, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (entity_id, file_name) DO NOTHING RETURNING bytes`,
        [
          entityId,
          fileName,
          url,
          credentialed,
          meta.contentType,
          body,
          body.length,
          JSON.stringify(meta.metadata ?? {}),
        ],
      );
      if (inserted.rows[0]) return { bytes: Number(inserted.rows[0].bytes), created: true };
      const existing = await client.query<{ bytes: string }>(
        `SELECT bytes FROM ${this.#s}.upload_jobs WHERE entity_id = $1 AND file_name = $2`,
        [entityId, fileName],
      );
      return { bytes: Number(existing.rows[0]?.bytes ?? body.length), created: false };
    };
    const written = options.client ? await insert(options.client) : await this.store.transaction(insert);
    const id = uploadJobId(entityId, fileName);
    if (written.created) this.#logger.debug('recording queued for upload', { id, bytes: written.bytes });
    this.#wake();
    return { id, ...written };
  }

  /** Makes the credentials of `url` (`https://user:pass@host/`) known for every upload to its origin. */
  useCredentials(url: string): void {
    const { origin, authorization } = splitCredentials(url);
    if (authorization !== undefined) this.#credentials.set(origin, authorization);
  }

  /** A job, or `undefined` when there is none with this id. */
  async get(id: string): Promise<UploadJob | undefined> {
    const { entityId, fileName } = splitId(id);
    const { rows } = await this.store.pool.query<JobRow>(
      `SELECT ${COLUMNS} FROM ${this.#s}.upload_jobs WHERE entity_id = $1 AND file_name = $2`,
      [entityId, fileName],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  /** The jobs in a state, oldest first. */
  async list(state: UploadJob['state'] = 'pending'): Promise<UploadJob[]> {
    const { rows } = await this.store.pool.query<JobRow>(
      `SELECT ${COLUMNS} FROM ${this.#s}.upload_jobs WHERE state = $1 ORDER BY created_at, entity_id, file_name`,
      [state],
    );
    return rows.map(toJob);
  }

  /**
   * Forgets the jobs sent more than `olderThanMs` ago (their rows, without bytes, are what makes a second add of the
   * same recording change nothing; keep them longer than a recording can be recovered). Returns how many went.
   */
  async forgetSent(olderThanMs: number): Promise<number> {
    if (!(typeof olderThanMs === 'number' && Number.isFinite(olderThanMs) && olderThanMs >= 0))
      throw new TypeError(`olderThanMs: a number of ms >= 0, got ${String(olderThanMs)}`);
    const { rowCount } = await this.store.pool.query(
      `DELETE FROM ${this.#s}.upload_jobs WHERE state = 'sent' AND done_at < now() - $1 * interval '1 millisecond'`,
      [olderThanMs],
    );
    return rowCount ?? 0;
  }

  /**
   * How a job ended, whichever instance delivered it (never rejects). Resolves when it is sent or failed, or with
   * `closed` when this queue closes first; an unknown id (or one written in a transaction not yet committed)
   * resolves at once, rejected.
   */
  async delivery(id: string): Promise<UploadOutcome> {
    for (;;) {
      let job: UploadJob | undefined;
      try {
        job = await this.get(id);
      } catch (error) {
        if (error instanceof TypeError) return { accepted: false, reason: error.message };
        this.#logger.warn('upload queue: a job could not be read; trying again', { id, error });
      }
      if (job === undefined && !this.#closing.signal.aborted) return { accepted: false, reason: `no upload job ${id}` };
      if (job?.state === 'sent') return { accepted: true, status: job.status ?? 200 };
      if (job?.state === 'failed')
        return { accepted: false, reason: job.lastError ?? 'failed', ...(job.status ? { status: job.status } : {}) };
      if (this.#closing.signal.aborted)
        return { accepted: false, reason: 'upload queue closed; the job stays in PostgreSQL', closed: true };
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#settled.delete(done);
          this.#closing.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, this.#options.pollMs ?? 1000);
        this.#settled.add(done);
        this.#closing.signal.addEventListener('abort', done);
      });
    }
  }

  /** Listens to the progress of the attempts this instance makes; returns the unsubscribe function. */
  subscribe(listener: (event: UploadEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The latest progress event of an attempt this instance is making. */
  progress(id: string): UploadEvent | undefined {
    return this.#latest.get(id);
  }

  /** Resolves when this instance has no upload under way and is not looking for one. */
  async idle(): Promise<void> {
    while (this.#running.size > 0 || this.#polling) {
      await Promise.all([...this.#running.values(), this.#polling]);
    }
  }

  /**
   * Stops claiming; uploads under way are cut off and their jobs handed back at once (to another instance, or to
   * the next open). The store is left open.
   */
  async close(): Promise<void> {
    this.#closing.abort();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.idle();
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

  /** Looks for due jobs now (and again every `pollMs`). */
  #wake(): void {
    if (this.#options.work === false || this.#closing.signal.aborted) return;
    if (this.#polling) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#polling = this.#poll()
      .catch((error: unknown) => this.#logger.warn('upload queue: claiming failed; trying again', { error }))
      .finally(() => {
        this.#polling = undefined;
        if (this.#closing.signal.aborted) return;
        if (this.#again) {
          this.#again = false;
          this.#wake();
          return;
        }
        // Not unref'd: an instance that only uploads keeps running until `close()`.
        this.#timer = setTimeout(() => this.#wake(), this.#options.pollMs ?? 1000);
      });
  }

  async #poll(): Promise<void> {
    const room = (this.#options.concurrency ?? 4) - this.#running.size;
    if (room <= 0) return;
    const token = randomUUID();
    // The rows are locked only while they are claimed: a row another instance is claiming is skipped, not waited for.
    const { rows } = await this.store.pool.query<Claimed>(
      `UPDATE ${this.#s}.upload_jobs AS j
         SET lease_owner = $1, lease_token = $2, lease_until = now() + $3 * interval '1 millisecond',
             attempts = j.attempts + 1
       FROM (SELECT entity_id, file_name FROM ${this.#s}.upload_jobs
             WHERE state = 'pending' AND due_at <= now() AND (lease_until IS NULL OR lease_until < now())
             ORDER BY due_at, created_at LIMIT $4 FOR UPDATE SKIP LOCKED) AS due
       WHERE j.entity_id = due.entity_id AND j.file_name = due.file_name
       RETURNING j.entity_id, j.file_name, j.url, j.credentialed, j.content_type, j.bytes, j.attempts`,
      [this.worker, token, this.#leaseMs(), room],
    );
    for (const job of rows) {
      const id = uploadJobId(job.entity_id, job.file_name);
      const run = this.#run(job, token)
        .catch((error: unknown) => this.#logger.error('upload queue: a job could not be settled', { id, error }))
        .finally(() => {
          this.#running.delete(id);
          this.#latest.delete(id);
          for (const wake of [...this.#settled]) wake();
          this.#wake();
        });
      this.#running.set(id, run);
    }
  }

  #leaseMs(): number {
    return this.#options.leaseMs ?? 30_000;
  }

  /** One attempt of a claimed job, and what it leaves in its row. */
  async #run(job: Claimed, token: string): Promise<void> {
    const id = uploadJobId(job.entity_id, job.file_name);
    const key = [job.entity_id, job.file_name, token];
    const fenced = `entity_id = $1 AND file_name = $2 AND lease_token = $3`;
    const attempt = job.attempts;
    this.#emit({ type: 'attempt', id, attempt });
    const cut = new AbortController();
    const stop = () => cut.abort();
    this.#closing.signal.addEventListener('abort', stop);
    // Renewed while the upload runs; a lease that was lost (this process stalled past it, another took the job)
    // cuts the upload off, so two instances send it at once only as long as one stalled.
    const renew = setInterval(() => {
      this.store.pool
        .query(
          `UPDATE ${this.#s}.upload_jobs SET lease_until = now() + $4 * interval '1 millisecond' WHERE ${fenced} RETURNING 1`,
          [...key, this.#leaseMs()],
        )
        .then(
          ({ rows }) => {
            if (rows.length === 0) {
              this.#logger.warn('upload queue: lost the lease of a job; cutting its upload off', { id });
              cut.abort();
            }
          },
          (error: unknown) => this.#logger.warn('upload queue: could not renew a lease', { id, error }),
        );
    }, this.#leaseMs() / 3);
    let result: { status?: number; reason: string; retryAfterMs?: number };
    try {
      const { rows } = await this.store.pool.query<{ body: Buffer | null }>(
        `SELECT body FROM ${this.#s}.upload_jobs WHERE ${fenced}`,
        key,
      );
      const body = rows[0]?.body;
      if (!body) return; // taken by another instance meanwhile
      let authorization: string | undefined;
      if (job.credentialed) authorization = this.#credentials.get(new URL(job.url).origin);
      result =
        job.credentialed && authorization === undefined
          ? { reason: 'the credentials of its url are not known to this instance (useCredentials)' }
          : await putFile(job.url, body, {
              contentType: job.content_type,
              bytes: body.length,
              signal: cut.signal,
              options: this.#options,
              ...(authorization !== undefined ? { authorization } : {}),
            });
    } finally {
      clearInterval(renew);
      this.#closing.signal.removeEventListener('abort', stop);
    }
    const status = result.status;
    if (status !== undefined && status >= 200 && status < 300) {
      // Accepted: whoever holds the job now, the file is there.
      await this.store.pool.query(
        `UPDATE ${this.#s}.upload_jobs SET state = 'sent', body = NULL, status = $3, last_error = NULL, done_at = now(),
           lease_owner = NULL, lease_token = NULL, lease_until = NULL
         WHERE entity_id = $1 AND file_name = $2 AND state = 'pending'`,
        [job.entity_id, job.file_name, status],
      );
      this.#logger.info('recording uploaded', { id, url: job.url, status, attempt, worker: this.worker });
      this.#emit({ type: 'accepted', id, url: job.url, status });
      return;
    }
    if (this.#closing.signal.aborted) {
      // Handed back as it was: this attempt does not count.
      await this.store.pool.query(
        `UPDATE ${this.#s}.upload_jobs SET lease_owner = NULL, lease_token = NULL, lease_until = NULL,
           attempts = greatest(attempts - 1, 0) WHERE ${fenced}`,
        key,
      );
      return;
    }
    if (cut.signal.aborted) return; // the lease was lost: the job is another's
    const transient = status === undefined || isRetryableStatus(status);
    const maxAttempts = this.#options.maxAttempts ?? Number.POSITIVE_INFINITY;
    const statusField = status !== undefined ? { status } : {};
    if (!transient || attempt >= maxAttempts) {
      const reason = transient ? `gave up after ${attempt} attempts: ${result.reason}` : result.reason;
      await this.store.pool.query(
        `UPDATE ${this.#s}.upload_jobs SET state = 'failed', status = $4, last_error = $5, done_at = now(),
           lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE ${fenced}`,
        [...key, status ?? null, reason],
      );
      this.#logger.error('recording upload refused', { id, url: job.url, status, reason });
      this.#emit({ type: 'rejected', id, url: job.url, reason, ...statusField });
      return;
    }
    const delayMs = retryDelay(this.#options, attempt, result.retryAfterMs);
    await this.store.pool.query(
      `UPDATE ${this.#s}.upload_jobs SET status = $4, last_error = $5, due_at = now() + $6 * interval '1 millisecond',
         lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE ${fenced}`,
      [...key, status ?? null, result.reason, delayMs],
    );
    this.#logger.warn('recording upload failed, retrying', { id, status, delayMs, attempt });
    this.#emit({ type: 'retrying', id, attempt, delayMs, reason: result.reason, ...statusField });
    // A retry due before the next poll is looked for then.
    if (delayMs < (this.#options.pollMs ?? 1000)) {
      void delay(delayMs, undefined, { signal: this.#closing.signal }).then(
        () => this.#wake(),
        () => undefined,
      );
    }
  }
}

const QUEUE_OPTIONS = new Set([
  'store',
  'entityId',
  'worker',
  'leaseMs',
  'pollMs',
  'concurrency',
  'maxAttempts',
  'work',
  'initialDelayMs',
  'maxDelayMs',
  'attemptTimeoutMs',
  'headers',
  'dispatcher',
  'random',
  'logger',
]);

function validateQueueOptions(options: PostgresUploadQueueOptions): void {
  if (!options || typeof options !== 'object') throw new AriOptionsError('options', 'required');
  for (const key of Object.keys(options)) {
    if (!QUEUE_OPTIONS.has(key)) throw new AriOptionsError(key, 'unknown option');
  }
  const { store } = options;
  if (store === null || typeof store !== 'object' || typeof store.transaction !== 'function' || !store.pool)
    throw new AriOptionsError('store', 'a PostgresMessageStore');
  if (typeof options.entityId !== 'string' || options.entityId.length === 0 || options.entityId.includes('/'))
    throw new AriOptionsError('entityId', 'the Asterisk\'s entity_id (a non-empty string without "/")');
  if (options.worker !== undefined && (typeof options.worker !== 'string' || options.worker.length === 0))
    throw new AriOptionsError('worker', 'a non-empty string');
  for (const name of ['leaseMs', 'pollMs', 'initialDelayMs', 'maxDelayMs', 'attemptTimeoutMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0))
      throw new AriOptionsError(name, `a positive finite number of ms, got ${String(value)}`);
  }
  const { concurrency, maxAttempts } = options;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
    throw new AriOptionsError('concurrency', `an integer >= 1, got ${String(concurrency)}`);
  if (
    maxAttempts !== undefined &&
    maxAttempts !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(maxAttempts) && maxAttempts >= 1)
  )
    throw new AriOptionsError('maxAttempts', `an integer >= 1 or Infinity, got ${String(maxAttempts)}`);
  if (options.work !== undefined && typeof options.work !== 'boolean') throw new AriOptionsError('work', 'a boolean');
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null)
      throw new AriOptionsError('headers', 'an object of header names to string values');
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string') throw new AriOptionsError(`headers.${name}`, 'a string value');
    }
  }
  if (options.random !== undefined && typeof options.random !== 'function')
    throw new AriOptionsError('random', 'a function');
  const { logger } = options;
  if (
    logger !== undefined &&
    !['debug', 'info', 'warn', 'error'].every((l) => typeof logger[l as keyof Logger] === 'function')
  )
    throw new AriOptionsError('logger', 'an object with debug, info, warn and error functions');
}
