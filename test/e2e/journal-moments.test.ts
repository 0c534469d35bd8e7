// The voicemail journal is written by every call at every take (before it records, on `*`, when it is kept or
// purged): one call whose journal write is slow must not hold the others. With every call's journal writes in one
// line, a caller who pressed `*` heard silence until the writes of all the other calls ahead of theirs were done
// (seconds with a few hundred calls: `npm run chaos` saw callers press `*` again and again, each press discarding
// the take that had just started). Here a call's journal write is held, as a slow disk would, while another caller
// presses `*`: the other caller's new take must start, and be the message they keep. Mailboxes 360-361.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { FileMessageStore } from '../../src/voicemail/store.js';
import { createHarness, type Harness, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

let h: Harness;
let dir: string;
/** When set, the next take-journal write waits (between its fsync and its rename) until `release` is called. */
let hold: { reached: () => void } | undefined;
let release: () => void = () => {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ari-vm-journal-moments-'));
  h = await createHarness({
    mailboxes: [{ mailbox: '360' }, { mailbox: '361' }],
    store: () =>
      new FileMessageStore(dir, {
        async beforeRename(tempPath) {
          if (!hold || !tempPath.includes(join('.journal', 'takes'))) return;
          const held = hold;
          hold = undefined;
          const released = new Promise<void>((resolve) => {
            release = resolve;
          });
          held.reached();
          await released;
        },
      }),
  });
});

afterAll(async () => {
  release();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

it("* records again at once while another call's journal write is slow", async () => {
  const caller = await h.dial('360');
  await h.press(caller, '#');
  const first = await h.recordingStarted(caller, 1);
  await h.speak(caller, 1);

  // Another call begins its take; its journal entry is held on the way to the disk.
  const reached = new Promise<void>((resolve) => {
    hold = { reached: resolve };
  });
  const other = await h.dial('361');
  await h.press(other, '#');
  await reached;

  await h.press(caller, '*');
  const second = await h.recordingStarted(caller, 2);
  expect(second).not.toBe(first);
  await h.speak(caller, 1);
  await h.press(caller, '#');
  await h.reviewStarted(caller, second);
  await h.press(caller, '#');
  await h.ended(caller);
  const messages = await h.messagesOf(caller, '360');
  expect(messages.map((m) => m.recordingName)).toEqual([second]);
  expect(await h.storedNames(caller.calleeId)).toEqual([second]);

  // The held call goes on once its write is done: its take records and is kept on hang-up.
  release();
  const take = await h.recordingStarted(other, 1);
  await h.speak(other, 1);
  await h.hangup(other);
  await h.until(async () => (await h.messagesOf(other, '361')).length === 1, 'the held call to keep its take');
  expect((await h.messagesOf(other, '361'))[0]?.recordingName).toBe(take);
});
