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

describe('FileMessageStore journal', () => {
  const take = (name: string, over: Record<string, unknown> = {}) => ({
    recordingName: `voicemail/default/305/${name}`,
    messageId: name,
    callId: '1795298152.13',
    mailbox: '305',
    context: 'default',
    intent: 'recording' as const,
    urgent: false,
    durationSeconds: null,
    callerId: { number: '201', name: 'Alice' },
    format: 'wav',
    startedAt: '2025-01-02T03:04:05.000Z',
    ...over,
  });

  it('keeps takes and their intent across instances, and forgets them', async () => {
    const store = new FileMessageStore(dir);
    await store.putTake(take('t1'));
    await store.putTake(take('t2'));
    expect(await store.updateTake('voicemail/default/305/t1', { intent: 'keep', urgent: true })).toMatchObject({
      intent: 'keep',
      urgent: true,
    });
    expect(await store.updateTake('voicemail/default/305/none', { intent: 'discard' })).toBeUndefined();
    const again = new FileMessageStore(dir);
    const takes = (await again.takes()).sort((a, b) => a.messageId.localeCompare(b.messageId));
    expect(takes.map((t) => [t.messageId, t.intent, t.urgent])).toEqual([
      ['t1', 'keep', true],
      ['t2', 'recording', false],
    ]);
    await again.forgetTake('voicemail/default/305/t1');
    await again.forgetTake('voicemail/default/305/t1');
    expect((await store.takes()).map((t) => t.messageId)).toEqual(['t2']);
    await expect(store.putTake(take('t3', { intent: 'maybe' }))).rejects.toThrow(/intent/);
  });

  it('saves once: a retried save of the same message makes one message; another recording under the id is refused', async () => {
    const store = new FileMessageStore(dir);
    expect(await store.saveOnce(message('m1'))).toBe('saved');
    expect(await store.saveOnce(message('m1'))).toBe('exists');
    expect(await store.list(box)).toHaveLength(1);
    await expect(store.saveOnce(message('m1', { recordingName: 'voicemail/default/305/other' }))).rejects.toThrow(
      VoicemailInputError,
    );
    expect(await store.messageRecordings()).toEqual(new Set(['voicemail/default/305/m1']));
  });
});

describe('FileMessageStore on a damaged disk', () => {
  it('sets a torn message file aside, reports it, and keeps the rest of the mailbox readable and writable', async () => {
    const problems: unknown[] = [];
    const store = new FileMessageStore(dir, { onProblem: (p) => problems.push(p) });
    await store.save(message('m1'));
    await writeFile(join(dir, 'default', '305', 'm2.json'), '{"id": "m2", "mailbox": "30');
    expect((await store.list(box)).map((m) => m.id)).toEqual(['m1']);
    expect(await store.count(box)).toMatchObject({ INBOX: 1 });
    await store.save(message('m3'));
    expect((await store.list(box)).map((m) => m.id)).toEqual(['m1', 'm3']);
    expect(problems).toEqual([expect.objectContaining({ kind: 'torn', path: join(dir, 'default', '305', 'm2.json') })]);
    const files = await readdir(join(dir, 'default', '305'));
    expect(files.filter((f) => f.startsWith('.torn-m2.json-'))).toHaveLength(1);
  });

  it('removes the temp files of writes a crash interrupted, on the next write', async () => {
    const first = new FileMessageStore(dir);
    await first.save(message('m1'));
    const leftover = join(dir, 'default', '305', '.m2.0000.tmp');
    await writeFile(leftover, '{"id": "m2"');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const problems: unknown[] = [];
    const next = new FileMessageStore(dir, { onProblem: (p) => problems.push(p) });
    await next.save(message('m3'));
    expect((await readdir(join(dir, 'default', '305'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(problems).toEqual([{ kind: 'temp-removed', path: leftover }]);
  });
});

describe("FileMessageStore: a mailbox named '305', '305@context' or { mailbox, context }", () => {
  it('list, get, count, move, update and delete take the string forms; a bare 305 is context default', async () => {
    const store = new FileMessageStore(dir);
    await store.save(message('m1'));
    await store.save(message('m2', { receivedAt: '2025-01-02T03:06:00.000Z' }));
    await store.save(message('s1', { context: 'sales', recordingName: 'voicemail/sales/305/s1' }));

    expect((await store.list('305')).map((m) => m.id)).toEqual(['m1', 'm2']);
    expect((await store.list('305@default', 'INBOX')).map((m) => m.id)).toEqual(['m1', 'm2']);
    expect((await store.list('305@sales')).map((m) => m.id)).toEqual(['s1']);
    expect((await store.get('305@default', 'm2'))?.receivedAt).toBe('2025-01-02T03:06:00.000Z');
    expect(await store.get('305', 's1')).toBeUndefined(); // another context's message
    expect((await store.count('305')).INBOX).toBe(2);

    expect((await store.move('305', 'm1', 'Old')).folder).toBe('Old');
    expect(await store.count('305@default')).toMatchObject({ INBOX: 1, Old: 1 });
    expect((await store.update('305@default', 'm2', { urgent: true })).urgent).toBe(true);
    await store.delete('305', 'm1');
    expect((await store.list(box)).map((m) => m.id)).toEqual(['m2']);
    await expect(store.delete('305@default', 'm1')).rejects.toBeInstanceOf(MessageNotFoundError);
    await expect(store.move('305@sales', 'm2', 'Old')).rejects.toThrow('no message m2 in mailbox 305@sales');
  });

  it('names the malformed part of a mailbox address', async () => {
    const store = new FileMessageStore(dir);
    await expect(store.list('305@')).rejects.toThrow(VoicemailInputError);
    await expect(store.list('305@')).rejects.toThrow(/context/);
    await expect(store.list('../305')).rejects.toThrow(/mailbox/);
    await expect(store.count('305@sa/les')).rejects.toThrow(/context/);
    await expect(store.get({ mailbox: '305' } as never, 'm1')).rejects.toThrow(/context/);
    await expect(store.list(305 as never)).rejects.toThrow(/mailbox/);
  });
});
