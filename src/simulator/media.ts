import { type AudioSource, concatSources, pcmSource, silenceSource, toneSource } from './audio.js';
import { characterPrompts, digitPrompts, numberPrompts, type SoundLibrary } from './sounds.js';

/** What a media URI resolves to: something to play, a known scheme whose media is missing, or an unknown scheme. */
export type Resolved = { kind: 'ok'; source: AudioSource } | { kind: 'missing' } | { kind: 'unknown-scheme' };

/**
 * Resolves one playlist item (`sound:vm-intro`, `recording:a/b`, `digits:305`, `number:42`, `characters:abc`,
 * `tone:425/200`, `silence:2`).
 */
export function resolveMedia(
  uri: string,
  sounds: SoundLibrary,
  stored: (name: string) => Int16Array | undefined,
): Resolved {
  const colon = uri.indexOf(':');
  if (colon <= 0) return { kind: 'unknown-scheme' };
  const scheme = uri.slice(0, colon);
  const rest = uri.slice(colon + 1);
  const prompts = (names: string[]): Resolved => {
    const parts: AudioSource[] = [];
    for (const n of names) {
      const s = sounds.get(n);
      if (!s) return { kind: 'missing' };
      parts.push(pcmSource(s));
    }
    return parts.length ? { kind: 'ok', source: concatSources(parts) } : { kind: 'missing' };
  };
  switch (scheme) {
    case 'sound': {
      const s = sounds.get(rest);
      return s ? { kind: 'ok', source: pcmSource(s) } : { kind: 'missing' };
    }
    case 'recording': {
      const s = stored(rest);
      return s ? { kind: 'ok', source: pcmSource(s) } : { kind: 'missing' };
    }
    case 'digits':
      return prompts(digitPrompts(rest));
    case 'characters':
      return prompts(characterPrompts(rest));
    case 'number': {
      const n = Number(rest);
      return Number.isInteger(n) ? prompts(numberPrompts(n)) : { kind: 'missing' };
    }
    case 'tone': {
      const t = toneSource(rest);
      return t ? { kind: 'ok', source: t } : { kind: 'missing' };
    }
    case 'silence': {
      const seconds = Number(rest);
      return Number.isFinite(seconds) && seconds >= 0
        ? { kind: 'ok', source: silenceSource(seconds * 1000) }
        : { kind: 'missing' };
    }
    default:
      return { kind: 'unknown-scheme' };
  }
}
