import { afterEach, describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

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
