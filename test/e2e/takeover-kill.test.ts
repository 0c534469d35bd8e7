// The takeover with real processes: instance A (the dialplan's `vm-record`) and B (`vm-b`) run as child processes
// on one Asterisk and one PostgreSQL schema; A is killed with SIGKILL while the caller is recorded, and B carries
// the call on: the message is kept once, the lamp lit, the caller sent on. On the simulator (real clock) or the
// real Asterisk of ARI_URL. Needs DATABASE_URL (else one skipped: line).
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAriClient } from '../../src/ari/client.js';
import { createFarEnd, createSimulator } from '../../src/simulator/index.js';
import { type Child, run } from '../examples/child.js';
import { postgresUrl } from '../helpers/missing.js';
import { dropSchema, freshSchema } from '../helpers/postgres.js';

const url = postgresUrl('a call taken over after its instance was killed (kill -9)');
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });
const TTL = 1000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe.skipIf(!url)('an instance killed mid-recording', () => {
  it('B takes the call over: one message, the lamp lit, the caller sent on', async () => {
    const sim = process.env.ARI_URL ? undefined : await createSimulator();
    if (sim) cleanups.push(() => sim.close());
    const target = sim
      ? { url: sim.url, username: sim.username, password: sim.password }
      : { url: process.env.ARI_URL!, username: process.env.ARI_USERNAME!, password: process.env.ARI_PASSWORD! };
    const schema = freshSchema();
    cleanups.push(() => dropSchema(url!, schema));
    const instance = (app: string): Child => {
      const child = run(process.execPath, ['--import', 'tsx', 'test/e2e/cluster-instance.ts'], {
        APP: app,
        ARI_URL: target.url,
        ARI_USERNAME: target.username,
        ARI_PASSWORD: target.password,
        DATABASE_URL: url!,
        SCHEMA: schema,
        SCOPE: 'asterisk-1',
        TTL_MS: String(TTL),
        BEAT_MS: '200',
      });
      cleanups.push(async () => {
        child.proc.kill('SIGKILL');
        await child.exited;
      });
      return child;
    };
    const a = instance('vm-record');
    await a.line(/^ready$/);
    const b = instance('vm-b');
    await b.line(/^ready$/);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    cleanups.push(() => db.end());
    const farEnd = await createFarEnd({ ...target, timeoutMs: 60_000 });
    cleanups.push(() => farEnd.close());

    const call = await farEnd.call('305');
    // A writes the take down just before its record request: the caller is being recorded.
    const takes = async () =>
      (await db.query<{ name: string }>(`SELECT recording_name AS name FROM "${schema}".takes`)).rows;
    const deadline = Date.now() + 60_000;
    while ((await takes()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const [take] = await takes();
    expect(take).toBeDefined();
    // The caller speaks into the take (its beep comes first).
    await new Promise((r) => setTimeout(r, 500));
    await call.tone(2);

    a.proc.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await a.exited).toBe('SIGKILL');
    const claim = await b.line(new RegExp(`^takeover .*${call.calleeId.replace('.', '\\.')}@2`), 10_000);
    expect(claim).toBeDefined();
    expect(Date.now() - killedAt).toBeLessThan(TTL + 1000);
    await b.line(new RegExp(`^saved ${call.calleeId.replace('.', '\\.')}$`), 30_000);
    await call.waitFor((e) => e.type === 'ChannelDestroyed', 30_000);

    const messages = await db.query(`SELECT data FROM "${schema}".messages WHERE recording_name = $1`, [take!.name]);
    expect(messages.rows).toHaveLength(1);
    expect(await takes()).toEqual([]);
    const client = createAriClient(target);
    cleanups.push(() => client.close());
    if (!sim) cleanups.push(() => client.recordings.deleteStored({ recordingName: take!.name }));
    const lamp = await client.mailboxes.get({ mailboxName: '305@default' });
    expect([lamp.new_messages, lamp.old_messages]).toEqual([1, 0]);
    expect(b.lines.filter((l) => l.startsWith('saved '))).toHaveLength(1);
  });
});
