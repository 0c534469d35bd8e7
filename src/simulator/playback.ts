// Playbacks on channels and bridges: playlists, the per-target queue, control, stop, and the audio they write.

import { pcmSource } from './audio.js';
import type { Engine } from './engine.js';
import { resolveMedia } from './media.js';
import {
  playbackJson,
  type Segment,
  SimError,
  type SimPlayback,
  storedSamples,
  type Target,
  targetQueue,
  targetSubs,
} from './model.js';

const BEEP_FALLBACK_TONE = '!1000/250';

/**
 * A `tone:` item never finishes by itself on Asterisk 22, not even a timed `!` one: its tone falls silent when
 * spent, and the playback goes on until it is stopped or its channel goes (checked on the real Asterisk).
 */
const endless = (pb: SimPlayback): boolean => pb.items[pb.index]!.startsWith('tone:');

export class Playbacks {
  constructor(readonly engine: Engine) {}

  /** POST .../play: answers at once (state `queued`); the playback starts when the target's queue reaches it. */
  create(
    target: Target,
    p: { media: string; playbackId?: string; lang?: string; offsetms?: number; skipms?: number },
  ): SimPlayback {
    const e = this.engine;
    if (!p.media) throw new SimError(400, 'media is required');
    const id = p.playbackId ?? e.newUuid();
    if (e.playbacks.has(id)) throw new SimError(409, `Playback with id '${id}' already exists`);
    if (p.skipms !== undefined && p.skipms < 0) throw new SimError(400, 'skipms cannot be negative');
    if (p.offsetms !== undefined && p.offsetms < 0) throw new SimError(400, 'offsetms cannot be negative');
    const pb: SimPlayback = {
      id,
      target,
      targetUri: target.kind === 'channel' ? `channel:${target.channel.id}` : `bridge:${target.bridge.id}`,
      // README point 4: one `media` value, split at every comma (even inside a tone spec, as Asterisk does).
      items: p.media.split(','),
      index: 0,
      language: p.lang ?? 'en',
      state: 'queued',
      skipms: p.skipms ?? 3000,
      source: undefined,
      offsetMs: p.offsetms ?? 0,
      segment: undefined,
      paused: false,
      timer: undefined,
      op: undefined,
    };
    e.playbacks.set(id, pb);
    (target.kind === 'channel' ? target.channel.playbacks : target.bridge.playbacks).add(pb);
    pb.op = {
      start: () => this.#startItem(pb),
      abort: () => this.#finish(pb, 'failed', true),
    };
    return pb;
  }

  /** Queues the playback on its target (after the REST answer is composed). */
  enqueue(pb: SimPlayback): void {
    this.engine.enqueue(targetQueue(pb.target), pb.op!);
  }

  #emit(pb: SimPlayback, type: string, state = pb.state): void {
    this.engine.emit(targetSubs(pb.target), type, { playback: playbackJson(pb, state) });
  }

  #startItem(pb: SimPlayback): void {
    const e = this.engine;
    if (pb.target.kind === 'bridge') e.ensureAnnouncer(pb.target.bridge);
    pb.state = 'playing';
    this.#emit(pb, 'PlaybackStarted');
    const r = resolveMedia(pb.items[pb.index]!, e.deps.sounds, (n) => {
      const entry = e.stored.get(n);
      return entry && !entry.live ? storedSamples(entry) : undefined;
    });
    if (r.kind === 'unknown-scheme') {
      // What Asterisk 22 does (trace `errors`): PlaybackStarted and then nothing; the queue moves on.
      this.#release(pb);
      return;
    }
    if (r.kind === 'missing') {
      this.#finish(pb, 'failed');
      return;
    }
    pb.source = r.source;
    if (!endless(pb) && pb.offsetMs >= r.source.durationMs) {
      this.#itemEnded(pb);
      return;
    }
    this.#resume(pb);
  }

  #resume(pb: SimPlayback): void {
    const e = this.engine;
    const source = pb.source!;
    const seg: Segment = { start: e.now, end: Number.POSITIVE_INFINITY, source, offsetMs: pb.offsetMs };
    pb.segment = seg;
    this.#segments(pb.target).push(seg);
    const left = source.durationMs - pb.offsetMs;
    if (Number.isFinite(left)) {
      pb.timer = e.deps.clock.setTimer(left, () => (endless(pb) ? this.#spent(pb) : this.#itemEnded(pb)));
    }
    this.#audioChanged(pb.target);
  }

  /** A timed tone has played out: silent from now on, but its playback goes on (see `endless`). */
  #spent(pb: SimPlayback): void {
    pb.timer = undefined;
    const seg = pb.segment;
    if (!seg) return;
    seg.end = this.engine.now;
    pb.offsetMs = pb.source!.durationMs;
    pb.segment = undefined;
    this.#audioChanged(pb.target);
  }

  #suspend(pb: SimPlayback): void {
    pb.timer?.cancel();
    pb.timer = undefined;
    const seg = pb.segment;
    if (!seg) return;
    const now = this.engine.now;
    seg.end = now;
    pb.offsetMs = seg.offsetMs + (now - seg.start);
    pb.segment = undefined;
    this.#audioChanged(pb.target);
  }

  #segments(t: Target): Segment[] {
    const list = t.kind === 'channel' ? t.channel.segments : t.bridge.segments;
    // Forget audio nobody can record any more, so long calls do not grow without bound.
    if (list.length > 256) {
      const horizon = this.engine.oldestCapture();
      const keep = list.filter((s) => s.end >= horizon);
      list.length = 0;
      list.push(...keep);
    }
    return list;
  }

  #audioChanged(t: Target): void {
    if (t.kind === 'channel') this.engine.audioChangedOn(t.channel);
    else this.engine.audioChangedOnBridge(t.bridge);
  }

  #itemEnded(pb: SimPlayback): void {
    this.#suspend(pb);
    if (pb.index + 1 < pb.items.length) {
      this.#emit(pb, 'PlaybackContinuing', 'continuing');
      pb.index++;
      pb.offsetMs = 0;
      pb.source = undefined;
      this.#startItem(pb);
      return;
    }
    this.#finish(pb, 'done');
  }

  #release(pb: SimPlayback): void {
    this.#suspend(pb);
    this.engine.playbacks.delete(pb.id);
    (pb.target.kind === 'channel' ? pb.target.channel.playbacks : pb.target.bridge.playbacks).delete(pb);
    this.engine.opDone(targetQueue(pb.target), pb.op!);
  }

  #finish(pb: SimPlayback, state: 'done' | 'failed', aborted = false): void {
    if (!this.engine.playbacks.has(pb.id)) return;
    const wasQueued = pb.state === 'queued';
    this.#suspend(pb);
    this.engine.playbacks.delete(pb.id);
    (pb.target.kind === 'channel' ? pb.target.channel.playbacks : pb.target.bridge.playbacks).delete(pb);
    // A bridge's queued playbacks still start (and fail at once) when the bridge empties, as the traces show.
    if (aborted && wasQueued && pb.target.kind === 'bridge') {
      pb.state = 'playing';
      this.#emit(pb, 'PlaybackStarted');
    }
    if (aborted && wasQueued && pb.target.kind === 'channel') return;
    pb.state = state;
    this.#emit(pb, 'PlaybackFinished');
    if (!aborted) this.engine.opDone(targetQueue(pb.target), pb.op!);
  }

  get(id: string): SimPlayback {
    const pb = this.engine.playbacks.get(id);
    if (!pb) throw new SimError(404, 'Playback not found');
    return pb;
  }

  /** DELETE /playbacks/{id}: PlaybackFinished `done` (README point 5), queued or playing. */
  stop(id: string): void {
    const pb = this.get(id);
    if (pb.target.kind === 'bridge' && pb.state !== 'queued') {
      // On a bridge a stop ends only the current item of a playlist: the next one starts (trace media-comma-split,
      // where it is the `0/200` of a split cadence); on a channel it ends the playlist.
      if (pb.index + 1 < pb.items.length) {
        this.#itemEnded(pb);
        return;
      }
      // A stopped bridge playback takes its announcer channel with it: the next one joins a new announcer, and the
      // members' BRIDGEPEER is set again to its name (same trace; no clearing in between).
      pb.target.bridge.announcer = undefined;
    }
    if (pb.state === 'queued') {
      this.engine.opDone(targetQueue(pb.target), pb.op!);
      pb.state = 'done';
      this.engine.playbacks.delete(pb.id);
      (pb.target.kind === 'channel' ? pb.target.channel.playbacks : pb.target.bridge.playbacks).delete(pb);
      this.#emit(pb, 'PlaybackFinished');
      return;
    }
    this.#finish(pb, 'done');
  }

  control(id: string, operation: string): void {
    const pb = this.get(id);
    if (!['restart', 'pause', 'unpause', 'reverse', 'forward'].includes(operation)) {
      throw new SimError(400, `Invalid operation ${operation}`);
    }
    if (pb.state !== 'playing' || !pb.source) throw new SimError(409, 'Playback not in a state to be controlled');
    const position = (): number =>
      pb.segment ? pb.segment.offsetMs + (this.engine.now - pb.segment.start) : pb.offsetMs;
    switch (operation) {
      case 'pause':
        if (pb.paused) return;
        this.#suspend(pb);
        pb.paused = true;
        // README point 6: pausing sends PlaybackStarted again.
        this.#emit(pb, 'PlaybackStarted');
        return;
      case 'unpause':
        if (!pb.paused) return;
        pb.paused = false;
        this.#resume(pb);
        return;
      default: {
        const at = position();
        const next =
          operation === 'restart' ? 0 : operation === 'reverse' ? Math.max(0, at - pb.skipms) : at + pb.skipms;
        if (!Number.isFinite(pb.source.durationMs) && operation !== 'restart') return;
        // Asterisk 22 keeps playing where it was when a forward would skip past the end (trace review-playback-delete).
        if (next >= pb.source.durationMs) return;
        const wasPaused = pb.paused;
        this.#suspend(pb);
        pb.offsetMs = next;
        if (!wasPaused) this.#resume(pb);
      }
    }
  }

  /** The beep before a recording: written into the channel, no playback events. Returns its length. */
  beep(target: Target): number {
    const e = this.engine;
    const samples = e.deps.sounds.get('beep');
    const r = samples
      ? { kind: 'ok' as const, source: pcmSource(samples) }
      : resolveMedia(`tone:${BEEP_FALLBACK_TONE}`, e.deps.sounds, () => undefined);
    if (r.kind !== 'ok') return 0;
    const seg: Segment = { start: e.now, end: e.now + r.source.durationMs, source: r.source, offsetMs: 0 };
    this.#segments(target).push(seg);
    return r.source.durationMs;
  }
}
