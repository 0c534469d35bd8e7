// Answers of Asterisk that are not final (a 5xx, a lost answer) lose nothing: the runtime's retry policy sends
// idempotent requests again, a take whose answer was lost is recognised as ours, and a call that cannot go on is
// ended for the caller instead of being left in Stasis. Simulator only (fault injection); mailboxes 340-342.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FarEndCall } from '../../src/simulator/index.js';
import { createHarness, type Harness, onRealAsterisk, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

let h: Harness;

beforeAll(async () => {
  if (onRealAsterisk) {
    console.info('e2e: the retry tests need the simulator (fault injection) and are skipped on a real Asterisk');
    return;
  }
  h = await createHarness({ mailboxes: [{ mailbox: '340' }, { mailbox: '341' }, { mailbox: '342' }] });
});

afterEach(() => {
  h?.sim?.faults.clear();
});

afterAll(async () => {
  await h?.close();
});

const simIt = it.skipIf(onRealAsterisk);

/** The call left one message in `box`, whose recording is stored, and MWI equals the store. */
async function expectSaved(call: FarEndCall, box: string): Promise<void> {
  const messages = await h.messagesOf(call, box);
  expect(messages).toHaveLength(1);
  expect(await h.storedNames(call.calleeId)).toEqual([messages[0]!.recordingName]);
  expect(await h.mwi(box)).toEqual(await h.storeMwi(box));
}

const statuses = (call: FarEndCall, op: string) =>
  h.requests.filter((r) => r.op === op && JSON.stringify(r.params).includes(call.calleeId)).map((r) => r.status);

/** The app's requests for the call's channel only (the far end's own requests are never failed). */
const mine = (call: FarEndCall, rest: string) => `/channels/${encodeURIComponent(call.calleeId)}${rest}`;

describe('idempotent requests are retried on a 5xx', () => {
  simIt('one 500 on GET /recordings/stored/{name} while saving: the message is saved and counted', async () => {
    const call = await h.dial('340');
    const take = await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    h.sim!.faults.failRequests({ method: 'GET', path: `/recordings/stored/${encodeURIComponent(take)}`, count: 1 });
    await h.hangup(call);
    await h.until(() => h.app.stats().calls === 0, 'the call to end');
    expect(statuses(call, 'recordings.getStored')).toEqual([500, 'ok']);
    await expectSaved(call, '340');
  });

  simIt('a 503 on answer, on the greeting and on the record request: the caller still leaves a message', async () => {
    h.sim!.faults.failRequests({ method: 'POST', path: /^\/channels\/far-[^/]+-2\/answer$/, status: 503 });
    h.sim!.faults.failRequests({ method: 'POST', path: /^\/channels\/far-[^/]+-2\/play\/[^/]+$/, status: 503 });
    h.sim!.faults.failRequests({ method: 'POST', path: /^\/channels\/far-[^/]+-2\/record$/, status: 503 });
    const call = await h.dial('341');
    await h.recordingStarted(call, 1);
    expect(statuses(call, 'channels.answer')).toEqual([503, 'ok']);
    expect(statuses(call, 'channels.record')).toEqual([503, 'ok']);
    await h.speak(call, 1);
    await h.hangup(call);
    await h.until(() => h.app.stats().calls === 0, 'the call to end');
    await expectSaved(call, '341');
  });

  simIt('a record carried out whose answer was lost: the retry meets 409, the take is ours, one message', async () => {
    const call = await h.dial('342');
    h.sim!.faults.failRequests({ method: 'POST', path: mine(call, '/record'), after: true, status: 500 });
    const take = await h.recordingStarted(call, 1);
    await h.until(() => statuses(call, 'channels.record').length === 2, 'the retried record');
    // The retry was refused as a duplicate name (409): the policy found the take live on our channel.
    expect(statuses(call, 'channels.record')).toEqual([500, 409]);
    await h.speak(call, 1);
    await h.press(call, '#');
    await h.reviewStarted(call, take);
    await h.press(call, '#');
    await h.ended(call);
    await expectSaved(call, '342');
  });

  simIt('a 500 on deleting a take discarded in review: it is deleted all the same', async () => {
    const call = await h.dial('340');
    const first = await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    await h.press(call, '#');
    await h.reviewStarted(call, first);
    h.sim!.faults.failRequests({ method: 'DELETE', path: `/recordings/stored/${encodeURIComponent(first)}` });
    await h.press(call, '*');
    await h.recordingStarted(call, 2);
    expect(statuses(call, 'recordings.deleteStored')).toEqual([500, 'ok']);
    expect(await h.storedNames(first)).toEqual([]);
    await h.speak(call, 1);
    await h.hangup(call);
    await h.until(() => h.app.stats().calls === 0, 'the call to end');
    await expectSaved(call, '340');
  });
});

describe('a call that cannot go on is ended for the caller', () => {
  simIt('VMSTATUS refused every time: the channel still goes back to the dialplan', async () => {
    const call = await h.dial('341');
    await h.until(() => h.eventsOf(call).some((e) => e.type === 'PlaybackStarted'), 'the greeting');
    h.sim!.faults.failRequests({ method: 'POST', path: mine(call, '/variable'), count: Number.POSITIVE_INFINITY });
    try {
      await h.press(call, '*');
      await h.ended(call);
    } finally {
      h.sim!.faults.clear();
    }
    expect(statuses(call, 'channels.continueInDialplan')).toContain('ok');
    expect(h.sim!.channels().some((c) => c.id === call.calleeId)).toBe(false);
  });

  simIt('the dialplan refused every time: the channel is hung up, not left in Stasis', async () => {
    const call = await h.dial('341');
    await h.until(() => h.eventsOf(call).some((e) => e.type === 'PlaybackStarted'), 'the greeting');
    h.sim!.faults.failRequests({ method: 'POST', path: mine(call, '/continue'), count: Number.POSITIVE_INFINITY });
    try {
      await h.press(call, '0');
      await h.ended(call);
    } finally {
      h.sim!.faults.clear();
    }
    expect(statuses(call, 'channels.hangup')).toContain('ok');
    expect(h.sim!.channels().some((c) => c.id === call.calleeId)).toBe(false);
  });
});
