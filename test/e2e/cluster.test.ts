// Two voicemail app instances, each on its own Asterisk, sharing one PostgreSQL store: a message left through
// either Asterisk is in the other instance's mailbox menu and on both Asterisks' lamps. On two simulators (manual
// clocks) by default; on two real Asterisks when CLUSTER_ARI_URLS lists them (space-separated, user
// asterisk/asterisk). Needs DATABASE_URL (else one skipped: line).

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresMessageStore, publishMwiOnChanges } from '../../src/postgres/index.js';
import type { FarEndCall } from '../../src/simulator/index.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import { setPin } from '../../src/voicemail/settings.js';
import { postgresUrl } from '../helpers/missing.js';
import { dropSchema, freshSchema } from '../helpers/postgres.js';
import { createHarness, type Harness } from './helpers.js';

const url = postgresUrl('two app instances on two Asterisks sharing a PostgreSQL store');
const realUrls = (process.env.CLUSTER_ARI_URLS ?? '').split(/\s+/).filter(Boolean);
const onReal = realUrls.length >= 2;
vi.setConfig({ testTimeout: onReal ? 300_000 : 60_000, hookTimeout: onReal ? 300_000 : 60_000 });

const BOX = { mailbox: '305', context: 'default' };
const MAILBOXES = [{ mailbox: '305' }, { mailbox: '306' }];
const schema = freshSchema();
const stores: PostgresMessageStore[] = [];
const stops: Array<() => Promise<void>> = [];
let a: Harness;
let b: Harness;

/** A harness whose app instance keeps its messages in the shared schema, its journal under its own scope. */
async function instance(name: string, index: number): Promise<Harness> {
  const h = await createHarness({
    mailboxes: MAILBOXES,
    main: { extensions: { '398': ['305'] } },
    target: onReal ? { url: realUrls[index]!, username: 'asterisk', password: 'asterisk' } : undefined,
    store: () => {
      const store = new PostgresMessageStore({ connectionString: url!, schema, journalScope: name });
      stores.push(store);
      return store;
    },
  });
  await setPin(h.settings, BOX, '1234');
  // This instance's Asterisk follows every change of the shared store, whoever made it.
  const mwi = await publishMwiOnChanges({
    store: h.store as PostgresMessageStore,
    client: h.client,
    directory: new InMemoryMailboxDirectory(MAILBOXES),
  });
  stops.push(() => mwi.stop());
  return h;
}

beforeAll(async () => {
  if (!url) return;
  a = await instance('asterisk-a', 0);
  b = await instance('asterisk-b', 1);
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await a?.close();
  await b?.close();
  await Promise.all(stores.map((s) => s.close()));
  if (url) await dropSchema(url, schema);
});

/** Leaves a message of `seconds` in 305 through `h`'s Asterisk (#, then # in the review); returns the call. */
async function leaveMessage(h: Harness, seconds: number): Promise<FarEndCall> {
  const caller = await h.dial('305');
  const take = await h.recordingStarted(caller, 1);
  await h.speak(caller, seconds);
  await h.press(caller, '#');
  await h.reviewStarted(caller, take);
  await h.press(caller, '#');
  await h.ended(caller);
  return caller;
}

/** Waits until both Asterisks' lamps of 305 show `expected` (new/old), letting time pass on `h`. */
async function lamps(expected: { newMessages: number; oldMessages: number }): Promise<void> {
  for (const h of [a, b]) {
    let seen = await h.mwi('305');
    const deadline = Date.now() + 20_000;
    while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await h.mwi('305');
    }
    expect(seen).toEqual(expected);
  }
}

describe.skipIf(!url)('two instances on two Asterisks, one PostgreSQL store', () => {
  it('a message left through A is in the store B reads, and on both lamps', async () => {
    const call = await leaveMessage(a, 2);
    const left = await a.messagesOf(call);
    expect(left).toHaveLength(1);
    expect(await b.store.list(BOX)).toEqual(left);
    await lamps({ newMessages: 1, oldMessages: 0 });
  });

  it('a message left through B (hung up while recording: kept) joins it; both lamps show two', async () => {
    const caller = await b.dial('305');
    await b.recordingStarted(caller, 1);
    await b.speak(caller, 2);
    await b.hangup(caller);
    await b.until(() => b.events.some((e) => e.type === 'voicemail.saved' && e.callId === caller.calleeId), 'saved');
    expect(await a.store.list(BOX)).toHaveLength(2);
    await lamps({ newMessages: 2, oldMessages: 0 });
    // Each instance's journal is empty again: nothing left for a recovery on either Asterisk.
    expect(await a.store.takes()).toEqual([]);
    expect(await b.store.takes()).toEqual([]);
  });

  it("B's mailbox menu counts both messages; a message marked Old there turns both lamps", async () => {
    const owner = await b.dial('398');
    await b.until(
      () =>
        b.eventsOf(owner).some((e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === 'sound:vm-password'),
      'the PIN prompt',
    );
    for (const key of '1234#') await b.press(owner, key);
    const youHave = await b.until(
      () =>
        b.requests.find(
          (r) =>
            r.op === 'channels.playWithId' &&
            r.params.channelId === owner.calleeId &&
            (r.params.media as string[])[0] === 'sound:vm-youhave',
        ),
      'the counts',
    );
    expect((youHave.params.media as string[]).slice(0, 3)).toEqual(['sound:vm-youhave', 'number:2', 'sound:vm-INBOX']);
    await b.hangup(owner);
    // The owner's client (another app on B, say the mailbox API) files the oldest as Old: both lamps follow.
    const [oldest] = await b.store.list(BOX);
    await b.store.move(BOX, oldest!.id, 'Old');
    await lamps({ newMessages: 1, oldMessages: 1 });
  });
});
