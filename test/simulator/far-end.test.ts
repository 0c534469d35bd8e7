// End to end through ARI only: the far end calls 305, the test's own little Stasis handler answers and records with
// a beep, the far end speaks and presses #, and the recording is stored with the right length. Runs against a real
// Asterisk (dialplan: ../shared/asterisk/etc/extensions.conf) when ARI_URL, ARI_USERNAME and ARI_PASSWORD are set.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { createFarEnd, createSimulator, type FarEnd, parseWav, type Simulator } from '../../src/simulator/index.js';

const real = process.env.ARI_URL
  ? { url: process.env.ARI_URL, username: process.env.ARI_USERNAME ?? '', password: process.env.ARI_PASSWORD ?? '' }
  : undefined;

let sim: Simulator | undefined;
let target: { url: string; username: string; password: string };
let farEnd: FarEnd;
let handler: AriClient;

/** Lets `ms` of call time pass: on the simulator's manual clock, or for real on a real Asterisk. */
async function pass(ms: number): Promise<void> {
  if (sim) sim.clock.advance(ms);
  else await new Promise((resolve) => setTimeout(resolve, ms));
}

beforeAll(async () => {
  if (real) target = real;
  else {
    console.info('far-end suite: ARI_URL is not set, running on the embedded ARI simulator');
    sim = await createSimulator({ clock: 'manual' });
    target = { url: sim.url, username: sim.username, password: sim.password };
  }
  handler = createAriClient({ ...target, apps: ['vm-record'] });
  await handler.connect();
  farEnd = await createFarEnd({ ...target, ...(sim ? { clock: sim.clock } : {}) });
});

afterAll(async () => {
  await farEnd?.close();
  await handler?.close();
  await sim?.close();
});

describe('a caller leaves a message on 305', () => {
  it('is answered, recorded after the beep, ends on #, and the file has the length spoken', async () => {
    const name = `voicemail/305/INBOX/e2e-${Date.now()}`;
    const off = handler.onEvent((e) => {
      if (e.type !== 'StasisStart') return;
      const channelId = (e as { channel: { id: string } }).channel.id;
      void (async () => {
        await handler.channels.answer({ channelId });
        await handler.channels.record({
          channelId,
          name,
          format: 'wav',
          beep: true,
          ifExists: 'overwrite',
          terminateOn: '#',
          maxDurationSeconds: 60,
        });
      })();
    });
    let call: Awaited<ReturnType<typeof farEnd.call>> | undefined;
    try {
      call = await farEnd.call('305');
      expect(call.calleeId).toBeTruthy();
      await call.waitFor('RecordingStarted');
      await pass(500); // the beep
      const speech = call.tone(3);
      await call.waitFor(
        (e) => e.type === 'PlaybackStarted' && String((e.playback as { id: string }).id).startsWith('say-'),
      );
      await pass(3000);
      await speech;
      await call.dtmf('#');
      await pass(300);
      const finished = await call.waitFor('RecordingFinished');
      const recording = finished.recording as { name: string; duration: number; state: string };
      expect(recording).toMatchObject({ name, state: 'done' });
      expect(recording.duration).toBeGreaterThanOrEqual(3);
      expect(recording.duration).toBeLessThanOrEqual(4);
      const file = await handler.recordings.getStoredFile({ recordingName: name });
      const chunks: Buffer[] = [];
      for await (const c of file) chunks.push(Buffer.from(c as Uint8Array));
      const { samples } = parseWav(Buffer.concat(chunks));
      expect(samples.length / 8000).toBeGreaterThan(3);
      expect(samples.length / 8000).toBeLessThan(4.5);
    } finally {
      off();
      // Even when an expectation failed: no call left in vm-record (the next test file's app would adopt it) and
      // no stored file left behind.
      await call?.hangup().catch(() => {});
      await handler.recordings.deleteStored({ recordingName: name }).catch(() => {});
    }
  });
});
