import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import type { RecordCallInput, RecordCallStatus } from '../../machines/record-call.js';
import { AriHttpError } from '../../src/ari/errors.js';
import type { AriResources } from '../../src/ari/operations.js';
import { attachRecorder } from '../../src/recording/calls.js';
import { mp3Info } from '../../src/recording/mp3.js';
import { createMemoryRecordingStore, provideRecordCall } from '../../src/recording/recorder.js';
import { Uploader } from '../../src/recording/upload.js';
import { encodeWav, parseWav } from '../../src/recording/wav.js';
import { hangupOnce } from '../../src/runtime/hangup.js';
import type { RoutableEvent } from '../../src/runtime/routing.js';
import { startReceiver, type TestReceiver } from './receiver.js';

const notFound = (path: string) =>
  new AriHttpError(404, 'Recording not found', { method: 'POST', path, body: { message: 'Recording not found' } });

/**
 * Just enough of an Asterisk for the recorder: records a tone for as long as the test says, answers 404 to a stop
 * of a recording that already finished (as after a hang-up), serves and deletes the stored file.
 */
function fakeAsterisk(seconds: number) {
  const stored = new Map<string, Uint8Array>();
  const requests: string[] = [];
  let send: (event: unknown) => void = () => {};
  const samples = new Int16Array(8000 * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(5000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  const client = {
    channels: {
      async record(params: { channelId: string; name: string; format: string; maxDurationSeconds?: number }) {
        requests.push(`record ${params.channelId} ${params.name} ${params.format} ${params.maxDurationSeconds}`);
        // Asterisk sends RecordingStarted before it answers the request.
        send({ type: 'RecordingStarted', recording: { name: params.name, state: 'recording' } });
        return { name: params.name, state: 'queued' };
      },
    },
    recordings: {
      async stop({ recordingName }: { recordingName: string }) {
        requests.push(`stop ${recordingName}`);
        if (stored.has(recordingName)) throw notFound(`/recordings/live/${recordingName}/stop`);
        stored.set(recordingName, encodeWav(samples, 8000));
        send({ type: 'RecordingFinished', recording: { name: recordingName, state: 'done', duration: seconds } });
      },
      async getStoredFile({ recordingName }: { recordingName: string }) {
        const file = stored.get(recordingName);
        if (!file) throw notFound(`/recordings/stored/${recordingName}/file`);
        // Delivered in uneven chunks, as a socket would.
        const chunks: Uint8Array[] = [];
        for (let at = 0; at < file.length; at += 1001) chunks.push(file.subarray(at, at + 1001));
        return Readable.from(chunks);
      },
      async deleteStored({ recordingName }: { recordingName: string }) {
        requests.push(`delete ${recordingName}`);
        if (!stored.delete(recordingName)) throw notFound(`/recordings/stored/${recordingName}`);
      },
    },
  };
  return {
    client: client as unknown as AriResources,
    stored,
    requests,
    hangUp: (name: string) => {
      stored.set(name, encodeWav(samples, 8000));
      send({ type: 'ChannelHangupRequest', channel: { id: 'c1' } });
      send({ type: 'RecordingFinished', recording: { name, state: 'done' } });
      send({ type: 'StasisEnd', channel: { id: 'c1' } });
    },
    connect: (fn: (event: unknown) => void) => {
      send = fn;
    },
  };
}

describe('the recorder on ARI, uploading to a real receiver', () => {
  let dir: string;
  let receiver: TestReceiver;
  let uploader: Uploader;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-'));
    receiver = await startReceiver();
    uploader = await Uploader.open({ spoolDir: dir, sleep: async () => {} });
  });
  afterEach(async () => {
    await uploader.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function record(input: Omit<RecordCallInput, 'callId'>, seconds: number, end: 'stop' | 'hangup' = 'stop') {
    const asterisk = fakeAsterisk(seconds);
    const routes: string[] = [];
    const store = createMemoryRecordingStore();
    const machine = provideRecordCall({
      client: asterisk.client,
      route: (kind, id) => routes.push(`${kind}:${id}`),
      uploader,
      store,
    });
    const actor = createActor(machine, { input: { callId: 'c1', ...input }, clock: new SimulatedClock() });
    const statuses: RecordCallStatus[] = [];
    actor.on('*', (event) => statuses.push(event));
    // As the runtime does: the call's hang-up (ChannelHangupRequest, then StasisEnd) reaches the actor once.
    const toActor = hangupOnce('c1');
    asterisk.connect((event) => {
      const sent = toActor(event as RoutableEvent);
      if (sent !== undefined) actor.send(sent as never);
    });
    const done = new Promise<void>((resolve) => actor.subscribe({ complete: resolve }));
    actor.start();
    await expect.poll(() => actor.getSnapshot().value).toEqual({ recording: 'active' });
    if (end === 'stop') actor.send({ type: 'recording.stop' });
    else asterisk.hangUp('call_recording_c1');
    await done;
    return { asterisk, routes, store, statuses, output: actor.getSnapshot().output };
  }

  it('uploads a wav whose header and duration are exact, and removes it from Asterisk', async () => {
    const { asterisk, routes, output, statuses } = await record(
      { url: `${receiver.url}/calls/{ACCOUNT_ID}`, metadata: { ACCOUNT_ID: 'a1' } },
      4,
    );
    expect(routes).toEqual(['recording:call_recording_c1']);
    expect(asterisk.requests).toEqual([
      'record c1 call_recording_c1 wav 3601',
      'stop call_recording_c1',
      'delete call_recording_c1',
    ]);
    const file = receiver.files.get('/calls/a1/call_recording_c1.wav');
    expect(file).toBeDefined();
    const wav = parseWav(file ?? new Uint8Array());
    expect(wav).toMatchObject({
      sampleRate: 8000,
      channels: 1,
      bitsPerSample: 16,
      dataBytes: 64000,
      durationSeconds: 4,
    });
    expect(receiver.requests[0]).toMatchObject({ contentType: 'audio/wav', contentLength: String(64044) });
    expect(output).toMatchObject({
      outcome: 'uploaded',
      stored: { bytes: 64044, durationSeconds: 4, contentType: 'audio/wav' },
    });
    expect(statuses.map((s) => s.type)).toEqual([
      'recording.started',
      'recording.stopped',
      'recording.stored',
      'recording.uploaded',
    ]);
  });

  it('encodes mp3 in-process: valid frames at 8 kHz, duration within one frame block of the wav', async () => {
    const { output } = await record({ url: `${receiver.url}/mp3/`, format: 'mp3' }, 6);
    const file = receiver.files.get('/mp3/call_recording_c1.mp3') ?? new Uint8Array();
    expect(receiver.requests[0]).toMatchObject({ contentType: 'audio/mpeg', contentLength: String(file.length) });
    const info = mp3Info(file);
    expect(info).toMatchObject({ sampleRate: 8000, samplesPerFrame: 576, skippedBytes: 0 });
    // lamejs adds its encoder delay and pads the last frame: never shorter, at most a few frames longer.
    expect(info.durationSeconds).toBeGreaterThanOrEqual(6);
    expect(info.durationSeconds).toBeLessThan(6 + (3 * 576) / 8000);
    // 32 kbit/s for 6 s is about 24 kB.
    expect(file.length).toBeGreaterThan(20_000);
    expect(file.length).toBeLessThan(30_000);
    expect(output).toMatchObject({ outcome: 'uploaded', stored: { durationSeconds: 6, contentType: 'audio/mpeg' } });
  });

  it('keeps the file on a hang-up: the stop answers 404, which is normal', async () => {
    const { asterisk, output, statuses } = await record({ url: `${receiver.url}/h` }, 2, 'hangup');
    expect(asterisk.requests.slice(1)).toEqual(['stop call_recording_c1', 'delete call_recording_c1']);
    expect(parseWav(receiver.files.get('/h/call_recording_c1.wav') ?? new Uint8Array()).durationSeconds).toBe(2);
    expect(statuses).toContainEqual({
      type: 'recording.stopped',
      recordingName: 'call_recording_c1',
      reason: 'hangup',
    });
    expect(output).toMatchObject({ outcome: 'uploaded' });
  });

  it('without a url, keeps the recording on Asterisk with a record in the store, or discards it', async () => {
    const kept = await record({ metadata: { ACCOUNT_ID: 'a1' } }, 3);
    expect(kept.asterisk.stored.has('call_recording_c1')).toBe(true);
    expect(kept.store.records).toEqual([
      expect.objectContaining({
        callId: 'c1',
        recordingName: 'call_recording_c1',
        bytes: 48044,
        durationSeconds: 3,
        metadata: { ACCOUNT_ID: 'a1' },
      }),
    ]);
    const discarded = await record({ keep: false }, 3);
    expect(discarded.asterisk.stored.size).toBe(0);
    expect(discarded.output).toMatchObject({ outcome: 'discarded' });
    expect(receiver.requests).toEqual([]);
  });

  it('reports a 4xx from the receiver with its status; the file waits in failed/', async () => {
    receiver.script = [413];
    const { output, statuses } = await record({ url: `${receiver.url}/full` }, 1);
    expect(output).toMatchObject({ outcome: 'failed', error: { stage: 'upload', status: 413 } });
    expect(statuses.at(-1)).toMatchObject({ type: 'recording.failed', error: { status: 413 } });
    expect(await uploader.spool.list('failed')).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ callId: 'c1' }) }),
    ]);
  });
  it('attachRecorder: two calls recorded at once by one shared machine, each driven by its own events only', async () => {
    const asterisk = fakeAsterisk(2);
    const listeners = new Set<(event: { type: string; application?: string }) => void>();
    asterisk.connect((event) => {
      for (const listener of listeners) listener(event as { type: string });
    });
    const client = Object.assign(Object.create(asterisk.client) as AriResources, {
      onEvent(listener: (event: { type: string; application?: string }) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    const store = createMemoryRecordingStore();
    const a = attachRecorder({ client, app: 'rec', channelId: 'ca', store, uploader });
    const b = attachRecorder({ client, app: 'rec', channelId: 'cb', uploader, input: { url: `${receiver.url}/b` } });
    expect(a.actor.logic).toBe(b.actor.logic);
    const active = { recording: 'active' };
    await expect.poll(() => [a.actor.getSnapshot().value, b.actor.getSnapshot().value]).toEqual([active, active]);
    // Another app's event about a's recording is not a's.
    for (const listener of listeners) {
      listener({ type: 'RecordingFinished', application: 'other', recording: { name: 'call_recording_ca' } } as never);
    }
    const done = (actor: typeof a.actor) => new Promise<void>((resolve) => actor.subscribe({ complete: resolve }));
    const bDone = done(b.actor);
    b.actor.send({ type: 'recording.stop' });
    await bDone;
    expect(b.actor.getSnapshot().output).toMatchObject({ outcome: 'uploaded' });
    expect(parseWav(receiver.files.get('/b/call_recording_cb.wav') ?? new Uint8Array()).durationSeconds).toBe(2);
    expect(a.actor.getSnapshot().value).toEqual(active);
    expect(listeners.size).toBe(1);
    const aDone = done(a.actor);
    a.actor.send({ type: 'recording.stop' });
    await aDone;
    expect(store.records).toEqual([expect.objectContaining({ callId: 'ca', recordingName: 'call_recording_ca' })]);
    expect(asterisk.requests.filter((r) => r.startsWith('record')).sort()).toEqual([
      'record ca call_recording_ca wav 3601',
      'record cb call_recording_cb wav 3601',
    ]);
    expect(listeners.size).toBe(0);
  });

  it('attachRecorder: the call hanging up reaches the recorder once, as a hangup, and the file is kept', async () => {
    const asterisk = fakeAsterisk(2);
    const listeners = new Set<(event: { type: string; application?: string }) => void>();
    asterisk.connect((event) => {
      for (const listener of listeners) listener(event as { type: string });
    });
    const client = Object.assign(Object.create(asterisk.client) as AriResources, {
      onEvent(listener: (event: { type: string; application?: string }) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    const store = createMemoryRecordingStore();
    const attached = attachRecorder({ client, app: 'rec', channelId: 'c1', store });
    const received: unknown[] = [];
    attached.actor.system.inspect((e) => {
      if (e.type === '@xstate.event' && e.actorRef === attached.actor) received.push(e.event);
    });
    await expect.poll(() => attached.actor.getSnapshot().value).toEqual({ recording: 'active' });
    const done = new Promise<void>((resolve) => attached.actor.subscribe({ complete: resolve }));
    asterisk.hangUp('call_recording_c1');
    await done;
    const types = received.map((e) => (e as { type: string }).type).filter((t) => !t.startsWith('xstate.'));
    expect(types).toEqual(['hangup', 'RecordingFinished']);
    expect(received[0]).toMatchObject({ original: { type: 'ChannelHangupRequest', channel: { id: 'c1' } } });
    expect(attached.actor.getSnapshot().output).toMatchObject({ outcome: 'kept' });
    expect(store.records).toEqual([expect.objectContaining({ callId: 'c1', durationSeconds: 2 })]);
  });

  it('attachRecorder: detach stops the recorder and its listening', async () => {
    const asterisk = fakeAsterisk(1);
    const listeners = new Set<unknown>();
    const client = Object.assign(Object.create(asterisk.client) as AriResources, {
      onEvent(listener: unknown) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    const attached = attachRecorder({ client, app: 'rec', channelId: 'cd' });
    // No event reaches this client, and the 201 says `queued`: the recorder waits for RecordingStarted.
    await expect.poll(() => attached.actor.getSnapshot().value).toBe('queued');
    attached.detach();
    expect(attached.actor.getSnapshot().status).toBe('stopped');
    expect(listeners.size).toBe(0);
    expect(() => attachRecorder({ client: asterisk.client, app: 'rec', channelId: 'x' })).toThrow(/event stream/);
  });
});
