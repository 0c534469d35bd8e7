// Call ownership across app instances on PostgreSQL. Each instance holds a lease (a row it renews every heartbeat);
// each call of a journal scope (one Asterisk) has one owner and an epoch. Every journal write and the commit of a
// message check, in their own transaction, that this instance still owns the call at the epoch it knows, so a stale
// owner can never commit. An instance that cannot renew stops sending REST requests at half its lease, and one
// whose lease was taken over stops for good. A survivor declares an expired instance dead, claims its calls (epoch
// + 1, `FOR UPDATE SKIP LOCKED`, so several survivors share them), subscribes its own app to their channels and lets
// the runtime's resync carry them on: the recovery settles or resumes each call from the journal it now owns.
//
// Why a subscription and not `POST /channels/{id}/move`: on Asterisk 22 a move is a command of the channel's own
// control queue, so it waits behind the take being recorded (the new app's StasisStart comes only once the
// recording stopped), and the old app's RecordingFinished is lost with the old app. A subscription delivers the
// channel's events (the recording's end, playbacks, DTMF, hang-up) at once; REST works on any channel in Stasis.
// The channel stays in the dead app's Stasis (no StasisEnd reaches the subscriber), so the runtime is told which
// channels it serves (`adoptable`), and a resumed call ends on its own final state or on ChannelDestroyed.

import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { isAriError } from '../ari/errors.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import type { Channel } from '../ari/models.js';
import type { CallOptions } from '../ari/operation-spec.js';
import type { CallLifecycleEvent, RuntimeClient, StasisApp } from '../runtime/app.js';
import { stasisArgs } from '../runtime/app.js';
import { broadcastArgs } from '../runtime/broadcast.js';
import { VoicemailInputError } from '../voicemail/ids.js';
import type { CallEntry, JournaledStore, SaveOnceResult, TakeChange, TakeEntry } from '../voicemail/journal.js';
import type { Folder, MessageChange, VoicemailMessage } from '../voicemail/store.js';
import { validTake } from '../voicemail/store.js';
import type { PostgresMessageStore } from './store.js';

/** A journal write, a commit or a REST request refused because this instance does not own the call (any more). */
export class CallFencedError extends Error {
  readonly code = 'CALL_FENCED';
  /** The call, when the refusal is about one. */
  readonly callId: string | undefined;
  constructor(callId: string | undefined, message: string) {
    super(message);
    this.name = 'CallFencedError';
    this.callId = callId;
  }
}

/** Options of {@link joinCluster}. */
export interface ClusterMemberOptions {
  /**
   * The shared store. Its `journalScope` names the Asterisk (its `entity_id`): every instance on one Asterisk uses
   * the same scope, and takes over only calls of its own scope (a channel can be taken over on its Asterisk only).
   */
  readonly store: PostgresMessageStore;
  /** This instance's client to that Asterisk. */
  readonly client: RuntimeClient;
  /** This instance's own Stasis app (one WebSocket per app name: instances never share one). */
  readonly app: string;
  /** The instance's id, unique per process (default `<app>-<random>`): a restarted process is a new instance. */
  readonly instance?: string;
  /** How long a lease lasts without renewal, in ms (default 10_000). Survivors take over after it. */
  readonly ttlMs?: number;
  /** How often the lease is renewed and dead instances looked for, in ms (default ttlMs / 5). */
  readonly heartbeatMs?: number;
  /** At most this many calls are claimed per heartbeat (default 100). */
  readonly claimBatch?: number;
  readonly logger?: Logger;
  /** Told once when this instance learnt it was declared dead (its calls are another's): it stopped for good. */
  readonly onFenced?: (reason: string) => void;
  /** Told of each takeover this instance made. */
  readonly onTakeover?: (report: TakeoverReport) => void;
}

/** One takeover: the calls claimed from dead instances. */
export interface TakeoverReport {
  /** Instances this one declared dead (their lease had expired). */
  readonly dead: string[];
  /** Calls claimed, with their new epoch and the app they were in. */
  readonly claimed: Array<{ readonly callId: string; readonly epoch: number; readonly from: string }>;
  /** Of those, the channels this instance's app subscribed to (still on Asterisk). */
  readonly subscribed: string[];
  /** Of those, the channels Asterisk no longer has (their journal is settled by the recovery). */
  readonly gone: string[];
}

/** One app instance of a cluster: see {@link joinCluster}. */
export interface ClusterMember {
  readonly instance: string;
  readonly app: string;
  /** The store to give `createVoicemailCalls`: shared messages, and the journal of the calls this instance owns. */
  readonly store: JournaledStore;
  /** The client to give `createStasisApp`: refuses every request (CallFencedError) while the lease is not held. */
  readonly client: RuntimeClient;
  /** For `createStasisApp({ adoptable })`: the channels this instance took over, with their Stasis arguments. */
  readonly adoptable: (channel: Channel) => readonly string[] | undefined;
  /** For `createStasisApp({ onCallEvent })` (call it from yours when you have one): calls are owned as they start. */
  readonly onCallEvent: (event: CallLifecycleEvent) => void;
  /** The runtime this instance carries taken-over calls on with (its `resync()`); stopped when fenced. */
  attach(app: StasisApp): void;
  /** Whether this instance may act now: its lease renewed less than half a TTL ago, and never taken over. */
  mayAct(): boolean;
  /** Whether this instance was declared dead (for good). */
  readonly fenced: boolean;
  /** The calls this instance owns, with their epochs. */
  owned(): ReadonlyMap<string, number>;
  /** Renews the lease and takes over what expired, now (the heartbeat does it every `heartbeatMs`). */
  beat(): Promise<void>;
  /** Stops the heartbeat and gives the lease up: the calls still owned are taken over by the others at once. */
  leave(): Promise<void>;
  /** Counts: REST requests refused by the fence, calls claimed. */
  stats(): { refused: number; claimed: number };
}

const INSTANCE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

/**
 * Joins the cluster of instances sharing `store`: writes this instance's lease, starts its heartbeat, and gives
 * the store view, client and runtime options that make its calls owned, fenced and taken over.
 *
 * ```ts fragment
 * const member = await joinCluster({ store, client, app: 'vm-1' });
 * const app = createStasisApp({
 *   client: member.client,
 *   app: 'vm-1',
 *   adoptable: member.adoptable,
 *   onCallEvent: member.onCallEvent,
 *   createCall: createVoicemailCalls({ directory, store: member.store }),
 * });
 * member.attach(app);
 * await app.start();
 * ```
 */
export async function joinCluster(options: ClusterMemberOptions): Promise<ClusterMember> {
  const { store, app } = options;
  if (typeof app !== 'string' || app.length === 0 || app.includes(','))
    throw new VoicemailInputError('app', app, 'a Stasis application name without commas');
  const instance = options.instance ?? `${app}-${randomBytes(4).toString('hex')}`;
  if (typeof instance !== 'string' || !INSTANCE_RE.test(instance))
    throw new VoicemailInputError('instance', instance, 'letters, digits, _ . : - (at most 200)');
  const ttlMs = options.ttlMs ?? 10_000;
  if (!Number.isInteger(ttlMs) || ttlMs < 100) throw new VoicemailInputError('ttlMs', ttlMs, 'an integer >= 100');
  const heartbeatMs = options.heartbeatMs ?? Math.round(ttlMs / 5);
  if (!Number.isInteger(heartbeatMs) || heartbeatMs <= 0 || heartbeatMs >= ttlMs / 2)
    throw new VoicemailInputError('heartbeatMs', heartbeatMs, 'a positive integer below ttlMs / 2');
  const batch = options.claimBatch ?? 100;
  const logger = options.logger ?? silentLogger;
  const scope = store.journalScope;
  const s = `"${store.schema}"`;
  await store.migrate();

  let fenced = false;
  let validUntil = 0;
  let attached: StasisApp | undefined;
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<boolean> | undefined;
  let sweeping: Promise<void> | undefined;
  let refused = 0;
  let claimedCount = 0;
  /** Calls owned, with the epoch this instance owns them at. */
  const epochs = new Map<string, number>();
  /** Ownerships being written (a call's first journal write waits for it). */
  const owning = new Map<string, Promise<number | undefined>>();
  /** Calls with a live actor here (their rows are kept even with an empty journal). */
  const active = new Set<string>();
  /** Channels taken over from another app: the app they are in. */
  const takenOver = new Map<string, string>();

  const mayAct = (): boolean => !fenced && performance.now() < validUntil;

  {
    const sent = performance.now();
    await store.pool.query(
      `INSERT INTO ${s}.instances (id, app, scope, lease_until) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')`,
      [instance, app, scope, ttlMs],
    );
    validUntil = sent + ttlMs / 2;
  }

  function fence(reason: string): void {
    if (fenced) return;
    fenced = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    logger.warn('cluster: this instance was taken over; it stops acting', { instance, reason });
    // Its actors stop without a request: every call it had is another instance's now.
    void attached?.stop().catch((error: unknown) => logger.error('cluster: the app could not stop', { error }));
    try {
      options.onFenced?.(reason);
    } catch (error) {
      logger.error('cluster onFenced listener threw', { error });
    }
  }

  /** Owns `callId` (epoch 1) unless it is owned already; its epoch when this instance owns it. */
  async function own(db: Pick<PoolClient, 'query'>, callId: string): Promise<number | undefined> {
    const inserted = await db.query<{ epoch: string }>(
      `INSERT INTO ${s}.call_owners (scope, call_id, owner, epoch, app)
       SELECT $1, $2, $3, 1, $4 WHERE EXISTS (SELECT 1 FROM ${s}.instances WHERE id = $3 AND alive)
       ON CONFLICT (scope, call_id) DO NOTHING RETURNING epoch`,
      [scope, callId, instance, app],
    );
    if (inserted.rows[0]) {
      epochs.set(callId, Number(inserted.rows[0].epoch));
      return 1;
    }
    const { rows } = await db.query<{ owner: string; epoch: string }>(
      `SELECT owner, epoch FROM ${s}.call_owners WHERE scope = $1 AND call_id = $2`,
      [scope, callId],
    );
    const row = rows[0];
    if (row?.owner === instance) {
      epochs.set(callId, Number(row.epoch));
      return Number(row.epoch);
    }
    logger.warn('cluster: a call of this app is owned by another instance', { callId, owner: row?.owner });
    return undefined;
  }

  /** Owns a call as its actor starts (its first journal write waits for it). */
  function ownAtStart(callId: string): void {
    if (epochs.has(callId) || owning.has(callId)) return;
    const pending = own(store.pool, callId).finally(() => owning.delete(callId));
    owning.set(callId, pending);
    pending.catch((error: unknown) => logger.warn('cluster: a call could not be owned', { callId, error }));
  }

  /** In a write's transaction: this instance still owns `callId` at its epoch (the row stays locked till commit). */
  async function check(client: PoolClient, callId: string): Promise<void> {
    if (!mayAct()) throw new CallFencedError(callId, `instance ${instance} does not hold its lease`);
    await owning.get(callId)?.catch(() => undefined);
    const known = epochs.get(callId);
    const { rows } = await client.query<{ owner: string; epoch: string }>(
      `SELECT owner, epoch FROM ${s}.call_owners WHERE scope = $1 AND call_id = $2 FOR SHARE`,
      [scope, callId],
    );
    const row = rows[0];
    if (row === undefined) {
      // Never owned (or its ownership was rolled back with a failed write): owned in this write's own
      // transaction, so no release comes in between.
      if ((await own(client, callId)) === undefined)
        throw new CallFencedError(callId, `the call ${callId} is owned by another instance`);
      return;
    }
    if (row.owner === instance && (known === undefined || Number(row.epoch) === known)) {
      epochs.set(callId, Number(row.epoch));
      return;
    }
    if (known === undefined) throw new CallFencedError(callId, `the call ${callId} is owned by ${row.owner}`);
    epochs.delete(callId);
    // Only a takeover moves a call this instance owned: it was declared dead.
    fence(`the call ${callId} was taken over`);
    throw new CallFencedError(callId, `the call ${callId} was taken over (epoch ${known} is stale)`);
  }

  async function takeCallOf(client: PoolClient, recordingName: string): Promise<TakeEntry | undefined> {
    const { rows } = await client.query<{ data: TakeEntry }>(
      `SELECT data FROM ${s}.takes WHERE scope = $1 AND recording_name = $2 FOR UPDATE`,
      [scope, recordingName],
    );
    return rows[0]?.data;
  }

  const view: JournaledStore = {
    save: (message, o) => store.save(message, o),
    get: (address, id) => store.get(address, id),
    list: (address, folder?: Folder) => store.list(address, folder),
    count: (address) => store.count(address),
    move: (address, id, folder) => store.move(address, id, folder),
    delete: (address, id) => store.delete(address, id),
    update: (address, id, change: MessageChange) => store.update(address, id, change),
    messageRecordings: () => store.messageRecordings(),
    async saveOnce(message: VoicemailMessage, o: { maxMessages?: number } = {}): Promise<SaveOnceResult> {
      return store.saveOnce(message, {
        ...o,
        fence: async (client) => {
          const take = await takeCallOf(client, message.recordingName);
          if (!take) throw new CallFencedError(undefined, `no take ${message.recordingName} in this journal`);
          await check(client, take.callId);
        },
      });
    },
    async putTake(entry: TakeEntry): Promise<void> {
      validTake(entry);
      await store.transaction(async (client) => {
        await check(client, entry.callId);
        await client.query(
          `INSERT INTO ${s}.takes (scope, recording_name, data) VALUES ($1, $2, $3)
           ON CONFLICT (scope, recording_name) DO UPDATE SET data = EXCLUDED.data`,
          [scope, entry.recordingName, JSON.stringify(entry)],
        );
      });
    },
    async updateTake(recordingName: string, change: TakeChange): Promise<TakeEntry | undefined> {
      return store.transaction(async (client) => {
        const take = await takeCallOf(client, recordingName);
        if (!take) return undefined;
        await check(client, take.callId);
        const next = validTake({ ...take, ...change });
        await client.query(`UPDATE ${s}.takes SET data = $3 WHERE scope = $1 AND recording_name = $2`, [
          scope,
          recordingName,
          JSON.stringify(next),
        ]);
        return next;
      });
    },
    async forgetTake(recordingName: string): Promise<void> {
      await store.transaction(async (client) => {
        const take = await takeCallOf(client, recordingName);
        if (!take) return;
        await check(client, take.callId);
        await client.query(`DELETE FROM ${s}.takes WHERE scope = $1 AND recording_name = $2`, [scope, recordingName]);
      });
    },
    async takes(): Promise<TakeEntry[]> {
      const { rows } = await store.pool.query<{ data: TakeEntry }>(
        `SELECT t.data FROM ${s}.takes t JOIN ${s}.call_owners o ON o.scope = t.scope AND o.call_id = t.data->>'callId'
         WHERE t.scope = $1 AND o.owner = $2`,
        [scope, instance],
      );
      return rows.map((r) => r.data);
    },
    async putCall(entry: CallEntry): Promise<void> {
      if (typeof entry?.callId !== 'string' || entry.callId.length === 0)
        throw new VoicemailInputError('callId', entry?.callId, 'a channel id');
      await store.transaction(async (client) => {
        await check(client, entry.callId);
        await client.query(
          `INSERT INTO ${s}.calls (scope, call_id, data) VALUES ($1, $2, $3)
           ON CONFLICT (scope, call_id) DO UPDATE SET data = EXCLUDED.data`,
          [scope, entry.callId, JSON.stringify(entry)],
        );
      });
    },
    async forgetCall(callId: string): Promise<void> {
      await store.transaction(async (client) => {
        await check(client, callId);
        await client.query(`DELETE FROM ${s}.calls WHERE scope = $1 AND call_id = $2`, [scope, callId]);
      });
    },
    async calls(): Promise<CallEntry[]> {
      const { rows } = await store.pool.query<{ data: CallEntry }>(
        `SELECT c.data FROM ${s}.calls c JOIN ${s}.call_owners o ON o.scope = c.scope AND o.call_id = c.call_id
         WHERE c.scope = $1 AND o.owner = $2`,
        [scope, instance],
      );
      return rows.map((r) => r.data);
    },
  };

  const refusal = (): CallFencedError | undefined => {
    if (mayAct()) return undefined;
    refused++;
    return new CallFencedError(
      undefined,
      fenced ? `instance ${instance} was taken over` : `instance ${instance} does not hold its lease`,
    );
  };
  // Checked when a request is made, and again right before each try is written (CallOptions.gate: a request queued
  // for a connection, or a retry after a pause, must not leave an instance that lost its lease meanwhile). Only the
  // member's own requests: other users of the same client are not fenced.
  const client = fencedClient(options.client, refusal);

  async function renew(): Promise<boolean> {
    const sent = performance.now();
    const { rows } = await store.pool.query(
      `UPDATE ${s}.instances SET lease_until = now() + $2 * interval '1 millisecond' WHERE id = $1 AND alive RETURNING 1`,
      [instance, ttlMs],
    );
    if (rows.length === 0) {
      fence('its lease was taken over');
      return false;
    }
    validUntil = sent + ttlMs / 2;
    return true;
  }

  async function takeOver(): Promise<TakeoverReport | undefined> {
    const dead = await store.pool.query<{ id: string; app: string }>(
      `UPDATE ${s}.instances SET alive = false WHERE id IN (
         SELECT id FROM ${s}.instances WHERE scope = $1 AND alive AND lease_until < now() AND id <> $2
         FOR UPDATE SKIP LOCKED) RETURNING id, app`,
      [scope, instance],
    );
    // A call whose StasisStart reached the dead instance just before it stopped may have no owner row yet: the
    // channels its app is subscribed to that nobody owns are claimed too (the first survivor to insert wins).
    const adopted: Array<{ call_id: string; epoch: string; from_app: string }> = [];
    for (const { app: from } of dead.rows) {
      if (from === app) continue;
      adopted.push(...(await adoptUnowned(from)));
    }
    const claimed = await store.pool.query<{ call_id: string; epoch: string; from_app: string }>(
      `WITH c AS (
         SELECT o.scope, o.call_id, o.app FROM ${s}.call_owners o LEFT JOIN ${s}.instances i ON i.id = o.owner
         WHERE o.scope = $1 AND (i.id IS NULL OR NOT i.alive) ORDER BY o.call_id LIMIT $4
         FOR UPDATE OF o SKIP LOCKED)
       UPDATE ${s}.call_owners o SET owner = $2, epoch = o.epoch + 1, app = $3 FROM c
       WHERE o.scope = c.scope AND o.call_id = c.call_id
         AND EXISTS (SELECT 1 FROM ${s}.instances WHERE id = $2 AND alive)
       RETURNING o.call_id, o.epoch, c.app AS from_app`,
      [scope, instance, app, batch],
    );
    // Dead instances that own nothing any more are forgotten (a stale one renewing then finds no row: fenced).
    await store.pool.query(
      `DELETE FROM ${s}.instances i WHERE NOT alive AND NOT EXISTS (SELECT 1 FROM ${s}.call_owners o WHERE o.owner = i.id)`,
    );
    if (dead.rows.length === 0 && claimed.rows.length === 0 && adopted.length === 0) return undefined;
    const report: TakeoverReport = {
      dead: dead.rows.map((r) => r.id),
      claimed: [...claimed.rows, ...adopted].map((r) => ({
        callId: r.call_id,
        epoch: Number(r.epoch),
        from: r.from_app,
      })),
      subscribed: [],
      gone: [],
    };
    claimedCount += report.claimed.length;
    for (const { callId, epoch, from } of report.claimed) {
      epochs.set(callId, epoch);
      if (from !== app) takenOver.set(callId, from);
      try {
        if (from !== app)
          await client.applications.subscribe({ applicationName: app, eventSource: `channel:${callId}` });
        report.subscribed.push(callId);
      } catch (error) {
        if (!isAriError(error, 404) && !isAriError(error, 422) && !isAriError(error, 400)) throw error;
        takenOver.delete(callId);
        report.gone.push(callId);
      }
    }
    logger.info('cluster: took calls over', { instance, dead: report.dead, calls: report.claimed.length });
    try {
      options.onTakeover?.(report);
    } catch (error) {
      logger.error('cluster onTakeover listener threw', { error });
    }
    // The runtime's resync carries them on: the recovery settles the takes of gone channels, resumes the others.
    if (report.claimed.length > 0) await attached?.resync();
    return report;
  }

  /** Owns (race-safely, at epoch 2) the channels in `from`'s Stasis app that no instance owns. */
  async function adoptUnowned(from: string): Promise<Array<{ call_id: string; epoch: string; from_app: string }>> {
    let channelIds: string[];
    try {
      channelIds = (await client.applications.get({ applicationName: from })).channel_ids;
    } catch (error) {
      // The app is gone from Asterisk (its channels with it).
      if (isAriError(error, 404)) return [];
      throw error;
    }
    if (channelIds.length === 0) return [];
    const { rows } = await store.pool.query<{ call_id: string; epoch: string }>(
      `INSERT INTO ${s}.call_owners (scope, call_id, owner, epoch, app)
       SELECT $1, id, $2, 2, $3 FROM unnest($4::text[]) AS id
       WHERE EXISTS (SELECT 1 FROM ${s}.instances WHERE id = $2 AND alive)
       ON CONFLICT (scope, call_id) DO NOTHING RETURNING call_id, epoch`,
      [scope, instance, app, channelIds],
    );
    if (rows.length > 0) logger.info('cluster: adopted unowned channels', { instance, from, calls: rows.length });
    return rows.map((r) => ({ ...r, from_app: from }));
  }

  /** Forgets the ownership of calls that are over here: no actor, nothing left in the journal. */
  async function release(): Promise<void> {
    const keep = [...active, ...takenOver.keys(), ...owning.keys()];
    const { rows } = await store.pool.query<{ call_id: string }>(
      `DELETE FROM ${s}.call_owners d USING (
         SELECT o.scope, o.call_id FROM ${s}.call_owners o
         WHERE o.scope = $1 AND o.owner = $2 AND NOT (o.call_id = ANY($3))
           AND NOT EXISTS (SELECT 1 FROM ${s}.takes t WHERE t.scope = o.scope AND t.data->>'callId' = o.call_id)
           AND NOT EXISTS (SELECT 1 FROM ${s}.calls c WHERE c.scope = o.scope AND c.call_id = o.call_id)
         FOR UPDATE SKIP LOCKED) r
       WHERE d.scope = r.scope AND d.call_id = r.call_id
       RETURNING d.call_id`,
      [scope, instance, keep],
    );
    for (const { call_id } of rows) epochs.delete(call_id);
  }

  /** Renews the lease (one at a time); true when renewed. */
  function renewOnce(): Promise<boolean> {
    beating ??= (async () => {
      // A statement held up (the database out of reach) must not hold the next heartbeat back for ever.
      let limit: NodeJS.Timeout | undefined;
      try {
        if (fenced) return false;
        return await Promise.race([
          renew(),
          new Promise<boolean>((resolve) => {
            limit = setTimeout(() => resolve(false), ttlMs / 2);
          }),
        ]);
      } catch (error) {
        logger.warn('cluster: heartbeat failed', { instance, error });
        return false;
      } finally {
        clearTimeout(limit);
        beating = undefined;
      }
    })();
    return beating;
  }

  /** Takes over what expired and releases what is over (one at a time; the renewals never wait for it). */
  function sweepOnce(): Promise<void> {
    sweeping ??= (async () => {
      try {
        await takeOver();
        await release();
      } catch (error) {
        logger.warn('cluster: takeover failed (tried again at the next heartbeat)', { instance, error });
      } finally {
        sweeping = undefined;
      }
    })();
    return sweeping;
  }

  async function beat(): Promise<void> {
    if (await renewOnce()) await sweepOnce();
  }

  const schedule = (): void => {
    if (fenced) return;
    timer = setTimeout(() => {
      void renewOnce()
        .then((renewed) => {
          if (renewed) void sweepOnce();
        })
        .finally(schedule);
    }, heartbeatMs);
    timer.unref?.();
  };
  schedule();

  return {
    instance,
    app,
    store: view,
    client,
    adoptable(channel) {
      const from = takenOver.get(channel.id);
      // A channel a broadcast gave to the dead instance still shows StasisBroadcast as its dialplan application.
      return from === undefined ? undefined : (stasisArgs(channel, from) ?? broadcastArgs(channel));
    },
    onCallEvent(event) {
      if (event.type === 'call.started') {
        active.add(event.callId);
        ownAtStart(event.callId);
      } else if (event.type === 'call.ended') {
        active.delete(event.callId);
        if (takenOver.delete(event.callId) && mayAct()) {
          client.applications
            .unsubscribe({ applicationName: app, eventSource: `channel:${event.callId}` })
            .catch(() => undefined);
        }
      }
    },
    attach(stasis) {
      attached = stasis;
    },
    mayAct,
    get fenced() {
      return fenced;
    },
    owned: () => new Map(epochs),
    beat,
    async leave() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      fenced = true;
      await store.pool.query(`UPDATE ${s}.instances SET alive = false WHERE id = $1`, [instance]);
    },
    stats: () => ({ refused, claimed: claimedCount }),
  };
}

/** `client` with every REST request of its resources refused, without being sent, while `refusal()` gives an error. */
function fencedClient<T extends object>(client: T, refusal: () => Error | undefined): T {
  const resources = new Map<PropertyKey, object>();
  const wrap = (resource: object): object => {
    const cache = new Map<PropertyKey, unknown>();
    return new Proxy(resource, {
      get(target, prop) {
        const known = cache.get(prop);
        if (known !== undefined) return known;
        const value = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        const wrapped = (...args: unknown[]) => {
          const error = refusal();
          if (error) return Promise.reject(error);
          const [params, callOptions] = args as [unknown, CallOptions | undefined];
          const gated: CallOptions = callOptions ? { ...callOptions, gate: refusal } : { gate: refusal };
          return (value as (...a: unknown[]) => unknown).call(target, params, gated);
        };
        cache.set(prop, wrapped);
        return wrapped;
      },
    });
  };
  return new Proxy(client, {
    get(target, prop) {
      const known = resources.get(prop);
      if (known !== undefined) return known;
      const value = Reflect.get(target, prop);
      if (typeof value === 'function') return value.bind(target);
      if (value === null || typeof value !== 'object') return value;
      const wrapped = wrap(value);
      resources.set(prop, wrapped);
      return wrapped;
    },
  });
}
