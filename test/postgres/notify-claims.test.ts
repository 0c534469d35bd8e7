import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier, WEBHOOK_DELIVERY_HEADER } from '../../src/voicemail/notify.js';
import { notificationJobId } from '../../src/voicemail/notify-jobs.js';
import { postgresUrl } from '../helpers/missing.js';
import { postgresBackend } from '../helpers/postgres.js';
import { box, message } from '../helpers/store-contract.js';

const url = postgresUrl('notification jobs shared on PostgreSQL');

/** A webhook receiver on loopback that counts the deliveries it gets, by the delivery header. */
async function webhookReceiver() {
  const deliveries: string[] = [];
  const server: Server = createServer(async (req, res) => {
    for await (const _ of req);
    deliveries.push(String(req.headers[WEBHOOK_DELIVERY_HEADER]));
    // A little slow, as a real receiver is: both instances are at work while each delivery goes on.
    setTimeout(() => res.writeHead(204).end(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(!url)('notification jobs on one PostgreSQL shared by several instances', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const backend = postgresBackend(url!);
    cleanups.push(() => backend.done());
    const hook = await webhookReceiver();
    cleanups.push(() => hook.close());
    const notifier = (): Notifier => {
      const store = backend.open();
      const n = createNotifier({
        store,
        targets: () => ({ webhook: { url: hook.url, secret: 's3cret' } }),
        retry: { baseMs: 20, jitter: 0 },
      });
      cleanups.push(() => n.stop());
      return n;
    };
    return { backend, hook, notifier };
  }

  it('two instances, 20 messages each instance enqueues: every webhook delivered exactly once', async () => {
    const { backend, hook, notifier } = await setUp();
    const store = backend.open();
    const messages = Array.from({ length: 20 }, (_, n) => message(`m${n}`));
    for (const m of messages) await store.save(m);
    const [a, b] = [notifier(), notifier()];
    // Both are told of every message (as instances sharing the store's change notifications would be).
    for (const m of messages) await Promise.all([a.enqueue(m), b.enqueue(m)]);
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.idle(), b.idle()]);
    const ids = messages.map((m) => notificationJobId('webhook', box, m.id));
    expect([...hook.deliveries].sort()).toEqual([...ids].sort());
    expect((await store.jobs()).map((j) => j.state)).toEqual(Array(20).fill('sent'));
  });

  it('a job claimed by a worker that died is left alone while its lease runs, then sent by another', async () => {
    const { backend, hook, notifier } = await setUp();
    const store = backend.open();
    const m = message('m1');
    await store.save(m);
    const n = notifier();
    const [job] = await n.enqueue(m);
    // The dead worker claimed it for 1.5 s, and never said how its attempt went.
    const claimedAt = Date.now();
    expect(await store.claimJob(job!.id, { worker: 'dead', leaseMs: 1500, now: new Date() })).toMatchObject({
      id: job!.id,
    });
    expect(await store.claimJob(job!.id, { worker: 'other', leaseMs: 1500, now: new Date() })).toBeUndefined();
    await n.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(hook.deliveries).toEqual([]);
    await n.idle();
    expect(hook.deliveries).toEqual([job!.id]);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(1500);
    expect(await store.getJob(job!.id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('a job put off after a failed attempt is not claimed before it is due again', async () => {
    const { backend, notifier } = await setUp();
    const store = backend.open();
    const m = message('m2');
    await store.save(m);
    const [job] = await notifier().enqueue(m);
    const later = new Date(Date.now() + 60_000).toISOString();
    await store.updateJob(job!.id, { attempts: 1, dueAt: later });
    expect(await store.claimJob(job!.id, { worker: 'w', leaseMs: 1000, now: new Date() })).toBeUndefined();
    expect(await store.claimJob(job!.id, { worker: 'w', leaseMs: 1000, now: new Date(later) })).toMatchObject({
      attempts: 1,
    });
  });
});
