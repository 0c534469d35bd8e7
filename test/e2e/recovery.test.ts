// The journal and recovery, end to end on the simulator: the voicemail app is killed (its actors stop where they
// are, its socket closes, nothing is hung up or saved) while callers record, and a fresh app on the same store
// finishes every call. Callers who hung up while it was down get their message; callers still on the line are
// finished properly (take kept, told, sent back to the dialplan); a discarded take never survives; stored
// recordings nobody owns are reported. Mailboxes 350-359.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FarEndCall } from '../../src/simulator/index.js';
import { createHarness, type Harness, onRealAsterisk, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

const BOXES = Array.from({ length: 10 }, (_, i) => String(350 + i));
let h: Harness;

beforeAll(async () => {
  if (onRealAsterisk) {
    console.info('e2e: the crash tests kill the app in-process on the simulator; skipped on a real Asterisk');
    return;
  }
  h = await createHarness({ mailboxes: BOXES.map((mailbox) => ({ mailbox })), realLimitMs: 60_000 });
});

afterAll(async () => {
  await h?.close();
});

const simIt = it.skipIf(onRealAsterisk);

/** No channel of these calls is left anywhere, and no recording of theirs is live. */
function nothingLeft(calls: FarEndCall[]): void {
  const ids = new Set(calls.flatMap((c) => [c.channelId, c.calleeId]));
  expect(h.sim!.channels().filter((c) => ids.has(c.id))).toEqual([]);
  expect(h.sim!.liveRecordings().filter((r) => calls.some((c) => r.target_uri === `channel:${c.calleeId}`))).toEqual(
    [],
  );
}

async function mwiMatches(): Promise<void> {
  for (const box of BOXES) expect(await h.mwi(box), box).toEqual(await h.storeMwi(box));
}

describe('kill -9 of the app while callers record', () => {
  simIt('with 50 calls recording: after a restart all 50 messages are in their mailboxes', async () => {
    const calls = await h.driveAll(
      () =>
        Promise.all(
          Array.from({ length: 50 }, async (_, i) => {
            const call = await h.dial(BOXES[i % BOXES.length]);
            await h.recordingStarted(call, 1);
            return call;
          }),
        ),
      'fifty callers recording',
    );
    await h.pass(2000);
    await h.crash();
    // Half of the callers hang up while the app is down; the other half wait on the line.
    const gone = calls.slice(0, 25);
    const waiting = calls.slice(25);
    await h.driveAll(() => Promise.all(gone.map((c) => h.drive(c.hangup(), 'a hang-up'))), 'the hang-ups');
    await h.pass(3000);
    await h.restart();
    await h.driveAll(() => Promise.all(waiting.map((c) => h.ended(c))), 'the waiting callers to be finished');
    await h.until(() => h.app.stats().calls === 0, 'every call to end');
    for (const call of calls) {
      const box = BOXES[calls.indexOf(call) % BOXES.length];
      const messages = await h.messagesOf(call, box);
      expect(messages, call.calleeId).toHaveLength(1);
      expect(await h.storedNames(call.calleeId)).toEqual([messages[0]!.recordingName]);
    }
    // The callers still on the line heard that their message was saved, and went back to the dialplan.
    for (const call of waiting) {
      expect(
        h.eventsOf(call).some((e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === 'sound:vm-msgsaved'),
      ).toBe(true);
    }
    nothingLeft(calls);
    await mwiMatches();
    const last = h.recoveries.at(-1)!;
    expect(last.saved).toHaveLength(25);
    expect(last.resumed).toHaveLength(25);
  });

  simIt('a take discarded just before the crash is deleted, never saved', async () => {
    const call = await h.dial('355');
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    // The caller presses * (record again): the app marks the take discarded and is killed before it is purged.
    h.sim!.faults.delayRequests({ method: 'DELETE', path: '/recordings/live/**', ms: 60_000 });
    const cancelling = () => h.requests.some((r) => r.op === 'recordings.cancel' && r.params.recordingName === take);
    h.holds.push(cancelling);
    try {
      await call.dtmf('*');
      await h.until(cancelling, 'the cancel to be sent');
      await h.crash();
    } finally {
      h.holds.splice(h.holds.indexOf(cancelling), 1);
      h.sim!.faults.clear();
    }
    await h.drive(call.hangup(), 'the hang-up');
    await h.pass(1000);
    await h.restart();
    await h.until(() => h.app.stats().calls === 0, 'every call to end');
    expect(await h.messagesOf(call, '355')).toEqual([]);
    expect(await h.storedNames(take)).toEqual([]);
    expect(h.recoveries.at(-1)!.deleted).toContain(take);
    await mwiMatches();
  });

  simIt('a stored recording under voicemail/ that nothing owns is reported, and left alone', async () => {
    const call = await h.dial('356');
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    await h.hangup(call);
    await h.until(() => h.app.stats().calls === 0, 'the call to end');
    const [message] = await h.messagesOf(call, '356');
    // Someone removed the message's metadata but not its audio.
    await h.store.delete({ mailbox: '356', context: 'default' }, message!.id);
    await h.crash();
    await h.restart();
    expect(h.recoveries.at(-1)!.orphans).toContain(take);
    expect(await h.storedNames(take)).toEqual([take]);
  });
});
