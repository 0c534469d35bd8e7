import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AriOptionsError } from '../../src/ari/errors.js';
import { silentLogger } from '../../src/ari/logger.js';
import type { Channel } from '../../src/ari/models.js';
import { attachRecorder, createRecordCallCalls, type RecordCallOptions } from '../../src/recording/calls.js';
import { Uploader } from '../../src/recording/upload.js';
import type { CallScope, CallStart } from '../../src/runtime/types.js';

const optionError = (make: () => unknown): AriOptionsError => {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(AriOptionsError);
    return error as AriOptionsError;
  }
  throw new Error('no error thrown');
};

const start = (args: string[]): CallStart =>
  ({ app: 'rec', channel: { id: 'c1' } as Channel, args, event: {} as CallStart['event'] }) as CallStart;
const scope = (): CallScope => ({
  callId: 'c1',
  app: 'rec',
  client: {} as CallScope['client'],
  signal: new AbortController().signal,
  route: () => {},
  unroute: () => {},
  logger: silentLogger,
});

describe('recorder options are checked once, when the factory is made', () => {
  let dir: string;
  let uploader: Uploader;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-options-'));
    uploader = await Uploader.open({ spoolDir: dir });
  });
  afterEach(async () => {
    await uploader.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [{ defualts: {} }, 'defualts', /unknown option/],
    [{ configure: 'yes' }, 'configure', /a function/],
    [{ uploader: {} }, 'uploader', /Uploader/],
    [{ defaults: { format: 'ogg' } }, 'defaults', /format must be wav or mp3/],
    [{ defaults: { time_limit: -5 } }, 'defaults', /time_limit must be a positive number/],
    [{ defaults: { max_time_limit: 0 } }, 'defaults', /max_time_limit/],
    [{ defaults: { pause_mode: 'mute' } }, 'defaults', /pause_mode/],
    [{ defaults: { timeLimitSeconds: -5 } }, 'defaults', /timeLimitSeconds must be a positive number/],
    [{ defaults: { pauseMode: 'mute' } }, 'defaults', /pauseMode must be skip or silence/],
    [{ defaults: { record_sample_rate: 16000 } }, 'defaults', /record_sample_rate is not supported/],
    [{ defaults: { timeLimit: 60 } }, 'defaults', /has no key timeLimit/],
    [{ defaults: { time_limit: 60, timeLimitSeconds: 60 } }, 'defaults', /timeLimitSeconds or time_limit, not both/],
    [{ defaults: { action: 'begin' } }, 'defaults', /action/],
    [{ defaults: { url: 'ftp://rec.example/' } }, 'defaults.url', /http/],
    [{ defaults: { url: 'https://rec.example/' } }, 'uploader', /required when defaults has a url/],
  ])('createRecordCallCalls(%j) names %s', (options, option, message) => {
    const error = optionError(() => createRecordCallCalls(options as unknown as RecordCallOptions));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it('attachRecorder refuses the same options before it listens to anything', () => {
    let listening = false;
    const client = {
      onEvent: () => {
        listening = true;
        return () => {};
      },
    } as never;
    const error = optionError(() =>
      attachRecorder({ client, app: 'rec', channelId: 'c1', defaults: { format: 'flac' }, chanelId: 'x' } as never),
    );
    expect(error.option).toBe('chanelId');
    expect(listening).toBe(false);
  });

  it('takes a url template whose placeholders are filled per call, and still refuses a call that lacks a value', () => {
    const factory = createRecordCallCalls({
      uploader,
      defaults: { url: 'https://rec.example/{ACCOUNT_ID}/', format: 'mp3', time_limit: 20_000 },
      configure: (call) => (call.args[0] ? { metadata: { ACCOUNT_ID: call.args[0] } } : {}),
    });
    const logic = factory(start(['acct 7']), scope());
    expect(logic?.input).toMatchObject({
      callId: 'c1',
      format: 'mp3',
      timeLimitSeconds: 20_000,
      metadata: { ACCOUNT_ID: 'acct 7' },
    });
    expect(() => factory(start([]), scope())).toThrow(/no value for placeholder \{ACCOUNT_ID\}/);
  });

  it("takes the settings in camelCase or in Kazoo's names, a call's own over the defaults, whichever the names", () => {
    const factory = createRecordCallCalls({
      defaults: { time_limit: 600, max_time_limit: 900, pause_mode: 'silence', action: 'stop' },
      configure: (call) =>
        call.args[0] === 'long' ? { timeLimitSeconds: 7200, maxTimeLimitSeconds: 7200 } : { pauseMode: 'skip' },
    });
    expect(factory(start(['long']), scope())?.input).toEqual({
      callId: 'c1',
      action: 'stop',
      timeLimitSeconds: 7200,
      maxTimeLimitSeconds: 7200,
      pauseMode: 'silence',
      metadata: {},
    });
    expect(factory(start([]), scope())?.input).toMatchObject({ timeLimitSeconds: 600, pauseMode: 'skip' });
    // A per-call key the recorder does not take refuses that call, naming the key.
    const strict = createRecordCallCalls({ configure: () => ({ record_min_sec: 3 }) as never });
    expect(() => strict(start([]), scope())).toThrow(/record_min_sec is not supported/);
  });

  it("attachRecorder's input takes both spellings and names a key it does not take", () => {
    const client = { onEvent: () => () => {} } as never;
    const error = optionError(() =>
      attachRecorder({ client, app: 'rec', channelId: 'c1', input: { label: 'sales' } as never }),
    );
    expect(error.option).toBe('input');
    expect(error.message).toMatch(/label is not supported/);
    const attached = attachRecorder({
      client: {
        onEvent: () => () => {},
        channels: { record: () => new Promise(() => {}) },
      } as never,
      app: 'rec',
      channelId: 'c1',
      defaults: { time_limit: 30 },
      input: { action: 'stop', pauseMode: 'silence' },
    });
    expect(attached.actor.getSnapshot().context).toMatchObject({
      timeLimitSeconds: 30,
      defaultPauseMode: 'silence',
      startOnEntry: false,
    });
    attached.detach();
  });
});
