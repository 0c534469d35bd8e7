// Message-waiting lamps across instances: the counts of each mailbox that changed, whichever instance changed it,
// read from the shared store and published to the Asterisk. `publishMwiOnChanges` publishes from every instance;
// `publishMwiElected` from one elected instance per Asterisk (a PostgreSQL advisory lock), the others standing by.

import type { PoolClient } from 'pg';
import type { AriResources } from '../ari/operations.js';
import { type MailboxAddress, mailboxName } from '../voicemail/ids.js';
import type { MailboxDirectory } from '../voicemail/mailbox.js';
import { MWI_REFRESH_INTERVAL_MS, publishMwi } from '../voicemail/mwi.js';
import { lockKey, type PostgresMessageStore } from './store.js';

/** Options of {@link publishMwiOnChanges}. */
export interface MwiOnChangesOptions {
  readonly store: PostgresMessageStore;
  /** The ARI client of this instance's Asterisk. */
  readonly client: Pick<AriResources, 'mailboxes'>;
  /** Every mailbox of it: published at start and after the change feed was lost and came back (and every `sweepMs`). */
  readonly directory?: Pick<MailboxDirectory, 'list'>;
  /** Publishes every mailbox of `directory` again this often, in ms (default: never). */
  readonly sweepMs?: number;
  /** Told when a mailbox could not be published (it is published again on its next change or sweep). */
  readonly onError?: (error: unknown, mailbox?: string) => void;
}

/**
 * Keeps this Asterisk's lamps equal to the shared store: listens to the store's changes and publishes the counts
 * of each changed mailbox (changes to one mailbox are published one after another, the last always read after the
 * last change). Resolves once listening and once every mailbox of `directory` was published.
 */
export async function publishMwiOnChanges(options: MwiOnChangesOptions): Promise<{ stop(): Promise<void> }> {
  const { store, client } = options;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const publish = (address: MailboxAddress): Promise<void> => {
    const key = mailboxName(address);
    const current = running.get(key);
    if (current) {
      again.add(key); // changed while being published: once more when that ends
      return current;
    }
    const work = (async () => {
      do {
        again.delete(key);
        try {
          await publishMwi(client, store, address);
        } catch (error) {
          options.onError?.(error, key);
        }
      } while (again.has(key));
      running.delete(key);
    })();
    running.set(key, work);
    return work;
  };
  const sweep = async (): Promise<void> => {
    if (!options.directory) return;
    try {
      await Promise.all((await options.directory.list()).map((box) => publish(box)));
    } catch (error) {
      options.onError?.(error);
    }
  };
  const watching = await store.watch((address) => void publish(address), {
    onResync: () => void sweep(),
    onError: (error) => options.onError?.(error),
  });
  await sweep();
  const timer = options.sweepMs ? setInterval(() => void sweep(), options.sweepMs) : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await watching.stop();
      await Promise.all(running.values());
    },
  };
}

/**
 * Options of {@link publishMwiElected}: those of {@link publishMwiOnChanges}, whose `sweepMs` defaults here to
 * 60,000 (the leader publishes every mailbox of `directory` that often, so a lamp a lost notification left wrong is
 * right again within it), and the election's.
 */
export interface MwiElectedOptions extends MwiOnChangesOptions {
  /** The ARI client of this instance's Asterisk: its `asterisk` resource gives the entity id when none is given. */
  readonly client: Pick<AriResources, 'mailboxes' | 'asterisk'>;
  /**
   * The Asterisk's `entity_id` (`GET /asterisk/info`'s `system.entity_id`): the instances with the same one elect
   * one publisher. Default: read from the client at start.
   */
  readonly asteriskId?: string;
  /**
   * How often, in ms, a standby tries to take the lead and the leader checks that its lock's connection is alive.
   * Default 1000. A dead leader's lock is free as soon as PostgreSQL ends its session, and a standby that takes it
   * publishes every mailbox of `directory` at once: a change made meanwhile is on the lamp within `retryMs` plus one
   * sweep (see docs/cluster.md).
   */
  readonly retryMs?: number;
  /** Told when this instance becomes the publisher (`true`) or stops being it (`false`). */
  readonly onLeader?: (leading: boolean) => void;
}

/** A running election: {@link publishMwiElected}. */
export interface MwiElected {
  /** Whether this instance is its Asterisk's publisher now. */
  leading(): boolean;
  /** The advisory lock's key (a bigint as text), the same on every instance of this schema and Asterisk. */
  readonly lockKey: string;
  /** Gives the lead up (the lock goes with its connection) and stops publishing. */
  stop(): Promise<void>;
}

/** The advisory lock key of the MWI publisher of `asteriskId` on the store's schema. */
export function mwiLockKey(store: Pick<PostgresMessageStore, 'schema'>, asteriskId: string): string {
  return lockKey(`ari-voicemail mwi ${store.schema} ${asteriskId}`);
}

/**
 * Like {@link publishMwiOnChanges}, but only one instance per Asterisk publishes: the one holding a PostgreSQL
 * session advisory lock keyed by the Asterisk's entity id, on a connection of its own. The others stand by and try
 * the lock every `retryMs`; when the leader's connection dies, PostgreSQL frees the lock, a standby takes it and
 * starts with a publish of every mailbox (so the changes made in between are on the lamps), then follows the
 * change feed and its sweep. A leader whose lock connection fails or stops answering steps down at once. Resolves
 * once this instance is either leading or standing by.
 */
export async function publishMwiElected(options: MwiElectedOptions): Promise<MwiElected> {
  const { store, client } = options;
  const retryMs = options.retryMs ?? 1000;
  if (!Number.isFinite(retryMs) || retryMs <= 0) {
    throw new RangeError(`publishMwiElected: retryMs must be a positive number of ms, got ${String(retryMs)}`);
  }
  const asteriskId = options.asteriskId ?? (await client.asterisk.getInfo()).system?.entity_id;
  if (typeof asteriskId !== 'string' || asteriskId === '') {
    throw new Error('publishMwiElected: no asteriskId given and the Asterisk reported no entity_id');
  }
  await store.migrate();
  const key = mwiLockKey(store, asteriskId);
  let stopped = false;
  let lock: PoolClient | undefined;
  let publisher: { stop(): Promise<void> } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let turn = Promise.resolve();

  const tell = (leading: boolean): void => {
    try {
      options.onLeader?.(leading);
    } catch (error) {
      options.onError?.(error);
    }
  };
  /** The lock's connection is gone or failing: drop it (its session, and so the lock, with it) and stop publishing. */
  const stepDown = async (gone: PoolClient, error?: unknown): Promise<void> => {
    if (lock !== gone) return;
    lock = undefined;
    gone.release(error instanceof Error ? error : true);
    const was = publisher;
    publisher = undefined;
    if (was) {
      tell(false);
      await was.stop().catch((e: unknown) => options.onError?.(e));
    }
  };
  /** A standby tries the lock; the leader checks its connection (a check left unanswered for `retryMs` fails). */
  const step = async (): Promise<void> => {
    if (stopped) return;
    if (!lock) {
      const next = await store.pool.connect();
      next.on('error', (error) => {
        options.onError?.(error);
        turn = turn.then(() => stepDown(next, error));
      });
      lock = next;
    }
    const held = lock;
    if (publisher) {
      await within(held.query('SELECT 1'), retryMs);
      return;
    }
    const { rows } = await within(held.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]), retryMs);
    if (!rows[0]?.ok || stopped || lock !== held) return;
    publisher = await publishMwiOnChanges({ ...options, sweepMs: options.sweepMs ?? MWI_REFRESH_INTERVAL_MS });
    tell(true);
  };
  const run = (): Promise<void> => {
    turn = turn
      .then(step)
      .catch(async (error: unknown) => {
        options.onError?.(error);
        if (lock) await stepDown(lock, error);
      })
      .then(() => {
        if (!stopped) {
          timer = setTimeout(run, retryMs);
          timer.unref?.();
        }
      });
    return turn;
  };
  await run();
  return {
    leading: () => publisher !== undefined,
    lockKey: key,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await turn;
      if (lock) await stepDown(lock);
    },
  };
}

/** `work`, or a rejection once `ms` passed without its answer. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`PostgreSQL did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
