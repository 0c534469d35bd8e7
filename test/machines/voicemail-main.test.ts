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
  type AuthResult,
  type MenuMessage,
  type VoicemailMainEvent,
  type VoicemailMainInput,
  voicemailMainMachine,
} from '../../machines/voicemail-main.js';
import { scenarios } from '../helpers/scenarios.js';

// Drives the pure mailbox-menu machine with fake actors that record their inputs, on a simulated clock, and
// records every state and transition taken (the last test checks that all of them were).

type ActorName =
  | 'answerChannel'
  | 'playMedia'
  | 'authenticate'
  | 'openFolder'
  | 'markHeard'
  | 'deleteMessage'
  | 'moveMessage'
  | 'setUrgent'
  | 'forwardMessage'
  | 'startRecording'
  | 'purgeRecording'
  | 'acceptGreeting'
  | 'removeGreeting'
  | 'changePin'
  | 'finishCall';

type Behaviour = ((input: unknown) => unknown) | 'never' | { reject: string };

// Every test is a scenario the coverage test at the end replays from scratch (`it` keeps them).
const { it, replay } = scenarios();

const taken = new Set<string>();
const visited = new Set<string>();

const label = (t: AnyTransitionDefinition): string => {
  const source = t.source as AnyStateNode;
  const list = t.eventType === '' ? (source.always ?? []) : (source.transitions.get(t.eventType) ?? []);
  return `${source.id} --${t.eventType || 'always'}[${list.indexOf(t)}]`;
};

function allTransitions(node: AnyStateNode = voicemailMainMachine.root): string[] {
  return [
    ...[...node.transitions.values()].flat().map(label),
    ...(node.always ?? []).map(label),
    ...Object.values(node.states).flatMap((child) => allTransitions(child as AnyStateNode)),
  ];
}

function allStates(node: AnyStateNode = voicemailMainMachine.root): string[] {
  return [node.id, ...Object.values(node.states).flatMap((child) => allStates(child as AnyStateNode))];
}

const msg = (id: string, folder = 'INBOX', urgent = false): MenuMessage => ({
  id,
  folder,
  urgent,
  recordingName: `voicemail/default/305/${id}`,
  envelope: ['sound:vm-received', 'sound:digits/today', 'sound:vm-from-phonenumber', 'digits:2001'],
});

const OK: AuthResult = {
  status: 'ok',
  mailbox: '305@default',
  newMessages: 2,
  oldMessages: 1,
  hasTemporaryGreeting: false,
  greetingLimits: { maxSeconds: 60, maxSilenceSeconds: 10 },
};

const DEFAULTS: Record<ActorName, Behaviour> = {
  answerChannel: () => undefined,
  playMedia: () => undefined,
  authenticate: (input) => ((input as { pin: string }).pin === '1234' ? OK : { status: 'wrong' }),
  openFolder: (input) =>
    (input as { folder: string }).folder === 'INBOX' ? [msg('m1', 'Urgent', true), msg('m2'), msg('m3')] : [],
  markHeard: (input) => ({ ...msg((input as { id: string }).id, 'Old') }),
  deleteMessage: () => undefined,
  moveMessage: () => undefined,
  setUrgent: (input) => ({ ...msg((input as { id: string }).id, 'Old', (input as { urgent: boolean }).urgent) }),
  forwardMessage: () => ({ status: 'forwarded', to: '306@default' }),
  startRecording: () => undefined,
  purgeRecording: () => undefined,
  acceptGreeting: () => undefined,
  removeGreeting: () => undefined,
  changePin: () => ({ status: 'changed' }),
  finishCall: () => undefined,
};

interface Harness {
  readonly actor: Actor<typeof voicemailMainMachine>;
  of(name: string): unknown[];
  /** The media of every playback started, in order. */
  played(): string[][];
  lastPlayed(): string[];
  send(event: VoicemailMainEvent): Promise<void>;
  dtmf(...digits: string[]): Promise<void>;
  played$(): Promise<void>;
  recordingFinished(name?: string): Promise<void>;
  advance(ms: number): Promise<void>;
  state(): string;
  hangup(): Promise<void>;
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
  input: Partial<VoicemailMainInput> = {},
  behaviours: Partial<Record<ActorName, Behaviour>> = {},
): Promise<Harness> {
  const clock = new SimulatedClock();
  const calls: Array<{ name: string; input: unknown }> = [];
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
  const names = Object.keys(DEFAULTS) as ActorName[];
  const machine = voicemailMainMachine.provide({
    actors: Object.fromEntries(names.map((n) => [n, fake(n)])) as never,
    actions: {
      stopPlayback: action('stopPlayback'),
      stopRecording: action('stopRecording'),
      cancelRecording: action('cancelRecording'),
      releaseHeld: action('releaseHeld'),
      reportError: action('reportError'),
    },
  });
  const record = (snapshot: unknown): void => {
    for (const node of (snapshot as { _nodes?: AnyStateNode[] })._nodes ?? []) visited.add(node.id);
  };
  const actor = createActor(machine, {
    clock,
    input: { callId: 'chan-1', tag: 't1', mailbox: '305@default', ...input },
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
    of: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
    played: () => h.of('playMedia').map((p) => [...(p as { media: string[] }).media]),
    lastPlayed: () => h.played().at(-1) ?? [],
    send: async (event) => {
      actor.send(event);
      await settle();
    },
    dtmf: async (...digits) => {
      for (const digit of digits) await h.send({ type: 'ChannelDtmfReceived', digit });
    },
    played$: () =>
      h.send({
        type: 'PlaybackFinished',
        playback: { id: actor.getSnapshot().context.playback.id ?? '', media_uri: '', target_uri: '', state: 'done' },
      }),
    recordingFinished: (name) =>
      h.send({
        type: 'RecordingFinished',
        recording: {
          name: name ?? actor.getSnapshot().context.recordingName ?? '',
          format: 'wav',
          target_uri: 'channel:chan-1',
          state: 'done',
        },
      }),
    advance: async (ms) => {
      clock.increment(ms);
      await settle();
    },
    state: () => stateName(actor.getSnapshot().value),
    hangup: () => h.send({ type: 'hangup' }),
  };
  return h;
}

/** Logs in to 305 with PIN 1234 and hears the summary with the main menu. */
async function loggedIn(
  input: Partial<VoicemailMainInput> = {},
  behaviours: Partial<Record<ActorName, Behaviour>> = {},
): Promise<Harness> {
  const h = await start(input, behaviours);
  await h.played$();
  await h.dtmf('1', '2', '3', '4', '#');
  expect(h.state()).toBe('menu.prompting');
  return h;
}

/** From the main menu, into the first message, played to its end: the message menu is said. */
async function firstMessage(h: Harness): Promise<void> {
  await h.played$();
  await h.dtmf('1');
  expect(h.state()).toBe('message.playing');
  await h.played$();
  expect(h.state()).toBe('message.instructions');
}

describe('voicemail-main machine: logging in', () => {
  it('with the mailbox from the dialplan asks only the PIN, then says the counts and the menu', async () => {
    const h = await start();
    expect(h.of('answerChannel')).toHaveLength(1);
    expect(h.state()).toBe('login.pin.prompting');
    expect(h.lastPlayed()).toEqual(['sound:vm-password']);
    await h.dtmf('1');
    expect(h.of('stopPlayback')).toHaveLength(1);
    await h.dtmf('2', '3', '4', '#');
    expect(h.of('authenticate')).toEqual([{ mailbox: '305@default', pin: '1234' }]);
    expect(h.of('openFolder')).toEqual([{ mailbox: '305@default', folder: 'INBOX' }]);
    expect(h.lastPlayed()).toEqual([
      'sound:vm-youhave',
      'number:2',
      'sound:vm-INBOX',
      'sound:vm-messages',
      'sound:vm-and',
      'number:1',
      'sound:vm-Old',
      'sound:vm-message',
      'sound:vm-onefor',
      'sound:vm-INBOX',
      'sound:vm-messages',
      'sound:vm-opts',
    ]);
    // The PIN typed is not kept once checked.
    expect(h.actor.getSnapshot().context.digits).toBe('');
  });

  it('asks the mailbox when none was given; a wrong login is told and asked again; three wrong ones end the call', async () => {
    const h = await start({ mailbox: null });
    expect(h.state()).toBe('login.mailbox.prompting');
    expect(h.lastPlayed()).toEqual(['sound:vm-login']);
    await h.played$();
    expect(h.state()).toBe('login.mailbox.typing');
    await h.dtmf('3', '0', '5', '#');
    expect(h.state()).toBe('login.pin.prompting');
    await h.played$();
    await h.dtmf('9', '9', '#');
    expect(h.of('authenticate')).toEqual([{ mailbox: '305', pin: '99' }]);
    expect(h.state()).toBe('login.mailbox.prompting');
    expect(h.lastPlayed()).toEqual(['sound:vm-incorrect-mailbox', 'sound:vm-login']);
    // The mailbox by timeout after its digits, the PIN by timeout too.
    await h.dtmf('3', '0', '5');
    await h.advance(5000);
    expect(h.state()).toBe('login.pin.prompting');
    await h.played$();
    await h.advance(5000);
    expect(h.of('authenticate')[1]).toEqual({ mailbox: '305', pin: '' });
    await h.dtmf('3', '0', '5', '#', '0', '#');
    expect(h.state()).toBe('goodbye');
    expect(h.lastPlayed()).toEqual(['sound:vm-incorrect', 'sound:vm-goodbye']);
    await h.played$();
    expect(h.of('finishCall')).toHaveLength(1);
    expect(h.actor.getSnapshot().output).toEqual({ mailbox: null, heard: 0, hungUp: false });
  });

  it('a wrong PIN for a given mailbox says "incorrect" and asks the PIN again', async () => {
    const h = await start({}, {});
    await h.dtmf('1', '1', '#');
    expect(h.state()).toBe('login.pin.prompting');
    expect(h.lastPlayed()).toEqual(['sound:vm-incorrect', 'sound:vm-password']);
    await h.dtmf('1', '2', '3', '4', '#');
    expect(h.state()).toBe('menu.prompting');
  });

  it('nothing typed for the mailbox counts as a try; maxLogins of them end the call', async () => {
    const h = await start({ mailbox: null, maxLogins: 2 });
    await h.played$();
    await h.advance(5000);
    expect(h.state()).toBe('login.mailbox.prompting');
    await h.played$();
    await h.advance(5000);
    expect(h.state()).toBe('goodbye');
  });

  it('a failing PIN check is reported and the call says sorry, goodbye', async () => {
    const h = await start({}, { authenticate: { reject: 'store down' } });
    await h.dtmf('1', '#');
    expect(h.of('reportError')).toEqual([{ error: expect.any(Error), during: 'authenticate' }]);
    expect(h.lastPlayed()).toEqual(['sound:vm-sorry', 'sound:vm-goodbye']);
  });

  it('a call that cannot be answered finishes at once', async () => {
    const h = await start({}, { answerChannel: { reject: 'gone' } });
    expect(h.of('reportError')).toHaveLength(1);
    expect(h.actor.getSnapshot().status).toBe('done');
  });

  it('a folder that cannot be opened after login says sorry, goodbye', async () => {
    const h = await start({}, { openFolder: { reject: 'disk' } });
    await h.dtmf('1', '2', '3', '4', '#');
    expect(h.state()).toBe('goodbye');
    expect(h.lastPlayed()).toEqual(['sound:vm-sorry', 'sound:vm-goodbye']);
  });

  it('with no new messages opens Old, says "no messages" and reminds of a temporary greeting', async () => {
    const h = await start(
      {},
      {
        authenticate: () => ({ ...OK, newMessages: 0, oldMessages: 0, hasTemporaryGreeting: true }),
        openFolder: () => [],
      },
    );
    await h.dtmf('1', '#');
    expect(h.of('openFolder')).toEqual([{ mailbox: '305@default', folder: 'Old' }]);
    expect(h.lastPlayed()).toEqual([
      'sound:vm-youhave',
      'sound:vm-no',
      'sound:vm-messages',
      'sound:vm-tempgreetactive',
      'sound:vm-opts',
    ]);
    // 1 with nothing to hear: "no more messages", the menu again.
    await h.dtmf('1');
    expect(h.lastPlayed()).toEqual(['sound:vm-nomore', 'sound:vm-opts']);
  });

  it('a hang-up while logging in ends it', async () => {
    const h = await start();
    await h.dtmf('1', '2');
    await h.hangup();
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.actor.getSnapshot().context.digits).toBe('');
    expect(h.of('finishCall')).toEqual([]);
  });

  it('refuses bad keys, timeouts and maxLogins', () => {
    const bad: Array<Partial<VoicemailMainInput>> = [
      { keys: { nope: '1' } as never },
      { keys: { listen: '11' } },
      { keys: { enter: null } },
      { timeouts: { menuMs: 0 } },
      { timeouts: { soon: 1 } as never },
      { maxLogins: 0 },
    ];
    for (const input of bad) {
      const actor = createActor(voicemailMainMachine, {
        input: { callId: 'c', tag: 't', mailbox: null, ...input },
      });
      let failed: unknown;
      actor.subscribe({ error: (error) => (failed = error) });
      actor.start();
      expect(failed).toBeInstanceOf(TypeError);
    }
  });
});

describe('voicemail-main machine: the main menu', () => {
  it('says the menu three times with no key, then goodbye', async () => {
    const h = await loggedIn();
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('menu.prompting');
    await h.played$();
    await h.advance(10000);
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('goodbye');
    await h.played$();
    expect(h.actor.getSnapshot().output).toEqual({ mailbox: '305@default', heard: 0, hungUp: false });
  });

  it('* says the menu again, # says goodbye', async () => {
    const h = await loggedIn();
    await h.dtmf('*');
    expect(h.lastPlayed()).toEqual(['sound:vm-onefor', 'sound:vm-INBOX', 'sound:vm-messages', 'sound:vm-opts']);
    await h.dtmf('#');
    expect(h.state()).toBe('goodbye');
  });

  it('2 changes folder: the list of folders, a digit opens one and says its count', async () => {
    let release: () => void = () => {};
    const h = await loggedIn(
      {},
      {
        openFolder: async (i) => {
          const { folder } = i as { folder: string };
          if (folder === 'Work') await new Promise<void>((resolve) => (release = resolve));
          return folder === 'INBOX' ? [msg('m2')] : [msg('w1', folder)];
        },
      },
    );
    await h.dtmf('2');
    expect(h.state()).toBe('changingFolder.prompting');
    expect(h.lastPlayed().slice(0, 6)).toEqual([
      'sound:vm-changeto',
      'sound:vm-press',
      'digits:0',
      'sound:vm-for',
      'sound:vm-INBOX',
      'sound:vm-messages',
    ]);
    await h.dtmf('8'); // no such folder: ignored
    expect(h.state()).toBe('changingFolder.prompting');
    await h.dtmf('2');
    expect(h.state()).toBe('changingFolder.opening');
    await h.dtmf('3'); // keys while opening are ignored
    expect(h.of('openFolder').at(-1)).toEqual({ mailbox: '305@default', folder: 'Work' });
    release();
    await h.advance(0);
    expect(h.lastPlayed()).toEqual([
      'sound:vm-youhave',
      'number:1',
      'sound:vm-Work',
      'sound:vm-message',
      'sound:vm-onefor',
      'sound:vm-Work',
      'sound:vm-messages',
      'sound:vm-opts',
    ]);
    await h.dtmf('2', '4');
    expect(h.lastPlayed().slice(0, 4)).toEqual([
      'sound:vm-youhave',
      'number:1',
      'sound:vm-Friends',
      'sound:vm-message',
    ]);
  });

  it('changing folder: * or silence goes back; an empty folder says "no messages"; a failure says sorry', async () => {
    const h = await loggedIn(
      {},
      { openFolder: (i) => ((i as { folder: string }).folder === 'INBOX' ? [msg('m1')] : []) },
    );
    await h.dtmf('2', '*');
    expect(h.state()).toBe('menu.prompting');
    await h.dtmf('2');
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('menu.prompting');
    await h.dtmf('2', '1');
    expect(h.lastPlayed().slice(0, 4)).toEqual([
      'sound:vm-youhave',
      'sound:vm-no',
      'sound:vm-Old',
      'sound:vm-messages',
    ]);
    const f = await loggedIn(
      {},
      {
        openFolder: (i) => {
          if ((i as { folder: string }).folder === 'Old') throw new Error('x');
          return [msg('m1')];
        },
      },
    );
    await f.dtmf('2', '1');
    expect(f.lastPlayed()[0]).toBe('sound:vm-sorry');
    expect(f.of('reportError')).toHaveLength(1);
  });
});

describe('voicemail-main machine: listening', () => {
  it('a new message is marked heard, then played with its position and envelope; 6 next, 4 previous', async () => {
    const h = await loggedIn();
    await h.dtmf('1');
    expect(h.of('markHeard')).toEqual([{ mailbox: '305@default', id: 'm1' }]);
    expect(h.lastPlayed()).toEqual([
      'sound:vm-first',
      'sound:vm-message',
      'sound:vm-received',
      'sound:digits/today',
      'sound:vm-from-phonenumber',
      'digits:2001',
      'recording:voicemail/default/305/m1',
    ]);
    await h.played$();
    expect(h.lastPlayed()).toEqual([
      'sound:vm-repeat',
      'sound:vm-next',
      'sound:vm-delete',
      'sound:vm-toforward',
      'sound:vm-savemessage',
      'sound:vm-helpexit',
    ]);
    await h.dtmf('6');
    expect(h.lastPlayed().slice(0, 2)).toEqual(['sound:vm-message', 'number:2']);
    await h.dtmf('6');
    expect(h.lastPlayed().slice(0, 2)).toEqual(['sound:vm-last', 'sound:vm-message']);
    await h.played$();
    expect(h.lastPlayed()[0]).toBe('sound:vm-prev');
    expect(h.lastPlayed()).not.toContain('sound:vm-next');
    await h.dtmf('6');
    expect(h.lastPlayed()[0]).toBe('sound:vm-nomore');
    await h.dtmf('4', '4');
    expect(h.lastPlayed().slice(0, 2)).toEqual(['sound:vm-first', 'sound:vm-message']);
    // Already heard: not marked again.
    expect(h.of('markHeard')).toHaveLength(3);
    await h.dtmf('4');
    expect(h.lastPlayed()[0]).toBe('sound:vm-nomore');
    await h.dtmf('5');
    expect(h.state()).toBe('message.playing');
    await h.dtmf('*');
    expect(h.state()).toBe('message.instructions');
    await h.dtmf('#');
    expect(h.state()).toBe('goodbye');
    await h.played$();
    expect(h.actor.getSnapshot().output).toEqual({ mailbox: '305@default', heard: 3, hungUp: false });
  });

  it('the message menu is said three times, then goodbye; keys during marking are ignored', async () => {
    const h = await loggedIn();
    await firstMessage(h);
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('message.instructions');
    await h.played$();
    await h.advance(10000);
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('goodbye');
    let release: (m: MenuMessage) => void = () => {};
    const k = await loggedIn({}, { markHeard: () => new Promise((resolve) => (release = resolve)) });
    await k.dtmf('1', '6');
    expect(k.state()).toBe('message.marking');
    release(msg('m1', 'Old'));
    await k.advance(0);
    expect(k.state()).toBe('message.playing');
  });

  it('a message that fails to be marked or played is still reachable; failures are reported', async () => {
    const h = await loggedIn({}, { markHeard: { reject: 'x' } });
    await h.dtmf('1');
    expect(h.state()).toBe('message.playing');
    const p = await loggedIn(
      {},
      {
        playMedia: (i) => {
          if ((i as { media: string[] }).media.some((m) => m.startsWith('recording:'))) throw new Error('404');
        },
      },
    );
    await p.dtmf('1');
    expect(p.state()).toBe('message.instructions');
    expect(p.lastPlayed()[0]).toBe('sound:vm-sorry');
  });

  it('a hang-up while marking heard waits for it', async () => {
    let release: (m: MenuMessage) => void = () => {};
    const h = await loggedIn({}, { markHeard: () => new Promise((resolve) => (release = resolve)) });
    await h.dtmf('1');
    await h.hangup();
    expect(h.state()).toBe('message.marking');
    release(msg('m1', 'Old'));
    await h.advance(0);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.actor.getSnapshot().output).toEqual({ mailbox: '305@default', heard: 1, hungUp: true });
  });

  it('a hang-up while marking, then the marking failing, ends reported', async () => {
    let fail: (e: Error) => void = () => {};
    const h = await loggedIn({}, { markHeard: () => new Promise((_, reject) => (fail = reject)) });
    await h.dtmf('1');
    await h.hangup();
    fail(new Error('disk'));
    await h.advance(0);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('reportError')).toHaveLength(1);
  });
});

describe('voicemail-main machine: acting on a message', () => {
  it('7 deletes it and plays the next; deleting the last goes back to the menu', async () => {
    const h = await loggedIn({}, { openFolder: () => [msg('m1'), msg('m2')] });
    await firstMessage(h);
    await h.dtmf('7');
    expect(h.of('deleteMessage')).toEqual([{ mailbox: '305@default', id: 'm1' }]);
    expect(h.state()).toBe('message.playing');
    expect(h.of('markHeard')).toEqual([
      { mailbox: '305@default', id: 'm1' },
      { mailbox: '305@default', id: 'm2' },
    ]);
    expect(h.lastPlayed().slice(0, 3)).toEqual(['sound:vm-deleted', 'sound:vm-first', 'sound:vm-message']);
    await h.dtmf('7');
    expect(h.state()).toBe('menu.prompting');
    expect(h.lastPlayed().slice(0, 2)).toEqual(['sound:vm-deleted', 'sound:vm-nomore']);
    expect(h.actor.getSnapshot().context.messages).toEqual([]);
  });

  it('9 saves it to a folder ("message 1 saved to work"); * gives up; silence goes back', async () => {
    const h = await loggedIn({}, { openFolder: () => [msg('m1'), msg('m2')] });
    await firstMessage(h);
    await h.dtmf('9');
    expect(h.lastPlayed()[0]).toBe('sound:vm-savefolder');
    await h.dtmf('7'); // not a folder: ignored
    expect(h.state()).toBe('message.choosingFolder.prompting');
    await h.dtmf('*');
    expect(h.state()).toBe('message.instructions');
    await h.dtmf('9');
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('message.instructions');
    await h.dtmf('9', '2');
    expect(h.of('moveMessage')).toEqual([{ mailbox: '305@default', id: 'm1', folder: 'Work' }]);
    expect(h.lastPlayed().slice(0, 5)).toEqual([
      'sound:vm-message',
      'number:1',
      'sound:vm-savedto',
      'sound:vm-Work',
      'sound:vm-first',
    ]);
  });

  it('3 marks it urgent, then not urgent', async () => {
    const h = await loggedIn({}, { openFolder: () => [msg('m1', 'Old')] });
    await firstMessage(h);
    await h.dtmf('3');
    expect(h.of('setUrgent')).toEqual([{ mailbox: '305@default', id: 'm1', urgent: true }]);
    expect(h.lastPlayed()[0]).toBe('sound:vm-marked-urgent');
    await h.dtmf('3');
    expect(h.of('setUrgent')[1]).toEqual({ mailbox: '305@default', id: 'm1', urgent: false });
    expect(h.lastPlayed()[0]).toBe('sound:vm-marked-nonurgent');
  });

  it('8 forwards it: the digits, then #; unknown and full mailboxes are told; * and silence give up', async () => {
    const results = [{ status: 'forwarded', to: '306@default' }, { status: 'unknown' }, { status: 'full' }];
    const h = await loggedIn({}, { openFolder: () => [msg('m1', 'Old')], forwardMessage: () => results.shift() });
    await firstMessage(h);
    await h.dtmf('8');
    expect(h.lastPlayed()).toEqual(['sound:vm-extension']);
    await h.played$();
    await h.dtmf('3', '0', '6', 'A', '#');
    expect(h.of('forwardMessage')).toEqual([{ mailbox: '305@default', id: 'm1', digits: '306' }]);
    expect(h.lastPlayed()[0]).toBe('sound:vm-msgforwarded');
    await h.dtmf('8', '9', '#');
    expect(h.lastPlayed()[0]).toBe('sound:invalid');
    await h.dtmf('8', '3', '0', '7');
    await h.advance(5000);
    expect(h.of('forwardMessage')).toHaveLength(3);
    expect(h.lastPlayed()[0]).toBe('sound:vm-mailboxfull');
    await h.dtmf('8', '3', '*');
    expect(h.state()).toBe('message.instructions');
    await h.dtmf('8', '#');
    expect(h.state()).toBe('message.instructions');
    await h.dtmf('8');
    await h.played$();
    await h.advance(5000);
    expect(h.state()).toBe('message.instructions');
    expect(h.of('forwardMessage')).toHaveLength(3);
  });

  it('failures of delete, save, urgent and forward are reported and said sorry; the message stays', async () => {
    const h = await loggedIn(
      {},
      {
        openFolder: () => [msg('m1', 'Old')],
        deleteMessage: { reject: 'a' },
        moveMessage: { reject: 'b' },
        setUrgent: { reject: 'c' },
        forwardMessage: { reject: 'd' },
      },
    );
    await firstMessage(h);
    await h.dtmf('7');
    expect(h.lastPlayed()[0]).toBe('sound:vm-sorry');
    await h.dtmf('9', '1');
    expect(h.lastPlayed()[0]).toBe('sound:vm-sorry');
    await h.dtmf('3');
    expect(h.lastPlayed()[0]).toBe('sound:vm-sorry');
    await h.dtmf('8', '3', '#');
    expect(h.lastPlayed()[0]).toBe('sound:vm-sorry');
    expect((h.of('reportError') as Array<{ during: string }>).map((e) => e.during)).toEqual([
      'delete',
      'save',
      'urgent',
      'forward',
    ]);
    expect(h.actor.getSnapshot().context.messages).toHaveLength(1);
  });

  it.each(['deleteMessage', 'moveMessage', 'setUrgent', 'forwardMessage'] as const)(
    'a hang-up while %s runs waits for it (done or failed), keys meanwhile are ignored',
    async (name) => {
      for (const outcome of ['done', 'failed'] as const) {
        let settleIt: (ok: boolean) => void = () => {};
        const pending = (value: unknown) => () =>
          new Promise((resolve, reject) => (settleIt = (ok) => (ok ? resolve(value) : reject(new Error('x')))));
        const value =
          name === 'setUrgent' ? msg('m1', 'Old', true) : name === 'forwardMessage' ? { status: 'full' } : undefined;
        const h = await loggedIn({}, { openFolder: () => [msg('m1', 'Old')], [name]: pending(value) });
        await firstMessage(h);
        const keys = {
          deleteMessage: ['7'],
          moveMessage: ['9', '2'],
          setUrgent: ['3'],
          forwardMessage: ['8', '3', '#'],
        };
        await h.dtmf(...keys[name]);
        await h.dtmf('6');
        await h.hangup();
        await h.hangup();
        expect(h.actor.getSnapshot().status).toBe('active');
        settleIt(outcome === 'done');
        await h.advance(0);
        expect(h.actor.getSnapshot().value).toBe('hungUp');
        expect(h.of('reportError')).toHaveLength(outcome === 'done' ? 0 : 1);
      }
    },
  );
});

describe('voicemail-main machine: mailbox options', () => {
  /** Main menu → 0 → the options menu. */
  async function options(
    behaviours: Partial<Record<ActorName, Behaviour>> = {},
    input: Partial<VoicemailMainInput> = {},
  ): Promise<Harness> {
    const h = await loggedIn(input, behaviours);
    await h.dtmf('0');
    expect(h.state()).toBe('options.prompting');
    expect(h.lastPlayed()).toEqual(['sound:vm-options']);
    return h;
  }

  it('records the unavailable greeting: prompt, beep and record, # stops, review, 1 keeps it', async () => {
    const h = await options();
    await h.dtmf('1');
    expect(h.lastPlayed()).toEqual(['sound:vm-rec-unv']);
    await h.played$();
    expect(h.state()).toBe('greeting.recording');
    expect(h.of('startRecording')).toEqual([
      {
        recordingName: 'voicemail/default/305/greeting-unavailable-t1-1',
        maxDurationSeconds: 60,
        maxSilenceSeconds: 10,
      },
    ]);
    await h.dtmf('5'); // not the stop key
    // # inside the beep, before Asterisk records: the stop is asked for now (the implementation holds it until
    // RecordingStarted, which the machine passes on whatever state it is in).
    await h.dtmf('#');
    expect(h.of('stopRecording')).toEqual([{ recordingName: 'voicemail/default/305/greeting-unavailable-t1-1' }]);
    expect(h.state()).toBe('greeting.stopping');
    await h.send({
      type: 'RecordingStarted',
      recording: {
        name: 'voicemail/default/305/greeting-unavailable-t1-1',
        format: 'wav',
        target_uri: 'channel:chan-1',
        state: 'recording',
      },
    });
    expect(h.of('releaseHeld')).toEqual([{ recordingName: 'voicemail/default/305/greeting-unavailable-t1-1' }]);
    expect(h.state()).toBe('greeting.stopping');
    await h.recordingFinished();
    expect(h.state()).toBe('greeting.reviewing.prompting');
    expect(h.lastPlayed()).toEqual(['sound:vm-review']);
    await h.recordingFinished(); // a repeated event changes nothing
    expect(h.state()).toBe('greeting.reviewing.prompting');
    await h.dtmf('2');
    expect(h.lastPlayed()).toEqual(['recording:voicemail/default/305/greeting-unavailable-t1-1']);
    await h.played$();
    expect(h.state()).toBe('greeting.reviewing.prompting');
    await h.played$();
    await h.dtmf('1');
    expect(h.of('acceptGreeting')).toEqual([
      { mailbox: '305@default', kind: 'unavailable', recordingName: 'voicemail/default/305/greeting-unavailable-t1-1' },
    ]);
    expect(h.state()).toBe('options.prompting');
    expect(h.lastPlayed()).toEqual(['sound:vm-msgsaved', 'sound:vm-options']);
    await h.dtmf('*');
    expect(h.state()).toBe('menu.prompting');
  });

  it('busy greeting: 3 records again (the take purged first); ending on its own by silence; a review timeout keeps it', async () => {
    const h = await options();
    await h.dtmf('2');
    expect(h.lastPlayed()).toEqual(['sound:vm-rec-busy']);
    await h.played$();
    await h.recordingFinished(); // silence ended it
    expect(h.state()).toBe('greeting.reviewing.prompting');
    await h.dtmf('3');
    expect(h.of('purgeRecording')).toEqual([{ recordingName: 'voicemail/default/305/greeting-busy-t1-1' }]);
    expect(h.state()).toBe('greeting.recording');
    expect(h.actor.getSnapshot().context.recordingName).toBe('voicemail/default/305/greeting-busy-t1-2');
    await h.dtmf('#');
    await h.advance(5000); // no RecordingFinished: reviewed anyway
    expect(h.state()).toBe('greeting.reviewing.prompting');
    await h.played$();
    await h.advance(10000);
    expect(h.of('acceptGreeting')).toEqual([
      { mailbox: '305@default', kind: 'busy', recordingName: 'voicemail/default/305/greeting-busy-t1-2' },
    ]);
  });

  it('name: a hang-up while recording cancels the take and purges it', async () => {
    const h = await options();
    await h.dtmf('3');
    expect(h.lastPlayed()).toEqual(['sound:vm-rec-name']);
    await h.played$();
    await h.hangup();
    expect(h.of('cancelRecording')).toEqual([{ recordingName: 'voicemail/default/305/greeting-name-t1-1' }]);
    expect(h.state()).toBe('greeting.discarding.cancelling');
    await h.recordingFinished();
    expect(h.of('purgeRecording')).toEqual([{ recordingName: 'voicemail/default/305/greeting-name-t1-1' }]);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('acceptGreeting')).toEqual([]);
  });

  it('a hang-up in review purges the take; a hang-up during cancelling and a cancel that never finishes still purge', async () => {
    const h = await options();
    await h.dtmf('1');
    await h.played$();
    await h.dtmf('#');
    await h.recordingFinished();
    await h.hangup();
    expect(h.of('cancelRecording')).toEqual([]);
    expect(h.of('purgeRecording')).toHaveLength(1);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    const c = await options();
    await c.dtmf('1');
    await c.played$();
    await c.hangup();
    await c.advance(5000);
    expect(c.of('purgeRecording')).toHaveLength(1);
    expect(c.actor.getSnapshot().value).toBe('hungUp');
  });

  it('a hang-up before the beep ends without recording', async () => {
    const h = await options();
    await h.dtmf('1');
    await h.hangup();
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('startRecording')).toEqual([]);
  });

  it('a hang-up while a take is purged (3 in review) waits for the purge, then ends', async () => {
    let release: () => void = () => {};
    const h = await options({ purgeRecording: () => new Promise<void>((resolve) => (release = resolve)) });
    await h.dtmf('1');
    await h.played$();
    await h.recordingFinished();
    await h.dtmf('3');
    expect(h.state()).toBe('greeting.discarding.purging');
    await h.hangup();
    expect(h.state()).toBe('greeting.discarding.purging');
    release();
    await h.advance(0);
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('startRecording')).toHaveLength(1);
  });

  it('a purge that fails is reported: after a hang-up the call ends, otherwise back to the options', async () => {
    const h = await options({ purgeRecording: { reject: 'still there' } });
    await h.dtmf('1');
    await h.played$();
    await h.recordingFinished();
    await h.dtmf('3');
    expect(h.state()).toBe('options.prompting');
    expect(h.lastPlayed()[0]).toBe('sound:vm-sorry');
    await h.dtmf('1');
    await h.played$();
    await h.recordingFinished();
    await h.hangup();
    expect(h.actor.getSnapshot().value).toBe('hungUp');
    expect(h.of('reportError')).toHaveLength(2);
  });

  it('a recording Asterisk refuses or fails is reported; the options again', async () => {
    const h = await options({ startRecording: { reject: 'busy' } });
    await h.dtmf('1');
    await h.played$();
    expect(h.state()).toBe('options.prompting');
    expect(h.lastPlayed()[0]).toBe('sound:vm-sorry');
    const f = await options();
    await f.dtmf('1');
    await f.played$();
    await f.send({
      type: 'RecordingFailed',
      recording: {
        name: 'voicemail/default/305/greeting-unavailable-t1-1',
        format: 'wav',
        target_uri: '',
        state: 'failed',
      },
    });
    expect(f.state()).toBe('options.prompting');
    expect(f.of('reportError')).toEqual([{ error: 'RecordingFailed', during: 'record' }]);
  });

  it('keeping a greeting that fails purges the take and records again; a hang-up while keeping waits', async () => {
    const h = await options({ acceptGreeting: { reject: 'store' } });
    await h.dtmf('1');
    await h.played$();
    await h.recordingFinished();
    await h.dtmf('1');
    expect(h.of('purgeRecording')).toHaveLength(1);
    expect(h.state()).toBe('greeting.recording');
    let release: () => void = () => {};
    const w = await options({ acceptGreeting: () => new Promise<void>((resolve) => (release = resolve)) });
    await w.dtmf('4'); // no temporary greeting yet: records it at once
    expect(w.lastPlayed()).toEqual(['sound:vm-rec-temp']);
    await w.played$();
    await w.recordingFinished();
    await w.dtmf('1');
    await w.hangup();
    await w.hangup();
    expect(w.state()).toBe('greeting.accepting');
    release();
    await w.advance(0);
    expect(w.actor.getSnapshot().value).toBe('hungUp');
    expect(w.actor.getSnapshot().context.hasTemporaryGreeting).toBe(true);
  });

  it('the temporary greeting when one is on: 2 removes it, 1 records it, * and silence go back', async () => {
    const h = await options({ authenticate: () => ({ ...OK, hasTemporaryGreeting: true }) });
    await h.dtmf('4');
    expect(h.lastPlayed()).toEqual(['sound:vm-tempgreeting2']);
    await h.dtmf('*');
    expect(h.state()).toBe('options.prompting');
    await h.dtmf('4');
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('options.prompting');
    await h.dtmf('4', '1');
    expect(h.lastPlayed()).toEqual(['sound:vm-rec-temp']);
    await h.hangup();
    const r = await options({ authenticate: () => ({ ...OK, hasTemporaryGreeting: true }) });
    await r.dtmf('4', '2');
    expect(r.of('removeGreeting')).toEqual([{ mailbox: '305@default', kind: 'temporary' }]);
    expect(r.lastPlayed()).toEqual(['sound:vm-tempremoved', 'sound:vm-options']);
    expect(r.actor.getSnapshot().context.hasTemporaryGreeting).toBe(false);
  });

  it('removing the temporary greeting: failures are reported; a hang-up waits for it', async () => {
    const f = await options({
      authenticate: () => ({ ...OK, hasTemporaryGreeting: true }),
      removeGreeting: { reject: 'x' },
    });
    await f.dtmf('4', '2');
    expect(f.lastPlayed()[0]).toBe('sound:vm-sorry');
    for (const ok of [true, false]) {
      let settleIt: () => void = () => {};
      const h = await options({
        authenticate: () => ({ ...OK, hasTemporaryGreeting: true }),
        removeGreeting: () =>
          new Promise<void>((resolve, reject) => (settleIt = ok ? resolve : () => reject(new Error('x')))),
      });
      await h.dtmf('4', '2', '1');
      await h.hangup();
      await h.hangup();
      expect(h.state()).toBe('temporaryGreeting.removing');
      settleIt();
      await h.advance(0);
      expect(h.actor.getSnapshot().value).toBe('hungUp');
    }
  });

  it('5 changes the PIN: new, again, changed; a mismatch or a refused PIN is told', async () => {
    const results = [{ status: 'changed' }, { status: 'invalid' }];
    const h = await options({ changePin: () => results.shift() });
    await h.dtmf('5');
    expect(h.lastPlayed()).toEqual(['sound:vm-newpassword']);
    await h.played$();
    await h.dtmf('5', '6', '7', '8', '#');
    expect(h.lastPlayed()).toEqual(['sound:vm-reenterpassword']);
    await h.played$();
    await h.dtmf('5', '6', '7', '8', '#');
    expect(h.of('changePin')).toEqual([{ mailbox: '305@default', pin: '5678' }]);
    expect(h.lastPlayed()).toEqual(['sound:vm-passchanged', 'sound:vm-options']);
    expect(h.actor.getSnapshot().context.newPin).toBe('');
    await h.dtmf('5', '1', '#', '2', '#');
    expect(h.lastPlayed()).toEqual(['sound:vm-mismatch', 'sound:vm-options']);
    await h.dtmf('5', '1');
    await h.advance(5000);
    await h.dtmf('1');
    await h.advance(5000);
    expect(h.of('changePin')[1]).toEqual({ mailbox: '305@default', pin: '1' });
    expect(h.lastPlayed()).toEqual(['sound:vm-invalid-password', 'sound:vm-options']);
    await h.dtmf('5', '#');
    expect(h.state()).toBe('options.prompting');
    await h.dtmf('5');
    await h.played$();
    await h.advance(5000);
    expect(h.state()).toBe('options.prompting');
  });

  it('changing the PIN: a failure is reported; a hang-up waits for it (done or failed)', async () => {
    const f = await options({ changePin: { reject: 'disk' } });
    await f.dtmf('5', '9', '#', '9', '#');
    expect(f.lastPlayed()[0]).toBe('sound:vm-sorry');
    for (const ok of [true, false]) {
      let settleIt: () => void = () => {};
      const h = await options({
        changePin: () =>
          new Promise(
            (resolve, reject) => (settleIt = ok ? () => resolve({ status: 'changed' }) : () => reject(new Error('x'))),
          ),
      });
      await h.dtmf('5', '9', '#', '9', '#');
      await h.hangup();
      await h.hangup();
      expect(h.state()).toBe('changingPin');
      settleIt();
      await h.advance(0);
      expect(h.actor.getSnapshot().value).toBe('hungUp');
      expect(h.actor.getSnapshot().context.newPin).toBe('');
    }
  });

  it('the options menu is said three times, then the main menu', async () => {
    const h = await options();
    await h.played$();
    await h.advance(10000);
    await h.played$();
    await h.advance(10000);
    await h.played$();
    await h.advance(10000);
    expect(h.state()).toBe('menu.prompting');
  });
});

describe('voicemail-main machine: ending', () => {
  it('goodbye that cannot be played and a finish that fails still end the machine', async () => {
    const h = await loggedIn(
      {},
      {
        playMedia: (i) => {
          if ((i as { media: string[] }).media.includes('sound:vm-goodbye')) throw new Error('gone');
        },
        finishCall: { reject: 'gone' },
      },
    );
    await h.dtmf('#');
    expect(h.actor.getSnapshot().status).toBe('done');
    expect((h.of('reportError') as Array<{ during: string }>).map((e) => e.during)).toEqual(['goodbye', 'finish']);
  });
});

describe('voicemail-main machine: a small context', () => {
  // xstate's assign copies the context's top level on every update (`Object.assign({}, context, partial)`), and V8
  // (Node 20) turns an object built that way with more than about 18 keys into a slow dictionary: every digit typed
  // would then copy a hash table. The settings, the login and the playbacks each sit under one key instead.
  const MAX_TOP_LEVEL_KEYS = 16;

  it('has at most 16 top-level keys through login, a message and a greeting, and V8 keeps its copies fast', async () => {
    const h = await start({ mailbox: null });
    let most = Object.keys(h.actor.getSnapshot().context).length;
    h.actor.subscribe((snapshot) => {
      most = Math.max(most, Object.keys(snapshot.context).length);
    });
    await h.played$();
    await h.dtmf('3', '0', '5', '#');
    await h.played$();
    await h.dtmf('1', '2', '3', '4', '#');
    expect(h.state()).toBe('menu.prompting');
    await h.dtmf('0', '1');
    await h.played$();
    await h.dtmf('#');
    await h.recordingFinished();
    await h.played$();
    await h.dtmf('1');
    expect(h.of('acceptGreeting')).toHaveLength(1);
    await h.dtmf('*');
    expect(h.state()).toBe('menu.prompting');
    await firstMessage(h);
    await h.hangup();
    const snapshot = h.actor.getSnapshot();
    expect(snapshot.output).toMatchObject({ mailbox: '305@default', hungUp: true });
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(MAX_TOP_LEVEL_KEYS);
    // The copy assign makes, checked in a node that can ask V8 (the test process cannot).
    const script = `const c = Object.assign({}, ${JSON.stringify(snapshot.context)}, { digits: '1' });
      process.stdout.write(String(%HasFastProperties(c)));`;
    const fast = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    expect(fast).toBe('true');
  });
});

describe('voicemail-main machine: coverage', () => {
  test('every state and every transition of the machine is taken by the scenarios above, replayed here from scratch', async () => {
    taken.clear();
    visited.clear();
    await replay();
    const states = allStates();
    const transitions = allTransitions();
    expect(states.length).toBeGreaterThan(40);
    expect(states.filter((s) => !visited.has(s))).toEqual([]);
    expect(transitions.filter((t) => !taken.has(t))).toEqual([]);
  });
});
