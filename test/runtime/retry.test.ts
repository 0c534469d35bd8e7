// The retry policy's check of a retried request that created something under our own name (a playback id, a take
// name, a copy's destination): the retry's 409 may mean the first try worked, and the look that says so is itself
// a request whose 5xx is not final.

import { describe, expect, it } from 'vitest';
import { AriHttpError } from '../../src/ari/errors.js';
import { withRetries } from '../../src/runtime/retry.js';
import { FakeClient } from './fake-client.js';

const fail = (status: number) => new AriHttpError(status, 'simulated', { method: 'X', path: '/x' });

/** Answers `answers` in turn (an Error is thrown), the last one from then on. */
const inTurn = (answers: unknown[]) => {
  let i = 0;
  return () => {
    const answer = answers[Math.min(i++, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return answer;
  };
};

const quick = { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 };

describe('withRetries: a 409 on a retry of our own name', () => {
  it('a 500 on the look at the playback is retried: the beep that did play is ours, no error', async () => {
    const fake = new FakeClient();
    // Carried out, answer lost (500); the retry is refused as a duplicate id (409).
    fake.on('channels.playWithId', inTurn([fail(500), fail(409)]));
    fake.on('playbacks.get', inTurn([fail(500), { id: 'p-beep', state: 'playing' }]));
    const client = withRetries(fake.client, quick);
    await expect(
      client.channels.playWithId({ channelId: 'c1', playbackId: 'p-beep', media: ['sound:beep'] }),
    ).resolves.toBeUndefined();
    expect(fake.callsOf('channels.playWithId')).toHaveLength(2);
    expect(fake.callsOf('playbacks.get')).toHaveLength(2);
  });

  it('a take whose look fails with 503 then finds it live on our channel: ours', async () => {
    const fake = new FakeClient();
    fake.on('channels.record', inTurn([fail(503), fail(409)]));
    fake.on('recordings.getLive', inTurn([fail(503), { name: 't1', target_uri: 'channel:c1', state: 'recording' }]));
    const client = withRetries(fake.client, quick);
    await expect(
      client.channels.record({ channelId: 'c1', name: 't1', format: 'wav', ifExists: 'fail' }),
    ).resolves.toBeUndefined();
    expect(fake.callsOf('recordings.getLive')).toHaveLength(2);
  });

  it('a look that finds nothing keeps the 409: somebody else holds the name', async () => {
    const fake = new FakeClient();
    fake.on('channels.playWithId', inTurn([fail(500), fail(409)]));
    fake.on('playbacks.get', inTurn([fail(500), fail(404)]));
    const client = withRetries(fake.client, quick);
    await expect(
      client.channels.playWithId({ channelId: 'c1', playbackId: 'p-beep', media: ['sound:beep'] }),
    ).rejects.toMatchObject({ status: 409 });
  });
});
