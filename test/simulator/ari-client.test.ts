import client from 'ari-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

// ari-client reads Swagger at connect: the simulator serves /ari/api-docs built from our own operation table.
describe('ari-client 2.2.0 against the simulator', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('connects, reads the api-docs and makes REST calls', async () => {
    sim = await createSimulator();
    const ari = await client.connect(sim.url, 'asterisk', 'asterisk');
    expect(await ari.channels.list()).toEqual([]);
    const info = await ari.asterisk.getInfo();
    expect(info.system?.version).toBe('22.10.1');
    await expect(ari.channels.get({ channelId: 'nope' })).rejects.toThrow(/Channel not found/);
  });

  it('answers an unknown api-docs document with 404', async () => {
    sim = await createSimulator();
    const auth = `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}`;
    const res = await fetch(`${sim.url}/ari/api-docs/nothing.json`, { headers: { authorization: auth } });
    expect(res.status).toBe(404);
    const listing = await fetch(`${sim.url}/ari/api-docs/resources.json`, { headers: { authorization: auth } });
    expect(((await listing.json()) as { apis: unknown[] }).apis).toHaveLength(11);
  });
});
