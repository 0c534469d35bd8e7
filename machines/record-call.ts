/**
 * The call recorder, after Kazoo's `record_call` callflow action: start and stop on command, a time limit, a
 * format, and the finished file PUT to the customer's server. Pure: the named actors below are placeholders whose
 * real implementations (ARI requests, mp3 encoding, the durable upload spool) come from `src/recording/` with
 * `.provide()`. It imports nothing but xstate at run time, so it opens as-is in Stately's editor.
 */
import { assign, emit, fromCallback, fromPromise, setup } from 'xstate';
import type { HangupEvent } from './hangup.js';

/** What is recorded: the call's own channel (`record_caller`), or the bridge's mixed audio of both parties. */
export type RecordTarget =
  | { readonly kind: 'channel'; readonly id: string }
  | { readonly kind: 'bridge'; readonly id: string };

/** How `recording.pause` pauses: `skip` leaves the paused time out of the file, `silence` records silence. */
export type PauseMode = 'skip' | 'silence';

/** The delivered file's format. Asterisk always records wav; mp3 is encoded from it. */
export type RecordFormat = 'wav' | 'mp3';

/**
 * The recorder's input, camelCase. Kazoo's `record_call` data (`time_limit`...) is mapped to it at the edge, by
 * the recorder's options (`fromKazooRecordCall` in `src/recording`).
 * @throws TypeError / RangeError (from the machine's context) for a malformed value: nothing starts half-configured.
 */
export interface RecordCallInput {
  /** The recorded A-leg's channel id: names the recording and the uploaded file (`call_recording_<callId>.<ext>`). */
  readonly callId: string;
  /** What to record. Default: the channel `callId`. */
  readonly target?: RecordTarget;
  /** `start` (default) records at once; `stop` leaves the recorder idle until a `recording.start` event. */
  readonly action?: 'start' | 'stop';
  /**
   * Limit in seconds, paused time included. Default 3600; a value above `maxTimeLimitSeconds` is clamped (and said
   * so).
   */
  readonly timeLimitSeconds?: number;
  /** The configured maximum for `timeLimitSeconds`, in seconds. Default 10800. */
  readonly maxTimeLimitSeconds?: number;
  /** Default `wav`. */
  readonly format?: RecordFormat;
  /**
   * Where to PUT the file; `{NAME}` placeholders are filled from `metadata` (and `{CALL_ID}`), percent-encoded.
   * Without it the recording is kept or discarded as `keep` says.
   */
  readonly url?: string;
  /** Values for the url's placeholders (`{ ACCOUNT_ID: '...' }`), also kept with the recording's record. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Without `url`: keep the stored recording (default true) or delete it. */
  readonly keep?: boolean;
  /** Default pause mode when `recording.pause` names none. Default `skip`. */
  readonly pauseMode?: PauseMode;
  /** The ARI recording name. Default `call_recording_<callId>`. */
  readonly recordingName?: string;
}

/** The resolved settings the machine runs with. */
export interface RecordCallContext {
  readonly callId: string;
  readonly target: RecordTarget;
  readonly recordingName: string;
  readonly format: RecordFormat;
  readonly timeLimitSeconds: number;
  /** The requested limit when it was clamped to the maximum. */
  readonly requestedTimeLimitSeconds?: number;
  /** The filled-in target URL of the PUT (`.../call_recording_<callId>.<ext>`), when uploading. */
  readonly uploadUrl?: string;
  readonly fileName: string;
  readonly keep: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  readonly defaultPauseMode: PauseMode;
  readonly pauseMode: PauseMode;
  readonly startOnEntry: boolean;
  /** Set once the call is over for the recorder: a `hangup`, or the bridged conversation ended. */
  readonly hungUp: boolean;
  /**
   * A `recording.stop` came before Asterisk started the recording (while the record request was on its way, or while
   * the recording was queued behind a playback): Asterisk would take a stop then as "never mind" and record anyway,
   * so it is held and sent once RecordingStarted says the recording runs.
   */
  readonly stopHeld: boolean;
  readonly stopReason?: StopReason;
  readonly stored?: StoredFile;
  readonly attempts: number;
  readonly discarded: boolean;
  readonly error?: RecordCallError;
}

/** Why a recording stopped. */
export type StopReason = 'command' | 'time_limit' | 'hangup' | 'asterisk';

/** The file as it was moved from Asterisk into the upload spool (or kept on Asterisk). */
export interface StoredFile {
  /** Spool entry id, when the file waits for upload. */
  readonly spoolId?: string;
  readonly bytes: number;
  readonly durationSeconds: number;
  readonly contentType: string;
}

/** What went wrong, with the HTTP status of a rejected upload. */
export interface RecordCallError {
  readonly stage: 'start' | 'record' | 'store' | 'upload' | 'discard';
  readonly message: string;
  readonly status?: number;
}

/** The final outcome, as the actor's output. */
export interface RecordCallOutput {
  readonly outcome: 'uploaded' | 'kept' | 'discarded' | 'not_recorded' | 'failed';
  readonly recordingName: string;
  readonly uploadUrl?: string;
  readonly stored?: StoredFile;
  readonly error?: RecordCallError;
}

/** The fields of an ARI LiveRecording the recorder reads. */
export interface LiveRecordingLike {
  readonly name: string;
  readonly duration?: number;
  readonly cause?: string;
}
export interface ChannelLike {
  readonly id: string;
}
export interface BridgeLike {
  readonly id: string;
}

/** Commands an app sends to the recorder. */
export type RecordCommand =
  | { type: 'recording.start' }
  | { type: 'recording.stop' }
  | { type: 'recording.pause'; mode?: PauseMode }
  | { type: 'recording.resume' };

/**
 * The ARI events the recorder reacts to, as Asterisk sends them (only the fields it reads), and the runtime's one
 * `hangup` for the call's channel gone.
 */
export type RecordAriEvent =
  | { type: 'RecordingStarted'; recording: LiveRecordingLike }
  | { type: 'RecordingFinished'; recording: LiveRecordingLike }
  | { type: 'RecordingFailed'; recording: LiveRecordingLike }
  | Pick<HangupEvent, 'type'>
  | { type: 'ChannelLeftBridge'; channel: ChannelLike; bridge: BridgeLike }
  | { type: 'BridgeDestroyed'; bridge: BridgeLike };

/** What the upload actor reports back while the uploader works on the file. */
export type UploadProgress =
  | { type: 'upload.attempt'; attempt: number }
  | { type: 'upload.retrying'; attempt: number; delayMs: number; reason: string }
  | { type: 'upload.accepted'; status: number }
  | { type: 'upload.rejected'; status?: number; reason: string };

export type RecordCallEvent = RecordCommand | RecordAriEvent | UploadProgress;

/** Status events, for `actor.on('recording.uploaded', ...)`. */
export type RecordCallStatus =
  | {
      type: 'recording.started';
      recordingName: string;
      timeLimitSeconds: number;
      /** Present when the requested limit was above the maximum and clamped. */
      requestedTimeLimitSeconds?: number;
    }
  | { type: 'recording.paused'; recordingName: string; mode: PauseMode }
  | { type: 'recording.resumed'; recordingName: string }
  | { type: 'recording.stopped'; recordingName: string; reason: StopReason }
  | { type: 'recording.stored'; recordingName: string; file: StoredFile }
  | { type: 'recording.upload_retrying'; recordingName: string; attempt: number; delayMs: number; reason: string }
  | { type: 'recording.uploaded'; recordingName: string; url: string; status: number }
  | { type: 'recording.failed'; recordingName: string; error: RecordCallError };

/** What the `startRecording` actor learnt from Asterisk's answer to the record request. */
export interface StartRecordingOutput {
  /** The recording waits behind the target's playbacks (state `queued`): RecordingStarted comes when they end. */
  readonly queued: boolean;
}

/** Input of the `startRecording` actor. */
export interface StartRecordingInput {
  readonly target: RecordTarget;
  readonly recordingName: string;
  readonly timeLimitSeconds: number;
}
/** Input of the `storeRecording` actor: move the finished recording where it goes next. */
export interface StoreRecordingInput {
  readonly callId: string;
  readonly recordingName: string;
  readonly format: RecordFormat;
  readonly fileName: string;
  readonly uploadUrl?: string;
  readonly keep: boolean;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Default and maximum of `timeLimitSeconds` (Kazoo's defaults for its `time_limit`). */
export const DEFAULT_TIME_LIMIT_SECONDS = 3600;
export const DEFAULT_MAX_TIME_LIMIT_SECONDS = 10800;

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/**
 * Fills `{NAME}` placeholders of a URL template from `values`, percent-encoded.
 * @throws TypeError naming the first placeholder without a value (a file PUT to a literal `{X}` would be lost).
 */
export function fillUrlTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`record_call url: no value for placeholder {${name}}`);
    return encodeURIComponent(value);
  });
}

/**
 * The PUT target: `fileName` appended as the last path segment of the base URL (query string kept).
 * @throws TypeError when the URL is not absolute http(s).
 */
/** A url without its `user:pass@` part (for events and logs; the uploader sends credentials as a header). */
export function withoutCredentials(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username === '' && url.password === '') return raw;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return raw;
  }
}

export function uploadUrlFor(base: string, fileName: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(`record_call url is not an absolute URL: ${base}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`record_call url must be http or https, not ${url.protocol}`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(fileName)}`;
  return url.href;
}

function positiveSeconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`record_call ${name} must be a positive number of seconds, got ${String(value)}`);
  }
  return Math.ceil(value);
}

const INPUT_KEYS: ReadonlySet<string> = new Set<keyof RecordCallInput>([
  'callId',
  'target',
  'action',
  'timeLimitSeconds',
  'maxTimeLimitSeconds',
  'format',
  'url',
  'metadata',
  'keep',
  'pauseMode',
  'recordingName',
]);

/**
 * Validates the input and resolves defaults, the clamped time limit and the upload URL.
 * @throws TypeError / RangeError with the offending field.
 */
export function resolveRecordCallInput(input: RecordCallInput): RecordCallContext {
  if (!input || typeof input.callId !== 'string' || input.callId === '') {
    throw new TypeError('record_call needs the callId of the recorded channel');
  }
  // A misspelt or snake_case key would otherwise be ignored, and its default used without a word.
  for (const key of Object.keys(input)) {
    if (!INPUT_KEYS.has(key)) {
      throw new TypeError(
        `record_call input has no key ${key} (it takes ${[...INPUT_KEYS].join(', ')}; Kazoo's record_call names are for the recorder's options)`,
      );
    }
  }
  const format = input.format ?? 'wav';
  if (format !== 'wav' && format !== 'mp3')
    throw new TypeError(`record_call format must be wav or mp3, got ${String(format)}`);
  const action = input.action ?? 'start';
  if (action !== 'start' && action !== 'stop')
    throw new TypeError(`record_call action must be start or stop, got ${String(action)}`);
  const pauseMode = input.pauseMode ?? 'skip';
  if (pauseMode !== 'skip' && pauseMode !== 'silence')
    throw new TypeError(`record_call pauseMode must be skip or silence, got ${String(pauseMode)}`);
  const target = input.target ?? { kind: 'channel', id: input.callId };
  if ((target.kind !== 'channel' && target.kind !== 'bridge') || !target.id) {
    throw new TypeError('record_call target must be { kind: "channel" | "bridge", id }');
  }
  const max = positiveSeconds('maxTimeLimitSeconds', input.maxTimeLimitSeconds, DEFAULT_MAX_TIME_LIMIT_SECONDS);
  const requested = positiveSeconds('timeLimitSeconds', input.timeLimitSeconds, DEFAULT_TIME_LIMIT_SECONDS);
  const metadata = { ...(input.metadata ?? {}) };
  const fileName = `call_recording_${input.callId}.${format}`;
  const uploadUrl =
    input.url === undefined
      ? undefined
      : uploadUrlFor(fillUrlTemplate(input.url, { CALL_ID: input.callId, ...metadata }), fileName);
  return {
    callId: input.callId,
    target,
    recordingName: input.recordingName ?? `call_recording_${input.callId}`,
    format,
    timeLimitSeconds: Math.min(requested, max),
    ...(requested > max ? { requestedTimeLimitSeconds: requested } : {}),
    ...(uploadUrl ? { uploadUrl } : {}),
    fileName,
    keep: input.keep ?? true,
    metadata,
    defaultPauseMode: pauseMode,
    pauseMode,
    startOnEntry: action === 'start',
    hungUp: false,
    stopHeld: false,
    attempts: 0,
    discarded: false,
  };
}

function notProvided(name: string): never {
  throw new Error(`record-call actor "${name}" is not provided: use provideRecordCall() from src/recording`);
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** RecordingFailed for the take: the recorder fails, at `stage`, with Asterisk's cause. */
const takeFailed = (stage: 'start' | 'record') =>
  ({
    guard: 'isCurrentTake',
    target: 'failed',
    actions: {
      type: 'setError',
      params: ({ event }: { event: Extract<RecordAriEvent, { type: 'RecordingFailed' }> }) => ({
        stage,
        message: event.recording.cause ?? 'recording failed',
      }),
    },
  }) as const;

/**
 * Asterisk's word on a take not yet recording (`starting`, `queued`): RecordingStarted starts it, a RecordingFinished
 * ends it before it was seen running, RecordingFailed fails the start; a `recording.stop` is held until it runs,
 * since Asterisk takes a stop sent earlier as "never mind" and records anyway.
 */
const notYetRecording = {
  RecordingStarted: { guard: 'isCurrentTake', target: 'recording' },
  RecordingFinished: {
    guard: 'isCurrentTake',
    target: 'storing',
    actions: [{ type: 'setStopReasonIfUnset', params: { reason: 'asterisk' } }, 'emitStopped'],
  },
  RecordingFailed: takeFailed('start'),
  'recording.stop': { actions: 'holdStop' },
} as const;

export const recordCallMachine = setup({
  types: {
    context: {} as RecordCallContext,
    events: {} as RecordCallEvent,
    input: {} as RecordCallInput,
    output: {} as RecordCallOutput,
    emitted: {} as RecordCallStatus,
  },
  actors: {
    startRecording: fromPromise<StartRecordingOutput, StartRecordingInput>(async () => notProvided('startRecording')),
    stopRecording: fromPromise<void, { recordingName: string }>(async () => notProvided('stopRecording')),
    pauseRecording: fromPromise<void, { recordingName: string; mode: PauseMode }>(async () =>
      notProvided('pauseRecording'),
    ),
    resumeRecording: fromPromise<void, { recordingName: string; mode: PauseMode }>(async () =>
      notProvided('resumeRecording'),
    ),
    storeRecording: fromPromise<StoredFile, StoreRecordingInput>(async () => notProvided('storeRecording')),
    uploadRecording: fromCallback<RecordCallEvent, { spoolId: string; uploadUrl: string }>(() =>
      notProvided('uploadRecording'),
    ),
    discardRecording: fromPromise<void, { recordingName: string }>(async () => notProvided('discardRecording')),
  },
  guards: {
    isCurrentTake: ({ context, event }) =>
      'recording' in event && (event as { recording: LiveRecordingLike }).recording.name === context.recordingName,
    hasStartAction: ({ context }) => context.startOnEntry,
    hasHungUp: ({ context }) => context.hungUp,
    isStopHeld: ({ context }) => context.stopHeld,
    /** Nothing more to record once it runs: a stop was held for it, or the call hung up while it was on its way. */
    isStopWanted: ({ context }) => context.stopHeld || context.hungUp,
    isQueued: ({ event }) => (event as { output?: StartRecordingOutput }).output?.queued === true,
    isQueuedAfterHangup: ({ context, event }) =>
      context.hungUp && (event as { output?: StartRecordingOutput }).output?.queued === true,
    isPauseSkip: ({ context }) => context.pauseMode === 'skip',
    hasUploadUrl: ({ context }) => context.uploadUrl !== undefined,
    isKept: ({ context }) => context.keep,
    /** The bridge ended the conversation: it is gone, or the call's own channel left it. */
    isConversationOver: ({ context, event }) => {
      if (context.target.kind !== 'bridge') return false;
      if (event.type === 'BridgeDestroyed') return event.bridge.id === context.target.id;
      if (event.type === 'ChannelLeftBridge')
        return event.bridge.id === context.target.id && event.channel.id === context.callId;
      return false;
    },
  },
  actions: {
    markHungUp: assign({ hungUp: true }),
    holdStop: assign({ stopHeld: true, stopReason: 'command' as const }),
    markDiscarded: assign({ discarded: true }),
    setStopReason: assign((_, params: { reason: StopReason }) => ({ stopReason: params.reason })),
    setStopReasonIfUnset: assign(({ context }, params: { reason: StopReason }) => ({
      stopReason: context.stopReason ?? params.reason,
    })),
    choosePauseMode: assign(({ context, event }) => ({
      pauseMode: event.type === 'recording.pause' && event.mode ? event.mode : context.defaultPauseMode,
    })),
    setStored: assign((_, params: { file: StoredFile }) => ({ stored: params.file })),
    setError: assign((_, params: RecordCallError) => ({ error: params })),
    countAttempt: assign(({ context }) => ({ attempts: context.attempts + 1 })),
    emitStarted: emit(({ context }) => ({
      type: 'recording.started' as const,
      recordingName: context.recordingName,
      timeLimitSeconds: context.timeLimitSeconds,
      ...(context.requestedTimeLimitSeconds !== undefined
        ? { requestedTimeLimitSeconds: context.requestedTimeLimitSeconds }
        : {}),
    })),
    emitPaused: emit(({ context }) => ({
      type: 'recording.paused' as const,
      recordingName: context.recordingName,
      mode: context.pauseMode,
    })),
    emitResumed: emit(({ context }) => ({ type: 'recording.resumed' as const, recordingName: context.recordingName })),
    emitStopped: emit(({ context }) => ({
      type: 'recording.stopped' as const,
      recordingName: context.recordingName,
      reason: context.stopReason ?? 'asterisk',
    })),
    emitStored: emit(({ context }) => ({
      type: 'recording.stored' as const,
      recordingName: context.recordingName,
      file: context.stored!,
    })),
    emitRetrying: emit(({ context }, params: { attempt: number; delayMs: number; reason: string }) => ({
      type: 'recording.upload_retrying' as const,
      recordingName: context.recordingName,
      ...params,
    })),
    emitUploaded: emit(({ context }, params: { status: number }) => ({
      type: 'recording.uploaded' as const,
      recordingName: context.recordingName,
      url: withoutCredentials(context.uploadUrl ?? ''),
      status: params.status,
    })),
    emitFailed: emit(({ context }) => ({
      type: 'recording.failed' as const,
      recordingName: context.recordingName,
      error: context.error ?? { stage: 'record', message: 'unknown' },
    })),
  },
  delays: {
    timeLimit: ({ context }) => context.timeLimitSeconds * 1000,
    /** How long to wait for Asterisk to confirm a start or a stop before giving up on it. */
    ariPatience: 10_000,
  },
}).createMachine({
  id: 'recordCall',
  context: ({ input }) => resolveRecordCallInput(input),
  initial: 'init',
  output: ({ context }) => ({
    outcome: context.error
      ? 'failed'
      : context.stored
        ? context.uploadUrl
          ? 'uploaded'
          : 'kept'
        : context.discarded
          ? 'discarded'
          : 'not_recorded',
    recordingName: context.recordingName,
    ...(context.uploadUrl ? { uploadUrl: context.uploadUrl } : {}),
    ...(context.stored ? { stored: context.stored } : {}),
    ...(context.error ? { error: context.error } : {}),
  }),
  states: {
    init: {
      always: [{ guard: 'hasStartAction', target: 'starting' }, { target: 'idle' }],
    },
    idle: {
      on: {
        'recording.start': 'starting',
        hangup: 'done',
        BridgeDestroyed: { guard: 'isConversationOver', target: 'done' },
      },
    },
    starting: {
      invoke: {
        src: 'startRecording',
        input: ({ context }) => ({
          target: context.target,
          recordingName: context.recordingName,
          timeLimitSeconds: context.timeLimitSeconds,
        }),
        // The 201 may come before or after RecordingStarted: either one means the recording is under way, unless
        // the 201 says it is queued behind a playback (then only RecordingStarted does). Queued on a call that has
        // already ended: its events may never come, so stopping waits for them only as long as its patience.
        onDone: [
          { guard: 'isQueuedAfterHangup', target: 'stopping' },
          { guard: 'isQueued', target: 'queued' },
          { target: 'recording' },
        ],
        onError: [
          { guard: 'hasHungUp', target: 'done' },
          {
            target: 'failed',
            actions: {
              type: 'setError',
              params: ({ event }) => ({ stage: 'start', message: errorMessage(event.error) }),
            },
          },
        ],
      },
      on: {
        ...notYetRecording,
        // A hang-up during the start: the recording (if any) finishes by itself and keeps the file.
        hangup: { actions: ['markHungUp', { type: 'setStopReason', params: { reason: 'hangup' } }] },
      },
      after: {
        ariPatience: [
          // A stop is still wanted: send it, in case Asterisk did start a recording it never told of.
          { guard: 'isStopHeld', target: 'stopping' },
          {
            target: 'failed',
            actions: { type: 'setError', params: { stage: 'start', message: 'Asterisk did not start the recording' } },
          },
        ],
      },
    },
    queued: {
      // Asterisk accepted the recording behind the target's playbacks. A stop now would only mark it canceled and
      // it would still record when the playbacks end: the stop waits for RecordingStarted. No patience while the
      // call goes on (a playback may last minutes); once it ended, its recording's events may never come (it left
      // Stasis first): stopping then fetches what was stored.
      after: { ariPatience: { guard: 'hasHungUp', target: 'stopping' } },
      on: {
        ...notYetRecording,
        // Asterisk fails the playback and starts the recording when the channel hangs up: wait for it, then stop. The
        // hang-up enters queued again, so that its patience counts from the hang-up.
        hangup: {
          target: 'queued',
          reenter: true,
          actions: ['markHungUp', { type: 'setStopReason', params: { reason: 'hangup' } }],
        },
        BridgeDestroyed: {
          guard: 'isConversationOver',
          target: 'stopping',
          actions: ['markHungUp', { type: 'setStopReasonIfUnset', params: { reason: 'hangup' } }],
        },
      },
    },
    recording: {
      entry: 'emitStarted',
      // A stop held while it was starting or queued, or a call that ended meanwhile: stop it now that it runs.
      always: { guard: 'isStopWanted', target: 'stopping' },
      initial: 'active',
      states: {
        active: {
          on: { 'recording.pause': { target: 'pausing', actions: 'choosePauseMode' } },
        },
        pausing: {
          invoke: {
            src: 'pauseRecording',
            input: ({ context }) => ({ recordingName: context.recordingName, mode: context.pauseMode }),
            onDone: [{ guard: 'isPauseSkip', target: 'paused' }, { target: 'muted' }],
            // Not fatal: the recording goes on unpaused (a finished one is handled by the parent).
            onError: 'active',
          },
        },
        paused: {
          entry: 'emitPaused',
          on: { 'recording.resume': 'resuming' },
        },
        muted: {
          entry: 'emitPaused',
          on: { 'recording.resume': 'resuming' },
        },
        resuming: {
          invoke: {
            src: 'resumeRecording',
            input: ({ context }) => ({ recordingName: context.recordingName, mode: context.pauseMode }),
            onDone: { target: 'active', actions: 'emitResumed' },
            onError: [{ guard: 'isPauseSkip', target: 'paused' }, { target: 'muted' }],
          },
        },
      },
      on: {
        'recording.stop': { target: 'stopping', actions: { type: 'setStopReason', params: { reason: 'command' } } },
        hangup: {
          target: 'stopping',
          actions: ['markHungUp', { type: 'setStopReason', params: { reason: 'hangup' } }],
        },
        ChannelLeftBridge: {
          guard: 'isConversationOver',
          target: 'stopping',
          actions: ['markHungUp', { type: 'setStopReason', params: { reason: 'hangup' } }],
        },
        BridgeDestroyed: {
          guard: 'isConversationOver',
          target: 'stopping',
          actions: ['markHungUp', { type: 'setStopReason', params: { reason: 'hangup' } }],
        },
        RecordingFinished: {
          guard: 'isCurrentTake',
          target: 'storing',
          actions: [{ type: 'setStopReason', params: { reason: 'asterisk' } }, 'emitStopped'],
        },
        RecordingFailed: takeFailed('record'),
      },
      after: {
        timeLimit: { target: 'stopping', actions: { type: 'setStopReason', params: { reason: 'time_limit' } } },
      },
    },
    stopping: {
      // Stopping a recording Asterisk already finished (hang-up) answers 404: the implementation treats it as done.
      invoke: {
        src: 'stopRecording',
        input: ({ context }) => ({ recordingName: context.recordingName }),
      },
      on: {
        RecordingFinished: { guard: 'isCurrentTake', target: 'storing', actions: 'emitStopped' },
        RecordingFailed: takeFailed('record'),
        hangup: { actions: 'markHungUp' },
      },
      // No RecordingFinished (the event was lost, or the call's routes are gone): whatever Asterisk stored is fetched.
      after: { ariPatience: { target: 'storing', actions: 'emitStopped' } },
    },
    storing: {
      invoke: {
        src: 'storeRecording',
        input: ({ context }) => ({
          callId: context.callId,
          recordingName: context.recordingName,
          format: context.format,
          fileName: context.fileName,
          keep: context.keep,
          metadata: context.metadata,
          ...(context.uploadUrl ? { uploadUrl: context.uploadUrl } : {}),
        }),
        onDone: [
          {
            guard: 'hasUploadUrl',
            target: 'uploading',
            actions: [{ type: 'setStored', params: ({ event }) => ({ file: event.output }) }, 'emitStored'],
          },
          {
            guard: 'isKept',
            target: 'done',
            actions: [{ type: 'setStored', params: ({ event }) => ({ file: event.output }) }, 'emitStored'],
          },
          { target: 'discarding' },
        ],
        onError: {
          target: 'failed',
          actions: {
            type: 'setError',
            params: ({ event }) => ({ stage: 'store', message: errorMessage(event.error) }),
          },
        },
      },
    },
    uploading: {
      // The uploader owns the file from here (durable spool, its own retries): stopping this actor loses nothing.
      invoke: {
        src: 'uploadRecording',
        input: ({ context }) => ({ spoolId: context.stored?.spoolId ?? '', uploadUrl: context.uploadUrl ?? '' }),
      },
      initial: 'sending',
      states: {
        sending: {
          entry: 'countAttempt',
          on: {
            'upload.retrying': {
              target: 'retrying',
              actions: {
                type: 'emitRetrying',
                params: ({ event }) => ({ attempt: event.attempt, delayMs: event.delayMs, reason: event.reason }),
              },
            },
          },
        },
        retrying: {
          on: { 'upload.attempt': 'sending' },
        },
      },
      on: {
        'upload.accepted': {
          target: 'done',
          actions: { type: 'emitUploaded', params: ({ event }) => ({ status: event.status }) },
        },
        'upload.rejected': {
          target: 'failed',
          actions: {
            type: 'setError',
            params: ({ event }) => ({
              stage: 'upload',
              message: event.reason,
              ...(event.status !== undefined ? { status: event.status } : {}),
            }),
          },
        },
      },
    },
    discarding: {
      invoke: {
        src: 'discardRecording',
        input: ({ context }) => ({ recordingName: context.recordingName }),
        onDone: { target: 'done', actions: 'markDiscarded' },
        onError: {
          target: 'failed',
          actions: {
            type: 'setError',
            params: ({ event }) => ({ stage: 'discard', message: errorMessage(event.error) }),
          },
        },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final', entry: 'emitFailed' },
  },
});

export type RecordCallMachine = typeof recordCallMachine;
