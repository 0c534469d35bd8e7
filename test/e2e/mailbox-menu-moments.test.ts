// Keys and hang-ups at awkward moments of the mailbox menu, end to end through ARI, on the simulator and (with
// ARI_URL set) on a real Asterisk: a key while a prompt plays, while the envelope plays, # inside a greeting's beep,
// hanging up in the middle of a message or of a greeting's take; on the simulator, a key while the prompt's play
// request is still on its way. After each call: the store, the trash, the
// greetings and MWI say what the owner did, Asterisk keeps no stray take, and the app ended the call.
// Mailboxes 350-351 and extension 397 (the menu for 350): its own, so it may share an Asterisk with other files.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FarEndCall } from '../../src/simulator/index.js';
import { publishMwi } from '../../src/voicemail/mwi.js';
import { setPin } from '../../src/voicemail/settings.js';
import { createHarness, type Harness, onRealAsterisk, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

let h: Harness;
const BOX = { mailbox: '350', context: 'default' };
const PLAYING = new Set(['PlaybackStarted', 'PlaybackContinuing']);

beforeAll(async () => {
  h = await createHarness({
    mailboxes: [{ mailbox: '350' }, { mailbox: '351' }],
    main: { extensions: { '397': ['350'] } },
  });
  await setPin(h.settings, BOX, '1234');
});

afterAll(async () => {
  await h?.close();
});

// Each test starts from an empty mailbox, whatever the one before left.
beforeEach(async () => {
  for (const m of await h.store.list(BOX)) await h.store.delete(BOX, m.id);
  await publishMwi(h.client, h.store, BOX);
});

/** Index (in the call's events) just past the first time `media` plays on `call` after `since`. */
async function hears(call: FarEndCall, media: string, since = 0): Promise<number> {
  return h.until(
    () => {
      const at = h
        .eventsOf(call)
        .findIndex((e, i) => i >= since && PLAYING.has(e.type) && e.playback?.media_uri === media);
      return at >= 0 ? at + 1 : undefined;
    },
    `${media} on ${call.calleeId}`,
    { stepMs: 10 },
  );
}

function heard(call: FarEndCall, media: string): boolean {
  return h.eventsOf(call).some((e) => PLAYING.has(e.type) && e.playback?.media_uri === media);
}

async function type(call: FarEndCall, keys: string): Promise<void> {
  for (const key of keys) await h.press(call, key);
}

/** A caller leaves a message of `seconds` in 350; returns its recording name. */
async function leaveMessage(seconds: number): Promise<string> {
  const caller = await h.dial('350');
  const take = await h.recordingStarted(caller, 1);
  await h.speak(caller, seconds);
  await h.press(caller, '#');
  await h.reviewStarted(caller, take);
  await h.press(caller, '#');
  await h.ended(caller);
  return take;
}

/** The owner calls 397 and logs in with the PIN; resolves once the summary plays. */
async function logIn(): Promise<FarEndCall> {
  const owner = await h.dial('397');
  await hears(owner, 'sound:vm-password');
  await type(owner, '1234#');
  await hears(owner, 'sound:vm-youhave');
  return owner;
}

/** No call left, no menu error of `call`, MWI equals the store. */
async function expectClean(call: FarEndCall): Promise<void> {
  expect(h.app.stats().calls).toBe(0);
  expect(h.menuEvents.filter((e) => e.type === 'mailbox.error' && e.callId === call.calleeId)).toEqual([]);
  expect(await h.mwi('350')).toEqual(await h.storeMwi('350'));
}

describe('keys while the menu speaks', () => {
  it('1 during the summary: the summary stops and the first message plays', async () => {
    const take = await leaveMessage(1);
    const owner = await logIn();
    await h.press(owner, '1');
    await hears(owner, `recording:${take}`);
    const events = h.eventsOf(owner);
    const summary = events.find((e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === 'sound:vm-youhave');
    // The summary ended before its options were read out: the key cut it short.
    expect(heard(owner, 'sound:vm-opts')).toBe(false);
    expect(events.some((e) => e.type === 'PlaybackFinished' && e.playback?.id === summary?.playback?.id)).toBe(true);
    await h.hangup(owner);
    expect(await h.store.list(BOX)).toEqual([expect.objectContaining({ folder: 'Old', recordingName: take })]);
    await expectClean(owner);
  });

  it('7 during the envelope: deleted before its audio plays, "deleted" said, nothing left playing', async () => {
    const take = await leaveMessage(1);
    const owner = await logIn();
    await h.press(owner, '1');
    await hears(owner, 'sound:vm-received');
    await h.press(owner, '7');
    await hears(owner, 'sound:vm-deleted');
    expect(heard(owner, `recording:${take}`)).toBe(false);
    expect(await h.store.list(BOX)).toEqual([]);
    expect(await h.trash.list(BOX)).toEqual(expect.arrayContaining([expect.objectContaining({ recordingName: take })]));
    await h.press(owner, '#');
    await hears(owner, 'sound:vm-goodbye');
    await h.ended(owner);
    await expectClean(owner);
  });

  it('# inside the greeting beep: the take stops there, review follows at once, the greeting is short', async () => {
    const owner = await logIn();
    await h.press(owner, '0');
    await hears(owner, 'sound:vm-options');
    await h.press(owner, '1');
    await hears(owner, 'sound:vm-rec-unv');
    // The instructions end; the beep sounds; # before any speech.
    await h.until(
      () =>
        h.eventsOf(owner).some((e) => e.type === 'PlaybackFinished' && e.playback?.media_uri === 'sound:vm-rec-unv'),
      'the end of the instructions',
      { stepMs: 10 },
    );
    await h.press(owner, '#');
    const pressed = h.eventsOf(owner).length;
    await hears(owner, 'sound:vm-review', pressed);
    // Review came from the #, not from the silence limit (10 s) or the greeting limit.
    const greeting = await h.recordingStarted(owner, 1);
    await h.press(owner, '1');
    await hears(owner, 'sound:vm-msgsaved');
    expect((await h.settings.get(BOX)).greetings?.unavailable).toBe(greeting);
    expect(await h.wavSeconds(greeting)).toBeLessThan(2);
    await h.hangup(owner);
    await expectClean(owner);
  });
});

describe('a key while the prompt is still being asked for', () => {
  // Only the simulator can hold a request on its way; on Asterisk the same happens when the key is quick enough.
  it.skipIf(onRealAsterisk)(
    '1 before the summary exists on Asterisk: the summary never plays, not even after the message',
    async () => {
      const take = await leaveMessage(1);
      const owner = await h.dial('397');
      await hears(owner, 'sound:vm-password');
      await type(owner, '1234');
      // The summary's play request takes 2 s to reach Asterisk; the 1 comes before it did.
      h.sim!.faults.delayRequests({ method: 'POST', path: `/channels/${owner.calleeId}/play/**`, ms: 2000, count: 1 });
      const held = (r: { op: string; params: Record<string, unknown> }) =>
        r.op === 'channels.playWithId' && (r.params.media as string[])[0] === 'sound:vm-youhave';
      h.holds.push(held);
      await h.press(owner, '#');
      await h.until(() => h.requests.some((r) => held(r) && r.status === 'pending'), 'the summary asked for', {
        stepMs: 10,
      });
      await h.press(owner, '1');
      await hears(owner, `recording:${take}`);
      // Past the message, to its menu: the summary, asked for before the 1, never plays (not even after it).
      await hears(owner, 'sound:vm-repeat');
      expect(heard(owner, 'sound:vm-youhave')).toBe(false);
      h.holds.splice(h.holds.indexOf(held), 1);
      await h.hangup(owner);
      await expectClean(owner);
    },
  );
});

describe('leaving', () => {
  it('# while a message plays: goodbye, the message is Old, the call ends', async () => {
    const take = await leaveMessage(3);
    const owner = await logIn();
    await h.press(owner, '1');
    await hears(owner, `recording:${take}`);
    await h.press(owner, '#');
    await hears(owner, 'sound:vm-goodbye');
    await h.ended(owner);
    expect(await h.store.list(BOX)).toEqual([expect.objectContaining({ folder: 'Old', recordingName: take })]);
    expect(h.menuEvents.filter((e) => e.callId === owner.calleeId).map((e) => e.type)).toEqual([
      'mailbox.login',
      'mailbox.heard',
      'mailbox.finished',
    ]);
    await expectClean(owner);
  });
});

describe('hanging up', () => {
  it('inside the greeting beep: no greeting is set, no take is left on Asterisk', async () => {
    const before = (await h.settings.get(BOX)).greetings?.unavailable;
    const owner = await logIn();
    await h.press(owner, '0');
    await hears(owner, 'sound:vm-options');
    await h.press(owner, '1');
    await hears(owner, 'sound:beep');
    await h.hangup(owner);
    expect((await h.settings.get(BOX)).greetings?.unavailable).toBe(before);
    // Whether or not Asterisk had begun the take when the hang-up came, nothing of it stays stored.
    const asked = h.requests
      .filter((r) => r.op === 'channels.record' && r.params.channelId === owner.calleeId)
      .map((r) => String(r.params.name));
    expect(asked).toHaveLength(1);
    expect(await h.storedNames(asked[0]!)).toEqual([]);
    await expectClean(owner);
  });

  it('in the middle of a message: it is Old, MWI says so, the call is gone', async () => {
    const take = await leaveMessage(3);
    expect(await h.mwi('350')).toEqual({ newMessages: 1, oldMessages: 0 });
    const owner = await logIn();
    await h.press(owner, '1');
    await hears(owner, `recording:${take}`);
    await h.pass(1000);
    await h.hangup(owner);
    expect(await h.store.list(BOX)).toEqual([expect.objectContaining({ folder: 'Old', recordingName: take })]);
    expect(await h.mwi('350')).toEqual({ newMessages: 0, oldMessages: 1 });
    await expectClean(owner);
  });

  it('while recording a greeting: no greeting is set and the take is stored nowhere', async () => {
    const before = (await h.settings.get(BOX)).greetings?.unavailable;
    const owner = await logIn();
    await h.press(owner, '0');
    await hears(owner, 'sound:vm-options');
    await h.press(owner, '1');
    const take = await h.recordingStarted(owner, 1);
    await h.speak(owner, 1);
    await h.hangup(owner);
    expect((await h.settings.get(BOX)).greetings?.unavailable).toBe(before);
    expect(await h.storedNames(take)).toEqual([]);
    await expectClean(owner);
  });
});
