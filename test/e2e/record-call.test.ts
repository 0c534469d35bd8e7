// Call recording end to end: the far end places real Local calls into `rec-app` on the ARI simulator, the runtime
// runs the record-call machine for the recorded leg (with the simulator's clock as its clock), and the finished file
// travels through the durable upload spool to a receiving HTTP server on loopback. Every duration is simulated time.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { startRecordingReceiver } from '../../examples/recording-receiver.js';
import type { RecordCallOutput, RecordCallStatus } from '../../machines/record-call.js';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { PostgresUploadQueue } from '../../src/postgres/index.js';
import { createRecordCallCalls } from '../../src/recording/calls.js';
import type { RecorderSettings } from '../../src/recording/kazoo.js';
import { mp3Info } from '../../src/recording/mp3.js';
import type { RecorderRecoveryReport } from '../../src/recording/recovery.js';
import { type RecordingUploads, type UploadEvent, Uploader } from '../../src/recording/upload.js';
import { parseWav } from '../../src/recording/wav.js';
import { createStasisApp, type StasisApp } from '../../src/runtime/app.js';
import { createFarEnd, createSimulator, type FarEnd, type Simulator } from '../../src/simulator/index.js';
import { postgresUrl } from '../helpers/missing.js';
import { postgresBackend } from '../helpers/postgres.js';
import { startReceiver } from '../recording/receiver.js';

const APP = 'rec-app';
// One 20 ms frame of 8 kHz audio: the precision Asterisk records with.
const FRAME_SECONDS = 0.02;
// lamejs writes MPEG-2.5 Layer III at 8 kHz: 576 samples (72 ms) a frame, plus its encoder delay and padding.
const MP3_FRAME_SECONDS = 576 / 8000;

let sim: Simulator;
let client: AriClient;
let farEnd: FarEnd;
let stopAnswering: () => void;

beforeAll(async () => {
  sim = await createSimulator({ clock: 'manual' });
  const target = { url: sim.url, username: sim.username, password: sim.password };
  client = createAriClient({ ...target, apps: [APP] });
  await client.connect();
  // The rest of the user's app: it answers every party handed to rec-app (the dialplan only does Stasis()).
  stopAnswering = client.onEvent((event) => {
    if (event.type !== 'StasisStart' || event.application !== APP) return;
    void client.channels.answer({ channelId: event.channel.id }).catch(() => {});
  });
  farEnd = await createFarEnd({ ...target, clock: sim.clock });
});

afterAll(async () => {
  stopAnswering?.();
  await farEnd?.close();
  await client?.close();
  await sim?.close();
});

/** Uploader retries wait on the simulator's clock, so a test moves them on with `sim.clock.advance`. */
const simSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = sim.clock.setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        sim.clock.clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** What one recorded call did: its status events in order, and its output once the actor finished. */
interface RecordedCall {
  readonly callId: string;
  readonly actor: AnyActorRef;
  readonly statuses: RecordCallStatus[];
  /** Resolves with the first status of that type (already seen or still to come). */
  next<T extends RecordCallStatus['type']>(type: T): Promise<Extract<RecordCallStatus, { type: T }>>;
  readonly output: Promise<RecordCallOutput>;
}

const STATUS_TYPES: RecordCallStatus['type'][] = [
  'recording.started',
  'recording.paused',
  'recording.resumed',
  'recording.stopped',
  'recording.stored',
  'recording.upload_retrying',
  'recording.uploaded',
  'recording.failed',
];

let dirs: string[] = [];
let cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeEach(() => {
  dirs = [];
  cleanups = [];
});

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `ari-voicemail-${prefix}-`));
  dirs.push(dir);
  return dir;
}

/**
 * Runs rec-app with the recorder on the A-leg (extension 401 and 403..), as a user would; extension 402 is the other
 * party of a conversation, which the recorder leaves alone.
 */
async function startRecorderApp(options: {
  defaults: RecorderSettings;
  uploader: RecordingUploads;
  configure?: (callId: string) => RecorderSettings;
  /** The app's own client (default: the suite's shared one). */
  client?: AriClient;
  onRecovery?: (report: RecorderRecoveryReport) => void;
}): Promise<{ app: StasisApp; call(callId: string): RecordedCall; uploads: UploadEvent[] }> {
  const calls = new Map<string, RecordedCall>();
  const uploads: UploadEvent[] = [];
  cleanups.push(options.uploader.subscribe((event) => uploads.push(event)));
  const app = createStasisApp({
    client: options.client ?? client,
    app: APP,
    clock: sim.clock,
    createCall: createRecordCallCalls({
      uploader: options.uploader,
      ...(options.onRecovery ? { onRecovery: options.onRecovery } : {}),
      defaults: options.defaults,
      configure: (start) => (start.args[0] === '402' ? undefined : (options.configure?.(start.channel.id) ?? {})),
    }),
    onCallEvent: (event) => {
      if (event.type === 'call.started') calls.set(event.callId, watch(event.callId, event.actor));
    },
  });
  await app.start();
  cleanups.push(() => app.stop());
  return {
    app,
    uploads,
    call(callId) {
      const call = calls.get(callId);
      if (!call) throw new Error(`no recorder started for ${callId}`);
      return call;
    },
  };
}

function watch(callId: string, actor: AnyActorRef): RecordedCall {
  const statuses: RecordCallStatus[] = [];
  const waiters: Array<{ type: string; resolve: (status: RecordCallStatus) => void }> = [];
  for (const type of STATUS_TYPES) {
    actor.on(type, (status: RecordCallStatus) => {
      statuses.push(status);
      for (const waiter of waiters.filter((w) => w.type === status.type)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(status);
      }
    });
  }
  const output = new Promise<RecordCallOutput>((resolve, reject) => {
    actor.subscribe({
      complete: () => resolve(actor.getSnapshot().output as RecordCallOutput),
      error: reject,
    });
  });
  return {
    callId,
    actor,
    statuses,
    output,
    next: <T extends RecordCallStatus['type']>(type: T) =>
      new Promise<Extract<RecordCallStatus, { type: T }>>((resolve) => {
        const seen = statuses.find((s) => s.type === type);
        if (seen) resolve(seen as Extract<RecordCallStatus, { type: T }>);
        else waiters.push({ type, resolve: resolve as (status: RecordCallStatus) => void });
      }),
  };
}

/** The conversation of the issue: A (401) and B (402), both handed to rec-app and bridged by the user's app. */
async function twoPartyCall() {
  const a = await farEnd.call('401');
  const b = await farEnd.call('402');
  const bridgeId = `conversation-${a.calleeId}`;
  await client.bridges.createWithId({ bridgeId, type: 'mixing' });
  await client.bridges.addChannel({ bridgeId, channel: [a.calleeId, b.calleeId] });
  cleanups.push(async () => {
    await b.hangup();
    await client.bridges.destroy({ bridgeId }).catch(() => {});
  });
  return { a, b, bridgeId, callId: a.calleeId };
}

function expectWav(bytes: Uint8Array, seconds: number) {
  const wav = parseWav(bytes);
  expect({ rate: wav.sampleRate, channels: wav.channels, bits: wav.bitsPerSample }).toEqual({
    rate: 8000,
    channels: 1,
    bits: 16,
  });
  expect(Math.abs(wav.durationSeconds - seconds)).toBeLessThanOrEqual(FRAME_SECONDS);
  return wav;
}

function expectMp3(bytes: Uint8Array, seconds: number) {
  const info = mp3Info(bytes);
  // Every byte belongs to a valid frame: no garbage between frames, no partial frame at the end.
  expect(info.skippedBytes).toBe(0);
  expect({ rate: info.sampleRate, perFrame: info.samplesPerFrame }).toEqual({ rate: 8000, perFrame: 576 });
  expect(info.durationSeconds).toBeGreaterThanOrEqual(seconds);
  expect(info.durationSeconds - seconds).toBeLessThanOrEqual(4 * MP3_FRAME_SECONDS);
  return info;
}

/** Mean absolute amplitude of 16-bit little-endian PCM: the line tones are well above Asterisk's silence level. */
function loudness(bytes: Uint8Array): number {
  const wav = parseWav(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset + wav.dataOffset, wav.dataBytes);
  let sum = 0;
  for (let at = 0; at + 1 < wav.dataBytes; at += 2) sum += Math.abs(view.getInt16(at, true));
  return sum / (wav.dataBytes / 2);
}

describe('recording a two-party call (the bridge’s mixed audio)', () => {
  for (const format of ['wav', 'mp3'] as const) {
    it(`delivers a ${format} of the recorded length to the receiver, named after the A-leg`, async () => {
      const received = await tempDir('received');
      const receiver = await startRecordingReceiver({ dir: received });
      cleanups.push(() => receiver.close());
      const uploader = await Uploader.open({ spoolDir: await tempDir('spool'), sleep: simSleep });
      cleanups.push(() => uploader.close());
      const rec = await startRecorderApp({
        uploader,
        defaults: { url: receiver.url, format, action: 'stop' },
        // Kazoo's record_call on a bridged call: the recorder waits for the conversation, then records its bridge.
        configure: (callId) => ({ target: { kind: 'bridge', id: `conversation-${callId}` } }),
      });

      const { a, b, callId, bridgeId } = await twoPartyCall();
      const recorder = rec.call(callId);
      recorder.actor.send({ type: 'recording.start' });
      await recorder.next('recording.started');
      expect(sim.liveRecordings()).toContainEqual(
        expect.objectContaining({ name: `call_recording_${callId}`, target_uri: `bridge:${bridgeId}` }),
      );
      sim.clock.advance(4_000);
      await a.hangup();

      expect(await recorder.next('recording.stopped')).toMatchObject({ reason: 'hangup' });
      const uploaded = await recorder.next('recording.uploaded');
      const name = `call_recording_${callId}.${format}`;
      expect(uploaded).toMatchObject({ status: 201, url: `${receiver.url}${name}` });
      expect(await recorder.output).toMatchObject({ outcome: 'uploaded', recordingName: `call_recording_${callId}` });
      expect(await readdir(received)).toEqual([name]);
      const bytes = await readFile(join(received, name));
      if (format === 'wav') {
        expectWav(bytes, 4);
        expect(loudness(bytes)).toBeGreaterThan(256);
      } else expectMp3(bytes, 4);
      expect(rec.uploads.filter((e) => e.type === 'accepted')).toHaveLength(1);
      // Asterisk's copy is deleted once the spool holds the file; B is still in the bridge, A's hang-up ended it.
      expect(sim.storedRecordings().map((r) => r.name)).not.toContain(`call_recording_${callId}`);
      expect(sim.bridges().find((bridge) => bridge.id === bridgeId)?.channels).toEqual([b.calleeId]);
    });
  }
});

describe('recording the caller alone (record_caller)', () => {
  it('records the A-leg channel from Stasis start and delivers a wav of the recorded length', async () => {
    const received = await tempDir('received');
    const receiver = await startRecordingReceiver({ dir: received });
    cleanups.push(() => receiver.close());
    const uploader = await Uploader.open({ spoolDir: await tempDir('spool'), sleep: simSleep });
    cleanups.push(() => uploader.close());
    const rec = await startRecorderApp({ uploader, defaults: { url: receiver.url } });

    const call = await farEnd.call('401');
    const recorder = rec.call(call.calleeId);
    await recorder.next('recording.started');
    sim.clock.advance(3_000);
    await call.hangup();

    await recorder.next('recording.uploaded');
    const name = `call_recording_${call.calleeId}.wav`;
    expect(await readdir(received)).toEqual([name]);
    const bytes = await readFile(join(received, name));
    expectWav(bytes, 3);
    expect(loudness(bytes)).toBeGreaterThan(256);
    expect((await recorder.output).stored).toMatchObject({ contentType: 'audio/wav', bytes: bytes.length });
  });

  it('stops at the time limit while the call goes on: time_limit 5 on a 30 s call gives 5 s', async () => {
    const received = await tempDir('received');
    const receiver = await startRecordingReceiver({ dir: received });
    cleanups.push(() => receiver.close());
    const uploader = await Uploader.open({ spoolDir: await tempDir('spool'), sleep: simSleep });
    cleanups.push(() => uploader.close());
    // Kazoo's name for the limit, as a callflow's record_call data has it: mapped to timeLimitSeconds.
    const rec = await startRecorderApp({ uploader, defaults: { url: receiver.url, format: 'mp3', time_limit: 5 } });

    const call = await farEnd.call('401');
    const recorder = rec.call(call.calleeId);
    expect(await recorder.next('recording.started')).toMatchObject({ timeLimitSeconds: 5 });
    sim.clock.advance(5_000);
    expect(await recorder.next('recording.stopped')).toMatchObject({ reason: 'time_limit' });
    await recorder.next('recording.uploaded');
    sim.clock.advance(25_000);
    expect(sim.channels().map((c) => c.id)).toContain(call.calleeId);
    await call.hangup();

    const bytes = await readFile(join(received, `call_recording_${call.calleeId}.mp3`));
    expectMp3(bytes, 5);
    expect(await recorder.output).toMatchObject({ outcome: 'uploaded' });
  });
});

describe('delivery to the receiver', () => {
  async function recordOneCall(rec: Awaited<ReturnType<typeof startRecorderApp>>, seconds: number) {
    const call = await farEnd.call('401');
    const recorder = rec.call(call.calleeId);
    await recorder.next('recording.started');
    sim.clock.advance(seconds * 1000);
    await call.hangup();
    await recorder.next('recording.stored');
    return { callId: call.calleeId, recorder };
  }

  it('a receiver that fails twice then accepts gets the file once', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    receiver.script = [500, 502];
    const uploader = await Uploader.open({ spoolDir: await tempDir('spool'), sleep: simSleep });
    cleanups.push(() => uploader.close());
    const rec = await startRecorderApp({ uploader, defaults: { url: `${receiver.url}/calls/` } });

    const { callId, recorder } = await recordOneCall(rec, 2);
    const first = await recorder.next('recording.upload_retrying');
    expect(first).toMatchObject({ attempt: 1, reason: expect.stringContaining('HTTP 500') });
    sim.clock.advance(first.delayMs);
    const retries = () => recorder.statuses.filter((s) => s.type === 'recording.upload_retrying');
    await vi.waitFor(() => expect(retries()).toHaveLength(2));
    const second = retries()[1];
    expect(second).toMatchObject({ attempt: 2, reason: expect.stringContaining('HTTP 502') });
    sim.clock.advance((second as { delayMs: number }).delayMs);

    expect(await recorder.next('recording.uploaded')).toMatchObject({ status: 201 });
    const path = `/calls/call_recording_${callId}.wav`;
    expect(receiver.requests.map((r) => r.path)).toEqual([path, path, path]);
    expect([...receiver.files.keys()]).toEqual([path]);
    expectWav(receiver.files.get(path) ?? new Uint8Array(), 2);
    expect(rec.uploads.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(await uploader.spool.list('pending')).toEqual([]);
  });

  it('a receiver that is down while the process restarts gets the file after the restart', async () => {
    // A receiver's address that nothing listens on yet.
    const received = await tempDir('received');
    const probe = await startRecordingReceiver({ dir: received });
    const url = probe.url;
    const port = Number(new URL(url).port);
    await probe.close();
    const spoolDir = await tempDir('spool');
    const before = await Uploader.open({ spoolDir, sleep: simSleep });
    const rec = await startRecorderApp({ uploader: before, defaults: { url } });

    const { callId, recorder } = await recordOneCall(rec, 3);
    expect(await recorder.next('recording.upload_retrying')).toMatchObject({ attempt: 1 });

    // The process stops: the calls' actors and the uploader go; the file stays in the spool.
    await rec.app.stop();
    await before.close();
    const [pending] = await before.spool.list('pending');
    expect(pending).toMatchObject({ url: `${url}call_recording_${callId}.wav`, contentType: 'audio/wav' });

    // The new process opens the same spool while the receiver is still down, then the receiver comes up.
    const after = await Uploader.open({ spoolDir, sleep: simSleep });
    cleanups.push(() => after.close());
    const events: UploadEvent[] = [];
    cleanups.push(after.subscribe((event) => events.push(event)));
    const delivered = after.delivery(pending!.id);
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain('retrying'));
    const receiver = await startRecordingReceiver({ dir: received, port });
    cleanups.push(() => receiver.close());
    const retry = events.find((e) => e.type === 'retrying') as { delayMs: number };
    sim.clock.advance(retry.delayMs);

    expect(await delivered).toEqual({ accepted: true, status: 201 });
    expect(await readdir(received)).toEqual([`call_recording_${callId}.wav`]);
    expectWav(await readFile(join(received, `call_recording_${callId}.wav`)), 3);
    expect(await after.spool.list('pending')).toEqual([]);
  });

  it('reports a 4xx with its status and keeps the refused file in the spool', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    receiver.script = [403];
    const uploader = await Uploader.open({ spoolDir: await tempDir('spool'), sleep: simSleep });
    cleanups.push(() => uploader.close());
    const rec = await startRecorderApp({ uploader, defaults: { url: `${receiver.url}/calls/` } });

    const { recorder } = await recordOneCall(rec, 2);
    const failed = await recorder.next('recording.failed');
    expect(failed.error).toMatchObject({ stage: 'upload', status: 403, message: expect.stringContaining('HTTP 403') });
    expect(await recorder.output).toMatchObject({ outcome: 'failed', error: { stage: 'upload', status: 403 } });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.files.size).toBe(0);
    const [refused] = await uploader.spool.list('failed');
    expect(refused?.failure).toMatchObject({ status: 403 });
    expectWav(await readFile(uploader.spool.dataPath(refused!.id, 'failed')), 2);
  });
});

describe('kill -9 of the recorder while calls are recorded', () => {
  /** A recorder process of its own: its client, its uploader on the spool directory, its app. */
  async function startProcess(spoolDir: string, url: string, reports: RecorderRecoveryReport[], extra = {}) {
    const own = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: [APP] });
    // The rest of the user's app runs in the same process: it answers the parties handed to rec-app.
    own.onEvent((event) => {
      if (event.type !== 'StasisStart' || event.application !== APP) return;
      void own.channels.answer({ channelId: event.channel.id }).catch(() => {});
    });
    await own.connect();
    const uploader = await Uploader.open({ spoolDir, sleep: simSleep });
    const rec = await startRecorderApp({
      client: own,
      uploader,
      defaults: { url, ...extra },
      onRecovery: (r) => reports.push(r),
    });
    return {
      rec,
      uploader,
      /** As kill -9 does: the actors stop where they are, sockets and connections close, nothing is flushed. */
      async kill() {
        await rec.app.stop();
        await uploader.close();
        await own.close();
      },
    };
  }

  it('after a restart every recording is uploaded once: callers who hung up meanwhile, and those still talking', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const spoolDir = await tempDir('spool');
    const reports: RecorderRecoveryReport[] = [];
    const first = await startProcess(spoolDir, `${receiver.url}/calls/`, reports);
    const calls = [];
    for (let i = 0; i < 6; i++) calls.push(await farEnd.call('401'));
    for (const call of calls) await first.rec.call(call.calleeId).next('recording.started');
    sim.clock.advance(2_000);
    await first.kill();

    // While the recorder is down, half of the callers hang up (Asterisk stores their recordings); the rest talk on.
    const gone = calls.slice(0, 3);
    const talking = calls.slice(3);
    for (const call of gone) await call.hangup();
    sim.clock.advance(1_000);
    expect(
      sim
        .liveRecordings()
        .map((r) => r.name)
        .sort(),
    ).toEqual(talking.map((c) => `call_recording_${c.calleeId}`).sort());

    const second = await startProcess(spoolDir, `${receiver.url}/calls/`, reports);
    cleanups.push(() => second.kill());
    const report = reports.at(-1)!;
    expect(report.spooled.sort()).toEqual(gone.map((c) => `call_recording_${c.calleeId}`).sort());
    expect(report.resumed.sort()).toEqual(talking.map((c) => `call_recording_${c.calleeId}`).sort());
    // The calls still on the line are taken up by new actors, on the recording the killed run started.
    for (const call of talking) await second.rec.call(call.calleeId).next('recording.started');
    sim.clock.advance(2_000);
    for (const call of talking) await call.hangup();
    for (const call of talking) await second.rec.call(call.calleeId).next('recording.uploaded');
    await vi.waitFor(() => expect(receiver.files.size).toBe(6));
    await second.uploader.idle();

    for (const call of calls) {
      const path = `/calls/call_recording_${call.calleeId}.wav`;
      expect(
        receiver.requests.filter((r) => r.path === path),
        path,
      ).toHaveLength(1);
      // Every second of the call is in its file: 2 s for those who hung up while it was down, 2 + 1 + 2 s for the
      // others (the recording went on while no recorder ran).
      expectWav(receiver.files.get(path) ?? new Uint8Array(), gone.includes(call) ? 2 : 5);
    }
    const names = new Set(calls.map((c) => `call_recording_${c.calleeId}`));
    expect(sim.storedRecordings().filter((r) => names.has(r.name))).toEqual([]);
    expect(sim.liveRecordings().filter((r) => names.has(r.name))).toEqual([]);
    expect(await second.uploader.spool.list('pending')).toEqual([]);
    expect((await readdir(join(spoolDir, 'journal'))).filter((n) => n.endsWith('.json'))).toEqual([]);
  });

  it('a call whose recording was over before the kill is not recorded again after the restart', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const spoolDir = await tempDir('spool');
    const reports: RecorderRecoveryReport[] = [];
    const first = await startProcess(spoolDir, `${receiver.url}/calls/`, reports, { timeLimitSeconds: 2 });
    const call = await farEnd.call('401');
    const recorder = first.rec.call(call.calleeId);
    await recorder.next('recording.started');
    sim.clock.advance(2_000);
    await recorder.next('recording.uploaded');
    await first.kill();

    // The caller talks on past the time limit; the new process finds the channel in the app and leaves it alone.
    const second = await startProcess(spoolDir, `${receiver.url}/calls/`, reports, { timeLimitSeconds: 2 });
    cleanups.push(() => second.kill());
    expect(second.rec.app.actor(call.calleeId)).toBeUndefined();
    sim.clock.advance(3_000);
    expect(sim.liveRecordings().filter((r) => r.target_uri === `channel:${call.calleeId}`)).toEqual([]);
    await call.hangup();
    const path = `/calls/call_recording_${call.calleeId}.wav`;
    expect(receiver.requests.map((r) => r.path)).toEqual([path]);
    expect(sim.liveRecordings()).toEqual([]);
    expect(sim.storedRecordings().filter((r) => r.name === `call_recording_${call.calleeId}`)).toEqual([]);
  });
});

const databaseUrl = postgresUrl('recording in cluster mode (the uploads as jobs in PostgreSQL)');

describe.skipIf(!databaseUrl)('in cluster mode: the uploads as jobs in PostgreSQL', () => {
  it('the instance on the call queues the file and deletes it from Asterisk; another instance uploads it, once', async () => {
    const backend = postgresBackend(databaseUrl!);
    cleanups.push(() => backend.done());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    receiver.script = [500];
    // The instance recording the call only adds jobs; the other one (on another machine, say) only uploads.
    const queue = await PostgresUploadQueue.open({ store: backend.open(), entityId: 'sim-1', work: false, pollMs: 20 });
    const other = await PostgresUploadQueue.open({
      store: backend.open(),
      entityId: 'sim-2',
      worker: 'other',
      pollMs: 20,
      initialDelayMs: 10,
    });
    cleanups.push(
      () => other.close(),
      () => queue.close(),
    );
    // Its own connection to rec-app, as the restart tests make (a second one replaced the suite's).
    const own = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: [APP] });
    own.onEvent((event) => {
      if (event.type === 'StasisStart' && event.application === APP)
        void own.channels.answer({ channelId: event.channel.id }).catch(() => {});
    });
    await own.connect();
    cleanups.push(() => own.close());
    const rec = await startRecorderApp({
      client: own,
      uploader: queue,
      defaults: { url: `${receiver.url}/calls/`, format: 'mp3' },
    });

    const call = await farEnd.call('401');
    const recorder = rec.call(call.calleeId);
    await recorder.next('recording.started');
    sim.clock.advance(3_000);
    await call.hangup();
    const stored = await recorder.next('recording.stored');
    const name = `call_recording_${call.calleeId}.mp3`;
    // Safe in its row: Asterisk's copy is gone before the upload.
    expect(sim.storedRecordings().map((r) => r.name)).not.toContain(`call_recording_${call.calleeId}`);

    expect(await recorder.next('recording.uploaded')).toMatchObject({ status: 201 });
    expect(await recorder.output).toMatchObject({ outcome: 'uploaded' });
    const path = `/calls/${name}`;
    // The 500 was retried by the other instance, after the backoff, and the file arrived once.
    expect(receiver.requests.map((r) => r.path)).toEqual([path, path]);
    expect([...receiver.files.keys()]).toEqual([path]);
    expectMp3(receiver.files.get(path) ?? new Uint8Array(), 3);
    expect(receiver.files.get(path)?.length).toBe(stored.file.bytes);
    expect(await queue.get(`sim-1/${name}`)).toMatchObject({ state: 'sent', attempts: 2, status: 201 });
  }, 20_000);
});
