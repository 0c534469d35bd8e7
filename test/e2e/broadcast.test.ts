// Two voicemail instances (apps vm-a and vm-b) share new calls through the cluster dialplan of
// docs/cluster-extensions.conf: with the broadcast modules, StasisBroadcast gives each call to the one instance that
// claimed it first (the other is refused with 409) and the message is stored once; with the modules unloaded, the
// same dialplan spreads the calls over the two apps, and the instances say the Asterisk has no broadcast.
//
// On the simulator (real clock) by default. On a real Asterisk when ARI_URL is set together with ASTERISK_DIR (what
// ../shared/asterisk/real/start.sh exports): the test appends docs/cluster-extensions.conf to that Asterisk's
// extensions.conf once and reloads the dialplan through ARI. The modules are unloaded and loaded back through ARI.

import { readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import {
  type BroadcastSupport,
  type ClaimReport,
  createStasisApp,
  detectBroadcast,
  type StasisApp,
} from '../../src/runtime/index.js';
import {
  createFarEnd,
  createSimulator,
  type FarEnd,
  type FarEndCall,
  type Simulator,
} from '../../src/simulator/index.js';
import { createVoicemailCalls } from '../../src/voicemail/call.js';
import type { VoicemailLibraryEvent } from '../../src/voicemail/events.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import type { VoicemailRecoveryReport } from '../../src/voicemail/recovery.js';
import { FileMessageStore } from '../../src/voicemail/store.js';

const DIALPLAN = new URL('../../docs/cluster-extensions.conf', import.meta.url);
const realUrl = process.env.ARI_URL;
const asteriskDir = process.env.ASTERISK_DIR;
const onReal = realUrl !== undefined;
if (onReal && !asteriskDir)
  console.info(
    'skipped: the broadcast e2e on a real Asterisk needs ASTERISK_DIR (start.sh exports it) to add its dialplan',
  );
const skip = onReal && !asteriskDir;
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const target = onReal
  ? { url: realUrl, username: process.env.ARI_USERNAME ?? 'asterisk', password: process.env.ARI_PASSWORD ?? 'asterisk' }
  : undefined;

interface Instance {
  readonly name: string;
  readonly client: AriClient;
  readonly app: StasisApp;
  readonly started: string[];
  readonly claims: ClaimReport[];
  readonly support: BroadcastSupport[];
  readonly saved: VoicemailLibraryEvent[];
  readonly recording: Map<string, string>;
  readonly recoveries: VoicemailRecoveryReport[];
}

let sim: Simulator | undefined;
let admin: AriClient;
let far: FarEnd;
let ari: { url: string; username: string; password: string };
let dir: string;
let store: FileMessageStore;
const instances: Instance[] = [];
const BOX = { mailbox: '305', context: 'default' };

async function instance(name: string, url: { url: string; username: string; password: string }): Promise<Instance> {
  const client = createAriClient({ ...url, apps: [name] });
  const started: string[] = [];
  const claims: ClaimReport[] = [];
  const support: BroadcastSupport[] = [];
  const saved: VoicemailLibraryEvent[] = [];
  const recording = new Map<string, string>();
  const recoveries: VoicemailRecoveryReport[] = [];
  client.onEvent((e) => {
    const event = e as { type: string; channel?: { id: string }; recording?: { name: string; target_uri: string } };
    if (event.type === 'StasisStart' && event.channel) started.push(event.channel.id);
    if (event.type === 'RecordingStarted' && event.recording)
      recording.set(event.recording.target_uri.replace('channel:', ''), event.recording.name);
  });
  const app = createStasisApp({
    client,
    app: name,
    claim: { maxCalls: 10, onClaim: (r) => claims.push(r), onSupport: (s) => support.push(s) },
    createCall: createVoicemailCalls({
      directory: new InMemoryMailboxDirectory([{ mailbox: '305' }]),
      store,
      greeting: 'none',
      review: false,
      mwiRefresh: false,
      onRecovery: (r) => recoveries.push(r),
      onEvent: (e) => {
        if (e.type === 'voicemail.saved') saved.push(e);
      },
    }),
  });
  await client.connect();
  await app.start();
  return { name, client, app, started, claims, support, saved, recording, recoveries };
}

beforeAll(async () => {
  if (skip) return;
  if (!target) {
    sim = await createSimulator({
      dialplan: [
        // docs/cluster-extensions.conf, as the simulator runs it.
        {
          context: 'vm-cluster',
          exten: '_3XX',
          broadcast: { timeoutMs: 1000, filter: '^vm-' },
          spread: ['vm-a', 'vm-b'],
        },
        { context: 'caller', exten: 's' },
      ],
    });
  }
  const url = target ?? { url: sim!.url, username: sim!.username, password: sim!.password };
  ari = url;
  admin = createAriClient(url);
  if (asteriskDir && onReal) {
    const conf = join(asteriskDir, 'etc', 'extensions.conf');
    if (!(await readFile(conf, 'utf8')).includes('[vm-cluster]')) {
      await appendFile(conf, `\n${readFileSync(DIALPLAN, 'utf8')}`);
    }
    await admin.asterisk.reloadModule({ moduleName: 'pbx_config.so' });
  }
  dir = await mkdtemp(join(tmpdir(), 'ari-vm-broadcast-'));
  store = new FileMessageStore(dir);
  instances.push(await instance('vm-a', url), await instance('vm-b', url));
  far = await createFarEnd({ ...url, timeoutMs: 20_000 });
});

afterAll(async () => {
  if (skip) return;
  // Whatever a test did to the modules, the Asterisk gets them back.
  for (const moduleName of ['res_stasis_broadcast.so', 'app_stasis_broadcast.so']) {
    await admin.asterisk.loadModule({ moduleName }).catch(() => undefined);
  }
  for (const i of instances) {
    await i.app.stop({ hangup: true });
    await i.client.close();
  }
  await far?.close();
  await admin?.close();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Waits (real time, bounded) until `test` holds. */
async function until<T>(test: () => T | undefined | false, what: string, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = test();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Leaves a message in 305 through the cluster dialplan; returns the call and the instance that took it. */
async function leaveMessage(): Promise<{ call: FarEndCall; owner: Instance }> {
  const call = await far.call('305', 'vm-cluster');
  const owner = await until(
    () => instances.find((i) => i.started.includes(call.calleeId)),
    'an instance with the call',
  );
  await until(() => owner.recording.get(call.calleeId), 'the recording to start');
  await call.tone(2);
  await call.dtmf('#');
  await until(() => owner.saved.some((e) => e.type === 'voicemail.saved' && e.callId === call.calleeId), 'saved');
  await call.waitFor((e) => e.type === 'ChannelDestroyed' && (e.channel as { id: string }).id === call.calleeId);
  return { call, owner };
}

describe.skipIf(skip)(`calls shared by the cluster dialplan (${onReal ? 'real Asterisk' : 'simulator'})`, () => {
  it('with the broadcast modules: one instance claims each call, the other is refused, one message each', async () => {
    for (const i of instances) {
      expect(i.support.map((s) => s.available)).toEqual([true]);
    }
    expect((await detectBroadcast(admin)).available).toBe(true);
    const before = (await store.list(BOX, 'INBOX')).length;
    for (let n = 0; n < 2; n++) {
      const { call, owner } = await leaveMessage();
      const other = instances.find((i) => i !== owner)!;
      expect(owner.claims.filter((c) => c.channelId === call.calleeId).map((c) => c.outcome)).toEqual(['claimed']);
      expect(other.claims.filter((c) => c.channelId === call.calleeId).map((c) => c.outcome)).toEqual(['taken']);
      expect(other.started).not.toContain(call.calleeId);
      // The channel went through StasisBroadcast, not Stasis: no claim of it can win afterwards.
      expect(owner.saved.filter((e) => e.type === 'voicemail.saved' && e.callId === call.calleeId)).toHaveLength(1);
    }
    const messages = await store.list(BOX, 'INBOX');
    expect(messages.length - before).toBe(2);
  });

  it('with the modules unloaded: the same dialplan spreads the calls over vm-a and vm-b', async () => {
    await admin.asterisk.unloadModule({ moduleName: 'app_stasis_broadcast.so' });
    await admin.asterisk.unloadModule({ moduleName: 'res_stasis_broadcast.so' });
    const support = await detectBroadcast(admin);
    expect(support).toEqual({
      available: false,
      modules: { 'res_stasis_broadcast.so': 'absent', 'app_stasis_broadcast.so': 'absent' },
    });
    const claimsBefore = instances.map((i) => i.claims.length);
    const owners: string[] = [];
    for (let n = 0; n < 2; n++) owners.push((await leaveMessage()).owner.name);
    // No offer came, so nobody claimed; one call went to each app, in turn.
    expect(instances.map((i) => i.claims.length)).toEqual(claimsBefore);
    expect(owners.sort()).toEqual(['vm-a', 'vm-b']);
    await admin.asterisk.loadModule({ moduleName: 'res_stasis_broadcast.so' });
    await admin.asterisk.loadModule({ moduleName: 'app_stasis_broadcast.so' });
    expect((await detectBroadcast(admin)).available).toBe(true);
  });

  it('an instance killed mid-recording comes back and carries its broadcast call on: one message, caller finished', async () => {
    const before = (await store.list(BOX, 'INBOX')).length;
    const call = await far.call('305', 'vm-cluster');
    const owner = await until(
      () => instances.find((i) => i.started.includes(call.calleeId)),
      'an instance with the call',
    );
    expect(owner.claims.filter((c) => c.channelId === call.calleeId).map((c) => c.outcome)).toEqual(['claimed']);
    await until(() => owner.recording.get(call.calleeId), 'the recording to start');
    await call.tone(1);
    // As kill -9: the actors stop where they are, the socket closes; the caller stays in the app's Stasis.
    await owner.app.stop();
    await owner.client.close();
    const again = await instance(owner.name, ari);
    instances[instances.indexOf(owner)] = again;
    // Its recovery finds the take's channel in its app (though it shows StasisBroadcast) and resumes the call.
    expect(again.recoveries.flatMap((r) => r.resumed)).toContain(call.calleeId);
    await call.waitFor((e) => e.type === 'ChannelDestroyed' && (e.channel as { id: string }).id === call.calleeId);
    const saved = instances
      .flatMap((i) => i.saved)
      .filter((e) => e.type === 'voicemail.saved' && e.callId === call.calleeId);
    expect(saved).toHaveLength(1);
    expect((await store.list(BOX, 'INBOX')).length - before).toBe(1);
  });
});
