// 1,000 callers leave messages at once on one simulator (mailboxes 300-399, ten each): every message is saved,
// every take is stored once, MWI equals the store, and nothing is left behind (no call, route, channel or live
// recording). Needs the simulator (manual clock, counts); skipped on a real Asterisk.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, expectEvenInboxes, type Harness, onRealAsterisk } from './helpers.js';

const CALLS = Number(process.env.E2E_CALLS ?? 1000);
const BOXES = Array.from({ length: 100 }, (_, i) => String(300 + i));

let h: Harness | undefined;

beforeAll(async () => {
  if (onRealAsterisk) {
    console.info('e2e: the 1,000-call test needs the simulator and is skipped on a real Asterisk');
    return;
  }
  h = await createHarness({ mailboxes: BOXES.map((mailbox) => ({ mailbox })), realLimitMs: 120_000 });
});

afterAll(async () => {
  await h?.close();
});

it.skipIf(onRealAsterisk)(
  `${CALLS} concurrent callers each leave one message; nothing is left behind`,
  async () => {
    const harness = h!;
    const sim = harness.sim!;
    let peak = 0;
    const calls = await harness.driveAll(
      () =>
        Promise.all(
          Array.from({ length: CALLS }, async (_, i) => {
            const box = BOXES[i % BOXES.length]!;
            const call = await harness.dial(box);
            const take = await harness.recordingStarted(call, 1);
            peak = Math.max(peak, harness.app.stats().calls);
            await harness.speak(call, 1 + (i % 3));
            await harness.press(call, '#');
            await harness.reviewStarted(call, take);
            await harness.press(call, '#');
            await harness.ended(call);
            return { call, box, take, said: 1 + (i % 3) };
          }),
        ),
      `${CALLS} calls`,
    );

    // They really were on the line at the same time.
    expect(peak).toBe(CALLS);
    await expectEvenInboxes(harness, BOXES, CALLS);
    const stored = new Map(sim.storedRecordings().map((r) => [r.name, r.durationMs]));
    expect(stored.size).toBe(CALLS);
    for (const { call, box, take, said } of calls) {
      const [message] = await harness.messagesOf(call, box);
      expect(message?.recordingName).toBe(take);
      const ms = stored.get(take) ?? 0;
      expect(ms).toBeGreaterThan((said - 0.5) * 1000);
      expect(ms).toBeLessThan((said + 1) * 1000);
    }
    expect(harness.app.stats()).toMatchObject({ calls: 0, routes: 0, draining: 0, started: CALLS, ended: CALLS });
    expect(sim.counts()).toMatchObject({ channels: 0, bridges: 0, liveRecordings: 0, playbacks: 0 });
  },
  120_000,
);
