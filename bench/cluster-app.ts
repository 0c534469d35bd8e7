// One voicemail instance of the cluster scenario (bench/cluster.ts), in a process of its own so that the scenario can
// kill it (SIGKILL), pause it (SIGSTOP) and cut its PostgreSQL sessions: its own Stasis app on one Asterisk, claiming
// the calls the dialplan's StasisBroadcast offers, a member of the cluster on the shared PostgreSQL schema, and a
// candidate for the MWI election of its Asterisk. It tells its parent over IPC when it is ready, when it leads or
// stops leading the lamps, when it took calls over, and when it found itself fenced (then it exits).

import { appendFileSync } from 'node:fs';
import { createAriClient } from '../src/ari/client.js';
import { joinCluster, PostgresMessageStore, publishMwiElected } from '../src/postgres/index.js';
import { createStasisApp } from '../src/runtime/app.js';
import { createVoicemailCalls } from '../src/voicemail/call.js';
import { InMemoryMailboxDirectory } from '../src/voicemail/mailbox.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`cluster-app: ${name} is not set`);
  return value;
};
const send = (message: Record<string, unknown>): void => {
  process.send?.(message);
};

const app = env('CLUSTER_APP');
const scope = env('CLUSTER_SCOPE');
const boxes = Number(env('CLUSTER_MAILBOXES'));
// Every session of this instance carries its app name, so that the scenario can find and terminate them.
const database = new URL(env('DATABASE_URL'));
database.searchParams.set('application_name', app);

// CLUSTER_LOG: a file this instance's warnings, errors and voicemail events are appended to, one JSON line each.
const logFile = process.env.CLUSTER_LOG;
const line = (level: string) => (message: string, fields?: Record<string, unknown>) => {
  if (!logFile) return;
  const safe = JSON.stringify({ at: Date.now(), app, level, message, ...fields }, (_, v) =>
    v instanceof Error ? { name: v.name, message: v.message } : v,
  );
  appendFileSync(logFile, `${safe}\n`);
};
const logger = { debug: () => {}, info: line('info'), warn: line('warn'), error: line('error') };

const client = createAriClient({
  url: env('CLUSTER_ARI_URL'),
  username: env('CLUSTER_ARI_USER'),
  password: env('CLUSTER_ARI_PASSWORD'),
  apps: [app],
  connections: 32,
  logger,
  reconnect: { initialDelayMs: 100 },
});
const store = new PostgresMessageStore({
  connectionString: database.toString(),
  schema: env('CLUSTER_SCHEMA'),
  journalScope: scope,
});
const directory = new InMemoryMailboxDirectory(
  Array.from({ length: boxes }, (_, i) => ({ mailbox: String(300 + i), limits: { maxMessages: 1000 } })),
);
let mwi: { stop(): Promise<void> } | undefined;
const member = await joinCluster({
  store,
  client,
  app,
  ttlMs: Number(env('CLUSTER_TTL_MS')),
  heartbeatMs: Number(env('CLUSTER_BEAT_MS')),
  logger,
  onTakeover: (r) => send({ type: 'takeover', dead: r.dead, calls: r.claimed.length }),
  onFenced: (reason) => {
    send({ type: 'fenced', reason });
    // Its lamps' lock goes with it; the process ends as an operator's supervisor would end it, and is replaced.
    void Promise.resolve(mwi?.stop())
      .catch(() => undefined)
      .finally(() => setTimeout(() => process.exit(3), 1000));
  },
});
const runtime = createStasisApp({
  client: member.client,
  app,
  claim: true,
  logger,
  adoptable: member.adoptable,
  onCallEvent: (event) => {
    member.onCallEvent(event);
    line('event')(event.type, { callId: event.callId });
  },
  createCall: createVoicemailCalls({
    directory,
    store: member.store,
    ...(logFile
      ? { onEvent: (e: { type: string; callId?: string }) => line('event')(e.type, { callId: e.callId }) }
      : {}),
  }),
});
member.attach(runtime);
await client.connect();
await runtime.start();
// The lamps go through the fenced client too: an instance that lost its lease publishes nothing either.
mwi = await publishMwiElected({
  store,
  client: member.client,
  asteriskId: scope,
  directory,
  sweepMs: Number(env('CLUSTER_MWI_SWEEP_MS')),
  retryMs: Number(env('CLUSTER_MWI_RETRY_MS')),
  onLeader: (leading) => send({ type: 'leader', leading }),
});
send({ type: 'ready', instance: member.instance });
process.on('SIGTERM', () => {
  void (async () => {
    await mwi?.stop().catch(() => undefined);
    await runtime.stop().catch(() => undefined);
    await member.leave().catch(() => undefined);
    await client.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    process.exit(0);
  })();
});
