// The simulator's table of core prompt lengths: true to Asterisk's files when they are installed, complete for what
// the machines play, and what the simulator plays when the files are not there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROMPTS } from '../../machines/voicemail.js';
import { createSimulator, PROMPT_SAMPLES, parseWav, type Simulator } from '../../src/simulator/index.js';
import { characterPrompts, digitPrompts, numberPrompts } from '../../src/simulator/sounds.js';
import { greetingMedia, resolveMailbox } from '../../src/voicemail/index.js';
import { SOUNDS_DIR, soundsPresent } from '../helpers/missing.js';
import { type AriEventFrame, ari, EventLog, fence } from './helpers.js';

const SOUNDS = soundsPresent('checking the prompt table against the real files (prompts.test.ts)');

/** Every sound name a media list plays, through the simulator's own expansion of digits and numbers. */
function soundNames(media: readonly string[]): string[] {
  return media.flatMap((uri) => {
    const [scheme, rest = ''] = [uri.slice(0, uri.indexOf(':')), uri.slice(uri.indexOf(':') + 1)];
    if (scheme === 'sound') return [rest];
    if (scheme === 'digits') return digitPrompts(rest);
    if (scheme === 'characters') return characterPrompts(rest);
    if (scheme === 'number') return numberPrompts(Number(rest));
    return [];
  });
}

describe('the prompt table', () => {
  it.skipIf(!SOUNDS)('has the exact length of every installed file it names', () => {
    const wrong: string[] = [];
    for (const [name, samples] of Object.entries(PROMPT_SAMPLES)) {
      const real = parseWav(readFileSync(join(SOUNDS_DIR, `${name}.wav`))).samples.length;
      if (real !== samples) wrong.push(`${name}: table ${samples}, file ${real}`);
    }
    expect(wrong).toEqual([]);
  });

  it('holds every prompt the voicemail machine plays by default, greetings and any mailbox number included', () => {
    const media = [
      ...Object.values(DEFAULT_PROMPTS).flat(),
      ...greetingMedia(resolveMailbox({ mailbox: '1234567890' }), 'unavailable', true),
      ...greetingMedia(resolveMailbox({ mailbox: '305' }), 'busy', true),
      'sound:beep',
      'number:-1234567',
      'digits:*#',
    ];
    const missing = soundNames(media).filter((name) => !Object.hasOwn(PROMPT_SAMPLES, name));
    expect(missing).toEqual([]);
  });
});

describe('a simulator without the sound files', () => {
  let sim: Simulator | undefined;
  let log: EventLog | undefined;
  afterEach(async () => {
    await log?.close();
    await sim?.close();
    log = sim = undefined;
  });

  async function play(options: Parameters<typeof createSimulator>[0], media: string): Promise<AriEventFrame[]> {
    sim = await createSimulator({ clock: 'manual', ...options });
    log = await EventLog.open(sim, ['vm-record', 'caller']);
    await ari(sim, 'POST', '/channels?endpoint=Local%2F305%40default&app=caller');
    const start = await log.next((e) => e.type === 'StasisStart' && e.application === 'vm-record');
    const channel = (start.channel as { id: string }).id;
    expect((await ari(sim, 'POST', `/channels/${channel}/answer`)).status).toBe(204);
    expect((await ari(sim, 'POST', `/channels/${channel}/play/p?media=${encodeURIComponent(media)}`)).status).toBe(201);
    return log.frames;
  }
  const finished = (frames: AriEventFrame[]) => frames.filter((e) => e.type === 'PlaybackFinished');

  it("plays a core prompt for exactly the real file's length, and lists it under /sounds", async () => {
    const frames = await play({ sounds: { dirs: [] } }, 'sound:vm-intro');
    const ms = PROMPT_SAMPLES['vm-intro']! / 8;
    sim!.clock.advance(ms - 1);
    await fence(sim!, log!, ['vm-record']);
    expect(finished(frames)).toEqual([]);
    sim!.clock.advance(1);
    const done = await log!.next((e) => e.type === 'PlaybackFinished');
    expect(done.playback).toMatchObject({ id: 'p', state: 'done' });
    const sounds = (await ari(sim!, 'GET', '/sounds')).json as { id: string }[];
    expect(sounds.map((s) => s.id)).toEqual(expect.arrayContaining(['beep', 'vm-intro', 'digits/3']));
    expect((await ari(sim!, 'GET', '/sounds/vm-goodbye')).status).toBe(200);
  });

  it('with builtin: false, a core prompt is missing media, as on an Asterisk without the files', async () => {
    await play({ sounds: { dirs: [], builtin: false } }, 'sound:vm-intro');
    const done = await log!.next((e) => e.type === 'PlaybackFinished');
    expect(done.playback).toMatchObject({ id: 'p', state: 'failed' });
    expect((await ari(sim!, 'GET', '/sounds/vm-intro')).status).toBe(404);
  });

  it('a file given by name wins over the table', async () => {
    const { encodeWav } = await import('../../src/simulator/index.js');
    const frames = await play(
      { sounds: { dirs: [], files: { 'vm-intro': encodeWav(new Int16Array(800)) } } },
      'sound:vm-intro',
    );
    sim!.clock.advance(100);
    await log!.next((e) => e.type === 'PlaybackFinished');
    expect(finished(frames)[0]!.playback).toMatchObject({ state: 'done' });
  });

  it('refuses a malformed sounds option, naming it', async () => {
    await expect(createSimulator({ sounds: { builtin: 'yes' as unknown as boolean } })).rejects.toThrow(
      'sounds.builtin must be a boolean',
    );
    await expect(createSimulator({ sounds: { dir: [] } as never })).rejects.toThrow("unknown option 'sounds.dir'");
  });
});
