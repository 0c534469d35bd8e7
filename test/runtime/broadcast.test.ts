// Two instances (two app names) on one simulated Asterisk share new calls through StasisBroadcast: each call goes to
// exactly one of them, the other's claim is refused (409); an instance without room leaves the call to the other;
// when nobody claims, the dialplan's fallback (STASISSTATUS=TIMEOUT) spreads the calls over the app names; without
// the broadcast modules, the runtime says so and the calls still come through the fallback.

import { afterEach, describe, expect, it } from 'vitest';
import { assign, fromPromise, setup } from 'xstate';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { AriHttpError } from '../../src/ari/errors.js';
import {
  type BroadcastSupport,
  type ClaimReport,
  createStasisApp,
  detectBroadcast,
  type StasisApp,
  type StasisAppOptions,
} from '../../src/runtime/index.js';
import type { CallFactory } from '../../src/runtime/types.js';
import { createFarEnd, createSimulator, type FarEnd, type Simulator } from '../../src/simulator/index.js';

// A call that answers and waits for the caller to hang up.
const answering = setup({
  types: { input: {} as { channelId: string }, context: {} as { channelId: string; answered: boolean } },
  actors: {
    answer: fromPromise<void, { channelId: string }>(async () => {}),
  },
}).createMachine({
  context: ({ input }) => ({ channelId: input.channelId, answered: false }),
  initial: 'answering',
  on: { StasisEnd: '.done' },
  states: {
    answering: {
      invoke: {
        src: 'answer',
        input: ({ context }) => ({ channelId: context.channelId }),
        onDone: { target: 'up', actions: assign({ answered: true }) },
      },
    },
    up: {},
    done: { type: 'final' },
  },
});

const answer: CallFactory = (start, scope) => ({
  machine: answering.provide({
    actors: {
      answer: fromPromise(async ({ input }) => {
        await scope.client.channels.answer({ channelId: input.channelId }, { signal: scope.signal });
      }),
    },
  }),
  input: { channelId: start.channel.id },
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

interface Instance {
  readonly app: StasisApp;
  readonly client: AriClient;
  /** Channel ids whose StasisStart reached this instance. */
  readonly started: string[];
  readonly claims: ClaimReport[];
  readonly support: BroadcastSupport[];
  readonly offers: string[];
}

async function simulator(broadcastModules = true): Promise<Simulator> {
  const sim = await createSimulator({
    broadcastModules,
    dialplan: [
      // The README's cluster dialplan: offer the call to every vm-* app for 1 s, else spread it over them.
      { context: 'default', exten: '_5XX', broadcast: { timeoutMs: 1000, filter: '^vm-' }, spread: ['vm-a', 'vm-b'] },
      { context: 'caller', exten: 's' },
    ],
  });
  cleanups.push(() => sim.close());
  return sim;
}

async function instance(sim: Simulator, name: string, claim: StasisAppOptions['claim']): Promise<Instance> {
  const client = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: [name] });
  const started: string[] = [];
  const claims: ClaimReport[] = [];
  const support: BroadcastSupport[] = [];
  const offers: string[] = [];
  client.onEvent((e) => {
    if (e.type === 'StasisStart') started.push((e as { channel: { id: string } }).channel.id);
    if (e.type === 'CallBroadcast') offers.push((e as { channel: { id: string } }).channel.id);
  });
  const withReports =
    claim && typeof claim === 'object'
      ? { ...claim, onClaim: (r: ClaimReport) => claims.push(r), onSupport: (s: BroadcastSupport) => support.push(s) }
      : claim;
  const app = createStasisApp({ client, app: name, createCall: answer, claim: withReports });
  await client.connect();
  await app.start();
  cleanups.push(() => client.close());
  cleanups.push(() => app.stop({ hangup: true }));
  return { app, client, started, claims, support, offers };
}

async function farEnd(sim: Simulator): Promise<FarEnd> {
  const far = await createFarEnd({ url: sim.url, username: sim.username, password: sim.password });
  cleanups.push(() => far.close());
  return far;
}

const outcomes = (i: Instance, channelId: string) =>
  i.claims.filter((c) => c.channelId === channelId).map((c) => c.outcome);

describe('the claim option', () => {
  it('is checked when the app is made, naming the wrong field', () => {
    const client = createAriClient({ url: 'http://127.0.0.1:9', username: 'u', password: 'p' });
    const make = (claim: unknown) =>
      createStasisApp({ client, app: 'vm-a', createCall: answer, claim: claim as StasisAppOptions['claim'] });
    expect(() => make({ maxCalls: -1 })).toThrow(/claim\.maxCalls/);
    expect(() => make({ maxCalls: 1.5 })).toThrow(/claim\.maxCalls/);
    expect(() => make({ accept: 'yes' })).toThrow(/claim\.accept/);
    expect(() => make({ every: true })).toThrow(/claim\.every/);
    expect(() => make('always')).toThrow(/claim/);
    for (const ok of [true, false, {}, { maxCalls: 0, accept: () => true }]) expect(() => make(ok)).not.toThrow();
  });
});

describe('calls shared by StasisBroadcast between two instances', () => {
  it('gives each call to exactly one instance; the other one is refused with 409', async () => {
    const sim = await simulator();
    const a = await instance(sim, 'vm-a', {});
    const b = await instance(sim, 'vm-b', {});
    expect(a.support).toEqual([
      { available: true, modules: { 'res_stasis_broadcast.so': 'Running', 'app_stasis_broadcast.so': 'Running' } },
    ]);
    const far = await farEnd(sim);
    const calls = [];
    for (let i = 0; i < 6; i++) calls.push(await far.call(`50${i}`));
    for (const call of calls) {
      const owners = [a, b].filter((x) => x.started.includes(call.calleeId));
      expect(owners).toHaveLength(1);
      const [owner, other] = owners[0] === a ? [a, b] : [b, a];
      expect(owner.offers).toContain(call.calleeId);
      expect(other.offers).toContain(call.calleeId);
      expect(outcomes(owner, call.calleeId)).toEqual(['claimed']);
      expect(outcomes(other, call.calleeId)).toEqual(['taken']);
      expect(owner.app.actor(call.calleeId)).toBeDefined();
      expect(other.app.actor(call.calleeId)).toBeUndefined();
    }
    expect(a.app.stats().calls + b.app.stats().calls).toBe(6);
    // The channel sits in the winner's app; a claim now is still refused, as Asterisk keeps the offer till the end.
    const first = calls[0]!;
    await expect(
      a.client.events.claimChannel({ channelId: first.calleeId, application: 'vm-a' }),
    ).rejects.toMatchObject({ status: 409 });
    for (const call of calls) await call.hangup();
    await expect(
      a.client.events.claimChannel({ channelId: first.calleeId, application: 'vm-a' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('leaves a call to the other instance while it has no room (maxCalls)', async () => {
    const sim = await simulator();
    const a = await instance(sim, 'vm-a', { maxCalls: 1 });
    const far = await farEnd(sim);
    const one = await far.call('501');
    expect(a.started).toEqual([one.calleeId]);
    const b = await instance(sim, 'vm-b', {});
    const two = await far.call('502');
    expect(outcomes(a, two.calleeId)).toEqual(['declined']);
    expect(b.started).toEqual([two.calleeId]);
    await one.hangup();
    const three = await far.call('503');
    expect([a, b].filter((x) => x.started.includes(three.calleeId))).toHaveLength(1);
    await two.hangup();
    await three.hangup();
  });

  it('claims only the offers `accept` takes (it sees the called number and the caller)', async () => {
    const sim = await simulator();
    const a = await instance(sim, 'vm-a', { accept: (offer) => offer.called !== '509' });
    const b = await instance(sim, 'vm-b', true);
    const far = await farEnd(sim);
    const call = await far.call('509');
    expect(outcomes(a, call.calleeId)).toEqual(['declined']);
    expect(b.started).toEqual([call.calleeId]);
    await call.hangup();
  });

  it('nobody claims: STASISSTATUS=TIMEOUT and the dialplan spreads the calls over the app names', async () => {
    const sim = await simulator();
    // Both instances are full (maxCalls 0): they hear every offer and claim none.
    const a = await instance(sim, 'vm-a', { maxCalls: 0 });
    const b = await instance(sim, 'vm-b', false);
    const far = await farEnd(sim);
    const one = await far.call('501');
    const two = await far.call('502');
    expect(a.offers).toEqual([one.calleeId, two.calleeId]);
    expect(b.offers).toEqual([one.calleeId, two.calleeId]);
    expect(outcomes(a, one.calleeId)).toEqual(['declined']);
    expect(b.claims).toEqual([]);
    // Taken in turn: the first by vm-a, the next by vm-b, through Stasis() after the broadcast timed out.
    expect(a.started).toEqual([one.calleeId]);
    expect(b.started).toEqual([two.calleeId]);
    const status = one.events.filter((e) => e.type === 'ChannelVarset' && e.variable === 'STASISSTATUS');
    expect(status.map((e) => e.value)).toContain('TIMEOUT');
    // The offer is over: a claim now is answered 404.
    await expect(b.client.events.claimChannel({ channelId: two.calleeId, application: 'vm-b' })).rejects.toMatchObject({
      status: 404,
    });
    // With one app gone, the spread skips it (STASISSTATUS=FAILED) and the other one gets every call.
    await b.app.stop();
    await b.client.close();
    const three = await far.call('503');
    const four = await far.call('504');
    expect(a.started).toEqual([one.calleeId, three.calleeId, four.calleeId]);
    for (const call of [one, two, three, four]) await call.hangup();
  });

  it('a claim for an app with no socket fails its Stasis session; the dialplan then spreads the call', async () => {
    const sim = await simulator();
    const b = await instance(sim, 'vm-b', false);
    // A client that claims every offer in the name of vm-a, which nobody serves.
    const rogue = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['vm-x'] });
    cleanups.push(() => rogue.close());
    rogue.onEvent((e) => {
      const channelId = (e as { channel?: { id: string } }).channel?.id;
      if (e.type === 'CallBroadcast' && channelId) void rogue.events.claimChannel({ channelId, application: 'vm-a' });
    });
    await rogue.connect();
    const far = await farEnd(sim);
    const call = await far.call('501');
    expect(b.started).toEqual([call.calleeId]);
    const status = call.events.filter((e) => e.type === 'ChannelVarset' && e.variable === 'STASISSTATUS');
    expect(status.map((e) => e.value)).toContain('FAILED');
    await call.hangup();
  });

  it('without the broadcast modules: the runtime says so and the calls come through the fallback', async () => {
    const sim = await simulator(false);
    const a = await instance(sim, 'vm-a', {});
    const b = await instance(sim, 'vm-b', {});
    for (const x of [a, b]) {
      expect(x.support).toEqual([
        { available: false, modules: { 'res_stasis_broadcast.so': 'absent', 'app_stasis_broadcast.so': 'absent' } },
      ]);
    }
    const far = await farEnd(sim);
    const one = await far.call('501');
    const two = await far.call('502');
    expect([a.offers, b.offers]).toEqual([[], []]);
    expect([a.started, b.started]).toEqual([[one.calleeId], [two.calleeId]]);
    // A claim is answered 501 by an Asterisk without res_stasis_broadcast.
    const refused = await a.client.events.claimChannel({ channelId: one.calleeId, application: 'vm-a' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AriHttpError);
    expect((refused as AriHttpError).status).toBe(501);
    await one.hangup();
    await two.hangup();
  });

  it('unloading and loading the modules through ARI switches between the two (as on Asterisk 22.10.1)', async () => {
    const sim = await simulator();
    const client = createAriClient({ url: sim.url, username: sim.username, password: sim.password });
    cleanups.push(() => client.close());
    // The resource cannot go while the dialplan application needs it.
    await expect(client.asterisk.unloadModule({ moduleName: 'res_stasis_broadcast.so' })).rejects.toMatchObject({
      status: 409,
    });
    await client.asterisk.unloadModule({ moduleName: 'app_stasis_broadcast.so' });
    await client.asterisk.unloadModule({ moduleName: 'res_stasis_broadcast.so' });
    expect((await detectBroadcast(client)).available).toBe(false);
    expect((await client.asterisk.listModules()).map((m) => m.name)).not.toContain('res_stasis_broadcast.so');
    await client.asterisk.loadModule({ moduleName: 'res_stasis_broadcast.so' });
    await client.asterisk.loadModule({ moduleName: 'app_stasis_broadcast.so' });
    await expect(client.asterisk.loadModule({ moduleName: 'app_stasis_broadcast.so' })).rejects.toMatchObject({
      status: 409,
    });
    expect(await detectBroadcast(client)).toEqual({
      available: true,
      modules: { 'res_stasis_broadcast.so': 'Running', 'app_stasis_broadcast.so': 'Running' },
    });
  });

  it('adopts at start a call claimed for its app before it ran (the channel still shows StasisBroadcast)', async () => {
    const sim = await simulator();
    // vm-a's socket is up and claims, but no runtime handles its events yet (as after a restart in a gap).
    const client = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['vm-a'] });
    cleanups.push(() => client.close());
    client.onEvent((e) => {
      const channelId = (e as { channel?: { id: string } }).channel?.id;
      if (e.type === 'CallBroadcast' && channelId) void client.events.claimChannel({ channelId, application: 'vm-a' });
      if (e.type === 'StasisStart' && channelId) void client.channels.answer({ channelId });
    });
    await client.connect();
    const far = await farEnd(sim);
    const call = await far.call('507');
    const [channel] = sim.channels().filter((c) => c.id === call.calleeId);
    expect(channel?.dialplan).toMatchObject({ app_name: 'StasisBroadcast', app_data: '1000,^vm-,507' });
    // A second runtime on another app must not take it; vm-a's runtime does, with the broadcast's arguments.
    const other = createStasisApp({ client, app: 'vm-b', createCall: answer, subscribe: false });
    await other.start();
    expect(other.actor(call.calleeId)).toBeUndefined();
    const args: string[][] = [];
    const app = createStasisApp({
      client,
      app: 'vm-a',
      subscribe: false,
      createCall: (start, scope) => {
        args.push([...start.args]);
        return answer(start, scope);
      },
    });
    await app.start();
    cleanups.push(() => app.stop());
    expect(app.actor(call.calleeId)).toBeDefined();
    expect(args).toEqual([['507']]);
    await call.hangup();
  });

  it('tells every matching app who won when the dialplan asks for CallClaimed', async () => {
    const sim = await createSimulator({
      dialplan: [
        { context: 'default', exten: '_5XX', broadcast: { timeoutMs: 1000, filter: '^vm-', notifyClaimed: true } },
        { context: 'caller', exten: 's' },
      ],
    });
    cleanups.push(() => sim.close());
    const a = await instance(sim, 'vm-a', {});
    const watcher = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['vm-z'] });
    const seen: Array<{ type: string; winner_app?: string }> = [];
    watcher.onEvent((e) => seen.push(e as { type: string; winner_app?: string }));
    await watcher.connect();
    cleanups.push(() => watcher.close());
    const far = await farEnd(sim);
    const call = await far.call('501');
    expect(a.started).toEqual([call.calleeId]);
    expect(seen.map((e) => [e.type, e.winner_app])).toEqual([
      ['CallBroadcast', undefined],
      ['CallClaimed', 'vm-a'],
    ]);
    await call.hangup();
  });
});
