// The message store on PostgreSQL: the same contract as the file store (messages, the voicemail journal, the
// notification jobs), kept in tables of one schema that the store creates and migrates itself, so several app
// instances on several machines can share mailboxes.
//
// The driver is `pg` (node-postgres): it is the most used PostgreSQL client for Node, kept up to date, with its
// pool, transactions on one client and typed results (@types/pg); its pure JavaScript protocol needs no native
// build. It is an optional peer dependency: only this module (the `ari-voicemail/postgres` entry) imports it.

import { createHash } from 'node:crypto';
import type { Pool, PoolClient, PoolConfig, QueryResultRow } from 'pg';
import pg from 'pg';
import { type MailboxAddress, type MailboxRef, toMailboxAddress, VoicemailInputError } from '../voicemail/ids.js';
import type { CallEntry, SaveOnceResult, TakeChange, TakeEntry, VoicemailJournal } from '../voicemail/journal.js';
import {
  type NotificationJob,
  type NotificationJobChange,
  type NotificationJobStore,
  validateNotificationJob,
  validateNotificationJobId,
} from '../voicemail/notify-jobs.js';
import {
  emptyCounts,
  type Folder,
  type FolderCounts,
  MailboxFullError,
  type MessageChange,
  MessageNotFoundError,
  type MessageStore,
  type VoicemailMessage,
  validateFolder,
  validateMessage,
  validateMessageId,
  validTake,
} from '../voicemail/store.js';

/** Options of {@link PostgresMessageStore}. Give either `pool` or a connection (`connectionString` or `poolConfig`). */
export interface PostgresStoreOptions {
  /** A pool you own (the store never ends it). */
  readonly pool?: Pool;
  /** `postgres://user@host:port/db`: the store makes its own pool and ends it in {@link PostgresMessageStore.close}. */
  readonly connectionString?: string;
  /** The settings of the store's own pool (with or instead of `connectionString`). */
  readonly poolConfig?: PoolConfig;
  /** The schema holding the store's tables, created when missing (default `ari_voicemail`). */
  readonly schema?: string;
  /**
   * Whose journal this instance keeps (default `''`). The journal of takes and calls is keyed by channel id, which is
   * unique on one Asterisk only, and a recovery settles every take it finds whose channel its Asterisk does not
   * have: instances on different Asterisks must keep apart journals. Use the Asterisk's `entity_id` (or a name of
   * the instance); a restarted instance with the same scope recovers what its predecessor left. Messages and
   * notification jobs are shared by every scope.
   */
  readonly journalScope?: string;
  /** Told of an error of an idle connection of the store's own pool (default: ignored; the pool replaces it). */
  readonly onError?: (error: Error) => void;
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The channel every store's change notifications go to (`LISTEN ari_voicemail`): the payload is
 * `<schema> <context> <mailbox>`, sent when a transaction that changed a mailbox's messages commits.
 */
export const CHANGES = 'ari_voicemail';

/** The folders whose messages count against a mailbox's `maxMessages` (as the file store counts them). */
const HELD: readonly Folder[] = ['INBOX', 'Urgent', 'Old'];

/**
 * The schema's migrations, in order: each runs once, in the transaction that records it. `$S` is the quoted schema.
 * Rows keep the whole record as `jsonb` (what a read returns), beside the columns that keys, locks and counts need.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE $S.mailboxes (
    context text NOT NULL,
    mailbox text NOT NULL,
    PRIMARY KEY (context, mailbox)
  );
  CREATE TABLE $S.messages (
    context text NOT NULL,
    mailbox text NOT NULL,
    id text NOT NULL,
    folder text NOT NULL,
    recording_name text NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (context, mailbox, id)
  );
  CREATE TABLE $S.takes (
    scope text NOT NULL,
    recording_name text NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (scope, recording_name)
  );
  CREATE TABLE $S.calls (
    scope text NOT NULL,
    call_id text NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (scope, call_id)
  );
  CREATE TABLE $S.notification_jobs (
    id text PRIMARY KEY,
    data jsonb NOT NULL
  );
  CREATE TABLE $S.settings (
    key text PRIMARY KEY,
    value text NOT NULL
  );
  CREATE FUNCTION $S.message_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP <> 'INSERT' THEN
      PERFORM pg_notify('${CHANGES}', TG_TABLE_SCHEMA || ' ' || OLD.context || ' ' || OLD.mailbox);
    END IF;
    IF TG_OP <> 'DELETE' THEN
      PERFORM pg_notify('${CHANGES}', TG_TABLE_SCHEMA || ' ' || NEW.context || ' ' || NEW.mailbox);
    END IF;
    RETURN NULL;
  END
  $fn$;
  CREATE TRIGGER message_changed AFTER INSERT OR UPDATE OR DELETE ON $S.messages
    FOR EACH ROW EXECUTE FUNCTION $S.message_changed();
  `,
  // Work several instances share (src/postgres/jobs.ts): the uploads of call recordings, keyed by the Asterisk that
  // made them and the file's name, with their bytes (audio does not compress: stored out of line, uncompressed);
  // a notification job's lease, so one instance at a time attempts it.
  `
  CREATE TABLE $S.upload_jobs (
    entity_id text NOT NULL,
    file_name text NOT NULL,
    url text NOT NULL,
    credentialed boolean NOT NULL DEFAULT false,
    content_type text NOT NULL,
    body bytea,
    bytes bigint NOT NULL,
    metadata jsonb NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    due_at timestamptz NOT NULL DEFAULT now(),
    lease_owner text,
    lease_token text,
    lease_until timestamptz,
    status integer,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    done_at timestamptz,
    PRIMARY KEY (entity_id, file_name)
  );
  ALTER TABLE $S.upload_jobs ALTER COLUMN body SET STORAGE EXTERNAL;
  CREATE INDEX upload_jobs_due ON $S.upload_jobs (due_at) WHERE state = 'pending';
  ALTER TABLE $S.notification_jobs ADD COLUMN lease_owner text, ADD COLUMN lease_until timestamptz;
  `,
  // Cluster ownership (src/postgres/cluster.ts): each instance's lease, and which instance owns each call of a
  // journal scope at which epoch. A takeover raises the epoch, so a stale owner's commit finds it changed.
  `
  CREATE TABLE $S.instances (
    id text PRIMARY KEY,
    app text NOT NULL,
    scope text NOT NULL,
    alive boolean NOT NULL DEFAULT true,
    joined_at timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz NOT NULL
  );
  CREATE TABLE $S.call_owners (
    scope text NOT NULL,
    call_id text NOT NULL,
    owner text NOT NULL,
    epoch bigint NOT NULL,
    app text NOT NULL,
    PRIMARY KEY (scope, call_id)
  );
  CREATE INDEX call_owners_owner ON $S.call_owners (owner);
  CREATE INDEX takes_call ON $S.takes (scope, (data->>'callId'));
  `,
];

/** The schema version this library migrates to (the number of its migrations). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** A 64-bit advisory lock key for `name` (signed, as PostgreSQL's bigint). */
export function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

const byReceived = (a: VoicemailMessage, b: VoicemailMessage): number =>
  a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id);

/**
 * A {@link MessageStore} (with the {@link VoicemailJournal} and the {@link NotificationJobStore}) on PostgreSQL.
 * Several instances, in one process or many, may share one database: a save takes a row lock on its mailbox
 * (`SELECT ... FOR UPDATE`), so concurrent saves never exceed `maxMessages`; every other change is one statement or
 * one transaction. The tables live in one schema (`ari_voicemail` by default), created and migrated on first use
 * under an advisory lock, so instances starting together migrate once.
 *
 * ```ts fragment
 * import { PostgresMessageStore } from 'ari-voicemail/postgres';
 * const store = new PostgresMessageStore({ connectionString: process.env.DATABASE_URL });
 * await store.migrate(); // optional: the first call of any method does it
 * ```
 */
export class PostgresMessageStore implements MessageStore, VoicemailJournal, NotificationJobStore {
  /** The pool the store queries through. */
  readonly pool: Pool;
  /** The schema of the store's tables. */
  readonly schema: string;
  private readonly ownsPool: boolean;
  /** The journal scope (see {@link PostgresStoreOptions.journalScope}). */
  readonly journalScope: string;
  private readonly s: string;
  private migrated?: Promise<void>;

  constructor(options: PostgresStoreOptions) {
    if (options === null || typeof options !== 'object')
      throw new VoicemailInputError('options', options, 'an object with pool or connectionString');
    const schema = options.schema ?? 'ari_voicemail';
    if (typeof schema !== 'string' || !SCHEMA_RE.test(schema))
      throw new VoicemailInputError('schema', schema, 'a lower-case SQL identifier (a-z, 0-9, _; at most 63)');
    this.schema = schema;
    this.s = `"${schema}"`;
    const scope = options.journalScope ?? '';
    if (typeof scope !== 'string' || scope.length > 200)
      throw new VoicemailInputError('journalScope', scope, 'a string of at most 200 characters');
    this.journalScope = scope;
    if (options.pool) {
      if (options.connectionString !== undefined || options.poolConfig !== undefined)
        throw new VoicemailInputError('pool', 'pool', 'either a pool or a connection, not both');
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      if (options.connectionString === undefined && options.poolConfig === undefined)
        throw new VoicemailInputError('connectionString', undefined, 'a pool, a connectionString or a poolConfig');
      this.pool = new pg.Pool({ ...options.poolConfig, connectionString: options.connectionString });
      this.pool.on('error', (error) => options.onError?.(error));
      this.ownsPool = true;
    }
  }

  /**
   * Creates the schema and its tables, or brings them up to this version (once per instance; every method waits
   * for it). Instances migrating at once take turns on an advisory lock; each migration runs in one transaction.
   */
  migrate(): Promise<void> {
    this.migrated ??= this.runMigrations().catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  private async runMigrations(): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`ari-voicemail migrate ${this.schema}`)]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.s}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${this.s}.migrations`);
      const done = new Set(rows.map((r) => r.version));
      const newest = Math.max(0, ...done);
      if (newest > MIGRATIONS.length)
        throw new Error(
          `schema ${this.schema} is at version ${newest}, newer than this library's ${MIGRATIONS.length}: upgrade ari-voicemail`,
        );
      for (const [index, sql] of MIGRATIONS.entries()) {
        const version = index + 1;
        if (done.has(version)) continue;
        await client.query(sql.replaceAll('$S', this.s));
        await client.query(`INSERT INTO ${this.s}.migrations (version) VALUES ($1)`, [version]);
      }
    });
  }

  /** The schema version in the database (0 before the first migration). */
  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
      `${this.s}.migrations`,
    ]);
    if (!rows[0]?.t) return 0;
    const versions = await this.pool.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${this.s}.migrations`);
    return versions.rows[0]?.v ?? 0;
  }

  /**
   * Tells `listener` of every mailbox whose messages changed, through any instance on this schema (or any SQL),
   * once the change committed (`LISTEN`/`NOTIFY` on one connection of the pool, held until `stop`). A notification
   * sent while the connection was down is lost: when it comes back the store reconnects and calls `onResync`, so
   * the caller can read everything again. Resolves once listening.
   */
  async watch(
    listener: (address: MailboxAddress) => void,
    options: { onResync?: () => void; onError?: (error: Error) => void; retryMs?: number } = {},
  ): Promise<{ stop(): Promise<void> }> {
    await this.migrate();
    let stopped = false;
    let client: PoolClient | undefined;
    let retry: NodeJS.Timeout | undefined;
    const onNotification = (n: { channel: string; payload?: string }) => {
      if (n.channel !== CHANGES || !n.payload) return;
      const [schema, context, mailbox] = n.payload.split(' ');
      if (schema !== this.schema || !context || !mailbox) return;
      try {
        listener({ context, mailbox });
      } catch (error) {
        options.onError?.(error as Error);
      }
    };
    const listen = async (): Promise<void> => {
      const next = await this.pool.connect();
      next.on('notification', onNotification);
      next.on('error', (error) => {
        options.onError?.(error);
        lost(next, error);
      });
      await next.query(`LISTEN ${CHANGES}`);
      client = next;
    };
    const lost = (gone: PoolClient, error: Error) => {
      if (client !== gone) return;
      client = undefined;
      gone.release(error);
      if (stopped) return;
      const again = () => {
        retry = undefined;
        if (stopped) return;
        listen().then(
          () => options.onResync?.(),
          (e: Error) => {
            options.onError?.(e);
            retry = setTimeout(again, options.retryMs ?? 1000);
          },
        );
      };
      retry = setTimeout(again, options.retryMs ?? 1000);
    };
    await listen();
    return {
      stop: async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        const last = client;
        client = undefined;
        if (!last) return;
        await last.query(`UNLISTEN ${CHANGES}`).catch(() => undefined);
        last.removeListener('notification', onNotification);
        last.release();
      },
    };
  }

  /** Ends the store's own pool (a pool given in the options is left to its owner). */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  private async query<R extends QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    await this.migrate();
    return (await this.pool.query<R>(sql, values)).rows;
  }

  /**
   * Runs `work` in one transaction on one connection of the store's pool (rolled back when it throws), once the
   * schema is migrated: to write a job in the same transaction as what caused it (`PostgresUploadQueue.add`).
   */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.migrate();
    return this.inTransaction(work);
  }

  /** `transaction` without waiting for the migrations: the migrations themselves run in one. */
  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A connection lost while lent out emits `error` on its client (unheard, it would end the process): the
    // statement under way rejects with it anyway.
    const lost = (error: Error) => {
      broken = error;
    };
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is broken: the pool drops it instead of lending it again.
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollback: Error) => rollback,
      );
      throw error;
    } finally {
      client.removeListener('error', lost);
      client.release(broken);
    }
  }

  /** Locks a mailbox's row until the transaction ends (made when missing): saves to one mailbox take turns. */
  private async lockMailbox(client: PoolClient, address: MailboxAddress): Promise<void> {
    await client.query(
      `INSERT INTO ${this.s}.mailboxes (context, mailbox) VALUES ($1, $2) ON CONFLICT (context, mailbox) DO NOTHING`,
      [address.context, address.mailbox],
    );
    await client.query(`SELECT 1 FROM ${this.s}.mailboxes WHERE context = $1 AND mailbox = $2 FOR UPDATE`, [
      address.context,
      address.mailbox,
    ]);
  }

  /** Under the mailbox lock: refuses when `maxMessages` are held already, then inserts. */
  private async insertUnderLimit(
    client: PoolClient,
    message: VoicemailMessage,
    maxMessages: number | undefined,
  ): Promise<void> {
    const address = { mailbox: message.mailbox, context: message.context };
    if (maxMessages !== undefined) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${this.s}.messages WHERE context = $1 AND mailbox = $2 AND folder = ANY($3)`,
        [address.context, address.mailbox, HELD],
      );
      if ((rows[0]?.n ?? 0) >= maxMessages) throw new MailboxFullError(address, maxMessages);
    }
    await client.query(
      `INSERT INTO ${this.s}.messages (context, mailbox, id, folder, recording_name, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [message.context, message.mailbox, message.id, message.folder, message.recordingName, JSON.stringify(message)],
    );
  }

  private async existing(client: PoolClient, message: VoicemailMessage): Promise<VoicemailMessage | undefined> {
    const { rows } = await client.query<{ data: VoicemailMessage }>(
      `SELECT data FROM ${this.s}.messages WHERE context = $1 AND mailbox = $2 AND id = $3`,
      [message.context, message.mailbox, message.id],
    );
    return rows[0]?.data;
  }

  async save(message: VoicemailMessage, options: { maxMessages?: number } = {}): Promise<void> {
    validateMessage(message);
    await this.transaction(async (client) => {
      await this.lockMailbox(client, message);
      if (await this.existing(client, message))
        throw new VoicemailInputError('message id', message.id, 'already used in this mailbox');
      await this.insertUnderLimit(client, message, options.maxMessages);
    });
  }

  /**
   * @see VoicemailJournal.saveOnce
   * With `fence`, it runs first in the save's transaction: throwing refuses the save (the cluster's ownership
   * check, whose row lock holds a takeover back until the save committed).
   */
  async saveOnce(
    message: VoicemailMessage,
    options: { maxMessages?: number; fence?: (client: PoolClient) => Promise<void> } = {},
  ): Promise<SaveOnceResult> {
    validateMessage(message);
    return this.transaction(async (client) => {
      await options.fence?.(client);
      await this.lockMailbox(client, message);
      const same = await this.existing(client, message);
      if (same) {
        if (same.recordingName === message.recordingName) return 'exists';
        throw new VoicemailInputError('message id', message.id, 'already used in this mailbox by another recording');
      }
      await this.insertUnderLimit(client, message, options.maxMessages);
      return 'saved';
    });
  }

  async get(ref: MailboxRef, id: string): Promise<VoicemailMessage | undefined> {
    const address = toMailboxAddress(ref);
    validateMessageId(id);
    const rows = await this.query<{ data: VoicemailMessage }>(
      `SELECT data FROM ${this.s}.messages WHERE context = $1 AND mailbox = $2 AND id = $3`,
      [address.context, address.mailbox, id],
    );
    return rows[0]?.data;
  }

  async list(ref: MailboxRef, folder?: Folder): Promise<VoicemailMessage[]> {
    const address = toMailboxAddress(ref);
    if (folder !== undefined) validateFolder(folder);
    const rows = await this.query<{ data: VoicemailMessage }>(
      `SELECT data FROM ${this.s}.messages WHERE context = $1 AND mailbox = $2 AND ($3::text IS NULL OR folder = $3)`,
      [address.context, address.mailbox, folder ?? null],
    );
    return rows.map((r) => r.data).sort(byReceived);
  }

  async count(ref: MailboxRef): Promise<FolderCounts> {
    const address = toMailboxAddress(ref);
    const rows = await this.query<{ folder: Folder; n: number }>(
      `SELECT folder, count(*)::int AS n FROM ${this.s}.messages WHERE context = $1 AND mailbox = $2 GROUP BY folder`,
      [address.context, address.mailbox],
    );
    const counts = emptyCounts();
    for (const { folder, n } of rows) if (folder in counts) counts[folder] = n;
    return counts;
  }

  async move(ref: MailboxRef, id: string, folder: Folder): Promise<VoicemailMessage> {
    const address = toMailboxAddress(ref);
    validateMessageId(id);
    validateFolder(folder);
    const rows = await this.query<{ data: VoicemailMessage }>(
      `UPDATE ${this.s}.messages SET folder = $4, data = jsonb_set(data, '{folder}', to_jsonb($4::text))
       WHERE context = $1 AND mailbox = $2 AND id = $3 RETURNING data`,
      [address.context, address.mailbox, id, folder],
    );
    if (!rows[0]) throw new MessageNotFoundError(address, id);
    return rows[0].data;
  }

  async update(ref: MailboxRef, id: string, change: MessageChange): Promise<VoicemailMessage> {
    const address = toMailboxAddress(ref);
    validateMessageId(id);
    if (change.urgent !== undefined && typeof change.urgent !== 'boolean')
      throw new VoicemailInputError('urgent', change.urgent, 'not a boolean');
    if (change.transcription !== undefined && typeof change.transcription !== 'string')
      throw new VoicemailInputError('transcription', change.transcription, 'not a string');
    const patch: Record<string, unknown> = {};
    if (change.urgent !== undefined) patch.urgent = change.urgent;
    if (change.transcription !== undefined) patch.transcription = change.transcription;
    const rows = await this.query<{ data: VoicemailMessage }>(
      `UPDATE ${this.s}.messages SET data = data || $4::jsonb
       WHERE context = $1 AND mailbox = $2 AND id = $3 RETURNING data`,
      [address.context, address.mailbox, id, JSON.stringify(patch)],
    );
    if (!rows[0]) throw new MessageNotFoundError(address, id);
    return rows[0].data;
  }

  async delete(ref: MailboxRef, id: string): Promise<void> {
    const address = toMailboxAddress(ref);
    validateMessageId(id);
    const rows = await this.query(
      `DELETE FROM ${this.s}.messages WHERE context = $1 AND mailbox = $2 AND id = $3 RETURNING id`,
      [address.context, address.mailbox, id],
    );
    if (rows.length === 0) throw new MessageNotFoundError(address, id);
  }

  async messageRecordings(): Promise<Set<string>> {
    const rows = await this.query<{ recording_name: string }>(`SELECT recording_name FROM ${this.s}.messages`);
    return new Set(rows.map((r) => r.recording_name));
  }

  // The journal of takes and calls (src/voicemail/journal.ts).

  async putTake(entry: TakeEntry): Promise<void> {
    validTake(entry);
    await this.query(
      `INSERT INTO ${this.s}.takes (scope, recording_name, data) VALUES ($1, $2, $3)
       ON CONFLICT (scope, recording_name) DO UPDATE SET data = EXCLUDED.data`,
      [this.journalScope, entry.recordingName, JSON.stringify(entry)],
    );
  }

  async updateTake(recordingName: string, change: TakeChange): Promise<TakeEntry | undefined> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ data: TakeEntry }>(
        `SELECT data FROM ${this.s}.takes WHERE scope = $1 AND recording_name = $2 FOR UPDATE`,
        [this.journalScope, recordingName],
      );
      if (!rows[0]) return undefined;
      const next = validTake({ ...rows[0].data, ...change });
      await client.query(`UPDATE ${this.s}.takes SET data = $3 WHERE scope = $1 AND recording_name = $2`, [
        this.journalScope,
        recordingName,
        JSON.stringify(next),
      ]);
      return next;
    });
  }

  async forgetTake(recordingName: string): Promise<void> {
    await this.query(`DELETE FROM ${this.s}.takes WHERE scope = $1 AND recording_name = $2`, [
      this.journalScope,
      recordingName,
    ]);
  }

  async takes(): Promise<TakeEntry[]> {
    const rows = await this.query<{ data: TakeEntry }>(`SELECT data FROM ${this.s}.takes WHERE scope = $1`, [
      this.journalScope,
    ]);
    return rows.map((r) => r.data);
  }

  async putCall(entry: CallEntry): Promise<void> {
    if (typeof entry?.callId !== 'string' || entry.callId.length === 0)
      throw new VoicemailInputError('callId', entry?.callId, 'a channel id');
    await this.query(
      `INSERT INTO ${this.s}.calls (scope, call_id, data) VALUES ($1, $2, $3)
       ON CONFLICT (scope, call_id) DO UPDATE SET data = EXCLUDED.data`,
      [this.journalScope, entry.callId, JSON.stringify(entry)],
    );
  }

  async forgetCall(callId: string): Promise<void> {
    await this.query(`DELETE FROM ${this.s}.calls WHERE scope = $1 AND call_id = $2`, [this.journalScope, callId]);
  }

  async calls(): Promise<CallEntry[]> {
    const rows = await this.query<{ data: CallEntry }>(`SELECT data FROM ${this.s}.calls WHERE scope = $1`, [
      this.journalScope,
    ]);
    return rows.map((r) => r.data);
  }

  // Notification jobs (src/voicemail/notify-jobs.ts).

  /** @see NotificationJobStore.createJob */
  async createJob(job: NotificationJob): Promise<boolean> {
    validateNotificationJob(job);
    const rows = await this.query(
      `INSERT INTO ${this.s}.notification_jobs (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [job.id, JSON.stringify(job)],
    );
    return rows.length === 1;
  }

  async getJob(id: string): Promise<NotificationJob | undefined> {
    validateNotificationJobId(id);
    const rows = await this.query<{ data: NotificationJob }>(
      `SELECT data FROM ${this.s}.notification_jobs WHERE id = $1`,
      [id],
    );
    return rows[0]?.data;
  }

  async updateJob(id: string, change: NotificationJobChange): Promise<NotificationJob | undefined> {
    validateNotificationJobId(id);
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ data: NotificationJob }>(
        `SELECT data FROM ${this.s}.notification_jobs WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!rows[0]) return undefined;
      const next = validateNotificationJob({ ...rows[0].data, ...change });
      // The worker's news of its attempt ends its lease.
      await client.query(
        `UPDATE ${this.s}.notification_jobs SET data = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1`,
        [id, JSON.stringify(next)],
      );
      return next;
    });
  }

  /**
   * @see NotificationJobStore.claimJob: a row another instance is claiming is skipped (`SKIP LOCKED`), not waited
   * for; the lease runs on the database's clock.
   */
  async claimJob(
    id: string,
    claim: { worker: string; leaseMs: number; now: Date },
  ): Promise<NotificationJob | undefined> {
    validateNotificationJobId(id);
    const rows = await this.query<{ data: NotificationJob }>(
      `UPDATE ${this.s}.notification_jobs SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond'
       WHERE id = (SELECT id FROM ${this.s}.notification_jobs
                   WHERE id = $1 AND data->>'state' = 'pending' AND (data->>'dueAt')::timestamptz <= $4::timestamptz
                     AND (lease_until IS NULL OR lease_until < now())
                   FOR UPDATE SKIP LOCKED)
       RETURNING data`,
      [id, claim.worker, claim.leaseMs, claim.now.toISOString()],
    );
    return rows[0]?.data;
  }

  async jobs(): Promise<NotificationJob[]> {
    const rows = await this.query<{ data: NotificationJob }>(`SELECT data FROM ${this.s}.notification_jobs`);
    return rows.map((r) => r.data).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async forgetJob(id: string): Promise<void> {
    validateNotificationJobId(id);
    await this.query(`DELETE FROM ${this.s}.notification_jobs WHERE id = $1`, [id]);
  }

  /** @see NotificationJobStore.notifySince (the first instance to ask sets it, for every instance) */
  async notifySince(now: Date): Promise<Date> {
    // The insert and the read share one snapshot: when another instance's insert commits in between, neither
    // returns a row, and the next round reads it.
    for (;;) {
      const rows = await this.query<{ value: string }>(
        `WITH ins AS (
           INSERT INTO ${this.s}.settings (key, value) VALUES ('notify_since', $1)
           ON CONFLICT (key) DO NOTHING RETURNING value)
         SELECT value FROM ins UNION ALL SELECT value FROM ${this.s}.settings WHERE key = 'notify_since'`,
        [now.toISOString()],
      );
      if (rows[0]) return new Date(rows[0].value);
    }
  }
}
