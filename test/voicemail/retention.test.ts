// Retention on a simulated clock: messages past their mailbox's age limit go to the trash, the trash is purged after
// its retention (audio first, then the record), MWI follows on the ARI simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  type AriClient,
  createAriClient,
  FileMessageStore,
  FileMessageTrash,
  InMemoryMailboxDirectory,
  type RetentionReport,
  startRetentionSweep,
  sweepRetention,
  type VoicemailMessage,
} from '../../src/index.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

const DAY = 24 * 3600_000;
const t0 = Date.parse('2026-03-01T00:00:00Z');
let dir: string;
let sim: Simulator;
let client: AriClient;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vm-retention-'));
  sim = await createSimulator();
  client = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['ret'] });
});
afterEach(async () => {
  await client.close?.();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const message = (mailbox: string, id: string, ageDays: number, folder: VoicemailMessage['folder'] = 'INBOX') => ({
  id,
  mailbox,
  context: 'default',
  folder,
  callerId: { number: '5551234', name: '' },
  receivedAt: new Date(t0 - ageDays * DAY).toISOString(),
  durationSeconds: 4,
  urgent: false,
  recordingName: `voicemail/default/${mailbox}/${id}`,
  format: 'wav',
});

it('expires messages past the age limit into the trash, purges the trash after its retention, updates MWI', async () => {
  const store = new FileMessageStore(join(dir, 'store'));
  const trash = new FileMessageTrash(join(dir, 'trash'));
  const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }, { mailbox: '320' }]);
  for (const m of [
    message('305', 'old1', 31),
    message('305', 'old2', 40, 'Work'),
    message('305', 'young', 29),
    message('320', 'kept', 400),
  ])
    await store.save(m);
  let now = t0;
  const audioDeleted: string[] = [];
  const options = {
    directory,
    store,
    trash,
    client,
    maxMessageAgeMs: (box: { mailbox: string }) => (box.mailbox === '305' ? 30 * DAY : undefined),
    trashKeepMs: 7 * DAY,
    deleteAudio: async (m: VoicemailMessage) => {
      audioDeleted.push(m.id);
    },
    now: () => new Date(now),
  };
  const first = await sweepRetention(options);
  expect(first.expired.map((m) => m.id).sort()).toEqual(['old1', 'old2']);
  expect(first.purged).toEqual([]);
  expect((await store.list({ mailbox: '305', context: 'default' })).map((m) => m.id)).toEqual(['young']);
  expect((await store.list({ mailbox: '320', context: 'default' })).map((m) => m.id)).toEqual(['kept']);
  expect((await trash.list({ mailbox: '305', context: 'default' })).map((m) => m.id).sort()).toEqual(['old1', 'old2']);
  expect(audioDeleted).toEqual([]);
  const box = await client.mailboxes.get({ mailboxName: '305@default' });
  expect([box.new_messages, box.old_messages]).toEqual([1, 0]);

  now += 7 * DAY - 1; // 'young' is now past 30 days; the others not yet a week in the trash
  const middle = await sweepRetention(options);
  expect(middle.purged).toEqual([]);
  expect(middle.expired.map((m) => m.id)).toEqual(['young']);
  now += 1; // a week in the trash
  const later = await sweepRetention(options);
  expect(later.purged.map((m) => m.id).sort()).toEqual(['old1', 'old2']);
  expect(later.expired).toEqual([]);
  expect(audioDeleted.sort()).toEqual(['old1', 'old2']);
  expect(await trash.list({ mailbox: '305', context: 'default' })).toHaveLength(1);
});

it('without a trash removes the audio first; a failure leaves the message for the next sweep', async () => {
  const store = new FileMessageStore(join(dir, 'store'));
  const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }]);
  await store.save(message('305', 'old', 10));
  let fail = true;
  const errors: unknown[] = [];
  const options = {
    directory,
    store,
    maxMessageAgeMs: () => DAY,
    deleteAudio: async () => {
      if (fail) throw new Error('Asterisk is away');
    },
    now: () => new Date(t0),
    onError: (error: unknown) => errors.push(error),
  };
  expect((await sweepRetention(options)).expired).toEqual([]);
  expect(errors).toHaveLength(1);
  expect(await store.list({ mailbox: '305', context: 'default' })).toHaveLength(1);
  fail = false;
  expect((await sweepRetention(options)).expired.map((m) => m.id)).toEqual(['old']);
  expect(await store.list({ mailbox: '305', context: 'default' })).toEqual([]);
  await expect(sweepRetention({ ...options, deleteAudio: undefined as never })).rejects.toThrow(/deleteAudio/);
});

it('sweeps periodically on its clock', async () => {
  const store = new FileMessageStore(join(dir, 'store'));
  const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }]);
  let now = t0;
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const reports: RetentionReport[] = [];
  const sweeper = startRetentionSweep({
    directory,
    store,
    maxMessageAgeMs: () => DAY,
    deleteAudio: async () => {},
    now: () => new Date(now),
    intervalMs: 3600_000,
    clock: { setTimeout: (fn, ms) => timers.push({ fn, ms }), clearTimeout: () => {} },
    onSweep: (report) => reports.push(report),
  });
  await expect.poll(() => reports.length).toBe(1);
  await expect.poll(() => timers.length).toBe(1);
  expect(timers[0]!.ms).toBe(3600_000);
  await store.save(message('305', 'm', 0));
  now += DAY;
  timers.shift()!.fn();
  await expect.poll(() => reports.length).toBe(2);
  expect(reports[1]!.expired.map((m) => m.id)).toEqual(['m']);
  sweeper.stop();
});
