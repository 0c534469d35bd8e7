// What the live view knows of calls, fed through the runtime's and attachRecorder's `observers` (no browser here):
// each call's states and transitions, its end, ended calls kept for `keepEndedMs` and at most `maxEnded`, and the
// server's refusals that a browser cannot show (a foreign Host header, a missing token).

import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { assign, setup } from 'xstate';
import { AriOptionsError } from '../../src/ari/errors.js';
import { LIVE_VIEW_UNAUTHORIZED, LiveCalls, startLiveView } from '../../src/live/index.js';
import { attachRecorder } from '../../src/recording/calls.js';
import { createStasisApp, type StasisApp } from '../../src/runtime/index.js';
import type { CallFactory } from '../../src/runtime/types.js';
import { channel, event, FakeClient } from '../runtime/fake-client.js';

const callMachine = setup({
  types: { input: {} as { mailbox: string }, context: {} as { mailbox: string; digits: string } },
}).createMachine({
  id: 'tiny',
  context: ({ input }) => ({ mailbox: input.mailbox, digits: '' }),
  initial: 'menu',
  on: { hangup: '.done' },
  states: {
    menu: {
      initial: 'waiting',
      states: {
        waiting: { on: { ChannelDtmfReceived: 'typing' } },
        typing: {
          on: {
            ChannelDtmfReceived: {
              actions: assign({
                digits: ({ context, event }) => context.digits + String((event as { digit?: unknown }).digit),
              }),
            },
          },
        },
      },
    },
    done: { type: 'final' },
  },
});

const createCall: CallFactory = (start) => ({ machine: callMachine, input: { mailbox: start.args[0] ?? '' } });

describe('LiveCalls as an observer of the runtime', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function runtime(observers: unknown[]): Promise<{ app: StasisApp; fake: FakeClient }> {
    const fake = new FakeClient();
    const app = createStasisApp({ client: fake.client, app: 'vm-record', createCall, observers: observers as never });
    cleanups.push(() => app.stop());
    await app.start();
    return { app, fake };
  }

  it('lists each call with its states, transitions, caller and mailbox, and keeps it once ended', async () => {
    let now = 1_000;
    const live = new LiveCalls({ now: () => now });
    const updates: string[] = [];
    live.subscribe((u) => updates.push(`${u.call.callId} ${u.call.state}${u.call.ended ? ` ${u.call.ended}` : ''}`));
    const { app, fake } = await runtime([live]);
    const a = { ...channel(undefined, 'vm-record', ['305']), caller: { name: 'Alice', number: '2001' } };
    fake.emit(event('StasisStart', { args: ['305'], channel: a }));
    expect(live.list()).toMatchObject([
      {
        callId: a.id,
        machine: 'tiny',
        caller: 'Alice <2001>',
        mailbox: '305',
        state: 'menu.waiting',
        active: ['menu', 'menu.waiting'],
        ended: null,
      },
    ]);
    now = 4_000;
    fake.emit(event('ChannelDtmfReceived', { digit: '7', duration_ms: 100, channel: a }));
    // A context change alone is no transition.
    fake.emit(event('ChannelDtmfReceived', { digit: '8', duration_ms: 100, channel: a }));
    expect(live.list()[0]).toMatchObject({ state: 'menu.typing', enteredAt: 4_000, startedAt: 1_000 });
    now = 6_000;
    fake.emit(event('ChannelHangupRequest', { cause: 16, channel: a }));
    await app.idle();
    const [ended] = live.list();
    expect(ended).toMatchObject({ state: 'done', ended: 'done', endedAt: 6_000 });
    expect(ended?.log.map((t) => `${t.from ?? 'start'} -> ${t.to} on ${t.event}`)).toEqual([
      'start -> menu.waiting on start',
      'menu.waiting -> menu.typing on DTMF 7',
      'menu.typing -> done on hangup',
    ]);
    expect(updates.at(-1)).toMatch(/ done( done)?$/);
    expect(updates).toContain(`${a.id} done done`);
  });

  it('forgets ended calls after keepEndedMs, and keeps at most maxEnded of them', async () => {
    let now = 0;
    const live = new LiveCalls({ now: () => now, keepEndedMs: 60_000, maxEnded: 2 });
    const { app, fake } = await runtime([live]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      now += 1_000;
      const ch = channel(undefined, 'vm-record', ['305']);
      ids.push(ch.id);
      fake.emit(event('StasisStart', { args: ['305'], channel: ch }));
      fake.emit(event('StasisEnd', { channel: ch }));
    }
    await app.idle();
    // The oldest went when the third ended; the latest ended comes first.
    expect(live.list().map((c) => c.callId)).toEqual([ids[2], ids[1]]);
    now += 59_000 - 1_000;
    expect(live.list().map((c) => c.callId)).toEqual([ids[2], ids[1]]);
    now += 1_001;
    expect(live.prune()).toEqual([ids[1]]);
    expect(live.list().map((c) => c.callId)).toEqual([ids[2]]);
  });

  it('an observer that throws ends no call; a malformed observers option is refused', async () => {
    const errors: unknown[] = [];
    const fake = new FakeClient();
    const live = new LiveCalls();
    const app = createStasisApp({
      client: fake.client,
      app: 'vm-record',
      createCall,
      logger: { debug() {}, info() {}, warn() {}, error: (message) => errors.push(message) },
      observers: [
        {
          inspect: () => {
            throw new Error('boom');
          },
          onCallEvent: () => {
            throw new Error('boom');
          },
        },
        live,
      ],
    });
    cleanups.push(() => app.stop());
    await app.start();
    const ch = channel(undefined, 'vm-record', ['305']);
    fake.emit(event('StasisStart', { args: ['305'], channel: ch }));
    fake.emit(event('ChannelDtmfReceived', { digit: '1', duration_ms: 100, channel: ch }));
    expect(app.actor(ch.id)?.getSnapshot().value).toEqual({ menu: 'typing' });
    expect(live.list()[0]?.state).toBe('menu.typing');
    expect(errors).toContain('a call observer threw');

    for (const observers of ['live', [null], [{ inspect: 1 }]]) {
      expect(() => createStasisApp({ client: fake.client, app: 'x', createCall, observers } as never)).toThrow(
        AriOptionsError,
      );
    }
  });

  it('sees a recorder attached with attachRecorder, and its end when detached', () => {
    const fake = new FakeClient();
    const live = new LiveCalls();
    const ch = channel(undefined, 'rec', []);
    const recorder = attachRecorder({
      client: fake.client as never,
      app: 'rec',
      channelId: ch.id,
      observers: [live],
    });
    expect(live.list()).toMatchObject([{ callId: ch.id, machine: 'recordCall', ended: null }]);
    expect(live.list()[0]?.state).not.toBe('');
    recorder.detach();
    expect(live.list()).toMatchObject([{ callId: ch.id, ended: 'stopped' }]);
    expect(() =>
      attachRecorder({ client: fake.client as never, app: 'rec', channelId: 'x', observers: {} as never }),
    ).toThrow(AriOptionsError);
  });
});

describe('the live view server', () => {
  it('answers only to loopback Host names, and closes a socket without the token with 4401', async () => {
    const view = await startLiveView({ port: 21_701, token: 't0ken' });
    try {
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: view.port, path: '/', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await status(`127.0.0.1:${view.port}`)).toBe(200);
      expect(await status(`localhost:${view.port}`)).toBe(200);
      expect(await status(`attacker.example:${view.port}`)).toBe(421);
      await expect(startLiveView({ port: view.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await expect(startLiveView({ port: 70_000 })).rejects.toThrow(TypeError);

      for (const hello of [JSON.stringify({ type: 'hello' }), 'not json']) {
        const ws = new WebSocket(`ws://127.0.0.1:${view.port}/ws`);
        ws.on('open', () => ws.send(hello));
        const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
        expect(code).toBe(LIVE_VIEW_UNAUTHORIZED);
      }
      const ws = new WebSocket(`ws://127.0.0.1:${view.port}/ws`);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: 't0ken' })));
      const first = await new Promise<{ type: string; calls: unknown[] }>((resolve) =>
        ws.once('message', (m) => resolve(JSON.parse(String(m)))),
      );
      expect(first).toMatchObject({ type: 'calls', calls: [] });
      ws.close();

      // A program may send the token as a header instead: the calls come without a first message.
      const bearer = new WebSocket(`ws://127.0.0.1:${view.port}/ws`, { headers: { authorization: 'Bearer t0ken' } });
      const got = await new Promise<{ type: string }>((resolve) =>
        bearer.once('message', (m) => resolve(JSON.parse(String(m)))),
      );
      expect(got).toMatchObject({ type: 'calls' });
      bearer.close();
      const wrong = new WebSocket(`ws://127.0.0.1:${view.port}/ws`, { headers: { authorization: 'Bearer nope' } });
      wrong.on('open', () => wrong.send(JSON.stringify({ type: 'hello', token: 'nope' })));
      expect(await new Promise<number>((resolve) => wrong.on('close', (c) => resolve(c)))).toBe(LIVE_VIEW_UNAUTHORIZED);
    } finally {
      await view.close();
    }
  });
});
