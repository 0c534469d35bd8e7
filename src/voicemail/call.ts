import {
  type CopyMessageInput,
  DEFAULT_KEYS,
  DEFAULT_PROMPTS,
  DEFAULT_TIMEOUTS,
  type FinishCallInput,
  type MessageInput,
  type PlayMediaInput,
  type StartRecordingInput,
  type VoicemailInput,
  type VoicemailKeys,
  type VoicemailPrompts,
  type VoicemailTimeouts,
  voicemailMachine,
} from '../../machines/voicemail.js';
import { type SettledCall, voicemailResumeMachine } from '../../machines/voicemail-resume.js';
import { AriOptionsError, checkOptions } from '../ari/errors.js';
import { clipForLog } from '../ari/logger.js';
import { callScopeOf } from '../runtime/app.js';
import { fromCallPromise } from '../runtime/promise.js';
import type { CallFactory, CallScope, RecoveryContext } from '../runtime/types.js';
import { parseVoicemailArgs, type VoicemailArgs } from './args.js';
import type { VoicemailLibraryEvent } from './events.js';
import { callTag, safeToken, validateContext } from './ids.js';
import {
  type VoicemailCall,
  type VoicemailServices,
  voicemailActions,
  voicemailActors,
  voicemailCall,
} from './implementations.js';
import { type CallEntry, hasJournal, messageOfTake, type TakeEntry } from './journal.js';
import type { GreetingKind, MailboxDirectory } from './mailbox.js';
import { type MwiRefresh, type MwiRefreshClock, publishMwi, startMwiRefresh } from './mwi.js';
import { createVoicemailRecovery, settleTake, type VoicemailRecoveryReport } from './recovery.js';
import type { MessageStore } from './store.js';

/** Options of {@link createVoicemailCalls}. */
export interface VoicemailCallsOptions {
  /** Where mailboxes are looked up. */
  readonly directory: MailboxDirectory;
  /** Where messages are kept (e.g. `new FileMessageStore(dir)`). */
  readonly store: MessageStore;
  /** The context of a mailbox given without `@context`. Default `default`. */
  readonly defaultContext?: string;
  /** Recording format. Default `wav`. */
  readonly format?: string;
  /** Keys the caller uses; see `VoicemailKeys` for the defaults. Each is one of `0-9 * # A-D`, or `null` to switch it off. */
  readonly keys?: Partial<VoicemailKeys>;
  /** Media the calls play; see `VoicemailPrompts` for the defaults (core English prompts). */
  readonly prompts?: Partial<VoicemailPrompts>;
  /** A take shorter than the mailbox's `minMessageSeconds`: `discard` and end (default) or `retry` (up to 3 times). */
  readonly tooShort?: 'discard' | 'retry';
  /** Play the message back for review before saving. Default `true`. */
  readonly review?: boolean;
  /** `play` the mailbox's greeting (default), or `none`: straight to the beep (the tutorial's first stage). */
  readonly greeting?: 'play' | 'none';
  readonly timeouts?: Partial<VoicemailTimeouts>;
  /** After voicemail: `continue` in the dialplan (default, like app_voicemail; the exits go to `o`/`a`) or `hangup`. */
  readonly finish?: 'continue' | 'hangup';
  /** Receives `voicemail.saved`, `voicemail.discarded`, `voicemail.copied`, `voicemail.finished`, `voicemail.error`. */
  readonly onEvent?: (event: VoicemailLibraryEvent) => void;
  /** The clock stamping messages. Default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Told what each recovery from the store's journal did (at start, after each gap of the event stream): takes
   * saved or deleted, calls resumed, and `orphans`, stored recordings under `voicemail/` nothing owns (reported,
   * never deleted). Recovery needs a store that keeps the journal (`FileMessageStore` does).
   */
  readonly onRecovery?: (report: VoicemailRecoveryReport) => void;
  /**
   * Every mailbox's message-waiting counts re-published from the store when the app starts, after each recovery,
   * and every `intervalMs` (default 60,000) on `clock` (default real time): a lamp is never wrong for longer than
   * that. `false` turns it off (each change still publishes its own counts).
   */
  readonly mwiRefresh?: false | { readonly intervalMs?: number; readonly clock?: MwiRefreshClock };
}

const KEY_RE = /^[0-9*#A-D]$/;

const OPTION_NAMES = [
  'directory',
  'store',
  'defaultContext',
  'format',
  'keys',
  'prompts',
  'tooShort',
  'review',
  'greeting',
  'timeouts',
  'finish',
  'onEvent',
  'now',
  'onRecovery',
  'mwiRefresh',
];

function validate(options: VoicemailCallsOptions): void {
  if (!options || typeof options !== 'object') throw new AriOptionsError('options', 'required');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) throw new AriOptionsError(name, 'unknown option');
  }
  if (options.review !== undefined && typeof options.review !== 'boolean')
    throw new AriOptionsError('review', 'true or false');
  for (const name of ['onEvent', 'now', 'onRecovery'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new AriOptionsError(name, 'a function');
  }
  if (!options.directory || typeof options.directory.get !== 'function') {
    throw new AriOptionsError('directory', 'a MailboxDirectory is required');
  }
  if (!options.store || typeof options.store.save !== 'function')
    throw new AriOptionsError('store', 'a MessageStore is required');
  if (options.defaultContext !== undefined) {
    try {
      validateContext(options.defaultContext);
    } catch (error) {
      throw new AriOptionsError('defaultContext', (error as Error).message);
    }
  }
  if (options.format !== undefined && !/^[a-z0-9]{1,16}$/.test(options.format)) {
    throw new AriOptionsError('format', 'a recording format such as "wav"');
  }
  for (const [name, key] of Object.entries(options.keys ?? {})) {
    if (!(name in DEFAULT_KEYS)) throw new AriOptionsError(`keys.${name}`, 'unknown key');
    if (key !== null && (typeof key !== 'string' || !KEY_RE.test(key)))
      throw new AriOptionsError(`keys.${name}`, 'one DTMF key of 0-9 * # A-D, or null to switch it off');
  }
  const keys = { ...DEFAULT_KEYS, ...options.keys };
  if (keys.copy !== null && keys.copyEnter === null) {
    throw new AriOptionsError('keys.copyEnter', 'cannot be switched off while the copy key is on');
  }
  if (options.greeting !== undefined && options.greeting !== 'play' && options.greeting !== 'none') {
    throw new AriOptionsError('greeting', "'play' or 'none'");
  }
  for (const [name, media] of Object.entries(options.prompts ?? {})) {
    if (!(name in DEFAULT_PROMPTS)) throw new AriOptionsError(`prompts.${name}`, 'unknown prompt');
    if (!Array.isArray(media) || media.some((m) => typeof m !== 'string' || !/^[a-z]+:./.test(m))) {
      throw new AriOptionsError(`prompts.${name}`, 'a list of media URIs such as "sound:vm-goodbye"');
    }
    if (name !== 'review' && media.length === 0) throw new AriOptionsError(`prompts.${name}`, 'must not be empty');
  }
  for (const [name, ms] of Object.entries(options.timeouts ?? {})) {
    if (!(name in DEFAULT_TIMEOUTS) && name !== 'pausedMs')
      throw new AriOptionsError(`timeouts.${name}`, 'unknown timeout');
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
      throw new AriOptionsError(`timeouts.${name}`, 'a positive number of ms');
  }
  validateMwiRefresh(options.mwiRefresh);
  if (options.tooShort !== undefined && options.tooShort !== 'discard' && options.tooShort !== 'retry') {
    throw new AriOptionsError('tooShort', '"discard" or "retry"');
  }
  if (options.finish !== undefined && options.finish !== 'continue' && options.finish !== 'hangup') {
    throw new AriOptionsError('finish', '"continue" or "hangup"');
  }
}

function validateMwiRefresh(value: VoicemailCallsOptions['mwiRefresh']): void {
  if (value === undefined || value === false) return;
  if (typeof value !== 'object' || value === null) throw new AriOptionsError('mwiRefresh', 'false or an object');
  for (const name of Object.keys(value)) {
    if (name !== 'intervalMs' && name !== 'clock') throw new AriOptionsError(`mwiRefresh.${name}`, 'unknown option');
  }
  const { intervalMs, clock } = value;
  if (intervalMs !== undefined && (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs <= 0))
    throw new AriOptionsError('mwiRefresh.intervalMs', 'a positive number of ms');
  if (clock !== undefined && (typeof clock?.setTimeout !== 'function' || typeof clock?.clearTimeout !== 'function'))
    throw new AriOptionsError('mwiRefresh.clock', 'an object with setTimeout and clearTimeout');
}

/**
 * The call factory of the leave-a-message application, for `createStasisApp({ createCall })`: a channel entering
 * the app with the mailbox as first argument (`Stasis(vm-record,305)`, `305@default`, `305,b`, `b305`) gets its
 * own voicemail machine. A malformed or unknown mailbox is told to the caller and the call ends with
 * VMSTATUS=FAILED; it never throws for a caller's input.
 * @throws AriOptionsError when an option is invalid.
 */
export function createVoicemailCalls(options: VoicemailCallsOptions): CallFactory {
  checkOptions('createVoicemailCalls', options, validate);
  const defaultContext = options.defaultContext ?? 'default';
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => {});

  const services: VoicemailServices = {
    directory: options.directory,
    store: options.store,
    format: options.format ?? 'wav',
    finish: options.finish ?? 'continue',
    now,
    emit,
  };
  // One machine for every call of this factory: building a machine is most of a call's cost otherwise. Each call's
  // own state is found from its actor system through the runtime's scope.
  const calls = new WeakMap<CallScope, VoicemailCall>();
  const machine = provideVoicemail((system) => {
    const call = calls.get(callScopeOf(system));
    if (call === undefined) throw new Error('voicemail: this actor is not a call of this createVoicemailCalls');
    return call;
  });

  // With a store that keeps the journal, calls a dead process left behind are recovered at start and after gaps.
  const store = options.store;
  const recovery = hasJournal(store)
    ? createVoicemailRecovery({ store, directory: options.directory, emit: (e) => emit(e) })
    : undefined;
  const resumes = new WeakMap<CallScope, { takes: TakeEntry[]; call: CallEntry | undefined }>();
  const resumeMachine = provideResume(
    (system) => {
      const call = calls.get(callScopeOf(system));
      if (call === undefined) throw new Error('voicemail: this actor is not a call of this createVoicemailCalls');
      return call;
    },
    async (call) => {
      const work = resumes.get(call.scope);
      if (!work || !hasJournal(store)) return { saved: 0 };
      let saved = 0;
      for (const take of work.takes) {
        const outcome = await settleTake(call.scope.client, store, take, { signal: call.scope.signal });
        if (outcome !== 'saved') continue;
        saved++;
        const message = messageOfTake(take);
        let mwi: Awaited<ReturnType<typeof publishMwi>> | undefined;
        try {
          mwi = await publishMwi(call.scope.client, store, message, { signal: call.scope.signal });
        } catch (error) {
          call.scope.logger.warn('voicemail: MWI could not be published', { callId: call.scope.callId, error });
        }
        emit({ type: 'voicemail.saved', callId: call.scope.callId, message, ...(mwi ? { mwi } : {}) });
      }
      return { saved };
    },
  );

  const factory: CallFactory = (start, scope) => {
    const work = recovery?.claim(scope.callId);
    if (work) {
      scope.logger.info('voicemail: resuming a call found in the journal', {
        callId: scope.callId,
        takes: work.takes.map((t) => t.recordingName),
      });
      calls.set(scope, voicemailCall(services, scope, start.channel.caller ?? NO_CALLER, false));
      resumes.set(scope, work);
      const prompts = { ...DEFAULT_PROMPTS, ...options.prompts };
      const finished = work.call
        ? {
            status: work.call.status,
            exit:
              work.call.extension === 'o'
                ? ('operator' as const)
                : work.call.extension === 'a'
                  ? ('exit' as const)
                  : null,
          }
        : null;
      return {
        machine: resumeMachine,
        input: {
          callId: scope.callId,
          tag: callTag(now(), scope.callId),
          saved: prompts.saved,
          goodbye: prompts.goodbye,
          finished,
        },
      };
    }
    let args: VoicemailArgs | undefined;
    try {
      args = parseVoicemailArgs(start.args, defaultContext);
    } catch (error) {
      // Cut: the arguments come from the dialplan and can be any length; the error itself keeps them whole.
      scope.logger.warn('voicemail: malformed Stasis arguments', {
        callId: scope.callId,
        args: clipForLog(start.args),
        error: error instanceof Error ? error.message : String(error),
      });
      emit({ type: 'voicemail.error', callId: scope.callId, error, during: 'arguments' });
    }
    const callerId = start.channel.caller ?? NO_CALLER;
    calls.set(scope, voicemailCall(services, scope, callerId, !(args?.skipInstructions ?? false)));
    const input: VoicemailInput = {
      callId: scope.callId,
      tag: callTag(now(), scope.callId),
      mailbox: args ? `${args.mailbox}@${args.context}` : null,
      greetingKind: args?.greeting ?? 'unavailable',
      keys: options.keys,
      prompts: options.prompts,
      tooShort: options.tooShort,
      review: options.review,
      ...(options.greeting ? { greeting: options.greeting } : {}),
      timeouts: options.timeouts,
    };
    return { machine, input };
  };
  // The lamps converge: every mailbox is re-published from the store at start, after each recovery, and periodically.
  const refreshOptions = options.mwiRefresh === false ? undefined : (options.mwiRefresh ?? {});
  let refresh: MwiRefresh | undefined;
  const refreshAfterRecovery = (context: RecoveryContext): void => {
    if (!refreshOptions) return;
    if (refresh === undefined) {
      // The first recovery is the app's start: the refresh runs with the runtime's client (and its retries) from here.
      refresh = startMwiRefresh({
        client: context.client,
        store,
        mailboxes: () => options.directory.list(),
        logger: context.logger,
        ...refreshOptions,
      });
    } else void refresh.refresh();
  };
  if (!recovery && !refreshOptions) return factory;
  return Object.assign(factory, {
    recover: async (context: RecoveryContext) => {
      let report: VoicemailRecoveryReport | undefined;
      try {
        if (recovery) {
          report = await recovery.recover(context);
          try {
            options.onRecovery?.(report);
          } catch (error) {
            context.logger.error('voicemail onRecovery listener threw', { error });
          }
        }
      } finally {
        refreshAfterRecovery(context);
      }
      return report;
    },
    stop: async () => {
      const running = refresh;
      refresh = undefined;
      await running?.stop();
    },
  });
}

/** The resume machine with its actors finding their call through `callOf(system)`. */
function provideResume(
  callOf: (system: unknown) => VoicemailCall,
  settle: (call: VoicemailCall) => Promise<SettledCall>,
) {
  return voicemailResumeMachine.provide({
    actors: {
      settleCall: fromCallPromise(({ system }: { system: unknown }) => settle(callOf(system))),
      playMedia: fromCallPromise(({ input, system }: { input: PlayMediaInput; system: unknown }) =>
        voicemailActors.playMedia(callOf(system), input),
      ),
      finishCall: fromCallPromise(({ input, system }: { input: FinishCallInput; system: unknown }) =>
        voicemailActors.finishCall(callOf(system), input),
      ),
    },
  });
}

const NO_CALLER = Object.freeze({ name: '', number: '' });

/** The voicemail machine with every implementation finding its call's state through `callOf(system)`. */
function provideVoicemail(callOf: (system: unknown) => VoicemailCall) {
  const actors = voicemailActors;
  const actions = voicemailActions;
  return voicemailMachine.provide({
    actors: {
      answerChannel: fromCallPromise(({ system }: { system: unknown }) => actors.answerChannel(callOf(system))),
      lookUpMailbox: fromCallPromise(
        ({ input, system }: { input: { mailbox: string; greetingKind: GreetingKind }; system: unknown }) =>
          actors.lookUpMailbox(callOf(system), input),
      ),
      playMedia: fromCallPromise(({ input, system }: { input: PlayMediaInput; system: unknown }) =>
        actors.playMedia(callOf(system), input),
      ),
      startRecording: fromCallPromise(({ input, system }: { input: StartRecordingInput; system: unknown }) =>
        actors.startRecording(callOf(system), input),
      ),
      purgeRecording: fromCallPromise(({ input, system }: { input: { recordingName: string }; system: unknown }) =>
        actors.purgeRecording(callOf(system), input),
      ),
      saveMessage: fromCallPromise(({ input, system }: { input: MessageInput; system: unknown }) =>
        actors.saveMessage(callOf(system), input),
      ),
      copyMessage: fromCallPromise(({ input, system }: { input: CopyMessageInput; system: unknown }) =>
        actors.copyMessage(callOf(system), input),
      ),
      finishCall: fromCallPromise(({ input, system }: { input: FinishCallInput; system: unknown }) =>
        actors.finishCall(callOf(system), input),
      ),
    },
    actions: {
      stopPlayback: ({ system }, params) => actions.stopPlayback(callOf(system), params.playbackId),
      stopRecording: ({ system }, params) => actions.stopRecording(callOf(system), params.recordingName),
      cancelRecording: ({ system }, params) => actions.cancelRecording(callOf(system), params.recordingName),
      pauseRecording: ({ system }, params) => actions.pauseRecording(callOf(system), params.recordingName),
      unpauseRecording: ({ system }, params) => actions.unpauseRecording(callOf(system), params.recordingName),
      releaseHeld: ({ system }, params) => actions.releaseHeld(callOf(system), params.recordingName),
      playNotice: ({ system }, params) => actions.playNotice(callOf(system), params.media),
      reportDiscarded: ({ system }, params) =>
        actions.reportDiscarded(callOf(system), params.recordingName, params.reason),
      reportError: ({ system }, params) => actions.reportError(callOf(system), params.error),
    },
  });
}
