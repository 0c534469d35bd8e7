// The voicemail guarantees, end to end through ARI: a message left is saved however the call ends; a discarded take
// exists nowhere, even when Asterisk refuses the cancel; takes never reuse a live name; MWI equals the store after
// every call (its own mailboxes 315-318, so it may share a real Asterisk with the sessions suite); copies land in the other mailbox; an unknown copy target and a full mailbox are told and change
// nothing; 0 and * during the greeting leave with VMSTATUS=USEREXIT.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FarEndCall } from '../../src/simulator/index.js';
import { createHarness, type Harness, onRealAsterisk, type SeenRequest, TEST_TIMEOUT_MS } from './helpers.js';

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });

let h: Harness;

beforeAll(async () => {
  h = await createHarness({
    mailboxes: [
      { mailbox: '315' },
      { mailbox: '316' },
      { mailbox: '317' },
      { mailbox: '318', limits: { maxMessages: 1 } },
    ],
  });
  if (onRealAsterisk)
    console.info('e2e: the fault-injection tests need the simulator and are skipped on a real Asterisk');
});

afterAll(async () => {
  await h?.close();
});

const simOnly = it.skipIf(onRealAsterisk);

/** MWI of every mailbox equals what the store holds. */
async function expectMwiMatchesStore(): Promise<void> {
  for (const box of ['315', '316', '317', '318']) expect(await h.mwi(box), box).toEqual(await h.storeMwi(box));
}

/** The call left exactly one INBOX message in 315, its recording is the only one stored, with about `said` seconds. */
async function expectOneMessage(call: FarEndCall, said: number): Promise<void> {
  const messages = await h.messagesOf(call, '315');
  expect(messages).toHaveLength(1);
  const [message] = messages;
  expect(message).toMatchObject({ mailbox: '315', context: 'default', folder: 'INBOX' });
  expect((await h.storedNames(call.calleeId)).filter((name) => name.includes('/315/'))).toEqual([
    message!.recordingName,
  ]);
  const seconds = await h.wavSeconds(message!.recordingName);
  expect(seconds).toBeGreaterThan(said - 0.5);
  expect(seconds).toBeLessThan(said + 1);
  await expectMwiMatchesStore();
}

async function toReview(call: FarEndCall, said: number): Promise<string> {
  const take = await h.recordingStarted(call, 1);
  await h.speak(call, said);
  await h.press(call, '#');
  await h.reviewStarted(call, take);
  return take;
}

/** A notice (or prompt) played on the call's channel. */
const played = (call: FarEndCall, media: string) =>
  h.eventsOf(call).some((e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === media);

describe('a message left is saved with its metadata', () => {
  it('when the caller hangs up while recording', async () => {
    const call = await h.dial('315');
    await h.recordingStarted(call, 1);
    await h.speak(call, 2);
    await h.hangup(call);
    await expectOneMessage(call, 2);
    const [message] = await h.messagesOf(call, '315');
    expect(message?.durationSeconds).toBeGreaterThanOrEqual(1);
  });

  it('when the caller hangs up while typing a mailbox to copy to', async () => {
    const call = await h.dial('315');
    await toReview(call, 2);
    await h.press(call, '8');
    await h.press(call, '3');
    await h.hangup(call);
    await expectOneMessage(call, 2);
  });

  simOnly('when the caller hangs up while the copy is on its way to Asterisk', async () => {
    const call = await h.dial('315');
    await toReview(call, 2);
    h.sim!.faults.delayRequests({ method: 'POST', path: '/recordings/stored/**', ms: 3000 });
    const copying = (r: SeenRequest) => r.op === 'recordings.copyStored';
    h.holds.push(copying);
    try {
      for (const digit of ['8', '3', '1', '6', '#']) await h.press(call, digit);
      await h.until(() => h.requests.some((r) => copying(r) && r.status === 'pending'), 'the copy request');
      await h.hangup(call);
      await h.until(() => h.requests.every((r) => !copying(r) || r.status !== 'pending'), 'the copy to end');
      await h.until(() => h.app.stats().calls === 0, 'every call to end');
    } finally {
      h.holds.splice(h.holds.indexOf(copying), 1);
    }
    await expectOneMessage(call, 2);
    // The copy is all or nothing: in 316's store exactly when its recording exists.
    const copies = await h.messagesOf(call, '316');
    const copied = (await h.storedNames(call.calleeId)).filter((name) => name.includes('/316/'));
    expect(copies.map((m) => m.recordingName)).toEqual(copied);
    await expectMwiMatchesStore();
  });
});

describe('a discarded take exists nowhere', () => {
  simOnly(
    'when Asterisk answers the cancel with 500: the take still live is cancelled again, finishes and is purged',
    async () => {
      const call = await h.dial('315');
      const first = await h.recordingStarted(call, 1);
      await h.speak(call, 1);
      h.sim!.faults.failRequests({ method: 'DELETE', path: '/recordings/live/**', count: 1 });
      await h.press(call, '*');
      await h.until(
        () => h.requests.some((r) => r.op === 'recordings.cancel' && r.status === 500),
        'the refused cancel',
      );
      // The take is still recording: Asterisk did not cancel it.
      expect(h.sim!.liveRecordings().map((r) => r.name)).toContain(first);
      const second = await h.recordingStarted(call, 2);
      expect(second).not.toBe(first);
      expect(h.sim!.liveRecordings().map((r) => r.name)).not.toContain(first);
      expect(await h.storedNames(first)).toEqual([]);
      const finished = h.eventsOf(call).findIndex((e) => e.type === 'RecordingFinished' && e.recording?.name === first);
      const started = h.eventsOf(call).findIndex((e) => e.type === 'RecordingStarted' && e.recording?.name === second);
      expect(finished).toBeGreaterThan(-1);
      expect(finished).toBeLessThan(started);
      await h.speak(call, 2);
      await h.press(call, '#');
      await h.reviewStarted(call, second);
      await h.press(call, '#');
      await h.ended(call);
      await expectOneMessage(call, 2);
      expect(h.events).toContainEqual(
        expect.objectContaining({ type: 'voicemail.discarded', callId: call.calleeId, recordingName: first }),
      );
    },
  );

  simOnly('when every cancel is refused: the take is stopped and its file deleted', async () => {
    const call = await h.dial('315');
    const first = await h.recordingStarted(call, 1);
    await h.speak(call, 1);
    h.sim!.faults.failRequests({ method: 'DELETE', path: '/recordings/live/**', count: Number.POSITIVE_INFINITY });
    try {
      await h.press(call, '*');
      const second = await h.recordingStarted(call, 2);
      expect(h.sim!.storedRecordings().map((r) => r.name)).not.toContain(first);
      expect(h.sim!.liveRecordings().map((r) => r.name)).toEqual([second]);
    } finally {
      h.sim!.faults.clear();
    }
    await h.speak(call, 1);
    await h.hangup(call);
    await expectOneMessage(call, 1);
  });

  it('the next take never reuses a name still live, and no record request is refused', async () => {
    const call = await h.dial('315');
    const names: string[] = [];
    for (const n of [1, 2, 3]) {
      names.push(await h.recordingStarted(call, n));
      await h.speak(call, 1);
      await h.press(call, n < 3 ? '*' : '#');
    }
    expect(new Set(names).size).toBe(3);
    await h.reviewStarted(call, names[2]!);
    await h.press(call, '#');
    await h.ended(call);
    const records = h.requests.filter((r) => r.op === 'channels.record' && r.params.channelId === call.calleeId);
    expect(records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(await h.storedNames(call.calleeId)).toEqual([names[2]]);
    await expectOneMessage(call, 1);
  });
});

describe('copying to another mailbox during review', () => {
  it('8, 316, # copies the message: in the store, on Asterisk and in MWI of both', async () => {
    const call = await h.dial('315');
    const take = await toReview(call, 2);
    for (const digit of ['8', '3', '1', '6', '#']) await h.press(call, digit);
    await h.until(() => played(call, 'sound:vm-msgforwarded'), 'the copied notice');
    await h.press(call, '#');
    await h.ended(call);
    await expectOneMessage(call, 2);
    const [original] = await h.messagesOf(call, '315');
    expect(original?.recordingName).toBe(take);
    const copies = await h.messagesOf(call, '316');
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ mailbox: '316', context: 'default', folder: 'INBOX' });
    expect(copies[0]!.recordingName).toMatch(/^voicemail\/default\/316\//);
    expect(await h.storedNames(copies[0]!.recordingName)).toEqual([copies[0]!.recordingName]);
    expect(await h.wavSeconds(copies[0]!.recordingName)).toBeCloseTo(await h.wavSeconds(take), 3);
    expect((await h.mwi('316')).newMessages).toBeGreaterThanOrEqual(1);
    await expectMwiMatchesStore();
  });

  it('an unknown mailbox is told and changes nothing', async () => {
    const call = await h.dial('315');
    await toReview(call, 1);
    const before = { '316': await h.storeMwi('316'), '317': await h.storeMwi('317') };
    for (const digit of ['8', '3', '9', '9', '#']) await h.press(call, digit);
    await h.until(() => played(call, 'sound:invalid'), 'the unknown-mailbox notice');
    await h.press(call, '#');
    await h.ended(call);
    await expectOneMessage(call, 1);
    expect(await h.storedNames('/399/')).toEqual([]);
    expect(
      h.requests.filter(
        (r) => r.op === 'recordings.copyStored' && String(r.params.destinationRecordingName).includes(call.calleeId),
      ),
    ).toEqual([]);
    expect({ '316': await h.storeMwi('316'), '317': await h.storeMwi('317') }).toEqual(before);
  });
});

describe('leaving before the beep', () => {
  it('a full mailbox is told, nothing is recorded, VMSTATUS=FAILED', async () => {
    const first = await h.dial('318');
    await h.recordingStarted(first, 1);
    await h.speak(first, 1);
    await h.hangup(first);
    expect(await h.messagesOf(first, '318')).toHaveLength(1);

    const call = await h.dial('318');
    await h.until(() => played(call, 'sound:vm-mailboxfull'), 'the mailbox-full prompt');
    await h.ended(call);
    expect(h.eventsOf(call).some((e) => e.type.startsWith('Recording'))).toBe(false);
    const mine = h.requests.filter((r) => r.params.channelId === call.calleeId);
    expect(mine.some((r) => r.op === 'channels.record')).toBe(false);
    expect(mine).toContainEqual({
      op: 'channels.setChannelVar',
      params: expect.objectContaining({ variable: 'VMSTATUS', value: 'FAILED' }),
      status: 'ok',
    });
    expect(await h.messagesOf(call, '318')).toEqual([]);
    expect(await h.storedNames(call.calleeId)).toEqual([]);
    await expectMwiMatchesStore();
  });

  for (const [key, extension] of [
    ['0', 'o'],
    ['*', 'a'],
  ] as const) {
    it(`${key} during the greeting leaves with VMSTATUS=USEREXIT to extension ${extension}`, async () => {
      const call = await h.dial('315');
      await h.until(() => h.eventsOf(call).some((e) => e.type === 'PlaybackStarted'), 'the greeting');
      await h.press(call, key);
      await h.ended(call);
      const mine = h.requests.filter((r) => r.params.channelId === call.calleeId);
      expect(mine).toContainEqual({
        op: 'channels.setChannelVar',
        params: expect.objectContaining({ variable: 'VMSTATUS', value: 'USEREXIT' }),
        status: 'ok',
      });
      expect(mine).toContainEqual({
        op: 'channels.continueInDialplan',
        params: expect.objectContaining({ extension, priority: 1 }),
        status: 'ok',
      });
      expect(mine.some((r) => r.op === 'channels.record')).toBe(false);
      expect(await h.messagesOf(call, '315')).toEqual([]);
      expect(await h.storedNames(call.calleeId)).toEqual([]);
      await expectMwiMatchesStore();
    });
  }
});
