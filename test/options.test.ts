import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AriOptionsError,
  attachRecorder,
  createAriClient,
  createMailboxApi,
  createNotifier,
  createRecordCallCalls,
  createStasisApp,
  createVoicemailCalls,
  createVoicemailMainCalls,
  FileMailboxSettings,
  FileMessageStore,
  FileMessageTrash,
  FileNotificationJobs,
  InMemoryMailboxDirectory,
  startRetentionSweep,
  sweepRetention,
  Uploader,
} from '../src/index.js';

// Every public factory checks its options once, before doing anything, and a bad one is one AriOptionsError that
// names the factory, the option (a dotted path into the options) and the refused value, in one line:
// `createVoicemailCalls: invalid option "timeouts.reviewMs": a positive number of ms (got -1)`.

let dir: string;
let store: FileMessageStore;
let uploader: Uploader;
const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }]);
const client = createAriClient({ url: 'http://127.0.0.1:1', username: 'u', password: 'p', apps: 'vm' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ari-voicemail-options-'));
  store = new FileMessageStore(join(dir, 'store'));
  uploader = await Uploader.open({ spoolDir: join(dir, 'spool') });
});
afterAll(async () => {
  await uploader.close();
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

/** The error `make` throws, which must be an AriOptionsError. */
function refusal(make: () => unknown): AriOptionsError {
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AriOptionsError);
  return thrown as AriOptionsError;
}

async function refusalOf(make: () => Promise<unknown>): Promise<AriOptionsError> {
  const thrown = await make().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(AriOptionsError);
  return thrown as AriOptionsError;
}

type Case = readonly [factory: string, make: () => unknown, option: string, message: string];

const cases: readonly Case[] = [
  [
    'createAriClient',
    () => createAriClient({ url: 'http://127.0.0.1:1', username: 'u', password: 'p', requestTimeoutMs: -1 }),
    'requestTimeoutMs',
    'createAriClient: invalid option "requestTimeoutMs": expected a positive finite number, got -1',
  ],
  [
    'createStasisApp',
    () => createStasisApp({ client, app: 'vm', createCall: () => undefined, drainTimeoutMs: 0 }),
    'drainTimeoutMs',
    'createStasisApp: invalid option "drainTimeoutMs": expected a positive number of milliseconds (got 0)',
  ],
  [
    'createStasisApp',
    () => createStasisApp({ client, app: 'a,b', createCall: () => undefined }),
    'app',
    'createStasisApp: invalid option "app": expected a non-empty Stasis application name without commas (got "a,b")',
  ],
  [
    'createVoicemailCalls',
    () => createVoicemailCalls({ directory, store, timeouts: { reviewMs: -1 } }),
    'timeouts.reviewMs',
    'createVoicemailCalls: invalid option "timeouts.reviewMs": a positive number of ms (got -1)',
  ],
  [
    'createVoicemailCalls',
    () => createVoicemailCalls({ directory, store, keys: { accept: '##' } }),
    'keys.accept',
    'createVoicemailCalls: invalid option "keys.accept": one DTMF key of 0-9 * # A-D, or null to switch it off (got "##")',
  ],
  [
    'createVoicemailMainCalls',
    () =>
      createVoicemailMainCalls({ directory, store, settings: new FileMailboxSettings(dir), timeouts: { menuMs: 0 } }),
    'timeouts.menuMs',
    'createVoicemailMainCalls: invalid option "timeouts.menuMs": a positive number of ms (got 0)',
  ],
  [
    'createRecordCallCalls',
    () => createRecordCallCalls({ defaults: { format: 'ogg' as never } }),
    'defaults',
    'createRecordCallCalls: invalid option "defaults": record_call format must be wav or mp3, got ogg',
  ],
  [
    'attachRecorder',
    () => attachRecorder({ client, app: 'vm', channelId: '' }),
    'channelId',
    'attachRecorder: invalid option "channelId": the id of the channel to record (got "")',
  ],
  [
    'attachRecorder',
    () => attachRecorder({ client: {} as never, app: 'vm', channelId: 'c1' }),
    'client',
    'attachRecorder: invalid option "client": an ARI client with an event stream (createAriClient with the app) (got an object)',
  ],
  [
    'createMailboxApi',
    () => createMailboxApi({ directory, store, token: 'short' }),
    'token',
    'createMailboxApi: invalid option "token": a string of at least 16 characters (got (hidden))',
  ],
  [
    'createMailboxApi',
    () => createMailboxApi({ directory, store, token: 'a-long-enough-token', maxUploadBytes: 1.5 }),
    'maxUploadBytes',
    'createMailboxApi: invalid option "maxUploadBytes": a positive whole number of bytes (got 1.5)',
  ],
  [
    'createNotifier',
    () => createNotifier({ store, targets: () => undefined, retry: { maxAttempts: 0 } }),
    'retry.maxAttempts',
    'createNotifier: invalid option "retry.maxAttempts": an integer >= 1 (got 0)',
  ],
  [
    'createNotifier',
    () => createNotifier({ store, targets: () => undefined, attemptTimeoutMs: Number.NaN }),
    'attemptTimeoutMs',
    'createNotifier: invalid option "attemptTimeoutMs": a positive number of ms (got NaN)',
  ],
  [
    'startRetentionSweep',
    () => startRetentionSweep({ directory, store, deleteAudio: async () => {}, intervalMs: -5 }),
    'intervalMs',
    'startRetentionSweep: invalid option "intervalMs": a positive number of ms (got -5)',
  ],
  [
    'new FileMessageStore',
    () => new FileMessageStore(''),
    'directory',
    'new FileMessageStore: invalid option "directory": a non-empty path (got "")',
  ],
  [
    'new FileMessageStore',
    () => new FileMessageStore(dir, { onProblem: 'log' as never }),
    'onProblem',
    'new FileMessageStore: invalid option "onProblem": a function (got "log")',
  ],
  [
    'new FileMessageTrash',
    () => new FileMessageTrash(''),
    'directory',
    'new FileMessageTrash: invalid option "directory": a non-empty path (got "")',
  ],
  [
    'new FileMailboxSettings',
    () => new FileMailboxSettings(42 as never),
    'directory',
    'new FileMailboxSettings: invalid option "directory": a non-empty path (got 42)',
  ],
  [
    'new FileNotificationJobs',
    () => new FileNotificationJobs(''),
    'directory',
    'new FileNotificationJobs: invalid option "directory": a non-empty path (got "")',
  ],
];

describe('every public factory refuses a bad option in one error naming it', () => {
  it.each(cases)('%s: %s', (factory, make, option, message) => {
    const error = refusal(make);
    expect(error.factory).toBe(factory);
    expect(error.option).toBe(option);
    expect(error.message).toBe(message);
    expect(error.code).toBe('ARI_OPTIONS');
  });

  it('an unknown option is named, so a typo is found at once', () => {
    const error = refusal(() => createVoicemailCalls({ directory, store, revew: false } as never));
    expect(error.message).toBe('createVoicemailCalls: invalid option "revew": unknown option (got false)');
    expect(refusal(() => createNotifier({ store, targets: () => undefined, retires: {} } as never)).option).toBe(
      'retires',
    );
    expect(
      refusal(() => createMailboxApi({ directory, store, token: 'a-long-enough-token', base: '/x' } as never)).option,
    ).toBe('base');
  });

  it('the asynchronous ones reject the same way', async () => {
    const sweep = await refusalOf(() =>
      sweepRetention({ directory, store, deleteAudio: async () => {}, trashKeepMs: -1 }),
    );
    expect(sweep.message).toBe('sweepRetention: invalid option "trashKeepMs": a number of ms, 0 or more (got -1)');
    const missing = await refusalOf(() => sweepRetention({ directory, store } as never));
    expect(missing.message).toBe('sweepRetention: invalid option "deleteAudio": a function (got undefined)');
    const open = await refusalOf(() => Uploader.open({ spoolDir: '' }));
    expect(open.factory).toBe('Uploader.open');
    expect(open.option).toBe('spoolDir');
  });

  it('a secret is never shown', () => {
    const password = refusal(() => createAriClient({ url: 'http://127.0.0.1:1', username: 'u', password: 7 as never }));
    expect(password.message).toBe('createAriClient: invalid option "password": expected a string (got (hidden))');
    const token = refusal(() => createMailboxApi({ directory, store, token: 1234567890 as never }));
    expect(token.message).toBe(
      'createMailboxApi: invalid option "token": a string of at least 16 characters (got (hidden))',
    );
  });

  it('good options pass: each factory is made', async () => {
    expect(() => createVoicemailCalls({ directory, store, timeouts: { reviewMs: 5000 } })).not.toThrow();
    expect(() => createRecordCallCalls({ defaults: { format: 'mp3' }, uploader })).not.toThrow();
    expect(() => createMailboxApi({ directory, store, token: 'a-long-enough-token' })).not.toThrow();
    expect(() =>
      createNotifier({ store, targets: () => undefined, retry: { maxAttempts: 3, jitter: 0 } }),
    ).not.toThrow();
    const app = createStasisApp({ client, app: 'vm', createCall: () => undefined, drainTimeoutMs: 1000 });
    expect(app).toBeDefined();
    const sweeper = startRetentionSweep({ directory, store, deleteAudio: async () => {}, intervalMs: 60_000 });
    sweeper.stop();
    await expect(sweepRetention({ directory, store, deleteAudio: async () => {} })).resolves.toBeDefined();
  });
});
