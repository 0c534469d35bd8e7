// Voicemail features end to end through ARI, on the simulator (fault injection): a hang-up while a copy request is
// on its way to Asterisk waits for the copy, so the copy is complete (recording and message in the other mailbox,
// its MWI published) before the caller's own message is saved.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness, onRealAsterisk, type SeenRequest, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ mailboxes: [{ mailbox: '335' }, { mailbox: '336' }] });
});

afterAll(async () => {
  await h?.close();
});

describe('a hang-up while the copy is on its way to Asterisk', () => {
  it.skipIf(onRealAsterisk)(
    'waits for the copy: it is complete in the other mailbox, then the message is saved',
    async () => {
      const call = await h.dial('335');
      const take = await h.recordingStarted(call, 1);
      await h.speak(call, 2);
      await h.press(call, '#');
      await h.reviewStarted(call, take);
      h.sim!.faults.delayRequests({ method: 'POST', path: '/recordings/stored/**', ms: 3000 });
      const copying = (r: SeenRequest) => r.op === 'recordings.copyStored';
      h.holds.push(copying);
      try {
        for (const digit of ['8', '3', '3', '6', '#']) await h.press(call, digit);
        await h.until(() => h.requests.some((r) => copying(r) && r.status === 'pending'), 'the copy request');
        await h.hangup(call);
        await h.until(() => h.app.stats().calls === 0, 'every call to end');
      } finally {
        h.holds.splice(h.holds.indexOf(copying), 1);
      }
      // The copy request was answered, not aborted by the end of the call.
      expect(h.requests.filter(copying).map((r) => r.status)).toEqual(['ok']);
      const copies = await h.messagesOf(call, '336');
      expect(copies).toHaveLength(1);
      expect(await h.storedNames(call.calleeId)).toEqual(expect.arrayContaining([copies[0]!.recordingName]));
      expect(await h.mwi('336')).toEqual(await h.storeMwi('336'));
      expect(await h.mwi('336')).toEqual({ newMessages: 1, oldMessages: 0 });
      const mine = h.events.filter((e) => e.callId === call.calleeId).map((e) => e.type);
      expect(mine.indexOf('voicemail.copied')).toBeGreaterThanOrEqual(0);
      expect(mine.indexOf('voicemail.copied')).toBeLessThan(mine.indexOf('voicemail.saved'));
      const [message] = await h.messagesOf(call, '335');
      expect(message).toMatchObject({ mailbox: '335', folder: 'INBOX', recordingName: take });
      expect(await h.mwi('335')).toEqual(await h.storeMwi('335'));
    },
  );
});
