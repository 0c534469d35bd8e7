// Audio as the simulator models it: 8 kHz, 16-bit signed, mono (Asterisk's slin), as Int16Array samples.

export const RATE = 8000;
export const SAMPLES_PER_MS = RATE / 1000;

/** Something that can be played: its length (Infinity for a tone without end) and its samples. */
export interface AudioSource {
  readonly durationMs: number;
  /** True when the source is heard as speech/tone (silence detection), false for silence. */
  readonly audible: boolean;
  /** Adds (mixes) the source's samples from `fromMs` (position within the source) into `out` at `outIndex`. */
  mixInto(out: Int32Array, outIndex: number, fromMs: number, count: number): void;
}

export function pcmSource(samples: Int16Array): AudioSource {
  return {
    durationMs: samples.length / SAMPLES_PER_MS,
    audible: true,
    mixInto(out, outIndex, fromMs, count) {
      const start = Math.round(fromMs * SAMPLES_PER_MS);
      for (let i = 0; i < count; i++) {
        const s = start + i;
        if (s >= 0 && s < samples.length) out[outIndex + i]! += samples[s]!;
      }
    },
  };
}

export function silenceSource(durationMs: number): AudioSource {
  return { durationMs, audible: false, mixInto() {} };
}

/** One part of an Asterisk tone spec (`425/200`, `350+440`, `!950/330`, `0/200`). */
interface ToneItem {
  freqs: number[];
  ms: number;
  once: boolean;
}

// Asterisk's default amplitude for generated tones (playtones), per frequency.
const TONE_AMPLITUDE = 7219 / 2;

/** The `us` tone zone's named tones, as Asterisk's indications.conf has them. */
const NAMED_TONES: Record<string, string> = {
  dial: '350+440',
  busy: '480+620/500,0/500',
  ring: '440+480/2000,0/4000',
  congestion: '480+620/250,0/250',
  callwaiting: '440/300,0/10000',
  record: '1400/500,0/15000',
  info: '!950/330,!1400/330,!1800/330,0',
};

/**
 * Parses a tone spec as Asterisk's playtones does: comma-separated `f1[+f2][/ms]` items, `!` = not repeated.
 * Items without a duration last forever; the tone repeats from the first non-`!` item, so it only ends when every
 * item is `!` and timed. Returns undefined when the spec is not a tone.
 */
export function toneSource(spec: string): AudioSource | undefined {
  const named = NAMED_TONES[spec.split(';')[0]!.trim()];
  const text = named ?? spec.split(';')[0]!;
  const items: ToneItem[] = [];
  for (const raw of text.split(',')) {
    const m = /^\s*(!?)(\d+(?:\.\d+)?(?:[+*]\d+(?:\.\d+)?)?)(?:\/(\d+))?\s*$/.exec(raw);
    if (!m) return undefined;
    const freqs = m[2]!.split(/[+*]/).map(Number);
    items.push({ freqs, ms: m[3] === undefined ? Number.POSITIVE_INFINITY : Number(m[3]), once: m[1] === '!' });
  }
  if (items.length === 0) return undefined;
  const repeatFrom = items.findIndex((i) => !i.once);
  const firstPass = items.reduce((a, i) => a + i.ms, 0);
  const durationMs = repeatFrom === -1 ? firstPass : Number.POSITIVE_INFINITY;
  const loop = repeatFrom === -1 ? [] : items.slice(repeatFrom);
  const loopMs = loop.reduce((a, i) => a + i.ms, 0);
  const audible = items.some((i) => i.freqs.some((f) => f > 0));
  const itemAt = (ms: number): { item: ToneItem; phaseMs: number } | undefined => {
    let t = 0;
    for (const item of items) {
      if (ms < t + item.ms) return { item, phaseMs: ms };
      t += item.ms;
    }
    if (loop.length === 0 || !Number.isFinite(loopMs) || loopMs <= 0) return undefined;
    let within = (ms - t) % loopMs;
    for (const item of loop) {
      if (within < item.ms) return { item, phaseMs: ms };
      within -= item.ms;
    }
    return undefined;
  };
  return {
    durationMs,
    audible,
    mixInto(out, outIndex, fromMs, count) {
      for (let i = 0; i < count; i++) {
        const ms = fromMs + i / SAMPLES_PER_MS;
        if (ms >= durationMs) return;
        const at = itemAt(ms);
        if (!at) continue;
        const t = ms / 1000;
        let v = 0;
        for (const f of at.item.freqs) if (f > 0) v += Math.sin(2 * Math.PI * f * t) * TONE_AMPLITUDE;
        out[outIndex + i]! += Math.round(v);
      }
    },
  };
}

/** Concatenates sources one after another (digits, numbers); the result is audible if any part is. */
export function concatSources(parts: AudioSource[]): AudioSource {
  const starts: number[] = [];
  let total = 0;
  for (const p of parts) {
    starts.push(total);
    total += p.durationMs;
  }
  return {
    durationMs: total,
    audible: parts.some((p) => p.audible),
    mixInto(out, outIndex, fromMs, count) {
      const endMs = fromMs + count / SAMPLES_PER_MS;
      parts.forEach((p, k) => {
        const s = starts[k]!;
        const e = s + p.durationMs;
        const a = Math.max(fromMs, s);
        const b = Math.min(endMs, e);
        if (b <= a) return;
        const first = Math.round((a - fromMs) * SAMPLES_PER_MS);
        const n = Math.round((b - fromMs) * SAMPLES_PER_MS) - first;
        p.mixInto(out, outIndex + first, a - s, n);
      });
    },
  };
}

/** Clips a mix to 16 bits. */
export function toInt16(mix: Int32Array): Int16Array {
  const out = new Int16Array(mix.length);
  for (let i = 0; i < mix.length; i++) {
    const v = mix[i]!;
    out[i] = Math.max(-32768, Math.min(32767, v));
  }
  return out;
}

// Asterisk's default silence threshold (dsp.conf silencethreshold): average absolute amplitude of a 20 ms frame.
const SILENCE_THRESHOLD = 256;
const FRAME = 160;

/** Milliseconds of talking and of silence in `samples`, by 20 ms frames, as Asterisk's DSP counts them. */
export function talkAndSilence(samples: Int16Array): { talkingMs: number; silenceMs: number } {
  let talking = 0;
  let silence = 0;
  for (let f = 0; f < samples.length; f += FRAME) {
    const end = Math.min(samples.length, f + FRAME);
    let sum = 0;
    for (let i = f; i < end; i++) sum += Math.abs(samples[i]!);
    const ms = (end - f) / SAMPLES_PER_MS;
    if (sum / (end - f) < SILENCE_THRESHOLD) silence += ms;
    else talking += ms;
  }
  return { talkingMs: talking, silenceMs: silence };
}
