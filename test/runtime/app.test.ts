import { afterEach, describe, expect, it, vi } from 'vitest';
import { assign, createActor, fromPromise, setup } from 'xstate';
import type { HangupEvent } from '../../machines/hangup.js';
import { AriHttpError } from '../../src/ari/errors.js';
import { silentLogger } from '../../src/ari/logger.js';
import { bindCallScope, callScopeOf, createStasisApp, type StasisApp } from '../../src/runtime/index.js';
import type { RoutableEvent } from '../../src/runtime/routing.js';
import type { CallFactory } from '../../src/runtime/types.js';
import { channel, event, FakeClient } from './fake-client.js';

// A small call machine: play a prompt, wait for `#`, and save on hang-up (which takes time: the runtime must wait).
// It keeps every hang-up it is told, to show the runtime tells it once.
const callMachine = setup({
  types: {
    input: {} as { channelId: string; args: readonly string[] },
    context: {} as {
      channelId: string;
      args: readonly string[];
      digits: string;
      played: number;
      hangups: readonly HangupEvent[];
    },
    events: {} as (RoutableEvent & { readonly digit?: string }) | HangupEvent,
  },
  actors: {
    play: fromPromise<void, { channelId: string }>(async () => {}),
    save: fromPromise<void, { channelId: string }>(async () => {}),
  },
}).createMachine({
  id: 'test-call',
  context: ({ input }) => ({ channelId: input.channelId, args: input.args, digits: '', played: 0, hangups: [] }),
  initial: 'prompting',
  on: {
    hangup: {
      target: '.saving',
      actions: assign({ hangups: ({ context, event }) => [...context.hangups, event as HangupEvent] }),
    },
  },
  states: {
    prompting: {
      invoke: { src: 'play', input: ({ context }) => ({ channelId: context.channelId }) },
      on: { PlaybackFinished: { target: 'waiting', actions: assign({ played: ({ context }) => context.played + 1 }) } },
    },
    waiting: {
      on: {
        ChannelDtmfReceived: {
          actions: assign({ digits: ({ context, event }) => context.digits + String(Reflect.get(event, 'digit')) }),
        },
      },
    },
    saving: { invoke: { src: 'save', input: ({ context }) => ({ channelId: context.channelId }), onDone: 'done' } },
    done: { type: 'final' },
  },
});

interface Harness {
  fake: FakeClient;
  app: StasisApp;
  saves: Array<{ channelId: string; resolve: () => void }>;
  playbackIds: string[];
}

function harness(options: { drainTimeoutMs?: number; createCall?: CallFactory } = {}): Harness {
  const fake = new FakeClient();
  const saves: Harness['saves'] = [];
  const playbackIds: string[] = [];
  // Asterisk sends PlaybackStarted before it answers the POST: the route must already be there.
  fake.on('channels.playWithId', (params, f) => {
    f.emit(event('PlaybackStarted', { playback: { id: params.playbackId, state: 'playing' } }));
    return { id: params.playbackId, state: 'queued' };
  });
  const createCall: CallFactory =
    options.createCall ??
    ((start, scope) => ({
      machine: callMachine.provide({
        actors: {
          play: fromPromise(async ({ input }) => {
            const playbackId = `pb-${input.channelId}`;
            playbackIds.push(playbackId);
            scope.route('playback', playbackId);
            await scope.client.channels.playWithId({ channelId: input.channelId, playbackId, media: 'sound:vm-intro' });
          }),
          save: fromPromise(
            ({ input }) => new Promise<void>((resolve) => saves.push({ channelId: input.channelId, resolve })),
          ),
        },
      }),
      input: { channelId: start.channel.id, args: start.args },
    }));
  const app = createStasisApp({
    client: fake.client,
    app: 'vm-record',
    createCall,
    ...(options.drainTimeoutMs ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
  });
  return { fake, app, saves, playbackIds };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function startCall(h: Harness, args = ['305']) {
  const ch = channel(undefined, 'vm-record', args);
  h.fake.channels.set(ch.id, ch);
  h.fake.emit(event('StasisStart', { args, channel: ch }));
  return ch;
}

function hangUp(h: Harness, id: string) {
  const ch = h.fake.channels.get(id) ?? channel(id);
  h.fake.channels.delete(id);
  h.fake.emit(event('ChannelHangupRequest', { cause: 16, channel: ch }));
  h.fake.emit(event('StasisEnd', { channel: ch }));
}

describe('createStasisApp', () => {
  afterEach(() => vi.useRealTimers());

  it('starts one actor per call with the Stasis arguments as input', async () => {
    const h = harness();
    await h.app.start();
    const ch = startCall(h, ['305', 'u']);
    const actor = h.app.actor(ch.id);
    expect(actor?.getSnapshot().context.args).toEqual(['305', 'u']);
    expect(h.app.stats()).toMatchObject({ calls: 1, started: 1 });
  });

  it('routes an event that arrives before the REST answer to the call that registered its id', async () => {
    const h = harness();
    await h.app.start();
    const ch = startCall(h);
    await flush();
    expect(h.fake.callsOf('channels.playWithId')).toHaveLength(1);
    // PlaybackStarted was emitted inside the request, before it resolved: it was routed, not dropped.
    expect(h.app.stats().unrouted).toBe(0);
    h.fake.emit(event('PlaybackFinished', { playback: { id: `pb-${ch.id}`, state: 'done' } }));
    h.fake.emit(event('ChannelDtmfReceived', { digit: '4', channel: ch }));
    h.fake.emit(event('ChannelDtmfReceived', { digit: '2', channel: ch }));
    const snapshot = h.app.actor(ch.id)?.getSnapshot();
    expect(snapshot?.value).toBe('waiting');
    expect(snapshot?.context).toMatchObject({ played: 1, digits: '42' });
  });

  it('ignores events of other applications on the same socket (each event comes once per subscribed app)', async () => {
    const h = harness();
    await h.app.start();
    const ch = startCall(h);
    await flush();
    h.fake.emit(event('PlaybackFinished', { playback: { id: `pb-${ch.id}`, state: 'done' } }, 'caller'));
    h.fake.emit(event('StasisStart', { args: [], channel: channel() }, 'caller'));
    expect(h.app.actor(ch.id)?.getSnapshot().value).toBe('prompting');
    expect(h.app.stats()).toMatchObject({ calls: 1, started: 1 });
  });

  it('keeps a hung-up call alive until its work is done, then forgets its actor and routes', async () => {
    const h = harness();
    await h.app.start();
    const ch = startCall(h);
    await flush();
    hangUp(h, ch.id);
    expect(h.app.stats()).toMatchObject({ calls: 1, draining: 1 });
    expect(h.app.actor(ch.id)?.getSnapshot().value).toBe('saving');
    h.saves[0]?.resolve();
    await h.app.idle();
    expect(h.app.stats()).toMatchObject({ calls: 0, routes: 0, draining: 0, ended: 1 });
  });

  it('stops an actor that is still busy when the drain timeout runs out', async () => {
    vi.useFakeTimers();
    const h = harness({ drainTimeoutMs: 5_000 });
    const ended: string[] = [];
    const stuck = createStasisApp({
      client: h.fake.client,
      app: 'stuck',
      drainTimeoutMs: 5_000,
      createCall: (start) => ({
        machine: callMachine.provide({ actors: { save: fromPromise(() => new Promise<void>(() => {})) } }),
        input: { channelId: start.channel.id, args: start.args },
      }),
      onCallEvent: (e) => {
        if (e.type === 'call.ended') ended.push(`stuck:${e.reason}`);
      },
    });
    await stuck.start();
    h.fake.emit(event('StasisStart', { args: [], channel: channel('c-stuck') }, 'stuck'));
    h.fake.emit(event('StasisEnd', { channel: channel('c-stuck') }, 'stuck'));
    expect(stuck.stats()).toMatchObject({ calls: 1, draining: 1 });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(stuck.stats().calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stuck.stats()).toMatchObject({ calls: 0, routes: 0, draining: 0 });
    expect(ended).toEqual(['stuck:drained']);
  });

  it('keeps an actor error inside its call: that call is hung up, the others go on', async () => {
    const h = harness();
    const errors: unknown[] = [];
    const app = createStasisApp({
      client: h.fake.client,
      app: 'vm-record',
      createCall: (start) => ({
        machine: callMachine.provide({
          actors: {
            play: fromPromise(async ({ input }) => {
              if (input.channelId === 'c-bad') throw new Error('playback exploded');
            }),
          },
        }),
        input: { channelId: start.channel.id, args: start.args },
      }),
      onCallEvent: (e) => {
        if (e.type === 'call.error') errors.push(e.error);
      },
    });
    await app.start();
    // The bad call's channel is already gone when we hang up: the 404 of that race is not an error.
    h.fake.emit(event('StasisStart', { args: [], channel: channel('c-bad') }));
    const good = channel('c-good');
    h.fake.channels.set(good.id, good);
    h.fake.emit(event('StasisStart', { args: [], channel: good }));
    await flush();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('playback exploded');
    expect(h.fake.callsOf('channels.hangup').map((c) => c.params.channelId)).toEqual(['c-bad']);
    expect(app.actor('c-bad')).toBeUndefined();
    expect(app.actor('c-good')?.getSnapshot().status).toBe('active');
    expect(app.stats()).toMatchObject({ calls: 1 });
  });

  it('hangs up a channel whose call could not be made (a malformed argument), and goes on', async () => {
    const h = harness({
      createCall: (start) => {
        if (start.args[0] === '../x') throw new Error('malformed mailbox id');
        return { machine: callMachine, input: { channelId: start.channel.id, args: start.args } };
      },
    });
    await h.app.start();
    const bad = startCall(h, ['../x']);
    const good = startCall(h, ['305']);
    await flush();
    expect(h.fake.callsOf('channels.hangup').map((c) => c.params.channelId)).toEqual([bad.id]);
    expect(h.app.actor(good.id)).toBeDefined();
    expect(h.app.stats().calls).toBe(1);
  });

  it('tells an actor of its hang-up once: the first of ChannelHangupRequest and StasisEnd, as a hangup', async () => {
    const h = harness();
    await h.app.start();
    const hungUp = startCall(h);
    const left = startCall(h);
    await flush();
    hangUp(h, hungUp.id);
    // The dialplan's Hangup() after Stasis asks again: nothing more for the actor.
    h.fake.emit(event('ChannelHangupRequest', { cause: 16, soft: true, channel: hungUp }));
    h.fake.emit(event('StasisEnd', { channel: left }));
    const told = (id: string) => h.app.actor(id)?.getSnapshot().context.hangups as HangupEvent[];
    expect(told(hungUp.id)).toHaveLength(1);
    expect(told(hungUp.id)[0]).toMatchObject({
      type: 'hangup',
      cause: 16,
      original: { type: 'ChannelHangupRequest', channel: { id: hungUp.id } },
    });
    expect(told(left.id)).toEqual([{ type: 'hangup', original: expect.objectContaining({ type: 'StasisEnd' }) }]);
    expect(h.saves).toHaveLength(2);
  });

  it('after an event gap, ends calls whose channel is gone, finishes lost playbacks and adopts missed channels', async () => {
    const h = harness();
    await h.app.start();
    const gone = startCall(h);
    const alive = startCall(h);
    await flush();
    h.fake.channels.delete(gone.id);
    h.fake.on('playbacks.get', () => {
      throw new AriHttpError(404, 'Playback not found', { method: 'GET', path: '/playbacks/x' });
    });
    const missed = channel(undefined, 'vm-record', ['320']);
    h.fake.channels.set(missed.id, missed);
    const other = channel(undefined, 'another-app', ['1']);
    h.fake.channels.set(other.id, other);

    h.fake.reconnected(1_500);
    await vi.waitFor(() => expect(h.app.actor(missed.id)).toBeDefined());
    expect(h.app.actor(gone.id)?.getSnapshot().value).toBe('saving');
    expect(h.app.actor(gone.id)?.getSnapshot().context.hangups).toEqual([
      { type: 'hangup', original: expect.objectContaining({ type: 'StasisEnd', synthetic: true }) },
    ]);
    expect(h.app.actor(alive.id)?.getSnapshot().value).toBe('waiting');
    expect(h.app.actor(missed.id)?.getSnapshot().context.args).toEqual(['320']);
    expect(h.app.actor(other.id)).toBeUndefined();
  });

  it('after an event gap, tells a call of a recording that began in the gap (RecordingStarted), only if it missed it', async () => {
    // A call that holds its controls until its take records (as voicemail does) waits for this event.
    const take = setup({ types: { context: {} as { starts: number } } }).createMachine({
      id: 'take',
      context: { starts: 0 },
      initial: 'queued',
      on: {
        RecordingStarted: { target: '.recording', actions: assign({ starts: ({ context }) => context.starts + 1 }) },
      },
      states: { queued: {}, recording: {} },
    });
    const h = harness({
      createCall: (start, scope) => {
        scope.route('recording', `take-${start.channel.id}`);
        return { machine: take, input: undefined };
      },
    });
    await h.app.start();
    const missed = startCall(h);
    const seen = startCall(h);
    await flush();
    h.fake.on('recordings.getLive', (params) => ({
      name: params.recordingName,
      format: 'wav',
      state: 'recording',
      target_uri: 'channel:x',
    }));
    h.app.handle(event('RecordingStarted', { recording: { name: `take-${seen.id}`, state: 'recording' } }));
    expect(h.app.actor(seen.id)?.getSnapshot().context.starts).toBe(1);
    expect(h.app.actor(missed.id)?.getSnapshot().value).toBe('queued');

    h.fake.reconnected(1_500);
    await vi.waitFor(() => expect(h.app.actor(missed.id)?.getSnapshot().value).toBe('recording'));
    expect(h.app.actor(seen.id)?.getSnapshot().context.starts).toBe(1);
  });

  it('adopts at start the channels already in the app (a call handed over mid-way)', async () => {
    const h = harness();
    const waiting = channel(undefined, 'vm-record', ['305']);
    h.fake.channels.set(waiting.id, waiting);
    await h.app.start();
    expect(h.app.actor(waiting.id)?.getSnapshot().context.args).toEqual(['305']);
  });

  it('adopts at a resync the channels of another app it was told it took over (adoptable), and only those', async () => {
    const fake = new FakeClient();
    const taken = channel(undefined, 'vm-dead', ['305', 'u']);
    const other = channel(undefined, 'vm-other', ['306']);
    fake.channels.set(taken.id, taken);
    fake.channels.set(other.id, other);
    const seen: Array<string[] | undefined> = [];
    const createCall: CallFactory = Object.assign(
      (start: Parameters<CallFactory>[0]) => ({
        machine: callMachine.provide({
          actors: { play: fromPromise(async () => {}), save: fromPromise(async () => {}) },
        }),
        input: { channelId: start.channel.id, args: start.args },
      }),
      {
        recover: async (context: Parameters<NonNullable<CallFactory['recover']>>[0]) => {
          seen.push(...context.channels.map((c) => context.argsOf?.(c)?.slice()));
        },
      },
    );
    const app = createStasisApp({
      client: fake.client,
      app: 'vm-b',
      createCall,
      adoptable: (c) => (c.id === taken.id ? ['305', 'u'] : undefined),
    });
    await app.start();
    expect(app.actor(taken.id)?.getSnapshot().context.args).toEqual(['305', 'u']);
    expect(app.actor(other.id)).toBeUndefined();
    expect(seen).toEqual([['305', 'u'], undefined]);
    expect(() => createStasisApp({ client: fake.client, app: 'vm-b', createCall, adoptable: 'yes' as never })).toThrow(
      /adoptable/,
    );
  });

  it('lets an app with its own event stream feed events and hand over a channel', async () => {
    const h = harness();
    // No start(): the events come from elsewhere (an ari-client app, say).
    const ch = channel('handed-over');
    h.app.adopt(ch, ['305']);
    await flush();
    h.app.handle(event('PlaybackFinished', { playback: { id: 'pb-handed-over', state: 'done' } }));
    expect(h.app.actor(ch.id)?.getSnapshot().value).toBe('waiting');
  });

  it('runs a thousand concurrent calls and ends with zero actors and zero routes', async () => {
    const h = harness();
    await h.app.start();
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) ids.push(startCall(h).id);
    await flush();
    expect(h.app.stats()).toMatchObject({ calls: 1000, routes: 2000 });
    for (const id of ids) hangUp(h, id);
    for (const save of h.saves) save.resolve();
    await h.app.idle();
    expect(h.app.stats()).toMatchObject({ calls: 0, routes: 0, draining: 0, started: 1000, ended: 1000 });
  });

  it("lets a machine provided once for all calls reach each call's scope through its actor system", async () => {
    const fake = new FakeClient();
    fake.on('channels.playWithId', (params, f) => {
      f.emit(event('PlaybackStarted', { playback: { id: params.playbackId, state: 'playing' } }));
      return { id: params.playbackId, state: 'queued' };
    });
    // One machine for every call: the implementation finds the call's scope from `system`.
    const shared = callMachine.provide({
      actors: {
        play: fromPromise(async ({ input, system }) => {
          const scope = callScopeOf(system);
          expect(scope.callId).toBe(input.channelId);
          scope.route('playback', `pb-${scope.callId}`);
          await scope.client.channels.playWithId(
            {
              channelId: scope.callId,
              playbackId: `pb-${scope.callId}`,
              media: 'sound:beep',
            },
            { signal: scope.signal },
          );
        }),
      },
    });
    const app = createStasisApp({
      client: fake.client,
      app: 'vm-record',
      createCall: (start) => ({ machine: shared, input: { channelId: start.channel.id, args: start.args } }),
    });
    await app.start();
    for (const id of ['one', 'two']) fake.emit(event('StasisStart', { args: [], channel: channel(id) }));
    await flush();
    expect(fake.callsOf('channels.playWithId').map((c) => c.params.channelId)).toEqual(['one', 'two']);
    fake.emit(event('PlaybackFinished', { playback: { id: 'pb-two', state: 'done' } }));
    expect(app.actor('one')?.getSnapshot().value).toBe('prompting');
    expect(app.actor('two')?.getSnapshot().value).toBe('waiting');
    expect(() => callScopeOf({})).toThrow(/not a call of a Stasis app/);
  });

  it('binds a scope by hand to the system of an actor run outside the runtime, once', async () => {
    const fake = new FakeClient();
    const seen: string[] = [];
    const shared = callMachine.provide({
      actors: { play: fromPromise(async ({ system }) => void seen.push(callScopeOf(system).callId)) },
    });
    const scopeOf = (callId: string) => ({
      callId,
      app: 'rec',
      client: fake.client,
      signal: new AbortController().signal,
      route: () => {},
      unroute: () => {},
      logger: silentLogger,
    });
    const actor = createActor(shared, { input: { channelId: 'solo', args: [] } });
    const scope = scopeOf('solo');
    bindCallScope(actor.system, scope);
    bindCallScope(actor.system, scope);
    expect(() => bindCallScope(actor.system, scopeOf('other'))).toThrow(/already the call solo/);
    expect(() => bindCallScope(null as never, scope)).toThrow(TypeError);
    actor.start();
    await flush();
    expect(seen).toEqual(['solo']);
    actor.stop();
  });

  it('aborts the signal of a call when its actor stops', async () => {
    const h = harness();
    await h.app.start();
    const ch = startCall(h);
    await flush();
    let signal: AbortSignal | undefined;
    const actor = h.app.actor(ch.id);
    if (actor) signal = callScopeOf(actor.system).signal;
    expect(signal?.aborted).toBe(false);
    await h.app.stop();
    expect(signal?.aborted).toBe(true);
    expect(String(signal?.reason)).toContain('the call ended');
  });

  it('rejects bad options with an error naming the option', () => {
    const fake = new FakeClient();
    expect(() => createStasisApp({ client: fake.client, app: 'a,b', createCall: () => undefined })).toThrow(/"app"/);
    expect(() =>
      createStasisApp({ client: fake.client, app: 'a', createCall: () => undefined, drainTimeoutMs: -1 }),
    ).toThrow(/"drainTimeoutMs"/);
    const base = { client: fake.client, app: 'a', createCall: () => undefined };
    expect(() => createStasisApp({ ...base, drainTimeout: 5 } as never)).toThrow(/"drainTimeout": unknown option/);
    expect(() => createStasisApp({ ...base, inspect: 5 } as never)).toThrow(/"inspect"/);
    expect(() => createStasisApp({ ...base, onCallEvent: true } as never)).toThrow(/"onCallEvent"/);
    expect(() => createStasisApp({ ...base, subscribe: 'no' } as never)).toThrow(/"subscribe"/);
    expect(() => createStasisApp({ ...base, logger: { info() {} } } as never)).toThrow(/"logger"/);
    expect(() => createStasisApp({ ...base, clock: {} } as never)).toThrow(/"clock"/);
  });
});

describe('createStasisApp after a call that could not leave Stasis', () => {
  it('sends on (not adopts) a channel whose call ended while it was still in the app', async () => {
    // A call that ends at once, as a voicemail call does after its continue (here the continue was lost).
    const quick = setup({}).createMachine({ id: 'quick', initial: 'done', states: { done: { type: 'final' } } });
    let made = 0;
    const h = harness({
      createCall: () => {
        made++;
        return { machine: quick, input: undefined };
      },
    });
    await h.app.start();
    const ch = startCall(h);
    await flush();
    expect(h.app.stats()).toMatchObject({ calls: 0, ended: 1 });
    // The socket came back: the channel is still listed in the app.
    h.fake.reconnected(5000);
    await flush();
    await flush();
    expect(made).toBe(1);
    expect(h.fake.callsOf('channels.continueInDialplan').map((c) => c.params.channelId)).toEqual([ch.id]);
  });
});

describe('the retry policy of the runtime', () => {
  it("retries the call's idempotent requests on a 5xx, and sends a playback without an id only once", async () => {
    const fake = new FakeClient();
    let refused = 0;
    fake.on('channels.answer', () => {
      if (refused++ < 2) throw new AriHttpError(503, 'busy', { method: 'POST', path: '/channels/x/answer' });
    });
    fake.on('channels.play', () => {
      throw new AriHttpError(500, 'oops', { method: 'POST', path: '/channels/x/play' });
    });
    const results: string[] = [];
    const machine = setup({}).createMachine({ id: 'r' });
    const app = createStasisApp({
      client: fake.client,
      app: 'vm-record',
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      createCall: (start, scope) => {
        void (async () => {
          await scope.client.channels.answer({ channelId: start.channel.id });
          results.push('answered');
          await scope.client.channels.play({ channelId: start.channel.id, media: 'sound:x' }).catch((error) => {
            results.push(`play ${(error as AriHttpError).status}`);
          });
        })();
        return { machine, input: undefined };
      },
    });
    await app.start();
    startCall({ fake, app, saves: [], playbackIds: [] });
    await vi.waitFor(() => expect(results).toEqual(['answered', 'play 500']));
    expect(fake.callsOf('channels.answer')).toHaveLength(3);
    expect(fake.callsOf('channels.play')).toHaveLength(1);
  });

  it('refuses bad retry options naming the option', () => {
    const fake = new FakeClient();
    const base = { client: fake.client, app: 'vm-record', createCall: () => undefined };
    expect(() => createStasisApp({ ...base, retry: { attempts: 0 } })).toThrow(/retry\.attempts/);
    expect(() => createStasisApp({ ...base, retry: { nope: 1 } as never })).toThrow(/retry\.nope/);
  });
});
