// One elected MWI publisher per Asterisk (publishMwiElected): of three instances on one Asterisk sharing a store,
// only the holder of the advisory lock publishes; when its PostgreSQL connections are terminated
// (pg_terminate_backend), another takes the lead and the lamp follows the next change within the stated bound
// (retryMs plus one sweep); the periodic sweep corrects a lamp that a lost notification left wrong. On the simulator,
// or on the real Asterisk of ARI_URL (ARI_USERNAME, ARI_PASSWORD) when set.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { isAriError } from '../../src/ari/errors.js';
import { type MwiElected, mwiLockKey, PostgresMessageStore, publishMwiElected } from '../../src/postgres/index.js';
import { createSimulator } from '../../src/simulator/index.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import { postgresUrl } from '../helpers/missing.js';
import { dropSchema, freshSchema } from '../helpers/postgres.js';
import { box, message } from '../helpers/store-contract.js';

const url = postgresUrl('the elected MWI publisher');
const RETRY_MS = 250;
const SWEEP_MS = 1000;

interface Target {
  readonly url: string;
  readonly username: string;
  readonly password: string;
}

const cleanups: Array<() => Promise<unknown>> = [];

/** The real Asterisk of ARI_URL, or a new simulator. */
async function asterisk(): Promise<Target> {
  if (process.env.ARI_URL) {
    const target = {
      url: process.env.ARI_URL,
      username: process.env.ARI_USERNAME ?? 'asterisk',
      password: process.env.ARI_PASSWORD ?? 'asterisk',
    };
    // Its lamps may hold earlier runs' counts: start from none.
    const client = createAriClient(target);
    for (const mailboxName of ['305@default', '306@default'])
      await client.mailboxes.delete({ mailboxName }).catch(() => undefined);
    await client.close();
    return target;
  }
  const sim = await createSimulator();
  cleanups.push(() => sim.close());
  return sim;
}
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function lamp(client: AriClient, mailbox = '305@default'): Promise<string> {
  try {
    const m = await client.mailboxes.get({ mailboxName: mailbox });
    return `${m.new_messages}/${m.old_messages}`;
  } catch (error) {
    if (isAriError(error, 404)) return 'none';
    throw error;
  }
}

/** Waits (real time, bounded) until `test` holds; returns how long it took in ms. */
async function within(limitMs: number, test: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await test()) return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`still waiting for ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Instance {
  readonly name: string;
  readonly store: PostgresMessageStore;
  readonly elected: MwiElected;
  /** The PUTs this instance sent to Asterisk. */
  readonly puts: string[];
}

async function setup(sim: Target, count: number): Promise<{ instances: Instance[]; admin: pg.Client }> {
  const schema = freshSchema();
  cleanups.push(() => dropSchema(url!, schema));
  const admin = new pg.Client({ connectionString: url! });
  await admin.connect();
  cleanups.push(() => admin.end());
  const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }, { mailbox: '306' }]);
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const name = `mwi-${i}-${schema}`;
    const store = new PostgresMessageStore({
      connectionString: url!,
      schema,
      poolConfig: { application_name: name },
      onError: () => {},
    });
    cleanups.push(() => store.close());
    const ari = createAriClient({ url: sim.url, username: sim.username, password: sim.password });
    cleanups.push(() => ari.close());
    const puts: string[] = [];
    // This instance's PUTs are counted on their way to Asterisk.
    const client = {
      asterisk: ari.asterisk,
      mailboxes: {
        ...ari.mailboxes,
        update: (params: Parameters<AriClient['mailboxes']['update']>[0], options?: object) => {
          puts.push(params.mailboxName);
          return ari.mailboxes.update(params, options);
        },
      },
    } as unknown as AriClient;
    const elected = await publishMwiElected({
      store,
      client,
      directory,
      retryMs: RETRY_MS,
      sweepMs: SWEEP_MS,
      onError: () => {},
    });
    cleanups.push(() => elected.stop());
    instances.push({ name, store, elected, puts });
  }
  return { instances, admin };
}

describe.skipIf(!url)('the elected MWI publisher of an Asterisk', () => {
  it('only the leader publishes; after its connections are terminated another one leads within the bound', async () => {
    const sim = await asterisk();
    const watcher = createAriClient({ url: sim.url, username: sim.username, password: sim.password });
    cleanups.push(() => watcher.close());
    const { instances, admin } = await setup(sim, 3);
    const leaders = () => instances.filter((i) => i.elected.leading());
    expect(leaders()).toHaveLength(1);
    const [first] = leaders();
    // Keyed by the Asterisk's entity id, read from GET /asterisk/info.
    const entityId = (await watcher.asterisk.getInfo()).system?.entity_id ?? '';
    expect(entityId).not.toBe('');
    expect(first!.elected.lockKey).toBe(mwiLockKey(first!.store, entityId));
    expect(await lamp(watcher)).toBe('0/0'); // published by the leader at start

    await instances[2]!.store.save(message('m1'));
    await within(2000, async () => (await lamp(watcher)) === '1/0', 'the lamp at 1/0');
    for (const i of instances) if (i !== first) expect(i.puts).toEqual([]);
    expect(first!.puts).toContain('305@default');

    // The leader's every PostgreSQL session ends (its lock and its LISTEN connection), as when its host goes away.
    const cut = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [first!.name],
    );
    expect(cut.rowCount).toBeGreaterThanOrEqual(2);
    const changedAt = Date.now();
    await instances.find((i) => i !== first)!.store.save(message('m2'));
    const tookMs = await within(
      RETRY_MS + SWEEP_MS + 1500,
      async () => (await lamp(watcher)) === '2/0',
      'the lamp at 2/0 after the leader was cut',
    );
    console.info(`mwi: lamp followed a change ${Date.now() - changedAt} ms after the leader's sessions were ended`);
    expect(tookMs).toBeLessThanOrEqual(RETRY_MS + SWEEP_MS + 1500);
    // One leader again (the cut one may have come back and won, or another), never two.
    await within(RETRY_MS * 4, async () => leaders().length === 1, 'one leader');
    const samples: number[] = [];
    for (let n = 0; n < 10; n++) {
      samples.push(leaders().length);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS / 2));
    }
    expect(samples.every((n) => n === 1)).toBe(true);
    const lead = leaders()[0]!;
    const before = instances.map((i) => i.puts.length);
    await instances[0]!.store.move(box, 'm1', 'Old');
    await within(2000, async () => (await lamp(watcher)) === '1/1', 'the lamp at 1/1');
    for (const [n, i] of instances.entries()) if (i !== lead) expect(i.puts.length).toBe(before[n]);
  });

  it('the sweep corrects a lamp a lost notification left wrong; a stopped leader hands over', async () => {
    const sim = await asterisk();
    const watcher = createAriClient({ url: sim.url, username: sim.username, password: sim.password });
    cleanups.push(() => watcher.close());
    const { instances } = await setup(sim, 2);
    await instances[0]!.store.save(message('m1'));
    await within(2000, async () => (await lamp(watcher)) === '1/0', 'the lamp at 1/0');
    // Someone else sets the lamp wrong (as a notification lost between two sweeps would leave it).
    await watcher.mailboxes.update({ mailboxName: '305@default', newMessages: 7, oldMessages: 7 });
    const fixedMs = await within(SWEEP_MS + 1000, async () => (await lamp(watcher)) === '1/0', 'the sweep');
    expect(fixedMs).toBeLessThanOrEqual(SWEEP_MS + 1000);
    // The leader stops (a rolling restart): the other one leads within retryMs.
    const lead = instances.find((i) => i.elected.leading())!;
    const other = instances.find((i) => i !== lead)!;
    await lead.elected.stop();
    expect(lead.elected.leading()).toBe(false);
    await within(RETRY_MS * 3, async () => other.elected.leading(), 'the other instance to lead');
    await other.store.save(message('m2'));
    await within(2000, async () => (await lamp(watcher)) === '2/0', 'the lamp at 2/0');
  });
});
