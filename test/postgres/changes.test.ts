// Several instances on one PostgreSQL store: their journals kept apart per Asterisk, the change feed, and every
// Asterisk's lamps following changes made through any instance (publishMwiOnChanges), also after the feed's
// connection was cut.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { isAriError } from '../../src/ari/errors.js';
import { PostgresMessageStore, publishMwiOnChanges } from '../../src/postgres/index.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import type { MailboxAddress } from '../../src/voicemail/ids.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import { postgresUrl } from '../helpers/missing.js';
import { postgresBackend } from '../helpers/postgres.js';
import { box, message, take } from '../helpers/store-contract.js';

const url = postgresUrl('the PostgreSQL store across instances');

/** Waits (real time, bounded) until `test` holds; fails with `what`. */
async function eventually<T>(test: () => Promise<T | undefined | false>, what: string, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await test();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function backend() {
  const b = postgresBackend(url!);
  cleanups.push(() => b.done());
  return b;
}

async function asterisk(): Promise<{ sim: Simulator; client: AriClient }> {
  const sim = await createSimulator();
  const client = createAriClient({ url: sim.url, username: sim.username, password: sim.password });
  cleanups.push(() => sim.close());
  cleanups.push(() => client.close());
  return { sim, client };
}

async function lamp(client: AriClient, mailbox = '305@default') {
  try {
    const m = await client.mailboxes.get({ mailboxName: mailbox });
    return `${m.new_messages}/${m.old_messages}`;
  } catch (error) {
    if (isAriError(error, 404)) return 'none';
    throw error;
  }
}

describe.skipIf(!url)('PostgreSQL store shared by instances on several Asterisks', () => {
  it("keeps each Asterisk's journal apart (channel ids repeat across Asterisks) and shares the messages", async () => {
    const b = await backend();
    const open = (journalScope: string) => {
      const s = new PostgresMessageStore({ connectionString: url!, schema: b.schema, journalScope });
      cleanups.push(() => s.close());
      return s;
    };
    const a = open('asterisk-a');
    const other = open('asterisk-b');
    // The same channel id on both Asterisks.
    await a.putTake(take('t1', { callId: '1764000000.7' }));
    await other.putTake(take('t2', { callId: '1764000000.7' }));
    await a.putCall({ callId: '1764000000.7', status: 'SUCCESS', extension: null, hangup: true });
    expect((await a.takes()).map((t) => t.messageId)).toEqual(['t1']);
    expect((await other.takes()).map((t) => t.messageId)).toEqual(['t2']);
    expect(await other.calls()).toEqual([]);
    await other.forgetTake('voicemail/default/305/t1'); // not its take: nothing happens
    expect((await a.takes()).map((t) => t.messageId)).toEqual(['t1']);
    // A restarted instance with the same scope finds its journal; the messages are everyone's.
    expect((await open('asterisk-a').takes()).map((t) => t.messageId)).toEqual(['t1']);
    await a.saveOnce(message('m1'));
    expect(await other.get(box, 'm1')).toEqual(message('m1'));
  });

  it('tells every watcher of each committed change, whichever instance made it', async () => {
    const b = await backend();
    const [a, other] = [b.open(), b.open()];
    const seen: MailboxAddress[] = [];
    const watching = await other.watch((address) => seen.push(address));
    cleanups.push(() => watching.stop());
    await a.save(message('m1'));
    await a.save(message('s1', { context: 'sales', mailbox: '400', recordingName: 'voicemail/sales/400/s1' }));
    await a.move(box, 'm1', 'Old');
    await a.delete(box, 'm1');
    await eventually(async () => seen.length >= 4, 'four notifications');
    expect(seen).toEqual([box, { mailbox: '400', context: 'sales' }, box, box]);
    // A refused save changes nothing and tells nobody; another schema's changes are not ours.
    await expect(a.save(message('m2'), { maxMessages: 0 })).rejects.toThrow(/full/);
    const elsewhere = (await backend()).open();
    await elsewhere.save(message('x1'));
    await a.save(message('m3'));
    await eventually(async () => seen.length >= 5, 'the fifth notification');
    expect(seen).toHaveLength(5);
  });

  it("keeps both Asterisks' lamps equal to the store, also after the feed's connection was cut", async () => {
    const b = await backend();
    const [one, two] = [await asterisk(), await asterisk()];
    const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }, { mailbox: '306' }]);
    const stores = [b.open(), b.open()];
    const errors: unknown[] = [];
    for (const [i, { client }] of [one, two].entries()) {
      const mwi = await publishMwiOnChanges({ store: stores[i]!, client, directory, onError: (e) => errors.push(e) });
      cleanups.push(() => mwi.stop());
    }
    // Published at start: every mailbox of the directory, 0/0.
    expect([await lamp(one.client), await lamp(two.client), await lamp(two.client, '306@default')]).toEqual([
      '0/0',
      '0/0',
      '0/0',
    ]);
    await stores[0]!.save(message('m1'));
    await stores[0]!.save(message('m2', { folder: 'Urgent', urgent: true }));
    await stores[1]!.move(box, 'm1', 'Old');
    await eventually(async () => (await lamp(two.client)) === '1/1' && (await lamp(one.client)) === '1/1', '1/1');

    // Cut every LISTEN connection; a change made meanwhile is not notified, the sweep after reconnecting fixes it.
    const admin = new pg.Client({ connectionString: url! });
    await admin.connect();
    cleanups.push(() => admin.end());
    const cut = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN ari_voicemail' AND pid <> pg_backend_pid()`,
    );
    expect(cut.rowCount).toBeGreaterThanOrEqual(2);
    await admin.query(`DELETE FROM "${b.schema}".messages WHERE id = 'm2'`);
    await eventually(
      async () => (await lamp(one.client)) === '0/1' && (await lamp(two.client)) === '0/1',
      'both lamps at 0/1 after the reconnect',
    );
    expect(errors.length).toBeGreaterThan(0); // the cut connections were reported
  });
});
