import { describe, expect, it } from 'vitest';
import { fromPromise } from 'xstate';
import { recordCallMachine, type StartRecordingOutput, type StoredFile } from '../../machines/record-call.js';
import { type PreparedCall, voicemailMachine } from '../../machines/voicemail.js';
import type { AriResources } from '../../src/ari/operations.js';
import { attachRecorder } from '../../src/recording/calls.js';
import { createStasisApp } from '../../src/runtime/app.js';
import { eventName, transitionLog } from '../../src/runtime/transition-log.js';
import type { CallFactory } from '../../src/runtime/types.js';
import { channel, event, FakeClient } from './fake-client.js';

const READY: PreparedCall = {
  status: 'ready',
  greeting: ['sound:vm-intro'],
  recordingPrefix: 'voicemail/default/305/',
  limits: { maxMessageSeconds: 300, minMessageSeconds: 0, maxSilenceSeconds: 10 },
};

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

const voicemail = voicemailMachine.provide({
  actors: {
    answerChannel: fromPromise(async () => {}),
    lookUpMailbox: fromPromise(async (): Promise<PreparedCall> => READY),
    playMedia: fromPromise(async () => {}),
    startRecording: fromPromise(async () => {}),
    saveMessage: fromPromise(async () => {}),
    finishCall: fromPromise(async () => {}),
  },
});
const voicemailCalls: CallFactory = (start) => ({
  machine: voicemail,
  input: { callId: start.channel.id, tag: `t-${start.channel.id}`, mailbox: `${start.args[0]}@default`, review: false },
});

function caller(id: string, number: string, args: string[], app = 'vm-record') {
  const ch = channel(id, app, args);
  return { ...ch, caller: { name: 'Alice', number } };
}

describe('transitionLog', () => {
  it('prints every voicemail transition as `call  machine  from -> to  on event`, the call named caller→mailbox', async () => {
    const fake = new FakeClient();
    const lines: string[] = [];
    const app = createStasisApp({
      client: fake.client,
      app: 'vm-record',
      createCall: voicemailCalls,
      observers: [transitionLog((l) => lines.push(l))],
    });
    await app.start();
    const ch = caller('1795298152.13', '201', ['305']);
    fake.channels.set(ch.id, ch);
    fake.emit(event('StasisStart', { args: ['305'], channel: ch }));
    await settle();
    const actor = app.actor(ch.id);
    const context = () => actor?.getSnapshot().context as { playbackId: string; recordingName: string };
    actor?.send({
      type: 'PlaybackFinished',
      playback: { id: context().playbackId, media_uri: '', target_uri: '', state: 'done' },
    });
    fake.emit(event('ChannelDtmfReceived', { digit: '#', duration_ms: 100, channel: ch }));
    actor?.send({
      type: 'RecordingFinished',
      recording: {
        name: context().recordingName,
        format: 'wav',
        target_uri: `channel:${ch.id}`,
        state: 'done',
        duration: 4,
      },
    });
    await settle();
    actor?.send({
      type: 'PlaybackFinished',
      playback: { id: context().playbackId, media_uri: '', target_uri: '', state: 'done' },
    });
    await settle();
    await app.idle();
    expect(lines).toEqual([
      '201→305    voicemail   new -> answering  on start',
      '201→305    voicemail   answering -> lookingUpMailbox  on answering done',
      '201→305    voicemail   lookingUpMailbox -> greeting  on lookingUpMailbox done',
      '201→305    voicemail   greeting -> recording.active  on PlaybackFinished',
      '201→305    voicemail   recording.active -> recording.stopping  on DTMF #',
      '201→305    voicemail   recording.stopping -> saving  on RecordingFinished',
      '201→305    voicemail   saving -> goodbye  on saving done',
      '201→305    voicemail   goodbye -> finishing  on PlaybackFinished',
      '201→305    voicemail   finishing -> done  on finishing done',
    ]);
    expect(lines.join('\n')).not.toMatch(/xstate\./);
    await app.stop();
  });

  it('prints recordCall in the same format, its done actors by state, and tells two calls of one caller apart', async () => {
    const fake = new FakeClient();
    const lines: string[] = [];
    const recorder = recordCallMachine.provide({
      actors: {
        startRecording: fromPromise(async (): Promise<StartRecordingOutput> => ({ queued: false })),
        stopRecording: fromPromise(async () => {}),
        storeRecording: fromPromise(
          async (): Promise<StoredFile> => ({ bytes: 10, durationSeconds: 1, contentType: 'audio/wav' }),
        ),
        discardRecording: fromPromise(async () => {}),
      },
    });
    const createCall: CallFactory = (start) => ({ machine: recorder, input: { callId: start.channel.id, keep: true } });
    const log = transitionLog((l) => lines.push(l));
    const app = createStasisApp({ client: fake.client, app: 'rec-app', createCall, observers: [log] });
    await app.start();
    const a = caller('c-a', '2003', ['401'], 'rec-app');
    const b = caller('c-b', '2003', ['401'], 'rec-app');
    for (const ch of [a, b]) {
      fake.channels.set(ch.id, ch);
      fake.emit(event('StasisStart', { args: ['401'], channel: ch }, 'rec-app'));
    }
    await settle();
    for (const ch of [a, b])
      fake.emit(
        event(
          'RecordingStarted',
          {
            recording: {
              name: `call_recording_${ch.id}`,
              state: 'recording',
              format: 'wav',
              target_uri: `channel:${ch.id}`,
            },
          },
          'rec-app',
        ),
      );
    await settle();
    app.actor(a.id)?.send({ type: 'recording.stop' });
    await settle();
    app.actor(a.id)?.send({
      type: 'RecordingFinished',
      recording: { name: `call_recording_${a.id}`, state: 'done', format: 'wav', target_uri: `channel:${a.id}` },
    } as never);
    await settle();
    const ofA = lines.filter((l) => l.startsWith('2003→401 '));
    const ofB = lines.filter((l) => l.startsWith('2003→401#2'));
    expect(ofA).toEqual([
      '2003→401   recordCall  new -> starting  on start',
      '2003→401   recordCall  starting -> recording.active  on starting done',
      '2003→401   recordCall  recording.active -> stopping  on recording.stop',
      '2003→401   recordCall  stopping -> storing  on RecordingFinished',
      '2003→401   recordCall  storing -> done  on storing done',
    ]);
    expect(ofB.slice(0, 2)).toEqual([
      '2003→401#2  recordCall  new -> starting  on start',
      '2003→401#2  recordCall  starting -> recording.active  on starting done',
    ]);
    await app.stop();
  });

  it('prints a recorder attached outside a runtime through the same observers option, named by its channel', async () => {
    const lines: string[] = [];
    const client = {
      channels: { record: async ({ name }: { name: string }) => ({ name, state: 'queued' }) },
      recordings: { stop: async () => {}, deleteStored: async () => {} },
      onEvent: () => () => {},
    } as unknown as AriResources;
    const attached = attachRecorder({
      client,
      app: 'rec',
      channelId: 'c-9',
      observers: [transitionLog((l) => lines.push(l))],
    });
    await expect.poll(() => lines.length).toBe(2);
    expect(lines).toEqual([
      'c-9        recordCall  new -> starting  on start',
      // The fake Asterisk answers the record request `queued`: RecordingStarted would say when it runs.
      'c-9        recordCall  starting -> queued  on starting done',
    ]);
    attached.detach();
  });

  it('names XState’s own events by what happened', () => {
    expect(eventName({ type: 'xstate.done.actor.0.recordCall.storing' }, 'recordCall')).toBe('storing done');
    expect(eventName({ type: 'xstate.done.actor.0.voicemail.recording.stopping' }, 'voicemail')).toBe(
      'recording.stopping done',
    );
    expect(eventName({ type: 'xstate.error.actor.0.recordCall.storing' }, 'recordCall')).toBe('storing failed');
    expect(eventName({ type: 'xstate.error.actor.prepare' })).toBe('prepare failed');
    expect(eventName({ type: 'xstate.after.timeLimit.recordCall.recording' }, 'recordCall')).toBe('timeLimit timeout');
    expect(eventName({ type: 'xstate.after.5000.voicemail.greeting' }, 'voicemail')).toBe('5000 ms timeout');
    expect(eventName({ type: 'xstate.init' })).toBe('start');
    expect(eventName({ type: 'ChannelDtmfReceived', digit: '*' })).toBe('DTMF *');
    expect(eventName({ type: 'StasisEnd' })).toBe('StasisEnd');
  });
});
