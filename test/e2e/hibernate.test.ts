// 200 callers parked in recording with hibernation on: every call is held as its snapshot (the app's stats say so),
// then all are woken at once, half by `#` (then `#` again to keep the reviewed message) and half by hanging up.
// Every message is saved exactly once, none is lost, and nothing is left behind. Needs the simulator (manual clock,
// counts); skipped on a real Asterisk.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, expectEvenInboxes, type Harness, onRealAsterisk } from './helpers.js';

const CALLS = 200;
const BOXES = Array.from({ length: 20 }, (_, i) => String(300 + i));

let h: Harness | undefined;

beforeAll(async () => {
  if (onRealAsterisk) {
    console.info('e2e: the hibernation test needs the simulator and is skipped on a real Asterisk');
    return;
  }
  h = await createHarness({
    mailboxes: BOXES.map((mailbox) => ({ mailbox })),
    realLimitMs: 120_000,
    hibernate: { idleMs: 0 },
  });
});

afterAll(async () => {
  await h?.close();
});

it.skipIf(onRealAsterisk)(
  `${CALLS} parked calls hibernate, then wake at once on # or a hang-up: each message saved once`,
  async () => {
    const harness = h!;
    const sim = harness.sim!;
    const parked = await harness.driveAll(
      () =>
        Promise.all(
          Array.from({ length: CALLS }, async (_, i) => {
            const box = BOXES[i % BOXES.length]!;
            const call = await harness.dial(box);
            const take = await harness.recordingStarted(call, 1);
            await harness.speak(call, 1);
            return { call, box, take, hangsUp: i % 2 === 1 };
          }),
        ),
      `${CALLS} calls parked`,
    );
    await harness.until(() => harness.app.stats().hibernated === CALLS, `${CALLS} calls hibernated`);
    expect(harness.app.stats()).toMatchObject({ calls: CALLS, hibernated: CALLS });
    const restoredBefore = harness.app.stats().restored;

    await harness.driveAll(
      () =>
        Promise.all(
          parked.map(async ({ call, take, hangsUp }) => {
            if (hangsUp) {
              await harness.hangup(call);
              return;
            }
            await harness.press(call, '#');
            await harness.reviewStarted(call, take);
            await harness.press(call, '#');
            await harness.ended(call);
          }),
        ),
      `${CALLS} calls woken`,
    );

    expect(harness.app.stats()).toMatchObject({ calls: 0, routes: 0, draining: 0, hibernated: 0, ended: CALLS });
    // Each call was woken by its `#` or its hang-up (and may have slept again between its two keys).
    expect(harness.app.stats().restored - restoredBefore).toBeGreaterThanOrEqual(CALLS);
    const saved = harness.events.filter((e) => e.type === 'voicemail.saved');
    expect(saved).toHaveLength(CALLS);
    await expectEvenInboxes(harness, BOXES, CALLS);
    for (const { call, box, take } of parked) {
      const mine = await harness.messagesOf(call, box);
      expect(mine.map((m) => m.recordingName)).toEqual([take]);
    }
    expect(sim.storedRecordings()).toHaveLength(CALLS);
    expect(sim.counts()).toMatchObject({ channels: 0, bridges: 0, liveRecordings: 0, playbacks: 0 });
  },
  180_000,
);
