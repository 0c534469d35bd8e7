import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseWav, WavFormatError } from '../recording/wav.js';
import { RATE } from './audio.js';
import { PROMPT_SAMPLES, synthesizePrompt } from './prompts.js';

/** Where Debian/Ubuntu's `asterisk-core-sounds-en-wav` puts the English prompts. */
export const DEFAULT_SOUND_DIRS: readonly string[] = ['/usr/share/asterisk/sounds/en'];

/** Where a prompt's samples come from: a file given or found in a directory, or the built-in stand-in. */
export type SoundOrigin = 'file' | 'builtin';

/**
 * The prompts the simulator can play (`sound:<name>`), looked up lazily and cached: a file given by name first,
 * then `<dir>/<name>.wav` in each directory, then (with `builtin`) a stand-in as long as the real core prompt
 * (see {@link PROMPT_SAMPLES}), so that timing stays real on a machine without Asterisk's sound files.
 */
export class SoundLibrary {
  readonly #dirs: readonly string[];
  readonly #files: ReadonlyMap<string, string | Uint8Array>;
  readonly #builtin: boolean;
  readonly #cache = new Map<string, { samples: Int16Array; origin: SoundOrigin } | null>();
  #index: string[] | undefined;

  constructor(dirs: readonly string[], files: Record<string, string | Uint8Array>, builtin = true) {
    this.#dirs = dirs;
    this.#files = new Map(Object.entries(files));
    this.#builtin = builtin;
  }

  /** The samples of a prompt, or null when nothing has it (no file, or not an 8 kHz mono WAV, and no stand-in). */
  get(name: string): Int16Array | null {
    return this.#lookup(name)?.samples ?? null;
  }

  /** Where `name`'s samples come from, or undefined when the prompt is missing. */
  origin(name: string): SoundOrigin | undefined {
    return this.#lookup(name)?.origin;
  }

  #lookup(name: string): { samples: Int16Array; origin: SoundOrigin } | null {
    const cached = this.#cache.get(name);
    if (cached !== undefined) return cached;
    const file = this.#load(name);
    // A file given by name that cannot be read is missing, as the user meant that file and no other.
    const stand = file || !this.#builtin || this.#files.has(name) ? undefined : synthesizePrompt(name);
    const found = file
      ? { samples: file, origin: 'file' as const }
      : stand
        ? { samples: stand, origin: 'builtin' as const }
        : null;
    this.#cache.set(name, found);
    return found;
  }

  #load(name: string): Int16Array | null {
    if (!name || name.includes('..') || name.startsWith('/')) return null;
    const given = this.#files.get(name);
    try {
      if (given instanceof Uint8Array) return slin(given);
      if (typeof given === 'string') return slin(readFileSync(given));
    } catch {
      return null;
    }
    for (const dir of this.#dirs) {
      try {
        return slin(readFileSync(join(dir, `${name}.wav`)));
      } catch {
        // Not in this directory (or not a WAV we can read): try the next one; none means missing media, as in Asterisk.
      }
    }
    return null;
  }

  /** Every prompt name (`digits/3`, `vm-intro`), sorted. */
  list(): string[] {
    if (!this.#index) {
      const names = new Set<string>(this.#files.keys());
      if (this.#builtin) for (const name of Object.keys(PROMPT_SAMPLES)) names.add(name);
      const walk = (dir: string, prefix: string, depth: number): void => {
        let entries: string[];
        try {
          entries = readdirSync(dir);
        } catch {
          return;
        }
        for (const entry of entries) {
          const full = join(dir, entry);
          if (entry.endsWith('.wav')) names.add(prefix + entry.slice(0, -4));
          else if (depth < 3) {
            try {
              if (statSync(full).isDirectory()) walk(full, `${prefix}${entry}/`, depth + 1);
            } catch {
              // Removed while listing, or a dangling link: it holds no prompt.
            }
          }
        }
      };
      for (const dir of this.#dirs) walk(dir, '', 0);
      this.#index = [...names].sort();
    }
    return this.#index;
  }
}

const ONES = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
];

/** The prompts Asterisk's English `say number` plays for `n` (`305` -> digits/3, digits/hundred, digits/5). */
export function numberPrompts(n: number): string[] {
  if (n < 0) return ['digits/minus', ...numberPrompts(-n)];
  if (n === 0) return ['digits/0'];
  const out: string[] = [];
  const chunk = (v: number): void => {
    if (v >= 100) {
      out.push(`digits/${ONES[Math.floor(v / 100)]}`, 'digits/hundred');
      v %= 100;
    }
    if (v >= 20) {
      out.push(`digits/${Math.floor(v / 10) * 10}`);
      v %= 10;
    }
    if (v > 0) out.push(`digits/${ONES[v]}`);
  };
  const scales: [number, string][] = [
    [1_000_000_000, 'digits/billion'],
    [1_000_000, 'digits/million'],
    [1_000, 'digits/thousand'],
  ];
  for (const [size, word] of scales) {
    if (n >= size) {
      chunk(Math.floor(n / size));
      out.push(word);
      n %= size;
    }
  }
  chunk(n);
  return out;
}

const DIGIT_NAMES: Record<string, string> = {
  '*': 'digits/star',
  '#': 'digits/pound',
  '-': 'letters/dash',
  '.': 'letters/dot',
};

/** The prompts of `digits:<s>` (one per character). Unknown characters are skipped, as Asterisk does. */
export function digitPrompts(s: string): string[] {
  const out: string[] = [];
  for (const ch of s) {
    if (/[0-9]/.test(ch)) out.push(`digits/${ch}`);
    else if (DIGIT_NAMES[ch]) out.push(DIGIT_NAMES[ch]);
  }
  return out;
}

/** The prompts of `characters:<s>` (letters, digits and a few symbols). */
export function characterPrompts(s: string): string[] {
  const out: string[] = [];
  for (const ch of s.toLowerCase()) {
    if (/[a-z]/.test(ch)) out.push(`letters/${ch}`);
    else if (/[0-9]/.test(ch)) out.push(`digits/${ch}`);
    else if (DIGIT_NAMES[ch]) out.push(DIGIT_NAMES[ch]);
  }
  return out;
}

/** The samples of an 8 kHz 16-bit mono WAV file (Asterisk's slin, all the simulator plays). */
function slin(bytes: Uint8Array): Int16Array {
  const wav = parseWav(bytes);
  if (wav.sampleRate !== RATE || wav.channels !== 1) throw new WavFormatError('not an 8 kHz mono WAV file');
  return wav.samples;
}
