import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatWithOptions } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { AriHttpError, AriOptionsError } from '../../src/ari/errors.js';
import { silentLogger } from '../../src/ari/logger.js';
import type { Channel } from '../../src/ari/models.js';
import type { AriResources } from '../../src/ari/operations.js';
import { bindCallScope } from '../../src/runtime/app.js';
import type { CallScope, CallStart, RouteKind } from '../../src/runtime/types.js';
import { createVoicemailCalls } from '../../src/voicemail/call.js';
import type { VoicemailLibraryEvent } from '../../src/voicemail/events.js';
import { voicemailImplementations } from '../../src/voicemail/implementations.js';
import { InMemoryMailboxDirectory } from '../../src/voicemail/mailbox.js';
import { publishMwi } from '../../src/voicemail/mwi.js';
import { FileMessageStore } from '../../src/voicemail/store.js';

// The implementations' REST call sequences against a fake AriResources that answers like Asterisk (README of the
// real traces): 404 for what is gone, recordings that stay stored after a cancel when told to.

type Step = { op: string; params: Record<string, unknown> } | { route: RouteKind; id: string };

const notFound = (what: string) => new AriHttpError(404, `${what} not found`, { method: 'GET', path: '/x' });

class FakeAsterisk {
  readonly log: Step[] = [];
  readonly live = new Set<string>();
  readonly stored = new Set<string>();
  /** Recordings whose deletion Asterisk answers 204 without deleting (to prove nothing trusts an answer). */
  readonly stubborn = new Set<string>();
  channelGone = false;
  readonly client: AriResources;

  constructor() {
    const handlers: Record<string, (p: Record<string, unknown>) => unknown> = {
      'channels.answer': () => this.channel(),
      'channels.playWithId': (p) => {
        this.channel();
        return { id: p.playbackId, state: 'queued' };
      },
      'channels.record': (p) => {
        this.channel();
        this.live.add(p.name as string);
        return { name: p.name, state: 'queued' };
      },
      'channels.setChannelVar': () => this.channel(),
      'channels.continueInDialplan': () => this.channel(),
      'channels.hangup': () => this.channel(),
      'recordings.getLive': (p) => this.need(this.live, p.recordingName),
      'recordings.pause': (p) => this.need(this.live, p.recordingName),
      'recordings.unpause': (p) => this.need(this.live, p.recordingName),
      'recordings.cancel': (p) => {
        this.need(this.live, p.recordingName);
        this.live.delete(p.recordingName as string);
      },
      'recordings.stop': (p) => {
        this.need(this.live, p.recordingName);
        this.live.delete(p.recordingName as string);
        this.stored.add(p.recordingName as string);
      },
      'recordings.getStored': (p) => {
        this.need(this.stored, p.recordingName);
        return { name: p.recordingName, format: 'wav' };
      },
      'recordings.deleteStored': (p) => {
        this.need(this.stored, p.recordingName);
        if (!this.stubborn.has(p.recordingName as string)) this.stored.delete(p.recordingName as string);
      },
      'recordings.copyStored': (p) => {
        this.need(this.stored, p.recordingName);
        this.stored.add(p.destinationRecordingName as string);
        return { name: p.destinationRecordingName, format: 'wav' };
      },
      'playbacks.stop': () => {
        throw notFound('Playback');
      },
      'mailboxes.update': () => undefined,
    };
    this.client = new Proxy({} as AriResources, {
      get: (_t, resource: string) =>
        new Proxy(
          {},
          {
            get:
              (_u, op: string) =>
              async (params: Record<string, unknown> = {}, options?: { signal?: AbortSignal }) => {
                expect(options?.signal).toBeInstanceOf(AbortSignal);
                const name = `${resource}.${op}`;
                this.log.push({ op: name, params });
                const handler = handlers[name];
                if (!handler) throw new Error(`unexpected ${name}`);
                return handler(params);
              },
          },
        ),
    });
  }

  ops(prefix = ''): string[] {
    return this.log.flatMap((s) => ('op' in s && s.op.startsWith(prefix) ? [s.op] : []));
  }

  private channel(): void {
    if (this.channelGone) throw notFound('Channel');
  }

  private need(set: Set<string>, name: unknown): void {
    if (!set.has(name as string)) throw notFound('Recording');
  }
}

let dir: string;
let ari: FakeAsterisk;
let store: FileMessageStore;
let events: VoicemailLibraryEvent[];
const directory = new InMemoryMailboxDirectory([
  { mailbox: '305', displayName: 'Alice', limits: { maxMessages: 2 } },
  { mailbox: '306', limits: { maxMessages: 1 } },
  { mailbox: '307', greetings: { busy: 'voicemail/default/307/busy' } },
]);
const box305 = { mailbox: '305', context: 'default' };
const box306 = { mailbox: '306', context: 'default' };

function scope(callId = 'chan-1'): CallScope {
  return {
    callId,
    app: 'vm-record',
    client: ari.client,
    signal: new AbortController().signal,
    route: (kind, id) => ari.log.push({ route: kind, id }),
    unroute: () => {},
    logger: silentLogger,
  };
}

function impl() {
  return voicemailImplementations({
    scope: scope(),
    directory,
    store,
    callerId: { number: '201', name: 'Bob' },
    format: 'wav',
    instructions: true,
    finish: 'continue',
    now: () => new Date('2025-03-04T05:06:07Z'),
    emit: (e) => events.push(e),
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vm-call-'));
  ari = new FakeAsterisk();
  store = new FileMessageStore(dir);
  events = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('voicemail implementations', () => {
  it('answers the channel, and only that', async () => {
    const { actors } = impl();
    await actors.answerChannel();
    expect(ari.ops()).toEqual(['channels.answer']);
  });

  it('looks the mailbox up: finds it, builds the default greeting and the recording prefix, asks Asterisk nothing', async () => {
    const { actors } = impl();
    expect(await actors.lookUpMailbox({ mailbox: '305@default', greetingKind: 'unavailable' })).toEqual({
      status: 'ready',
      greeting: ['sound:vm-theperson', 'digits:305', 'sound:vm-isunavail', 'sound:vm-intro'],
      recordingPrefix: 'voicemail/default/305/',
      limits: { maxMessages: 2, maxMessageSeconds: 300, minMessageSeconds: 0, maxSilenceSeconds: 10 },
    });
    expect(ari.ops()).toEqual([]);
    expect(await impl().actors.lookUpMailbox({ mailbox: '307@default', greetingKind: 'busy' })).toMatchObject({
      greeting: ['recording:voicemail/default/307/busy', 'sound:vm-intro'],
    });
    expect(await impl().actors.lookUpMailbox({ mailbox: '399@default', greetingKind: 'busy' })).toEqual({
      status: 'unknown',
    });
  });

  it('a full mailbox is found full', async () => {
    const { actors } = impl();
    for (const id of ['a', 'b']) {
      await store.save({
        id,
        ...box305,
        folder: 'Old',
        callerId: { number: '', name: '' },
        receivedAt: '2025-01-01T00:00:00Z',
        durationSeconds: 1,
        urgent: false,
        recordingName: `voicemail/default/305/${id}`,
        format: 'wav',
      });
    }
    expect(await actors.lookUpMailbox({ mailbox: '305@default', greetingKind: 'unavailable' })).toEqual({
      status: 'full',
    });
  });

  it('routes a playback and a recording before the request that creates it', async () => {
    const { actors } = impl();
    await actors.playMedia({ playbackId: 'p1', media: ['sound:beep'] });
    await actors.startRecording({
      recordingName: 'voicemail/default/305/t-1',
      maxDurationSeconds: 300,
      maxSilenceSeconds: 10,
    });
    expect(ari.log).toEqual([
      { route: 'playback', id: 'p1' },
      { op: 'channels.playWithId', params: { channelId: 'chan-1', playbackId: 'p1', media: ['sound:beep'] } },
      { route: 'recording', id: 'voicemail/default/305/t-1' },
      // The beep is a playback of its own, queued before the recording (Asterisk's own beep swallows controls).
      {
        op: 'channels.playWithId',
        params: { channelId: 'chan-1', playbackId: 'voicemail-default-305-t-1-beep', media: ['sound:beep'] },
      },
      {
        op: 'channels.record',
        params: {
          channelId: 'chan-1',
          name: 'voicemail/default/305/t-1',
          format: 'wav',
          beep: false,
          ifExists: 'fail',
          maxDurationSeconds: 300,
          maxSilenceSeconds: 10,
          terminateOn: 'none',
        },
      },
    ]);
  });

  it('holds stop, cancel and pause of a take until its RecordingStarted, then sends them in order', async () => {
    const { actors, actions } = impl();
    const name = 'voicemail/default/305/t-1';
    await actors.startRecording({ recordingName: name, maxDurationSeconds: 300, maxSilenceSeconds: 10 });
    actions.pauseRecording(name);
    actions.unpauseRecording(name);
    actions.stopRecording(name);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ari.ops('recordings')).toEqual([]);
    actions.releaseHeld(name);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ari.ops('recordings')).toEqual(['recordings.pause', 'recordings.unpause', 'recordings.stop']);
    // Once started, a control goes out at once.
    actions.cancelRecording(name);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ari.ops('recordings').at(-1)).toBe('recordings.cancel');
    // A RecordingStarted of a name this call never asked for opens nothing.
    actions.releaseHeld('voicemail/default/305/other');
    expect(events.filter((e) => e.type === 'voicemail.error')).toEqual([]);
  });

  it('purging a take that a cancel removed only verifies', async () => {
    await impl().actors.purgeRecording({ recordingName: 'voicemail/default/305/t-1' });
    expect(ari.ops('recordings')).toEqual(['recordings.getLive', 'recordings.getStored']);
  });

  it('purging a take the cancel left stored deletes it and verifies it is gone', async () => {
    ari.stored.add('voicemail/default/305/t-1');
    await impl().actors.purgeRecording({ recordingName: 'voicemail/default/305/t-1' });
    expect(ari.ops('recordings')).toEqual([
      'recordings.getLive',
      'recordings.getStored',
      'recordings.deleteStored',
      'recordings.getLive',
      'recordings.getStored',
    ]);
    expect(ari.stored.size).toBe(0);
  });

  it('purging a take still live cancels it, and the file is gone', async () => {
    ari.live.add('voicemail/default/305/t-1');
    await impl().actors.purgeRecording({ recordingName: 'voicemail/default/305/t-1' });
    expect(ari.ops('recordings').slice(0, 3)).toEqual([
      'recordings.getLive',
      'recordings.cancel',
      'recordings.getLive',
    ]);
    expect(ari.live.size + ari.stored.size).toBe(0);
  });

  it('a take Asterisk will not delete is an error, never reported as discarded', async () => {
    ari.stored.add('voicemail/default/305/t-1');
    ari.stubborn.add('voicemail/default/305/t-1');
    await expect(impl().actors.purgeRecording({ recordingName: 'voicemail/default/305/t-1' })).rejects.toThrow(
      /still stored/,
    );
    expect(ari.ops('recordings.deleteStored')).toHaveLength(3);
  });

  it('saving verifies the recording, stores the message with its metadata and publishes MWI equal to the store', async () => {
    const { actors } = impl();
    await actors.lookUpMailbox({ mailbox: '305@default', greetingKind: 'unavailable' });
    ari.stored.add('voicemail/default/305/t-1');
    await actors.saveMessage({
      messageId: 't-1',
      recordingName: 'voicemail/default/305/t-1',
      durationSeconds: 9,
      urgent: true,
    });
    const saved = {
      id: 't-1',
      mailbox: '305',
      context: 'default',
      folder: 'Urgent',
      callerId: { number: '201', name: 'Bob' },
      receivedAt: '2025-03-04T05:06:07.000Z',
      durationSeconds: 9,
      urgent: true,
      recordingName: 'voicemail/default/305/t-1',
      format: 'wav',
    };
    expect(await store.list(box305)).toEqual([saved]);
    expect(ari.log.at(-1)).toEqual({
      op: 'mailboxes.update',
      params: { mailboxName: '305@default', newMessages: 1, oldMessages: 0 },
    });
    expect(events).toEqual([
      { type: 'voicemail.saved', callId: 'chan-1', message: saved, mwi: { newMessages: 1, oldMessages: 0 } },
    ]);
    await store.move(box305, 't-1', 'Old');
    expect(await publishMwi(ari.client, store, box305, { signal: new AbortController().signal })).toEqual({
      newMessages: 0,
      oldMessages: 1,
    });
  });

  it('a message whose recording does not exist is not stored', async () => {
    const { actors } = impl();
    await actors.lookUpMailbox({ mailbox: '305@default', greetingKind: 'unavailable' });
    await expect(
      actors.saveMessage({
        messageId: 't-1',
        recordingName: 'voicemail/default/305/t-1',
        durationSeconds: 9,
        urgent: false,
      }),
    ).rejects.toThrow(/not found/);
    expect(await store.list(box305)).toEqual([]);
  });

  it('copies to an existing mailbox, refuses unknown, malformed, own and full ones', async () => {
    const { actors } = impl();
    await actors.lookUpMailbox({ mailbox: '305@default', greetingKind: 'unavailable' });
    ari.stored.add('voicemail/default/305/t-1');
    const input = { messageId: 't-1', recordingName: 'voicemail/default/305/t-1', durationSeconds: 4, urgent: false };
    expect(await actors.copyMessage({ ...input, digits: '399' })).toEqual({ status: 'unknown' });
    expect(await actors.copyMessage({ ...input, digits: '305' })).toEqual({ status: 'unknown' });
    expect(await actors.copyMessage({ ...input, digits: '../306' })).toEqual({ status: 'unknown' });
    expect(ari.ops('recordings.copyStored')).toEqual([]);
    expect(await actors.copyMessage({ ...input, digits: '306' })).toEqual({ status: 'copied', to: '306@default' });
    expect(ari.log).toContainEqual({
      op: 'recordings.copyStored',
      params: { recordingName: 'voicemail/default/305/t-1', destinationRecordingName: 'voicemail/default/306/t-1' },
    });
    expect(await store.list(box306)).toEqual([expect.objectContaining({ id: 't-1', mailbox: '306', folder: 'INBOX' })]);
    expect(ari.log.at(-1)).toEqual({
      op: 'mailboxes.update',
      params: { mailboxName: '306@default', newMessages: 1, oldMessages: 0 },
    });
    expect(events.map((e) => e.type)).toEqual(['voicemail.copied']);
    expect(await actors.copyMessage({ ...input, messageId: 't-2', digits: '306' })).toEqual({ status: 'full' });
  });

  it('a mailbox directory that fails during a copy is an error, not an unknown mailbox', async () => {
    const failing = new InMemoryMailboxDirectory([{ mailbox: '305' }]);
    const outage = new Error('directory database unreachable');
    const get = failing.get.bind(failing);
    failing.get = async (address) => (address.mailbox === '306' ? Promise.reject(outage) : get(address));
    const { actors } = voicemailImplementations({
      scope: scope(),
      directory: failing,
      store,
      callerId: { number: '201', name: 'Bob' },
      format: 'wav',
      instructions: true,
      finish: 'continue',
      now: () => new Date('2025-03-04T05:06:07Z'),
      emit: (e) => events.push(e),
    });
    await actors.lookUpMailbox({ mailbox: '305@default', greetingKind: 'unavailable' });
    ari.stored.add('voicemail/default/305/t-1');
    const input = { messageId: 't-1', recordingName: 'voicemail/default/305/t-1', durationSeconds: 4, urgent: false };
    await expect(actors.copyMessage({ ...input, digits: '306' })).rejects.toBe(outage);
    expect(await actors.copyMessage({ ...input, digits: '3x' })).toEqual({ status: 'unknown' });
    expect(ari.ops('recordings.copyStored')).toEqual([]);
  });

  it('finishing sets VMSTATUS and continues at o for the operator; a gone channel is normal', async () => {
    await impl().actors.finishCall({ status: 'USEREXIT', exit: 'operator' });
    expect(ari.log).toEqual([
      { op: 'channels.setChannelVar', params: { channelId: 'chan-1', variable: 'VMSTATUS', value: 'USEREXIT' } },
      { op: 'channels.continueInDialplan', params: { channelId: 'chan-1', extension: 'o', priority: 1 } },
    ]);
    ari.log.length = 0;
    ari.channelGone = true;
    await impl().actors.finishCall({ status: 'SUCCESS', exit: null });
    expect(ari.ops()).toEqual(['channels.setChannelVar']);
  });
});

describe('createVoicemailCalls', () => {
  const channel = { id: 'chan-1', name: 'PJSIP/201-1', caller: { number: '201', name: 'Bob' } } as Channel;
  const startOf = (args: string[]): CallStart => ({ app: 'vm-record', channel, args, event: {} as CallStart['event'] });

  it('refuses invalid options with the option named', () => {
    expect(() => createVoicemailCalls({ directory, store: undefined as never })).toThrow(AriOptionsError);
    expect(() => createVoicemailCalls({ directory, store, keys: { accept: '##' } })).toThrow(/keys.accept/);
    expect(() => createVoicemailCalls({ directory, store, keys: { accpet: '#' } as never })).toThrow(/keys.accpet/);
    expect(() => createVoicemailCalls({ directory, store, keys: { copyEnter: null } })).toThrow(/keys.copyEnter/);
    expect(() => createVoicemailCalls({ directory, store, greeting: 'skip' as never })).toThrow(/"greeting"/);
    // Switched-off keys and no greeting are valid (the tutorial's first stage).
    expect(() =>
      createVoicemailCalls({
        directory,
        store,
        greeting: 'none',
        keys: { rerecord: null, copy: null, copyEnter: null },
      }),
    ).not.toThrow();
    expect(() => createVoicemailCalls({ directory, store, prompts: { saved: [] } })).toThrow(/prompts.saved/);
    expect(() => createVoicemailCalls({ directory, store, prompts: { saved: ['vm-msgsaved'] } })).toThrow(/media URIs/);
    expect(() => createVoicemailCalls({ directory, store, timeouts: { reviewMs: 0 } })).toThrow(/timeouts.reviewMs/);
    expect(() => createVoicemailCalls({ directory, store, defaultContext: '../x' })).toThrow(/defaultContext/);
    expect(() => createVoicemailCalls({ directory, store, revew: false } as never)).toThrow(/"revew": unknown option/);
    expect(() => createVoicemailCalls({ directory, store, review: 'no' as never })).toThrow(/"review"/);
    expect(() => createVoicemailCalls({ directory, store, onEvent: 'log' as never })).toThrow(/"onEvent"/);
    expect(() => createVoicemailCalls({ directory, store, timeouts: { reviewMS: 5 } as never })).toThrow(
      /"timeouts.reviewMS": unknown timeout/,
    );
  });

  it('a malformed mailbox argument gives a machine that tells the caller, never a throw', () => {
    const factory = createVoicemailCalls({ directory, store, onEvent: (e) => events.push(e) });
    const logic = factory(startOf(['../../etc']), scope());
    expect(logic?.input).toMatchObject({ mailbox: null });
    expect(events.map((e) => e.type)).toEqual(['voicemail.error']);
    expect(factory(startOf(['b305']), scope())?.input).toMatchObject({ mailbox: '305@default', greetingKind: 'busy' });
  });

  it('a 10,000-character mailbox argument is cut in the warning line, not logged in full', () => {
    const lines: string[] = [];
    const format = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${level} ${formatWithOptions({ depth: 5 }, message, fields)}`);
    const logger = { debug: format('debug'), info: format('info'), warn: format('warn'), error: format('error') };
    const huge = `3${'0'.repeat(9_999)}`;
    const factory = createVoicemailCalls({ directory, store, onEvent: (e) => events.push(e) });
    factory(startOf([huge]), { ...scope(), logger });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn voicemail: malformed Stasis arguments/);
    expect(lines[0]).toContain('(10000 characters)');
    expect(lines[0]!.length).toBeLessThan(1_000);
    // The error given to onEvent still holds the whole value.
    expect((events[0] as { error: { value: unknown } }).error.value).toBe(huge);
  });

  it('two calls with one channel id in one millisecond (two Asterisks, one store) get different tags', () => {
    const at = () => new Date('2025-03-04T05:06:07Z');
    const one = createVoicemailCalls({ directory, store, now: at })(startOf(['305']), scope());
    const two = createVoicemailCalls({ directory, store, now: at })(startOf(['305']), scope());
    const tags = [one, two].map((l) => (l?.input as { tag: string } | undefined)?.tag);
    expect(tags[0]).toContain('chan-1');
    expect(tags[1]).toContain('chan-1');
    expect(tags[0]).not.toBe(tags[1]);
  });

  it('a whole call: the caller leaves a message and hangs up while recording; it is saved with MWI', async () => {
    const clock = new SimulatedClock();
    const factory = createVoicemailCalls({
      directory,
      store,
      onEvent: (e) => events.push(e),
      now: () => new Date('2025-03-04T05:06:07Z'),
    });
    const callScope = scope();
    const logic = factory(startOf(['305']), callScope);
    if (!logic) throw new Error('no call');
    const actor = createActor(logic.machine, { input: logic.input, clock });
    // Outside createStasisApp, the call's scope is bound to its actor system by hand (as the runtime does).
    bindCallScope(actor.system, callScope);
    const finished = new Promise((resolve) => actor.subscribe({ complete: () => resolve(actor.getSnapshot().output) }));
    actor.start();
    const step = (op: string) =>
      vi.waitFor(() => ari.log.find((s) => 'op' in s && s.op === op) ?? expect.fail(`no ${op} yet`));
    const greeting = (await step('channels.playWithId')) as unknown as { params: { playbackId: string } };
    actor.send({
      type: 'PlaybackFinished',
      playback: { id: greeting.params.playbackId, media_uri: '', target_uri: '', state: 'done' },
    });
    const record = (await step('channels.record')) as unknown as { params: { name: string } };
    expect(record.params.name).toMatch(/^voicemail\/default\/305\/[0-9a-z]+-[0-9a-f]{6}-chan-1-1$/);
    // Asterisk's order on a hang-up while recording: ChannelHangupRequest, RecordingFinished, StasisEnd; the
    // runtime tells the actor of the first (a hangup) and drops the StasisEnd.
    ari.channelGone = true;
    ari.live.delete(record.params.name);
    ari.stored.add(record.params.name);
    actor.send({ type: 'hangup' });
    actor.send({
      type: 'RecordingFinished',
      recording: { name: record.params.name, format: 'wav', target_uri: '', state: 'done', duration: 6 },
    });
    expect(await finished).toMatchObject({ status: 'SUCCESS', hungUp: true });
    const [message] = await store.list(box305);
    expect(message).toMatchObject({
      mailbox: '305',
      folder: 'INBOX',
      durationSeconds: 6,
      callerId: { number: '201', name: 'Bob' },
    });
    expect(events.map((e) => e.type)).toEqual(['voicemail.saved']);
    expect(ari.log.at(-1)).toEqual({
      op: 'mailboxes.update',
      params: { mailboxName: '305@default', newMessages: 1, oldMessages: 0 },
    });
  });
  it('provides its machine once: concurrent calls share it and each keeps its own channel, mailbox and take', async () => {
    const factory = createVoicemailCalls({ directory, store, onEvent: (e) => events.push(e) });
    const started = [
      { callId: 'chan-a', mailbox: '305' },
      { callId: 'chan-b', mailbox: '307' },
    ].map(({ callId, mailbox }) => {
      const callScope = scope(callId);
      const logic = factory({ ...startOf([mailbox]), channel: { ...channel, id: callId } }, callScope);
      if (!logic) throw new Error('no call');
      const actor = createActor(logic.machine, { input: logic.input, clock: new SimulatedClock() });
      bindCallScope(actor.system, callScope);
      return { logic, actor, callId };
    });
    expect(started[0]?.logic.machine).toBe(started[1]?.logic.machine);
    for (const { actor } of started) actor.start();
    const played = () =>
      ari.log.flatMap((s) =>
        'op' in s && s.op === 'channels.playWithId' ? [s.params as { channelId: string; playbackId: string }] : [],
      );
    await vi.waitFor(() => expect(played()).toHaveLength(2));
    // Each greeting's end reaches only its own call, which then records in its own mailbox.
    for (const { actor, callId } of started) {
      const greeting = played().find((p) => p.channelId === callId);
      actor.send({
        type: 'PlaybackFinished',
        playback: { id: greeting?.playbackId ?? '', media_uri: '', target_uri: '', state: 'done' },
      });
    }
    await vi.waitFor(() => expect(ari.ops('channels.record')).toHaveLength(2));
    const records = ari.log.flatMap((s) =>
      'op' in s && s.op === 'channels.record' ? [s.params as { channelId: string; name: string }] : [],
    );
    expect(records.map((r) => [r.channelId, r.name.split('/').slice(0, 3).join('/')]).sort()).toEqual([
      ['chan-a', 'voicemail/default/305'],
      ['chan-b', 'voicemail/default/307'],
    ]);
    const answered = ari.log.flatMap((s) => ('op' in s && s.op === 'channels.answer' ? [s.params.channelId] : []));
    expect(answered.sort()).toEqual(['chan-a', 'chan-b']);
    for (const { actor } of started) actor.stop();
  });

  it('a machine of the factory run outside the runtime, with no scope bound, fails clearly', async () => {
    const logic = createVoicemailCalls({ directory, store })(startOf(['305']), scope());
    if (!logic) throw new Error('no call');
    const actor = createActor(logic.machine, { input: logic.input });
    const failed = new Promise((resolve) => actor.subscribe({ error: resolve }));
    actor.start();
    expect(String(await failed)).toMatch(/not a call of a Stasis app/);
  });
});
