// The CPU of the voicemail machine alone, per call: the compiled machine (`dist/machines/voicemail.js`, or the
// module given as the first argument, e.g. another checkout's build) driven through whole calls in this process
// (greeting, record, `#`, save, goodbye, done) with fake actors that answer at once, no network.
//
//   npm run build && npx tsx bench/machine-cost.ts [machines module path] [calls]
//
// Prints the CPU microseconds per call after a warm-up. Run it alternately for two builds to compare them.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createActor, fromPromise } from 'xstate';
import type { PreparedCall, voicemailMachine as VoicemailMachine } from '../machines/voicemail.js';

const [modulePath = 'dist/machines/voicemail.js', callsArg = '10000'] = process.argv.slice(2);
const calls = Number(callsArg);
const { voicemailMachine } = (await import(pathToFileURL(resolve(modulePath)).href)) as {
  voicemailMachine: typeof VoicemailMachine;
};

const READY: PreparedCall = {
  status: 'ready',
  greeting: ['sound:vm-intro'],
  recordingPrefix: 'voicemail/default/305/',
  limits: { maxMessageSeconds: 0, minMessageSeconds: 0, maxSilenceSeconds: 0 },
};
// Typed loosely, as the machine tests do: each placeholder of the machine has its own input type.
const answer = (value: unknown) => fromPromise(async () => value) as never;
const done = answer(undefined);
const nothing = () => {};
const machine = voicemailMachine.provide({
  actors: {
    answerChannel: done,
    lookUpMailbox: answer(READY),
    playMedia: done,
    startRecording: done,
    purgeRecording: done,
    saveMessage: done,
    copyMessage: answer({ status: 'unknown' }),
    finishCall: done,
  },
  actions: {
    stopPlayback: nothing,
    stopRecording: nothing,
    cancelRecording: nothing,
    pauseRecording: nothing,
    unpauseRecording: nothing,
    releaseHeld: nothing,
    playNotice: nothing,
    reportDiscarded: nothing,
    reportError: nothing,
  },
});

const turn = () => new Promise<void>((r) => setImmediate(r));

async function oneCall(i: number): Promise<void> {
  const actor = createActor(machine, {
    input: { callId: `c${i}`, tag: `t${i}`, mailbox: '305@default', review: false, prompts: { saved: ['sound:x'] } },
  });
  // The two fields read here have kept their names through the context's reshaping.
  const now = () => actor.getSnapshot().context as { playbackId: string | null; recordingName: string | null };
  const finished = (id: string | null) => ({
    type: 'PlaybackFinished' as const,
    playback: { id: id ?? '', media_uri: '', target_uri: '', state: 'done' as const },
  });
  actor.start();
  await turn();
  actor.send(finished(now().playbackId));
  await turn();
  const recording = { name: now().recordingName ?? '', format: 'wav', target_uri: '', state: 'recording' as const };
  actor.send({ type: 'RecordingStarted', recording });
  actor.send({ type: 'ChannelDtmfReceived', digit: '#' });
  actor.send({ type: 'RecordingFinished', recording: { ...recording, state: 'done' as const, duration: 3 } });
  await turn();
  actor.send(finished(now().playbackId));
  await turn();
  if (actor.getSnapshot().status !== 'done') throw new Error(`call ${i} did not end: ${actor.getSnapshot().value}`);
}

for (let i = 0; i < 2000; i++) await oneCall(i);
const before = process.cpuUsage();
for (let i = 0; i < calls; i++) await oneCall(i);
const used = process.cpuUsage(before);
console.log(`${modulePath}: ${((used.user + used.system) / calls).toFixed(1)} us CPU per call (${calls} calls)`);
