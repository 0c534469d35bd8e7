import { fromPromise } from 'xstate';
import {
  type CopyMessageInput,
  DEFAULT_PROMPTS,
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
import { AriOptionsError } from '../ari/errors.js';
import type { CallFactory } from '../runtime/types.js';
import { parseVoicemailArgs, type VoicemailArgs } from './args.js';
import type { VoicemailLibraryEvent } from './events.js';
import { safeToken, validateContext } from './ids.js';
import { voicemailImplementations } from './implementations.js';
import type { GreetingKind, MailboxDirectory } from './mailbox.js';
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
  /** Keys the caller uses; see `VoicemailKeys` for the defaults. Each is one of `0-9 * # A-D`. */
  readonly keys?: Partial<VoicemailKeys>;
  /** Media the calls play; see `VoicemailPrompts` for the defaults (core English prompts). */
  readonly prompts?: Partial<VoicemailPrompts>;
  /** A take shorter than the mailbox's `minMessageSeconds`: `discard` and end (default) or `retry` (up to 3 times). */
  readonly tooShort?: 'discard' | 'retry';
  /** Play the message back for review before saving. Default `true`. */
  readonly review?: boolean;
  readonly timeouts?: Partial<VoicemailTimeouts>;
  /** After voicemail: `continue` in the dialplan (default, like app_voicemail; the exits go to `o`/`a`) or `hangup`. */
  readonly finish?: 'continue' | 'hangup';
  /** Receives `voicemail.saved`, `voicemail.discarded`, `voicemail.copied`, `voicemail.finished`, `voicemail.error`. */
  readonly onEvent?: (event: VoicemailLibraryEvent) => void;
  /** The clock stamping messages. Default `() => new Date()`. */
  readonly now?: () => Date;
}

const KEY_RE = /^[0-9*#A-D]$/;

function validate(options: VoicemailCallsOptions): void {
  if (!options || typeof options !== 'object') throw new AriOptionsError('options', 'required');
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
    if (typeof key !== 'string' || !KEY_RE.test(key))
      throw new AriOptionsError(`keys.${name}`, 'one DTMF key of 0-9 * # A-D');
  }
  for (const [name, media] of Object.entries(options.prompts ?? {})) {
    if (!(name in DEFAULT_PROMPTS)) throw new AriOptionsError(`prompts.${name}`, 'unknown prompt');
    if (!Array.isArray(media) || media.some((m) => typeof m !== 'string' || !/^[a-z]+:./.test(m))) {
      throw new AriOptionsError(`prompts.${name}`, 'a list of media URIs such as "sound:vm-goodbye"');
    }
    if (name !== 'review' && media.length === 0) throw new AriOptionsError(`prompts.${name}`, 'must not be empty');
  }
  for (const [name, ms] of Object.entries(options.timeouts ?? {})) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
      throw new AriOptionsError(`timeouts.${name}`, 'a positive number of ms');
  }
  if (options.tooShort !== undefined && options.tooShort !== 'discard' && options.tooShort !== 'retry') {
    throw new AriOptionsError('tooShort', '"discard" or "retry"');
  }
  if (options.finish !== undefined && options.finish !== 'continue' && options.finish !== 'hangup') {
    throw new AriOptionsError('finish', '"continue" or "hangup"');
  }
}

/**
 * The call factory of the leave-a-message application, for `createStasisApp({ createCall })`: a channel entering
 * the app with the mailbox as first argument (`Stasis(vm-record,305)`, `305@default`, `305,b`, `b305`) gets its
 * own voicemail machine. A malformed or unknown mailbox is told to the caller and the call ends with
 * VMSTATUS=FAILED; it never throws for a caller's input.
 * @throws AriOptionsError when an option is invalid.
 */
export function createVoicemailCalls(options: VoicemailCallsOptions): CallFactory {
  validate(options);
  const defaultContext = options.defaultContext ?? 'default';
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => {});

  return (start, scope) => {
    let args: VoicemailArgs | undefined;
    try {
      args = parseVoicemailArgs(start.args, defaultContext);
    } catch (error) {
      scope.logger.warn('voicemail: malformed Stasis arguments', { callId: scope.callId, args: start.args, error });
      emit({ type: 'voicemail.error', callId: scope.callId, error, during: 'arguments' });
    }
    const impl = voicemailImplementations({
      scope,
      directory: options.directory,
      store: options.store,
      callerId: start.channel.caller ?? { name: '', number: '' },
      format: options.format ?? 'wav',
      instructions: !(args?.skipInstructions ?? false),
      finish: options.finish ?? 'continue',
      now,
      emit,
    });
    const { actors, actions } = impl;
    const machine = voicemailMachine.provide({
      actors: {
        prepareCall: fromPromise(({ input }: { input: { mailbox: string; greetingKind: GreetingKind } }) =>
          actors.prepareCall(input),
        ),
        playMedia: fromPromise(({ input }: { input: PlayMediaInput }) => actors.playMedia(input)),
        startRecording: fromPromise(({ input }: { input: StartRecordingInput }) => actors.startRecording(input)),
        purgeRecording: fromPromise(({ input }: { input: { recordingName: string } }) => actors.purgeRecording(input)),
        saveMessage: fromPromise(({ input }: { input: MessageInput }) => actors.saveMessage(input)),
        copyMessage: fromPromise(({ input }: { input: CopyMessageInput }) => actors.copyMessage(input)),
        finishCall: fromPromise(({ input }: { input: FinishCallInput }) => actors.finishCall(input)),
      },
      actions: {
        stopPlayback: (_, params) => actions.stopPlayback(params.playbackId),
        stopRecording: (_, params) => actions.stopRecording(params.recordingName),
        cancelRecording: (_, params) => actions.cancelRecording(params.recordingName),
        pauseRecording: (_, params) => actions.pauseRecording(params.recordingName),
        unpauseRecording: (_, params) => actions.unpauseRecording(params.recordingName),
        playNotice: (_, params) => actions.playNotice(params.media),
        reportDiscarded: (_, params) => actions.reportDiscarded(params.recordingName, params.reason),
        reportError: (_, params) => actions.reportError(params.error),
      },
    });
    const input: VoicemailInput = {
      callId: scope.callId,
      tag: `${now().getTime().toString(36)}-${safeToken(scope.callId)}`,
      mailbox: args ? `${args.mailbox}@${args.context}` : null,
      greetingKind: args?.greeting ?? 'unavailable',
      keys: options.keys,
      prompts: options.prompts,
      tooShort: options.tooShort,
      review: options.review,
      timeouts: options.timeouts,
    };
    return { machine, input };
  };
}
