// The periodic MWI refresh: on the simulator's manual clock, a lamp a failed publish left wrong is right again within
// one interval, read back through the simulator's /mailboxes; a failing mailbox never stops the others; stop() ends
// it; the voicemail factory runs it at start and after each recovery, and `mwiRefresh: false` turns it off.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { AriOptionsError, isAriError } from '../../src/ari/errors.js';
import { createStasisApp } from '../../src/runtime/app.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { createVoicemailCalls } from '../../src/voicemail/call.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import { type MwiRefreshReport, publishMwi, startMwiRefresh } from '../../src/voicemail/mwi.js';
import { FileMessageStore, type VoicemailMessage } from '../../src/voicemail/store.js';

let sim: Simulator;
let client: AriClient;
let dir: string;
let store: FileMessageStore;
const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }, { mailbox: '306' }]);
const boxes = () => directory.list();

beforeEach(async () => {
  sim = await createSimulator({ clock: 'manual' });
  client = createAriClient({ url: sim.url, username: sim.username, password: sim.password });
  dir = await mkdtemp(join(tmpdir(), 'ari-vm-mwi-'));
  store = new FileMessageStore(dir);
});

afterEach(async () => {
  await client.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
function message(mailbox: string, folder: VoicemailMessage['folder'] = 'INBOX'): VoicemailMessage {
  seq++;
  return {
    id: `m${seq}`,
    mailbox,
    context: 'default',
    folder,
    callerId: { number: '100', name: 'Alice' },
    receivedAt: new Date(0).toISOString(),
    durationSeconds: 3,
    urgent: folder === 'Urgent',
    recordingName: `voicemail/default/${mailbox}/m${seq}`,
    format: 'wav',
  };
}

/** What the simulator's /mailboxes holds for a mailbox of `default` (zeros when it has none). */
async function lamp(mailbox: string): Promise<{ new: number; old: number }> {
  try {
    const m = await client.mailboxes.get({ mailboxName: `${mailbox}@default` });
    return { new: m.new_messages, old: m.old_messages };
  } catch (error) {
    if (isAriError(error, 404)) return { new: 0, old: 0 };
    throw error;
  }
}

/** Lets real I/O (loopback HTTP, files) run until `test` holds; time on the manual clock does not move. */
async function until(test: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A save whose own publish fails (one 500 on PUT /mailboxes): the store has the message, the lamp does not. */
async function saveWithLostPublish(m: VoicemailMessage): Promise<void> {
  await store.save(m);
  sim.faults.failRequests({ method: 'PUT', path: '/mailboxes/*', status: 500 });
  await expect(publishMwi(client, store, m)).rejects.toThrow();
}

describe('startMwiRefresh', () => {
  it('puts a lamp a failed publish left wrong right again within one interval, on the clock it is given', async () => {
    const reports: MwiRefreshReport[] = [];
    const refresh = startMwiRefresh({
      client,
      store,
      mailboxes: boxes,
      clock: sim.clock,
      onRefresh: (r) => reports.push(r),
    });
    await until(() => reports.length === 1, 'the first pass');
    expect(reports[0]).toEqual({ published: ['305@default', '306@default'], failed: [] });
    expect(await lamp('305')).toEqual({ new: 0, old: 0 });

    await saveWithLostPublish(message('305'));
    await saveWithLostPublish(message('305', 'Urgent'));
    await saveWithLostPublish(message('306', 'Old'));
    expect(await lamp('305')).toEqual({ new: 0, old: 0 });
    expect(await lamp('306')).toEqual({ new: 0, old: 0 });

    // Default interval 60 s: not a millisecond earlier.
    sim.clock.advance(59_999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reports).toHaveLength(1);
    sim.clock.advance(1);
    await until(() => reports.length === 2, 'the second pass');
    expect(await lamp('305')).toEqual({ new: 2, old: 0 });
    expect(await lamp('306')).toEqual({ new: 0, old: 1 });

    // And again one interval later (the refresh keeps going).
    await saveWithLostPublish(message('306'));
    sim.clock.advance(60_000);
    await until(() => reports.length === 3, 'the third pass');
    expect(await lamp('306')).toEqual({ new: 1, old: 1 });
    await refresh.stop();
  });

  it('a mailbox whose publish fails does not stop the others, and is right on the next pass', async () => {
    const reports: MwiRefreshReport[] = [];
    await store.save(message('305'));
    await store.save(message('306'));
    sim.faults.failRequests({ method: 'PUT', path: '/mailboxes/305*', status: 503 });
    const refresh = startMwiRefresh({
      client,
      store,
      mailboxes: boxes,
      clock: sim.clock,
      intervalMs: 5_000,
      onRefresh: (r) => reports.push(r),
    });
    await until(() => reports.length === 1, 'the first pass');
    expect(reports[0]).toEqual({ published: ['306@default'], failed: ['305@default'] });
    expect(await lamp('305')).toEqual({ new: 0, old: 0 });
    expect(await lamp('306')).toEqual({ new: 1, old: 0 });
    sim.clock.advance(5_000);
    await until(() => reports.length === 2, 'the second pass');
    expect(reports[1]!.failed).toEqual([]);
    expect(await lamp('305')).toEqual({ new: 1, old: 0 });
    await refresh.stop();
  });

  it('stops cleanly: no pass after stop(), no timer left on the clock', async () => {
    const reports: MwiRefreshReport[] = [];
    const pendingBefore = sim.clock.pending();
    const refresh = startMwiRefresh({
      client,
      store,
      mailboxes: boxes,
      clock: sim.clock,
      onRefresh: (r) => reports.push(r),
    });
    await until(() => reports.length === 1, 'the first pass');
    expect(sim.clock.pending()).toBe(pendingBefore + 1);
    await refresh.stop();
    expect(sim.clock.pending()).toBe(pendingBefore);
    await saveWithLostPublish(message('305'));
    sim.clock.advance(300_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reports).toHaveLength(1);
    expect(await lamp('305')).toEqual({ new: 0, old: 0 });
    expect(await refresh.refresh()).toEqual({ published: [], failed: [] });
  });

  it('refuses an interval that is not a positive number of ms', () => {
    for (const intervalMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => startMwiRefresh({ client, store, mailboxes: boxes, intervalMs })).toThrow(RangeError);
    }
  });
});

describe('the voicemail factory runs the refresh', () => {
  async function startApp(mwiRefresh: Parameters<typeof createVoicemailCalls>[0]['mwiRefresh']) {
    const appClient = createAriClient({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      apps: ['vm-record'],
    });
    const app = createStasisApp({
      client: appClient,
      app: 'vm-record',
      clock: sim.clock,
      createCall: createVoicemailCalls({ directory, store, mwiRefresh }),
    });
    await appClient.connect();
    await app.start();
    return {
      app,
      async close() {
        await app.stop();
        await appClient.close();
      },
    };
  }

  it('at start (after recovery), then every interval; stop() of the app ends it', async () => {
    // Messages saved while no app ran: their lamps were never lit.
    await store.save(message('305'));
    await store.save(message('306', 'Old'));
    const pendingBefore = sim.clock.pending();
    const first = await startApp({ clock: sim.clock, intervalMs: 30_000 });
    await until(async () => (await lamp('305')).new === 1 && (await lamp('306')).old === 1, 'the lamps at start');

    await saveWithLostPublish(message('305'));
    sim.clock.advance(30_000);
    await until(async () => (await lamp('305')).new === 2, 'the lamp after one interval');

    await first.close();
    expect(sim.clock.pending()).toBe(pendingBefore);
    await saveWithLostPublish(message('305'));
    sim.clock.advance(120_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await lamp('305')).toEqual({ new: 2, old: 0 });

    // A restarted app publishes at once, after its recovery.
    const second = await startApp({ clock: sim.clock });
    await until(async () => (await lamp('305')).new === 3, 'the lamp after a restart');
    // After a gap of the event stream the resync recovers, and the lamps are published again.
    await saveWithLostPublish(message('305'));
    await second.app.resync();
    await until(async () => (await lamp('305')).new === 4, 'the lamp after a resync');
    await second.close();
  });

  it('mwiRefresh: false turns it off', async () => {
    await store.save(message('305'));
    const pendingBefore = sim.clock.pending();
    const app = await startApp(false);
    sim.clock.advance(600_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lamp('305')).toEqual({ new: 0, old: 0 });
    expect(sim.clock.pending()).toBe(pendingBefore);
    await app.close();
  });

  it('refuses malformed refresh options, naming them', () => {
    const bad: unknown[] = [{ intervalMs: 0 }, { intervalMs: '60' }, { every: 5 }, { clock: {} }, 'yes'];
    for (const mwiRefresh of bad) {
      expect(() => createVoicemailCalls({ directory, store, mwiRefresh: mwiRefresh as false })).toThrow(
        AriOptionsError,
      );
    }
  });
});
