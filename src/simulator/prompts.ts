// The lengths of the core English prompts the machines, the examples and the far end play, so that the simulator
// keeps real timing on a machine without Asterisk's sound files. These are facts about the files of Debian's
// `asterisk-core-sounds-en-wav` 1.6.1 (8 kHz samples of each `<name>.wav`); test/simulator/prompts.test.ts checks
// every entry against the installed files when they are there.

/** Samples (8 kHz, so ms = samples / 8) of each known prompt, by sound name. */
export const PROMPT_SAMPLES: Readonly<Record<string, number>> = Object.freeze({
  beep: 3404,
  'hello-world': 11234,
  invalid: 32892,
  'vm-extension': 8670,
  'vm-goodbye': 6920,
  'vm-intro': 45235,
  'vm-isonphone': 11567,
  'vm-isunavail': 9961,
  'vm-mailboxfull': 33152,
  'vm-marked-urgent': 14975,
  'vm-msgforwarded': 24471,
  'vm-msgsaved': 17350,
  'vm-sorry': 24580,
  'vm-theperson': 16318,
  'vm-tooshort': 14252,
  'digits/0': 6998,
  'digits/1': 7290,
  'digits/2': 5978,
  'digits/3': 6706,
  'digits/4': 6415,
  'digits/5': 6561,
  'digits/6': 7047,
  'digits/7': 6561,
  'digits/8': 5540,
  'digits/9': 6870,
  'digits/10': 5249,
  'digits/11': 7727,
  'digits/12': 6415,
  'digits/13': 7435,
  'digits/14': 8456,
  'digits/15': 9185,
  'digits/16': 9476,
  'digits/17': 9622,
  'digits/18': 8766,
  'digits/19': 9914,
  'digits/20': 7435,
  'digits/30': 7219,
  'digits/40': 7581,
  'digits/50': 9797,
  'digits/60': 8164,
  'digits/70': 8310,
  'digits/80': 6706,
  'digits/90': 8310,
  'digits/hundred': 6792,
  'digits/thousand': 7142,
  'digits/million': 6721,
  'digits/billion': 8019,
  'digits/minus': 7107,
  'digits/star': 6476,
  'digits/pound': 5986,
  'letters/dash': 6197,
  'letters/dot': 5931,
  'letters/a': 4918,
  'letters/b': 5931,
  'letters/c': 6920,
  'letters/d': 5752,
  'letters/e': 5302,
  'letters/f': 4673,
  'letters/g': 5572,
  'letters/h': 5213,
  'letters/i': 5392,
  'letters/j': 6021,
  'letters/k': 5752,
  'letters/l': 4763,
  'letters/m': 4853,
  'letters/n': 4943,
  'letters/o': 5212,
  'letters/p': 5123,
  'letters/q': 5931,
  'letters/r': 5842,
  'letters/s': 4943,
  'letters/t': 5392,
  'letters/u': 6303,
  'letters/v': 6122,
  'letters/w': 7264,
  'letters/x': 5189,
  'letters/y': 6019,
  'letters/z': 6537,
});

// The beep is a plain tone; every other prompt is speech, stood in for by a voice-band signal loud enough for
// Asterisk's silence detection to hear it (as the real recording would be heard).
const BEEP_HZ = 1000;
const BEEP_AMPLITUDE = 6000;
const SPEECH_HZ = [220, 660] as const;
const SPEECH_AMPLITUDE = 1500;

/**
 * The stand-in samples of a known prompt: exactly as long as the real file, a tone for `beep`, a voice-band signal
 * for the spoken prompts. Undefined for a name the table does not hold.
 */
export function synthesizePrompt(name: string): Int16Array | undefined {
  const length = Object.hasOwn(PROMPT_SAMPLES, name) ? PROMPT_SAMPLES[name] : undefined;
  if (length === undefined) return undefined;
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / 8000;
    const v =
      name === 'beep'
        ? Math.sin(2 * Math.PI * BEEP_HZ * t) * BEEP_AMPLITUDE
        : SPEECH_HZ.reduce((sum, hz) => sum + Math.sin(2 * Math.PI * hz * t) * SPEECH_AMPLITUDE, 0);
    out[i] = Math.round(v);
  }
  return out;
}
