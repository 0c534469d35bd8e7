import { DEFAULT_KEYS, MAIN_DEFAULT_KEYS, type VoicemailKeys, type VoicemailMainKeys } from '../../machines/index.js';
import type { ChartLabels, GuardLabel } from './labels.js';

/** The events of the machines as a telephony engineer says them: ARI's DTMF, and the runtime's one hang-up. */
export const ARI_EVENT_LABELS: Readonly<Record<string, string>> = { ChannelDtmfReceived: 'DTMF', hangup: 'hang-up' };

/**
 * The voicemail machine's labels: a key guard reads as the key pressed and what it is for (`DTMF # [accept]`, with
 * `keys`, default {@link DEFAULT_KEYS}; `DTMF (off) [pause]` for a key switched off), and the event-matching guards in
 * words (`PlaybackFinished [current playback]`).
 */
export function voicemailChartLabels(keys: VoicemailKeys = DEFAULT_KEYS): ChartLabels {
  return { events: ARI_EVENT_LABELS, guards: keyGuardLabels(keys) };
}

/** The guards both machines share: a key guard as the key and what it is for, digits, the current playback or take. */
function keyGuardLabels<K extends { readonly [P in keyof K]: string | null }>(keys: K): ChartLabels['guards'] {
  return {
    isKey: (params): GuardLabel => {
      const name = (params as { key?: unknown } | undefined)?.key;
      if (typeof name !== 'string' || !Object.hasOwn(keys, name)) return { on: 'key', guard: 'isKey' };
      return { on: keys[name as keyof K] ?? '(off)', guard: name };
    },
    isDigit: (): GuardLabel => ({ on: 'digit', guard: 'isDigit' }),
    isCurrentPlayback: 'current playback',
    isCurrentTake: 'current take',
  };
}

/** The mailbox menu's labels: `DTMF 7 [delete]` for its keys (default {@link MAIN_DEFAULT_KEYS}), as for voicemail. */
export function voicemailMainChartLabels(keys: VoicemailMainKeys = MAIN_DEFAULT_KEYS): ChartLabels {
  return {
    events: ARI_EVENT_LABELS,
    guards: { ...keyGuardLabels(keys), isFolderDigit: (): GuardLabel => ({ on: 'digit 0-4', guard: 'folder' }) },
  };
}

/** The recordCall machine's labels: `RecordingFinished [current take]`, `hang-up`. */
export const RECORD_CALL_CHART_LABELS: ChartLabels = {
  events: ARI_EVENT_LABELS,
  guards: { isCurrentTake: 'current take' },
};

/** The voicemailResume machine's labels: `PlaybackFinished [current playback]`, `hang-up`, its two guards in words. */
export const VOICEMAIL_RESUME_CHART_LABELS: ChartLabels = {
  events: ARI_EVENT_LABELS,
  guards: { isCurrentPlayback: 'current playback', hasHungUp: 'caller gone', isOnlySendingOn: 'only send on' },
};

/** The labels of this project's machines, by machine id. */
export const MACHINE_CHART_LABELS: Readonly<Record<string, ChartLabels>> = {
  voicemail: voicemailChartLabels(),
  recordCall: RECORD_CALL_CHART_LABELS,
  voicemailMain: voicemailMainChartLabels(),
  voicemailResume: VOICEMAIL_RESUME_CHART_LABELS,
};

/**
 * The path a call takes through each of this project's machines when all goes well (by machine id, as state paths):
 * drawn bold in its pictures. Voicemail: the greeting, the message ended with `#`, saved, goodbye. The mailbox menu:
 * log in, open the folder, listen to a message, exit with `#`. The recorder: started, recording, stopped, stored,
 * uploaded.
 */
export const MACHINE_HAPPY_PATHS: Readonly<Record<string, readonly string[]>> = {
  voicemail: [
    'opening',
    'answering',
    'lookingUpMailbox',
    'greeting',
    'recording.active',
    'recording.stopping',
    'saving',
    'goodbye',
    'finishing',
    'done',
  ],
  recordCall: ['init', 'starting', 'recording.active', 'stopping', 'storing', 'uploading.sending', 'done'],
  voicemailResume: ['settling', 'telling', 'finishing', 'done'],
  voicemailMain: [
    'answering',
    'login.mailbox.prompting',
    'login.mailbox.typing',
    'login.pin.prompting',
    'login.pin.typing',
    'login.checking',
    'loading',
    'menu.prompting',
    'message.opening',
    'message.playing',
    'message.instructions',
    'goodbye',
    'finishing',
    'done',
  ],
};
