// The end-to-end harness: the voicemail app (createStasisApp + createVoicemailCalls + FileMessageStore) and the
// ARI-only far end, against the embedded simulator on its manual clock, or against a real Asterisk when ARI_URL,
// ARI_USERNAME and ARI_PASSWORD are set. Every observation goes through ARI (stored recordings, their WAV files,
// mailboxes) so the same assertions hold on both; only fault injection needs the simulator.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { AriHttpError, isAriError } from '../../src/ari/errors.js';
import type { Channel } from '../../src/ari/models.js';
import { PostgresMessageStore } from '../../src/postgres/index.js';
import {
  type CallLifecycleEvent,
  createStasisApp,
  type RuntimeClient,
  type StasisApp,
  type StasisAppOptions,
} from '../../src/runtime/app.js';
import type { CallObserver } from '../../src/runtime/observers.js';
import type { CallFactory } from '../../src/runtime/types.js';
import {
  createFarEnd,
  createSimulator,
  type FarEnd,
  type FarEndCall,
  parseWav,
  type Simulator,
} from '../../src/simulator/index.js';
import { createVoicemailCalls, type VoicemailCallsOptions } from '../../src/voicemail/call.js';
import type { VoicemailLibraryEvent } from '../../src/voicemail/events.js';
import type { JournaledStore } from '../../src/voicemail/journal.js';
import { InMemoryMailboxDirectory, type MailboxConfig } from '../../src/voicemail/mailbox.js';
import {
  createVoicemailMainCalls,
  type MailboxMenuEvent,
  type VoicemailMainCallsOptions,
} from '../../src/voicemail/main.js';
import { type MwiCounts, mwiCounts } from '../../src/voicemail/mwi.js';
import type { VoicemailRecoveryReport } from '../../src/voicemail/recovery.js';
import { FileMailboxSettings, withMailboxSettings } from '../../src/voicemail/settings.js';
import { FileMessageStore, type VoicemailMessage } from '../../src/voicemail/store.js';
import { FileMessageTrash } from '../../src/voicemail/trash.js';
import { dropSchema, freshSchema } from '../helpers/postgres.js';

/** An ARI event as the app's client received it (only the fields the tests read are typed). */
export interface SeenEvent {
  type: string;
  application: string;
  channel?: { id: string; caller?: { name: string; number: string } };
  playback?: { id: string; media_uri?: string; target_uri?: string; state?: string };
  recording?: { name: string; state?: string; duration?: number; target_uri?: string };
  digit?: string;
  [field: string]: unknown;
}

/** One REST request the voicemail app made, and how it ended. */
export interface SeenRequest {
  op: string;
  params: Record<string, unknown>;
  status: number | 'pending' | 'ok';
}

const real = process.env.ARI_URL
  ? { url: process.env.ARI_URL, username: process.env.ARI_USERNAME ?? '', password: process.env.ARI_PASSWORD ?? '' }
  : undefined;

/** True when the suite runs against a real Asterisk. */
export const onRealAsterisk = real !== undefined;

/** Per-test limit in real ms: calls take real time on a real Asterisk (greetings alone last seconds). */
export const TEST_TIMEOUT_MS = onRealAsterisk ? 300_000 : 60_000;

let announced = false;
function announce(target?: { url: string }): void {
  if (announced) return;
  announced = true;
  if (process.env.E2E_STORE === 'postgres') console.info('e2e: the message store is PostgreSQL (E2E_STORE=postgres)');
  if (target) console.info(`e2e: running against the Asterisk given to the harness (${target.url})`);
  else if (real) console.info(`e2e: running against the real Asterisk at ARI_URL (${real.url})`);
  else
    console.info(
      'e2e: ARI_URL, ARI_USERNAME and ARI_PASSWORD are not set: running on the embedded ARI simulator (manual clock)',
    );
}

const RESOURCES = ['channels', 'bridges', 'recordings', 'playbacks', 'mailboxes', 'events'] as const;

/**
 * Counts the client's REST calls in flight (so the clock only moves when nothing is on its way) and, when `log` is
 * given, records them. Wraps the methods in place: the far end keeps using the same objects.
 */
function instrument(client: AriClient, inflight: { n: number }, log?: SeenRequest[]): void {
  for (const name of RESOURCES) {
    const resource = client[name] as unknown as Record<string, unknown>;
    for (const [op, fn] of Object.entries(resource)) {
      if (typeof fn !== 'function') continue;
      resource[op] = (params: Record<string, unknown>, options: unknown) => {
        const seen: SeenRequest = { op: `${name}.${op}`, params: { ...params }, status: 'pending' };
        log?.push(seen);
        inflight.n += 1;
        const done = (fn as (p: unknown, o: unknown) => Promise<unknown>)(params, options);
        done.then(
          () => {
            seen.status = 'ok';
            inflight.n -= 1;
          },
          (error: unknown) => {
            seen.status = error instanceof AriHttpError ? error.status : 0;
            inflight.n -= 1;
          },
        );
        return done;
      };
    }
  }
}

export interface HarnessOptions {
  /** Mailboxes of the directory; default 305, 306 and 307 in `default`. */
  mailboxes?: MailboxConfig[];
  /** Options of createVoicemailCalls besides directory, store and onEvent. */
  voicemail?: Omit<VoicemailCallsOptions, 'directory' | 'store' | 'onEvent' | 'onRecovery'>;
  /** The far end's `waitFor` limit in real ms (it also bounds every wait here). Default 20,000. */
  realLimitMs?: number;
  /**
   * The mailbox menu on some extensions of `vm-record` (the dialplan sends every 3XX there): each extension maps to
   * the Stasis arguments the menu gets (`[]` asks for the mailbox, `['305']` only for the PIN).
   */
  main?: { extensions: Record<string, string[]>; options?: Partial<VoicemailMainCallsOptions> };
  /**
   * Makes the message store (once for the harness, once more for each start of the app, as a new process would);
   * default a `FileMessageStore` on the harness's directory.
   */
  store?: () => JournaledStore;
  /** The Asterisk to drive (instead of ARI_URL or the simulator): several harnesses on several Asterisks. */
  target?: { url: string; username: string; password: string };
  /** Watchers of the app's calls (the runtime's `observers`). */
  observers?: readonly CallObserver[];
  /**
   * Makes each start of the app a cluster member (`joinCluster`): given the app's client (its requests are the ones
   * logged), it gives the client, store and runtime options the app runs with, and is told of the app.
   */
  member?: (client: AriClient) => Promise<HarnessMember>;
  /** The runtime's hibernation of parked calls (`createStasisApp({ hibernate })`); default off. */
  hibernate?: StasisAppOptions['hibernate'];
}

/** What {@link HarnessOptions.member} gives (a `ClusterMember` is one). */
export interface HarnessMember {
  readonly client: RuntimeClient;
  readonly store: JournaledStore;
  readonly adoptable?: (channel: Channel) => readonly string[] | undefined;
  readonly onCallEvent?: (event: CallLifecycleEvent) => void;
  attach?(app: StasisApp): void;
}

export interface Harness {
  /**
   * Kills the voicemail app as `kill -9` would: its actors stop where they are (nothing is hung up, continued or
   * saved), its event socket and HTTP connections close. Its channels stay in Stasis on Asterisk.
   */
  crash(): Promise<void>;
  /** Starts a fresh voicemail app (new client, new store instance on the same directory) after a crash. */
  restart(): Promise<void>;
  readonly sim: Simulator | undefined;
  readonly client: AriClient;
  readonly app: StasisApp;
  readonly store: JournaledStore;
  readonly farEnd: FarEnd;
  /** The library's events (`voicemail.saved`, ...). */
  readonly events: VoicemailLibraryEvent[];
  /** What each recovery from the journal did (at start, after gaps, after a restart). */
  readonly recoveries: VoicemailRecoveryReport[];
  /** Every ARI event of `vm-record` the app's client received. */
  readonly ari: SeenEvent[];
  /** Every REST request of the voicemail app. */
  readonly requests: SeenRequest[];
  /** PINs and greetings (the menu's settings; the deposit side sees the greetings too). */
  readonly settings: FileMailboxSettings;
  /** Deleted messages. */
  readonly trash: FileMessageTrash;
  /** The mailbox menu's events. */
  readonly menuEvents: MailboxMenuEvent[];
  /**
   * Requests of the app that the simulator holds on its clock (`faults.delayRequests`): settling does not wait for
   * them, since only passing time lets them through.
   */
  readonly holds: Array<(r: SeenRequest) => boolean>;
  /** Waits until nothing is on its way: no REST call in flight, and a few turns of the event loop were quiet. */
  settle(): Promise<void>;
  /**
   * Waits for `test` while letting call time pass: on the manual clock in steps of `stepMs` (default 100) whenever
   * everything settled, on a real Asterisk in real time. Fails after `simLimitMs` of call time (default 120,000).
   */
  until<T>(
    test: () => T | undefined | false,
    what: string,
    options?: { stepMs?: number; simLimitMs?: number },
  ): Promise<T>;
  /** Lets exactly `ms` of call time pass (manual clock), or waits that long (real Asterisk). */
  pass(ms: number): Promise<void>;
  /** Resolves `work` while call time passes (for far-end steps that need time to complete). */
  drive<T>(work: Promise<T>, what: string): Promise<T>;
  /**
   * Runs `work` (many calls at once) while letting call time pass: the waits inside it only watch, and the clock
   * moves in steps of `stepMs` (default 100) once everything settled. On a real Asterisk, real time passes.
   */
  driveAll<T>(work: () => Promise<T>, what: string, options?: { stepMs?: number; simLimitMs?: number }): Promise<T>;
  /** Calls `exten` (default 305) and waits until the voicemail app has the callee half as a call. */
  dial(exten?: string): Promise<FarEndCall>;
  /** The app-side events of one call (its channel, or playbacks and recordings on it). */
  eventsOf(call: FarEndCall): SeenEvent[];
  /** Waits (letting time pass) for the `n`-th RecordingStarted of the call (1-based); returns the recording name. */
  recordingStarted(call: FarEndCall, n: number): Promise<string>;
  /** Waits for the review playback of `recordingName` to start. */
  reviewStarted(call: FarEndCall, recordingName: string): Promise<void>;
  /** The caller speaks (a tone) for `seconds` of call time; resolves when done. */
  speak(call: FarEndCall, seconds: number): Promise<void>;
  /** The caller presses `digit`; resolves when the app's channel received it. */
  press(call: FarEndCall, digit: string): Promise<void>;
  /** The caller hangs up; resolves when both halves are gone and the call's actor has ended. */
  hangup(call: FarEndCall): Promise<void>;
  /** Resolves when the call's actor has ended and both halves are gone (the app ended the call). */
  ended(call: FarEndCall): Promise<void>;
  /** Stored recordings (through ARI) whose name contains `token`. */
  storedNames(token: string): Promise<string[]>;
  /** Length of a stored recording's audio in seconds, from its WAV bytes fetched through ARI. */
  wavSeconds(recordingName: string): Promise<number>;
  /** The message-waiting counts Asterisk holds for `305@default` (zero when it has none). */
  mwi(mailbox: string, context?: string): Promise<MwiCounts>;
  /** The store's counts as MWI would publish them. */
  storeMwi(mailbox: string, context?: string): Promise<MwiCounts>;
  /** The store's messages of `mailbox` that a call left (their id contains the callee channel's token). */
  messagesOf(call: FarEndCall, mailbox?: string): Promise<VoicemailMessage[]>;
  close(): Promise<void>;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** Starts a target (simulator or real Asterisk), the voicemail app on `vm-record` and a far end. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  announce(options.target);
  const realLimitMs = options.realLimitMs ?? 20_000;
  const given = options.target ?? real;
  const sim = given ? undefined : await createSimulator({ clock: 'manual' });
  const target = given ?? { url: sim!.url, username: sim!.username, password: sim!.password };
  const dir = await mkdtemp(join(tmpdir(), 'ari-vm-e2e-'));
  // E2E_STORE=postgres (with DATABASE_URL): every suite on a PostgreSQL schema of its own instead of the files.
  const pgUrl = !options.store && process.env.E2E_STORE === 'postgres' ? process.env.DATABASE_URL : undefined;
  if (process.env.E2E_STORE === 'postgres' && !pgUrl && !options.store)
    throw new Error('e2e: E2E_STORE=postgres needs DATABASE_URL');
  const pgSchema = pgUrl ? freshSchema() : undefined;
  const pgStores: PostgresMessageStore[] = [];
  const makeStore =
    options.store ??
    (pgUrl
      ? () => {
          const s = new PostgresMessageStore({ connectionString: pgUrl, schema: pgSchema });
          pgStores.push(s);
          return s;
        }
      : () => new FileMessageStore(dir));
  const store = makeStore();
  const settings = new FileMailboxSettings(join(dir, '.settings'));
  const trash = new FileMessageTrash(join(dir, '.trash'));
  const menuEvents: MailboxMenuEvent[] = [];
  const directory = withMailboxSettings(
    new InMemoryMailboxDirectory(options.mailboxes ?? [{ mailbox: '305' }, { mailbox: '306' }, { mailbox: '307' }]),
    settings,
  );
  const inflight = { n: 0 };
  const requests: SeenRequest[] = [];
  const holds: Array<(r: SeenRequest) => boolean> = [];
  const dialed: string[] = [];
  const events: VoicemailLibraryEvent[] = [];
  const ari: SeenEvent[] = [];
  const recoveries: VoicemailRecoveryReport[] = [];
  const byChannel = new Map<string, SeenEvent[]>();
  const startApp = async () => {
    const appClient = createAriClient({ ...target, apps: ['vm-record'], connections: 64 });
    instrument(appClient, inflight, requests);
    appClient.onEvent((e) => {
      ari.push(e as unknown as SeenEvent);
    });
    appClient.onEvent((raw) => {
      const e = raw as unknown as SeenEvent;
      const target = e.playback?.target_uri ?? e.recording?.target_uri;
      const id = e.channel?.id ?? (target?.startsWith('channel:') ? target.slice(8) : undefined);
      if (!id) return;
      const list = byChannel.get(id) ?? [];
      list.push(e);
      byChannel.set(id, list);
    });
    const member = await options.member?.(appClient);
    const appStore = member?.store ?? makeStore();
    const menu = options.main
      ? createVoicemailMainCalls({
          ...options.main.options,
          directory,
          store: appStore,
          settings,
          trash,
          onEvent: (e) => menuEvents.push(e),
          now: sim ? () => new Date(sim.clock.now()) : undefined,
        })
      : undefined;
    const withMenu = (deposit: CallFactory): CallFactory =>
      // The deposit factory's recovery and stop hooks stay with it (the menu has no journal).
      Object.assign(
        (start: Parameters<CallFactory>[0], scope: Parameters<CallFactory>[1]) => {
          const args = menu ? options.main?.extensions[start.args[0] ?? ''] : undefined;
          return menu && args ? menu({ ...start, args }, scope) : deposit(start, scope);
        },
        { recover: deposit.recover, stop: deposit.stop },
      );
    const stasis = createStasisApp({
      client: member?.client ?? appClient,
      app: 'vm-record',
      clock: sim?.clock,
      ...(member?.adoptable ? { adoptable: member.adoptable } : {}),
      ...(member?.onCallEvent ? { onCallEvent: member.onCallEvent } : {}),
      ...(options.observers ? { observers: options.observers } : {}),
      ...(options.hibernate !== undefined ? { hibernate: options.hibernate } : {}),
      createCall: withMenu(
        createVoicemailCalls({
          ...options.voicemail,
          directory,
          store: appStore,
          onEvent: (e) => events.push(e),
          onRecovery: (report) => recoveries.push(report),
          // The message's receivedAt follows the call's clock.
          now: sim ? () => new Date(sim.clock.now()) : undefined,
        }),
      ),
    });
    member?.attach?.(stasis);
    await appClient.connect();
    await stasis.start();
    return { appClient, stasis };
  };
  let { appClient: client, stasis: app } = await startApp();
  const farEnd = await createFarEnd({ ...target, timeoutMs: realLimitMs, ...(sim ? { clock: sim.clock } : {}) });
  instrument(farEnd.client, inflight);

  // While one driver lets time pass (`drive` of many calls at once), every other wait only watches: the waiters
  // are checked each time things settle, and the clock moves only when all of them are stuck.
  let driving = false;
  const waiters = new Set<{ test: () => unknown; resolve: (value: unknown) => void; reject: (e: unknown) => void }>();
  const checkWaiters = (): boolean => {
    let woke = false;
    for (const w of waiters) {
      let value: unknown;
      try {
        value = w.test();
      } catch (error) {
        waiters.delete(w);
        w.reject(error);
        woke = true;
        continue;
      }
      if (value === undefined || value === false) continue;
      waiters.delete(w);
      w.resolve(value);
      woke = true;
    }
    return woke;
  };
  const settle = async (): Promise<void> => {
    const deadline = Date.now() + realLimitMs;
    for (let quiet = 0; quiet < 3; ) {
      await turn();
      await tick();
      const held = holds.length
        ? requests.filter((r) => r.status === 'pending' && holds.some((hold) => hold(r))).length
        : 0;
      quiet = inflight.n <= held && !checkWaiters() ? quiet + 1 : 0;
      if (Date.now() > deadline)
        throw new Error(`e2e: ${inflight.n} REST calls still in flight after ${realLimitMs} ms`);
    }
  };
  const watch = <T>(test: () => T | undefined | false): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      waiters.add({ test, resolve: resolve as (value: unknown) => void, reject });
    });
  const until = async <T>(
    test: () => T | undefined | false,
    what: string,
    opts: { stepMs?: number; simLimitMs?: number } = {},
  ): Promise<T> => {
    if (driving) return watch(test);
    const step = opts.stepMs ?? 100;
    const limit = opts.simLimitMs ?? 120_000;
    const realDeadline = Date.now() + (sim ? realLimitMs : limit);
    for (let passed = 0; ; passed += step) {
      if (sim) await settle();
      const value = test();
      if (value !== undefined && value !== false) return value;
      if (passed >= limit || Date.now() > realDeadline) {
        throw new Error(`e2e: still waiting for ${what} after ${passed} ms of call time`);
      }
      if (sim) sim.clock.advance(step);
      else await new Promise((resolve) => setTimeout(resolve, Math.min(step, 50)));
    }
  };
  const pass = async (ms: number): Promise<void> => {
    if (!sim) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return;
    }
    if (driving) {
      const at = sim.clock.now() + ms;
      await watch(() => sim.clock.now() >= at);
      return;
    }
    await settle();
    sim.clock.advance(ms);
    await settle();
  };
  const drive = async <T>(work: Promise<T>, what: string, opts: { stepMs?: number; simLimitMs?: number } = {}) => {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    if (driving) {
      await watch(() => settled);
      return watched;
    }
    await until(() => settled, what, opts);
    return watched;
  };
  const driveAll = async <T>(
    work: () => Promise<T>,
    what: string,
    opts: { stepMs?: number; simLimitMs?: number } = {},
  ) => {
    if (driving) throw new Error('e2e: driveAll inside a drive');
    let settled = false;
    driving = true;
    const watched = work().finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    try {
      const step = opts.stepMs ?? 100;
      const limit = opts.simLimitMs ?? 600_000;
      for (let passed = 0; ; passed += step) {
        if (sim) await settle();
        else await new Promise((resolve) => setTimeout(resolve, 20));
        checkWaiters();
        if (settled) break;
        if (passed >= limit) throw new Error(`e2e: still waiting for ${what} after ${passed} ms of call time`);
        if (sim) sim.clock.advance(step);
      }
    } finally {
      driving = false;
      for (const w of waiters) w.reject(new Error(`e2e: ${what} ended with a wait left`));
      waiters.clear();
    }
    return watched;
  };

  const eventsOf = (call: FarEndCall): SeenEvent[] => byChannel.get(call.calleeId) ?? [];

  const gone = (call: FarEndCall) =>
    app.actor(call.calleeId) === undefined &&
    [call.channelId, call.calleeId].every((id) =>
      call.events.some((e) => e.type === 'ChannelDestroyed' && (e.channel as { id: string }).id === id),
    );

  const harness: Harness = {
    async crash() {
      await app.stop();
      await client.close();
    },
    async restart() {
      ({ appClient: client, stasis: app } = await startApp());
    },
    sim,
    get client() {
      return client;
    },
    get app() {
      return app;
    },
    store,
    farEnd,
    events,
    recoveries,
    ari,
    requests,
    settings,
    trash,
    menuEvents,
    holds,
    settle,
    until,
    pass,
    drive,
    driveAll,
    async dial(exten = '305') {
      const call = await drive(farEnd.call(exten), `the call to ${exten} to be answered`);
      dialed.push(call.calleeId);
      await until(
        () => app.actor(call.calleeId) !== undefined || eventsOf(call).length > 0,
        'the app to take the call',
      );
      return call;
    },
    eventsOf,
    async recordingStarted(call, n) {
      return until(
        () => eventsOf(call).filter((e) => e.type === 'RecordingStarted')[n - 1]?.recording?.name,
        `RecordingStarted #${n} on ${call.calleeId}`,
      );
    },
    async reviewStarted(call, recordingName) {
      await until(
        () =>
          eventsOf(call).some(
            (e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === `recording:${recordingName}`,
          ),
        `the review of ${recordingName}`,
      );
    },
    async speak(call, seconds) {
      const before = call.events.length;
      const speech = call.tone(seconds);
      speech.catch(() => {});
      await until(
        () =>
          call.events
            .slice(before)
            .some((e) => e.type === 'PlaybackStarted' && String((e.playback as { id: string }).id).startsWith('say-')),
        'the caller to start speaking',
        { stepMs: 1 },
      );
      await pass(seconds * 1000);
      await drive(speech, 'the caller to finish speaking');
    },
    async press(call, digit) {
      const count = () => eventsOf(call).filter((e) => e.type === 'ChannelDtmfReceived' && e.digit === digit).length;
      const before = count();
      await call.dtmf(digit);
      await until(() => count() > before, `DTMF ${digit} to reach ${call.calleeId}`, { stepMs: 10 });
    },
    async hangup(call) {
      await drive(call.hangup(), `the hang-up of ${call.channelId}`);
      await until(() => gone(call), `the end of the call ${call.calleeId}`);
    },
    async ended(call) {
      await until(() => gone(call), `the end of the call ${call.calleeId}`);
      await drive(call.hangup(), `the far end to clean up ${call.channelId}`);
    },
    async storedNames(token) {
      const all = await client.recordings.listStored();
      return all.map((r) => r.name).filter((name) => name.includes(token));
    },
    async wavSeconds(recordingName) {
      const file = await client.recordings.getStoredFile({ recordingName });
      const chunks: Buffer[] = [];
      for await (const chunk of file) chunks.push(Buffer.from(chunk as Uint8Array));
      return parseWav(Buffer.concat(chunks)).durationSeconds;
    },
    async mwi(mailbox, context = 'default') {
      try {
        const m = await client.mailboxes.get({ mailboxName: `${mailbox}@${context}` });
        return { newMessages: m.new_messages, oldMessages: m.old_messages };
      } catch (error) {
        if (isAriError(error, 404)) return { newMessages: 0, oldMessages: 0 };
        throw error;
      }
    },
    async storeMwi(mailbox, context = 'default') {
      return mwiCounts(await store.count({ mailbox, context }));
    },
    async messagesOf(call, mailbox = '305') {
      const all = await store.list({ mailbox, context: 'default' });
      return all.filter((m) => m.id.includes(call.calleeId));
    },
    async close() {
      await app.stop();
      // A real Asterisk keeps what the suite recorded: remove every recording of this run's calls.
      if (!sim && dialed.length > 0) {
        for (const r of await client.recordings.listStored()) {
          if (!dialed.some((id) => r.name.includes(id))) continue;
          await client.recordings.deleteStored({ recordingName: r.name }).catch(() => {});
        }
      }
      await farEnd.close();
      await client.close();
      await sim?.close();
      await rm(dir, { recursive: true, force: true });
      await Promise.all(pgStores.map((s) => s.close()));
      if (pgUrl && pgSchema) await dropSchema(pgUrl, pgSchema);
    },
  };
  return harness;
}

/**
 * `calls` messages spread evenly over the INBOXes of `boxes` (context `default`), every lamp on Asterisk equal to
 * the store's count.
 */
export async function expectEvenInboxes(harness: Harness, boxes: readonly string[], calls: number): Promise<void> {
  let messages = 0;
  for (const box of boxes) {
    const list = await harness.store.list({ mailbox: box, context: 'default' }, 'INBOX');
    expect(list, box).toHaveLength(calls / boxes.length);
    messages += list.length;
    expect(await harness.mwi(box)).toEqual(await harness.storeMwi(box));
  }
  expect(messages).toBe(calls);
}
