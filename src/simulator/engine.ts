// The simulated Asterisk: channels, Local pairs and their dialplan, bridges, and the events they raise.
// Playbacks and recordings live in playback.ts and recording.ts; this file owns identity, subscriptions and hangup.

import type { Logger } from '../ari/logger.js';
import type { InternalClock } from './clock.js';
import { type Dialplan, type DialplanEntry, stasisArgs } from './dialplan.js';
import { recordingsHearing, recordingsHearingBridge } from './mixer.js';
import {
  bridgeJson,
  channelJson,
  type Membership,
  type OpQueue,
  type QueuedOp,
  type SimBridge,
  type SimChannel,
  SimError,
  type SimPlayback,
  type SimRecording,
  type StoredEntry,
  timestamp,
} from './model.js';
import type { SoundLibrary } from './sounds.js';

/** Receives every event once per app that should get it; `event` has no `application` yet. */
export type Deliver = (app: string, event: Record<string, unknown>) => void;

/** Asterisk's hangup reasons (ARI `reason`) and the Q.850 causes they set. */
export const HANGUP_CAUSES: Record<string, [number, string]> = {
  normal: [16, 'Normal Clearing'],
  busy: [17, 'User busy'],
  congestion: [34, 'Circuit/channel congestion'],
  no_answer: [19, 'User alerting, no answer'],
  timeout: [18, 'No user responding'],
  rejected: [21, 'Call Rejected'],
  unallocated: [1, 'Unallocated (unassigned) number'],
  normal_unspecified: [31, 'Normal, unspecified'],
  number_incomplete: [28, 'Invalid number format (addr incomplete)'],
  codec_mismatch: [58, 'Bearer capability not available'],
  interworking: [127, 'Interworking, unspecified'],
  failure: [38, 'Network out of order'],
  answered_elsewhere: [26, 'Answered elsewhere'],
};

const CAUSE_TEXT = new Map<number, string>(Object.values(HANGUP_CAUSES).map(([c, t]) => [c, t]));

export interface EngineDeps {
  clock: InternalClock;
  dialplan: Dialplan;
  sounds: SoundLibrary;
  asteriskId: string;
  logger: Logger;
  deliver: Deliver;
  /** Apps with a connected event socket. */
  isRegistered(app: string): boolean;
  /** Apps that asked for every event (`subscribeAll=true`). */
  subscribeAll(): ReadonlySet<string>;
}

export class Engine {
  readonly channels = new Map<string, SimChannel>();
  readonly bridges = new Map<string, SimBridge>();
  readonly playbacks = new Map<string, SimPlayback>();
  readonly live = new Map<string, SimRecording>();
  readonly stored = new Map<string, StoredEntry>();
  /** Finished recordings whose audio is not rendered yet (their sources must not be pruned). */
  readonly pendingRenders = new Set<SimRecording>();
  readonly mailboxes = new Map<string, { old: number; new: number }>();
  readonly globals = new Map<string, string>();
  readonly startedAt: number;
  /** Called with the recordings whose input changed (set by the recording module). */
  onAudioChange: (recs: Set<SimRecording>) => void = () => {};
  /** Moves asked for (`channels.move`), each waiting for its channel's queue to run dry. */
  readonly #moves = new Map<OpQueue, { ch: SimChannel; app: string; args: string[] }>();
  #idEpoch: number;
  #idSeq = 0;
  #localSeq = 0;
  #uuidSeq = 0;

  constructor(readonly deps: EngineDeps) {
    this.startedAt = deps.clock.now();
    this.#idEpoch = Math.floor(this.startedAt / 1000);
  }

  get now(): number {
    return this.deps.clock.now();
  }

  newChannelId(): string {
    return `${this.#idEpoch}.${this.#idSeq++}`;
  }

  newLocalSeq(): string {
    return (this.#localSeq++).toString(16).padStart(8, '0');
  }

  /** A v4-shaped id (bridges, playbacks without an id); deterministic per simulator so runs can be compared. */
  newUuid(): string {
    const n = this.#uuidSeq++;
    const hex = (this.#idEpoch.toString(16) + n.toString(16).padStart(12, '0')).padStart(32, '0').slice(-32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  // --- events

  emit(apps: Iterable<string>, type: string, fields: Record<string, unknown>): void {
    const event = { type, timestamp: timestamp(this.now), ...fields, asterisk_id: this.deps.asteriskId };
    const all = this.deps.subscribeAll();
    const seen = all.size ? new Set<string>() : undefined;
    for (const app of apps) {
      seen?.add(app);
      this.deps.deliver(app, event);
    }
    if (seen) for (const app of all) if (!seen.has(app)) this.deps.deliver(app, event);
  }

  channelEvent(ch: SimChannel, type: string, fields: Record<string, unknown> = {}): void {
    this.emit(ch.subs, type, { ...fields, channel: channelJson(ch) });
  }

  setVar(ch: SimChannel, variable: string, value: string): void {
    ch.vars.set(variable, value);
    this.emit(ch.subs, 'ChannelVarset', { variable, value, channel: channelJson(ch) });
  }

  setState(ch: SimChannel, state: SimChannel['state']): void {
    if (ch.state === state) return;
    ch.state = state;
    this.channelEvent(ch, 'ChannelStateChange');
  }

  audioChangedOn(ch: SimChannel): void {
    const recs = new Set<SimRecording>();
    recordingsHearing(ch, recs);
    if (recs.size) this.onAudioChange(recs);
  }

  audioChangedOnBridge(br: SimBridge): void {
    const recs = new Set<SimRecording>();
    recordingsHearingBridge(br, recs);
    if (recs.size) this.onAudioChange(recs);
  }

  // --- lookups

  channel(id: string): SimChannel {
    const ch = this.channels.get(id);
    if (!ch) throw new SimError(404, 'Channel not found');
    return ch;
  }

  stasisChannel(id: string): SimChannel {
    const ch = this.channel(id);
    if (!ch.stasisApp) throw new SimError(409, 'Channel not in Stasis application');
    return ch;
  }

  bridge(id: string): SimBridge {
    const b = this.bridges.get(id);
    if (!b) throw new SimError(404, 'Bridge not found');
    return b;
  }

  // --- per-target operation queues (README point 3: one operation at a time per channel)

  enqueue(queue: OpQueue, op: QueuedOp): void {
    queue.waiting.push(op);
    if (!queue.current) this.runNext(queue);
  }

  opDone(queue: OpQueue, op: QueuedOp): void {
    if (queue.current !== op) {
      const i = queue.waiting.indexOf(op);
      if (i >= 0) queue.waiting.splice(i, 1);
      return;
    }
    queue.current = undefined;
    this.runNext(queue);
  }

  runNext(queue: OpQueue): void {
    const next = queue.waiting.shift();
    if (!next) {
      const move = this.#moves.get(queue);
      if (move) {
        this.#moves.delete(queue);
        this.#applyMove(move.ch, move.app, move.args);
      }
      return;
    }
    queue.current = next;
    next.start();
  }

  abortQueue(queue: OpQueue): void {
    this.#moves.delete(queue);
    const ops = [...(queue.current ? [queue.current] : []), ...queue.waiting];
    queue.waiting = [];
    queue.current = undefined;
    for (const op of ops) op.abort();
  }

  // --- channels

  #newChannel(id: string, name: string, half: 0 | 1 | 2, dialplan: SimChannel['dialplan']): SimChannel {
    if (this.channels.has(id)) throw new SimError(409, 'Channel with given unique ID already exists');
    const ch: SimChannel = {
      id,
      name,
      state: half === 1 ? 'Down' : 'Ring',
      caller: { name: '', number: '' },
      connected: { name: '', number: '' },
      dialplan,
      creationtime: timestamp(this.now),
      vars: new Map(),
      peer: undefined,
      half,
      subs: new Set(),
      stasisApp: undefined,
      onAnswer: undefined,
      fromDialplan: false,
      hangingUp: false,
      destroyed: false,
      queue: { current: undefined, waiting: [] },
      segments: [],
      memberships: [],
      bridge: undefined,
      bridgePeer: '',
      recordings: new Set(),
      playbacks: new Set(),
      dialTimer: undefined,
      dialstring: '',
      originApp: undefined,
    };
    this.channels.set(id, ch);
    return ch;
  }

  /** POST /channels: only `Local/<exten>@<context>` endpoints exist in the simulator. */
  originate(p: {
    endpoint: string;
    app?: string;
    appArgs?: string;
    extension?: string;
    context?: string;
    callerId?: string;
    timeout?: number;
    channelId?: string;
    otherChannelId?: string;
    variables?: Record<string, string>;
  }): { channel: SimChannel; after: () => void } {
    const m = /^Local\/([^@/]+)@([^/]+?)(\/n)?$/i.exec(p.endpoint);
    if (!m) {
      throw new SimError(
        400,
        `Endpoint '${p.endpoint}' cannot be originated: the simulator only has Local/<exten>@<context>`,
      );
    }
    if (!p.app && !p.extension) throw new SimError(400, 'Application or extension must be specified');
    const [, exten = '', context = ''] = m;
    for (const id of [p.channelId, p.otherChannelId]) {
      if (id !== undefined && this.channels.has(id))
        throw new SimError(409, 'Channel with given unique ID already exists');
    }
    const seq = this.newLocalSeq();
    const base = `Local/${exten}@${context}-${seq}`;
    const one = this.#newChannel(p.channelId ?? this.newChannelId(), `${base};1`, 1, {
      context,
      exten,
      priority: 1,
      app_name: 'AppDial2',
      app_data: '(Outgoing Line)',
    });
    const two = this.#newChannel(p.otherChannelId ?? this.newChannelId(), `${base};2`, 2, {
      context,
      exten,
      priority: 1,
      app_name: '',
      app_data: '',
    });
    one.peer = two;
    two.peer = one;
    one.dialstring = `${exten}@${context}`;
    if (p.callerId) {
      const cm = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(p.callerId);
      const caller = cm ? { name: cm[1]!, number: cm[2]! } : { name: '', number: p.callerId.trim() };
      two.caller = { ...caller };
    }
    for (const [k, v] of Object.entries(p.variables ?? {})) one.vars.set(k, String(v));
    if (p.app) {
      one.subs.add(p.app);
      two.subs.add(p.app);
      one.originApp = p.app;
      two.originApp = p.app;
      one.onAnswer = { app: p.app, args: p.appArgs ? p.appArgs.split(',') : [] };
    } else {
      one.onAnswer = { context: p.context ?? 'default', exten: p.extension! };
    }
    const timeoutMs = (p.timeout ?? 30) * 1000;
    const after = (): void => {
      if (one.destroyed) return;
      this.#dialEvent(one, '');
      if (timeoutMs > 0)
        one.dialTimer = this.deps.clock.setTimer(timeoutMs, () => this.#dialFailed(one, 'NOANSWER', 19));
      this.#runDialplan(two, context, exten);
    };
    return { channel: one, after };
  }

  #dialEvent(one: SimChannel, dialstatus: string): void {
    this.emit(one.subs, 'Dial', { dialstatus, forward: '', dialstring: one.dialstring, peer: channelJson(one) });
  }

  #runDialplan(ch: SimChannel, context: string, exten: string): void {
    const entry = this.deps.dialplan.match(context, exten);
    if (!entry) {
      this.deps.logger.warn('simulator: no dialplan entry', { context, exten });
      this.dialplanHangup(ch, 1);
      return;
    }
    ch.dialplan = { context, exten, priority: 1, app_name: 'NoOp', app_data: '' };
    this.channelEvent(ch, 'ChannelDialplan', { dialplan_app: 'NoOp', dialplan_app_data: '' });
    if (entry.broadcast || entry.spread) {
      this.shareCall(ch, entry, exten);
      return;
    }
    if (!entry.stasis) {
      ch.dialplan = { context, exten, priority: 2, app_name: 'Answer', app_data: '' };
      this.channelEvent(ch, 'ChannelDialplan', { dialplan_app: 'Answer', dialplan_app_data: '' });
      this.answer(ch);
      return;
    }
    const args = stasisArgs(entry, exten);
    const appData = [entry.stasis, ...args].join(',');
    ch.dialplan = { context, exten, priority: 2, app_name: 'Stasis', app_data: appData };
    this.channelEvent(ch, 'ChannelDialplan', { dialplan_app: 'Stasis', dialplan_app_data: appData });
    if (!this.deps.isRegistered(entry.stasis)) {
      this.deps.logger.warn('simulator: Stasis app not registered', { app: entry.stasis, channel: ch.id });
      this.setVar(ch, 'STASISSTATUS', 'FAILED');
      this.dialplanHangup(ch, 16);
      return;
    }
    ch.fromDialplan = true;
    this.enterStasis(ch, entry.stasis, args);
  }

  enterStasis(ch: SimChannel, app: string, args: string[]): void {
    this.setVar(ch, 'STASISSTATUS', '');
    ch.stasisApp = app;
    ch.subs.add(app);
    this.emit([app], 'StasisStart', { args, channel: channelJson(ch) });
  }

  /**
   * `POST /channels/{id}/move` as Asterisk 22 does it: the channel's control loop takes the move up once its queue
   * has run dry (a recording or playbacks under way, and those asked for after the move, come first). Then the old
   * app gets StasisEnd and the new one StasisStart with `args`; the dialplan location still names the first app. A
   * move to an app with no socket fails with ApplicationMoveFailed to the app the channel stays in.
   */
  move(ch: SimChannel, app: string, args: string[]): void {
    this.#moves.set(ch.queue, { ch, app, args });
    if (!ch.queue.current && ch.queue.waiting.length === 0) this.runNext(ch.queue);
  }

  #applyMove(ch: SimChannel, app: string, args: string[]): void {
    const from = ch.stasisApp;
    if (!from || ch.destroyed || ch.hangingUp) return;
    if (!this.deps.isRegistered(app)) {
      this.emit([from], 'ApplicationMoveFailed', { destination: app, args, channel: channelJson(ch) });
      return;
    }
    this.emit([from], 'StasisEnd', { channel: channelJson(ch) });
    if (from !== ch.originApp) ch.subs.delete(from);
    ch.stasisApp = app;
    ch.subs.add(app);
    this.emit([app], 'StasisStart', { args, channel: channelJson(ch) });
  }

  /** A channel outside Stasis that the dialplan hangs up (no such extension, app not registered). */
  dialplanHangup(ch: SimChannel, cause: number): void {
    this.channelEvent(ch, 'ChannelHangupRequest', { cause, soft: true });
    this.hangup(ch, cause, 'none');
  }

  #dialFailed(one: SimChannel, dialstatus: string, cause: number): void {
    one.dialTimer = undefined;
    if (one.destroyed || one.state === 'Up') return;
    const two = one.peer;
    if (two && !two.hangingUp) {
      two.peer = undefined;
      one.peer = undefined;
      this.hangup(two, cause, 'peer');
    }
    this.#dialEvent(one, dialstatus);
    this.hangup(one, cause, 'peer');
  }

  answer(ch: SimChannel): void {
    if (ch.state === 'Up') return;
    this.setState(ch, 'Up');
    const one = ch.peer;
    if (ch.half !== 2 || !one || one.state === 'Up' || one.destroyed) return;
    one.dialTimer?.cancel();
    one.dialTimer = undefined;
    this.setState(one, 'Up');
    this.#dialEvent(one, 'ANSWER');
    const next = one.onAnswer;
    if (!next) return;
    if ('app' in next) {
      one.dialplan = { ...one.dialplan, app_name: 'Stasis', app_data: [next.app, ...next.args].join(',') };
      if (!this.deps.isRegistered(next.app)) {
        this.setVar(one, 'STASISSTATUS', 'FAILED');
        this.hangup(one, 16, 'peer');
        return;
      }
      this.enterStasis(one, next.app, next.args);
    } else {
      this.#runDialplan(one, next.context, next.exten);
    }
  }

  /** ;2 indicated ringing: the originated ;1 half starts ringing. */
  ring(ch: SimChannel): void {
    const one = ch.peer;
    if (ch.half === 2 && one && one.state === 'Down') this.setState(one, 'Ringing');
  }

  /**
   * Hangs a channel up with the event order of the traces: ChannelHangupRequest, recordings finish, playbacks end,
   * bridge left, StasisEnd, STASISSTATUS, (dialplan Hangup()), the Local peer's hangup request, ChannelDestroyed,
   * and then the peer's own teardown.
   */
  hangup(ch: SimChannel, cause: number, request: 'ari' | 'peer' | 'none'): void {
    if (ch.hangingUp) return;
    ch.hangingUp = true;
    ch.dialTimer?.cancel();
    // An ARI hangup is a soft hangup request whose `cause` is the soft-hangup flag (AST_SOFTHANGUP_EXPLICIT = 32).
    if (request === 'ari') this.channelEvent(ch, 'ChannelHangupRequest', { cause: 32, soft: true });
    else if (request === 'peer') this.channelEvent(ch, 'ChannelHangupRequest', { cause });
    this.teardownMedia(ch);
    if (ch.bridge) this.leaveBridge(ch);
    const wasInStasis = ch.stasisApp;
    if (wasInStasis) {
      ch.stasisApp = undefined;
      this.emit([wasInStasis], 'StasisEnd', { channel: channelJson(ch) });
      if (wasInStasis !== ch.originApp) ch.subs.delete(wasInStasis);
      this.setVar(ch, 'STASISSTATUS', 'SUCCESS');
      // Back in the dialplan, the next priority is Hangup().
      if (ch.fromDialplan) this.channelEvent(ch, 'ChannelHangupRequest', { cause, soft: true });
    }
    const peer = ch.peer;
    if (peer && !peer.hangingUp && !peer.destroyed) {
      if (peer.half === 1 && peer.state !== 'Up') {
        this.#dialEvent(peer, cause === 17 ? 'BUSY' : cause === 34 ? 'CONGESTION' : 'CHANUNAVAIL');
      }
      this.channelEvent(peer, 'ChannelHangupRequest', { cause });
    }
    this.#destroy(ch, cause);
    if (peer && !peer.hangingUp && !peer.destroyed) this.hangup(peer, cause, 'none');
  }

  #destroy(ch: SimChannel, cause: number): void {
    ch.destroyed = true;
    if (ch.half === 2) ch.dialplan = { ...ch.dialplan, app_name: '', app_data: '' };
    if (ch.half === 1) ch.dialplan = { ...ch.dialplan, app_name: 'AppDial2', app_data: '(Outgoing Line)' };
    this.channels.delete(ch.id);
    this.channelGone(ch);
    this.channelEvent(ch, 'ChannelDestroyed', { cause, cause_txt: CAUSE_TEXT.get(cause) ?? 'Unknown' });
  }

  /** Set by the broadcast module (broadcast.ts): runs a dialplan entry that offers or spreads the call. */
  shareCall: (ch: SimChannel, entry: DialplanEntry, exten: string) => void = () => {};
  /** Set by the broadcast module: a channel on offer went away. */
  channelGone: (ch: SimChannel) => void = () => {};
  /** Set by the media modules: stops a channel's recordings and playbacks when it goes away. */
  teardownMedia: (ch: SimChannel) => void = () => {};
  /** Set by the media modules: fails a bridge's playbacks when its last channel leaves. */
  bridgeEmptied: (br: SimBridge) => void = () => {};

  // --- bridges

  createBridge(p: { bridgeId?: string; type?: string; name?: string }): SimBridge {
    const types = (p.type ?? 'mixing').split(',').map((t) => t.trim());
    for (const t of types) {
      if (!['mixing', 'holding', 'dtmf_events', 'proxy_media', 'video_sfu', 'video_single', 'sdp_label'].includes(t)) {
        throw new SimError(400, `Invalid bridge type '${t}'`);
      }
    }
    if (p.bridgeId !== undefined) {
      const existing = this.bridges.get(p.bridgeId);
      if (existing) return existing;
    }
    const br: SimBridge = {
      id: p.bridgeId ?? this.newUuid(),
      name: p.name ?? '',
      type: types.includes('holding') ? 'holding' : 'mixing',
      creationtime: timestamp(this.now),
      members: new Set(),
      memberships: [],
      segments: [],
      subs: new Set(),
      queue: { current: undefined, waiting: [] },
      announcer: undefined,
      recordings: new Set(),
      playbacks: new Set(),
    };
    this.bridges.set(br.id, br);
    return br;
  }

  #refreshBridgePeers(br: SimBridge): void {
    for (const m of br.members) {
      const others = [...br.members].filter((o) => o !== m).map((o) => o.name);
      if (br.announcer) others.push(br.announcer);
      const value = others.join(',');
      if (value !== m.bridgePeer) {
        m.bridgePeer = value;
        this.setVar(m, 'BRIDGEPEER', value);
      }
    }
  }

  /** The announcer channel that plays into a bridge joins it on its first playback. */
  ensureAnnouncer(br: SimBridge): void {
    if (br.announcer) return;
    br.announcer = `Announcer/ARI-${this.newLocalSeq()};2`;
    this.newChannelId();
    this.newChannelId();
    this.#refreshBridgePeers(br);
  }

  addToBridge(br: SimBridge, ch: SimChannel): void {
    if (ch.bridge === br) return;
    if (ch.bridge) this.leaveBridge(ch);
    const m: Membership = { channel: ch, bridge: br, start: this.now, end: Number.POSITIVE_INFINITY };
    ch.bridge = br;
    ch.memberships.push(m);
    br.members.add(ch);
    br.memberships.push(m);
    if (ch.stasisApp) br.subs.add(ch.stasisApp);
    this.emit(new Set([...br.subs, ...ch.subs]), 'ChannelEnteredBridge', {
      bridge: bridgeJson(br),
      channel: channelJson(ch),
    });
    this.#refreshBridgePeers(br);
    this.audioChangedOn(ch);
    this.audioChangedOnBridge(br);
  }

  leaveBridge(ch: SimChannel): void {
    const br = ch.bridge;
    if (!br) return;
    if (ch.bridgePeer !== '') {
      ch.bridgePeer = '';
      this.setVar(ch, 'BRIDGEPEER', '');
    }
    br.members.delete(ch);
    ch.bridge = undefined;
    const m = ch.memberships.findLast((x) => x.bridge === br && x.end === Number.POSITIVE_INFINITY);
    if (m) m.end = this.now;
    this.emit(new Set([...br.subs, ...ch.subs]), 'ChannelLeftBridge', {
      bridge: bridgeJson(br),
      channel: channelJson(ch),
    });
    this.#refreshBridgePeers(br);
    this.audioChangedOn(ch);
    this.audioChangedOnBridge(br);
    if (br.members.size === 0) this.bridgeEmptied(br);
  }

  destroyBridge(br: SimBridge): void {
    for (const ch of [...br.members]) this.leaveBridge(ch);
    this.bridgeEmptied(br);
    for (const rec of [...br.recordings]) this.finishBridgeRecording(rec);
    this.bridges.delete(br.id);
    this.emit(br.subs, 'BridgeDestroyed', { bridge: bridgeJson(br) });
  }

  /** Set by the recording module. */
  finishBridgeRecording: (rec: SimRecording) => void = () => {};

  /** The earliest moment a live recording may still need audio from. */
  oldestCapture(): number {
    let min = this.now;
    for (const r of [...this.live.values(), ...this.pendingRenders]) {
      const first = r.spans[0];
      if (first && first.start < min) min = first.start;
    }
    return min;
  }

  // --- applications

  /** Channel and bridge ids an app is subscribed to (for GET /applications). */
  subscriptionsOf(app: string): { channels: string[]; bridges: string[] } {
    const channels: string[] = [];
    const bridges: string[] = [];
    for (const ch of this.channels.values()) if (ch.subs.has(app)) channels.push(ch.id);
    for (const br of this.bridges.values()) if (br.subs.has(app)) bridges.push(br.id);
    return { channels, bridges };
  }
}
