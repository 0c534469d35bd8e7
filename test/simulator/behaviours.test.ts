import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, PROMPT_SAMPLES, parseWav, type Simulator } from '../../src/simulator/index.js';
import { SOUNDS_DIR, soundsPresent } from '../helpers/missing.js';
import { type AriEventFrame, ari, EventLog, fence } from './helpers.js';

const APPS = ['vm-record', 'caller'];
let sim: Simulator;
let log: EventLog;

afterEach(async () => {
  await log?.close();
  await sim?.close();
});

/** A call to 305 answered by the test: returns the caller (;1) and callee (;2) ids, with the caller in a bridge. */
async function call(options: { tone?: boolean } = {}): Promise<{ caller: string; callee: string; bridge: string }> {
  const r = await ari(sim, 'POST', '/channels?endpoint=Local%2F305%40default&app=caller&appArgs=far-end');
  expect(r.status).toBe(200);
  const caller = (r.json as { id: string }).id;
  const start = await log.next((e) => e.type === 'StasisStart' && e.application === 'vm-record');
  const callee = (start.channel as { id: string }).id;
  expect((await ari(sim, 'POST', `/channels/${callee}/answer`)).status).toBe(204);
  await log.next((e) => e.type === 'StasisStart' && e.application === 'caller');
  const b = await ari(sim, 'POST', `/bridges?type=mixing&name=line-${caller}`);
  const bridge = (b.json as { id: string }).id;
  expect((await ari(sim, 'POST', `/bridges/${bridge}/addChannel?channel=${caller}`)).status).toBe(204);
  if (options.tone !== false) {
    const t = await ari(sim, 'POST', `/bridges/${bridge}/play/line-${caller}?media=${encodeURIComponent('tone:425')}`);
    expect(t.status).toBe(201);
  }
  return { caller, callee, bridge };
}

async function setup(): Promise<void> {
  sim = await createSimulator({ clock: 'manual' });
  log = await EventLog.open(sim, APPS);
}

/** A prompt's length in ms (8 samples a millisecond), as long as the real WAV (checked in prompts.test.ts). */
const promptMs = (name: string): number => PROMPT_SAMPLES[name]! / 8;
const SOUNDS = soundsPresent('recording the real beep samples (behaviours.test.ts)');
const BEEP = promptMs('beep');

const of = (app: string, type: string) => (e: AriEventFrame) => e.application === app && e.type === type;

describe('playbacks', () => {
  it('plays a playlist item by item with the real prompt durations', async () => {
    await setup();
    const { callee } = await call();
    const media = encodeURIComponent('sound:vm-theperson,digits:305,sound:vm-isunavail,sound:beep');
    const r = await ari(sim, 'POST', `/channels/${callee}/play/greet?media=${media}`);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      id: 'greet',
      media_uri: 'sound:vm-theperson',
      next_media_uri: 'digits:305',
      state: 'queued',
    });
    const first = promptMs('vm-theperson');
    const total =
      first + ['3', '0', '5'].reduce((a, d) => a + promptMs(`digits/${d}`), 0) + promptMs('vm-isunavail') + BEEP;
    expect(total).toBeGreaterThan(6000);
    sim.clock.advance(first - 0.5);
    await fence(sim, log, ['vm-record']);
    const seen = () =>
      log.frames.filter((e) => e.application === 'vm-record' && (e.playback as { id?: string })?.id === 'greet');
    expect(seen().map((e) => e.type)).toEqual(['PlaybackStarted']);
    sim.clock.advance(0.5);
    await fence(sim, log, ['vm-record']);
    expect(seen().map((e) => [e.type, (e.playback as { media_uri: string }).media_uri])).toEqual([
      ['PlaybackStarted', 'sound:vm-theperson'],
      ['PlaybackContinuing', 'sound:vm-theperson'],
      ['PlaybackStarted', 'digits:305'],
    ]);
    sim.clock.advance(total - first - 0.5);
    await fence(sim, log, ['vm-record']);
    expect(seen().at(-1)?.type).toBe('PlaybackStarted');
    expect(seen().filter((e) => e.type === 'PlaybackStarted')).toHaveLength(4);
    sim.clock.advance(0.5);
    const done = await log.next(of('vm-record', 'PlaybackFinished'));
    expect(done.playback).toMatchObject({ id: 'greet', media_uri: 'sound:beep', state: 'done' });
    expect(done.playback).not.toHaveProperty('next_media_uri');
    expect((await ari(sim, 'GET', '/playbacks/greet')).status).toBe(404);
  });

  it('holds later playbacks and DTMF on the same channel until the playback ends', async () => {
    await setup();
    const { caller, callee } = await call();
    await ari(sim, 'POST', `/channels/${caller}/play/first?media=sound:beep`);
    await ari(sim, 'POST', `/channels/${caller}/dtmf?dtmf=1`);
    await ari(sim, 'POST', `/channels/${caller}/play/second?media=sound:beep`);
    sim.clock.advance(BEEP - 1);
    await fence(sim, log, ['vm-record']);
    expect(log.frames.some(of('vm-record', 'ChannelDtmfReceived'))).toBe(false);
    // After the beep, 100 ms of quiet and 100 ms of digit.
    sim.clock.advance(1 + 199);
    await fence(sim, log, ['vm-record']);
    expect(log.frames.some(of('vm-record', 'ChannelDtmfReceived'))).toBe(false);
    sim.clock.advance(1);
    const dtmf = await log.next(of('vm-record', 'ChannelDtmfReceived'));
    expect(dtmf).toMatchObject({ digit: '1', duration_ms: 100, channel: { id: callee } });
    const starts = log.frames.filter((e) => e.application === 'caller' && e.type === 'PlaybackStarted');
    expect(starts.map((e) => (e.playback as { id: string }).id)).not.toContain('second');
    sim.clock.advance(100);
    const second = await log.next(
      (e) => e.type === 'PlaybackStarted' && (e.playback as { id: string }).id === 'second',
    );
    expect(second.application).toBe('caller');
  });

  it('fails missing media after PlaybackStarted, stops with done, and answers 404 to a second stop', async () => {
    await setup();
    const { callee } = await call();
    await ari(sim, 'POST', `/channels/${callee}/play/missing?media=sound:no-such-sound`);
    const failed = await log.next(of('vm-record', 'PlaybackFinished'));
    expect(failed.playback).toMatchObject({ id: 'missing', state: 'failed' });
    await ari(sim, 'POST', `/channels/${callee}/play/endless?media=tone:440`);
    sim.clock.advance(60_000);
    expect((await ari(sim, 'GET', '/playbacks/endless')).json).toMatchObject({ state: 'playing' });
    expect((await ari(sim, 'DELETE', '/playbacks/endless')).status).toBe(204);
    const stopped = await log.next(
      (e) => e.type === 'PlaybackFinished' && (e.playback as { id: string }).id === 'endless',
    );
    expect(stopped.playback).toMatchObject({ state: 'done' });
    expect(await ari(sim, 'DELETE', '/playbacks/endless')).toMatchObject({
      status: 404,
      json: { message: 'Playback not found' },
    });
  });
});

describe('recordings', () => {
  it('stores a real WAV of what the caller sent, after the beep, with the right duration', async () => {
    await setup();
    const { callee } = await call();
    const name = 'voicemail/305/INBOX/msg1';
    const r = await ari(
      sim,
      'POST',
      `/channels/${callee}/record?name=${encodeURIComponent(name)}&format=wav&beep=true`,
    );
    expect(r.status).toBe(201);
    await log.next(of('vm-record', 'RecordingStarted'));
    sim.clock.advance(BEEP + 180_000);
    expect((await ari(sim, 'POST', `/recordings/live/${encodeURIComponent(name)}/stop`)).status).toBe(204);
    const finished = await log.next(of('vm-record', 'RecordingFinished'));
    expect(finished.recording).toMatchObject({ name, state: 'done', duration: 180 });
    const file = await ari(sim, 'GET', `/recordings/stored/${encodeURIComponent(name)}/file`);
    expect(file.type).toBe('audio/wav');
    const bytes = file.bytes!;
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(bytes.readUInt16LE(20)).toBe(1); // PCM
    expect(bytes.readUInt16LE(22)).toBe(1); // mono
    expect(bytes.readUInt32LE(24)).toBe(8000);
    expect(bytes.readUInt16LE(34)).toBe(16);
    const { samples } = parseWav(bytes);
    expect(samples.length).toBe(180_000 * 8);
    // The caller's line tone (425 Hz) is what was recorded: count zero crossings over one second.
    let crossings = 0;
    for (let i = 1; i < 8000; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
    expect(crossings).toBeGreaterThan(2 * 425 - 10);
    expect(crossings).toBeLessThan(2 * 425 + 10);
  });

  it.skipIf(!SOUNDS)('records the prompts the caller says into the bridge, with their real samples', async () => {
    await setup();
    const { callee, bridge } = await call({ tone: false });
    await ari(sim, 'POST', `/channels/${callee}/record?name=said&format=wav`);
    await ari(sim, 'POST', `/bridges/${bridge}/play/talk?media=sound:beep`);
    sim.clock.advance(1000);
    await ari(sim, 'POST', '/recordings/live/said/stop');
    const recorded = parseWav((await ari(sim, 'GET', '/recordings/stored/said/file')).bytes!).samples;
    const beep = parseWav(readFileSync(join(SOUNDS_DIR, 'beep.wav'))).samples;
    expect(Array.from(recorded.subarray(0, beep.length))).toEqual(Array.from(beep));
    expect(recorded.subarray(beep.length).every((s) => s === 0)).toBe(true);
  });

  it('stops after maxSilenceSeconds of silence and reports talking and silence', async () => {
    await setup();
    const { callee, bridge } = await call({ tone: false });
    await ari(sim, 'POST', `/bridges/${bridge}/play/talk?media=${encodeURIComponent('tone:!440/3000')}`);
    await ari(sim, 'POST', `/channels/${callee}/record?name=quiet&format=wav&maxSilenceSeconds=2`);
    sim.clock.advance(4999);
    await fence(sim, log, ['vm-record']);
    expect(log.frames.some(of('vm-record', 'RecordingFinished'))).toBe(false);
    sim.clock.advance(1);
    const done = await log.next(of('vm-record', 'RecordingFinished'));
    expect(done.recording).toMatchObject({ duration: 5, talking_duration: 3, silence_duration: 2 });
  });

  it('ends on the terminateOn digit after delivering it', async () => {
    await setup();
    const { caller, callee } = await call();
    await ari(sim, 'POST', `/channels/${callee}/record?name=hash&format=wav&terminateOn=%23`);
    await ari(sim, 'POST', `/channels/${caller}/dtmf?dtmf=*`);
    sim.clock.advance(1000);
    await ari(sim, 'POST', `/channels/${caller}/dtmf?dtmf=%23`);
    sim.clock.advance(200);
    const done = await log.next(of('vm-record', 'RecordingFinished'));
    const types = log.types('vm-record');
    expect(types.slice(types.indexOf('ChannelDtmfReceived'))).toEqual([
      'ChannelDtmfReceived',
      'ChannelDtmfReceived',
      'RecordingFinished',
    ]);
    expect(done.recording).toMatchObject({ name: 'hash', duration: 1 });
    expect((await ari(sim, 'GET', '/recordings/stored/hash')).status).toBe(200);
  });

  it('cancels: RecordingFinished done and the file is gone; a live name cannot be recorded again', async () => {
    await setup();
    const { callee } = await call();
    await ari(sim, 'POST', `/channels/${callee}/record?name=x&format=wav`);
    const again = await ari(sim, 'POST', `/channels/${callee}/record?name=x&format=wav&ifExists=overwrite`);
    expect(again).toMatchObject({
      status: 409,
      json: { message: "Recording 'x' already exists and can not be overwritten" },
    });
    sim.clock.advance(1500);
    expect((await ari(sim, 'DELETE', '/recordings/live/x')).status).toBe(204);
    expect((await log.next(of('vm-record', 'RecordingFinished'))).recording).toMatchObject({ state: 'done' });
    expect((await ari(sim, 'GET', '/recordings/stored/x')).status).toBe(404);
    expect(sim.storedRecordings()).toEqual([]);
  });

  it('leaves paused time out and records muted time as silence', async () => {
    await setup();
    const { callee } = await call();
    await ari(sim, 'POST', `/channels/${callee}/record?name=pm&format=wav`);
    sim.clock.advance(1000);
    await ari(sim, 'POST', '/recordings/live/pm/pause');
    expect((await ari(sim, 'GET', '/recordings/live/pm')).json).toMatchObject({ state: 'paused' });
    sim.clock.advance(5000);
    await ari(sim, 'DELETE', '/recordings/live/pm/pause');
    await ari(sim, 'POST', '/recordings/live/pm/mute');
    sim.clock.advance(1000);
    await ari(sim, 'DELETE', '/recordings/live/pm/mute');
    sim.clock.advance(1000);
    await ari(sim, 'POST', '/recordings/live/pm/stop');
    const { samples } = parseWav(sim.storedRecordingFile('pm')!);
    expect(samples.length).toBe(3000 * 8);
    const loud = (a: number, b: number) => samples.subarray(a * 8, b * 8).some((s) => Math.abs(s) > 1000);
    expect([loud(0, 1000), loud(1000, 2000), loud(2000, 3000)]).toEqual([true, false, true]);
  });

  it('keeps the file when the caller hangs up mid-recording: RecordingFinished before StasisEnd', async () => {
    await setup();
    const { caller, callee } = await call();
    await ari(sim, 'POST', `/channels/${callee}/record?name=hung&format=wav&beep=true`);
    sim.clock.advance(2000);
    await ari(sim, 'DELETE', `/channels/${caller}`);
    await log.next(of('vm-record', 'StasisEnd'));
    expect(log.types('vm-record').slice(-3)).toEqual(['ChannelHangupRequest', 'RecordingFinished', 'StasisEnd']);
    expect(sim.storedRecordings()).toEqual([{ name: 'hung', format: 'wav', durationMs: 2000 - BEEP }]);
    expect((await ari(sim, 'POST', `/channels/${callee}/answer`)).status).toBe(404);
    expect(sim.counts()).toMatchObject({ channels: 0, liveRecordings: 0 });
  });
});

describe('REST surface', () => {
  it('answers 501 naming operations it does not model, 404 for unknown paths, 401 for bad credentials', async () => {
    await setup();
    const snoop = await ari(sim, 'POST', '/channels/abc/snoop?app=x');
    expect(snoop.status).toBe(501);
    expect((snoop.json as { message: string }).message).toContain('channels.snoopChannel');
    expect(await ari(sim, 'GET', '/no/such/resource')).toMatchObject({
      status: 404,
      json: { message: 'Resource not found' },
    });
    const bad = await fetch(`${sim.url}/ari/asterisk/info`, { headers: { authorization: 'Basic eDp5' } });
    expect(bad.status).toBe(401);
    await bad.arrayBuffer();
    const key = await fetch(`${sim.url}/ari/asterisk/ping?api_key=asterisk:asterisk`);
    expect(await key.json()).toMatchObject({ ping: 'pong', asterisk_id: '02:fc:00:00:00:01' });
    await expect(EventLog.open({ ...sim, password: 'wrong' } as Simulator, ['x'])).rejects.toThrow(/401/);
  });

  it('keeps mailboxes and lists the sounds directory', async () => {
    await setup();
    expect((await ari(sim, 'PUT', '/mailboxes/305%40default?oldMessages=1&newMessages=2')).status).toBe(204);
    expect((await ari(sim, 'GET', '/mailboxes')).json).toEqual([
      { name: '305@default', old_messages: 1, new_messages: 2 },
    ]);
    expect((await ari(sim, 'DELETE', '/mailboxes/305%40default')).status).toBe(204);
    expect(await ari(sim, 'GET', '/mailboxes/305%40default')).toMatchObject({
      status: 404,
      json: { message: 'Mailbox is does not exist' },
    });
    const sounds = (await ari(sim, 'GET', '/sounds')).json as { id: string }[];
    expect(sounds.map((s) => s.id)).toEqual(expect.arrayContaining(['beep', 'digits/3', 'vm-intro']));
    expect((await ari(sim, 'GET', '/applications/caller')).json).toMatchObject({ name: 'caller', channel_ids: [] });
  });

  it('rejects bad options with a clear error', async () => {
    await expect(createSimulator({ clock: 'fast' as 'real' })).rejects.toThrow(/clock must be 'real' or 'manual'/);
    await expect(createSimulator({ port: -1 })).rejects.toThrow(/port/);
    await expect(createSimulator({ bogus: 1 } as object)).rejects.toThrow(/unknown option 'bogus'/);
    await expect(createSimulator({ dialplan: [{ context: '', exten: '1' }] })).rejects.toThrow(/dialplan\[0\]/);
  });
});
