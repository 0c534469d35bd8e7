/** RIFF/WAVE for the PCM files Asterisk records (8 or 16 kHz, 16-bit, mono): the recorder and the simulator share it. */

/** The format of a PCM WAV file and where its samples are. */
export interface WavFormat {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Byte offset of the first sample. */
  readonly dataOffset: number;
  /**
   * Bytes of sample data. A header written before the end of the recording (0 or 0xFFFFFFFF) is taken to mean
   * "to the end of the file": `undefined` when reading a stream, the remaining bytes when reading a buffer.
   */
  readonly dataBytes: number | undefined;
}

/** Thrown for bytes that are not a PCM WAV file this library can read. */
export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const ascii = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));

/**
 * Reads the RIFF header from the start of a file (`bytes` may be only its beginning).
 * @returns the format, or `undefined` when more bytes are needed to reach the `data` chunk.
 * @throws WavFormatError for anything but 16-bit PCM (format 1) WAV.
 */
export function readWavHeader(bytes: Uint8Array): WavFormat | undefined {
  if (bytes.length < 12) return undefined;
  if (ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { sampleRate: number; channels: number; bitsPerSample: number } | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk before fmt chunk');
      const open = size === 0 || size === 0xffffffff;
      return { ...fmt, dataOffset: at + 8, dataBytes: open ? undefined : size };
    }
    if (at + 8 + size > bytes.length) return undefined;
    if (id === 'fmt ') {
      if (size < 16) throw new WavFormatError('fmt chunk too short');
      const audioFormat = view.getUint16(at + 8, true);
      const bitsPerSample = view.getUint16(at + 22, true);
      if (audioFormat !== 1 || bitsPerSample !== 16) {
        throw new WavFormatError(`only 16-bit PCM is supported (format ${audioFormat}, ${bitsPerSample} bits)`);
      }
      fmt = { channels: view.getUint16(at + 10, true), sampleRate: view.getUint32(at + 12, true), bitsPerSample };
      if (fmt.channels < 1 || fmt.sampleRate < 1) throw new WavFormatError('fmt chunk has no channels or rate');
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}

/** A whole WAV file as {@link parseWav} reads it. */
export interface ParsedWav extends WavFormat {
  /** Bytes of sample data actually present (a header that claims more is cut to the file). */
  readonly dataBytes: number;
  readonly durationSeconds: number;
  /** The samples, interleaved when there are several channels; an odd trailing byte is left out. */
  readonly samples: Int16Array;
}

/**
 * Reads a whole WAV file: its format, length and samples. It does not check the rate or the channel count (Asterisk
 * records 8 or 16 kHz mono): compare `sampleRate` and `channels` with what you need.
 * @throws WavFormatError when it is not 16-bit PCM WAV or is cut short before its samples.
 */
export function parseWav(bytes: Uint8Array): ParsedWav {
  const format = readWavHeader(bytes);
  if (!format) throw new WavFormatError('WAV file ends before its data chunk');
  const available = bytes.length - format.dataOffset;
  const dataBytes = Math.min(format.dataBytes ?? available, available);
  const view = new DataView(bytes.buffer, bytes.byteOffset + format.dataOffset, dataBytes);
  const samples = new Int16Array(dataBytes >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return {
    ...format,
    dataBytes,
    durationSeconds: dataBytes / (format.sampleRate * format.channels * 2),
    samples,
  };
}

/** A 44-byte canonical header for `dataBytes` of 16-bit PCM. */
export function wavHeader(options: { sampleRate: number; channels?: number; dataBytes: number }): Uint8Array {
  const channels = options.channels ?? 1;
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const put = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) header[at + i] = text.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + options.dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, options.dataBytes, true);
  return header;
}

/** A complete mono WAV file of the given samples, at `sampleRate` Hz (default 8000, Asterisk's `wav`). */
export function encodeWav(samples: Int16Array, sampleRate = 8000): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  out.set(wavHeader({ sampleRate, dataBytes: samples.length * 2 }));
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i] ?? 0, true);
  return out;
}

/**
 * Splits a WAV byte stream into its format and its samples, without holding the file in memory.
 * @throws WavFormatError when the stream is not 16-bit PCM WAV.
 */
export async function* wavSamples(
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ format: WavFormat } | { samples: Int16Array }, void, undefined> {
  let head: Uint8Array = new Uint8Array(0);
  let format: WavFormat | undefined;
  let remaining = Number.POSITIVE_INFINITY;
  let odd: number | undefined;
  for await (const chunk of source) {
    let bytes: Uint8Array = chunk;
    if (!format) {
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      format = readWavHeader(joined);
      if (!format) {
        head = joined;
        continue;
      }
      yield { format };
      remaining = format.dataBytes ?? Number.POSITIVE_INFINITY;
      bytes = joined.subarray(format.dataOffset);
    }
    if (remaining <= 0) continue;
    bytes = bytes.subarray(0, Math.min(bytes.length, remaining));
    remaining -= bytes.length;
    // Samples straddle chunk boundaries: carry an odd byte to the next chunk.
    let start = 0;
    const prefix = odd;
    const count = Math.floor((bytes.length + (prefix === undefined ? 0 : 1)) / 2);
    const samples = new Int16Array(count);
    let i = 0;
    if (prefix !== undefined && bytes.length > 0) {
      samples[i++] = ((bytes[0] ?? 0) << 8) | prefix;
      start = 1;
      odd = undefined;
    }
    for (; start + 1 < bytes.length; start += 2) samples[i++] = (bytes[start] ?? 0) | ((bytes[start + 1] ?? 0) << 8);
    if (start < bytes.length) odd = bytes[start];
    if (samples.length > 0) yield { samples };
  }
  if (!format) throw new WavFormatError('stream ended before the WAV data chunk');
}
