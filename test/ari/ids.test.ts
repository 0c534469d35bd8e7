import { describe, expect, it } from 'vitest';
import { AriParamsError } from '../../src/ari/errors.js';
import {
  assertRecordingName,
  isValidRecordingName,
  newBridgeId,
  newChannelId,
  newPlaybackId,
  newRecordingName,
} from '../../src/ari/ids.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('makes unique UUIDs for playbacks, channels and bridges', () => {
    for (const make of [newPlaybackId, newChannelId, newBridgeId]) {
      const ids = new Set(Array.from({ length: 1000 }, make));
      expect(ids.size).toBe(1000);
      for (const id of ids) expect(id).toMatch(UUID);
    }
  });

  it('names recordings under the prefix with the UTC time and a random tail', () => {
    const at = Date.UTC(2026, 10, 21, 21, 56, 5, 25);
    const name = newRecordingName('voicemail/305/INBOX', at);
    expect(name).toMatch(/^voicemail\/305\/INBOX\/20261121-215605-025-[0-9a-f]{8}$/);
    expect(isValidRecordingName(name)).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newRecordingName('vm', at))).size).toBe(1000);
  });

  it('sorts names by time', () => {
    const names = [Date.UTC(2026, 0, 1, 9), Date.UTC(2026, 0, 1, 10), Date.UTC(2027, 5, 3)].map((t) =>
      newRecordingName('vm/1', t),
    );
    expect([...names].sort()).toEqual(names);
  });

  it.each([
    '',
    '/voicemail/305',
    'voicemail/305/',
    'voicemail//305',
    'voicemail/../etc',
    'voicemail/./305',
    '../../etc/evil',
    'voicemail/.hidden',
    'voice mail/305',
    'voicemail/305?x',
    'voicemail\\305',
    `vm/${'x'.repeat(201)}`,
  ])('refuses the prefix %j', (prefix) => {
    expect(() => newRecordingName(prefix)).toThrow(AriParamsError);
    expect(() => assertRecordingName(prefix)).toThrow(AriParamsError);
  });

  it('accepts mailbox-like segments', () => {
    for (const name of ['voicemail/305@default/INBOX/msg1', 'rec/2026-11-21_a.b+c=d', 'x']) {
      expect(() => assertRecordingName(name)).not.toThrow();
    }
  });

  it('names the bad parameter', () => {
    expect(() => newRecordingName('a//b')).toThrow(expect.objectContaining({ param: 'prefix' }));
    expect(() => newRecordingName('a', Number.NaN)).toThrow(expect.objectContaining({ param: 'now' }));
  });
});
