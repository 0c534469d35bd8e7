// The mailbox owner's menu end to end through ARI, on the simulator (manual clock) or a real Asterisk (ARI_URL):
// the dialplan sends 3XX to `vm-record`, so here 399 is the menu asking for the mailbox and 398 the menu for 305
// (as `Stasis(vm-main)` and `Stasis(vm-main,305)` would be). A caller leaves messages, the owner logs in, hears
// them, deletes, forwards and saves them, records a greeting callers then hear, and changes the PIN. Checked
// through ARI (playbacks, stored recordings, MWI) and the store.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FarEndCall } from '../../src/simulator/index.js';
import { setPin, verifyPin } from '../../src/voicemail/settings.js';
import { createHarness, type Harness, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

let h: Harness;
const BOX = { mailbox: '305', context: 'default' };

beforeAll(async () => {
  h = await createHarness({
    mailboxes: [{ mailbox: '305' }, { mailbox: '306' }],
    main: { extensions: { '399': [], '398': ['305'] } },
  });
  await setPin(h.settings, BOX, '1234');
  // What an earlier suite may have left on the same Asterisk (MWI outlives calls there): every count this file reads
  // back must come from the library's own publishing, never from a leftover that happens to match.
  for (const mailbox of ['305', '306']) {
    await h.client.mailboxes.update({ mailboxName: `${mailbox}@default`, newMessages: 3, oldMessages: 1 });
  }
});

afterAll(async () => {
  await h?.close();
});

const PLAYING = new Set(['PlaybackStarted', 'PlaybackContinuing']);

/** Waits until the app's channel of `call` plays `media` (alone or as an item of a playlist), after `since` events. */
async function hears(call: FarEndCall, media: string, since = 0): Promise<number> {
  return h.until(() => {
    const events = h.eventsOf(call);
    const at = events.findIndex((e, i) => i >= since && PLAYING.has(e.type) && e.playback?.media_uri === media);
    return at >= 0 ? at + 1 : undefined;
  }, `${media} on ${call.calleeId}`);
}

async function type(call: FarEndCall, keys: string): Promise<void> {
  for (const key of keys) await h.press(call, key);
}

/** The media lists the menu asked Asterisk to play on `call`, in order. */
function playlists(call: FarEndCall): string[][] {
  return h.requests
    .filter((r) => r.op === 'channels.playWithId' && r.params.channelId === call.calleeId)
    .map((r) => r.params.media as string[]);
}

/** A caller leaves a message of `seconds` in `mailbox`; returns its recording name. */
async function leaveMessage(mailbox: string, seconds: number): Promise<string> {
  const caller = await h.dial(mailbox);
  const take = await h.recordingStarted(caller, 1);
  await h.speak(caller, seconds);
  await h.press(caller, '#');
  await h.reviewStarted(caller, take);
  await h.press(caller, '#');
  await h.ended(caller);
  return take;
}

describe('the mailbox menu', () => {
  it('logs in by mailbox and PIN, says the counts, plays the message with its envelope, moves it to Old, deletes it', async () => {
    const take = await leaveMessage('305', 2);
    expect(await h.mwi('305')).toEqual({ newMessages: 1, oldMessages: 0 });
    const owner = await h.dial('399');
    await hears(owner, 'sound:vm-login');
    await type(owner, '305#');
    await hears(owner, 'sound:vm-password');
    await type(owner, '1234#');
    await hears(owner, 'sound:vm-youhave');
    expect(playlists(owner).at(-1)).toEqual([
      'sound:vm-youhave',
      'number:1',
      'sound:vm-INBOX',
      'sound:vm-message',
      'sound:vm-onefor',
      'sound:vm-INBOX',
      'sound:vm-messages',
      'sound:vm-opts',
    ]);
    await h.press(owner, '1');
    await hears(owner, `recording:${take}`);
    const envelope = playlists(owner).at(-1)!;
    expect(envelope.slice(0, 4)).toEqual([
      'sound:vm-first',
      'sound:vm-message',
      'sound:vm-received',
      'sound:digits/today',
    ]);
    const caller = h.events.find((e) => e.type === 'voicemail.saved')!;
    const number = caller.type === 'voicemail.saved' ? caller.message.callerId.number : '';
    expect(envelope).toContain(number ? `digits:${number.replace(/[^0-9]/g, '')}` : 'sound:vm-unknown-caller');
    // Heard: in Old, and the lamp says so.
    const [heard] = await h.store.list(BOX);
    expect(heard).toMatchObject({ folder: 'Old', recordingName: take });
    expect(await h.mwi('305')).toEqual({ newMessages: 0, oldMessages: 1 });
    await hears(owner, 'sound:vm-repeat');
    await h.press(owner, '7');
    await hears(owner, 'sound:vm-deleted');
    expect(await h.store.list(BOX)).toEqual([]);
    expect(await h.trash.list(BOX)).toEqual([expect.objectContaining({ id: heard!.id, recordingName: take })]);
    expect(await h.mwi('305')).toEqual({ newMessages: 0, oldMessages: 0 });
    // Kept until purged: the audio is still there.
    expect(await h.storedNames(take)).toEqual([take]);
    await h.press(owner, '#');
    await hears(owner, 'sound:vm-goodbye');
    await h.ended(owner);
    const types = h.menuEvents.filter((e) => e.callId === owner.calleeId).map((e) => e.type);
    expect(types).toEqual(['mailbox.login', 'mailbox.heard', 'mailbox.deleted', 'mailbox.finished']);
    // The PIN is stored only hashed.
    const stored = await readFile(join(h.settings.directory, 'default', '305.json'), 'utf8');
    expect(stored).not.toContain('1234');
    expect(JSON.parse(stored).pinHash).toMatch(/^scrypt\$/);
  });

  it('forwards a message to 306 (a copy with its own recording, 306 lit) and saves it to Work', async () => {
    const take = await leaveMessage('305', 1);
    const owner = await h.dial('398');
    await hears(owner, 'sound:vm-password');
    await type(owner, '1234#');
    await hears(owner, 'sound:vm-youhave');
    await h.press(owner, '1');
    await hears(owner, `recording:${take}`);
    await h.press(owner, '8');
    await hears(owner, 'sound:vm-extension');
    await type(owner, '306#');
    await hears(owner, 'sound:vm-msgforwarded');
    const [copy] = await h.store.list({ mailbox: '306', context: 'default' });
    expect(copy).toMatchObject({ mailbox: '306', folder: 'INBOX' });
    expect(copy!.recordingName).toMatch(/^voicemail\/default\/306\//);
    expect(await h.storedNames(copy!.recordingName)).toEqual([copy!.recordingName]);
    expect(Math.abs((await h.wavSeconds(copy!.recordingName)) - (await h.wavSeconds(take)))).toBeLessThan(0.05);
    expect(await h.mwi('306')).toEqual({ newMessages: 1, oldMessages: 0 });
    await h.press(owner, '9');
    await hears(owner, 'sound:vm-savefolder');
    await h.press(owner, '2');
    await hears(owner, 'sound:vm-savedto');
    expect(await h.store.list(BOX)).toEqual([expect.objectContaining({ folder: 'Work', recordingName: take })]);
    expect(await h.mwi('305')).toEqual({ newMessages: 0, oldMessages: 0 });
    await h.hangup(owner);
    expect(h.app.stats().calls).toBe(0);
  });

  it('records the unavailable greeting (callers then hear it) and changes the PIN; a wrong PIN is told first', async () => {
    const owner = await h.dial('398');
    await hears(owner, 'sound:vm-password');
    await type(owner, '99#');
    await hears(owner, 'sound:vm-incorrect');
    await type(owner, '1234#');
    const summary = await hears(owner, 'sound:vm-youhave');
    await h.press(owner, '0');
    await hears(owner, 'sound:vm-options', summary);
    await h.press(owner, '1');
    await hears(owner, 'sound:vm-rec-unv');
    const greeting = await h.recordingStarted(owner, 1);
    expect(greeting).toMatch(/^voicemail\/default\/305\/greeting-unavailable-/);
    await h.speak(owner, 2);
    await h.press(owner, '#');
    await hears(owner, 'sound:vm-review');
    await h.press(owner, '1');
    await hears(owner, 'sound:vm-msgsaved');
    expect((await h.settings.get(BOX)).greetings?.unavailable).toBe(greeting);
    const seconds = await h.wavSeconds(greeting);
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(3);
    await h.press(owner, '5');
    await hears(owner, 'sound:vm-newpassword');
    await type(owner, '4321#');
    await hears(owner, 'sound:vm-reenterpassword');
    await type(owner, '4321#');
    await hears(owner, 'sound:vm-passchanged');
    expect(await verifyPin('4321', (await h.settings.get(BOX)).pinHash)).toBe(true);
    expect(await verifyPin('1234', (await h.settings.get(BOX)).pinHash)).toBe(false);
    await h.hangup(owner);
    // A caller now hears the owner's greeting.
    const caller = await h.dial('305');
    await hears(caller, `recording:${greeting}`);
    await h.hangup(caller);
    await setPin(h.settings, BOX, '1234');
  });
});
