import type { Bridge, CallerID, Channel, DialplanCEP, LiveRecording, Playback } from '../ari/models.js';
import type { AudioSource } from './audio.js';
import type { SimTimer } from './clock.js';

/** An error the REST layer answers as `{ "message": ... }` with `status`. */
export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A stretch of audio written into a channel or bridge: `source` from `offsetMs`, between `start` and `end`. */
export interface Segment {
  start: number;
  end: number;
  source: AudioSource;
  offsetMs: number;
}

/** A span during which a channel was in a bridge. */
export interface Membership {
  channel: SimChannel;
  bridge: SimBridge;
  start: number;
  end: number;
}

/** Something that holds a channel's (or a bridge announcer's) queue until it ends: a playback, DTMF or a recording. */
export interface QueuedOp {
  start(): void;
  /** The target went away before the op ran to its end. */
  abort(): void;
}

export interface OpQueue {
  current: QueuedOp | undefined;
  waiting: QueuedOp[];
}

export interface SimChannel {
  id: string;
  name: string;
  state: Channel['state'];
  caller: CallerID;
  connected: CallerID;
  dialplan: DialplanCEP;
  creationtime: string;
  vars: Map<string, string>;
  /** The other half of a Local pair. */
  peer: SimChannel | undefined;
  /** `;1` (originated, enters the originate's app on answer) or `;2` (runs the dialplan). */
  half: 1 | 2 | 0;
  /** Apps that get this channel's events. */
  subs: Set<string>;
  /** The Stasis app the channel is in, if any. */
  stasisApp: string | undefined;
  /** ;1: where it goes once the callee answers. */
  onAnswer: { app: string; args: string[] } | { context: string; exten: string } | undefined;
  /** ;2 entered Stasis from the dialplan and returns to it (Hangup()) afterwards. */
  fromDialplan: boolean;
  hangingUp: boolean;
  destroyed: boolean;
  queue: OpQueue;
  segments: Segment[];
  memberships: Membership[];
  bridge: SimBridge | undefined;
  bridgePeer: string;
  recordings: Set<SimRecording>;
  playbacks: Set<SimPlayback>;
  dialTimer: SimTimer | undefined;
  dialstring: string;
  /** The originate's app: subscribed to both halves for their whole life, not only while in Stasis. */
  originApp: string | undefined;
}

export interface SimBridge {
  id: string;
  name: string;
  type: 'mixing' | 'holding';
  creationtime: string;
  members: Set<SimChannel>;
  memberships: Membership[];
  segments: Segment[];
  subs: Set<string>;
  queue: OpQueue;
  announcer: string | undefined;
  recordings: Set<SimRecording>;
  playbacks: Set<SimPlayback>;
}

export type Target = { kind: 'channel'; channel: SimChannel } | { kind: 'bridge'; bridge: SimBridge };

export interface SimPlayback {
  id: string;
  target: Target;
  targetUri: string;
  items: string[];
  index: number;
  language: string;
  state: Playback['state'];
  skipms: number;
  source: AudioSource | undefined;
  /** Position in the current item when the current segment began. */
  offsetMs: number;
  segment: Segment | undefined;
  paused: boolean;
  timer: SimTimer | undefined;
  op: QueuedOp | undefined;
}

export interface CaptureSpan {
  start: number;
  end: number;
  muted: boolean;
}

export interface SimRecording {
  name: string;
  format: string;
  target: Target;
  targetUri: string;
  /**
   * What Asterisk reports and checks controls against. It runs ahead of what the recording does: a stop sets
   * `done` at once, but a stop that Asterisk drops (during the beep) leaves the recording going (see `recording.ts`).
   */
  state: LiveRecording['state'];
  /** The recording's command has run (it left the channel's queue). */
  started: boolean;
  /** Its own beep is playing: controls sent now are answered and dropped, as Asterisk's beep playback eats them. */
  inBeep: boolean;
  beep: boolean;
  maxDurationMs: number;
  maxSilenceMs: number;
  terminateOn: string;
  ifExists: string;
  spans: CaptureSpan[];
  capturing: boolean;
  paused: boolean;
  muted: boolean;
  prefix: Int16Array | undefined;
  capturedMs: number;
  timers: { beep?: SimTimer; max?: SimTimer; silence?: SimTimer };
  op: QueuedOp | undefined;
}

export interface StoredEntry {
  name: string;
  format: string;
  /** The audio, once rendered (or given). */
  data: Int16Array | undefined;
  /** Renders the audio on first use: most recordings of a load test are never read back. */
  lazy: (() => Int16Array) | undefined;
  live: SimRecording | undefined;
}

/** A stored recording's samples, rendering them on first use. */
export function storedSamples(entry: StoredEntry): Int16Array {
  if (!entry.data) {
    entry.data = entry.lazy ? entry.lazy() : new Int16Array(0);
    entry.lazy = undefined;
  }
  return entry.data;
}

/** Asterisk's timestamp format: `2026-11-21T21:55:38.759+0000`. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function channelJson(ch: SimChannel): Channel {
  return {
    id: ch.id,
    name: ch.name,
    state: ch.state,
    protocol_id: '',
    caller: { ...ch.caller },
    connected: { ...ch.connected },
    accountcode: '',
    dialplan: { ...ch.dialplan },
    creationtime: ch.creationtime,
    language: 'en',
  };
}

export function bridgeJson(b: SimBridge): Bridge {
  return {
    id: b.id,
    technology: b.type === 'holding' ? 'holding_bridge' : 'simple_bridge',
    bridge_type: b.type,
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: b.name,
    channels: [...b.members].map((c) => c.id),
    creationtime: b.creationtime,
    video_mode: 'talker',
  };
}

export function playbackJson(p: SimPlayback, state = p.state): Playback {
  const out: Playback = {
    id: p.id,
    media_uri: p.items[p.index]!,
    target_uri: p.targetUri,
    language: p.language,
    state,
  };
  const next = p.items[p.index + 1];
  if (next !== undefined) {
    return {
      id: p.id,
      media_uri: out.media_uri,
      next_media_uri: next,
      target_uri: p.targetUri,
      language: p.language,
      state,
    };
  }
  return out;
}

export function recordingJson(r: SimRecording, state = r.state): LiveRecording {
  return { name: r.name, format: r.format, state, target_uri: r.targetUri };
}

export function targetSubs(t: Target): Set<string> {
  return t.kind === 'channel' ? t.channel.subs : t.bridge.subs;
}

export function targetQueue(t: Target): OpQueue {
  return t.kind === 'channel' ? t.channel.queue : t.bridge.queue;
}
