import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createAriClient } from '../../src/ari/index.js';
import { createStasisApp } from '../../src/runtime/index.js';
import { createFarEnd, createSimulator, type Simulator } from '../../src/simulator/index.js';
import { createVoicemailCalls, FileMessageStore, InMemoryMailboxDirectory } from '../../src/voicemail/index.js';

describe('the simulator clock as an XState clock', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("moves a machine's delays with clock.advance(), like simulated media", async () => {
    sim = await createSimulator({ clock: 'manual' });
    const machine = createMachine({
      initial: 'waiting',
      states: { waiting: { after: { 10000: 'timedOut' }, on: { key: 'pressed' } }, timedOut: {}, pressed: {} },
    });
    const actor = createActor(machine, { clock: sim.clock }).start();
    expect(sim.clock.pending()).toBe(1);
    sim.clock.advance(9_999);
    expect(actor.getSnapshot().value).toBe('waiting');
    sim.clock.advance(1);
    expect(actor.getSnapshot().value).toBe('timedOut');
    expect(sim.clock.pending()).toBe(0);
  });

  it('cancels a delay when the machine leaves its state', async () => {
    sim = await createSimulator({ clock: 'manual' });
    const machine = createMachine({
      initial: 'waiting',
      states: { waiting: { after: { 10000: 'timedOut' }, on: { key: 'pressed' } }, timedOut: {}, pressed: {} },
    });
    const actor = createActor(machine, { clock: sim.clock }).start();
    actor.send({ type: 'key' });
    expect(sim.clock.pending()).toBe(0);
    sim.clock.advance(20_000);
    expect(actor.getSnapshot().value).toBe('pressed');
  });
});

describe('clock.runUntil: time passes while the work waits, so nothing deadlocks', () => {
  let sim: Simulator | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('a whole call (greeting, beep, 3 s of speech, #) completes on the manual clock with no advance() by hand', async () => {
    sim = await createSimulator({ clock: 'manual' });
    dir = await mkdtemp(join(tmpdir(), 'ari-voicemail-clock-'));
    const client = createAriClient({ url: sim.url, username: 'asterisk', password: 'asterisk', apps: 'vm-record' });
    const store = new FileMessageStore(dir);
    const app = createStasisApp({
      client,
      app: 'vm-record',
      clock: sim.clock,
      createCall: createVoicemailCalls({ directory: new InMemoryMailboxDirectory([{ mailbox: '305' }]), store }),
    });
    await client.connect();
    await app.start();
    const farEnd = await createFarEnd({ url: sim.url, username: 'asterisk', password: 'asterisk', clock: sim.clock });
    try {
      const began = sim.clock.now();
      const finished = await sim.clock.runUntil(async () => {
        const call = await farEnd.call('305');
        await call.waitFor('RecordingStarted');
        await call.tone(3);
        await call.dtmf('#'); // the review follows, then its own timeout saves the message
        return call.waitFor((e) => e.type === 'ChannelDestroyed' && e.channel !== undefined);
      });
      expect(finished.type).toBe('ChannelDestroyed');
      await sim.clock.runUntil(app.idle());
      // The greeting, the beep, the take, the review and its 10 s wait all passed in simulated time.
      expect(sim.clock.now() - began).toBeGreaterThan(13_000);
      const [message] = await store.list({ mailbox: '305', context: 'default' });
      expect(message?.durationSeconds).toBeGreaterThanOrEqual(3);
      expect(message?.folder).toBe('INBOX');
    } finally {
      await farEnd.close();
      await app.stop();
      await client.close();
    }
  });

  it('work that waits for what never happens rejects after limitMs of simulated time, naming it', async () => {
    sim = await createSimulator({ clock: 'manual' });
    const began = sim.clock.now();
    const never = new Promise<never>(() => {});
    await expect(sim.clock.runUntil(never, { limitMs: 5_000, stepMs: 1_000 })).rejects.toThrow(
      /did not settle within 5000 ms of simulated time/,
    );
    expect(sim.clock.now() - began).toBe(5_000);
  });

  it('moves to the next timer, not past it, and passes on the rejection of the work', async () => {
    sim = await createSimulator({ clock: 'manual' });
    const clock = sim.clock;
    const fired: number[] = [];
    const began = clock.now();
    const work = new Promise<void>((_resolve, reject) => {
      clock.setTimeout(() => fired.push(clock.now() - began), 250);
      clock.setTimeout(() => reject(new Error('the far end gave up')), 700);
    });
    await expect(clock.runUntil(work)).rejects.toThrow('the far end gave up');
    expect(fired).toEqual([250]);
    expect(clock.now() - began).toBe(700);
  });

  it('checks its options, and one driver at a time', async () => {
    sim = await createSimulator({ clock: 'manual' });
    await expect(sim.clock.runUntil(Promise.resolve(1), { stepMs: 0 })).rejects.toThrow(/stepMs must be a number > 0/);
    const first = sim.clock.runUntil(() => new Promise((resolve) => sim!.clock.setTimeout(() => resolve('one'), 50)));
    await expect(sim.clock.runUntil(Promise.resolve(2))).rejects.toThrow(/already running/);
    await expect(first).resolves.toBe('one');
  });

  it('on the real clock it just awaits the work', async () => {
    sim = await createSimulator();
    await expect(
      sim.clock.runUntil(() => new Promise((resolve) => setTimeout(() => resolve('done'), 20))),
    ).resolves.toBe('done');
  });
});
