// Live recordings on channels and bridges, and the stored recordings they leave.

import { SAMPLES_PER_MS, talkAndSilence, toInt16 } from './audio.js';
import type { Engine } from './engine.js';
import { hearsAudioNow, renderTarget } from './mixer.js';
import {
  recordingJson,
  type SimChannel,
  SimError,
  type SimRecording,
  storedSamples,
  type Target,
  targetQueue,
  targetSubs,
} from './model.js';
import type { Playbacks } from './playback.js';

/** Formats Asterisk can record to on the box the traces come from (`mp3` is not one: 422). */
export const RECORDING_FORMATS: readonly string[] = [
  'wav',
  'WAV',
  'wav16',
  'gsm',
  'ulaw',
  'alaw',
  'sln',
  'g722',
  'g729',
];

export interface RecordParams {
  name?: string;
  format?: string;
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  ifExists?: string;
  beep?: boolean;
  terminateOn?: string;
}

/** Recording names are paths under Asterisk's recording directory: `..` would escape it. */
export function validRecordingName(name: string): boolean {
  return name.length > 0 && !name.split('/').includes('..') && !name.startsWith('/') && !name.includes('\0');
}

export class Recordings {
  constructor(
    readonly engine: Engine,
    readonly playbacks: Playbacks,
  ) {
    engine.onAudioChange = (recs) => {
      for (const r of recs) this.#watchSilence(r);
    };
    engine.finishBridgeRecording = (r) => this.#finish(r, 'done');
  }

  /** POST /channels/{id}/record and /bridges/{id}/record, with Asterisk's checks in Asterisk's order. */
  create(target: Target, p: RecordParams): SimRecording {
    const e = this.engine;
    if (p.name === undefined) throw new SimError(500, 'Error parsing request');
    if (!p.format) throw new SimError(400, 'format is required');
    if ((p.maxDurationSeconds ?? 0) < 0) throw new SimError(400, 'max_duration_seconds cannot be negative');
    if ((p.maxSilenceSeconds ?? 0) < 0) throw new SimError(400, 'max_silence_seconds cannot be negative');
    const ifExists = p.ifExists ?? 'fail';
    if (!['fail', 'overwrite', 'append'].includes(ifExists)) throw new SimError(400, 'ifExists invalid');
    const terminateOn = p.terminateOn ?? 'none';
    if (!['none', 'any', '*', '#'].includes(terminateOn)) throw new SimError(400, 'terminateOn invalid');
    if (!RECORDING_FORMATS.includes(p.format)) throw new SimError(422, 'specified format is unknown on this system');
    if (!validRecordingName(p.name)) throw new SimError(400, 'Recording name invalid');
    // README point 8: a live name is never recorded again, whatever ifExists says.
    if (e.live.has(p.name) || (e.stored.has(p.name) && ifExists === 'fail')) {
      throw new SimError(409, `Recording '${p.name}' already exists and can not be overwritten`);
    }
    const rec: SimRecording = {
      name: p.name,
      format: p.format,
      target,
      targetUri: target.kind === 'channel' ? `channel:${target.channel.id}` : `bridge:${target.bridge.id}`,
      state: 'queued',
      started: false,
      inBeep: false,
      beep: p.beep ?? false,
      maxDurationMs: (p.maxDurationSeconds ?? 0) * 1000,
      maxSilenceMs: (p.maxSilenceSeconds ?? 0) * 1000,
      terminateOn,
      ifExists,
      spans: [],
      capturing: false,
      paused: false,
      muted: false,
      prefix: undefined,
      capturedMs: 0,
      timers: {},
      op: undefined,
    };
    e.live.set(rec.name, rec);
    (target.kind === 'channel' ? target.channel.recordings : target.bridge.recordings).add(rec);
    rec.op = { start: () => this.#start(rec), abort: () => this.#endWithTarget(rec) };
    return rec;
  }

  /** A channel recording waits for the channel's queue; a bridge recording starts at once (its own Recorder channel). */
  enqueue(rec: SimRecording): void {
    if (rec.target.kind === 'channel') this.engine.enqueue(targetQueue(rec.target), rec.op!);
    else this.#start(rec);
  }

  #emit(rec: SimRecording, type: string, extra: Record<string, unknown> = {}): void {
    this.engine.emit(targetSubs(rec.target), type, { recording: { ...recordingJson(rec), ...extra } });
  }

  #start(rec: SimRecording): void {
    // Asterisk records whatever a stop or cancel said while it was queued (they only marked it `canceled`).
    rec.started = true;
    rec.state = 'recording';
    this.#emit(rec, 'RecordingStarted');
    if (!rec.beep) {
      this.#capture(rec);
      return;
    }
    // RecordingStarted comes before the beep; the beep's playback eats every control sent while it plays.
    const ms = this.playbacks.beep(rec.target);
    rec.inBeep = true;
    rec.timers.beep = this.engine.deps.clock.setTimer(ms, () => {
      rec.timers.beep = undefined;
      rec.inBeep = false;
      this.#capture(rec);
    });
  }

  #capture(rec: SimRecording): void {
    const e = this.engine;
    const existing = e.stored.get(rec.name);
    rec.prefix = rec.ifExists === 'append' && existing ? storedSamples(existing) : undefined;
    // The file exists from the first frame on, as on disk.
    e.stored.set(rec.name, { name: rec.name, format: rec.format, data: rec.prefix, lazy: undefined, live: rec });
    rec.capturing = true;
    if (!rec.paused) this.#openSpan(rec);
  }

  #openSpan(rec: SimRecording): void {
    const e = this.engine;
    rec.spans.push({ start: e.now, end: Number.POSITIVE_INFINITY, muted: rec.muted });
    if (rec.maxDurationMs > 0) {
      rec.timers.max = e.deps.clock.setTimer(rec.maxDurationMs - rec.capturedMs, () => this.#finish(rec, 'done'));
    }
    this.#watchSilence(rec);
  }

  #closeSpan(rec: SimRecording): void {
    const span = rec.spans.at(-1);
    if (!span || span.end !== Number.POSITIVE_INFINITY) return;
    span.end = this.engine.now;
    rec.capturedMs += span.end - span.start;
    rec.timers.max?.cancel();
    rec.timers.silence?.cancel();
    rec.timers.max = undefined;
    rec.timers.silence = undefined;
  }

  /** maxSilenceSeconds: the recording ends once its input has been silent that long. */
  #watchSilence(rec: SimRecording): void {
    if (rec.maxSilenceMs <= 0 || !rec.capturing || rec.paused) return;
    if (hearsAudioNow(rec, this.engine.now)) {
      rec.timers.silence?.cancel();
      rec.timers.silence = undefined;
    } else if (!rec.timers.silence) {
      rec.timers.silence = this.engine.deps.clock.setTimer(rec.maxSilenceMs, () => this.#finish(rec, 'done'));
    }
  }

  get(name: string): SimRecording {
    const rec = this.engine.live.get(name);
    if (!rec) throw new SimError(404, 'Recording not found');
    return rec;
  }

  /**
   * The controls of a live recording, as Asterisk 22's table of recording operations has them (checked on the real
   * one): a queued recording takes a stop or cancel as "disregard" (204, state `canceled`, and it still records when
   * its turn comes) and refuses the rest; a recording or paused one changes its state at once and sends itself a
   * control frame, which its beep drops; a recording whose state is already `done` or `canceled` refuses every
   * control with 409, even while it still records (its stop was dropped).
   */
  control(name: string, op: 'stop' | 'cancel' | 'pause' | 'unpause' | 'mute' | 'unmute'): void {
    const rec = this.get(name);
    const refuse = (): never => {
      throw new SimError(409, 'Recording not in session');
    };
    switch (rec.state) {
      case 'queued':
        if (op === 'stop' || op === 'cancel') rec.state = 'canceled';
        else refuse();
        return;
      case 'recording':
      case 'paused':
        break;
      default:
        refuse();
    }
    const paused = rec.state === 'paused';
    switch (op) {
      case 'stop':
        rec.state = 'done';
        this.#frame(rec, () => this.#finish(rec, 'done'));
        return;
      case 'cancel':
        rec.state = 'canceled';
        this.#frame(rec, () => this.#finish(rec, 'done', true));
        return;
      case 'pause':
        if (paused) return;
        rec.state = 'paused';
        this.#frame(rec, () => this.#suspend(rec));
        return;
      case 'unpause':
        if (!paused) return;
        rec.state = 'recording';
        this.#frame(rec, () => this.#suspend(rec));
        return;
      case 'mute':
      case 'unmute':
        if (rec.muted === (op === 'mute')) return;
        this.#frame(rec, () => this.#setMuted(rec, op === 'mute'));
    }
  }

  /** A control frame reaches the recording, unless its beep is playing (Asterisk's beep playback drops it). */
  #frame(rec: SimRecording, apply: () => void): void {
    if (rec.inBeep) return;
    apply();
  }

  /** Asterisk's suspend frame toggles: a pause dropped in the beep makes the later unpause a pause. */
  #suspend(rec: SimRecording): void {
    rec.paused = !rec.paused;
    if (!rec.capturing) return;
    if (rec.paused) this.#closeSpan(rec);
    else this.#openSpan(rec);
  }

  #setMuted(rec: SimRecording, on: boolean): void {
    rec.muted = on;
    if (!rec.capturing || rec.paused) return;
    this.#closeSpan(rec);
    this.#openSpan(rec);
  }

  /** DTMF heard on a channel ends its recordings that terminate on that digit. */
  dtmf(ch: SimChannel, digit: string): void {
    for (const rec of [...ch.recordings]) {
      // Digits during the beep are eaten by its playback too.
      if (!rec.started || rec.inBeep || !rec.capturing) continue;
      if (rec.terminateOn === 'any' || rec.terminateOn === digit) this.#finish(rec, 'done');
    }
  }

  /** The channel or bridge is going away: its recordings end `done` and keep their files (README point 9). */
  teardown(target: Target): void {
    const set = target.kind === 'channel' ? target.channel.recordings : target.bridge.recordings;
    for (const rec of [...set]) this.#endWithTarget(rec);
  }

  /**
   * A recording whose target goes away ends `done`. One still queued on a hung-up channel starts first, as Asterisk
   * 22.10.1 does (trace queued-recording-hangup: the playback ahead of it fails, RecordingStarted, then
   * RecordingFinished `done` with duration 0 and a stored file; Asterisk takes 35 ms to 4 s for that last step, as
   * audio reaches the channel or not, the simulator none).
   */
  #endWithTarget(rec: SimRecording): void {
    if (this.engine.live.get(rec.name) !== rec) return;
    if (!rec.started && rec.target.kind === 'channel') {
      rec.started = true;
      rec.state = 'recording';
      this.#emit(rec, 'RecordingStarted');
      this.#capture(rec);
    }
    this.#finish(rec, 'done');
  }

  #finish(rec: SimRecording, state: 'done' | 'failed', cancel = false): void {
    const e = this.engine;
    if (e.live.get(rec.name) !== rec) return;
    const wasQueued = !rec.started;
    rec.timers.beep?.cancel();
    this.#closeSpan(rec);
    e.live.delete(rec.name);
    (rec.target.kind === 'channel' ? rec.target.channel.recordings : rec.target.bridge.recordings).delete(rec);
    const extra: Record<string, unknown> = {};
    if (rec.capturing) {
      // Silence statistics need the audio now; otherwise it is rendered when first read.
      const fresh = rec.maxSilenceMs > 0 ? this.#render(rec) : undefined;
      if (cancel) e.stored.delete(rec.name);
      else {
        const prefix = rec.prefix ?? new Int16Array(0);
        if (!fresh) e.pendingRenders.add(rec);
        const lazy = (): Int16Array => {
          e.pendingRenders.delete(rec);
          const audio = fresh ?? this.#render(rec);
          const all = new Int16Array(prefix.length + audio.length);
          all.set(prefix);
          all.set(audio, prefix.length);
          return all;
        };
        e.stored.set(rec.name, { name: rec.name, format: rec.format, data: undefined, lazy, live: undefined });
      }
      extra.duration = Math.floor(rec.capturedMs / 1000);
      if (fresh) {
        const { talkingMs, silenceMs } = talkAndSilence(fresh);
        extra.talking_duration = Math.round(talkingMs / 1000);
        extra.silence_duration = Math.round(silenceMs / 1000);
      }
    }
    rec.inBeep = false;
    rec.state = wasQueued ? 'canceled' : state;
    rec.capturing = false;
    this.#emit(rec, 'RecordingFinished', extra);
    if (rec.op) e.opDone(targetQueue(rec.target), rec.op);
  }

  /** What the recording captured so far: its spans, paused time left out, muted time as silence. */
  #render(rec: SimRecording): Int16Array {
    const now = this.engine.now;
    const parts: Int16Array[] = [];
    let total = 0;
    for (const span of rec.spans) {
      const end = Math.min(span.end, now);
      const part = span.muted
        ? new Int16Array(Math.round((end - span.start) * SAMPLES_PER_MS))
        : toInt16(renderTarget(rec.target, span.start, end, now));
      parts.push(part);
      total += part.length;
    }
    const out = new Int16Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** The bytes a stored recording has now: a live one is rendered up to this moment. */
  samplesOf(name: string): Int16Array | undefined {
    const entry = this.engine.stored.get(name);
    if (!entry) return undefined;
    if (!entry.live) return storedSamples(entry);
    const prefix = entry.data ?? new Int16Array(0);
    const fresh = this.#render(entry.live);
    const all = new Int16Array(prefix.length + fresh.length);
    all.set(prefix);
    all.set(fresh, prefix.length);
    return all;
  }
}
