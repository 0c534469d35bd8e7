import { describe, expect, test } from 'vitest';
import {
  type AnyStateNode,
  type AnyTransitionDefinition,
  createActor,
  fromCallback,
  fromPromise,
  type InspectionEvent,
  SimulatedClock,
} from 'xstate';
import {
  type RecordCallInput,
  type RecordCallStatus,
  recordCallMachine,
  resolveRecordCallInput,
} from '../../machines/record-call.js';
import { scenarios } from '../helpers/scenarios.js';

/** `queued`: the start is answered as Asterisk answers a recording behind a playback (state `queued`). */
type Behaviour = 'ok' | 'fail' | 'hang' | 'queued';
type Name =
  | 'startRecording'
  | 'stopRecording'
  | 'pauseRecording'
  | 'resumeRecording'
  | 'storeRecording'
  | 'discardRecording';

// Every test is a scenario the coverage test at the end replays from scratch (`it` keeps them).
const { it, replay } = scenarios();

// Every transition a scenario takes, labelled by where it is in the machine, for the coverage check.
const taken = new Set<string>();
const label = (t: AnyTransitionDefinition): string => {
  const source = t.source as AnyStateNode;
  const list = t.eventType === '' ? (source.always ?? []) : (source.transitions.get(t.eventType) ?? []);
  return `${source.id} --${t.eventType || 'always'}[${list.indexOf(t)}]`;
};
const allTransitions = (node: AnyStateNode): string[] => [
  ...[...node.transitions.values()].flat().map(label),
  ...(node.always ?? []).map(label),
  ...Object.values(node.states).flatMap((child) => allTransitions(child as AnyStateNode)),
];
const visited = new Set<string>();

function run(input: RecordCallInput, behaviour: Partial<Record<Name, Behaviour>> = {}) {
  const clock = new SimulatedClock();
  const calls: { name: Name; input: unknown }[] = [];
  // Typed loosely: one double stands in for actors of several input/output types.
  const pending = (name: Name): never =>
    fromPromise(async ({ input: actorInput }: { input: unknown }) => {
      calls.push({ name, input: actorInput });
      const how = behaviour[name] ?? 'ok';
      if (how === 'fail') throw new Error(`${name} failed`);
      if (how === 'hang') await new Promise(() => {});
      if (how === 'queued') return { queued: true };
      if (name === 'storeRecording')
        return { spoolId: 'spool-1', bytes: 1600, durationSeconds: 0.1, contentType: 'audio/wav' };
      return undefined;
    }) as never;
  const machine = recordCallMachine.provide({
    actors: {
      startRecording: pending('startRecording'),
      stopRecording: pending('stopRecording'),
      pauseRecording: pending('pauseRecording'),
      resumeRecording: pending('resumeRecording'),
      storeRecording: pending('storeRecording'),
      discardRecording: pending('discardRecording'),
      uploadRecording: fromCallback(() => {}),
    },
  });
  const actor = createActor(machine, {
    input,
    clock,
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.microstep') for (const t of event._transitions) taken.add(label(t));
      if (event.type === '@xstate.snapshot' && 'value' in event.snapshot)
        visited.add(JSON.stringify(event.snapshot.value));
    },
  });
  const statuses: RecordCallStatus[] = [];
  for (const type of [
    'recording.started',
    'recording.paused',
    'recording.resumed',
    'recording.stopped',
    'recording.stored',
    'recording.upload_retrying',
    'recording.uploaded',
    'recording.failed',
  ] as const) {
    actor.on(type, (event) => statuses.push(event));
  }
  actor.start();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    actor,
    clock,
    calls,
    statuses,
    settle,
    async send(event: Parameters<typeof actor.send>[0]) {
      actor.send(event);
      await settle();
      await settle();
    },
    value: () => actor.getSnapshot().value,
  };
}

const rec = (name = 'call_recording_c1') => ({ name });
const channel = { id: 'c1' };

describe('record-call machine', () => {
  it('records, pauses (skip and silence), resumes, stops, stores and uploads after retries', async () => {
    const t = run({ callId: 'c1', url: 'http://rec.example/{ACCOUNT_ID}/', metadata: { ACCOUNT_ID: 'acc 1' } });
    expect(t.actor.getSnapshot().context.uploadUrl).toBe('http://rec.example/acc%201/call_recording_c1.wav');
    await t.settle();
    expect(t.calls[0]).toEqual({
      name: 'startRecording',
      input: { target: { kind: 'channel', id: 'c1' }, recordingName: 'call_recording_c1', timeLimitSeconds: 3600 },
    });
    expect(t.value()).toEqual({ recording: 'active' });
    await t.send({ type: 'recording.pause' });
    expect(t.value()).toEqual({ recording: 'paused' });
    await t.send({ type: 'recording.resume' });
    expect(t.value()).toEqual({ recording: 'active' });
    await t.send({ type: 'recording.pause', mode: 'silence' });
    expect(t.value()).toEqual({ recording: 'muted' });
    expect(t.calls.at(-1)).toEqual({
      name: 'pauseRecording',
      input: { recordingName: 'call_recording_c1', mode: 'silence' },
    });
    await t.send({ type: 'recording.resume' });
    await t.send({ type: 'recording.stop' });
    expect(t.value()).toBe('stopping');
    await t.send({ type: 'RecordingFinished', recording: rec() });
    expect(t.value()).toEqual({ uploading: 'sending' });
    await t.send({ type: 'upload.retrying', attempt: 1, delayMs: 750, reason: 'HTTP 500' });
    expect(t.value()).toEqual({ uploading: 'retrying' });
    await t.send({ type: 'upload.attempt', attempt: 2 });
    await t.send({ type: 'upload.accepted', status: 201 });
    expect(t.actor.getSnapshot().status).toBe('done');
    expect(t.statuses.map((s) => s.type)).toEqual([
      'recording.started',
      'recording.paused',
      'recording.resumed',
      'recording.paused',
      'recording.resumed',
      'recording.stopped',
      'recording.stored',
      'recording.upload_retrying',
      'recording.uploaded',
    ]);
    expect(t.statuses).toContainEqual({
      type: 'recording.stopped',
      recordingName: 'call_recording_c1',
      reason: 'command',
    });
    expect(t.actor.getSnapshot().output).toMatchObject({ outcome: 'uploaded', stored: { spoolId: 'spool-1' } });
  });

  it('clamps a time limit above the maximum, says so, and stops at the limit', async () => {
    const t = run({ callId: 'c1', timeLimitSeconds: 20000, maxTimeLimitSeconds: 60 });
    await t.settle();
    expect(t.statuses[0]).toEqual({
      type: 'recording.started',
      recordingName: 'call_recording_c1',
      timeLimitSeconds: 60,
      requestedTimeLimitSeconds: 20000,
    });
    t.clock.increment(59_999);
    expect(t.value()).toEqual({ recording: 'active' });
    t.clock.increment(1);
    expect(t.value()).toBe('stopping');
    await t.send({ type: 'RecordingFinished', recording: rec() });
    expect(t.statuses).toContainEqual({
      type: 'recording.stopped',
      recordingName: 'call_recording_c1',
      reason: 'time_limit',
    });
    // No url: the recording is kept.
    expect(t.actor.getSnapshot().output).toMatchObject({ outcome: 'kept' });
  });

  it('starts idle with action stop, and ends without a recording when the call hangs up', async () => {
    for (const end of [{ type: 'hangup' as const }, { type: 'BridgeDestroyed' as const, bridge: { id: 'b1' } }]) {
      const t = run({ callId: 'c1', action: 'stop', target: { kind: 'bridge', id: 'b1' } });
      expect(t.value()).toBe('idle');
      await t.send(end);
      expect(t.actor.getSnapshot().output).toMatchObject({ outcome: 'not_recorded' });
      expect(t.calls).toEqual([]);
    }
  });

  it('keeps the file when the caller hangs up while recording (hang-up, then RecordingFinished)', async () => {
    const t = run({ callId: 'c1', action: 'stop' }, { startRecording: 'hang' });
    await t.send({ type: 'recording.start' });
    await t.send({ type: 'RecordingStarted', recording: rec() });
    expect(t.value()).toEqual({ recording: 'active' });
    await t.send({ type: 'hangup' });
    expect(t.value()).toBe('stopping');
    await t.send({ type: 'hangup' });
    await t.send({ type: 'RecordingFinished', recording: rec('someone_else') });
    expect(t.value()).toBe('stopping');
    await t.send({ type: 'RecordingFinished', recording: rec() });
    expect(t.actor.getSnapshot().output).toMatchObject({ outcome: 'kept', stored: { bytes: 1600 } });
    expect(t.statuses).toContainEqual({
      type: 'recording.stopped',
      recordingName: 'call_recording_c1',
      reason: 'hangup',
    });
  });

  it('waits for the start when the call hangs up meanwhile, and fails a start Asterisk refuses', async () => {
    const t = run({ callId: 'c1' }, { startRecording: 'hang' });
    await t.send({ type: 'hangup' });
    expect(t.value()).toBe('starting');
    expect(t.actor.getSnapshot().context.hungUp).toBe(true);
    const refused = run({ callId: 'c1' }, { startRecording: 'fail' });
    await refused.settle();
    expect(refused.actor.getSnapshot().output).toMatchObject({ outcome: 'failed', error: { stage: 'start' } });
    expect(refused.statuses.map((s) => s.type)).toEqual(['recording.failed']);
  });

  it('goes to done, not failed, when the start fails after the call ended', async () => {
    let reject: (e: Error) => void = () => {};
    const t = run({ callId: 'c1' }, { startRecording: 'hang' });
    const machine = recordCallMachine.provide({
      actors: { startRecording: fromPromise(() => new Promise<{ queued: boolean }>((_, r) => (reject = r))) },
    });
    const actor = createActor(machine, {
      input: { callId: 'c1' },
      inspect: (e: InspectionEvent) => {
        if (e.type === '@xstate.microstep') for (const tr of e._transitions) taken.add(label(tr));
      },
    }).start();
    actor.send({ type: 'hangup' });
    reject(new Error('404 Channel not found'));
    await t.settle();
    expect(actor.getSnapshot().output).toMatchObject({ outcome: 'not_recorded' });
    t.actor.stop();
  });

  it('handles a recording that finishes or fails during the start, and a stop before it started', async () => {
    const finished = run({ callId: 'c1', keep: false }, { startRecording: 'hang' });
    await finished.send({ type: 'RecordingFinished', recording: rec() });
    expect(finished.actor.getSnapshot().output).toMatchObject({ outcome: 'discarded' });
    expect(finished.calls.map((c) => c.name)).toEqual(['startRecording', 'storeRecording', 'discardRecording']);

    const failed = run({ callId: 'c1' }, { startRecording: 'hang' });
    await failed.send({ type: 'RecordingFailed', recording: { name: 'call_recording_c1', cause: 'no space' } });
    expect(failed.actor.getSnapshot().output).toMatchObject({
      outcome: 'failed',
      error: { stage: 'start', message: 'no space' },
    });

    const stopped = run({ callId: 'c1' }, { startRecording: 'hang', storeRecording: 'fail' });
    await stopped.send({ type: 'recording.stop' });
    // Held while Asterisk has not answered; after the patience the stop is sent anyway.
    expect(stopped.value()).toBe('starting');
    expect(stopped.calls.map((c) => c.name)).toEqual(['startRecording']);
    stopped.clock.increment(10_000);
    await stopped.settle();
    expect(stopped.value()).toBe('stopping');
    // No RecordingFinished ever comes: after the patience the store is tried, and fails (nothing stored).
    stopped.clock.increment(10_000);
    await stopped.settle();
    expect(stopped.actor.getSnapshot().output).toMatchObject({ outcome: 'failed', error: { stage: 'store' } });

    const silent = run({ callId: 'c1' }, { startRecording: 'hang' });
    silent.clock.increment(10_000);
    expect(silent.actor.getSnapshot().output).toMatchObject({
      error: { message: 'Asterisk did not start the recording' },
    });
  });

  it('holds a stop sent while the recording is queued behind a playback, and sends it once it started', async () => {
    const t = run({ callId: 'c1', keep: true }, { startRecording: 'queued' });
    await t.settle();
    expect(t.value()).toBe('queued');
    await t.send({ type: 'recording.stop' });
    await t.send({ type: 'RecordingStarted', recording: rec('someone_else') });
    // Asterisk would only mark a queued recording canceled, and record anyway: nothing is sent yet.
    expect(t.value()).toBe('queued');
    expect(t.calls.map((c) => c.name)).toEqual(['startRecording']);
    await t.send({ type: 'RecordingStarted', recording: rec() });
    expect(t.value()).toBe('stopping');
    expect(t.calls.map((c) => c.name)).toEqual(['startRecording', 'stopRecording']);
    await t.send({ type: 'RecordingFinished', recording: rec() });
    expect(t.actor.getSnapshot().output).toMatchObject({ outcome: 'kept' });
    expect(t.statuses.map((s) => s.type)).toEqual(['recording.started', 'recording.stopped', 'recording.stored']);
    expect(t.statuses[1]).toMatchObject({ reason: 'command' });

    // A stop while the record request is on its way, answered as running: sent once the answer (or the event) came.
    const early = run({ callId: 'c1' }, { startRecording: 'hang' });
    await early.send({ type: 'recording.stop' });
    expect(early.calls.map((c) => c.name)).toEqual(['startRecording']);
    await early.send({ type: 'RecordingStarted', recording: rec() });
    expect(early.value()).toBe('stopping');
    expect(early.calls.map((c) => c.name)).toEqual(['startRecording', 'stopRecording']);
  });

  it('queued: a hang-up waits for the start Asterisk still makes, for its patience at most; a finish ends the wait', async () => {
    // Measured on Asterisk 22.10.1: the hang-up fails the playback, starts the recording, and finishes it (duration 0).
    const hung = run({ callId: 'c1' }, { startRecording: 'queued' });
    await hung.settle();
    await hung.send({ type: 'hangup' });
    expect(hung.value()).toBe('queued');
    await hung.send({ type: 'RecordingStarted', recording: rec() });
    expect(hung.value()).toBe('stopping');
    await hung.send({ type: 'RecordingFinished', recording: rec() });
    expect(hung.actor.getSnapshot().output).toMatchObject({ outcome: 'kept' });
    expect(hung.statuses).toContainEqual({
      type: 'recording.stopped',
      recordingName: 'call_recording_c1',
      reason: 'hangup',
    });

    const ended = run({ callId: 'c1' }, { startRecording: 'queued' });
    await ended.settle();
    // The call left Stasis before Asterisk said the recording started: its events may never come.
    await ended.send({ type: 'hangup' });
    ended.clock.increment(9_999);
    await ended.settle();
    expect(ended.value()).toBe('queued');
    ended.clock.increment(1);
    await ended.settle();
    expect(ended.value()).toBe('stopping');
    expect(ended.statuses).toEqual([]);

    // Answered queued after the call already ended: nothing may ever start it, so no endless wait.
    const late = run({ callId: 'c1' }, { startRecording: 'queued' });
    late.actor.send({ type: 'hangup' });
    await late.settle();
    expect(late.value()).toBe('stopping');

    const gone = run({ callId: 'c1', target: { kind: 'bridge', id: 'b1' } }, { startRecording: 'queued' });
    await gone.settle();
    await gone.send({ type: 'BridgeDestroyed', bridge: { id: 'b2' } });
    expect(gone.value()).toBe('queued');
    await gone.send({ type: 'BridgeDestroyed', bridge: { id: 'b1' } });
    expect(gone.value()).toBe('stopping');

    const finished = run({ callId: 'c1' }, { startRecording: 'queued' });
    await finished.settle();
    await finished.send({ type: 'RecordingFinished', recording: rec() });
    expect(finished.actor.getSnapshot().output).toMatchObject({ outcome: 'kept' });
    expect(finished.statuses).toContainEqual({
      type: 'recording.stopped',
      recordingName: 'call_recording_c1',
      reason: 'asterisk',
    });

    const failed = run({ callId: 'c1' }, { startRecording: 'queued' });
    await failed.settle();
    await failed.send({ type: 'RecordingFailed', recording: { name: 'call_recording_c1', cause: 'no channel' } });
    expect(failed.actor.getSnapshot().output).toMatchObject({
      outcome: 'failed',
      error: { stage: 'start', message: 'no channel' },
    });
  });

  it('stops a bridge recording when the bridge goes or the call leaves it, not when another party leaves', async () => {
    const target = { kind: 'bridge' as const, id: 'b1' };
    const left = run({ callId: 'c1', target });
    await left.settle();
    await left.send({ type: 'ChannelLeftBridge', channel: { id: 'other' }, bridge: { id: 'b1' } });
    expect(left.value()).toEqual({ recording: 'active' });
    await left.send({ type: 'ChannelLeftBridge', channel, bridge: { id: 'b1' } });
    expect(left.value()).toBe('stopping');
    const destroyed = run({ callId: 'c1', target });
    await destroyed.settle();
    await destroyed.send({ type: 'BridgeDestroyed', bridge: { id: 'b1' } });
    expect(destroyed.value()).toBe('stopping');
    const ended = run({ callId: 'c1' });
    await ended.settle();
    await ended.send({ type: 'hangup' });
    expect(ended.value()).toBe('stopping');
  });

  it('reports failures: recording failed, Asterisk finishing by itself, pause and resume refused, upload rejected', async () => {
    const failed = run({ callId: 'c1' });
    await failed.settle();
    await failed.send({ type: 'RecordingFailed', recording: rec() });
    expect(failed.actor.getSnapshot().output).toMatchObject({
      error: { stage: 'record', message: 'recording failed' },
    });

    const byItself = run({ callId: 'c1', keep: false }, { discardRecording: 'fail' });
    await byItself.settle();
    await byItself.send({ type: 'RecordingFinished', recording: rec() });
    expect(byItself.actor.getSnapshot().output).toMatchObject({ error: { stage: 'discard' } });

    const refused = run({ callId: 'c1' }, { pauseRecording: 'fail' });
    await refused.settle();
    await refused.send({ type: 'recording.pause' });
    expect(refused.value()).toEqual({ recording: 'active' });

    const stuck = run({ callId: 'c1', pauseMode: 'silence' }, { resumeRecording: 'fail' });
    await stuck.settle();
    await stuck.send({ type: 'recording.pause' });
    await stuck.send({ type: 'recording.resume' });
    expect(stuck.value()).toEqual({ recording: 'muted' });
    const stuckSkip = run({ callId: 'c1' }, { resumeRecording: 'fail' });
    await stuckSkip.settle();
    await stuckSkip.send({ type: 'recording.pause' });
    await stuckSkip.send({ type: 'recording.resume' });
    expect(stuckSkip.value()).toEqual({ recording: 'paused' });

    const stopFailed = run({ callId: 'c1' });
    await stopFailed.settle();
    await stopFailed.send({ type: 'recording.stop' });
    await stopFailed.send({ type: 'RecordingFailed', recording: rec() });
    expect(stopFailed.actor.getSnapshot().output).toMatchObject({ outcome: 'failed' });

    const rejected = run({ callId: 'c1', url: 'https://rec.example/x' });
    await rejected.settle();
    await rejected.send({ type: 'recording.stop' });
    await rejected.send({ type: 'RecordingFinished', recording: rec() });
    await rejected.send({ type: 'upload.rejected', status: 403, reason: 'HTTP 403' });
    expect(rejected.actor.getSnapshot().output).toMatchObject({ error: { stage: 'upload', status: 403 } });
    expect(rejected.statuses.at(-1)).toMatchObject({ type: 'recording.failed', error: { status: 403 } });
  });

  it('refuses malformed input with a clear error', () => {
    expect(() => resolveRecordCallInput({ callId: '' })).toThrow(/callId/);
    expect(() => resolveRecordCallInput({ callId: 'c', format: 'ogg' as never })).toThrow(/wav or mp3/);
    expect(() => resolveRecordCallInput({ callId: 'c', timeLimitSeconds: -1 })).toThrow(/timeLimitSeconds/);
    expect(() => resolveRecordCallInput({ callId: 'c', pauseMode: 'mute' as never })).toThrow(/pauseMode/);
    // Kazoo's snake_case names belong to the mapper at the edge: given to the machine, they are refused, not ignored.
    expect(() => resolveRecordCallInput({ callId: 'c', time_limit: 60 } as never)).toThrow(
      /no key time_limit.*Kazoo's record_call names are for the recorder's options/,
    );
    expect(() => resolveRecordCallInput({ callId: 'c', url: 'http://x/{ACCOUNT_ID}' })).toThrow(/\{ACCOUNT_ID\}/);
    expect(() => resolveRecordCallInput({ callId: 'c', url: 'ftp://x/' })).toThrow(/http or https/);
    expect(() => resolveRecordCallInput({ callId: 'c', url: 'nope' })).toThrow(/absolute URL/);
    expect(resolveRecordCallInput({ callId: 'c', url: 'http://x/up?token=1', format: 'mp3' }).uploadUrl).toBe(
      'http://x/up/call_recording_c.mp3?token=1',
    );
  });

  test('every state and transition of the machine is taken by the scenarios above, replayed here from scratch', async () => {
    taken.clear();
    visited.clear();
    await replay();
    const all = allTransitions(recordCallMachine.root as AnyStateNode);
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter((t) => !taken.has(t))).toEqual([]);
    const leaves = (node: AnyStateNode): string[] =>
      Object.keys(node.states).length === 0
        ? [
            node.path.length === 1
              ? JSON.stringify(node.path[0])
              : JSON.stringify({ [node.path[0] ?? '']: node.path[1] }),
          ]
        : Object.values(node.states).flatMap((child) => leaves(child as AnyStateNode));
    // `init` is transient: it is left within the first macrostep, never seen in a snapshot.
    expect(leaves(recordCallMachine.root as AnyStateNode).filter((s) => s !== '"init"' && !visited.has(s))).toEqual([]);
  });
});
