import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresMessageStore } from '../../src/postgres/index.js';
import { SCHEMA_VERSION } from '../../src/postgres/store.js';
import { VoicemailInputError } from '../../src/voicemail/ids.js';
import { notificationJobId } from '../../src/voicemail/notify-jobs.js';
import { MailboxFullError } from '../../src/voicemail/store.js';
import { postgresUrl } from '../helpers/missing.js';
import { dropSchema, freshSchema, postgresBackend } from '../helpers/postgres.js';
import { box, message, storeContract } from '../helpers/store-contract.js';

const url = postgresUrl('the PostgreSQL message store');

describe.skipIf(!url)('PostgresMessageStore', () => {
  // What every store does (test/helpers/store-contract.ts), on PostgreSQL: each test on a schema of its own.
  storeContract('PostgresMessageStore', async () => postgresBackend(url!));

  /** Runs `work` with a new backend, then removes it. */
  async function withBackend(work: (backend: ReturnType<typeof postgresBackend>) => Promise<void>): Promise<void> {
    const backend = postgresBackend(url!);
    try {
      await work(backend);
    } finally {
      await backend.done();
    }
  }

  describe('several instances on one database', () => {
    it('two instances saving to a mailbox with room for one: exactly one wins, every time', async () => {
      await withBackend(async (backend) => {
        const [a, b] = [backend.open(), backend.open()];
        await Promise.all([a.migrate(), b.migrate()]);
        for (let round = 0; round < 30; round++) {
          const mailbox = String(400 + round);
          const results = await Promise.allSettled([
            a.save(message(`a${round}`, { mailbox, recordingName: `voicemail/default/${mailbox}/a` }), {
              maxMessages: 1,
            }),
            b.save(message(`b${round}`, { mailbox, recordingName: `voicemail/default/${mailbox}/b` }), {
              maxMessages: 1,
            }),
          ]);
          const won = results.filter((r) => r.status === 'fulfilled');
          const full = results.filter((r) => r.status === 'rejected' && r.reason instanceof MailboxFullError);
          expect([won.length, full.length], `round ${round}`).toEqual([1, 1]);
          const kept = await a.list({ mailbox, context: 'default' });
          expect(kept.map((m) => m.id)).toEqual([results[0]!.status === 'fulfilled' ? `a${round}` : `b${round}`]);
        }
      });
    });

    it('four instances, ten saves each, to a mailbox of five: five messages, 35 refused', async () => {
      await withBackend(async (backend) => {
        const stores = [0, 1, 2, 3].map(() => backend.open());
        const results = await Promise.allSettled(
          stores.flatMap((s, i) =>
            Array.from({ length: 10 }, (_, j) => s.saveOnce(message(`m${i}x${j}`), { maxMessages: 5 })),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled' && r.value === 'saved')).toHaveLength(5);
        expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof MailboxFullError)).toHaveLength(35);
        expect(await backend.open().count(box)).toMatchObject({ INBOX: 5 });
      });
    });

    it('the same message saved once by two instances at once is one message', async () => {
      await withBackend(async (backend) => {
        const [a, b] = [backend.open(), backend.open()];
        for (let round = 0; round < 10; round++) {
          const results = await Promise.all([a.saveOnce(message(`m${round}`)), b.saveOnce(message(`m${round}`))]);
          expect(results.sort()).toEqual(['exists', 'saved']);
        }
        expect(await a.list(box)).toHaveLength(10);
      });
    });

    it('a notification job raced for by two instances is created once', async () => {
      await withBackend(async (backend) => {
        const [a, b] = [backend.open(), backend.open()];
        const job = {
          id: notificationJobId('webhook', box, 'm1'),
          kind: 'webhook' as const,
          mailbox: '305',
          context: 'default',
          messageId: 'm1',
          state: 'pending' as const,
          attempts: 0,
          createdAt: '2025-01-02T03:04:05.000Z',
          dueAt: '2025-01-02T03:04:05.000Z',
        };
        const created = await Promise.all([a.createJob(job), b.createJob(job), a.createJob(job), b.createJob(job)]);
        expect(created.filter(Boolean)).toHaveLength(1);
        expect(await b.jobs()).toEqual([job]);
      });
    });

    it('notifySince raced for by fresh instances is one time for all', async () => {
      await withBackend(async (backend) => {
        const stores = [0, 1, 2, 3].map(() => backend.open());
        const times = await Promise.all(stores.map((s, i) => s.notifySince(new Date(Date.UTC(2025, 0, 1, 0, 0, i)))));
        expect(new Set(times.map((t) => t.toISOString())).size).toBe(1);
      });
    });
  });

  describe('its schema', () => {
    it('is created once when several instances start together (they take turns on an advisory lock)', async () => {
      await withBackend(async (backend) => {
        const stores = [0, 1, 2, 3, 4, 5].map(() => backend.open());
        await Promise.all(stores.map((s) => s.migrate()));
        expect(await Promise.all(stores.map((s) => s.schemaVersion()))).toEqual(Array(6).fill(SCHEMA_VERSION));
        const { rows } = await stores[0]!.pool.query(`SELECT version FROM "${backend.schema}".migrations`);
        expect(rows).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
        // A later instance finds it done and changes nothing.
        await backend.open().save(message('m1'));
        expect((await stores[5]!.list(box)).map((m) => m.id)).toEqual(['m1']);
      });
    });

    it('is made on first use, in the schema named; a schema newer than the library is refused with a clear error', async () => {
      await withBackend(async (backend) => {
        const store = backend.open();
        expect(await store.schemaVersion()).toBe(0);
        expect(await store.count(box)).toMatchObject({ INBOX: 0 });
        expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
        await store.pool.query(`INSERT INTO "${backend.schema}".migrations (version) VALUES (99)`);
        await expect(backend.open().list(box)).rejects.toThrow(
          `version 99, newer than this library's ${SCHEMA_VERSION}`,
        );
      });
    });

    it('keeps two schemas apart on one database', async () => {
      await withBackend(async (one) => {
        await withBackend(async (two) => {
          await one.open().save(message('m1'));
          expect(await two.open().list(box)).toEqual([]);
          expect(await one.open().list(box)).toEqual([message('m1')]);
        });
      });
    });
  });

  describe('its connection', () => {
    it('uses a pool you give it and leaves it open at close', async () => {
      const schema = freshSchema();
      const pool = new pg.Pool({ connectionString: url!, max: 2 });
      try {
        const store = new PostgresMessageStore({ pool, schema });
        await store.save(message('m1'));
        await store.close();
        expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
        expect(await new PostgresMessageStore({ pool, schema }).get(box, 'm1')).toEqual(message('m1'));
      } finally {
        await pool.end();
        await dropSchema(url!, schema);
      }
    });

    it('refuses a malformed schema name and a pool given with a connection string', () => {
      for (const schema of ['', 'Bad', 'a-b', 'x; DROP TABLE y', 'a'.repeat(64)]) {
        expect(() => new PostgresMessageStore({ connectionString: url!, schema })).toThrow(VoicemailInputError);
      }
      const pool = new pg.Pool({ connectionString: url! });
      expect(() => new PostgresMessageStore({ pool, connectionString: url! })).toThrow(/either a pool/);
      expect(() => new PostgresMessageStore({})).toThrow(VoicemailInputError);
      void pool.end();
    });

    it('a save whose connection is cut while it waits for the mailbox lock saves nothing; the next one works', async () => {
      await withBackend(async (backend) => {
        const store = backend.open();
        await store.save(message('m0'));
        // Another session holds the mailbox's lock, so the save waits inside its transaction.
        const holder = new pg.Client({ connectionString: url! });
        await holder.connect();
        // Looked for from a session of its own: inside a transaction pg_stat_activity does not change.
        const admin = new pg.Client({ connectionString: url! });
        await admin.connect();
        try {
          await holder.query('BEGIN');
          await holder.query(`SELECT 1 FROM "${backend.schema}".mailboxes WHERE mailbox = '305' FOR UPDATE`);
          const saving = store.save(message('m1'), { maxMessages: 5 });
          saving.catch(() => undefined);
          // The save's session, waiting for the lock on this schema's mailbox (other tests run beside this one).
          let waiting: number | undefined;
          for (const deadline = Date.now() + 20_000; !waiting && Date.now() < deadline; ) {
            const { rows } = await admin.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 IN query) > 0`,
              [`"${backend.schema}".mailboxes`],
            );
            waiting = rows[0]?.pid;
            if (!waiting) await new Promise((resolve) => setTimeout(resolve, 10));
          }
          expect(waiting).toBeDefined();
          await admin.query('SELECT pg_terminate_backend($1)', [waiting]);
          await expect(saving).rejects.toThrow();
          await holder.query('COMMIT');
        } finally {
          await holder.end();
          await admin.end();
        }
        expect((await store.list(box)).map((m) => m.id)).toEqual(['m0']);
        await store.save(message('m2'), { maxMessages: 5 });
        expect((await store.list(box)).map((m) => m.id)).toEqual(['m0', 'm2']);
      });
    });

    it('rejects each call, at once, when the server cannot be reached', async () => {
      // Port 1 on loopback: nothing listens there, so the connection is refused at once.
      const schema = freshSchema();
      const store = new PostgresMessageStore({
        poolConfig: { host: '127.0.0.1', port: 1, user: 'postgres', database: 'ari_voicemail' },
        schema,
      });
      await expect(store.save(message('m1'))).rejects.toThrow(/ECONNREFUSED|connect/);
      await expect(store.list(box)).rejects.toThrow(/ECONNREFUSED|connect/);
      await store.close();
    });
  });
});
