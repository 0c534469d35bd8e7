import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import {
  type Actor,
  type AnyStateNode,
  type AnyTransitionDefinition,
  createActor,
  fromPromise,
  type InspectionEvent,
  SimulatedClock,
} from 'xstate';
import {
  type CopyResult,
  type PreparedCall,
  type VoicemailEvent,
  type VoicemailInput,
  voicemailMachine,
} from '../../machines/voicemail.js';
import { scenarios } from '../helpers/scenarios.js';

// Drives the pure voicemail machine with fake actors and actions that record every REST-like call, on a simulated
// clock, and records which states and transitions were taken (for the coverage check).

type ActorName =
  | 'answerChannel'
  | 'lookUpMailbox'
  | 'playMedia'
  | 'startRecording'
  | 'purgeRecording'
  | 'saveMessage'
  | 'copyMessage'
  | 'finishCall';

/** How a fake actor answers: a value (or a promise), or a function of its input. `'never'` never settles. */
type Behaviour = ((input: unknown) => unknown) | 'never' | { reject: string };

interface Call {
  readonly name: string;
  readonly input: unknown;
}

// Every test is a scenario the coverage test at the end replays from scratch (`it` keeps them).
const { it, replay } = scenarios();

const taken = new Set<string>();
const visited = new Set<string>();

const label = (t: AnyTransitionDefinition): string => {
  const source = t.source as AnyStateNode;
  const list = t.eventType === '' ? (source.always ?? []) : (source.transitions.get(t.eventType) ?? []);
  return `${source.id} --${t.eventType || 'always'}[${list.indexOf(t)}]`;
};

function allTransitions(node: AnyStateNode = voicemailMachine.root): string[] {
  return [
    ...[...node.transitions.values()].flat().map(label),
    ...(node.always ?? []).map(label),
    ...Object.values(node.states).flatMap((child) => allTransitions(child as AnyStateNode)),
  ];
}

function allStates(node: AnyStateNode = voicemailMachine.root): string[] {
  return [node.id, ...Object.values(node.states).flatMap((child) => allStates(child as AnyStateNode))];
}

const coverage = { taken, visited };

const READY: PreparedCall = {
  status: 'ready',
  greeting: ['sound:vm-theperson', 'digits:305', 'sound:vm-isunavail', 'sound:vm-intro'],
  recordingPrefix: 'voicemail/default/305/',
  limits: { maxMessageSeconds: 300, minMessageSeconds: 0, maxSilenceSeconds: 10 },
};

const DEFAULTS: Record<ActorName, Behaviour> = {
  answerChannel: () => undefined,
  lookUpMailbox: () => READY,
  playMedia: () => undefined,
  startRecording: () => undefined,
  purgeRecording: () => undefined,
  saveMessage: () => undefined,
  copyMessage: (): CopyResult => ({ status: 'copied', to: '306@default' }),
  finishCall: () => undefined,
};

interface Harness {
  readonly actor: Actor<typeof voicemailMachine>;
  readonly clock: SimulatedClock;
  readonly calls: Call[];
  /** The calls of one actor or action, in order. */
  of(name: string): unknown[];
  send(event: VoicemailEvent): Promise<void>;
  dtmf(...digits: string[]): Promise<void>;
  /** Finishes the playback the machine is waiting for. */
  playbackFinished(): Promise<void>;
  /** Finishes the current take, as Asterisk does (state done, with its duration). */
  recordingFinished(duration?: number): Promise<void>;
  advance(ms: number): Promise<void>;
  /** The active state, as a dotted path (`recording.active`). */
  state(): string;
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] as [string, unknown];
  return `${key}.${stateName(child)}`;
}

async function start(
  input: Partial<VoicemailInput> = {},
  behaviours: Partial<Record<ActorName, Behaviour>> = {},
): Promise<Harness> {
  const clock = new SimulatedClock();
  const calls: Call[] = [];
  const fake = (name: ActorName) =>
    fromPromise(async ({ input: actorInput }: { input: unknown }) => {
      calls.push({ name, input: actorInput });
      const how = behaviours[name] ?? DEFAULTS[name];
      if (how === 'never') return new Promise<never>(() => {});
      if (typeof how === 'object') throw new Error(how.reject);
      return how(actorInput);
    }) as never;
  const action =
    (name: string) =>
    (_: unknown, params: unknown): void => {
      calls.push({ name, input: params });
    };
  const machine = voicemailMachine.provide({
    actors: {
      answerChannel: fake('answerChannel'),
      lookUpMailbox: fake('lookUpMailbox'),
      playMedia: fake('playMedia'),
      startRecording: fake('startRecording'),
      purgeRecording: fake('purgeRecording'),
      saveMessage: fake('saveMessage'),
      copyMessage: fake('copyMessage'),
      finishCall: fake('finishCall'),
    },
    actions: {
      stopPlayback: action('stopPlayback'),
      stopRecording: action('stopRecording'),
      cancelRecording: action('cancelRecording'),
      pauseRecording: action('pauseRecording'),
      unpauseRecording: action('unpauseRecording'),
      releaseHeld: action('releaseHeld'),
      playNotice: action('playNotice'),
      reportDiscarded: action('reportDiscarded'),
      reportError: action('reportError'),
    },
  });
  const record = (snapshot: unknown): void => {
    const nodes = (snapshot as { _nodes?: AnyStateNode[] })._nodes ?? [];
    for (const node of nodes) visited.add(node.id);
  };
  const actor = createActor(machine, {
    clock,
    input: { callId: 'chan-1', tag: 't1-chan-1', mailbox: '305@default', ...input },
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.microstep') {
        for (const t of event._transitions) {
          taken.add(label(t));
          visited.add((t.source as AnyStateNode).id);
        }
        record(event.snapshot);
      }
      if (event.type === '@xstate.snapshot') record(event.snapshot);
    },
  });
  actor.start();
  await settle();
  const h: Harness = {
    actor,
    clock,
    calls,
    of: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
    send: async (event) => {
      actor.send(event);
      await settle();
    },
    dtmf: async (...digits) => {
      for (const digit of digits) await h.send({ type: 'ChannelDtmfReceived', digit });
    },
    playbackFinished: () =>
      h.send({
        type: 'PlaybackFinished',
        playback: {
          id: actor.getSnapshot().context.playbackId ?? '',
          media_uri: '',
          target_uri: 'channel:chan-1',
          state: 'done',
        },
      }),
    recordingFinished: (duration = 5) =>
      h.send({
        type: 'RecordingFinished',
        recording: {
          name: actor.getSnapshot().context.recordingName ?? '',
          format: 'wav',
          target_uri: 'channel:chan-1',
          state: 'done',
          duration,
        },
      }),
    advance: async (ms) => {
      clock.increment(ms);
      await settle();
    },
    state: () => stateName(actor.getSnapshot().value),
  };
  return h;
}

const input = (over: Partial<VoicemailInput> = {}): Partial<VoicemailInput> => over;

/** Plays the greeting to its end and records one take of `duration` seconds, accepted with `#`. */
async function toReview(h: Harness, duration = 5): Promise<void> {
  await h.playbackFinished();
  await h.dtmf('#');
  await h.recordingFinished(duration);
}

describe('voicemail machine: leaving a message', () => {
  it('greets, records after the beep, plays the take back, and saves it on # (VMSTATUS=SUCCESS)', async () => {
    const h = await start();
    expect(h.state()).toBe('greeting');
    expect(h.of('lookUpMailbox')).toEqual([{ mailbox: '305@default', greetingKind: 'unavailable' }]);
    expect(h.of('playMedia')[0]).toEqual({
      playbackId: 't1-chan-1-p1',
      media: READY.status === 'ready' ? READY.greeting : [],
    });
    await h.playbackFinished();
    expect(h.state()).toBe('recording.active');
    expect(h.of('startRecording')).toEqual([
      { recordingName: 'voicemail/default/305/t1-chan-1-1', maxDurationSeconds: 300, maxSilenceSeconds: 10 },
    ]);
    await h.dtmf('#');
    expect(h.state()).toBe('recording.stopping');
    expect(h.of('stopRecording')).toEqual([{ recordingName: 'voicemail/default/305/t1-chan-1-1' }]);
    await h.recordingFinished(7);
    expect(h.state()).toBe('reviewing.playing');
    expect(h.of('playMedia')[1]).toEqual({
      playbackId: 't1-chan-1-p2',
      media: ['recording:voicemail/default/305/t1-chan-1-1'],
    });
    await h.playbackFinished();
    expect(h.state()).toBe('reviewing.waiting');
    await h.dtmf('#');
    expect(h.of('saveMessage')).toEqual([
      {
        messageId: 't1-chan-1-1',
        recordingName: 'voicemail/default/305/t1-chan-1-1',
        durationSeconds: 7,
        urgent: false,
      },
    ]);
    expect(h.state()).toBe('goodbye');
    expect(h.of('playMedia')[2]).toEqual({
      playbackId: 't1-chan-1-p3',
      media: ['sound:vm-msgsaved', 'sound:vm-goodbye'],
    });
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'SUCCESS', exit: null }]);
    expect(h.actor.getSnapshot().status).toBe('done');
    expect(h.actor.getSnapshot().output).toEqual({
      status: 'SUCCESS',
      exit: null,
      messageId: 't1-chan-1-1',
      hungUp: false,
    });
  });

  it('ignores playbacks and recordings that are not the current ones', async () => {
    const h = await start();
    await h.send({ type: 'PlaybackFinished', playback: { id: 'other', media_uri: '', target_uri: '', state: 'done' } });
    expect(h.state()).toBe('greeting');
    await h.playbackFinished();
    await h.send({
      type: 'RecordingFinished',
      recording: {
        name: 'voicemail/default/305/someone-else',
        format: 'wav',
        target_uri: '',
        state: 'done',
        duration: 3,
      },
    });
    expect(h.state()).toBe('recording.active');
    await h.dtmf('9');
    expect(h.state()).toBe('recording.active');
  });

  it('saves straight away when review is off', async () => {
    const h = await start(input({ review: false }));
    await toReview(h, 4);
    expect(h.of('saveMessage')).toHaveLength(1);
    expect(h.state()).toBe('goodbye');
  });

  it('plays the busy greeting kind it was given and takes configured keys', async () => {
    const h = await start(input({ greetingKind: 'busy', keys: { accept: '5' } }));
    expect(h.of('lookUpMailbox')).toEqual([{ mailbox: '305@default', greetingKind: 'busy' }]);
    await h.playbackFinished();
    await h.dtmf('#');
    expect(h.state()).toBe('recording.active');
    await h.dtmf('5');
    expect(h.state()).toBe('recording.stopping');
  });
});

describe('voicemail machine: the greeting', () => {
  it('# skips to the beep (and stops the greeting)', async () => {
    const h = await start();
    await h.dtmf('#');
    expect(h.state()).toBe('recording.active');
    expect(h.of('stopPlayback')).toEqual([{ playbackId: 't1-chan-1-p1' }]);
  });

  it.each([
    ['0', 'operator'],
    ['*', 'exit'],
  ] as const)('%s leaves voicemail with VMSTATUS=USEREXIT towards %s', async (digit, exit) => {
    const h = await start();
    await h.dtmf(digit);
    expect(h.of('stopPlayback')).toHaveLength(1);
    expect(h.of('finishCall')).toEqual([{ status: 'USEREXIT', exit }]);
    expect(h.of('startRecording')).toEqual([]);
    expect(h.actor.getSnapshot().output).toMatchObject({ status: 'USEREXIT', exit, messageId: null });
  });

  it('a hang-up leaves nothing', async () => {
    const h = await start();
    await h.send({ type: 'hangup' });
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('startRecording')).toEqual([]);
    expect(h.of('saveMessage')).toEqual([]);
    expect(h.of('finishCall')).toEqual([]);
  });

  it('a greeting that cannot be played ends the call cleanly (VMSTATUS=FAILED)', async () => {
    const h = await start({}, { playMedia: { reject: '404 Channel not found' } });
    // The greeting and the goodbye both fail; both are reported, nothing waits forever.
    expect(h.of('reportError')).toHaveLength(2);
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
    expect(h.actor.getSnapshot().status).toBe('done');
  });
});

describe('voicemail machine: no greeting', () => {
  it.each([
    ['greeting: none', { greeting: 'none' as const }, READY],
    ['an empty prepared greeting', {}, { ...READY, greeting: [] }],
  ])('%s records at once (the recording sounds the beep)', async (_, over, prepared) => {
    const h = await start(over, { lookUpMailbox: () => prepared });
    expect(h.state()).toBe('recording.active');
    expect(h.of('playMedia')).toEqual([]);
    expect(h.of('startRecording')).toEqual([
      { recordingName: 'voicemail/default/305/t1-chan-1-1', maxDurationSeconds: 300, maxSilenceSeconds: 10 },
    ]);
    await h.dtmf('#');
    await h.recordingFinished(3);
    expect(h.state()).toBe('reviewing.playing');
  });

  it('an unknown or full mailbox is still told to the caller', async () => {
    const h = await start({ greeting: 'none' }, { lookUpMailbox: () => ({ status: 'full' }) });
    expect(h.state()).toBe('goodbye');
    expect(h.of('playMedia')).toEqual([
      { playbackId: 't1-chan-1-p1', media: ['sound:vm-mailboxfull', 'sound:vm-goodbye'] },
    ]);
  });
});

describe('voicemail machine: keys switched off', () => {
  it('a null key never matches: the tutorial stage 1 has only # (and hanging up)', async () => {
    const h = await start({
      greeting: 'none',
      review: false,
      keys: { rerecord: null, pause: null, cancelAndEnd: null },
    });
    await h.dtmf('*', '1', '0');
    expect(h.state()).toBe('recording.active');
    expect(h.of('cancelRecording')).toEqual([]);
    expect(h.of('pauseRecording')).toEqual([]);
    await h.dtmf('#');
    await h.recordingFinished(4);
    expect(h.of('saveMessage')).toHaveLength(1);
  });

  it('review keys switched off do nothing; the others still work', async () => {
    const h = await start({ keys: { urgent: null, copy: null } });
    await toReview(h);
    await h.dtmf('4', '8');
    expect(h.state()).toBe('reviewing.playing');
    expect(h.of('stopPlayback')).toEqual([]);
    expect(h.of('playNotice')).toEqual([]);
    await h.dtmf('#');
    expect(h.of('saveMessage')).toEqual([expect.objectContaining({ urgent: false })]);
  });

  it.each([
    [{ accept: '##' }, /keys\.accept must be one DTMF key/],
    [{ accept: 'x' }, /keys\.accept must be one DTMF key/],
    [{ nope: '#' }, /unknown key "nope"/],
    [{ copyEnter: null }, /copyEnter cannot be switched off/],
  ])('refuses keys %o with a clear error', (keys, message) => {
    const actor = createActor(voicemailMachine, {
      input: { callId: 'c', tag: 't', mailbox: '305@default', keys: keys as never },
    });
    const errors: unknown[] = [];
    actor.subscribe({ error: (error) => errors.push(error) });
    actor.start();
    expect(actor.getSnapshot().status).toBe('error');
    expect(String(errors[0])).toMatch(message);
  });

  it('copyEnter may be off when copy is off too', async () => {
    const h = await start({ keys: { copy: null, copyEnter: null, copyCancel: null } });
    await toReview(h);
    await h.dtmf('8', '#');
    expect(h.of('saveMessage')).toHaveLength(1);
  });
});

describe('voicemail machine: the mailbox', () => {
  it('a malformed mailbox is told to the caller (VMSTATUS=FAILED), never looked up', async () => {
    const h = await start(input({ mailbox: null }));
    expect(h.of('lookUpMailbox')).toEqual([]);
    expect(h.of('playMedia')[0]).toMatchObject({ media: ['sound:invalid', 'sound:vm-goodbye'] });
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
  });

  it('an unknown mailbox is told to the caller', async () => {
    const h = await start({}, { lookUpMailbox: () => ({ status: 'unknown' }) });
    expect(h.of('playMedia')[0]).toMatchObject({ media: ['sound:invalid', 'sound:vm-goodbye'] });
    await h.playbackFinished();
    expect(h.actor.getSnapshot().output).toMatchObject({ status: 'FAILED' });
  });

  it('a full mailbox is told to the caller and ends with VMSTATUS=FAILED', async () => {
    const h = await start({}, { lookUpMailbox: () => ({ status: 'full' }) });
    expect(h.of('playMedia')[0]).toMatchObject({ media: ['sound:vm-mailboxfull', 'sound:vm-goodbye'] });
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
    expect(h.of('startRecording')).toEqual([]);
  });

  it('a failing lookup ends cleanly even when goodbye and finishing fail too', async () => {
    const h = await start(
      {},
      { lookUpMailbox: { reject: 'directory down' }, playMedia: { reject: 'gone' }, finishCall: { reject: 'gone' } },
    );
    expect(h.of('reportError')).toHaveLength(3);
    expect(h.actor.getSnapshot().status).toBe('done');
  });

  it('a channel that cannot be answered ends cleanly, the mailbox never looked up', async () => {
    const h = await start({}, { answerChannel: { reject: 'channel gone' } });
    expect(h.of('lookUpMailbox')).toEqual([]);
    expect(h.of('reportError')).toHaveLength(1);
    expect(h.of('playMedia')[0]).toMatchObject({ media: ['sound:vm-goodbye'] });
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
  });

  it('a hang-up while answering ends with nothing, the mailbox never looked up', async () => {
    const h = await start({}, { answerChannel: 'never' });
    await h.send({ type: 'hangup' });
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('lookUpMailbox')).toEqual([]);
  });

  it('a hang-up while looking up ends with nothing', async () => {
    const h = await start({}, { lookUpMailbox: 'never' });
    await h.send({ type: 'hangup' });
    expect(h.actor.getSnapshot().value).toBe('hungUp');
  });
});

describe('voicemail machine: recording', () => {
  it('tells the implementation when a take really records, in whatever state the call is by then', async () => {
    const h = await start();
    await h.playbackFinished();
    const name = h.actor.getSnapshot().context.recordingName ?? '';
    // * before Asterisk started the take: the call is already discarding it when RecordingStarted comes.
    await h.dtmf('*');
    expect(h.state()).toBe('discarding.cancelling');
    await h.send({
      type: 'RecordingStarted',
      recording: { name, format: 'wav', target_uri: 'channel:chan-1', state: 'recording' },
    });
    expect(h.of('releaseHeld')).toEqual([{ recordingName: name }]);
    expect(h.of('cancelRecording')).toEqual([{ recordingName: name }]);
    expect(h.state()).toBe('discarding.cancelling');
  });

  it('pauses and resumes with 1, and # while paused keeps the take', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.dtmf('1');
    expect(h.state()).toBe('recording.paused');
    await h.dtmf('1');
    expect(h.state()).toBe('recording.active');
    await h.dtmf('1', '#');
    expect(h.of('pauseRecording')).toHaveLength(2);
    expect(h.of('unpauseRecording')).toHaveLength(1);
    expect(h.state()).toBe('recording.stopping');
  });

  it("keeps a take paused longer than the mailbox's longest message: stopped, then on as after #", async () => {
    const h = await start();
    await h.playbackFinished();
    await h.dtmf('1');
    await h.advance(299_999);
    expect(h.state()).toBe('recording.paused');
    await h.advance(1);
    expect(h.state()).toBe('recording.stopping');
    expect(h.of('stopRecording')).toHaveLength(1);
  });

  it('takes the pause limit from timeouts.pausedMs when given', async () => {
    const h = await start({ timeouts: { pausedMs: 2000 } });
    await h.playbackFinished();
    await h.dtmf('1');
    await h.advance(2000);
    expect(h.state()).toBe('recording.stopping');
  });

  it('saves (after verifying) when RecordingFinished never comes after #', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.dtmf('#');
    await h.advance(4999);
    expect(h.state()).toBe('recording.stopping');
    await h.advance(1);
    expect(h.of('saveMessage')).toEqual([
      {
        messageId: 't1-chan-1-1',
        recordingName: 'voicemail/default/305/t1-chan-1-1',
        durationSeconds: null,
        urgent: false,
      },
    ]);
  });

  it('a hang-up while recording keeps the message', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.send({ type: 'hangup' });
    expect(h.state()).toBe('recording.stopping');
    expect(h.of('stopRecording')).toHaveLength(1);
    await h.recordingFinished(12);
    expect(h.of('saveMessage')).toEqual([
      {
        messageId: 't1-chan-1-1',
        recordingName: 'voicemail/default/305/t1-chan-1-1',
        durationSeconds: 12,
        urgent: false,
      },
    ]);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.actor.getSnapshot().output).toEqual({
      status: 'SUCCESS',
      exit: null,
      messageId: 't1-chan-1-1',
      hungUp: true,
    });
    expect(h.of('finishCall')).toEqual([]);
  });

  it('a recording that Asterisk refuses ends the call cleanly', async () => {
    const h = await start({}, { startRecording: { reject: '422 format unknown' } });
    await h.playbackFinished();
    expect(h.of('reportError')).toHaveLength(1);
    expect(h.of('playMedia').at(-1)).toMatchObject({ media: ['sound:vm-goodbye'] });
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
  });

  it('a recording refused because the caller just hung up ends without a message', async () => {
    let fail: (error: Error) => void = () => {};
    const h = await start({}, { startRecording: () => new Promise((_, reject) => (fail = reject)) });
    await h.playbackFinished();
    await h.send({ type: 'hangup' });
    fail(new Error('404 Channel not found'));
    await h.advance(0);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('saveMessage')).toEqual([]);
  });

  it('RecordingFailed ends the call cleanly', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.send({
      type: 'RecordingFailed',
      recording: { name: 'voicemail/default/305/t1-chan-1-1', format: 'wav', target_uri: '', state: 'failed' },
    });
    expect(h.of('saveMessage')).toEqual([]);
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
  });
});

describe('voicemail machine: discarding a take', () => {
  it('* cancels, waits for RecordingFinished, purges, then records again under a new name', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.dtmf('*');
    expect(h.state()).toBe('discarding.cancelling');
    expect(h.of('cancelRecording')).toEqual([{ recordingName: 'voicemail/default/305/t1-chan-1-1' }]);
    expect(h.of('purgeRecording')).toEqual([]);
    await h.recordingFinished(2);
    expect(h.of('purgeRecording')).toEqual([{ recordingName: 'voicemail/default/305/t1-chan-1-1' }]);
    expect(h.of('reportDiscarded')).toEqual([{ recordingName: 'voicemail/default/305/t1-chan-1-1', reason: 'record' }]);
    expect(h.state()).toBe('recording.active');
    expect(h.of('startRecording')[1]).toMatchObject({ recordingName: 'voicemail/default/305/t1-chan-1-2' });
  });

  it('purges even when RecordingFinished never comes, or comes as RecordingFailed', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.dtmf('*');
    await h.advance(5000);
    expect(h.of('purgeRecording')).toHaveLength(1);
    await h.dtmf('*');
    await h.send({
      type: 'RecordingFailed',
      recording: { name: 'voicemail/default/305/t1-chan-1-2', format: 'wav', target_uri: '', state: 'failed' },
    });
    expect(h.of('purgeRecording')).toEqual([
      { recordingName: 'voicemail/default/305/t1-chan-1-1' },
      { recordingName: 'voicemail/default/305/t1-chan-1-2' },
    ]);
    expect(h.state()).toBe('recording.active');
  });

  it('0 while recording throws the take away and ends (VMSTATUS=USEREXIT)', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.dtmf('0');
    await h.recordingFinished(3);
    expect(h.of('reportDiscarded')).toEqual([{ recordingName: 'voicemail/default/305/t1-chan-1-1', reason: 'end' }]);
    expect(h.of('playMedia').at(-1)).toMatchObject({ media: ['sound:vm-goodbye'] });
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'USEREXIT', exit: null }]);
    expect(h.of('saveMessage')).toEqual([]);
  });

  it('a hang-up after * still purges, and saves nothing', async () => {
    const h = await start();
    await h.playbackFinished();
    await h.dtmf('*');
    await h.send({ type: 'hangup' });
    await h.recordingFinished(2);
    expect(h.of('purgeRecording')).toHaveLength(1);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('saveMessage')).toEqual([]);
    expect(h.of('startRecording')).toHaveLength(1);
  });

  it('a purge that fails is reported and the call ends', async () => {
    const h = await start({}, { purgeRecording: { reject: 'still stored' } });
    await toReview(h);
    await h.dtmf('*');
    expect(h.of('reportError')).toHaveLength(1);
    expect(h.of('finishCall')).toEqual([]);
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
  });

  it('a purge that fails after the caller hung up ends the call', async () => {
    let fail: (error: Error) => void = () => {};
    const h = await start({}, { purgeRecording: () => new Promise((_, reject) => (fail = reject)) });
    await toReview(h);
    await h.dtmf('*');
    await h.send({ type: 'hangup' });
    fail(new Error('500'));
    await h.advance(0);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
  });
});

describe('voicemail machine: too short', () => {
  it('discards a take shorter than the minimum and ends (VMSTATUS=FAILED)', async () => {
    const h = await start(
      {},
      {
        lookUpMailbox: () => ({ ...READY, limits: { ...(READY as { limits: object }).limits, minMessageSeconds: 3 } }),
      },
    );
    await toReview(h, 2);
    expect(h.of('purgeRecording')).toHaveLength(1);
    expect(h.of('reportDiscarded')).toEqual([{ recordingName: 'voicemail/default/305/t1-chan-1-1', reason: 'end' }]);
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
    expect(h.of('saveMessage')).toEqual([]);
  });

  it('with retry, tells the caller and records again, at most 3 times', async () => {
    const h = await start(input({ tooShort: 'retry' }), {
      lookUpMailbox: () => ({ ...READY, limits: { ...(READY as { limits: object }).limits, minMessageSeconds: 3 } }),
    });
    await h.playbackFinished();
    for (let take = 1; take <= 3; take++) {
      await h.dtmf('#');
      await h.recordingFinished(1);
      expect(h.state()).toBe('tooShort');
      expect(h.of('playMedia').at(-1)).toMatchObject({ media: ['sound:vm-tooshort'] });
      await h.playbackFinished();
      expect(h.state()).toBe('recording.active');
    }
    await h.dtmf('#');
    await h.recordingFinished(1);
    expect(h.state()).toBe('goodbye');
    expect(h.of('purgeRecording')).toHaveLength(4);
  });

  it('a too-short take left by hanging up is discarded, nothing saved', async () => {
    const h = await start(input({ tooShort: 'retry' }), {
      lookUpMailbox: () => ({ ...READY, limits: { ...(READY as { limits: object }).limits, minMessageSeconds: 3 } }),
    });
    await h.playbackFinished();
    await h.send({ type: 'hangup' });
    await h.recordingFinished(1);
    expect(h.of('purgeRecording')).toHaveLength(1);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('saveMessage')).toEqual([]);
  });

  it('a hang-up during the too-short prompt ends', async () => {
    const h = await start(input({ tooShort: 'retry' }), {
      lookUpMailbox: () => ({ ...READY, limits: { ...(READY as { limits: object }).limits, minMessageSeconds: 3 } }),
    });
    await toReview(h, 1);
    await h.send({ type: 'hangup' });
    expect(h.actor.getSnapshot().value).toBe('hungUp');
  });

  it('a too-short prompt that cannot be played ends the call', async () => {
    let plays = 0;
    const h = await start(input({ tooShort: 'retry' }), {
      lookUpMailbox: () => ({ ...READY, limits: { ...(READY as { limits: object }).limits, minMessageSeconds: 3 } }),
      playMedia: () => {
        plays += 1;
        if (plays === 2) throw new Error('playback refused');
      },
    });
    await toReview(h, 1);
    expect(h.of('reportError')).toHaveLength(1);
    expect(h.state()).toBe('goodbye');
  });
});

describe('voicemail machine: review', () => {
  it('4 marks the message urgent, 2 plays it again', async () => {
    const h = await start();
    await toReview(h);
    await h.dtmf('4');
    expect(h.of('playNotice')).toEqual([{ media: ['sound:vm-marked-urgent'] }]);
    expect(h.state()).toBe('reviewing.playing');
    await h.dtmf('2');
    expect(h.of('stopPlayback')).toEqual([{ playbackId: 't1-chan-1-p2' }]);
    expect(h.of('playMedia').at(-1)).toEqual({
      playbackId: 't1-chan-1-p3',
      media: ['recording:voicemail/default/305/t1-chan-1-1'],
    });
    await h.dtmf('#');
    expect(h.of('saveMessage')).toEqual([expect.objectContaining({ urgent: true })]);
  });

  it('* deletes the take (no cancel: it is stored) and records again', async () => {
    const h = await start();
    await toReview(h);
    await h.dtmf('*');
    expect(h.of('cancelRecording')).toEqual([]);
    expect(h.of('purgeRecording')).toEqual([{ recordingName: 'voicemail/default/305/t1-chan-1-1' }]);
    expect(h.state()).toBe('recording.active');
  });

  it('silence after the playback keeps the message', async () => {
    const h = await start();
    await toReview(h);
    await h.playbackFinished();
    await h.advance(9999);
    expect(h.of('saveMessage')).toEqual([]);
    await h.advance(1);
    expect(h.of('saveMessage')).toHaveLength(1);
  });

  it('a hang-up during review keeps the message', async () => {
    const h = await start();
    await toReview(h);
    await h.send({ type: 'hangup' });
    expect(h.of('saveMessage')).toHaveLength(1);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
  });

  it('a review playback that fails keeps the message', async () => {
    let plays = 0;
    const h = await start(
      {},
      {
        playMedia: () => {
          plays += 1;
          if (plays === 2) throw new Error('playback refused');
        },
      },
    );
    await toReview(h);
    expect(h.of('saveMessage')).toHaveLength(1);
  });
});

describe('voicemail machine: copying to another mailbox', () => {
  it('8, digits, # copies and returns to review', async () => {
    const h = await start();
    await toReview(h);
    await h.dtmf('8');
    expect(h.state()).toBe('copying.collecting');
    expect(h.of('playNotice')).toEqual([{ media: ['sound:vm-extension'] }]);
    await h.dtmf('3', '0', '6', '#');
    expect(h.of('copyMessage')).toEqual([
      {
        messageId: 't1-chan-1-1',
        recordingName: 'voicemail/default/305/t1-chan-1-1',
        durationSeconds: 5,
        urgent: false,
        digits: '306',
      },
    ]);
    expect(h.of('playNotice').at(-1)).toEqual({ media: ['sound:vm-msgforwarded'] });
    expect(h.state()).toBe('reviewing.waiting');
  });

  it.each([
    [{ status: 'unknown' }, ['sound:invalid']],
    [{ status: 'full' }, ['sound:vm-mailboxfull']],
  ] as const)('tells the caller when the copy finds %o', async (result, media) => {
    const h = await start({}, { copyMessage: () => result });
    await toReview(h);
    await h.dtmf('8', '9', '#');
    expect(h.of('playNotice').at(-1)).toEqual({ media });
    expect(h.state()).toBe('reviewing.waiting');
  });

  it('a copy Asterisk refuses is told, and the message is still in review', async () => {
    const h = await start({}, { copyMessage: { reject: '409 exists' } });
    await toReview(h);
    await h.dtmf('8', '3', '0', '6', '#');
    expect(h.of('reportError')).toHaveLength(1);
    expect(h.of('playNotice').at(-1)).toEqual({ media: ['sound:vm-sorry'] });
    await h.dtmf('#');
    expect(h.of('saveMessage')).toHaveLength(1);
  });

  it('* or # with no digits or silence gives up, back to review', async () => {
    const h = await start();
    await toReview(h);
    await h.dtmf('8', '3', '*');
    expect(h.state()).toBe('reviewing.waiting');
    await h.dtmf('8', '#');
    expect(h.state()).toBe('reviewing.waiting');
    await h.dtmf('8', '3');
    await h.advance(9999);
    await h.dtmf('0');
    await h.advance(9999);
    expect(h.state()).toBe('copying.collecting');
    await h.advance(1);
    expect(h.state()).toBe('reviewing.waiting');
    expect(h.of('copyMessage')).toEqual([]);
  });

  it('a hang-up while typing the mailbox keeps the message, copies nothing', async () => {
    const h = await start();
    await toReview(h);
    await h.dtmf('8', '3');
    expect(h.state()).toBe('copying.collecting');
    await h.send({ type: 'hangup' });
    expect(h.of('copyMessage')).toEqual([]);
    expect(h.of('saveMessage')).toHaveLength(1);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
  });

  it('a hang-up while the copy is sent waits for the copy, then saves the message without a notice', async () => {
    let finish: (result: CopyResult) => void = () => {};
    const h = await start({}, { copyMessage: () => new Promise<CopyResult>((resolve) => (finish = resolve)) });
    await toReview(h);
    await h.dtmf('8', '3', '0', '6', '#');
    expect(h.state()).toBe('copying.sending');
    await h.send({ type: 'hangup' });
    // The copy actor must keep running: stopping it would abort a copy Asterisk may still make.
    expect(h.state()).toBe('copying.sending');
    expect(Object.values(h.actor.getSnapshot().children)).toHaveLength(1);
    expect(h.of('saveMessage')).toEqual([]);
    const notices = h.of('playNotice').length;
    finish({ status: 'copied', to: '306@default' });
    await h.advance(0);
    expect(h.of('saveMessage')).toHaveLength(1);
    expect(h.of('playNotice')).toHaveLength(notices);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.actor.getSnapshot().output).toMatchObject({ status: 'SUCCESS', hungUp: true });
  });

  it('a copy that fails after a hang-up is reported, and the message is still saved', async () => {
    let fail: (error: Error) => void = () => {};
    const h = await start({}, { copyMessage: () => new Promise<CopyResult>((_, reject) => (fail = reject)) });
    await toReview(h);
    await h.dtmf('8', '3', '0', '6', '#');
    await h.send({ type: 'hangup' });
    fail(new Error('404 channel gone'));
    await h.advance(0);
    expect(h.of('reportError')).toHaveLength(1);
    expect(h.of('playNotice').at(-1)).toEqual({ media: ['sound:vm-extension'] });
    expect(h.of('saveMessage')).toHaveLength(1);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
  });
});

describe('voicemail machine: saving and ending', () => {
  it('a hang-up while saving still saves, then ends', async () => {
    let done: () => void = () => {};
    const h = await start({}, { saveMessage: () => new Promise<void>((resolve) => (done = resolve)) });
    await toReview(h);
    await h.dtmf('#');
    await h.send({ type: 'hangup' });
    expect(h.state()).toBe('saving');
    done();
    await h.advance(0);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.actor.getSnapshot().output).toMatchObject({ status: 'SUCCESS', messageId: 't1-chan-1-1' });
  });

  it('a save that fails is reported and ends with VMSTATUS=FAILED', async () => {
    const h = await start({}, { saveMessage: { reject: 'disk full' } });
    await toReview(h);
    await h.dtmf('#');
    expect(h.of('reportError')).toHaveLength(1);
    await h.playbackFinished();
    expect(h.of('finishCall')).toEqual([{ status: 'FAILED', exit: null }]);
  });

  it('a hang-up during goodbye ends without finishing', async () => {
    const h = await start();
    await toReview(h);
    await h.dtmf('#');
    await h.send({ type: 'hangup' });
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('finishCall')).toEqual([]);
  });
});

describe('voicemail machine: a small context', () => {
  // xstate's assign copies the context's top level on every update (`Object.assign({}, context, partial)`), and V8
  // (Node 20) turns an object built that way with more than about 18 keys into a slow dictionary: every update of
  // every call then copies a hash table (a 1.6 KB property array per call with the 30 keys this context once had).
  // What never changes lives under `settings`, `prepared` and `outcome`, so the top level stays at 16 keys at most.
  const MAX_TOP_LEVEL_KEYS = 16;

  it('has at most 16 top-level keys in every state of a full call, and V8 keeps its copies fast', async () => {
    const h = await start(
      { tooShort: 'retry' },
      { lookUpMailbox: () => ({ ...READY, limits: { ...READY.limits, minMessageSeconds: 2 } }) },
    );
    let most = 0;
    h.actor.subscribe((snapshot) => {
      most = Math.max(most, Object.keys(snapshot.context).length);
    });
    await h.playbackFinished();
    await h.dtmf('#');
    await h.recordingFinished(1);
    await h.playbackFinished();
    await h.dtmf('1', '1', '#');
    await h.recordingFinished(6);
    await h.playbackFinished();
    await h.dtmf('4', '8', '3', '0', '6', '#', '#');
    await h.playbackFinished();
    const snapshot = h.actor.getSnapshot();
    expect(snapshot.status).toBe('done');
    expect(snapshot.output).toMatchObject({ status: 'SUCCESS', messageId: 't1-chan-1-2' });
    expect(h.of('copyMessage')).toHaveLength(1);
    most = Math.max(most, Object.keys(snapshot.context).length);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(MAX_TOP_LEVEL_KEYS);
    // The copy assign makes, checked in a node that can ask V8 (the test process cannot).
    const script = `const c = Object.assign({}, ${JSON.stringify(snapshot.context)}, { take: 3 });
      process.stdout.write(String(%HasFastProperties(c)));`;
    const fast = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    expect(fast).toBe('true');
  });
});

describe('voicemail machine: coverage', () => {
  test('every state and every transition of the machine is taken by the scenarios above, replayed here from scratch', async () => {
    taken.clear();
    visited.clear();
    await replay();
    const states = allStates();
    const transitions = allTransitions();
    expect(states.length).toBeGreaterThan(15);
    expect(transitions.length).toBeGreaterThan(60);
    expect(states.filter((s) => !coverage.visited.has(s))).toEqual([]);
    expect(transitions.filter((t) => !coverage.taken.has(t))).toEqual([]);
  });
});
