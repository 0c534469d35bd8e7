// The contract every message store keeps (messages, the voicemail journal, the notification jobs), as one suite that
// runs over each store: test/voicemail/store.test.ts for the file store, test/postgres/store.test.ts for PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MailboxRef, VoicemailInputError } from '../../src/voicemail/ids.js';
import type { TakeEntry, VoicemailJournal } from '../../src/voicemail/journal.js';
import { type NotificationJob, type NotificationJobStore, notificationJobId } from '../../src/voicemail/notify-jobs.js';
import {
  type Folder,
  type FolderCounts,
  MailboxFullError,
  type MessageChange,
  MessageNotFoundError,
  type MessageStore,
  type VoicemailMessage,
} from '../../src/voicemail/store.js';

/** A store with everything the library asks of one (`update` included), naming mailboxes in any form. */
export interface FullStore extends VoicemailJournal, NotificationJobStore {
  save: MessageStore['save'];
  get(ref: MailboxRef, id: string): Promise<VoicemailMessage | undefined>;
  list(ref: MailboxRef, folder?: Folder): Promise<VoicemailMessage[]>;
  count(ref: MailboxRef): Promise<FolderCounts>;
  move(ref: MailboxRef, id: string, folder: Folder): Promise<VoicemailMessage>;
  delete(ref: MailboxRef, id: string): Promise<void>;
  update(ref: MailboxRef, id: string, change: MessageChange): Promise<VoicemailMessage>;
}

/** One empty backend for one test: `open()` makes another instance on it (as a restarted process would). */
export interface StoreBackend<S extends FullStore = FullStore> {
  open(): S;
  /** Removes the backend and closes every instance `open()` made. */
  done(): Promise<void>;
}

export const box = { mailbox: '305', context: 'default' };

export const message = (id: string, over: Partial<VoicemailMessage> = {}): VoicemailMessage => ({
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

export const take = (name: string, over: Partial<TakeEntry> = {}): TakeEntry => ({
  recordingName: `voicemail/default/305/${name}`,
  messageId: name,
  callId: '1795298152.13',
  mailbox: '305',
  context: 'default',
  intent: 'recording',
  urgent: false,
  durationSeconds: null,
  callerId: { number: '201', name: 'Alice' },
  format: 'wav',
  startedAt: '2025-01-02T03:04:05.000Z',
  ...over,
});

const job = (messageId: string, over: Partial<NotificationJob> = {}): NotificationJob => ({
  id: notificationJobId('email', box, messageId),
  kind: 'email',
  mailbox: '305',
  context: 'default',
  messageId,
  state: 'pending',
  attempts: 0,
  createdAt: '2025-01-02T03:04:05.000Z',
  dueAt: '2025-01-02T03:04:05.000Z',
  ...over,
});

/** Runs the message store contract over the stores `setup` makes (a new, empty backend for each test). */
export function storeContract<S extends FullStore>(name: string, setup: () => Promise<StoreBackend<S>>): void {
  let backend: StoreBackend<S>;
  let store: S;
  beforeEach(async () => {
    backend = await setup();
    store = backend.open();
  });
  afterEach(async () => {
    await backend.done();
  });

  describe(`${name}: messages`, () => {
    it('keeps messages with their metadata, per folder, across instances', async () => {
      await store.save(message('m1'));
      await store.save(message('m2', { folder: 'Urgent', urgent: true, receivedAt: '2025-01-02T03:05:00.000Z' }));
      const again = backend.open();
      expect(await again.get(box, 'm1')).toEqual(message('m1'));
      expect(await again.get(box, 'm9')).toBeUndefined();
      expect((await again.list(box)).map((m) => m.id)).toEqual(['m1', 'm2']);
      expect((await again.list(box, 'Urgent')).map((m) => m.id)).toEqual(['m2']);
      expect(await again.count(box)).toEqual({ INBOX: 1, Old: 0, Urgent: 1, Work: 0, Family: 0, Friends: 0 });
      expect(await again.count({ mailbox: '306', context: 'default' })).toMatchObject({ INBOX: 0, Old: 0 });
    });

    it('lists oldest first, then by id', async () => {
      await store.save(message('c', { receivedAt: '2025-01-02T03:04:07.000Z' }));
      await store.save(message('b', { receivedAt: '2025-01-02T03:04:05.000Z' }));
      await store.save(message('a', { receivedAt: '2025-01-02T03:04:06.000Z' }));
      await store.save(message('a2', { receivedAt: '2025-01-02T03:04:05.000Z' }));
      expect((await store.list(box)).map((m) => m.id)).toEqual(['a2', 'b', 'a', 'c']);
    });

    it('keeps a duration of null, fractions, and names in any script', async () => {
      const odd = message('m1', { durationSeconds: null, callerId: { number: '', name: 'Zoë «Ω» 李' } });
      await store.save(odd);
      await store.save(message('m2', { durationSeconds: 12.375 }));
      expect(await backend.open().get(box, 'm1')).toEqual(odd);
      expect((await store.get(box, 'm2'))?.durationSeconds).toBe(12.375);
    });

    it('moves between folders and deletes; unknown messages are a clear error', async () => {
      await store.save(message('m1'));
      expect(await store.move(box, 'm1', 'Old')).toEqual(message('m1', { folder: 'Old' }));
      expect(await store.get(box, 'm1')).toEqual(message('m1', { folder: 'Old' }));
      expect(await store.count(box)).toMatchObject({ INBOX: 0, Old: 1 });
      await store.delete(box, 'm1');
      expect(await store.list(box)).toEqual([]);
      await expect(store.delete(box, 'm1')).rejects.toBeInstanceOf(MessageNotFoundError);
      await expect(store.move(box, 'nope', 'Old')).rejects.toBeInstanceOf(MessageNotFoundError);
      await expect(store.move(box, 'm1', 'Trash' as never)).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.update(box, 'nope', { urgent: true })).rejects.toBeInstanceOf(MessageNotFoundError);
    });

    it('updates the urgent flag and the transcription, keeping the rest', async () => {
      await store.save(message('m1'));
      expect(await store.update(box, 'm1', { urgent: true })).toEqual(message('m1', { urgent: true }));
      const updated = await store.update(box, 'm1', { transcription: 'call me back' });
      expect(updated).toEqual(message('m1', { urgent: true, transcription: 'call me back' }));
      expect(await backend.open().get(box, 'm1')).toEqual(updated);
      await expect(store.update(box, 'm1', { urgent: 'yes' as never })).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.update(box, 'm1', { transcription: 5 as never })).rejects.toBeInstanceOf(VoicemailInputError);
    });

    it('refuses a second message with the same id, and malformed messages', async () => {
      await store.save(message('m1'));
      await expect(store.save(message('m1'))).rejects.toThrow(/already used/);
      await expect(store.save(message('m2', { durationSeconds: -1 }))).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.save(message('m3', { receivedAt: 'yesterday' }))).rejects.toBeInstanceOf(VoicemailInputError);
      await expect(store.save(message('m4', { recordingName: 'voicemail/../etc' }))).rejects.toBeInstanceOf(
        VoicemailInputError,
      );
      await expect(store.save(message('m5', { folder: 'Trash' as never }))).rejects.toBeInstanceOf(VoicemailInputError);
      expect((await store.list(box)).map((m) => m.id)).toEqual(['m1']);
    });

    it.each(['..', '../306', '305/../../etc', '', '.hidden', 'a b', '305\0'])(
      'refuses the mailbox or message id %j everywhere',
      async (bad) => {
        await expect(store.save(message('m1', { mailbox: bad }))).rejects.toBeInstanceOf(VoicemailInputError);
        await expect(store.save(message(bad))).rejects.toBeInstanceOf(VoicemailInputError);
        await expect(store.list({ mailbox: bad, context: 'default' })).rejects.toBeInstanceOf(VoicemailInputError);
        await expect(store.get(box, bad)).rejects.toBeInstanceOf(VoicemailInputError);
        await expect(store.list({ mailbox: '305', context: bad })).rejects.toBeInstanceOf(VoicemailInputError);
        await expect(store.delete(box, bad)).rejects.toBeInstanceOf(VoicemailInputError);
        expect(await store.messageRecordings()).toEqual(new Set());
      },
    );

    it('enforces maxMessages over INBOX, Urgent and Old together; other folders do not count', async () => {
      await store.save(message('m1'), { maxMessages: 3 });
      await store.save(message('m2', { folder: 'Urgent', urgent: true }), { maxMessages: 3 });
      await store.save(message('m3'), { maxMessages: 3 });
      await store.move(box, 'm3', 'Old');
      const full = await store.save(message('m4'), { maxMessages: 3 }).catch((e: unknown) => e);
      expect(full).toBeInstanceOf(MailboxFullError);
      expect(full).toMatchObject({ code: 'VOICEMAIL_MAILBOX_FULL', maxMessages: 3, address: box });
      await store.move(box, 'm3', 'Work');
      await store.save(message('m4'), { maxMessages: 3 });
      expect(await store.count(box)).toMatchObject({ INBOX: 2, Urgent: 1, Old: 0, Work: 1 });
      // Another mailbox, and the same number in another context, have their own limit.
      await store.save(message('x1', { mailbox: '306' }), { maxMessages: 1 });
      await store.save(message('s1', { context: 'sales' }), { maxMessages: 1 });
    });

    it('concurrent saves never exceed maxMessages and never lose or mix a message', async () => {
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
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.save(message(`m${i}`, { mailbox: String(300 + (i % 2)) }))),
      );
      const a = { mailbox: '300', context: 'default' };
      await Promise.all((await store.list(a)).map((m) => store.move(a, m.id, 'Old')));
      expect(await store.count(a)).toMatchObject({ INBOX: 0, Old: 5 });
      expect(await store.count({ mailbox: '301', context: 'default' })).toMatchObject({ INBOX: 5, Old: 0 });
    });

    it("takes '305', '305@context' or { mailbox, context }; a bare 305 is context default", async () => {
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
      await expect(store.list('305@')).rejects.toThrow(VoicemailInputError);
      await expect(store.list('305@')).rejects.toThrow(/context/);
      await expect(store.list('../305')).rejects.toThrow(/mailbox/);
      await expect(store.count('305@sa/les')).rejects.toThrow(/context/);
      await expect(store.get({ mailbox: '305' } as never, 'm1')).rejects.toThrow(/context/);
      await expect(store.list(305 as never)).rejects.toThrow(/mailbox/);
    });
  });

  describe(`${name}: the journal`, () => {
    it('keeps takes and their intent across instances, and forgets them', async () => {
      await store.putTake(take('t1'));
      await store.putTake(take('t2'));
      expect(await store.updateTake('voicemail/default/305/t1', { intent: 'keep', urgent: true })).toEqual(
        take('t1', { intent: 'keep', urgent: true }),
      );
      expect(await store.updateTake('voicemail/default/305/none', { intent: 'discard' })).toBeUndefined();
      const again = backend.open();
      const takes = (await again.takes()).sort((a, b) => a.messageId.localeCompare(b.messageId));
      expect(takes).toEqual([take('t1', { intent: 'keep', urgent: true }), take('t2')]);
      await again.forgetTake('voicemail/default/305/t1');
      await again.forgetTake('voicemail/default/305/t1');
      expect((await store.takes()).map((t) => t.messageId)).toEqual(['t2']);
      await expect(store.putTake(take('t3', { intent: 'maybe' as never }))).rejects.toThrow(/intent/);
      await expect(store.updateTake('voicemail/default/305/t2', { intent: 'maybe' as never })).rejects.toThrow(
        /intent/,
      );
      expect(await store.takes()).toEqual([take('t2')]);
    });

    it('replaces a take written again under its name', async () => {
      await store.putTake(take('t1'));
      await store.putTake(take('t1', { intent: 'discard', durationSeconds: 3 }));
      expect(await backend.open().takes()).toEqual([take('t1', { intent: 'discard', durationSeconds: 3 })]);
    });

    it('keeps calls leaving voicemail until they are forgotten', async () => {
      const call = { callId: '1795298152.13', status: 'SUCCESS' as const, extension: 'o', hangup: false };
      await store.putCall(call);
      await store.putCall({ callId: '1795298152.20', status: 'USEREXIT', extension: null, hangup: true });
      await store.putCall({ ...call, hangup: true });
      const calls = (await backend.open().calls()).sort((a, b) => a.callId.localeCompare(b.callId));
      expect(calls).toEqual([
        { ...call, hangup: true },
        { callId: '1795298152.20', status: 'USEREXIT', extension: null, hangup: true },
      ]);
      await store.forgetCall('1795298152.13');
      await store.forgetCall('1795298152.13');
      expect((await store.calls()).map((c) => c.callId)).toEqual(['1795298152.20']);
      await expect(store.putCall({ ...call, callId: '' })).rejects.toBeInstanceOf(VoicemailInputError);
    });

    it('saves once: a retried save makes one message; another recording under the id is refused', async () => {
      expect(await store.saveOnce(message('m1'))).toBe('saved');
      expect(await store.saveOnce(message('m1'))).toBe('exists');
      expect(await backend.open().saveOnce(message('m1'), { maxMessages: 1 })).toBe('exists');
      expect(await store.list(box)).toHaveLength(1);
      await expect(store.saveOnce(message('m1', { recordingName: 'voicemail/default/305/other' }))).rejects.toThrow(
        VoicemailInputError,
      );
      await expect(store.saveOnce(message('m2'), { maxMessages: 1 })).rejects.toBeInstanceOf(MailboxFullError);
      await store.save(message('s1', { context: 'sales', recordingName: 'voicemail/sales/305/s1' }));
      expect(await store.messageRecordings()).toEqual(new Set(['voicemail/default/305/m1', 'voicemail/sales/305/s1']));
    });

    it('saves once under concurrency: the same message saved at once is one message', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.saveOnce(message('m1'))));
      expect(results.filter((r) => r === 'saved')).toHaveLength(1);
      expect(results.filter((r) => r === 'exists')).toHaveLength(7);
      expect(await store.list(box)).toEqual([message('m1')]);
    });
  });

  describe(`${name}: notification jobs`, () => {
    it('creates a job once, updates it, lists every job oldest first, and forgets it', async () => {
      expect(await store.createJob(job('m1'))).toBe(true);
      expect(await store.createJob(job('m1', { attempts: 3 }))).toBe(false);
      expect(await store.createJob(job('m0', { createdAt: '2025-01-02T03:04:00.000Z' }))).toBe(true);
      expect(await store.getJob(job('m1').id)).toEqual(job('m1'));
      const sent = { state: 'sent' as const, attempts: 1, doneAt: '2025-01-02T03:04:09.000Z' };
      expect(await store.updateJob(job('m1').id, sent)).toEqual(job('m1', sent));
      expect(await store.updateJob(notificationJobId('email', box, 'none'), sent)).toBeUndefined();
      await expect(store.updateJob(job('m1').id, { state: 'lost' as never })).rejects.toBeInstanceOf(
        VoicemailInputError,
      );
      const again = backend.open();
      expect(await again.jobs()).toEqual([job('m0', { createdAt: '2025-01-02T03:04:00.000Z' }), job('m1', sent)]);
      await again.forgetJob(job('m0').id);
      await again.forgetJob(job('m0').id);
      expect((await store.jobs()).map((j) => j.messageId)).toEqual(['m1']);
      expect(await store.getJob(job('m0').id)).toBeUndefined();
    });

    it('refuses malformed jobs and job ids', async () => {
      // (The file store throws these at the call, others reject: `await` sees the same error.)
      const refused = (call: () => Promise<unknown>) => expect((async () => call())()).rejects;
      await refused(() => store.createJob(job('m1', { id: 'email-../../x' }))).toBeInstanceOf(VoicemailInputError);
      await refused(() => store.createJob(job('m1', { attempts: -1 }))).toBeInstanceOf(VoicemailInputError);
      await refused(() => store.getJob('../etc')).toBeInstanceOf(VoicemailInputError);
      await refused(() => store.forgetJob('')).toBeInstanceOf(VoicemailInputError);
      expect(await store.jobs()).toEqual([]);
    });

    it('creates a job at most once when creates race for it', async () => {
      const created = await Promise.all([0, 1, 2, 3].map((i) => store.createJob(job('m1', { attempts: i }))));
      expect(created.filter(Boolean)).toHaveLength(1);
      expect(await store.jobs()).toHaveLength(1);
    });

    it('notifySince is set by the first call and kept ever after, by every instance', async () => {
      const first = new Date('2025-01-02T03:04:05.000Z');
      expect(await store.notifySince(first)).toEqual(first);
      expect(await store.notifySince(new Date('2026-01-01T00:00:00.000Z'))).toEqual(first);
      expect(await backend.open().notifySince(new Date())).toEqual(first);
    });
  });
}
