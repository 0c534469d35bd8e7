// This library: createAriClient + createStasisApp + the real voicemail call factory, configured so that a call
// is the session of ./app.ts: mailbox 305 whose greeting is a stored recording that does not exist (a playback
// that ends at once), instructions skipped (Stasis argument `s305`), no review, no time or silence limit,
// a goodbye that does not exist either, and a hang-up at the end. Messages go to a store in memory.

import { createAriClient } from '../../src/ari/client.js';
import { createStasisApp, type RuntimeClient } from '../../src/runtime/index.js';
import { createVoicemailCalls, InMemoryMailboxDirectory } from '../../src/voicemail/index.js';
import { type AppStarter, BENCH_MAILBOX, GOODBYE_MEDIA, GREETING_MEDIA } from './app.js';
import { MemoryMessageStore } from './memory-store.js';

export const startOurs: AppStarter = async ({ url, user, password, app }) => {
  const client = createAriClient({ url, username: user, password, apps: app, connections: 64 });
  const directory = new InMemoryMailboxDirectory([
    {
      ...BENCH_MAILBOX,
      greetings: { unavailable: GREETING_MEDIA.slice('recording:'.length) },
      limits: { maxMessages: Number.MAX_SAFE_INTEGER, maxMessageSeconds: 0, maxSilenceSeconds: 0 },
    },
  ]);
  const stasis = createStasisApp({
    // AriClient's onEvent hands out AriEvent, which the runtime's RoutableEvent does not (yet) accept as a type.
    client: client as unknown as RuntimeClient,
    app,
    createCall: createVoicemailCalls({
      directory,
      store: new MemoryMessageStore(),
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
