// publishMwi against the ARI simulator: the lamp ends equal to the store even when two changes of one mailbox are
// published at once and the first request is slow to arrive (separate connections, so no order between them).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type AriClient, createAriClient, FileMessageStore, publishMwi } from '../../src/index.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

let dir: string;
let sim: Simulator;
let client: AriClient;
let store: FileMessageStore;
const BOX = { mailbox: '305', context: 'default' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vm-mwi-'));
  sim = await createSimulator({ clock: 'manual' });
  client = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['mwi'] });
  store = new FileMessageStore(dir);
});
afterEach(async () => {
  await client.close?.();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const save = (id: string, mailbox = '305') =>
  store.save({
    id,
    mailbox,
    context: 'default',
    folder: 'INBOX',
    callerId: { number: '5551234', name: '' },
    receivedAt: new Date(0).toISOString(),
    durationSeconds: 2,
    urgent: false,
    recordingName: `voicemail/default/${mailbox}/${id}`,
    format: 'wav',
  });

const lamp = (name: string) => sim.mailboxes().find((m) => m.name === name);

it('a slow publish is not overtaken: the counts read later land later, the lamp equals the store', async () => {
  await save('m1');
  sim.faults.delayRequests({ method: 'PUT', path: '/mailboxes/**', ms: 5000, count: 1 });
  const first = publishMwi(client, store, BOX);
  await expect.poll(() => sim.counts().timers).toBeGreaterThanOrEqual(1);
  await save('m2');
  const second = publishMwi(client, store, BOX);
  // Another mailbox is not held behind 305's slow request.
  await save('x1', '306');
  expect(await publishMwi(client, store, { mailbox: '306', context: 'default' })).toEqual({
    newMessages: 1,
    oldMessages: 0,
  });
  expect(lamp('305@default')).toBeUndefined();
  sim.clock.advance(5000);
  expect(await first).toEqual({ newMessages: 1, oldMessages: 0 });
  expect(await second).toEqual({ newMessages: 2, oldMessages: 0 });
  expect(lamp('305@default')).toEqual({ name: '305@default', new_messages: 2, old_messages: 0 });
});

it('a failed publish is reported to its caller and does not stop the next one', async () => {
  await save('m1');
  sim.faults.failRequests({ method: 'PUT', path: '/mailboxes/**', status: 500, count: 1 });
  const failed = publishMwi(client, store, BOX);
  const next = publishMwi(client, store, BOX);
  await expect(failed).rejects.toMatchObject({ status: 500 });
  expect(await next).toEqual({ newMessages: 1, oldMessages: 0 });
  expect(lamp('305@default')).toEqual({ name: '305@default', new_messages: 1, old_messages: 0 });
});
