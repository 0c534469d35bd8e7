// The call recorder when its recording waits behind a playback on the recorded channel (an announcement the app
// plays first): Asterisk answers the record request `queued`, and a stop sent then only marks it canceled; it still
// records once the playback ends. The recorder holds such a stop until RecordingStarted. Runs on the simulator
// (manual clock) or, when ARI_URL, ARI_USERNAME and ARI_PASSWORD are set, on that real Asterisk; everything is looked
// at through ARI (the stored recording and its WAV file, the live recordings).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import type { RecordCallOutput, RecordCallStatus } from '../../machines/record-call.js';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { createRecordCallCalls } from '../../src/recording/calls.js';
import { parseWav } from '../../src/recording/wav.js';
import { createStasisApp, type StasisApp } from '../../src/runtime/app.js';
import { createFarEnd, createSimulator, type FarEnd, type Simulator } from '../../src/simulator/index.js';

const APP = 'rec-app';
const real = process.env.ARI_URL
  ? { url: process.env.ARI_URL, username: process.env.ARI_USERNAME ?? '', password: process.env.ARI_PASSWORD ?? '' }
  : undefined;

let sim: Simulator | undefined;
let client: AriClient;
let farEnd: FarEnd;
let app: StasisApp;
let stopAnswering: () => void;
const recorders = new Map<string, { actor: AnyActorRef; statuses: RecordCallStatus[] }>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets call time pass until `done()` holds: the manual clock in 20 ms frames, or real time. */
async function until(done: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  for (let passed = 0; !done(); passed += 20) {
    if (passed > limitMs) throw new Error(`still waiting for ${what} after ${limitMs} ms of call time`);
    if (sim) sim.clock.advance(20);
    await sleep(sim ? 2 : 20);
  }
}

beforeAll(async () => {
  if (!real) sim = await createSimulator({ clock: 'manual' });
  const target = real ?? { url: sim!.url, username: sim!.username, password: sim!.password };
  client = createAriClient({ ...target, apps: [APP] });
  await client.connect();
  // The rest of the user's app: it answers every party handed to rec-app (the dialplan only does Stasis()).
  stopAnswering = client.onEvent((event) => {
    if (event.type !== 'StasisStart' || event.application !== APP) return;
    void client.channels.answer({ channelId: event.channel.id }).catch(() => {});
  });
  app = createStasisApp({
    client,
    app: APP,
    ...(sim ? { clock: sim.clock } : {}),
    // Started by command (after the announcement), kept on Asterisk: the test reads the file there.
    createCall: createRecordCallCalls({ defaults: { action: 'stop', time_limit: 5, keep: true } }),
    onCallEvent: (event) => {
      if (event.type !== 'call.started') return;
      const statuses: RecordCallStatus[] = [];
      event.actor.on('*', (status: RecordCallStatus) => statuses.push(status));
      recorders.set(event.callId, { actor: event.actor, statuses });
    },
  });
  await app.start();
  farEnd = await createFarEnd({ ...target, ...(sim ? { clock: sim.clock } : {}) });
});

afterAll(async () => {
  await app?.stop();
  stopAnswering?.();
  await farEnd?.close();
  await client?.close();
  await sim?.close();
});

/** A call to 401 with an announcement playing on the recorded channel and the recording queued behind it. */
async function queuedBehindAnnouncement() {
  const call = await farEnd.call('401');
  await until(() => recorders.has(call.calleeId), 'the recorder of the call');
  const recorder = recorders.get(call.calleeId)!;
  const playbackId = `announce-${call.calleeId}`;
  const announced = { ended: false };
  const off = client.onEvent((event) => {
    if (event.type === 'PlaybackFinished' && event.playback.id === playbackId) announced.ended = true;
  });
  await client.channels.playWithId({ channelId: call.calleeId, playbackId, media: 'sound:vm-intro' });
  recorder.actor.send({ type: 'recording.start' });
  await until(() => recorder.actor.getSnapshot().value === 'queued', 'the record request answered `queued`');
  const output = new Promise<RecordCallOutput>((resolve) =>
    recorder.actor.subscribe({ complete: () => resolve(recorder.actor.getSnapshot().output as RecordCallOutput) }),
  );
  return { call, recorder, announced, output, off, name: `call_recording_${call.calleeId}` };
}

async function storedSeconds(name: string): Promise<number> {
  return parseWav(new Uint8Array(await client.recordings.getStoredFile({ recordingName: name }).then(toBuffer)))
    .durationSeconds;
}

async function toBuffer(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function isLive(name: string): Promise<boolean> {
  return client.recordings.getLive({ recordingName: name }).then(
    () => true,
    () => false,
  );
}

describe(`a recording queued behind a playback (${real ? 'real Asterisk' : 'simulator'})`, () => {
  it('a stop sent while it is queued is held and sent once it started: a short take, nothing left recording', async () => {
    const q = await queuedBehindAnnouncement();
    q.recorder.actor.send({ type: 'recording.stop' });
    await until(() => q.recorder.statuses.some((s) => s.type === 'recording.stored'), 'the take stored');
    const types = q.recorder.statuses.map((s) => s.type);
    expect(types).toEqual(['recording.started', 'recording.stopped', 'recording.stored']);
    expect(q.recorder.statuses[1]).toMatchObject({ reason: 'command' });
    // It started only after the announcement, and the stop ended it at once, long before its 5 s limit.
    expect(q.announced.ended).toBe(true);
    expect(await isLive(q.name)).toBe(false);
    expect(await storedSeconds(q.name)).toBeLessThan(1);
    expect(await q.output).toMatchObject({ outcome: 'kept' });
    q.off();
    await client.recordings.deleteStored({ recordingName: q.name });
    await q.call.hangup();
  }, 60_000);

  it('a hang-up while it is queued keeps the (empty) take Asterisk still makes, and ends the recorder', async () => {
    const q = await queuedBehindAnnouncement();
    await q.call.hangup();
    await until(() => q.recorder.actor.getSnapshot().status === 'done', 'the recorder done');
    expect(await q.output).toMatchObject({ outcome: 'kept' });
    expect(q.recorder.statuses).toContainEqual(
      expect.objectContaining({ type: 'recording.stopped', reason: 'hangup' }),
    );
    expect(await isLive(q.name)).toBe(false);
    expect(await storedSeconds(q.name)).toBeLessThan(0.5);
    q.off();
    await client.recordings.deleteStored({ recordingName: q.name });
  }, 60_000);
});
