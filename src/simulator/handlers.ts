// What each modelled ARI operation does. An operation missing here answers 501, naming itself.

import type { Sound } from '../ari/models.js';
import { encodeWav } from '../recording/wav.js';
import type { Broadcasts } from './broadcast.js';
import { sendDtmf } from './dtmf.js';
import { type Engine, HANGUP_CAUSES } from './engine.js';
import { bridgeJson, channelJson, playbackJson, recordingJson, SimError, type Target, timestamp } from './model.js';
import type { Playbacks } from './playback.js';
import { type Recordings, validRecordingName } from './recording.js';
import type { ParamValue } from './router.js';

/** A REST answer: JSON (or nothing for 204), or WAV bytes; `after` runs once the answer is written. */
export interface Reply {
  status: number;
  json?: unknown;
  binary?: { type: string; bytes: Uint8Array };
  after?: () => void;
}

export interface HandlerContext {
  engine: Engine;
  broadcasts: Broadcasts;
  playbacks: Playbacks;
  recordings: Recordings;
  registeredApps(): string[];
  version: string;
}

type P = Record<string, ParamValue>;
type Handler = (ctx: HandlerContext, p: P) => Reply;

const str = (v: ParamValue): string | undefined => (v === undefined ? undefined : String(v));
const num = (v: ParamValue): number | undefined => (typeof v === 'number' ? v : undefined);
const ok = (json?: unknown): Reply => (json === undefined ? { status: 204 } : { status: 200, json });

function variablesOf(v: ParamValue): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const obj = (v as { variables?: unknown }).variables ?? v;
  if (!obj || typeof obj !== 'object') throw new SimError(400, 'variables must be an object');
  return Object.fromEntries(Object.entries(obj as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

function originate(ctx: HandlerContext, p: P): Reply {
  const endpoint = str(p.endpoint);
  if (!endpoint) throw new SimError(400, 'Endpoint must be specified');
  const { channel, after } = ctx.engine.originate({
    endpoint,
    app: str(p.app),
    appArgs: str(p.appArgs),
    extension: str(p.extension),
    context: str(p.context),
    callerId: str(p.callerId),
    timeout: num(p.timeout),
    channelId: str(p.channelId),
    otherChannelId: str(p.otherChannelId),
    variables: variablesOf(p.variables),
  });
  return { status: 200, json: channelJson(channel), after };
}

function channelTarget(ctx: HandlerContext, id: ParamValue): Target {
  return { kind: 'channel', channel: ctx.engine.stasisChannel(String(id)) };
}

function bridgeTarget(ctx: HandlerContext, id: ParamValue): Target {
  return { kind: 'bridge', bridge: ctx.engine.bridge(String(id)) };
}

function play(ctx: HandlerContext, target: Target, p: P): Reply {
  const pb = ctx.playbacks.create(target, {
    media: str(p.media) ?? '',
    playbackId: str(p.playbackId),
    lang: str(p.lang),
    offsetms: num(p.offsetms),
    skipms: num(p.skipms),
  });
  const json = playbackJson(pb);
  // Asterisk answers `queued` even when the playback has already started (the event often arrives first).
  ctx.playbacks.enqueue(pb);
  return { status: 201, json };
}

function record(ctx: HandlerContext, target: Target, p: P): Reply {
  const rec = ctx.recordings.create(target, {
    name: str(p.name),
    format: str(p.format),
    maxDurationSeconds: num(p.maxDurationSeconds),
    maxSilenceSeconds: num(p.maxSilenceSeconds),
    ifExists: str(p.ifExists),
    beep: p.beep === true,
    terminateOn: str(p.terminateOn),
  });
  const json = recordingJson(rec);
  ctx.recordings.enqueue(rec);
  return { status: 201, json };
}

function list(v: ParamValue): string[] {
  return String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function stored(ctx: HandlerContext, name: string) {
  const entry = ctx.engine.stored.get(name);
  if (!entry) throw new SimError(404, 'Recording not found');
  return entry;
}

function soundJson(id: string): Sound {
  return { id, formats: [{ language: 'en', format: 'wav' }] };
}

function mailbox(ctx: HandlerContext, name: string) {
  const box = ctx.engine.mailboxes.get(name);
  if (!box) throw new SimError(404, 'Mailbox is does not exist');
  return box;
}

function application(ctx: HandlerContext, name: string) {
  if (!ctx.registeredApps().includes(name)) throw new SimError(404, 'Application does not exist.');
  const subs = ctx.engine.subscriptionsOf(name);
  return {
    name,
    channel_ids: subs.channels,
    bridge_ids: subs.bridges,
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}

function subscription(ctx: HandlerContext, p: P, on: boolean): Reply {
  const app = String(p.applicationName);
  application(ctx, app);
  const sources = list(p.eventSource);
  if (!sources.length) throw new SimError(400, 'Missing parameter eventSource');
  for (const source of sources) {
    const [kind, id] = [source.slice(0, source.indexOf(':')), source.slice(source.indexOf(':') + 1)];
    const subs =
      kind === 'channel'
        ? ctx.engine.channels.get(id)?.subs
        : kind === 'bridge'
          ? ctx.engine.bridges.get(id)?.subs
          : undefined;
    if (kind !== 'channel' && kind !== 'bridge') throw new SimError(400, `Invalid event source URI scheme '${kind}'`);
    if (!subs) throw new SimError(422, `Event source '${source}' does not exist`);
    if (on) subs.add(app);
    else subs.delete(app);
  }
  return ok(application(ctx, app));
}

/** The handler of an operation that only tells a live recording to stop, cancel, pause, mute or undo those. */
const controlRecording =
  (op: Parameters<HandlerContext['recordings']['control']>[1]): Handler =>
  (ctx, p) => {
    ctx.recordings.control(String(p.recordingName), op);
    return ok();
  };

export const HANDLERS: Record<string, Handler> = {
  // --- asterisk
  'asterisk.getInfo': (ctx, p) => {
    const e = ctx.engine;
    const all: Record<string, unknown> = {
      build: { os: 'Linux', kernel: '', options: '', machine: 'x86_64', date: '', user: '' },
      system: { version: ctx.version, entity_id: e.deps.asteriskId },
      config: { name: '', default_language: 'en', setid: { user: '', group: '' } },
      status: { startup_time: timestamp(e.startedAt), last_reload_time: timestamp(e.startedAt) },
    };
    const only = list(p.only);
    return ok(only.length ? Object.fromEntries(only.filter((k) => k in all).map((k) => [k, all[k]])) : all);
  },
  'asterisk.ping': (ctx) =>
    ok({ asterisk_id: ctx.engine.deps.asteriskId, ping: 'pong', timestamp: timestamp(ctx.engine.now) }),
  'asterisk.getGlobalVar': (ctx, p) => {
    const name = str(p.variable);
    if (!name) throw new SimError(400, 'Variable name is required');
    return ok({ value: ctx.engine.globals.get(name) ?? '' });
  },
  'asterisk.setGlobalVar': (ctx, p) => {
    const name = str(p.variable);
    if (!name) throw new SimError(400, 'Variable name is required');
    ctx.engine.globals.set(name, str(p.value) ?? '');
    return ok();
  },
  'asterisk.listModules': (ctx) => ok(ctx.broadcasts.modules()),
  'asterisk.getModule': (ctx, p) => ok(ctx.broadcasts.module(String(p.moduleName))),
  'asterisk.loadModule': (ctx, p) => {
    ctx.broadcasts.load(String(p.moduleName));
    return ok();
  },
  'asterisk.unloadModule': (ctx, p) => {
    ctx.broadcasts.unload(String(p.moduleName));
    return ok();
  },
  // --- endpoints: the simulator has none of its own (Local channels are not endpoints)
  'endpoints.list': () => ok([]),
  'endpoints.listByTech': () => {
    throw new SimError(404, 'Endpoints not found');
  },
  'endpoints.get': () => {
    throw new SimError(404, 'Endpoint not found');
  },
  // --- channels
  'channels.list': (ctx) => ok([...ctx.engine.channels.values()].map(channelJson)),
  'channels.originate': originate,
  'channels.originateWithId': originate,
  'channels.get': (ctx, p) => ok(channelJson(ctx.engine.channel(String(p.channelId)))),
  'channels.hangup': (ctx, p) => {
    const ch = ctx.engine.channel(String(p.channelId));
    const reason = str(p.reason);
    const code = str(p.reason_code);
    let cause = 16;
    if (reason !== undefined && code !== undefined)
      throw new SimError(400, "The reason and reason_code can't both be specified");
    if (reason !== undefined) {
      const c = HANGUP_CAUSES[reason];
      if (!c) throw new SimError(400, 'Invalid reason for hangup provided');
      cause = c[0];
    } else if (code !== undefined) {
      cause = Number(code);
      if (!Number.isInteger(cause) || cause < 0) throw new SimError(400, 'Invalid reason for hangup provided');
    }
    return { status: 204, after: () => ctx.engine.hangup(ch, cause, 'ari') };
  },
  'channels.continueInDialplan': (ctx, p) => {
    const ch = ctx.engine.stasisChannel(String(p.channelId));
    // The sample dialplan's next priority after Stasis() is Hangup().
    return { status: 204, after: () => ctx.engine.hangup(ch, 16, 'none') };
  },
  'channels.move': (ctx, p) => {
    const ch = ctx.engine.stasisChannel(String(p.channelId));
    // Asterisk 22.10.1 itself drops the connection (and dies) on a move without `app`: refused here instead.
    if (typeof p.app !== 'string' || p.app.length === 0) throw new SimError(400, 'app is required');
    ctx.engine.move(ch, p.app, list(p.appArgs));
    return { status: 204 };
  },
  'channels.answer': (ctx, p) => {
    const ch = ctx.engine.stasisChannel(String(p.channelId));
    ctx.engine.answer(ch);
    return ok();
  },
  'channels.ring': (ctx, p) => {
    ctx.engine.ring(ctx.engine.stasisChannel(String(p.channelId)));
    return ok();
  },
  'channels.ringStop': (ctx, p) => {
    ctx.engine.stasisChannel(String(p.channelId));
    return ok();
  },
  'channels.progress': (ctx, p) => {
    ctx.engine.stasisChannel(String(p.channelId));
    return ok();
  },
  'channels.sendDTMF': (ctx, p) => {
    const ch = ctx.engine.stasisChannel(String(p.channelId));
    sendDtmf(
      ctx.engine,
      ch,
      {
        dtmf: str(p.dtmf),
        before: num(p.before),
        between: num(p.between),
        duration: num(p.duration),
        after: num(p.after),
      },
      (peer, digit, durationMs) => {
        ctx.engine.channelEvent(peer, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
        ctx.recordings.dtmf(peer, digit);
      },
    );
    return ok();
  },
  'channels.play': (ctx, p) => play(ctx, channelTarget(ctx, p.channelId), p),
  'channels.playWithId': (ctx, p) => play(ctx, channelTarget(ctx, p.channelId), p),
  'channels.record': (ctx, p) => record(ctx, channelTarget(ctx, p.channelId), p),
  'channels.getChannelVar': (ctx, p) => {
    const ch = ctx.engine.channel(String(p.channelId));
    const name = str(p.variable);
    if (!name) throw new SimError(400, 'Variable name is required');
    const value = ch.vars.get(name);
    if (value === undefined) throw new SimError(404, 'Provided variable was not found');
    return ok({ value });
  },
  'channels.setChannelVar': (ctx, p) => {
    const ch = ctx.engine.channel(String(p.channelId));
    const name = str(p.variable);
    if (!name) throw new SimError(400, 'Variable name is required');
    ctx.engine.setVar(ch, name, str(p.value) ?? '');
    return ok();
  },
  // --- bridges
  'bridges.list': (ctx) => ok([...ctx.engine.bridges.values()].map(bridgeJson)),
  'bridges.create': (ctx, p) =>
    ok(bridgeJson(ctx.engine.createBridge({ bridgeId: str(p.bridgeId), type: str(p.type), name: str(p.name) }))),
  'bridges.createWithId': (ctx, p) =>
    ok(bridgeJson(ctx.engine.createBridge({ bridgeId: str(p.bridgeId), type: str(p.type), name: str(p.name) }))),
  'bridges.get': (ctx, p) => ok(bridgeJson(ctx.engine.bridge(String(p.bridgeId)))),
  'bridges.destroy': (ctx, p) => {
    const br = ctx.engine.bridge(String(p.bridgeId));
    return { status: 204, after: () => ctx.engine.destroyBridge(br) };
  },
  'bridges.addChannel': (ctx, p) => {
    const br = ctx.engine.bridge(String(p.bridgeId));
    const ids = list(p.channel);
    if (!ids.length) throw new SimError(400, 'Missing parameter channel');
    const chans = ids.map((id) => {
      const ch = ctx.engine.channels.get(id);
      if (!ch) throw new SimError(400, 'Channel not found');
      if (!ch.stasisApp) throw new SimError(422, 'Channel not in Stasis application');
      return ch;
    });
    for (const ch of chans) ctx.engine.addToBridge(br, ch);
    return ok();
  },
  'bridges.removeChannel': (ctx, p) => {
    const br = ctx.engine.bridge(String(p.bridgeId));
    const ids = list(p.channel);
    if (!ids.length) throw new SimError(400, 'Missing parameter channel');
    const chans = ids.map((id) => {
      const ch = ctx.engine.channels.get(id);
      if (!ch) throw new SimError(400, 'Channel not found');
      if (ch.bridge !== br) throw new SimError(422, 'Channel not in this bridge');
      return ch;
    });
    for (const ch of chans) ctx.engine.leaveBridge(ch);
    return ok();
  },
  'bridges.play': (ctx, p) => play(ctx, bridgeTarget(ctx, p.bridgeId), p),
  'bridges.playWithId': (ctx, p) => play(ctx, bridgeTarget(ctx, p.bridgeId), p),
  'bridges.record': (ctx, p) => record(ctx, bridgeTarget(ctx, p.bridgeId), p),
  // --- recordings
  'recordings.listStored': (ctx) =>
    ok(
      [...ctx.engine.stored.values()]
        .map((s) => ({ name: s.name, format: s.format }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ),
  'recordings.getStored': (ctx, p) => {
    const s = stored(ctx, String(p.recordingName));
    return ok({ name: s.name, format: s.format });
  },
  'recordings.deleteStored': (ctx, p) => {
    const name = String(p.recordingName);
    const s = stored(ctx, name);
    if (s.live) throw new SimError(409, 'Recording is in session');
    ctx.engine.stored.delete(name);
    return ok();
  },
  'recordings.getStoredFile': (ctx, p) => {
    const name = String(p.recordingName);
    stored(ctx, name);
    const samples = ctx.recordings.samplesOf(name)!;
    return { status: 200, binary: { type: 'audio/wav', bytes: encodeWav(samples) } };
  },
  'recordings.copyStored': (ctx, p) => {
    const src = stored(ctx, String(p.recordingName));
    const dest = str(p.destinationRecordingName);
    if (!dest) throw new SimError(400, 'Missing parameter destinationRecordingName');
    if (!validRecordingName(dest)) throw new SimError(400, 'Recording name invalid');
    if (ctx.engine.stored.has(dest))
      throw new SimError(409, 'A recording with the same name already exists on the system');
    const samples = ctx.recordings.samplesOf(src.name)!;
    ctx.engine.stored.set(dest, { name: dest, format: src.format, data: samples, lazy: undefined, live: undefined });
    return ok({ name: dest, format: src.format });
  },
  'recordings.getLive': (ctx, p) => ok(recordingJson(ctx.recordings.get(String(p.recordingName)))),
  'recordings.cancel': controlRecording('cancel'),
  'recordings.stop': controlRecording('stop'),
  'recordings.pause': controlRecording('pause'),
  'recordings.unpause': controlRecording('unpause'),
  'recordings.mute': controlRecording('mute'),
  'recordings.unmute': controlRecording('unmute'),
  // --- sounds
  'sounds.list': (ctx) => ok(ctx.engine.deps.sounds.list().map(soundJson)),
  'sounds.get': (ctx, p) => {
    const id = String(p.soundId);
    if (!ctx.engine.deps.sounds.get(id)) throw new SimError(404, 'Sound not found');
    return ok(soundJson(id));
  },
  // --- playbacks
  'playbacks.get': (ctx, p) => ok(playbackJson(ctx.playbacks.get(String(p.playbackId)))),
  'playbacks.stop': (ctx, p) => {
    ctx.playbacks.stop(String(p.playbackId));
    return ok();
  },
  'playbacks.control': (ctx, p) => {
    const operation = str(p.operation);
    if (!operation) throw new SimError(400, 'Missing parameter operation');
    ctx.playbacks.control(String(p.playbackId), operation);
    return ok();
  },
  // --- device states: none until one is set
  'deviceStates.list': () => ok([]),
  'deviceStates.get': () => {
    throw new SimError(404, 'Device state not found');
  },
  // --- mailboxes
  'mailboxes.list': (ctx) =>
    ok(
      [...ctx.engine.mailboxes.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, m]) => ({ name, old_messages: m.old, new_messages: m.new })),
    ),
  'mailboxes.get': (ctx, p) => {
    const name = String(p.mailboxName);
    const m = mailbox(ctx, name);
    return ok({ name, old_messages: m.old, new_messages: m.new });
  },
  'mailboxes.update': (ctx, p) => {
    const oldMessages = num(p.oldMessages);
    const newMessages = num(p.newMessages);
    if (oldMessages === undefined) throw new SimError(400, 'Missing parameter oldMessages');
    if (newMessages === undefined) throw new SimError(400, 'Missing parameter newMessages');
    if (oldMessages < 0 || newMessages < 0) throw new SimError(400, 'Message counts cannot be negative');
    ctx.engine.mailboxes.set(String(p.mailboxName), { old: oldMessages, new: newMessages });
    return ok();
  },
  'mailboxes.delete': (ctx, p) => {
    const name = String(p.mailboxName);
    mailbox(ctx, name);
    ctx.engine.mailboxes.delete(name);
    return ok();
  },
  // --- events
  'events.userEvent': (ctx, p) => {
    const app = str(p.application);
    if (!app) throw new SimError(400, 'Missing parameter application');
    application(ctx, app);
    const fields: Record<string, unknown> = { eventname: String(p.eventName) };
    for (const source of list(p.source)) {
      const [kind, id] = [source.slice(0, source.indexOf(':')), source.slice(source.indexOf(':') + 1)];
      if (kind === 'channel') {
        const ch = ctx.engine.channels.get(id);
        if (!ch) throw new SimError(422, 'Event source was not found');
        fields.channel = channelJson(ch);
      } else if (kind === 'bridge') {
        const br = ctx.engine.bridges.get(id);
        if (!br) throw new SimError(422, 'Event source was not found');
        fields.bridge = bridgeJson(br);
      } else throw new SimError(400, 'Invalid event source URI scheme');
    }
    const vars = p.variables as { variables?: Record<string, unknown> } | Record<string, unknown> | undefined;
    fields.userevent = (vars && 'variables' in vars ? vars.variables : vars) ?? {};
    ctx.engine.emit([app], 'ChannelUserevent', fields);
    return ok();
  },
  'events.claimChannel': (ctx, p) => {
    const channelId = str(p.channelId);
    const app = str(p.application);
    if (!channelId) throw new SimError(400, 'channelId parameter is required');
    if (!app) throw new SimError(400, 'application parameter is required');
    return { status: 204, after: ctx.broadcasts.claim(channelId, app) };
  },
  // --- applications
  'applications.list': (ctx) => ok(ctx.registeredApps().map((a) => application(ctx, a))),
  'applications.get': (ctx, p) => ok(application(ctx, String(p.applicationName))),
  'applications.subscribe': (ctx, p) => subscription(ctx, p, true),
  'applications.unsubscribe': (ctx, p) => subscription(ctx, p, false),
};
