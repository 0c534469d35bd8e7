import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VoicemailInputError } from '../../src/voicemail/ids.js';
import {
  FileMessageStore,
  MailboxFullError,
  MessageNotFoundError,
  type VoicemailMessage,
} from '../../src/voicemail/store.js';

const box = { mailbox: '305', context: 'default' };
const message = (id: string, over: Partial<VoicemailMessage> = {}): VoicemailMessage => ({
  id,
  mailbox: '305',
  context: 'default',
  folder: 'INBOX',
  callerId: { number: '201', name: 'Alice' },
  receivedAt: '2025-01-02T03:04:05.000Z',
  durationSeconds: 7,
  urgent: false,
  recordingName: `voicemail/default/305/${id}`,
  format: 'wav',
  ...over,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vm-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileMessageStore', () => {
  it('keeps messages with their metadata, per folder, across instances', async () => {
    const store = new FileMessageStore(dir);
    await store.save(message('m1'));
    await store.save(message('m2', { folder: 'Urgent', urgent: true, receivedAt: '2025-01-02T03:05:00.000Z' }));
    const again = new FileMessageStore(dir);
    expect(await again.get(box, 'm1')).toEqual(message('m1'));
    expect((await again.list(box)).map((m) => m.id)).toEqual(['m1', 'm2']);
    expect((await again.list(box, 'Urgent')).map((m) => m.id)).toEqual(['m2']);
    expect(await again.count(box)).toMatchObject({ INBOX: 1, Urgent: 1, Old: 0 });
    expect(await again.count({ mailbox: '306', context: 'default' })).toMatchObject({ INBOX: 0, Old: 0 });
  });

  it('moves between folders and deletes; unknown messages are a clear error', async () => {
    const store = new FileMessageStore(dir);
    await store.save(message('m1'));
    expect(await store.move(box, 'm1', 'Old')).toMatchObject({ id: 'm1', folder: 'Old' });
    expect(await store.count(box)).toMatchObject({ INBOX: 0, Old: 1 });
    await store.delete(box, 'm1');
    expect(await store.list(box)).toEqual([]);
    await expect(store.delete(box, 'm1')).rejects.toBeInstanceOf(MessageNotFoundError);
    await expect(store.move(box, 'nope', 'Old')).rejects.toBeInstanceOf(MessageNotFoundError);
    await expect(store.move(box, 'm1', 'Trash' as never)).rejects.toBeInstanceOf(VoicemailInputError);
  });

  it('refuses a second message with the same id, and malformed messages', async () => {
    const store = new FileMessageStore(dir);
    await store.save(message('m1'));
    await expect(store.save(message('m1'))).rejects.toThrow(/already used/);
    await expect(store.save(message('m2', { durationSeconds: -1 }))).rejects.toBeInstanceOf(VoicemailInputError);
    await expect(store.save(message('m3', { receivedAt: 'yesterday' }))).rejects.toBeInstanceOf(VoicemailInputError);
    await expect(store.save(message('m4', { recordingName: 'voicemail/../etc' }))).rejects.toBeInstanceOf(
      VoicemailInputError,
    );
    expect((await store.list(box)).map((m) => m.id)).toEqual(['m1']);
  });

  it.each(['..', '../306', '305/../../etc', '', '.hidden', 'a b', '305\0'])(
    'never lets the mailbox or message id %j escape its directory',
    async (bad) => {
      const store = new FileMessageStore(dir);
      await expect(store.save(message('m1', { mailbox: bad }))).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.save(message(bad))).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.list({ mailbox: bad, context: 'default' })).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.get(box, bad)).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.list({ mailbox: '305', context: bad })).rejects.toBeInstanceOf(VoicemailInputError);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it('a crash between the temp write and the rename leaves no message, partial or whole', async () => {
    const crashing = new FileMessageStore(dir, {
      beforeRename: async () => {
        throw new Error('crash');
      },
    });
    await expect(crashing.save(message('m1'))).rejects.toThrow('crash');
    const store = new FileMessageStore(dir);
    expect(await store.list(box)).toEqual([]);
    // A process killed there leaves its temp file behind: it is never read as a message.
    await writeFile(join(dir, 'default', '305', '.m2.dead.tmp'), '{"id":"m2","mail');
    expect(await store.list(box)).toEqual([]);
    await store.save(message('m2'));
    expect((await store.list(box)).map((m) => m.id)).toEqual(['m2']);
  });

  it('a crash while moving keeps the message whole in its old folder', async () => {
    let crash = false;
    const store = new FileMessageStore(dir, {
      beforeRename: async () => {
        if (crash) throw new Error('crash');
      },
    });
    await store.save(message('m1'));
    crash = true;
    await expect(store.move(box, 'm1', 'Old')).rejects.toThrow('crash');
    expect(await new FileMessageStore(dir).get(box, 'm1')).toEqual(message('m1'));
    expect((await readdir(join(dir, 'default', '305'))).sort()).toEqual(['m1.json']);
  });

  it('concurrent saves never exceed maxMessages and never lose or mix a message', async () => {
    const store = new FileMessageStore(dir);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.save(message(`m${i}`, { durationSeconds: i }), { maxMessages: 5 })),
    );
    const saved = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof MailboxFullError).length;
    expect([saved, refused]).toEqual([5, 15]);
    const kept = await store.list(box);
    expect(kept).toHaveLength(5);
    for (const m of kept) expect(m).toEqual(message(m.id, { durationSeconds: Number(m.id.slice(1)) }));
  });

  it('concurrent saves to different mailboxes and moves all land', async () => {
    const store = new FileMessageStore(dir);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.save(message(`m${i}`, { mailbox: String(300 + (i % 2)) }))),
    );
    const a = { mailbox: '300', context: 'default' };
    await Promise.all((await store.list(a)).map((m) => store.move(a, m.id, 'Old')));
    expect(await store.count(a)).toMatchObject({ INBOX: 0, Old: 5 });
    expect(await store.count({ mailbox: '301', context: 'default' })).toMatchObject({ INBOX: 5, Old: 0 });
  });
});
