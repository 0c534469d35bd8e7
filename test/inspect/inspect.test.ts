import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { assign, fromPromise, type InspectionEvent, setup } from 'xstate';
import { type InspectorRelay, startInspectorRelay } from '../../examples/inspect.js';
import type { HangupEvent } from '../../machines/hangup.js';
import { createStasisApp, type StasisApp } from '../../src/runtime/index.js';
import type { RoutableEvent } from '../../src/runtime/routing.js';
import type { CallFactory } from '../../src/runtime/types.js';
import { channel, event, FakeClient } from '../runtime/fake-client.js';

// A call: greet, collect digits until `#`, save after the caller hangs up.
const callMachine = setup({
  types: {
    input: {} as { channelId: string },
    context: {} as { channelId: string; digits: string },
    events: {} as RoutableEvent | HangupEvent,
  },
  actors: { save: fromPromise<void, { channelId: string }>(async () => {}) },
}).createMachine({
  id: 'inspected-call',
  context: ({ input }) => ({ channelId: input.channelId, digits: '' }),
  initial: 'waiting',
  on: { hangup: '.saving' },
  states: {
    waiting: {
      on: {
        ChannelDtmfReceived: [
          { guard: ({ event }) => (event as { digit?: unknown }).digit === '#', target: 'done' },
          {
            actions: assign({
              digits: ({ context, event }) => context.digits + String((event as { digit?: unknown }).digit),
            }),
          },
        ],
      },
    },
    saving: { invoke: { src: 'save', input: ({ context }) => ({ channelId: context.channelId }), onDone: 'done' } },
    done: { type: 'final' },
  },
});

const createCall: CallFactory = (start) => ({ machine: callMachine, input: { channelId: start.channel.id } });

function runCalls(app: StasisApp, fake: FakeClient) {
  const a = channel(undefined, 'vm-record', ['305']);
  const b = channel(undefined, 'vm-record', ['306']);
  for (const ch of [a, b]) {
    fake.channels.set(ch.id, ch);
    fake.emit(event('StasisStart', { args: [], channel: ch }));
  }
  const sessions = [app.actor(a.id)?.sessionId, app.actor(b.id)?.sessionId];
  expect(sessions.every((s) => typeof s === 'string')).toBe(true);
  fake.emit(event('ChannelDtmfReceived', { digit: '4', duration_ms: 120, channel: a }));
  fake.emit(event('ChannelDtmfReceived', { digit: '#', duration_ms: 120, channel: b }));
  fake.emit(event('ChannelHangupRequest', { cause: 16, channel: a }));
  fake.emit(event('StasisEnd', { channel: a }));
  return { a, b, sessions };
}

describe('inspecting live calls', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('gives an inspector each call’s actor, the ARI events it receives and its snapshots', async () => {
    const fake = new FakeClient();
    const seen: InspectionEvent[] = [];
    const app = createStasisApp({ client: fake.client, app: 'vm-record', createCall, inspect: (e) => seen.push(e) });
    cleanups.push(() => app.stop());
    await app.start();
    const { a, b } = runCalls(app, fake);
    await app.idle();

    const ofCall = (id: string) => seen.filter((e) => (e.actorRef as { id?: string }).id === `call:${id}`);
    for (const [ch, states] of [
      [a, ['waiting', 'saving', 'done']],
      [b, ['waiting', 'done']],
    ] as const) {
      const events = ofCall(ch.id);
      expect(events.filter((e) => e.type === '@xstate.actor')).toHaveLength(1);
      const received = events.flatMap((e) =>
        e.type === '@xstate.event' && e.sourceRef === undefined ? [e.event.type] : [],
      );
      expect(received).toEqual(
        ch === a
          ? ['xstate.init', 'StasisStart', 'ChannelDtmfReceived', 'hangup']
          : ['xstate.init', 'StasisStart', 'ChannelDtmfReceived'],
      );
      const values = events.flatMap((e) => (e.type === '@xstate.snapshot' ? [e.snapshot] : []));
      expect([...new Set(values.map((s) => (s as unknown as { value: string }).value))]).toEqual(states);
      expect(values.at(-1)).toMatchObject({ status: 'done' });
    }
    const last = ofCall(a.id)
      .filter((e) => e.type === '@xstate.snapshot')
      .at(-1)!;
    expect((last.snapshot as unknown as { context: { digits: string } }).context.digits).toBe('4');
  });

  it('reaches a Stately inspector page through @statelyai/inspect and a loopback relay', async () => {
    const relay = await startInspectorRelay();
    cleanups.push(() => relay.close());
    expect(new URL(relay.url).hostname).toBe('127.0.0.1');

    const ui = await connectPage(relay);
    cleanups.push(() => ui.socket.close());
    const inspector = createWebSocketInspector({ url: relay.url });
    cleanups.push(() => inspector.stop());

    const fake = new FakeClient();
    const app = createStasisApp({ client: fake.client, app: 'vm-record', createCall, inspect: inspector.inspect });
    cleanups.push(() => app.stop());
    await app.start();
    const { a, sessions } = runCalls(app, fake);
    await app.idle();

    // The call's last event on the page: its actor reached the final state.
    await ui.until(
      (m) => m.type === '@xstate.snapshot' && m.sessionId === sessions[0] && m.snapshot?.status === 'done',
    );
    await ui.until(
      (m) => m.type === '@xstate.snapshot' && m.sessionId === sessions[1] && m.snapshot?.status === 'done',
    );

    for (const session of sessions) {
      const mine = ui.messages.filter((m) => m.sessionId === session);
      const actor = mine.find((m) => m.type === '@xstate.actor');
      expect(actor?.name).toMatch(/^call:/);
      expect(JSON.parse(actor!.definition!)).toMatchObject({ id: 'inspected-call', initial: 'waiting' });
      expect(mine.some((m) => m.type === '@xstate.event' && m.event?.type === 'StasisStart')).toBe(true);
    }
    const callA = ui.messages.filter((m) => m.sessionId === sessions[0]);
    expect(callA.find((m) => m.type === '@xstate.actor')?.name).toBe(`call:${a.id}`);
    expect(callA.filter((m) => m.type === '@xstate.event').map((m) => m.event?.type)).toEqual(
      expect.arrayContaining(['ChannelDtmfReceived', 'hangup']),
    );
    const values = callA.filter((m) => m.type === '@xstate.snapshot').map((m) => m.snapshot?.value);
    expect(values).toEqual(expect.arrayContaining(['waiting', 'saving', 'done']));

    // A page that opens later is sent what it missed.
    const late = await connectPage(relay);
    cleanups.push(() => late.socket.close());
    await late.until(
      (m) => m.type === '@xstate.snapshot' && m.sessionId === sessions[0] && m.snapshot?.status === 'done',
    );
  });

  it('serves the inspector page and refuses connections from other web pages', async () => {
    const relay = await startInspectorRelay({ inspectorUrl: 'https://stately.ai/inspect' });
    cleanups.push(() => relay.close());
    const html = await (await fetch(relay.pageUrl)).text();
    expect(html).toContain('<iframe id="inspector" src="https://stately.ai/inspect">');
    const origin = relay.pageUrl.replace(/\/$/, '');
    await expect(refusal(`${origin.replace(/^http/, 'ws')}/ui`, 'https://evil.example')).resolves.toBe(403);
    await expect(refusal(relay.url, 'https://evil.example')).resolves.toBe(403);
    await expect(refusal(`${origin.replace(/^http/, 'ws')}/ui`)).resolves.toBe(403);
    expect((await fetch(`${origin}/other`)).status).toBe(404);
  });
});

interface PageMessage {
  type: string;
  sessionId?: string;
  name?: string;
  definition?: string;
  event?: { type: string };
  snapshot?: { status?: string; value?: unknown };
}

// Connects as the inspector page does, and collects what it is sent.
async function connectPage(relay: InspectorRelay) {
  const origin = relay.pageUrl.replace(/\/$/, '');
  const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/ui`, { origin });
  const messages: PageMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as PageMessage);
    for (const wake of waiters) wake();
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const until = (match: (m: PageMessage) => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!messages.some(match)) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { socket, messages, until };
}

// The HTTP status a WebSocket handshake is refused with.
function refusal(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      socket.close();
      reject(new Error(`connection to ${url} from ${origin ?? 'no origin'} was accepted`));
    });
    socket.on('error', () => {});
  });
}
