import { describe, expect, it } from 'vitest';
import { resolveRecordCallInput } from '../../machines/record-call.js';
import { fromKazooRecordCall } from '../../src/recording/kazoo.js';

describe("Kazoo's record_call data, mapped to the recorder's input", () => {
  it("maps the keys Kazoo's documentation shows to camelCase, and the machine runs with them", () => {
    const data = { action: 'start', time_limit: 1200, format: 'mp3', url: 'http://rec.example/calls' } as const;
    const settings = fromKazooRecordCall(data);
    expect(settings).toEqual({
      action: 'start',
      timeLimitSeconds: 1200,
      format: 'mp3',
      url: 'http://rec.example/calls',
    });
    expect(resolveRecordCallInput({ ...settings, callId: 'a-leg' })).toMatchObject({
      timeLimitSeconds: 1200,
      uploadUrl: 'http://rec.example/calls/call_recording_a-leg.mp3',
      startOnEntry: true,
    });
    expect(fromKazooRecordCall({ action: 'stop' })).toEqual({ action: 'stop' });
  });

  it('takes method and record_on_answer only with the value the recorder has anyway', () => {
    expect(fromKazooRecordCall({ action: 'start', method: 'put', record_on_answer: false })).toEqual({
      action: 'start',
    });
    expect(() => fromKazooRecordCall({ method: 'post' } as never)).toThrow(/method post is not supported: only put/);
    expect(() => fromKazooRecordCall({ record_on_answer: true } as never)).toThrow(/record_on_answer is not supported/);
  });

  it.each([
    'label',
    'media_name',
    'origin',
    'record_min_sec',
    'record_on_bridge',
    'record_sample_rate',
    'should_follow_transfer',
    'skip_module',
  ])('refuses Kazoo key %s, naming it, rather than ignoring it', (key) => {
    expect(() => fromKazooRecordCall({ action: 'start', [key]: 1 } as never)).toThrow(
      new RegExp(`record_call ${key} is not supported by this recorder \\(.+\\)`),
    );
  });

  it("refuses keys Kazoo's record_call does not have, the recorder's own camelCase ones included", () => {
    expect(() => fromKazooRecordCall({ time_limt: 60 } as never)).toThrow(/record_call has no key time_limt/);
    expect(() => fromKazooRecordCall({ timeLimitSeconds: 60 } as never)).toThrow(/no key timeLimitSeconds/);
    expect(() => fromKazooRecordCall(null as never)).toThrow(/must be an object/);
  });

  it('refuses a time_limit that is not a positive number, naming time_limit', () => {
    for (const bad of [0, -1, Number.NaN, '60']) {
      expect(() => fromKazooRecordCall({ time_limit: bad as never })).toThrow(
        /record_call time_limit must be a positive/,
      );
    }
  });
});
