import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { ari, EventLog } from './helpers.js';

let sim: Simulator;
const logs: EventLog[] = [];
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  await sim?.close();
});

async function open(apps = ['caller']): Promise<EventLog> {
  const l = await EventLog.open(sim, apps);
  logs.push(l);
  return l;
}

describe('faults', () => {
  it('fails the chosen requests with a 5xx, then answers normally', async () => {
    sim = await createSimulator({ clock: 'manual' });
    sim.faults.failRequests({ method: 'GET', path: '/asterisk/*', status: 503, message: 'busy', count: 2 });
    expect(await ari(sim, 'GET', '/asterisk/info')).toMatchObject({ status: 503, json: { message: 'busy' } });
    expect((await ari(sim, 'GET', '/mailboxes')).status).toBe(200);
    expect((await ari(sim, 'GET', '/asterisk/ping')).status).toBe(503);
    expect((await ari(sim, 'GET', '/asterisk/ping')).status).toBe(200);
  });

  it('delays the chosen requests on the simulated clock', async () => {
    sim = await createSimulator({ clock: 'manual' });
    sim.faults.delayRequests({ path: '/asterisk/ping', ms: 5000 });
    let done = false;
    const pending = ari(sim, 'GET', '/asterisk/ping').then((r) => {
      done = true;
      return r;
    });
    await ari(sim, 'GET', '/mailboxes');
    // The delayed request is registered on the clock once its body has been read.
    await expect.poll(() => sim.counts().timers).toBe(1);
    expect(done).toBe(false);
    sim.clock.advance(5000);
    expect((await pending).status).toBe(200);
  });

  it('drops every event socket; refuses upgrades for a while, then accepts them again', async () => {
    sim = await createSimulator({ clock: 'manual' });
    const first = await open();
    expect(sim.faults.dropWebSockets()).toBe(1);
    await first.closed;
    expect(sim.apps()).toEqual([]);
    sim.faults.refuseConnections(2000);
    await expect(EventLog.open(sim, ['caller'])).rejects.toThrow(/503/);
    sim.clock.advance(2000);
    await open();
    expect(sim.apps()).toEqual(['caller']);
  });

  it('stops listening altogether in close mode and listens again on the same port', async () => {
    sim = await createSimulator({ clock: 'manual' });
    sim.faults.refuseConnections(1000, { mode: 'close' });
    await expect
      .poll(async () =>
        fetch(`${sim.url}/ari/asterisk/ping`).then(
          () => 'up',
          (e: Error) => e.message,
        ),
      )
      .toBe('fetch failed');
    sim.clock.advance(1000);
    await expect.poll(async () => (await ari(sim, 'GET', '/asterisk/ping')).status).toBe(200);
  });

  it('sends a malformed frame that a client must survive', async () => {
    sim = await createSimulator({ clock: 'manual' });
    const l = await open();
    expect(sim.faults.sendMalformedFrame()).toBe(1);
    await expect.poll(() => l.raw.length).toBe(1);
    expect(() => JSON.parse(l.raw[0]!)).toThrow();
  });

  it('fails a seeded share of the matching requests, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      sim = await createSimulator({ clock: 'manual' });
      sim.faults.failRequests({ path: '/asterisk/ping', chance: 0.3, seed, count: Number.POSITIVE_INFINITY });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await ari(sim, 'GET', '/asterisk/ping')).status);
      await sim.close();
      return statuses;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    const failed = first.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(3);
    expect(failed).toBeLessThan(25);
  });

  it('carries a request out and only then answers with the fault when `after` is set', async () => {
    sim = await createSimulator({ clock: 'manual' });
    sim.faults.failRequests({ method: 'PUT', path: '/mailboxes/*', after: true, status: 503 });
    const put = await ari(sim, 'PUT', '/mailboxes/305@default?oldMessages=1&newMessages=2');
    expect(put.status).toBe(503);
    expect(await ari(sim, 'GET', '/mailboxes/305@default')).toMatchObject({
      status: 200,
      json: { name: '305@default', old_messages: 1, new_messages: 2 },
    });
  });

  it('aims faults at one account, and several chance rules make a mix', async () => {
    sim = await createSimulator({ clock: 'manual', users: { app: 'app-secret' } });
    const as = async (user: string, password: string) =>
      (
        await fetch(`${sim.url}/ari/asterisk/ping`, {
          headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
        })
      ).status;
    expect(await as('app', 'wrong')).toBe(401);
    const rule = { path: '/asterisk/ping', user: 'app', chance: 0.3, count: Number.POSITIVE_INFINITY };
    sim.faults.failRequests({ ...rule, status: 503, seed: 1 });
    sim.faults.failRequests({ ...rule, status: 500, seed: 2 });
    const app: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < 60; i++) {
      app.push(await as('app', 'app-secret'));
      other.push(await as(sim.username, sim.password));
    }
    expect(other.every((s) => s === 200)).toBe(true);
    expect(app.filter((s) => s === 503).length).toBeGreaterThan(5);
    // A request the first rule spared by chance meets the second one.
    expect(app.filter((s) => s === 500).length).toBeGreaterThan(3);
    expect(app.filter((s) => s === 200).length).toBeGreaterThan(15);
  });

  it('drops the event socket of one application only', async () => {
    sim = await createSimulator({ clock: 'manual' });
    const kept = await open(['caller']);
    const dropped = await open(['vm-record']);
    expect(sim.faults.dropWebSockets('vm-record')).toBe(1);
    await dropped.closed;
    expect(kept.ws.readyState).toBe(WebSocket.OPEN);
    expect(sim.faults.dropWebSockets('nobody')).toBe(0);
  });

  it('validates fault rules', async () => {
    sim = await createSimulator({ clock: 'manual' });
    expect(() => sim.faults.failRequests({ chance: 2 })).toThrow(/chance/);
    expect(() => sim.faults.failRequests({ status: 42 })).toThrow(/bad status/);
    expect(() => sim.faults.delayRequests({ ms: -1 })).toThrow(/ms must be >= 0/);
    expect(() => sim.faults.refuseConnections(0)).toThrow(/ms must be > 0/);
  });
});

describe('lifecycle', () => {
  it('starts and stops in milliseconds, closing sockets and timers', async () => {
    for (let i = 0; i < 5; i++) {
      sim = await createSimulator();
      const l = await open(['vm-record', 'caller']);
      await ari(sim, 'POST', '/channels?endpoint=Local%2F305%40default&app=caller');
      await l.next((e) => e.type === 'StasisStart');
      expect(sim.counts()).toMatchObject({ channels: 2, sockets: 1, timers: 1 });
      await sim.close();
      await l.closed;
      logs.length = 0;
    }
    await expect(fetch(`${sim.url}/ari/asterisk/ping`)).rejects.toThrow();
  });

  it('runs real time by default and refuses manual clock control there', async () => {
    sim = await createSimulator();
    expect(sim.clock.mode).toBe('real');
    expect(() => sim.clock.advance(10)).toThrow(/manual clock/);
  });
});
