import {
  type AuthResult,
  type ChangePinResult,
  type ForwardResult,
  MAIN_DEFAULT_KEYS,
  MAIN_DEFAULT_PROMPTS,
  MAIN_DEFAULT_TIMEOUTS,
  type MainGreetingKind,
  type MainPlayInput,
  type MenuFolder,
  type MenuMessage,
  type MessageRef,
  type VoicemailMainInput,
  type VoicemailMainKeys,
  type VoicemailMainPrompts,
  type VoicemailMainTimeouts,
  voicemailMainMachine,
} from '../../machines/voicemail-main.js';
import { AriOptionsError, checkOptions } from '../ari/errors.js';
import type { CallOptions } from '../ari/operations.js';
import { callScopeOf } from '../runtime/app.js';
import { fromCallPromise } from '../runtime/promise.js';
import type { CallFactory, CallScope } from '../runtime/types.js';
import { envelopeMedia } from './envelope.js';
import {
  callTag,
  type MailboxAddress,
  mailboxName,
  parseMailboxAddress,
  recordingPrefix,
  safeToken,
  validateContext,
  validateDigits,
} from './ids.js';
import { beepId, gateOf, heldControl, rest, tolerant, voicemailActors, voicemailCall } from './implementations.js';
import type { Mailbox, MailboxDirectory } from './mailbox.js';
import { type MwiCounts, publishMwi } from './mwi.js';
import { hashPin, type MailboxSettingsStore, validatePin, verifyPin } from './settings.js';
import { MailboxFullError, type MessageStore, type VoicemailMessage } from './store.js';
import type { FileMessageTrash } from './trash.js';

/** What the mailbox menu tells the app about. PINs are never part of any event. */
export type MailboxMenuEvent =
  | { readonly type: 'mailbox.login'; readonly callId: string; readonly mailbox: MailboxAddress }
  /** A wrong mailbox or PIN (the mailbox as typed or given, never the PIN). */
  | { readonly type: 'mailbox.loginFailed'; readonly callId: string; readonly mailbox: string }
  | {
      readonly type: 'mailbox.heard';
      readonly callId: string;
      readonly message: VoicemailMessage;
      readonly mwi?: MwiCounts;
    }
  | {
      readonly type: 'mailbox.deleted';
      readonly callId: string;
      readonly message: VoicemailMessage;
      readonly mwi?: MwiCounts;
    }
  | {
      readonly type: 'mailbox.moved';
      readonly callId: string;
      readonly message: VoicemailMessage;
      readonly mwi?: MwiCounts;
    }
  | {
      readonly type: 'mailbox.urgency';
      readonly callId: string;
      readonly message: VoicemailMessage;
      readonly mwi?: MwiCounts;
    }
  | {
      readonly type: 'mailbox.forwarded';
      readonly callId: string;
      readonly from: VoicemailMessage;
      readonly message: VoicemailMessage;
      readonly mwi?: MwiCounts;
    }
  | {
      readonly type: 'mailbox.greeting';
      readonly callId: string;
      readonly mailbox: MailboxAddress;
      readonly kind: MainGreetingKind;
      /** The stored recording now used, or `null` when the greeting was removed. */
      readonly recordingName: string | null;
    }
  | { readonly type: 'mailbox.pinChanged'; readonly callId: string; readonly mailbox: MailboxAddress }
  | { readonly type: 'mailbox.finished'; readonly callId: string; readonly mailbox: MailboxAddress | null }
  | { readonly type: 'mailbox.error'; readonly callId: string; readonly error: unknown; readonly during: string };

/** Options of {@link createVoicemailMainCalls}. */
export interface VoicemailMainCallsOptions {
  /** Where mailboxes are looked up (wrap it in `withMailboxSettings` so recorded greetings are seen). */
  readonly directory: MailboxDirectory;
  readonly store: MessageStore;
  /** PIN hashes and recorded greetings (`new FileMailboxSettings(dir)`). */
  readonly settings: MailboxSettingsStore;
  /** Where deleted messages are kept until purged; without it a deletion removes the audio at once. */
  readonly trash?: FileMessageTrash;
  readonly defaultContext?: string;
  /** Greetings' recording format. Default `wav`. */
  readonly format?: string;
  readonly keys?: Partial<VoicemailMainKeys>;
  readonly prompts?: Partial<VoicemailMainPrompts>;
  readonly timeouts?: Partial<VoicemailMainTimeouts>;
  /** Log-in attempts. Default 3. */
  readonly maxLogins?: number;
  /** Shortest PIN accepted when changing it. Default 4. */
  readonly minPinLength?: number;
  /** Longest greeting, in seconds. Default 60. */
  readonly maxGreetingSeconds?: number;
  /** After the menu: `continue` in the dialplan (default) or `hangup`. */
  readonly finish?: 'continue' | 'hangup';
  /** The IANA time zone envelopes are said in. Default the process's. */
  readonly timeZone?: string;
  readonly onEvent?: (event: MailboxMenuEvent) => void;
  readonly now?: () => Date;
}

const OPTION_NAMES = [
  'directory',
  'store',
  'settings',
  'trash',
  'defaultContext',
  'format',
  'keys',
  'prompts',
  'timeouts',
  'maxLogins',
  'minPinLength',
  'maxGreetingSeconds',
  'finish',
  'timeZone',
  'onEvent',
  'now',
];

function validate(options: VoicemailMainCallsOptions): void {
  if (!options || typeof options !== 'object') throw new AriOptionsError('options', 'required');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) throw new AriOptionsError(name, 'unknown option');
  }
  if (!options.directory || typeof options.directory.get !== 'function')
    throw new AriOptionsError('directory', 'a MailboxDirectory is required');
  if (!options.store || typeof options.store.move !== 'function')
    throw new AriOptionsError('store', 'a MessageStore is required');
  if (!options.settings || typeof options.settings.update !== 'function')
    throw new AriOptionsError('settings', 'a MailboxSettingsStore is required (new FileMailboxSettings(dir))');
  if (options.defaultContext !== undefined) {
    try {
      validateContext(options.defaultContext);
    } catch (error) {
      throw new AriOptionsError('defaultContext', (error as Error).message);
    }
  }
  if (options.format !== undefined && !/^[a-z0-9]{1,16}$/.test(options.format))
    throw new AriOptionsError('format', 'a recording format such as "wav"');
  for (const [name, key] of Object.entries(options.keys ?? {})) {
    if (!(name in MAIN_DEFAULT_KEYS)) throw new AriOptionsError(`keys.${name}`, 'unknown key');
    if (key !== null && (typeof key !== 'string' || !/^[0-9*#A-D]$/.test(key)))
      throw new AriOptionsError(`keys.${name}`, 'one DTMF key of 0-9 * # A-D, or null to switch it off');
  }
  for (const name of Object.keys(options.prompts ?? {})) {
    if (!(name in MAIN_DEFAULT_PROMPTS)) throw new AriOptionsError(`prompts.${name}`, 'unknown prompt');
  }
  for (const [name, ms] of Object.entries(options.timeouts ?? {})) {
    if (!(name in MAIN_DEFAULT_TIMEOUTS)) throw new AriOptionsError(`timeouts.${name}`, 'unknown timeout');
    if (typeof ms !== 'number' || !(ms > 0)) throw new AriOptionsError(`timeouts.${name}`, 'a positive number of ms');
  }
  for (const name of ['maxLogins', 'minPinLength', 'maxGreetingSeconds'] as const) {
    const v = options[name];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new AriOptionsError(name, 'an integer >= 1');
  }
  if (options.finish !== undefined && options.finish !== 'continue' && options.finish !== 'hangup')
    throw new AriOptionsError('finish', '"continue" or "hangup"');
  if (options.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone });
    } catch {
      throw new AriOptionsError('timeZone', 'an IANA time zone such as "Europe/Paris"');
    }
  }
  for (const name of ['onEvent', 'now'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new AriOptionsError(name, 'a function');
  }
}

interface MainServices {
  readonly directory: MailboxDirectory;
  readonly store: MessageStore;
  readonly settings: MailboxSettingsStore;
  readonly trash: FileMessageTrash | undefined;
  readonly format: string;
  readonly finish: 'continue' | 'hangup';
  readonly minPinLength: number;
  readonly maxGreetingSeconds: number;
  readonly timeZone: string | undefined;
  readonly now: () => Date;
  readonly emit: (event: MailboxMenuEvent) => void;
}

interface MainCall {
  readonly services: MainServices;
  readonly scope: CallScope;
  /** The mailbox logged into. */
  box: Mailbox | undefined;
  options: CallOptions | undefined;
  forwards: number;
  readonly tag: string;
  readonly defaultContext: string;
  /** The deposit side's view of this call, to reuse its verified purge of a take. */
  readonly purger: ReturnType<typeof voicemailCall>;
  /** Play requests not answered yet, by playback id: a stop waits for its playback to exist. */
  readonly asked: Map<string, Promise<unknown>>;
}

const emit = (call: MainCall, event: MailboxMenuEvent): void => {
  try {
    call.services.emit(event);
  } catch (error) {
    call.scope.logger.error('voicemail-main onEvent listener threw', { callId: call.scope.callId, error });
  }
};

const owned = (call: MainCall, mailbox: string): Mailbox => {
  const box = call.box;
  if (!box || mailboxName(box) !== mailbox) throw new Error(`voicemail-main: not logged into ${mailbox}`);
  return box;
};

const mwi = async (call: MainCall, address: MailboxAddress): Promise<MwiCounts | undefined> => {
  try {
    return await publishMwi(call.scope.client, call.services.store, address, rest(call));
  } catch (error) {
    call.scope.logger.warn('voicemail-main: MWI update failed', { callId: call.scope.callId, error });
    emit(call, { type: 'mailbox.error', callId: call.scope.callId, error, during: 'mwi' });
    return undefined;
  }
};

const menuMessage = (call: MainCall, m: VoicemailMessage): MenuMessage => ({
  id: m.id,
  folder: m.folder,
  urgent: m.urgent,
  recordingName: m.recordingName,
  envelope: envelopeMedia(m, { now: call.services.now(), timeZone: call.services.timeZone }),
});

const message = async (call: MainCall, box: Mailbox, id: string): Promise<VoicemailMessage> => {
  const found = await call.services.store.get(box, id);
  if (!found) throw new Error(`voicemail-main: message ${id} is gone from ${mailboxName(box)}`);
  return found;
};

/** The menu's invoked actors for one call. */
const mainActors = {
  async answerChannel(call: MainCall): Promise<void> {
    await call.scope.client.channels.answer({ channelId: call.scope.callId }, rest(call));
  },

  async playMedia(call: MainCall, { playbackId, media }: MainPlayInput): Promise<void> {
    call.scope.route('playback', playbackId);
    const request = call.scope.client.channels.playWithId(
      { channelId: call.scope.callId, playbackId, media: [...media] },
      rest(call),
    );
    call.asked.set(playbackId, request);
    try {
      await request;
    } finally {
      call.asked.delete(playbackId);
    }
  },

  async authenticate(call: MainCall, input: { mailbox: string; pin: string }): Promise<AuthResult> {
    const { directory, settings, store } = call.services;
    const failed = (): AuthResult => {
      emit(call, { type: 'mailbox.loginFailed', callId: call.scope.callId, mailbox: input.mailbox.slice(0, 100) });
      return { status: 'wrong' };
    };
    let address: MailboxAddress;
    try {
      address = parseMailboxAddress(input.mailbox, call.defaultContext);
    } catch {
      return failed();
    }
    const box = await directory.get(address);
    // An unknown mailbox costs the same scrypt as a known one: the time taken tells nothing.
    const hash = box ? (await settings.get(box)).pinHash : undefined;
    const ok = await verifyPin(input.pin, hash ?? UNUSABLE_HASH);
    if (!box || !hash || !ok) return failed();
    call.box = box;
    const counts = await store.count(box);
    emit(call, {
      type: 'mailbox.login',
      callId: call.scope.callId,
      mailbox: { mailbox: box.mailbox, context: box.context },
    });
    return {
      status: 'ok',
      mailbox: mailboxName(box),
      newMessages: counts.INBOX + counts.Urgent,
      oldMessages: counts.Old,
      hasTemporaryGreeting: box.greetings.temporary !== undefined,
      greetingLimits: { maxSeconds: call.services.maxGreetingSeconds, maxSilenceSeconds: box.limits.maxSilenceSeconds },
    };
  },

  async openFolder(
    call: MainCall,
    { mailbox, folder }: { mailbox: string; folder: MenuFolder },
  ): Promise<MenuMessage[]> {
    const box = owned(call, mailbox);
    const { store } = call.services;
    const messages =
      folder === 'INBOX'
        ? [...(await store.list(box, 'Urgent')), ...(await store.list(box, 'INBOX'))]
        : await store.list(box, folder);
    return messages.map((m) => menuMessage(call, m));
  },

  async markHeard(call: MainCall, { mailbox, id }: MessageRef): Promise<MenuMessage> {
    const box = owned(call, mailbox);
    const moved = await call.services.store.move(box, id, 'Old');
    emit(call, { type: 'mailbox.heard', callId: call.scope.callId, message: moved, mwi: await mwi(call, box) });
    return menuMessage(call, moved);
  },

  async deleteMessage(call: MainCall, { mailbox, id }: MessageRef): Promise<void> {
    const box = owned(call, mailbox);
    const { store, trash } = call.services;
    let deleted: VoicemailMessage;
    if (trash) {
      deleted = await trash.deleteFrom(store, box, id, call.services.now());
    } else {
      deleted = await message(call, box, id);
      await store.delete(box, id);
      await tolerant(() =>
        call.scope.client.recordings.deleteStored({ recordingName: deleted.recordingName }, rest(call)),
      );
    }
    emit(call, { type: 'mailbox.deleted', callId: call.scope.callId, message: deleted, mwi: await mwi(call, box) });
  },

  async moveMessage(call: MainCall, { mailbox, id, folder }: MessageRef & { folder: MenuFolder }): Promise<void> {
    const box = owned(call, mailbox);
    const moved = await call.services.store.move(box, id, folder);
    emit(call, { type: 'mailbox.moved', callId: call.scope.callId, message: moved, mwi: await mwi(call, box) });
  },

  async setUrgent(call: MainCall, { mailbox, id, urgent }: MessageRef & { urgent: boolean }): Promise<MenuMessage> {
    const box = owned(call, mailbox);
    const { store } = call.services;
    if (!store.update) throw new Error('voicemail-main: this MessageStore cannot change a message (no update)');
    let changed = await store.update(box, id, { urgent });
    // Urgent new messages live in Urgent (as app_voicemail keeps them); heard ones stay where they are.
    if (urgent && changed.folder === 'INBOX') changed = await store.move(box, id, 'Urgent');
    if (!urgent && changed.folder === 'Urgent') changed = await store.move(box, id, 'INBOX');
    emit(call, { type: 'mailbox.urgency', callId: call.scope.callId, message: changed, mwi: await mwi(call, box) });
    return menuMessage(call, changed);
  },

  async forwardMessage(call: MainCall, input: MessageRef & { digits: string }): Promise<ForwardResult> {
    const box = owned(call, input.mailbox);
    const { directory, store } = call.services;
    const { client } = call.scope;
    let digits: string;
    try {
      digits = validateDigits(input.digits);
    } catch {
      return { status: 'unknown' };
    }
    const target = await directory.get({ mailbox: digits, context: box.context });
    if (!target || (target.mailbox === box.mailbox && target.context === box.context)) return { status: 'unknown' };
    const counts = await store.count(target);
    if (counts.INBOX + counts.Urgent + counts.Old >= target.limits.maxMessages) return { status: 'full' };
    const original = await message(call, box, input.id);
    call.forwards += 1;
    const id = `${call.tag}-f${call.forwards}`;
    const destination = `${recordingPrefix(target)}${id}`;
    const copy = await client.recordings.copyStored(
      { recordingName: original.recordingName, destinationRecordingName: destination },
      rest(call),
    );
    const forwarded: VoicemailMessage = {
      id,
      mailbox: target.mailbox,
      context: target.context,
      folder: original.urgent ? 'Urgent' : 'INBOX',
      callerId: original.callerId,
      receivedAt: call.services.now().toISOString(),
      durationSeconds: original.durationSeconds,
      urgent: original.urgent,
      recordingName: destination,
      format: copy.format || original.format,
    };
    try {
      await store.save(forwarded, { maxMessages: target.limits.maxMessages });
    } catch (error) {
      await tolerant(() => client.recordings.deleteStored({ recordingName: destination }, rest(call)));
      if (error instanceof MailboxFullError) return { status: 'full' };
      throw error;
    }
    emit(call, {
      type: 'mailbox.forwarded',
      callId: call.scope.callId,
      from: original,
      message: forwarded,
      mwi: await mwi(call, target),
    });
    return { status: 'forwarded', to: mailboxName(target) };
  },

  async startRecording(
    call: MainCall,
    input: { recordingName: string; maxDurationSeconds: number; maxSilenceSeconds: number },
  ): Promise<void> {
    const box = call.box;
    if (!box || !input.recordingName.startsWith(recordingPrefix(box)) || input.recordingName.includes('..')) {
      throw new Error(`voicemail-main: ${input.recordingName} is not a recording of the mailbox logged into`);
    }
    call.scope.route('recording', input.recordingName);
    // As on the deposit side: Asterisk drops a stop sent while a recording's own beep plays, so the beep is a
    // playback of ours, the recording queued after it, and stop and cancel wait for its RecordingStarted.
    gateOf(call.purger, input.recordingName);
    await call.scope.client.channels.playWithId(
      { channelId: call.scope.callId, playbackId: beepId(input.recordingName), media: ['sound:beep'] },
      rest(call),
    );
    await call.scope.client.channels.record(
      {
        channelId: call.scope.callId,
        name: input.recordingName,
        format: call.services.format,
        beep: false,
        ifExists: 'fail',
        maxDurationSeconds: input.maxDurationSeconds,
        maxSilenceSeconds: input.maxSilenceSeconds,
        terminateOn: 'none',
      },
      rest(call),
    );
  },

  async purgeRecording(call: MainCall, input: { recordingName: string }): Promise<void> {
    await voicemailActors.purgeRecording(call.purger, input);
  },

  async acceptGreeting(
    call: MainCall,
    { mailbox, kind, recordingName }: { mailbox: string; kind: MainGreetingKind; recordingName: string },
  ): Promise<void> {
    const box = owned(call, mailbox);
    const { client } = call.scope;
    // A greeting must never point at audio that does not exist.
    await client.recordings.getStored({ recordingName }, rest(call));
    const before = (await call.services.settings.get(box)).greetings?.[kind];
    await call.services.settings.update(box, { greetings: { [kind]: recordingName } });
    if (before && before !== recordingName) {
      await tolerant(() => client.recordings.deleteStored({ recordingName: before }, rest(call)));
    }
    emit(call, { type: 'mailbox.greeting', callId: call.scope.callId, mailbox: address(box), kind, recordingName });
  },

  async removeGreeting(call: MainCall, { mailbox, kind }: { mailbox: string; kind: MainGreetingKind }): Promise<void> {
    const box = owned(call, mailbox);
    const before = (await call.services.settings.get(box)).greetings?.[kind] ?? box.greetings[kind as 'temporary'];
    await call.services.settings.update(box, { greetings: { [kind]: null } });
    if (before) {
      await tolerant(() => call.scope.client.recordings.deleteStored({ recordingName: before }, rest(call)));
    }
    emit(call, {
      type: 'mailbox.greeting',
      callId: call.scope.callId,
      mailbox: address(box),
      kind,
      recordingName: null,
    });
  },

  async changePin(call: MainCall, { mailbox, pin }: { mailbox: string; pin: string }): Promise<ChangePinResult> {
    const box = owned(call, mailbox);
    try {
      validatePin(pin, call.services.minPinLength);
    } catch {
      return { status: 'invalid' };
    }
    await call.services.settings.update(box, { pinHash: await hashPin(pin) });
    emit(call, { type: 'mailbox.pinChanged', callId: call.scope.callId, mailbox: address(box) });
    return { status: 'changed' };
  },

  async finishCall(call: MainCall): Promise<void> {
    const { client, callId } = call.scope;
    emit(call, { type: 'mailbox.finished', callId, mailbox: call.box ? address(call.box) : null });
    if (call.services.finish === 'hangup') {
      await tolerant(() => client.channels.hangup({ channelId: callId, reason: 'normal' }, rest(call)));
      return;
    }
    await tolerant(() => client.channels.continueInDialplan({ channelId: callId }, rest(call)));
  },
};

const address = (box: Mailbox): MailboxAddress => ({ mailbox: box.mailbox, context: box.context });

/** A hash no PIN matches, checked for unknown mailboxes so that they take as long as known ones. */
const UNUSABLE_HASH = `scrypt$16384$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/**
 * The call factory of the mailbox menu, for `createStasisApp({ createCall })`: `Stasis(vm-main)` asks for the
 * mailbox, `Stasis(vm-main,305)` or `305@sales` only for its PIN. Never throws for a caller's input.
 * @throws AriOptionsError when an option is invalid.
 */
export function createVoicemailMainCalls(options: VoicemailMainCallsOptions): CallFactory {
  checkOptions('createVoicemailMainCalls', options, validate);
  const defaultContext = options.defaultContext ?? 'default';
  const now = options.now ?? (() => new Date());
  const services: MainServices = {
    directory: options.directory,
    store: options.store,
    settings: options.settings,
    trash: options.trash,
    format: options.format ?? 'wav',
    finish: options.finish ?? 'continue',
    minPinLength: options.minPinLength ?? 4,
    maxGreetingSeconds: options.maxGreetingSeconds ?? 60,
    timeZone: options.timeZone,
    now,
    emit: options.onEvent ?? (() => {}),
  };
  const calls = new WeakMap<CallScope, MainCall>();
  const callOf = (system: unknown): MainCall => {
    const call = calls.get(callScopeOf(system));
    if (call === undefined)
      throw new Error('voicemail-main: this actor is not a call of this createVoicemailMainCalls');
    return call;
  };
  type Actors = typeof mainActors;
  const actor = <K extends keyof Actors>(name: K) =>
    fromCallPromise(({ input, system }: { input: unknown; system: unknown }) =>
      (mainActors[name] as (call: MainCall, input: unknown) => Promise<unknown>)(callOf(system), input),
    );
  const failed = (call: MainCall, during: string) => (error: unknown) => {
    call.scope.logger.warn('voicemail-main: operation failed', { callId: call.scope.callId, during, error });
    emit(call, { type: 'mailbox.error', callId: call.scope.callId, error, during });
  };
  const background = (call: MainCall, during: string, work: () => Promise<unknown>) => {
    void tolerant(work).catch(failed(call, during));
  };
  /** A control of a take, sent once Asterisk really records it (see TakeGate). */
  const held = (call: MainCall, during: string, recordingName: string, work: () => Promise<unknown>) =>
    heldControl(call.purger, recordingName, work, failed(call, during));
  const machine = voicemailMainMachine.provide({
    actors: Object.fromEntries((Object.keys(mainActors) as Array<keyof Actors>).map((n) => [n, actor(n)])) as never,
    actions: {
      stopPlayback: ({ system }, { playbackId }) => {
        const call = callOf(system);
        if (!playbackId) return;
        // A key can come while the play request is still on its way: a stop sent then meets no playback (404)
        // and the prompt would still play, after whatever comes next. So it waits for the request's answer.
        const asked = call.asked.get(playbackId);
        background(call, 'stopPlayback', async () => {
          if (asked) await asked.catch(() => {});
          return call.scope.client.playbacks.stop({ playbackId }, rest(call));
        });
      },
      stopRecording: ({ system }, { recordingName }) => {
        const call = callOf(system);
        if (recordingName)
          held(call, 'stopRecording', recordingName, () =>
            call.scope.client.recordings.stop({ recordingName }, rest(call)),
          );
      },
      cancelRecording: ({ system }, { recordingName }) => {
        const call = callOf(system);
        if (recordingName)
          held(call, 'cancelRecording', recordingName, () =>
            call.scope.client.recordings.cancel({ recordingName }, rest(call)),
          );
      },
      releaseHeld: ({ system }, { recordingName }) => {
        // Only this call's takes have gates; another recording's name opens nothing.
        callOf(system).purger.takes.get(recordingName)?.open();
      },
      reportError: ({ system }, { error, during }) => {
        const call = callOf(system);
        call.scope.logger.warn('voicemail-main: operation failed', { callId: call.scope.callId, during, error });
        emit(call, { type: 'mailbox.error', callId: call.scope.callId, error, during });
      },
    },
  });

  return (start, scope) => {
    let mailbox: string | null = null;
    const first = start.args[0];
    if (typeof first === 'string' && first.length > 0) {
      try {
        mailbox = mailboxName(parseMailboxAddress(first, defaultContext));
      } catch (error) {
        // A malformed argument is not a login: the owner is asked for the mailbox instead.
        scope.logger.warn('voicemail-main: malformed mailbox argument; asking for it', { callId: scope.callId, error });
      }
    }
    const tag = callTag(now(), scope.callId);
    const purger = voicemailCall(
      {
        directory: services.directory,
        store: services.store,
        format: services.format,
        finish: 'hangup',
        now,
        emit: () => {},
      },
      scope,
      { name: '', number: '' },
      false,
    );
    calls.set(scope, {
      services,
      scope,
      box: undefined,
      options: undefined,
      forwards: 0,
      tag,
      defaultContext,
      purger,
      asked: new Map(),
    });
    const input: VoicemailMainInput = {
      callId: scope.callId,
      tag,
      mailbox,
      maxLogins: options.maxLogins,
      keys: options.keys,
      prompts: options.prompts,
      timeouts: options.timeouts,
    };
    return { machine, input };
  };
}
