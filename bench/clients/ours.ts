// This library: createAriClient + createStasisApp + the real voicemail call factory, configured so that a call
// is the session of ./app.ts: mailbox 305 whose greeting is a stored recording that does not exist (a playback
// that ends at once), instructions skipped (Stasis argument `s305`), no review, no time or silence limit,
// a goodbye that does not exist either, and a hang-up at the end. Messages go to a store in memory.
//
// The library is passed in: the benchmark gives it the compiled package (`dist/src/index.js`, as users run it),
// the tests give it the sources.

import type { RuntimeClient } from '../../src/runtime/index.js';
import { type AppStarter, BENCH_MAILBOX, GOODBYE_MEDIA, GREETING_MEDIA } from './app.js';
import { createMemoryMessageStore } from './memory-store.js';

/** What the client uses of the package's root module (`ari-voicemail`). */
export type OursLibrary = Pick<
  typeof import('../../src/index.js'),
  | 'createAriClient'
  | 'createStasisApp'
  | 'createVoicemailCalls'
  | 'InMemoryMailboxDirectory'
  | 'emptyCounts'
  | 'MessageNotFoundError'
  | 'VoicemailInputError'
>;

export function oursStarter(lib: OursLibrary): AppStarter {
  return async ({ url, user, password, app }) => {
    const client = lib.createAriClient({ url, username: user, password, apps: app, connections: 64 });
    const directory = new lib.InMemoryMailboxDirectory([
      {
        ...BENCH_MAILBOX,
        greetings: { unavailable: GREETING_MEDIA.slice('recording:'.length) },
        limits: { maxMessages: Number.MAX_SAFE_INTEGER, maxMessageSeconds: 0, maxSilenceSeconds: 0 },
      },
    ]);
    const stasis = lib.createStasisApp({
      // AriClient's onEvent hands out AriEvent, which the runtime's RoutableEvent does not (yet) accept as a type.
      client: client as unknown as RuntimeClient,
      app,
      createCall: lib.createVoicemailCalls({
        directory,
        store: createMemoryMessageStore(lib),
        review: false,
        finish: 'hangup',
        prompts: { saved: [GOODBYE_MEDIA] },
      }),
    });
    await stasis.start();
    await client.connect();
    return {
      active: () => stasis.stats().calls,
      completed: () => stasis.stats().ended,
      close: async () => {
        await stasis.stop();
        await client.close();
      },
    };
  };
}
