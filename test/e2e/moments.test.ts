// Every key at every moment of a take, and a hang-up at each of them, end to end through ARI: in the greeting, inside
// the beep (the library sounds it as a playback queued before the recording), right after it, while paused. Runs
// on the simulator and, with ARI_URL set, on a real Asterisk (where a stop, cancel or pause sent during a
// recording's own beep is lost: the reason the library holds every control until RecordingStarted). After each
// call: the store holds exactly what the caller kept, Asterisk stores exactly the kept takes, MWI equals the store,
// and the app ended the call (nobody is left in silence). Mailboxes 340-341: its own, so it may share an Asterisk.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FarEndCall } from '../../src/simulator/index.js';
import { createHarness, type Harness, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

const BOX = '340';
let h: Harness;

beforeAll(async () => {
  h = await createHarness({ mailboxes: [{ mailbox: BOX }, { mailbox: '341' }] });
});

afterAll(async () => {
  await h?.close();
});

/** Waits for the `n`-th beep of the call to start playing (1-based); the take it announces is not recording yet. */
async function beepStarted(call: FarEndCall, n: number): Promise<void> {
  await h.until(
    () =>
      h.eventsOf(call).filter((e) => e.type === 'PlaybackStarted' && String(e.playback?.id).endsWith('-beep'))[
        n - 1
      ] !== undefined,
    `beep #${n} on ${call.calleeId}`,
    { stepMs: 10 },
  );
}

/** The takes the call started (RecordingStarted), in order. */
function takes(call: FarEndCall): string[] {
  return h
    .eventsOf(call)
    .filter((e) => e.type === 'RecordingStarted')
    .map((e) => e.recording?.name ?? '');
}

/**
 * The call left exactly `said.length` messages in 340, the n-th holding about `said[n]` seconds of audio; nothing
 * else of the call is stored on Asterisk; MWI equals the store; the library's events agree.
 */
async function expectKept(call: FarEndCall, said: number[]): Promise<void> {
  const messages = await h.messagesOf(call, BOX);
  expect(messages).toHaveLength(said.length);
  for (const [i, message] of messages.entries()) {
    expect(message).toMatchObject({ mailbox: BOX, context: 'default', folder: 'INBOX', format: 'wav' });
    const seconds = await h.wavSeconds(message.recordingName);
    expect(seconds).toBeGreaterThanOrEqual(Math.max(0, said[i]! - 0.5));
    expect(seconds).toBeLessThan(said[i]! + 1);
  }
  expect((await h.storedNames(call.calleeId)).sort()).toEqual(messages.map((m) => m.recordingName).sort());
  expect(await h.mwi(BOX)).toEqual(await h.storeMwi(BOX));
  const saved = h.events.filter((e) => e.type === 'voicemail.saved' && e.callId === call.calleeId);
  expect(saved).toHaveLength(said.length);
}

function finished(call: FarEndCall): string | undefined {
  const e = h.events.find((x) => x.type === 'voicemail.finished' && x.callId === call.calleeId);
  return e && 'status' in e ? e.status : undefined;
}

/** Every take of the call but `kept` was reported discarded, and no error was reported. */
function expectDiscarded(call: FarEndCall, discarded: string[]): void {
  const reported = h.events
    .filter((e) => e.type === 'voicemail.discarded' && e.callId === call.calleeId)
    .map((e) => (e as { recordingName: string }).recordingName);
  expect(reported).toEqual(discarded);
  expect(h.events.filter((e) => e.type === 'voicemail.error' && e.callId === call.calleeId)).toEqual([]);
}

/** From review: # keeps the message, the app says goodbye and ends the call. */
async function keepFromReview(call: FarEndCall, take: string): Promise<void> {
  await h.reviewStarted(call, take);
  await h.press(call, '#');
  await h.ended(call);
  expect(finished(call)).toBe('SUCCESS');
}

describe('hanging up', () => {
  it('in the greeting: nothing is recorded or stored, MWI unchanged', async () => {
    const call = await h.dial(BOX);
    await h.until(() => h.eventsOf(call).some((e) => e.type === 'PlaybackStarted'), 'the greeting');
    await h.hangup(call);
    expect(takes(call)).toEqual([]);
    await expectKept(call, []);
    expectDiscarded(call, []);
  });

  it('inside the beep: no take is left behind, whatever Asterisk had begun', async () => {
    const call = await h.dial(BOX);
    await beepStarted(call, 1);
    await h.hangup(call);
    // A take that started before the hang-up reached it is kept as a (near empty) message; none is never stored.
    const kept = await h.messagesOf(call, BOX);
    await expectKept(
      call,
      kept.map(() => 0),
    );
  });

  it('right after the beep: the take is the message', async () => {
    const call = await h.dial(BOX);
    await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    await h.hangup(call);
    await expectKept(call, [1]);
  });

  it('while paused: what was recorded before the pause is the message', async () => {
    const call = await h.dial(BOX);
    await h.recordingStarted(call, 1);
    await h.speak(call, 2);
    await h.press(call, '1');
    await h.speak(call, 2);
    await h.hangup(call);
    await expectKept(call, [2]);
  });
});

describe('keys inside the beep', () => {
  it('* records again: a new take starts, the first exists nowhere', async () => {
    const call = await h.dial(BOX);
    await h.press(call, '#'); // skip the greeting
    await beepStarted(call, 1);
    await h.press(call, '*');
    const second = await h.recordingStarted(call, 2);
    const [first] = takes(call);
    expect(second).not.toBe(first);
    await h.speak(call, 2);
    await h.press(call, '#');
    await keepFromReview(call, second);
    await expectKept(call, [2]);
    expect((await h.messagesOf(call, BOX))[0]?.recordingName).toBe(second);
    expectDiscarded(call, [first!]);
  });

  it('# keeps the (empty) take: the review plays, # saves it and the app ends the call', async () => {
    const call = await h.dial(BOX);
    await beepStarted(call, 1);
    await h.press(call, '#');
    const take = await h.recordingStarted(call, 1);
    await keepFromReview(call, take);
    await expectKept(call, [0]);
  });

  it('0 throws the take away and ends the call (USEREXIT), nothing stored', async () => {
    const call = await h.dial(BOX);
    await beepStarted(call, 1);
    await h.press(call, '0');
    await h.ended(call);
    expect(finished(call)).toBe('USEREXIT');
    await expectKept(call, []);
    expectDiscarded(call, takes(call));
  });

  it('1 pauses: nothing is recorded until 1 again, then the rest is the message', async () => {
    const call = await h.dial(BOX);
    await beepStarted(call, 1);
    await h.press(call, '1');
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 2); // paused: not recorded
    await h.press(call, '1');
    await h.speak(call, 2);
    await h.press(call, '#');
    await keepFromReview(call, take);
    await expectKept(call, [2]);
  });
});

describe('keys right after the beep (when Asterisk would still be sounding its own)', () => {
  it('* at once: a new take, the first exists nowhere', async () => {
    const call = await h.dial(BOX);
    const first = await h.recordingStarted(call, 1);
    await h.press(call, '*');
    const second = await h.recordingStarted(call, 2);
    await h.speak(call, 1);
    await h.press(call, '#');
    await keepFromReview(call, second);
    await expectKept(call, [1]);
    expectDiscarded(call, [first]);
  });

  it('# at once: the take stops, review, # saves and the app hangs up', async () => {
    const call = await h.dial(BOX);
    const take = await h.recordingStarted(call, 1);
    await h.press(call, '#');
    await keepFromReview(call, take);
    await expectKept(call, [0]);
  });

  it('0 at once: discarded, USEREXIT, nothing stored', async () => {
    const call = await h.dial(BOX);
    const take = await h.recordingStarted(call, 1);
    await h.press(call, '0');
    await h.ended(call);
    expect(finished(call)).toBe('USEREXIT');
    await expectKept(call, []);
    expectDiscarded(call, [take]);
  });

  it('1 at once, speech, 1, speech, #: only the speech after the resume is kept', async () => {
    const call = await h.dial(BOX);
    const take = await h.recordingStarted(call, 1);
    await h.press(call, '1');
    await h.speak(call, 2);
    await h.press(call, '1');
    await h.speak(call, 1);
    await h.press(call, '#');
    await keepFromReview(call, take);
    await expectKept(call, [1]);
  });
});

describe('keys while paused', () => {
  it('* records again', async () => {
    const call = await h.dial(BOX);
    const first = await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    await h.press(call, '1');
    await h.press(call, '*');
    const second = await h.recordingStarted(call, 2);
    await h.speak(call, 1);
    await h.press(call, '#');
    await keepFromReview(call, second);
    await expectKept(call, [1]);
    expectDiscarded(call, [first]);
  });

  it('# keeps what was said before the pause', async () => {
    const call = await h.dial(BOX);
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 2);
    await h.press(call, '1');
    await h.speak(call, 1);
    await h.press(call, '#');
    await keepFromReview(call, take);
    await expectKept(call, [2]);
  });

  it('0 throws the take away and ends the call', async () => {
    const call = await h.dial(BOX);
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    await h.press(call, '1');
    await h.press(call, '0');
    await h.ended(call);
    expect(finished(call)).toBe('USEREXIT');
    await expectKept(call, []);
    expectDiscarded(call, [take]);
  });
});
