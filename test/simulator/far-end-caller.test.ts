import { afterEach, describe, expect, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import type { StasisStart } from '../../src/ari/events.js';
import { createFarEnd, createSimulator, type FarEnd, type Simulator } from '../../src/simulator/index.js';

describe('the far end', () => {
  let sim: Simulator | undefined;
  let farEnd: FarEnd | undefined;
  let app: AriClient | undefined;
  afterEach(async () => {
    await farEnd?.close();
    await app?.close();
    await sim?.close();
  });

  it('calls with the caller id the callee then sees on its channel', async () => {
    sim = await createSimulator({ clock: 'manual' });
    const target = { url: sim.url, username: sim.username, password: sim.password };
    app = createAriClient({ ...target, apps: 'vm-record' });
    const started = new Promise<StasisStart>((resolve) =>
      app?.onEvent((e) => {
        if (e.type !== 'StasisStart') return;
        resolve(e);
        void app?.channels.answer({ channelId: e.channel.id });
      }),
    );
    await app.connect();
    farEnd = await createFarEnd(target);
    const call = await farEnd.call('305', 'default', { callerId: '"Alice" <2001>' });
    const start = await started;
    expect(start.channel.id).toBe(call.calleeId);
    expect(start.channel.caller).toEqual({ name: 'Alice', number: '2001' });
    await call.hangup();
  });
});
