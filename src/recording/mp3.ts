/** In-process mp3: Asterisk cannot record mp3, so its wav is encoded here with lamejs (no external binaries). */
import { Mp3Encoder } from '@breezystack/lamejs';
import { type WavFormat, WavFormatError, wavSamples } from './wav.js';

/** Options of {@link wavToMp3}. */
export interface Mp3Options {
  /** Bit rate in kbit/s. Default 32 (ample for 8 kHz telephone audio). */
  readonly kbps?: number;
}

// lamejs encodes in blocks of 1152 samples; feeding whole blocks avoids its internal copies.
const BLOCK = 1152;

/**
 * Encodes a mono 16-bit PCM WAV stream to mp3, chunk by chunk.
 * @throws WavFormatError when the input is not mono 16-bit PCM WAV at a rate mp3 supports.
 */
export async function* wavToMp3(
  source: AsyncIterable<Uint8Array>,
  options: Mp3Options = {},
): AsyncGenerator<Uint8Array> {
  let encoder: Mp3Encoder | undefined;
  let pending = new Int16Array(0);
  for await (const part of wavSamples(source)) {
    if ('format' in part) {
      encoder = createEncoder(part.format, options.kbps ?? 32);
      continue;
    }
    if (!encoder) continue;
    const joined = new Int16Array(pending.length + part.samples.length);
    joined.set(pending);
    joined.set(part.samples, pending.length);
    const whole = joined.length - (joined.length % BLOCK);
    for (let at = 0; at < whole; at += BLOCK) {
      const out = encoder.encodeBuffer(joined.subarray(at, at + BLOCK));
      if (out.length > 0) yield copy(out);
    }
    pending = joined.slice(whole);
  }
  if (!encoder) throw new WavFormatError('no WAV format found');
  if (pending.length > 0) {
    const out = encoder.encodeBuffer(pending);
    if (out.length > 0) yield copy(out);
  }
  const tail = encoder.flush();
  if (tail.length > 0) yield copy(tail);
}

const MP3_RATES = new Set([8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]);

function createEncoder(format: WavFormat, kbps: number): Mp3Encoder {
  if (format.channels !== 1)
    throw new WavFormatError(`mp3 encoding expects mono audio, got ${format.channels} channels`);
  if (!MP3_RATES.has(format.sampleRate)) throw new WavFormatError(`mp3 cannot encode ${format.sampleRate} Hz audio`);
  return new Mp3Encoder(1, format.sampleRate, kbps);
}

// lamejs hands out views (Int8Array) of its own reused buffer.
const copy = (bytes: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }) =>
  new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();

/** What the frame headers of an mp3 file say. */
export interface Mp3Info {
  readonly frames: number;
  readonly sampleRate: number;
  readonly samplesPerFrame: number;
  readonly durationSeconds: number;
  /** Bytes before the first frame (an ID3 tag, say) or between frames that did not parse. */
  readonly skippedBytes: number;
}

const BITRATES: Record<string, readonly number[]> = {
  // MPEG-1 Layer III, then MPEG-2/2.5 Layer III (kbit/s by index 1..14).
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

/**
 * Walks the Layer III frame headers of an mp3 file to count frames and compute its duration.
 * @throws Error when no frame is found.
 */
export function mp3Info(bytes: Uint8Array): Mp3Info {
  let at = 0;
  let frames = 0;
  let skipped = 0;
  let sampleRate = 0;
  let samplesPerFrame = 0;
  while (at + 4 <= bytes.length) {
    const b1 = bytes[at + 1] ?? 0;
    const b2 = bytes[at + 2] ?? 0;
    const version = (b1 >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    const layer = (b1 >> 1) & 3; // 1: Layer III
    const bitrateIndex = b2 >> 4;
    const rateIndex = (b2 >> 2) & 3;
    const rates = RATES[version];
    if (
      bytes[at] !== 0xff ||
      (b1 & 0xe0) !== 0xe0 ||
      layer !== 1 ||
      !rates ||
      bitrateIndex === 0 ||
      bitrateIndex === 15 ||
      rateIndex === 3
    ) {
      at++;
      skipped++;
      continue;
    }
    const rate = rates[rateIndex] ?? 0;
    const kbps = (version === 3 ? BITRATES.v1 : BITRATES.v2)?.[bitrateIndex] ?? 0;
    const perFrame = version === 3 ? 1152 : 576;
    const length = Math.floor(((perFrame / 8) * kbps * 1000) / rate) + ((b2 >> 1) & 1);
    if (length < 4) {
      at++;
      skipped++;
      continue;
    }
    sampleRate = rate;
    samplesPerFrame = perFrame;
    frames++;
    at += length;
  }
  if (frames === 0) throw new Error('no mp3 frame found');
  return {
    frames,
    sampleRate,
    samplesPerFrame,
    durationSeconds: (frames * samplesPerFrame) / sampleRate,
    skippedBytes: skipped,
  };
}
