// Two voicemail instances on one Asterisk, each with its own Stasis app, sharing a PostgreSQL store as a cluster
// (joinCluster): A (the dialplan's `vm-record`) takes a call into recording and dies, or stalls past its lease; B
// (`vm-b`) claims the call, subscribes to its channel, keeps the take as a message once, lights the lamp and
// finishes the call for the caller. A stale A never sends a request for it again. On the simulator (manual clock)
// by default, on a real Asterisk with ARI_URL. Needs DATABASE_URL (else one skipped: line).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import {
  type ClusterMember,
  joinCluster,
  PostgresMessageStore,
  type TakeoverReport,
} from '../../src/postgres/index.js';
import { createStasisApp, type StasisApp } from '../../src/runtime/app.js';
import { createVoicemailCalls } from '../../src/voicemail/call.js';
import type { VoicemailLibraryEvent } from '../../src/voicemail/events.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import { postgresUrl } from '../helpers/missing.js';
import { dropSchema, freshSchema } from '../helpers/postgres.js';
import { tcpGate } from '../helpers/tcp-gate.js';
import { createHarness, type Harness, onRealAsterisk, TEST_TIMEOUT_MS } from './helpers.js';

const url = postgresUrl('a call taken over by another instance of a cluster');
vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

const TTL = 1000;
const BEAT = 200;
const BOX = { mailbox: '305', context: 'default' };
const MAILBOXES = [{ mailbox: '305' }, { mailbox: '306' }];

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits in real time (the simulator's clock stands still) until `test` holds. */
async function eventually<T>(test: () => T | undefined | false, what: string, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = test();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await sleep(10);
  }
}

interface Instance {
  member: ClusterMember;
  store: PostgresMessageStore;
  takeovers: TakeoverReport[];
}

/**
 * A's harness on a fresh schema (A reaches PostgreSQL through `through` when given) and B, a second instance on
 * the same Asterisk, with its own app `vm-b`.
 */
async function cluster(options: { through?: (url: string) => string } = {}) {
  const schema = freshSchema();
  cleanups.push(() => dropSchema(url!, schema));
  const open = (connectionString: string) => {
    const store = new PostgresMessageStore({ connectionString, schema, journalScope: 'asterisk-1' });
    cleanups.push(() => store.close());
    return store;
  };
  const join = async (store: PostgresMessageStore, client: AriClient, app: string): Promise<Instance> => {
    const takeovers: TakeoverReport[] = [];
    const member = await joinCluster({
      store,
      client,
      app,
      ttlMs: TTL,
      heartbeatMs: BEAT,
      onTakeover: (r) => takeovers.push(r),
    });
    cleanups.push(() => member.leave());
    return { member, store, takeovers };
  };
  let a: Instance | undefined;
  const h: Harness = await createHarness({
    mailboxes: MAILBOXES,
    // The messages the harness reads are the shared ones.
    store: () => open(url!),
    member: async (client) => {
      a = await join(open(options.through?.(url!) ?? url!), client, 'vm-record');
      return a.member;
    },
  });
  cleanups.push(() => h.close());
  const target = h.sim ?? {
    url: process.env.ARI_URL!,
    username: process.env.ARI_USERNAME!,
    password: process.env.ARI_PASSWORD!,
  };
  const bClient = createAriClient({
    url: target.url,
    username: target.username,
    password: target.password,
    apps: 'vm-b',
  });
  const b = await join(open(url!), bClient, 'vm-b');
  const bEvents: VoicemailLibraryEvent[] = [];
  const bPlayed: Array<{ target: string; media: string }> = [];
  const bRecorded: Array<{ target: string; name: string }> = [];
  bClient.onEvent((e) => {
    const playback = (e as { playback?: { target_uri: string; media_uri: string } }).playback;
    if (e.type === 'PlaybackStarted' && playback)
      bPlayed.push({ target: playback.target_uri, media: playback.media_uri });
    const recording = (e as { recording?: { target_uri: string; name: string } }).recording;
    if (e.type === 'RecordingStarted' && recording)
      bRecorded.push({ target: recording.target_uri, name: recording.name });
  });
  const bApp: StasisApp = createStasisApp({
    client: b.member.client,
    app: 'vm-b',
    clock: h.sim?.clock,
    adoptable: b.member.adoptable,
    onCallEvent: b.member.onCallEvent,
    createCall: createVoicemailCalls({
      directory: new InMemoryMailboxDirectory(MAILBOXES),
      store: b.member.store,
      onEvent: (e) => bEvents.push(e),
      ...(h.sim ? { now: () => new Date(h.sim!.clock.now()) } : {}),
    }),
  });
  b.member.attach(bApp);
  await bClient.connect();
  await bApp.start();
  cleanups.push(async () => {
    await bApp.stop();
    await bClient.close();
  });
  return { h, a: a!, b, bEvents, bClient, bPlayed, bRecorded };
}

const claimed = (i: Instance, callId: string) => i.takeovers.flatMap((r) => r.claimed).find((c) => c.callId === callId);

describe.skipIf(!url)('a call carried on by another instance of the cluster', () => {
  it('A dies mid-recording: B takes the call over within the lease, keeps the message once and finishes the call', async () => {
    const { h, a, b, bEvents, bClient, bPlayed } = await cluster();
    const caller = await h.dial('305');
    const take = await h.recordingStarted(caller, 1);
    await h.speak(caller, 2);
    expect(a.member.owned().get(caller.calleeId)).toBe(1);

    // kill -9, as far as the others can tell: A's database connections and its socket go, its actors with them.
    await a.store.pool.end();
    await h.crash();
    const killedAt = Date.now();
    const claim = await eventually(() => claimed(b, caller.calleeId), 'B to claim the call');
    const tookMs = Date.now() - killedAt;
    expect(claim).toEqual({ callId: caller.calleeId, epoch: 2, from: 'vm-record' });
    expect(tookMs).toBeLessThan(TTL + 5 * BEAT);
    expect(b.takeovers.flatMap((r) => r.subscribed)).toContain(caller.calleeId);

    await h.ended(caller);
    const saved = bEvents.filter((e) => e.type === 'voicemail.saved' && e.callId === caller.calleeId);
    expect(saved).toHaveLength(1);
    const messages = (await h.store.list(BOX)).filter((m) => m.recordingName === take);
    expect(messages).toHaveLength(1);
    // A's client is gone with A: what Asterisk holds is read through B's.
    expect((await bClient.recordings.listStored()).filter((r) => r.name === take)).toHaveLength(1);
    const lamp = await bClient.mailboxes.get({ mailboxName: '305@default' });
    expect([lamp.new_messages, lamp.old_messages]).toEqual([1, 0]);
    // The caller heard that the message was kept and was sent back to the dialplan by B.
    const played = bPlayed.filter((p) => p.target === `channel:${caller.calleeId}`).map((p) => p.media);
    expect(played).toContain('sound:vm-msgsaved');
    expect(await b.member.store.takes()).toEqual([]);
    expect(await b.member.store.calls()).toEqual([]);
  });

  // Not on a real Asterisk yet: there the dead instance's greeting still plays in the channel's own queue, and B's
  // first request (answer) waits behind it and times out; the simulator does not hold requests behind a playback.
  it.skipIf(onRealAsterisk)(
    'A dies during the greeting (no take yet): B starts the call again and keeps what the caller then leaves',
    async () => {
      const { h, a, b, bEvents, bPlayed, bRecorded } = await cluster();
      const caller = await h.dial('305');
      await h.until(() => h.eventsOf(caller).some((e) => e.type === 'PlaybackStarted'), 'the greeting');
      await eventually(() => a.member.owned().get(caller.calleeId), 'A to own the call');
      await a.store.pool.end();
      await h.crash();
      await eventually(() => claimed(b, caller.calleeId), 'B to claim the call');
      const target = `channel:${caller.calleeId}`;
      const take = await h.until(() => bRecorded.find((r) => r.target === target)?.name, 'B to record the caller');
      expect(bPlayed.filter((p) => p.target === target).length).toBeGreaterThan(0);
      await h.speak(caller, 2);
      await h.hangup(caller);
      await h.until(
        () => bEvents.some((e) => e.type === 'voicemail.saved' && e.callId === caller.calleeId),
        'B to keep the message',
      );
      expect((await h.store.list(BOX)).filter((m) => m.recordingName === take)).toHaveLength(1);
      expect(await b.member.store.takes()).toEqual([]);
    },
  );

  it('A stalls past its lease mid-recording: it stops sending requests, B carries the call on, A cannot commit', async () => {
    const pg = new URL(url!);
    const gate = await tcpGate({ host: pg.hostname, port: Number(pg.port || 5432) });
    cleanups.push(() => gate.close());
    const { h, a, b, bEvents } = await cluster({
      through: (u) => {
        const gated = new URL(u);
        gated.port = String(gate.port);
        return gated.toString();
      },
    });
    cleanups.push(async () => gate.open());
    const caller = await h.dial('305');
    const take = await h.recordingStarted(caller, 1);
    await h.speak(caller, 2);

    // A loses PostgreSQL (a partition; a stopped process alike): its socket and actors are still there.
    gate.shut();
    await eventually(() => !a.member.mayAct(), 'A to fence itself');
    const sentByA = h.requests.length;
    await eventually(() => claimed(b, caller.calleeId), 'B to claim the call');
    await h.until(
      () => bEvents.some((e) => e.type === 'voicemail.saved' && e.callId === caller.calleeId),
      'B to keep the message',
    );
    // A comes back: its lease is gone, it stops for good (its app with it).
    gate.open();
    await eventually(() => a.member.fenced, 'A to learn it was taken over');
    await h.ended(caller);

    // Not one request left A after it lost its lease, though its actor saw the recording end and the hang-up.
    expect(h.requests.slice(sentByA)).toEqual([]);
    expect(a.member.stats().refused).toBeGreaterThan(0);
    expect((await h.store.list(BOX)).filter((m) => m.recordingName === take)).toHaveLength(1);
    expect(await h.mwi('305')).toEqual({ newMessages: 1, oldMessages: 0 });
    expect(h.app.stats().calls).toBe(0);
  });
});
