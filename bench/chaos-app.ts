import { appendFileSync } from 'node:fs';
// The voicemail application as an operator runs it, in a process of its own so that the chaos run can kill it with
// SIGKILL (kill -9) and start it again: the library's client, runtime, voicemail calls and file store, nothing else.
// Configured by the environment the chaos run gives it; tells its parent `ready` once it serves calls.

import { createAriClient } from '../src/ari/client.js';
import { createStasisApp } from '../src/runtime/app.js';
import { createVoicemailCalls } from '../src/voicemail/call.js';
import { InMemoryMailboxDirectory } from '../src/voicemail/mailbox.js';
import { FileMessageStore } from '../src/voicemail/store.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`chaos-app: ${name} is not set`);
  return value;
};

const boxes = Number(env('CHAOS_MAILBOXES'));
// CHAOS_LOG: a file the application's warnings and errors are appended to, one JSON line each (for a failed run).
const logFile = process.env.CHAOS_LOG;
const line = (level: string) => (message: string, fields?: Record<string, unknown>) => {
  if (!logFile) return;
  const safe = JSON.stringify({ level, message, ...fields }, (_, v) =>
    v instanceof Error ? { name: v.name, message: v.message } : v,
  );
  appendFileSync(logFile, `${safe}\n`);
};
const logger = { debug: () => {}, info: line('info'), warn: line('warn'), error: line('error') };
const client = createAriClient({
  url: env('CHAOS_ARI_URL'),
  username: env('CHAOS_ARI_USER'),
  password: env('CHAOS_ARI_PASSWORD'),
  apps: ['vm-record'],
  connections: 64,
  logger,
  // Back on the socket quickly after a drop: while it is away Asterisk refuses new calls to the app (Stasis fails).
  reconnect: { initialDelayMs: 100 },
});
const directory = new InMemoryMailboxDirectory(
  Array.from({ length: boxes }, (_, i) => ({ mailbox: String(300 + i), limits: { maxMessages: 1000 } })),
);
// CHAOS_TRACE=1 (with CHAOS_LOG): every call's state after each transition, and how it ended (to find where a
// call the run reports late waited).
const trace = process.env.CHAOS_TRACE ? line('trace') : undefined;
const app = createStasisApp({
  client,
  app: 'vm-record',
  logger,
  ...(trace
    ? {
        onCallEvent: (event) => {
          if (event.type === 'call.started') {
            let last = '';
            event.actor.subscribe({
              next: (snapshot: { value: unknown }) => {
                const state = JSON.stringify(snapshot.value);
                if (state !== last) trace('state', { callId: event.callId, state, at: Date.now() });
                last = state;
              },
              // The runtime reports the actor's error; a listener without one would make it unhandled.
              error: () => {},
            });
          } else trace(event.type, { callId: event.callId, at: Date.now() });
        },
      }
    : {}),
  createCall: createVoicemailCalls({
    directory,
    store: new FileMessageStore(env('CHAOS_STORE_DIR')),
    mwiRefresh: { intervalMs: Number(env('CHAOS_MWI_MS')) },
  }),
});
await client.connect();
await app.start();
process.send?.('ready');
process.on('SIGTERM', () => {
  void app.stop().then(() => client.close().finally(() => process.exit(0)));
});
