// Hibernation of parked calls, with the real voicemail machine and its real implementations (createVoicemailCalls
// on a FileMessageStore) over the fake client: a call in recording.active is held as its snapshot, woken by its
// next event, and goes on as if it had never slept.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import { type PreparedCall, voicemailMachine } from '../../machines/voicemail.js';
import { isParked, persistParked, validateHibernate } from '../../src/runtime/hibernation.js';
import { createStasisApp, type StasisApp, transitionLog } from '../../src/runtime/index.js';
import { createVoicemailCalls } from '../../src/voicemail/call.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import { FileMessageStore } from '../../src/voicemail/store.js';
import { channel, event, FakeClient } from './fake-client.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 2));
const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await tick();
};

let dir: string;
let fake: FakeClient;
let store: FileMessageStore;
let app: StasisApp | undefined;
let lines: string[];
let lifecycle: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ari-vm-hib-'));
  fake = new FakeClient();
  store = new FileMessageStore(dir);
  lines = [];
  lifecycle = [];
  fake.on('recordings.getStored', (params) => ({ name: params.recordingName, format: 'wav' }));
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await rm(dir, { recursive: true, force: true });
});

function start(hibernate: boolean | { idleMs?: number } = { idleMs: 0 }): StasisApp {
  app = createStasisApp({
    client: fake.client,
    app: 'vm-record',
    retry: false,
    hibernate,
    observers: [transitionLog((line) => lines.push(line.replace(/\s+/g, ' ')))],
    onCallEvent: (e) => lifecycle.push(e.type),
    createCall: createVoicemailCalls({
      directory: new InMemoryMailboxDirectory([{ mailbox: '305' }]),
      store,
      greeting: 'none',
      review: false,
      finish: 'hangup',
      mwiRefresh: false,
    }),
  });
  return app;
}

/** A call in recording.active with its record request answered; returns its channel id and take name. */
async function park(stasis: StasisApp): Promise<{ id: string; take: string }> {
  const ch = channel();
  fake.channels.set(ch.id, ch);
  stasis.handle(event('StasisStart', { channel: ch, args: ['305'] }));
  await turns();
  const record = fake.callsOf('channels.record').at(-1);
  expect(record, 'the take was asked for').toBeDefined();
  const take = String(record?.params.name);
  stasis.handle(event('RecordingStarted', { recording: { name: take, state: 'recording' } }));
  await turns();
  return { id: ch.id, take };
}

const stateOf = (stasis: StasisApp, id: string) => stasis.actor(id)?.getSnapshot().value;

describe('hibernation of a parked voicemail call', () => {
  it('holds a call in recording.active as its snapshot; # wakes it and the message is saved once', async () => {
    const stasis = start();
    const { id, take } = await park(stasis);
    expect(stasis.stats()).toMatchObject({ calls: 1, hibernated: 1 });

    stasis.handle(event('ChannelDtmfReceived', { channel: fake.channels.get(id), digit: '#' }));
    await turns();
    expect(stasis.stats().hibernated).toBe(0);
    // The take's stop went out: the gate opened by RecordingStarted (kept by the implementation) survived the sleep.
    expect(fake.callsOf('recordings.stop').map((c) => c.params.recordingName)).toEqual([take]);
    stasis.handle(event('RecordingFinished', { recording: { name: take, state: 'done', duration: 3 } }));
    await turns(20);
    const goodbye = fake.callsOf('channels.playWithId').at(-1);
    stasis.handle(event('PlaybackFinished', { playback: { id: goodbye?.params.playbackId, state: 'done' } }));
    await turns(20);

    expect(stasis.stats()).toMatchObject({ calls: 0, hibernated: 0, ended: 1 });
    const messages = await store.list({ mailbox: '305', context: 'default' }, 'INBOX');
    expect(messages.map((m) => [m.recordingName, m.durationSeconds])).toEqual([[take, 3]]);
    expect(fake.callsOf('channels.hangup')).toHaveLength(1);
    // The observers saw one call going on, not a stop and a new start.
    expect(lines.filter((l) => l.includes('recording.active ->'))).toEqual([
      expect.stringContaining('recording.active -> recording.stopping on DTMF #'),
    ]);
    expect(lines.filter((l) => l.includes('new ->'))).toHaveLength(1);
    expect(lifecycle.filter((t) => t === 'call.started')).toHaveLength(1);
    expect(lifecycle).toContain('call.restored');
  });

  it('keeps the context as it was: actor(callId) wakes the call in the same take', async () => {
    const stasis = start();
    const { id, take } = await park(stasis);
    expect(stasis.stats().hibernated).toBe(1);
    const snapshot = stasis.actor(id)?.getSnapshot();
    expect(snapshot?.value).toEqual({ recording: 'active' });
    expect(snapshot?.context).toMatchObject({ take: 1, recordingName: take, takeLive: true });
    expect(stasis.stats()).toMatchObject({ hibernated: 0, restored: 2 });
    await turns();
    // Idle again: it sleeps again.
    expect(stasis.stats().hibernated).toBe(1);
  });

  it('a hang-up on a hibernated call stops the take and keeps the message', async () => {
    const stasis = start();
    const { id, take } = await park(stasis);
    const ch = fake.channels.get(id);
    stasis.handle(event('ChannelHangupRequest', { channel: ch, cause: 16 }));
    await turns();
    expect(stateOf(stasis, id)).toEqual({ recording: 'stopping' });
    stasis.handle(event('RecordingFinished', { recording: { name: take, state: 'done', duration: 2 } }));
    stasis.handle(event('StasisEnd', { channel: ch }));
    await turns(20);
    expect(stasis.stats()).toMatchObject({ calls: 0, hibernated: 0 });
    const messages = await store.list({ mailbox: '305', context: 'default' }, 'INBOX');
    expect(messages.map((m) => m.recordingName)).toEqual([take]);
  });

  it('a resync after a gap ends a hibernated call whose channel is gone', async () => {
    const stasis = start();
    const { id, take } = await park(stasis);
    fake.channels.delete(id);
    fake.on('recordings.getLive', () => ({ name: take, state: 'recording' }));
    await stasis.resync();
    await turns();
    // The made-up StasisEnd woke it: it stops its take and waits for the RecordingFinished.
    expect(stasis.stats().hibernated).toBe(0);
    expect(fake.callsOf('recordings.stop').map((c) => c.params.recordingName)).toEqual([take]);
  });

  it('stop() ends hibernated calls like the others', async () => {
    const stasis = start();
    await park(stasis);
    await park(stasis);
    expect(stasis.stats()).toMatchObject({ calls: 2, hibernated: 2 });
    await stasis.stop();
    expect(stasis.stats()).toMatchObject({ calls: 0, hibernated: 0, ended: 2 });
    expect(lifecycle.filter((t) => t === 'call.ended')).toHaveLength(2);
  });

  it('does not hibernate while the record request is unanswered, nor when it is off', async () => {
    let answer: () => void = () => {};
    fake.on('channels.record', () => new Promise<void>((resolve) => (answer = resolve)));
    const stasis = start();
    const ch = channel();
    fake.channels.set(ch.id, ch);
    stasis.handle(event('StasisStart', { channel: ch, args: ['305'] }));
    await turns();
    expect(stateOf(stasis, ch.id)).toEqual({ recording: 'active' });
    expect(stasis.stats().hibernated).toBe(0);
    answer();
    await turns();
    expect(stasis.stats().hibernated).toBe(1);
    await stasis.stop();

    const awake = start(false);
    await park(awake);
    expect(awake.stats()).toMatchObject({ calls: 1, hibernated: 0, restored: 0 });
  });

  it('waits idleMs before hibernating', async () => {
    const stasis = start({ idleMs: 200 });
    await park(stasis);
    expect(stasis.stats().hibernated).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stasis.stats().hibernated).toBe(1);
  });
});

describe('isParked and persistParked', () => {
  const READY: PreparedCall = {
    status: 'ready',
    greeting: [],
    recordingPrefix: 'voicemail/default/305/',
    limits: { maxMessageSeconds: 0, minMessageSeconds: 0, maxSilenceSeconds: 0 },
  };
  const machine = voicemailMachine.provide({
    actors: {
      // Typed loosely, as the machine tests do: each placeholder of the machine has its own input type.
      answerChannel: fromPromise(async () => {}) as never,
      lookUpMailbox: fromPromise(async (): Promise<PreparedCall> => READY) as never,
      startRecording: fromPromise(async () => {}) as never,
      // Saving never answers here: the test looks at the call on its way to save.
      saveMessage: fromPromise(() => new Promise<void>(() => {})) as never,
    },
  });
  const input = { callId: 'c1', tag: 't1', mailbox: '305@default', review: false };

  it('a paused take (its pause limit armed) is not parked; a restored snapshot goes on', async () => {
    const actor = createActor(machine, { input }).start();
    await turns();
    expect(actor.getSnapshot().value).toEqual({ recording: 'active' });
    expect(isParked(actor, 'parked')).toBe(true);
    const persisted = persistParked(actor) as unknown as { children: Record<string, unknown> };
    // The finished startRecording invocation is not kept.
    expect(persisted.children).toEqual({});
    actor.send({ type: 'ChannelDtmfReceived', digit: '1' });
    expect(actor.getSnapshot().value).toEqual({ recording: 'paused' });
    expect(isParked(actor, 'parked')).toBe(false);
    actor.stop();

    const revived = createActor(machine, { input, snapshot: persisted as never }).start();
    expect(revived.getSnapshot().value).toEqual({ recording: 'active' });
    expect(revived.getSnapshot().context.recordingName).toBe('voicemail/default/305/t1-1');
    revived.send({ type: 'ChannelDtmfReceived', digit: '#' });
    expect(revived.getSnapshot().value).toEqual({ recording: 'stopping' });
    revived.send({
      type: 'RecordingFinished',
      recording: { name: 'voicemail/default/305/t1-1', format: 'wav', state: 'done', target_uri: '', duration: 4 },
    });
    expect(revived.getSnapshot().value).toBe('saving');
    expect(revived.getSnapshot().context.durationSeconds).toBe(4);
    revived.stop();
  });

  it('validates its options', () => {
    expect(() => validateHibernate({ idleMs: -1 })).toThrow(/hibernate.idleMs/);
    expect(() => validateHibernate({ tag: '' })).toThrow(/hibernate.tag/);
    expect(() => validateHibernate({ wait: 1 })).toThrow(/hibernate.wait/);
    expect(() => validateHibernate('yes')).toThrow(/hibernate/);
    expect(() => validateHibernate({ idleMs: 0, tag: 'waiting' })).not.toThrow();
  });
});
