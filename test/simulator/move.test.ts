// Handing a channel to another app as Asterisk 22.10.1 does (checked on it): `POST /channels/{id}/move` waits until
// the channel's queue has run dry, and an app subscribed to a channel (`/applications/{app}/subscription`) gets its
// events at once but never its StasisEnd.
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { type AriEventFrame, ari, EventLog } from './helpers.js';

let sim: Simulator;
let log: EventLog;

afterEach(async () => {
  await log?.close();
  await sim?.close();
});

/** A call to 305: its callee (;2) answered and in `vm-record`, apps `vm-b` and `caller` listening too. */
async function callee(): Promise<string> {
  sim = await createSimulator({ clock: 'manual' });
  log = await EventLog.open(sim, ['vm-record', 'vm-b', 'caller']);
  expect((await ari(sim, 'POST', '/channels?endpoint=Local%2F305%40default&app=caller')).status).toBe(200);
  const start = await log.next((e) => e.type === 'StasisStart' && e.application === 'vm-record');
  const id = (start.channel as { id: string }).id;
  expect((await ari(sim, 'POST', `/channels/${id}/answer`)).status).toBe(204);
  return id;
}

const on = (id: string) => (e: AriEventFrame) =>
  (e.channel as { id?: string } | undefined)?.id === id ||
  (e.playback as { target_uri?: string } | undefined)?.target_uri === `channel:${id}` ||
  (e.recording as { target_uri?: string } | undefined)?.target_uri === `channel:${id}`;
const seen = (id: string, from: number) =>
  log.frames
    .slice(from)
    .filter(on(id))
    .filter((e) => e.application !== 'caller')
    .map((e) => `${e.application} ${e.type}`);

describe('channels.move', () => {
  it('waits for the playbacks under way and asked after it, then ends Stasis in one app and starts it in the other', async () => {
    const id = await callee();
    const from = log.frames.length;
    expect((await ari(sim, 'POST', `/channels/${id}/play/pb1?media=sound:beep`)).status).toBe(201);
    expect((await ari(sim, 'POST', `/channels/${id}/move?app=vm-b&appArgs=305,x`)).status).toBe(204);
    expect((await ari(sim, 'POST', `/channels/${id}/play/pb2?media=sound:beep`)).status).toBe(201);
    await sim.clock.advance(2000);
    const start = await log.next((e) => e.type === 'StasisStart' && e.application === 'vm-b');
    expect(seen(id, from)).toEqual([
      'vm-record PlaybackStarted',
      'vm-record PlaybackFinished',
      'vm-record PlaybackStarted',
      'vm-record PlaybackFinished',
      'vm-record StasisEnd',
      'vm-b StasisStart',
    ]);
    expect(start.args).toEqual(['305', 'x']);
    // The dialplan location still names the app the channel first entered.
    expect((start.channel as { dialplan: { app_data: string } }).dialplan.app_data).toBe('vm-record,305');
    // Its events are the new app's only.
    const after = log.frames.length;
    expect((await ari(sim, 'DELETE', `/channels/${id}`)).status).toBe(204);
    await log.next((e) => e.type === 'ChannelDestroyed' && on(id)(e), after);
    expect(seen(id, after).every((line) => line.startsWith('vm-b '))).toBe(true);
  });

  it('waits for a recording under way until it is stopped', async () => {
    const id = await callee();
    expect((await ari(sim, 'POST', `/channels/${id}/record?name=take&format=wav&beep=false`)).status).toBe(201);
    await log.next((e) => e.type === 'RecordingStarted');
    expect((await ari(sim, 'POST', `/channels/${id}/move?app=vm-b`)).status).toBe(204);
    await sim.clock.advance(3000);
    expect(log.frames.some((e) => e.type === 'StasisStart' && e.application === 'vm-b')).toBe(false);
    const from = log.frames.length;
    expect((await ari(sim, 'POST', '/recordings/live/take/stop')).status).toBe(204);
    const start = await log.next((e) => e.type === 'StasisStart' && e.application === 'vm-b', from);
    expect(start.args).toEqual([]);
    // The old app heard the take end; the new one never does.
    expect(seen(id, from)).toEqual(['vm-record RecordingFinished', 'vm-record StasisEnd', 'vm-b StasisStart']);
  });

  it('to an app without a socket fails with ApplicationMoveFailed, the channel staying where it is; 404, 400', async () => {
    const id = await callee();
    expect((await ari(sim, 'POST', `/channels/${id}/move?app=nobody&appArgs=1`)).status).toBe(204);
    const failed = await log.next((e) => e.type === 'ApplicationMoveFailed');
    expect(failed).toMatchObject({ application: 'vm-record', destination: 'nobody', args: ['1'] });
    expect(((await ari(sim, 'GET', `/channels/${id}`)).json as { id: string }).id).toBe(id);
    expect((await ari(sim, 'POST', `/channels/${id}/play/p?media=sound:beep`)).status).toBe(201);
    expect((await ari(sim, 'POST', '/channels/nope/move?app=vm-b')).status).toBe(404);
    expect((await ari(sim, 'POST', `/channels/${id}/move`)).status).toBe(400);
  });
});

describe('an application subscribed to a channel of another app', () => {
  it('gets its recording, playback and hang-up events at once, and no StasisEnd', async () => {
    const id = await callee();
    expect((await ari(sim, 'POST', `/channels/${id}/record?name=take2&format=wav&beep=false`)).status).toBe(201);
    await log.next((e) => e.type === 'RecordingStarted');
    const from = log.frames.length;
    const sub = await ari(sim, 'POST', `/applications/vm-b/subscription?eventSource=channel:${id}`);
    expect(sub.status).toBe(200);
    expect((sub.json as { channel_ids: string[] }).channel_ids).toEqual([id]);
    expect((await ari(sim, 'POST', '/recordings/live/take2/stop')).status).toBe(204);
    expect((await ari(sim, 'POST', `/channels/${id}/play/pb?media=sound:beep`)).status).toBe(201);
    await sim.clock.advance(2000);
    expect((await ari(sim, 'POST', `/channels/${id}/continue`)).status).toBe(204);
    await log.next((e) => e.type === 'ChannelDestroyed' && e.application === 'vm-b', from);
    const forB = seen(id, from).filter((line) => line.startsWith('vm-b '));
    expect(forB).toContain('vm-b RecordingFinished');
    expect(forB).toContain('vm-b PlaybackFinished');
    expect(forB).toContain('vm-b ChannelHangupRequest');
    expect(forB).not.toContain('vm-b StasisEnd');
    expect(seen(id, from)).toContain('vm-record StasisEnd');
  });
});
