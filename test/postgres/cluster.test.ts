// Call ownership between instances on one PostgreSQL store (joinCluster): leases, the epoch that fences a stale
// owner's commit, and the claim of a dead instance's calls. Instance A reaches PostgreSQL through a gate that can
// be shut (as a partition, or a stopped process, would hold its statements); its REST requests are counted under
// its fence. Needs DATABASE_URL (else one skipped: line).
import { afterEach, describe, expect, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { CallFencedError, joinCluster, PostgresMessageStore, type TakeoverReport } from '../../src/postgres/index.js';
import { createSimulator, DEFAULT_DIALPLAN } from '../../src/simulator/index.js';
import { messageOfTake } from '../../src/voicemail/journal.js';
import { postgresUrl } from '../helpers/missing.js';
import { dropSchema, freshSchema } from '../helpers/postgres.js';
import { box, take } from '../helpers/store-contract.js';
import { tcpGate } from '../helpers/tcp-gate.js';

const url = postgresUrl('call ownership between instances (joinCluster)');
const TTL = 600;
const BEAT = 100;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function eventually<T>(test: () => T | undefined | false | Promise<T | undefined | false>, what: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await test();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Counts every REST request that leaves `client` (what reaches Asterisk). */
function counted(client: AriClient): { client: AriClient; sent: string[] } {
  const sent: string[] = [];
  for (const name of ['channels', 'recordings', 'playbacks', 'applications', 'mailboxes'] as const) {
    const resource = client[name] as unknown as Record<string, unknown>;
    for (const [op, fn] of Object.entries(resource)) {
      if (typeof fn !== 'function') continue;
      resource[op] = (...args: unknown[]) => {
        sent.push(`${name}.${op}`);
        return (fn as (...a: unknown[]) => unknown).apply(resource, args);
      };
    }
  }
  return { client, sent };
}

async function cluster() {
  const schema = freshSchema();
  // 3XX in context cluster enters vm-a's Stasis (as a dialplan sends callers to one instance).
  const sim = await createSimulator({
    dialplan: [...DEFAULT_DIALPLAN, { context: 'cluster', exten: '_3XX', stasis: 'vm-a' }],
  });
  cleanups.push(() => dropSchema(url!, schema));
  cleanups.push(() => sim.close());
  const pgUrl = new URL(url!);
  const gate = await tcpGate({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  cleanups.push(() => gate.close());
  const gated = new URL(url!);
  gated.port = String(gate.port);
  const member = async (name: string, through: string) => {
    const store = new PostgresMessageStore({ connectionString: through, schema, journalScope: 'asterisk-1' });
    cleanups.push(() => store.close());
    const raw = counted(
      createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: [name], connections: 1 }),
    );
    cleanups.push(() => raw.client.close());
    const takeovers: TakeoverReport[] = [];
    const fenced: string[] = [];
    const m = await joinCluster({
      store,
      client: raw.client,
      app: name,
      instance: name,
      ttlMs: TTL,
      heartbeatMs: BEAT,
      onTakeover: (r) => takeovers.push(r),
      onFenced: (reason) => fenced.push(reason),
    });
    cleanups.push(() => m.leave().catch(() => undefined));
    return { m, store, sent: raw.sent, takeovers, fenced };
  };
  const a = await member('vm-a', gated.toString());
  const b = await member('vm-b', url!);
  // Open again before anything is closed: A's pool ends only once its statements are through.
  cleanups.push(async () => gate.open());
  return { gate, a, b, sim };
}

const claimedBy = (m: { takeovers: TakeoverReport[] }, callId: string) =>
  m.takeovers.flatMap((r) => r.claimed).find((c) => c.callId === callId);

describe.skipIf(!url)('call ownership between instances on one PostgreSQL store', () => {
  it("journals each call for its owner only; a survivor claims a dead owner's calls with the next epoch", async () => {
    const { gate, a, b } = await cluster();
    const t1 = take('t1', { callId: 'c1' });
    await a.m.store.putTake(t1);
    expect(a.m.owned().get('c1')).toBe(1);
    expect(await a.m.store.takes()).toEqual([t1]);
    // Same scope, same tables: B's journal holds only what B owns.
    expect(await b.m.store.takes()).toEqual([]);
    await expect(b.m.store.updateTake(t1.recordingName, { intent: 'discard' })).rejects.toBeInstanceOf(CallFencedError);
    await expect(b.m.store.forgetTake(t1.recordingName)).rejects.toBeInstanceOf(CallFencedError);

    // A stops renewing (its database link is shut): it stops acting at half its lease, B claims after it.
    gate.shut();
    const shutAt = Date.now();
    await eventually(() => !a.m.mayAct(), 'A to fence itself');
    await expect(a.m.client.channels.list()).rejects.toBeInstanceOf(CallFencedError);
    const claim = await eventually(() => claimedBy(b, 'c1'), 'B to claim c1');
    const tookMs = Date.now() - shutAt;
    expect(claim).toEqual({ callId: 'c1', epoch: 2, from: 'vm-a' });
    // Not before the lease A renewed last (at most one heartbeat before the gate shut) expired; soon after it (the
    // bound leaves room for a loaded machine).
    expect(tookMs).toBeGreaterThanOrEqual(TTL - BEAT - 50);
    expect(tookMs).toBeLessThan(TTL + 15 * BEAT);
    expect(b.takeovers[0]!.dead).toEqual(['vm-a']);
    // No channel c1 on this Asterisk: nothing to subscribe to, the recovery settles its journal.
    expect(b.takeovers[0]!.gone).toEqual(['c1']);
    expect(await b.m.store.takes()).toEqual([t1]);
    expect(b.m.owned().get('c1')).toBe(2);
  });

  it('a stale owner that wakes cannot commit, and stops for good; the message is kept once', async () => {
    const { gate, a, b } = await cluster();
    const t1 = take('t2', { callId: 'c2', intent: 'keep', durationSeconds: 3 });
    await a.m.store.putTake(t1);
    const sentBefore = a.sent.length;

    // A's commit is on its way when A's link shuts (a pause, a partition): it waits in the gate.
    gate.shut();
    const stale = a.m.store.saveOnce(messageOfTake(t1));
    stale.catch(() => undefined);
    await eventually(() => claimedBy(b, 'c2'), 'B to claim c2');
    expect(await b.m.store.saveOnce(messageOfTake(t1))).toBe('saved');
    await b.m.store.forgetTake(t1.recordingName);

    // A wakes: the commit is refused, its next heartbeat finds its lease gone, and it never acts again.
    gate.open();
    await expect(stale).rejects.toBeInstanceOf(CallFencedError);
    await eventually(() => a.m.fenced, 'A to learn it was taken over');
    expect(a.fenced).toHaveLength(1);
    await a.m.beat();
    expect(a.m.mayAct()).toBe(false);
    await expect(a.m.store.putTake(take('t3', { callId: 'c3' }))).rejects.toBeInstanceOf(CallFencedError);
    await expect(a.m.client.recordings.stop({ recordingName: t1.recordingName })).rejects.toBeInstanceOf(
      CallFencedError,
    );
    // Not one request left A while it did not hold its lease.
    expect(a.sent.slice(sentBefore)).toEqual([]);
    expect((await b.store.list(box)).map((m) => m.recordingName)).toEqual([t1.recordingName]);
    expect(a.m.stats().refused).toBeGreaterThanOrEqual(1);
  });

  it('a commit under way holds the takeover back until it is done (the survivor finds the message there)', async () => {
    const { a, b } = await cluster();
    const t1 = take('t4', { callId: 'c4', intent: 'keep' });
    await a.m.store.putTake(t1);
    // A's save has passed its ownership check and waits for the mailbox (another save holds it) ...
    const holder = await b.store.pool.connect();
    cleanups.push(async () => holder.release());
    await b.store.pool.query(
      `INSERT INTO "${b.store.schema}".mailboxes (context, mailbox) VALUES ('default', '305') ON CONFLICT DO NOTHING`,
    );
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM "${b.store.schema}".mailboxes WHERE mailbox = '305' FOR UPDATE`);
    const saving = a.m.store.saveOnce(messageOfTake(t1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // ... while A dies (it leaves without a word; its lease is gone at once).
    await a.m.leave();
    await b.m.beat();
    expect(claimedBy(b, 'c4')).toBeUndefined();
    await holder.query('COMMIT');
    expect(await saving).toBe('saved');
    await eventually(async () => {
      await b.m.beat();
      return claimedBy(b, 'c4');
    }, 'B to claim c4 once the save is done');
    expect(await b.m.store.saveOnce(messageOfTake(t1))).toBe('exists');
    expect(await b.store.list(box)).toHaveLength(1);
  });
});

describe.skipIf(!url)('the fence of each request', () => {
  it('refuses a request that waited for a connection while the lease ran out: it never reaches Asterisk', async () => {
    const { gate, a, sim } = await cluster();
    // A's only connection is held by a slow answer; a second request waits for it, past A's lease.
    sim.faults.delayRequests({ method: 'GET', path: '/asterisk/info', ms: TTL, count: 1 });
    // Had the waiting request been sent, this 500 would answer it.
    sim.faults.failRequests({ method: 'GET', path: '/channels', status: 500, count: 1 });
    const slow = a.m.client.asterisk.getInfo();
    const queued = a.m.client.channels.list();
    queued.catch(() => undefined);
    gate.shut();
    await eventually(() => !a.m.mayAct(), 'A to fence itself');
    await slow;
    await expect(queued).rejects.toBeInstanceOf(CallFencedError);
    gate.open();
  });
});

describe.skipIf(!url)('a call the dead instance never owned', () => {
  it("is adopted by one survivor: the channel in the dead app's Stasis without an owner row", async () => {
    const { gate, a, b, sim } = await cluster();
    // A's app is connected; a call enters its Stasis, and A stops before it writes the call's owner row.
    const aEvents = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['vm-a'] });
    const bEvents = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['vm-b'] });
    await aEvents.connect();
    await bEvents.connect();
    cleanups.push(() => aEvents.close());
    cleanups.push(() => bEvents.close());
    const owned = take('t6', { callId: 'c6' });
    await a.m.store.putTake(owned);
    gate.shut();
    const started: Array<{ id: string }> = [];
    aEvents.onEvent((e) => {
      if (e.type === 'StasisStart') started.push((e as { channel: { id: string } }).channel);
    });
    await b.m.client.channels.originate({ endpoint: 'Local/305@cluster', context: 'caller', extension: 's' });
    const channel = await eventually(() => started[0], 'the call to be in Stasis');

    const claim = await eventually(() => claimedBy(b, channel.id), "B to adopt A's unowned call");
    expect(claim).toEqual({ callId: channel.id, epoch: 2, from: 'vm-a' });
    expect(claimedBy(b, 'c6')).toEqual({ callId: 'c6', epoch: 2, from: 'vm-a' });
    expect(b.takeovers.flatMap((r) => r.subscribed)).toContain(channel.id);
    expect((await b.m.client.applications.get({ applicationName: 'vm-b' })).channel_ids).toContain(channel.id);
    // The runtime is told which Stasis arguments the adopted call came with.
    expect(b.m.adoptable(sim.channels().find((c) => c.id === channel.id)!)).toEqual(['305']);
    // A second sweep claims nothing more.
    await b.m.beat();
    expect(b.takeovers.flatMap((r) => r.claimed).filter((c) => c.callId === channel.id)).toHaveLength(1);
  });
});

describe.skipIf(!url)('ownership rows', () => {
  it('are released once a call has no journal left and no actor', async () => {
    const { a } = await cluster();
    const t1 = take('t5', { callId: 'c5' });
    a.m.onCallEvent({ type: 'call.started', callId: 'c5', actor: undefined as never });
    await a.m.store.putTake(t1);
    await a.m.store.forgetTake(t1.recordingName);
    await a.m.beat();
    expect(a.m.owned().has('c5')).toBe(true); // its actor still runs
    a.m.onCallEvent({ type: 'call.ended', callId: 'c5', reason: 'done' });
    await a.m.beat();
    expect(a.m.owned().has('c5')).toBe(false);
  });
});
