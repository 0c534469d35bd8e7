import { describe, expect, it } from 'vitest';
import { createActor, createMachine, fromPromise, SimulatedClock } from 'xstate';
import type { PreparedCall } from '../../machines/voicemail.js';
import { voicemailMachine } from '../../machines/voicemail.js';
import { voicemailTransitionLog } from '../../src/voicemail/log.js';

const READY: PreparedCall = {
  status: 'ready',
  greeting: ['sound:vm-intro'],
  recordingPrefix: 'voicemail/default/305/',
  limits: { maxMessageSeconds: 300, minMessageSeconds: 0, maxSilenceSeconds: 10 },
};

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function call(callId: string, print: (line: string) => void, clock = new SimulatedClock()) {
  const machine = voicemailMachine.provide({
    actors: {
      answerChannel: fromPromise(async () => {}),
      lookUpMailbox: fromPromise(async () => READY),
      playMedia: fromPromise(async () => {}),
      startRecording: fromPromise(async () => {}),
      saveMessage: fromPromise(async () => {}),
      finishCall: fromPromise(async () => {}),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: { callId, tag: `t-${callId}`, mailbox: '305@default', review: false },
    inspect: voicemailTransitionLog(print),
  });
  const recording = { format: 'wav', target_uri: `channel:${callId}`, state: 'done', duration: 4 } as const;
  return {
    actor,
    playbackFinished: () =>
      actor.send({
        type: 'PlaybackFinished',
        playback: { id: actor.getSnapshot().context.playbackId ?? '', media_uri: '', target_uri: '', state: 'done' },
      }),
    recordingFinished: () =>
      actor.send({
        type: 'RecordingFinished',
        recording: { ...recording, name: actor.getSnapshot().context.recordingName ?? '' },
      }),
  };
}

describe('voicemailTransitionLog', () => {
  it('prints one line per state change: call id, from -> to, and the event', async () => {
    const lines: string[] = [];
    const c = call('1795298152.13', (line) => lines.push(line));
    c.actor.start();
    await settle();
    c.actor.send({ type: 'ChannelDtmfReceived', digit: '9' });
    c.playbackFinished();
    c.actor.send({ type: 'ChannelDtmfReceived', digit: '9' });
    c.actor.send({ type: 'ChannelDtmfReceived', digit: '#' });
    c.recordingFinished();
    await settle();
    c.playbackFinished();
    await settle();
    expect(lines).toEqual([
      '1795298152.13: start -> answering on xstate.init',
      '1795298152.13: answering -> lookingUpMailbox on done',
      '1795298152.13: lookingUpMailbox -> greeting on done',
      '1795298152.13: greeting -> recording.active on PlaybackFinished',
      '1795298152.13: recording.active -> recording.stopping on ChannelDtmfReceived(#)',
      '1795298152.13: recording.stopping -> saving on RecordingFinished',
      '1795298152.13: saving -> goodbye on done',
      '1795298152.13: goodbye -> finishing on PlaybackFinished',
      '1795298152.13: finishing -> done on done',
    ]);
    expect(c.actor.getSnapshot().status).toBe('done');
  });

  it('keeps calls apart and ignores other machines', async () => {
    const lines: string[] = [];
    const print = (line: string) => lines.push(line);
    const a = call('a', print);
    const b = call('b', print);
    a.actor.start();
    b.actor.start();
    const other = createActor(createMachine({ id: 'other', initial: 'x', states: { x: {} } }), {
      inspect: voicemailTransitionLog(print),
    });
    other.start();
    await settle();
    b.actor.send({ type: 'hangup' });
    expect(lines).toEqual([
      'a: start -> answering on xstate.init',
      'b: start -> answering on xstate.init',
      'a: answering -> lookingUpMailbox on done',
      'b: answering -> lookingUpMailbox on done',
      'a: lookingUpMailbox -> greeting on done',
      'b: lookingUpMailbox -> greeting on done',
      'b: greeting -> hungUp on hangup',
    ]);
    a.actor.stop();
    other.stop();
  });

  it('names XState timeouts and actor results by what happened, not by internal ids', async () => {
    const lines: string[] = [];
    const clock = new SimulatedClock();
    const c = call('c', (line) => lines.push(line), clock);
    c.actor.start();
    await settle();
    c.playbackFinished();
    c.actor.send({ type: 'ChannelDtmfReceived', digit: '#' });
    clock.increment(5000);
    await settle();
    expect(lines.slice(4, 6)).toEqual([
      'c: recording.active -> recording.stopping on ChannelDtmfReceived(#)',
      'c: recording.stopping -> saving on timeout',
    ]);
    expect(lines.join('\n')).not.toMatch(/xstate\.(after|done|error)/);
    c.actor.stop();
  });
});
