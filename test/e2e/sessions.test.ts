// The tutorial's three sample sessions, end to end: the far end calls 305 (Local/305 runs Stasis(vm-record,305)),
// speaks and presses keys; the voicemail app records, reviews and saves. Checked through ARI and the store: the
// kept take is the message (INBOX, duration, caller id, recording), no discarded take exists, MWI equals the store.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FarEndCall } from '../../src/simulator/index.js';
import { createHarness, type Harness, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Checks the messages a call left in 305 against what the caller said in the kept takes, and that nothing else of it is stored. */
async function expectKept(call: FarEndCall, said: number[]): Promise<void> {
  const messages = await h.messagesOf(call);
  expect(messages).toHaveLength(said.length);
  const caller = h.eventsOf(call).find((e) => e.type === 'StasisStart')?.channel?.caller;
  expect(caller).toBeDefined();
  for (const [i, message] of messages.entries()) {
    expect(message).toMatchObject({
      mailbox: '305',
      context: 'default',
      folder: 'INBOX',
      urgent: false,
      format: 'wav',
      callerId: { number: caller?.number ?? '', name: caller?.name ?? '' },
    });
    expect(message.recordingName).toMatch(/^voicemail\/default\/305\//);
    const seconds = await h.wavSeconds(message.recordingName);
    // The beep overlaps the start of the speech; the # (and the line after the speech) follow it.
    expect(seconds).toBeGreaterThan(said[i]! - 0.5);
    expect(seconds).toBeLessThan(said[i]! + 1);
    expect(message.durationSeconds).not.toBeNull();
    expect(Math.abs((message.durationSeconds ?? 0) - seconds)).toBeLessThanOrEqual(1);
  }
  // Exactly the kept takes are stored: every discarded one is gone.
  expect((await h.storedNames(call.calleeId)).sort()).toEqual(messages.map((m) => m.recordingName).sort());
  expect(await h.mwi('305')).toEqual(await h.storeMwi('305'));
  const saved = h.events.filter((e) => e.type === 'voicemail.saved' && e.callId === call.calleeId);
  expect(saved).toHaveLength(said.length);
}

describe('the tutorial sessions on 305', () => {
  it('(1) record, # to stop, the review plays, # keeps it', async () => {
    const call = await h.dial('305');
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 3);
    await h.press(call, '#');
    await h.reviewStarted(call, take);
    await h.press(call, '#');
    await h.ended(call);
    await expectKept(call, [3]);
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'voicemail.finished', callId: call.calleeId, status: 'SUCCESS' }),
    );
  });

  it('(1) record, # to stop, the caller hangs up during the review: kept', async () => {
    const call = await h.dial('305');
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 2);
    await h.press(call, '#');
    await h.reviewStarted(call, take);
    await h.hangup(call);
    await expectKept(call, [2]);
  });

  it('(2) * twice while recording, then #: two discarded takes, the third kept', async () => {
    const call = await h.dial('305');
    const takes: string[] = [];
    for (const n of [1, 2]) {
      takes.push(await h.recordingStarted(call, n));
      await h.speak(call, 1);
      await h.press(call, '*');
    }
    const kept = await h.recordingStarted(call, 3);
    expect(new Set([...takes, kept]).size).toBe(3);
    await h.speak(call, 4);
    await h.press(call, '#');
    await h.reviewStarted(call, kept);
    await h.press(call, '#');
    await h.ended(call);
    await expectKept(call, [4]);
    const [message] = await h.messagesOf(call);
    expect(message?.recordingName).toBe(kept);
    const discarded = h.events.filter((e) => e.type === 'voicemail.discarded' && e.callId === call.calleeId);
    expect(discarded.map((e) => (e as { recordingName: string }).recordingName)).toEqual(takes);
  });

  it('(3) record, #, review, * to record again, #, #: the second take is the message', async () => {
    const call = await h.dial('305');
    const first = await h.recordingStarted(call, 1);
    await h.speak(call, 2);
    await h.press(call, '#');
    await h.reviewStarted(call, first);
    await h.press(call, '*');
    const second = await h.recordingStarted(call, 2);
    expect(second).not.toBe(first);
    await h.speak(call, 3);
    await h.press(call, '#');
    await h.reviewStarted(call, second);
    await h.press(call, '#');
    await h.ended(call);
    await expectKept(call, [3]);
    expect((await h.messagesOf(call))[0]?.recordingName).toBe(second);
  });
});
