import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VoicemailInputError } from '../../src/voicemail/ids.js';
import { FileMessageStore } from '../../src/voicemail/store.js';
import { box, message, storeContract, take } from '../helpers/store-contract.js';

// What every store does (test/helpers/store-contract.ts), on the file store.
storeContract('FileMessageStore', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'vm-store-contract-'));
  return {
    open: () => new FileMessageStore(directory),
    done: () => rm(directory, { recursive: true, force: true }),
  };
});

// What only the file store does: its files, a crash between the write and the rename, a damaged disk.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vm-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileMessageStore', () => {
  it.each(['..', '../306', '305/../../etc', '', '.hidden', 'a b', '305\0'])(
    'never lets the mailbox or message id %j write outside its directory',
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
});

describe('FileMessageStore journal', () => {
  it('writes the entries of different takes side by side: one slow write holds only its own take', async () => {
    let releaseSlow: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let first = true;
    let reached: () => void = () => {};
    const atRename = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const store = new FileMessageStore(dir, {
      beforeRename: async () => {
        if (!first) return;
        first = false;
        reached();
        await slow;
      },
    });
    const held = store.putTake(take('t1'));
    await atRename;
    await store.putTake(take('t2'));
    expect(await store.updateTake(take('t2').recordingName, { intent: 'discard' })).toMatchObject({
      intent: 'discard',
    });
    // The same take's next write waits for the held one (an update reads what the write before it wrote).
    let updated = false;
    const update = store.updateTake(take('t1').recordingName, { intent: 'keep' }).then((e) => {
      updated = true;
      return e;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(updated).toBe(false);
    releaseSlow();
    await held;
    expect(await update).toMatchObject({ intent: 'keep' });
    expect((await store.takes()).map((t) => [t.messageId, t.intent]).sort()).toEqual([
      ['t1', 'keep'],
      ['t2', 'discard'],
    ]);
  });

  it('an update that changes nothing writes nothing (a purge after a cancel)', async () => {
    let writes = 0;
    const store = new FileMessageStore(dir, {
      beforeRename: async () => {
        writes++;
      },
    });
    await store.putTake(take('t1'));
    await store.updateTake(take('t1').recordingName, { intent: 'discard' });
    expect(writes).toBe(2);
    expect(await store.updateTake(take('t1').recordingName, { intent: 'discard' })).toMatchObject({
      intent: 'discard',
    });
    expect(writes).toBe(2);
    await store.updateTake(take('t1').recordingName, { intent: 'keep', urgent: true });
    expect(writes).toBe(3);
    expect(await new FileMessageStore(dir).takes()).toMatchObject([{ intent: 'keep', urgent: true }]);
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
