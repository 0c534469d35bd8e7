import { and, assign, fromPromise, not, setup } from 'xstate';
import type {
  ChannelDtmfReceived,
  PlaybackFinished,
  RecordingFailed,
  RecordingFinished,
  RecordingStarted,
} from '../src/ari/events.js';
import type { HangupEvent } from './hangup.js';

// The leave-a-message statechart: ARI's recording tutorial (greeting, recording, reviewing, copying, ending, hung
// up) carried as far as app_voicemail's VoiceMail() goes. Pure: every side effect is a named action or invoked
// actor whose real implementation is provided by `src/voicemail/` (the placeholders here do nothing or throw).

/**
 * The DTMF keys the caller uses; every one is a single key of `0-9 * # A-D`, or `null` to switch it off (the
 * machine then never matches it: e.g. `rerecord: null` makes `*` while recording do nothing).
 */
export interface VoicemailKeys {
  /** During the greeting: go straight to the beep. Default `#`. */
  readonly skipGreeting: string | null;
  /** During the greeting: leave for the operator (dialplan extension `o`, VMSTATUS=USEREXIT). Default `0`. */
  readonly operator: string | null;
  /** During the greeting: leave voicemail (dialplan extension `a`, VMSTATUS=USEREXIT). Default `*`. */
  readonly exit: string | null;
  /** While recording: stop and keep the take; in review: keep the message. Default `#`. */
  readonly accept: string | null;
  /** While recording or in review: throw the take away and record again. Default `*`. */
  readonly rerecord: string | null;
  /** While recording: pause, and resume. Default `1`. */
  readonly pause: string | null;
  /** While recording: throw the take away and end the call (VMSTATUS=USEREXIT). Default `0`. */
  readonly cancelAndEnd: string | null;
  /** In review: play the message again. Default `2`. */
  readonly listen: string | null;
  /** In review: mark the message urgent. Default `4`. */
  readonly urgent: string | null;
  /** In review: copy the message to another mailbox (then its digits, then `copyEnter`). Default `8`. */
  readonly copy: string | null;
  /** While typing a mailbox to copy to: done. Default `#`. */
  readonly copyEnter: string | null;
  /** While typing a mailbox to copy to: give up, back to review. Default `*`. */
  readonly copyCancel: string | null;
}

/** Media lists (ARI media URIs) the machine plays; defaults use Asterisk's core English prompts. */
export interface VoicemailPrompts {
  /** After a review playback of the message. Default none (core `vm-review` speaks of keys 1/2/3). */
  readonly review: readonly string[];
  /** A take shorter than the minimum, before recording again. Default `sound:vm-tooshort`. */
  readonly tooShort: readonly string[];
  /** The message is marked urgent. Default `sound:vm-marked-urgent`. */
  readonly markedUrgent: readonly string[];
  /** Asking for the mailbox to copy to. Default `sound:vm-extension`. */
  readonly copyTo: readonly string[];
  /** The copy was made. Default `sound:vm-msgforwarded`. */
  readonly copied: readonly string[];
  /** The mailbox typed does not exist. Default `sound:invalid`. */
  readonly copyUnknown: readonly string[];
  /** The mailbox typed is full. Default `sound:vm-mailboxfull`. */
  readonly copyFull: readonly string[];
  /** The copy failed (Asterisk refused it). Default `sound:vm-sorry`. */
  readonly copyFailed: readonly string[];
  /** The message was saved. Default `sound:vm-msgsaved, sound:vm-goodbye`. */
  readonly saved: readonly string[];
  /** The mailbox is full (VMSTATUS=FAILED). Default `sound:vm-mailboxfull, sound:vm-goodbye`. */
  readonly mailboxFull: readonly string[];
  /** The mailbox asked for does not exist or is malformed (VMSTATUS=FAILED). Default `sound:invalid, sound:vm-goodbye`. */
  readonly noMailbox: readonly string[];
  /** Nothing was kept (cancel-and-end, too short) or something failed. Default `sound:vm-goodbye`. */
  readonly goodbye: readonly string[];
}

/** app_voicemail's VMSTATUS. */
export type VmStatus = 'SUCCESS' | 'USEREXIT' | 'FAILED';

/** Where the call goes after voicemail: the dialplan's `o` (operator) or `a` (exit) extension, or on. */
export type VoicemailExit = 'operator' | 'exit' | null;

/** The input of the machine: what `createVoicemailCalls` builds from the StasisStart and its options. */
export interface VoicemailInput {
  /** The channel id of the call. */
  readonly callId: string;
  /** A token unique to this call, safe in names (`0-9 A-Z a-z _ -`): playback ids and message ids derive from it. */
  readonly tag: string;
  /** The mailbox asked for (`305@default`), or `null` when it was malformed (the caller is told, VMSTATUS=FAILED). */
  readonly mailbox: string | null;
  /** Which greeting (app_voicemail's `u`/`b`). Default `unavailable`. */
  readonly greetingKind?: 'unavailable' | 'busy';
  /**
   * `play` the greeting `lookUpMailbox` found (default), or `none`: record at once, after the beep. A prepared
   * greeting that is an empty list goes straight to the beep too.
   */
  readonly greeting?: 'play' | 'none';
  /**
   * Keys to change or switch off (`null`); the others keep {@link DEFAULT_KEYS}.
   * @throws TypeError (the actor fails to start) for an unknown key name or a value that is not one key of
   * `0-9 * # A-D` or `null`, or for a `copy` key without a `copyEnter` key.
   */
  readonly keys?: Partial<VoicemailKeys>;
  readonly prompts?: Partial<VoicemailPrompts>;
  /** A take shorter than the mailbox's minimum: `discard` it and end, or `retry` (up to 3 times). Default `discard`. */
  readonly tooShort?: 'discard' | 'retry';
  /** Play the message back for review before saving. Default `true`. */
  readonly review?: boolean;
  /**
   * Timeouts in ms: waiting for `RecordingFinished` after a stop/cancel (5000), in review (10000), typing digits
   * (10000), paused (`pausedMs`, default the mailbox's longest message).
   */
  readonly timeouts?: Partial<VoicemailTimeouts>;
}

export interface VoicemailTimeouts {
  readonly finishMs: number;
  readonly reviewMs: number;
  readonly copyMs: number;
  /**
   * The longest a take may stay paused before it is kept as it is (stopped, then reviewed or saved). Default: the
   * mailbox's `maxMessageSeconds` (5 minutes when that is 0, unlimited).
   */
  readonly pausedMs?: number;
}

/** What the `lookUpMailbox` actor finds: the mailbox is ready (with what to play and its limits), unknown or full. */
export type PreparedCall =
  | {
      readonly status: 'ready';
      /** The greeting (and instructions) to play before the beep. */
      readonly greeting: readonly string[];
      /** Every recording of this call is named `<recordingPrefix><tag>-<take>`. */
      readonly recordingPrefix: string;
      readonly limits: {
        readonly maxMessageSeconds: number;
        readonly minMessageSeconds: number;
        readonly maxSilenceSeconds: number;
      };
    }
  | { readonly status: 'unknown' }
  | { readonly status: 'full' };

/** What the `copyMessage` actor did. */
export type CopyResult = { readonly status: 'copied'; readonly to: string } | { readonly status: 'unknown' | 'full' };

/** The inputs of the invoked actors (their real implementations live in `src/voicemail/`). */
export interface PlayMediaInput {
  readonly playbackId: string;
  readonly media: readonly string[];
}
export interface StartRecordingInput {
  readonly recordingName: string;
  readonly maxDurationSeconds: number;
  readonly maxSilenceSeconds: number;
}
export interface MessageInput {
  readonly messageId: string;
  readonly recordingName: string;
  readonly durationSeconds: number | null;
  readonly urgent: boolean;
}
export interface CopyMessageInput extends MessageInput {
  readonly digits: string;
}
export interface FinishCallInput {
  readonly status: VmStatus;
  readonly exit: VoicemailExit;
}

/** What a call is given at its start (its input, defaults filled in), kept unchanged to the end. */
export interface VoicemailSettings {
  readonly callId: string;
  readonly tag: string;
  readonly mailbox: string | null;
  readonly greetingKind: 'unavailable' | 'busy';
  readonly playGreeting: boolean;
  readonly keys: VoicemailKeys;
  readonly prompts: VoicemailPrompts;
  readonly tooShortMode: 'discard' | 'retry';
  readonly review: boolean;
  readonly timeouts: VoicemailTimeouts;
}

/** What the mailbox lookup (`lookUpMailbox`) found for a mailbox that is ready: kept once, before the greeting. */
export interface PreparedMailbox {
  readonly greeting: readonly string[];
  readonly recordingPrefix: string;
  readonly limits: {
    readonly maxMessageSeconds: number;
    readonly minMessageSeconds: number;
    readonly maxSilenceSeconds: number;
  };
}

/** How the call ends: VMSTATUS, where the channel goes, what the caller hears last. Set by `setOutcome`. */
export interface VoicemailOutcome {
  readonly status: VmStatus | null;
  readonly exit: VoicemailExit;
  readonly farewell: keyof VoicemailPrompts;
}

/**
 * The machine's context. What never changes after the start sits under `settings`, what the mailbox lookup gives
 * under `prepared`, the ending under `outcome`: xstate's `assign` copies the top level of the context on every
 * update, and V8 (Node 20) keeps an object copied that way with more than about 18 keys in slow dictionary mode,
 * so the top level stays small (at most 16 keys; test/machines/voicemail.test.ts holds it there).
 */
export interface VoicemailContext {
  readonly settings: VoicemailSettings;
  readonly prepared: PreparedMailbox;
  /** Takes recorded so far; the current one is `take`. */
  readonly take: number;
  readonly tooShortCount: number;
  readonly recordingName: string | null;
  /** The current take may still be recording (no `RecordingFinished` seen for it). */
  readonly takeLive: boolean;
  readonly durationSeconds: number | null;
  readonly playbackSeq: number;
  readonly playbackId: string | null;
  readonly urgent: boolean;
  readonly copyDigits: string;
  readonly hungUp: boolean;
  readonly afterDiscard: 'record' | 'tooShort' | 'end';
  readonly outcome: VoicemailOutcome;
  readonly messageId: string | null;
  readonly error: unknown;
}

/**
 * The events the machine reacts to: ARI events as Asterisk sends them, and the runtime's one `hangup` for the caller
 * gone (only the fields read are required).
 */
export type VoicemailEvent =
  | Pick<ChannelDtmfReceived, 'type' | 'digit'>
  | Pick<PlaybackFinished, 'type' | 'playback'>
  | Pick<RecordingStarted, 'type' | 'recording'>
  | Pick<RecordingFinished, 'type' | 'recording'>
  | Pick<RecordingFailed, 'type' | 'recording'>
  | Pick<HangupEvent, 'type'>;

/** What the machine ends with. */
export interface VoicemailOutput {
  readonly status: VmStatus;
  readonly exit: VoicemailExit;
  /** The id of the message saved, if one was. */
  readonly messageId: string | null;
  readonly hungUp: boolean;
}

export const DEFAULT_KEYS: VoicemailKeys = {
  skipGreeting: '#',
  operator: '0',
  exit: '*',
  accept: '#',
  rerecord: '*',
  pause: '1',
  cancelAndEnd: '0',
  listen: '2',
  urgent: '4',
  copy: '8',
  copyEnter: '#',
  copyCancel: '*',
};

export const DEFAULT_PROMPTS: VoicemailPrompts = {
  review: [],
  tooShort: ['sound:vm-tooshort'],
  markedUrgent: ['sound:vm-marked-urgent'],
  copyTo: ['sound:vm-extension'],
  copied: ['sound:vm-msgforwarded'],
  copyUnknown: ['sound:invalid'],
  copyFull: ['sound:vm-mailboxfull'],
  copyFailed: ['sound:vm-sorry'],
  saved: ['sound:vm-msgsaved', 'sound:vm-goodbye'],
  mailboxFull: ['sound:vm-mailboxfull', 'sound:vm-goodbye'],
  noMailbox: ['sound:invalid', 'sound:vm-goodbye'],
  goodbye: ['sound:vm-goodbye'],
};

export const DEFAULT_TIMEOUTS: VoicemailTimeouts = { finishMs: 5000, reviewMs: 10000, copyMs: 10000 };

const MAX_TOO_SHORT_RETRIES = 3;

/** The pause limit of a mailbox without a message length limit. */
const DEFAULT_PAUSE_LIMIT_MS = 300_000;

const DTMF_KEY = /^[0-9*#A-D]$/;

/** `prepared` until the mailbox lookup answers (shared by every call: the context is never changed in place). */
const NOT_PREPARED: PreparedMailbox = {
  greeting: [],
  recordingPrefix: '',
  limits: { maxMessageSeconds: 0, minMessageSeconds: 0, maxSilenceSeconds: 0 },
};

/** `outcome` until the machine decides how the call ends. */
const NO_OUTCOME: VoicemailOutcome = { status: null, exit: null, farewell: 'goodbye' };

function resolveKeys(keys: Partial<VoicemailKeys> | undefined): VoicemailKeys {
  const resolved: { -readonly [K in keyof VoicemailKeys]: string | null } = { ...DEFAULT_KEYS };
  for (const [name, key] of Object.entries(keys ?? {}) as [keyof VoicemailKeys, string | null | undefined][]) {
    if (!(name in DEFAULT_KEYS)) throw new TypeError(`voicemail: unknown key "${name}"`);
    if (key === undefined) continue;
    if (key !== null && (typeof key !== 'string' || !DTMF_KEY.test(key))) {
      throw new TypeError(`voicemail: keys.${name} must be one DTMF key of 0-9 * # A-D, or null to switch it off`);
    }
    resolved[name] = key;
  }
  if (resolved.copy !== null && resolved.copyEnter === null) {
    throw new TypeError('voicemail: keys.copyEnter cannot be switched off while keys.copy is on');
  }
  return resolved;
}

const notProvided = (name: string) => () => {
  throw new Error(`voicemail machine: "${name}" is not provided (use createVoicemailCalls or machine.provide)`);
};

type Ctx = { readonly context: VoicemailContext };
type Failed = { readonly event: { readonly error: unknown } };

// The side effects the chart names again and again, on the call's current playback or take.
const stopPlayback = () => ({
  type: 'stopPlayback' as const,
  params: ({ context }: Ctx) => ({ playbackId: context.playbackId }),
});
const onTake = <T extends 'stopRecording' | 'cancelRecording' | 'pauseRecording' | 'unpauseRecording'>(type: T) => ({
  type,
  params: ({ context }: Ctx) => ({ recordingName: context.recordingName }),
});
const stopRecording = () => onTake('stopRecording');
const cancelRecording = () => onTake('cancelRecording');
const pauseRecording = () => onTake('pauseRecording');
const unpauseRecording = () => onTake('unpauseRecording');
/** Plays the prompt `name` of the call's prompts over whatever else happens (`playNotice` in the charts). */
const playNotice = (name: keyof VoicemailPrompts) => ({
  type: 'playNotice' as const,
  params: ({ context }: Ctx) => ({ media: context.settings.prompts[name] }),
});
/** The caller pressed the key the machine calls `name` (`DTMF # [accept]` in the charts). */
const key = (name: keyof VoicemailKeys) => ({ type: 'isKey' as const, params: { key: name } });
/** Tells the application the current take was discarded, and why. */
const reportDiscarded = () => ({
  type: 'reportDiscarded' as const,
  params: ({ context }: Ctx) => ({ recordingName: context.recordingName, reason: context.afterDiscard }),
});
/** An invoked actor failed: its error is kept (the call then goes to `failed`), or only reported. */
const keepError = () => ({ type: 'setError' as const, params: ({ event }: Failed) => ({ error: event.error }) });
const reportActorError = () => ({
  type: 'reportError' as const,
  params: ({ event }: Failed) => ({ error: event.error }),
});

export const voicemailMachine = setup({
  types: {
    context: {} as VoicemailContext,
    events: {} as VoicemailEvent,
    input: {} as VoicemailInput,
    output: {} as VoicemailOutput,
  },
  actors: {
    answerChannel: fromPromise<void, void>(notProvided('answerChannel')),
    lookUpMailbox: fromPromise<PreparedCall, { mailbox: string; greetingKind: 'unavailable' | 'busy' }>(
      notProvided('lookUpMailbox'),
    ),
    playMedia: fromPromise<void, PlayMediaInput>(notProvided('playMedia')),
    startRecording: fromPromise<void, StartRecordingInput>(notProvided('startRecording')),
    purgeRecording: fromPromise<void, { recordingName: string }>(notProvided('purgeRecording')),
    saveMessage: fromPromise<void, MessageInput>(notProvided('saveMessage')),
    copyMessage: fromPromise<CopyResult, CopyMessageInput>(notProvided('copyMessage')),
    finishCall: fromPromise<void, FinishCallInput>(notProvided('finishCall')),
  },
  actions: {
    // Side effects: fire-and-forget; the provided implementations log their own failures.
    stopPlayback: (_, _params: { playbackId: string | null }) => {},
    stopRecording: (_, _params: { recordingName: string | null }) => {},
    cancelRecording: (_, _params: { recordingName: string | null }) => {},
    pauseRecording: (_, _params: { recordingName: string | null }) => {},
    unpauseRecording: (_, _params: { recordingName: string | null }) => {},
    // Asterisk has begun to capture a take: it now obeys the stop, cancel or pause held for it (RecordingStarted below).
    releaseHeld: (_, _params: { recordingName: string }) => {},
    playNotice: (_, _params: { media: readonly string[] }) => {},
    reportDiscarded: (_, _params: { recordingName: string | null; reason: VoicemailContext['afterDiscard'] }) => {},
    reportError: (_, _params: { error: unknown }) => {},
    // Context updates.
    markHungUp: assign({ hungUp: true }),
    nameNextPlayback: assign(({ context }) => ({
      playbackSeq: context.playbackSeq + 1,
      playbackId: `${context.settings.tag}-p${context.playbackSeq + 1}`,
    })),
    nameNextTake: assign(({ context }) => ({
      take: context.take + 1,
      recordingName: `${context.prepared.recordingPrefix}${context.settings.tag}-${context.take + 1}`,
      takeLive: true,
      durationSeconds: null,
      urgent: false,
    })),
    markTakeFinished: assign(({ event }) => ({
      takeLive: false,
      durationSeconds:
        event.type === 'RecordingFinished' && typeof event.recording.duration === 'number'
          ? event.recording.duration
          : null,
    })),
    markTakeGone: assign({ takeLive: false }),
    setAfterDiscard: assign((_, params: { reason: VoicemailContext['afterDiscard'] }) => ({
      afterDiscard: params.reason,
    })),
    countTooShort: assign(({ context }) => ({ tooShortCount: context.tooShortCount + 1 })),
    markUrgent: assign({ urgent: true }),
    clearDigits: assign({ copyDigits: '' }),
    addDigit: assign(({ context, event }) => ({
      copyDigits: event.type === 'ChannelDtmfReceived' ? context.copyDigits + event.digit : context.copyDigits,
    })),
    setOutcome: assign((_, params: { status: VmStatus; farewell: keyof VoicemailPrompts; exit?: VoicemailExit }) => ({
      outcome: { status: params.status, exit: params.exit ?? null, farewell: params.farewell },
    })),
    markMessageSaved: assign(({ context }) => ({ messageId: `${context.settings.tag}-${context.take}` })),
    keepPrepared: assign((_, { prepared }: { prepared: PreparedCall }) => {
      return prepared.status === 'ready'
        ? {
            prepared: {
              greeting: prepared.greeting,
              recordingPrefix: prepared.recordingPrefix,
              limits: prepared.limits,
            },
          }
        : {};
    }),
    setError: assign((_, params: { error: unknown }) => ({ error: params.error })),
  },
  guards: {
    isKey: ({ context, event }, params: { key: keyof VoicemailKeys }) =>
      event.type === 'ChannelDtmfReceived' &&
      context.settings.keys[params.key] !== null &&
      event.digit === context.settings.keys[params.key],
    isDigit: ({ context, event }) =>
      event.type === 'ChannelDtmfReceived' && /^[0-9]$/.test(event.digit) && context.copyDigits.length < 40,
    isCurrentPlayback: ({ context, event }) =>
      event.type === 'PlaybackFinished' && event.playback.id === context.playbackId,
    isCurrentTake: ({ context, event }) =>
      (event.type === 'RecordingFinished' || event.type === 'RecordingFailed') &&
      event.recording.name === context.recordingName,
    hasMailbox: ({ context }) => context.settings.mailbox !== null,
    isMailboxUnknown: (_, { prepared }: { prepared: PreparedCall }) => prepared.status === 'unknown',
    isMailboxFull: (_, { prepared }: { prepared: PreparedCall }) => prepared.status === 'full',
    hasNoGreeting: ({ context }, { prepared }: { prepared: PreparedCall }) => {
      return !context.settings.playGreeting || (prepared.status === 'ready' && prepared.greeting.length === 0);
    },
    hasHungUp: ({ context }) => context.hungUp,
    isTakeLive: ({ context }) => context.takeLive,
    isTooShort: ({ context, event }) =>
      event.type === 'RecordingFinished' &&
      context.prepared.limits.minMessageSeconds > 0 &&
      typeof event.recording.duration === 'number' &&
      event.recording.duration < context.prepared.limits.minMessageSeconds,
    hasRetriesLeft: ({ context }) =>
      context.settings.tooShortMode === 'retry' && context.tooShortCount < MAX_TOO_SHORT_RETRIES,
    isReviewOn: ({ context }) => context.settings.review,
    isDiscardingToRecord: ({ context }) => context.afterDiscard === 'record',
    isDiscardingTooShort: ({ context }) => context.afterDiscard === 'tooShort',
    hasDigits: ({ context }) => context.copyDigits.length > 0,
    isCopied: (_, { result }: { result: CopyResult }) => result.status === 'copied',
    isCopyTargetUnknown: (_, { result }: { result: CopyResult }) => result.status === 'unknown',
  },
  delays: {
    finishTimeout: ({ context }) => context.settings.timeouts.finishMs,
    reviewTimeout: ({ context }) => context.settings.timeouts.reviewMs,
    copyTimeout: ({ context }) => context.settings.timeouts.copyMs,
    pauseLimit: ({ context: { settings, prepared } }) =>
      settings.timeouts.pausedMs ??
      (prepared.limits.maxMessageSeconds > 0 ? prepared.limits.maxMessageSeconds * 1000 : DEFAULT_PAUSE_LIMIT_MS),
  },
}).createMachine({
  id: 'voicemail',
  context: ({ input }) => ({
    settings: {
      callId: input.callId,
      tag: input.tag,
      mailbox: input.mailbox,
      greetingKind: input.greetingKind ?? 'unavailable',
      playGreeting: input.greeting !== 'none',
      keys: resolveKeys(input.keys),
      prompts: { ...DEFAULT_PROMPTS, ...input.prompts },
      tooShortMode: input.tooShort ?? 'discard',
      review: input.review ?? true,
      timeouts: { ...DEFAULT_TIMEOUTS, ...input.timeouts },
    },
    prepared: NOT_PREPARED,
    take: 0,
    tooShortCount: 0,
    recordingName: null,
    takeLive: false,
    durationSeconds: null,
    playbackSeq: 0,
    playbackId: null,
    urgent: false,
    copyDigits: '',
    hungUp: false,
    afterDiscard: 'end',
    outcome: NO_OUTCOME,
    messageId: null,
    error: null,
  }),
  initial: 'opening',
  // Asterisk swallows a stop, cancel or pause sent before a take really records (while its beep plays, or while it
  // is queued behind one): the implementation holds those until this RecordingStarted, whatever state the call is in.
  on: {
    RecordingStarted: {
      actions: { type: 'releaseHeld', params: ({ event }) => ({ recordingName: event.recording.name }) },
    },
  },
  states: {
    opening: {
      description: 'A malformed mailbox is told to the caller at once; a well-formed one is looked up.',
      always: [
        { guard: 'hasMailbox', target: 'answering' },
        { target: 'goodbye', actions: { type: 'setOutcome', params: { status: 'FAILED', farewell: 'noMailbox' } } },
      ],
    },
    answering: {
      description: 'Answers the channel, before anything is played to the caller.',
      invoke: {
        src: 'answerChannel',
        onDone: { target: 'lookingUpMailbox' },
        onError: { target: 'failed', actions: keepError() },
      },
      on: {
        hangup: { target: 'hungUp', actions: 'markHungUp' },
      },
    },
    lookingUpMailbox: {
      description: 'Looks the mailbox up: unknown, full, or its greeting and limits.',
      invoke: {
        src: 'lookUpMailbox',
        input: ({ context: { settings } }) => ({
          mailbox: settings.mailbox as string,
          greetingKind: settings.greetingKind,
        }),
        onDone: [
          {
            guard: { type: 'isMailboxUnknown', params: ({ event }) => ({ prepared: event.output }) },
            target: 'goodbye',
            actions: { type: 'setOutcome', params: { status: 'FAILED', farewell: 'noMailbox' } },
          },
          {
            guard: { type: 'isMailboxFull', params: ({ event }) => ({ prepared: event.output }) },
            target: 'goodbye',
            actions: { type: 'setOutcome', params: { status: 'FAILED', farewell: 'mailboxFull' } },
          },
          {
            guard: { type: 'hasNoGreeting', params: ({ event }) => ({ prepared: event.output }) },
            target: 'recording',
            actions: { type: 'keepPrepared', params: ({ event }) => ({ prepared: event.output }) },
          },
          {
            target: 'greeting',
            actions: { type: 'keepPrepared', params: ({ event }) => ({ prepared: event.output }) },
          },
        ],
        onError: { target: 'failed', actions: keepError() },
      },
      on: {
        hangup: { target: 'hungUp', actions: 'markHungUp' },
      },
    },
    greeting: {
      description: 'Plays the greeting: # skips to the beep, 0 leaves for the operator, * leaves voicemail.',
      entry: 'nameNextPlayback',
      invoke: {
        src: 'playMedia',
        input: ({ context }) => ({ playbackId: context.playbackId as string, media: context.prepared.greeting }),
        onError: { target: 'failed', actions: keepError() },
      },
      on: {
        PlaybackFinished: { guard: 'isCurrentPlayback', target: 'recording' },
        ChannelDtmfReceived: [
          {
            guard: key('skipGreeting'),
            target: 'recording',
            actions: stopPlayback(),
          },
          {
            guard: key('operator'),
            target: 'finishing',
            actions: [
              stopPlayback(),
              { type: 'setOutcome', params: { status: 'USEREXIT', farewell: 'goodbye', exit: 'operator' } },
            ],
          },
          {
            guard: key('exit'),
            target: 'finishing',
            actions: [
              stopPlayback(),
              { type: 'setOutcome', params: { status: 'USEREXIT', farewell: 'goodbye', exit: 'exit' } },
            ],
          },
        ],
        hangup: { target: 'hungUp', actions: 'markHungUp' },
      },
    },
    recording: {
      description:
        'Records one take (new name each time) after a beep: # keeps it, * records again, 1 pauses, 0 throws it away and ends.',
      entry: 'nameNextTake',
      invoke: {
        src: 'startRecording',
        input: ({ context }) => ({
          recordingName: context.recordingName as string,
          maxDurationSeconds: context.prepared.limits.maxMessageSeconds,
          maxSilenceSeconds: context.prepared.limits.maxSilenceSeconds,
        }),
        onError: [
          { guard: 'hasHungUp', target: 'hungUp', actions: 'markTakeGone' },
          {
            target: 'failed',
            actions: ['markTakeGone', keepError()],
          },
        ],
      },
      initial: 'active',
      states: {
        active: {
          // Only waiting for the caller (a key, a hang-up) or for Asterisk (RecordingFinished): a runtime that
          // hibernates parked calls may keep the call as its snapshot here once the record request is answered.
          tags: ['parked'],
          on: {
            ChannelDtmfReceived: [
              {
                guard: key('accept'),
                target: 'stopping',
                actions: stopRecording(),
              },
              {
                guard: key('pause'),
                target: 'paused',
                actions: pauseRecording(),
              },
            ],
          },
        },
        paused: {
          description: 'Paused (1 resumes, # keeps); a pause longer than the pause limit keeps the take as it is.',
          after: {
            pauseLimit: {
              target: 'stopping',
              actions: stopRecording(),
            },
          },
          on: {
            ChannelDtmfReceived: [
              {
                guard: key('pause'),
                target: 'active',
                actions: unpauseRecording(),
              },
              {
                guard: key('accept'),
                target: 'stopping',
                actions: stopRecording(),
              },
            ],
          },
        },
        stopping: {
          description: 'Waits for RecordingFinished; if it never comes, saving verifies the stored recording itself.',
          after: { finishTimeout: { target: '#voicemail.saving', actions: 'markTakeGone' } },
        },
      },
      on: {
        RecordingFinished: [
          {
            guard: and(['isCurrentTake', 'isTooShort', 'hasRetriesLeft', not('hasHungUp')]),
            target: 'discarding',
            actions: ['markTakeFinished', 'countTooShort', { type: 'setAfterDiscard', params: { reason: 'tooShort' } }],
          },
          {
            guard: and(['isCurrentTake', 'isTooShort']),
            target: 'discarding',
            actions: [
              'markTakeFinished',
              { type: 'setAfterDiscard', params: { reason: 'end' } },
              { type: 'setOutcome', params: { status: 'FAILED', farewell: 'goodbye' } },
            ],
          },
          { guard: and(['isCurrentTake', 'hasHungUp']), target: 'saving', actions: 'markTakeFinished' },
          { guard: and(['isCurrentTake', 'isReviewOn']), target: 'reviewing', actions: 'markTakeFinished' },
          { guard: 'isCurrentTake', target: 'saving', actions: 'markTakeFinished' },
        ],
        RecordingFailed: {
          guard: 'isCurrentTake',
          target: 'failed',
          actions: ['markTakeGone', { type: 'setError', params: { error: 'RecordingFailed' } }],
        },
        ChannelDtmfReceived: [
          {
            guard: key('rerecord'),
            target: 'discarding',
            actions: [{ type: 'setAfterDiscard', params: { reason: 'record' } }, cancelRecording()],
          },
          {
            guard: key('cancelAndEnd'),
            target: 'discarding',
            actions: [
              { type: 'setAfterDiscard', params: { reason: 'end' } },
              { type: 'setOutcome', params: { status: 'USEREXIT', farewell: 'goodbye' } },
              cancelRecording(),
            ],
          },
        ],
        hangup: {
          target: '.stopping',
          actions: ['markHungUp', stopRecording()],
        },
      },
    },
    discarding: {
      description:
        'The take must exist nowhere: cancel it if live, wait for its RecordingFinished, then verify and delete the stored file.',
      initial: 'deciding',
      states: {
        deciding: {
          always: [{ guard: 'isTakeLive', target: 'cancelling' }, { target: 'purging' }],
        },
        cancelling: {
          on: {
            RecordingFinished: { guard: 'isCurrentTake', target: 'purging', actions: 'markTakeGone' },
            RecordingFailed: { guard: 'isCurrentTake', target: 'purging', actions: 'markTakeGone' },
          },
          after: { finishTimeout: { target: 'purging', actions: 'markTakeGone' } },
        },
        purging: {
          invoke: {
            src: 'purgeRecording',
            input: ({ context }) => ({ recordingName: context.recordingName as string }),
            onDone: [
              {
                guard: 'hasHungUp',
                target: '#voicemail.hungUp',
                actions: reportDiscarded(),
              },
              {
                guard: 'isDiscardingToRecord',
                target: '#voicemail.recording',
                actions: reportDiscarded(),
              },
              {
                guard: 'isDiscardingTooShort',
                target: '#voicemail.tooShort',
                actions: reportDiscarded(),
              },
              {
                target: '#voicemail.goodbye',
                actions: reportDiscarded(),
              },
            ],
            onError: {
              target: '#voicemail.failed',
              actions: keepError(),
            },
          },
        },
      },
      on: {
        hangup: { actions: 'markHungUp' },
      },
    },
    tooShort: {
      description: 'Tells the caller the take was too short, then records again.',
      entry: 'nameNextPlayback',
      invoke: {
        src: 'playMedia',
        input: ({ context }) => ({
          playbackId: context.playbackId as string,
          media: context.settings.prompts.tooShort,
        }),
        onError: { target: 'failed', actions: keepError() },
      },
      on: {
        PlaybackFinished: { guard: 'isCurrentPlayback', target: 'recording' },
        hangup: { target: 'hungUp', actions: 'markHungUp' },
      },
    },
    reviewing: {
      description:
        'Plays the message back: # (or hanging up, or silence) keeps it, * deletes it and records again, 2 plays it again, 4 marks it urgent, 8 copies it.',
      initial: 'playing',
      states: {
        playing: {
          entry: 'nameNextPlayback',
          invoke: {
            src: 'playMedia',
            input: ({ context }) => ({
              playbackId: context.playbackId as string,
              media: [`recording:${context.recordingName}`, ...context.settings.prompts.review],
            }),
            onError: {
              target: '#voicemail.saving',
              actions: reportActorError(),
            },
          },
          on: {
            PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' },
          },
        },
        waiting: {
          after: { reviewTimeout: { target: '#voicemail.saving' } },
        },
      },
      on: {
        ChannelDtmfReceived: [
          {
            guard: key('accept'),
            target: 'saving',
            actions: stopPlayback(),
          },
          {
            guard: key('rerecord'),
            target: 'discarding',
            actions: [stopPlayback(), { type: 'setAfterDiscard', params: { reason: 'record' } }],
          },
          {
            guard: key('urgent'),
            actions: ['markUrgent', playNotice('markedUrgent')],
          },
          {
            guard: key('listen'),
            target: '.playing',
            actions: stopPlayback(),
          },
          {
            guard: key('copy'),
            target: 'copying',
            actions: stopPlayback(),
          },
        ],
        hangup: { target: 'saving', actions: 'markHungUp' },
      },
    },
    copying: {
      description: 'Copies the message to another mailbox: its digits, then #; * gives up. Both return to review.',
      entry: ['clearDigits', playNotice('copyTo')],
      initial: 'collecting',
      states: {
        collecting: {
          on: {
            hangup: { target: '#voicemail.saving', actions: 'markHungUp' },
            ChannelDtmfReceived: [
              {
                guard: and([key('copyEnter'), 'hasDigits']),
                target: 'sending',
              },
              { guard: key('copyEnter'), target: '#voicemail.reviewing.waiting' },
              { guard: key('copyCancel'), target: '#voicemail.reviewing.waiting' },
              { guard: 'isDigit', target: 'collecting', reenter: true, actions: 'addDigit' },
            ],
          },
          after: { copyTimeout: { target: '#voicemail.reviewing.waiting' } },
        },
        sending: {
          description:
            'A hang-up waits for the copy: it is then complete in the store (or cleanly not made) before saving.',
          on: {
            hangup: { actions: 'markHungUp' },
          },
          invoke: {
            src: 'copyMessage',
            input: ({ context }) => ({
              messageId: `${context.settings.tag}-${context.take}`,
              recordingName: context.recordingName as string,
              durationSeconds: context.durationSeconds,
              urgent: context.urgent,
              digits: context.copyDigits,
            }),
            onDone: [
              { guard: 'hasHungUp', target: '#voicemail.saving' },
              {
                guard: { type: 'isCopied', params: ({ event }) => ({ result: event.output }) },
                target: '#voicemail.reviewing.waiting',
                actions: playNotice('copied'),
              },
              {
                guard: { type: 'isCopyTargetUnknown', params: ({ event }) => ({ result: event.output }) },
                target: '#voicemail.reviewing.waiting',
                actions: playNotice('copyUnknown'),
              },
              {
                target: '#voicemail.reviewing.waiting',
                actions: playNotice('copyFull'),
              },
            ],
            onError: [
              {
                guard: 'hasHungUp',
                target: '#voicemail.saving',
                actions: reportActorError(),
              },
              {
                target: '#voicemail.reviewing.waiting',
                actions: [reportActorError(), playNotice('copyFailed')],
              },
            ],
          },
        },
      },
    },
    saving: {
      description: 'Stores the message in INBOX (or Urgent) with its metadata and updates the message-waiting counts.',
      invoke: {
        src: 'saveMessage',
        input: ({ context }) => ({
          messageId: `${context.settings.tag}-${context.take}`,
          recordingName: context.recordingName as string,
          durationSeconds: context.durationSeconds,
          urgent: context.urgent,
        }),
        onDone: [
          {
            guard: 'hasHungUp',
            target: 'hungUp',
            actions: ['markMessageSaved', { type: 'setOutcome', params: { status: 'SUCCESS', farewell: 'saved' } }],
          },
          {
            target: 'goodbye',
            actions: ['markMessageSaved', { type: 'setOutcome', params: { status: 'SUCCESS', farewell: 'saved' } }],
          },
        ],
        onError: { target: 'failed', actions: keepError() },
      },
      on: {
        hangup: { actions: 'markHungUp' },
      },
    },
    failed: {
      description: 'Something Asterisk or the store refused: reported, and the call ends with what it has saved.',
      entry: { type: 'reportError', params: ({ context }) => ({ error: context.error }) },
      always: [
        { guard: 'hasHungUp', target: 'hungUp' },
        { target: 'goodbye', actions: { type: 'setOutcome', params: { status: 'FAILED', farewell: 'goodbye' } } },
      ],
    },
    goodbye: {
      description: 'Tells the caller how it ended (saved, mailbox full, no such mailbox, goodbye).',
      entry: 'nameNextPlayback',
      invoke: {
        src: 'playMedia',
        input: ({ context }) => ({
          playbackId: context.playbackId as string,
          media: context.settings.prompts[context.outcome.farewell],
        }),
        onError: {
          target: 'finishing',
          actions: reportActorError(),
        },
      },
      on: {
        PlaybackFinished: { guard: 'isCurrentPlayback', target: 'finishing' },
        hangup: { target: 'hungUp', actions: 'markHungUp' },
      },
    },
    finishing: {
      description: 'Sets VMSTATUS and returns the channel to the dialplan (o/a extension on an exit), or hangs up.',
      invoke: {
        src: 'finishCall',
        input: ({ context: { outcome } }) => ({ status: outcome.status ?? 'FAILED', exit: outcome.exit }),
        onDone: { target: 'done' },
        onError: { target: 'done', actions: reportActorError() },
      },
    },
    hungUp: {
      description: 'The caller hung up; whatever was recorded and kept is saved.',
      type: 'final',
    },
    done: {
      description: 'Voicemail is over; the channel went back to the dialplan or was hung up.',
      type: 'final',
    },
  },
  output: ({ context }) => ({
    status: context.outcome.status ?? (context.messageId ? 'SUCCESS' : 'FAILED'),
    exit: context.outcome.exit,
    messageId: context.messageId,
    hungUp: context.hungUp,
  }),
});
