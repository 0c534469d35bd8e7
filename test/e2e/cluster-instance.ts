// One voicemail instance of a cluster as its own process, for takeover-kill.test.ts: the Stasis app `APP` on the
// Asterisk at ARI_URL, joined to the cluster on DATABASE_URL's `SCHEMA` (scope `SCOPE`). Prints `ready` once it
// serves calls, and `saved <callId>` for each message it keeps.
import { createAriClient } from '../../src/ari/client.js';
import { joinCluster, PostgresMessageStore } from '../../src/postgres/index.js';
import { createStasisApp } from '../../src/runtime/app.js';
import { createVoicemailCalls } from '../../src/voicemail/call.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`cluster-instance: ${name} is not set`);
  return value;
};
const app = env('APP');
const client = createAriClient({
  url: env('ARI_URL'),
  username: env('ARI_USERNAME'),
  password: env('ARI_PASSWORD'),
  apps: app,
});
const store = new PostgresMessageStore({
  connectionString: env('DATABASE_URL'),
  schema: env('SCHEMA'),
  journalScope: env('SCOPE'),
});
const member = await joinCluster({
  store,
  client,
  app,
  ttlMs: Number(env('TTL_MS')),
  heartbeatMs: Number(env('BEAT_MS')),
  onTakeover: (r) => console.log(`takeover ${r.claimed.map((c) => `${c.callId}@${c.epoch}`).join(' ')}`),
});
const runtime = createStasisApp({
  client: member.client,
  app,
  adoptable: member.adoptable,
  onCallEvent: member.onCallEvent,
  createCall: createVoicemailCalls({
    directory: new InMemoryMailboxDirectory([{ mailbox: '305' }]),
    store: member.store,
    onEvent: (e) => {
      if (e.type === 'voicemail.saved') console.log(`saved ${e.callId}`);
    },
  }),
});
member.attach(runtime);
await client.connect();
await runtime.start();
console.log('ready');
