import type {
  CopyMessageInput,
  CopyResult,
  FinishCallInput,
  MessageInput,
  PlayMediaInput,
  PreparedCall,
  StartRecordingInput,
} from '../../machines/voicemail.js';
import { isAriError } from '../ari/errors.js';
import type { CallerID } from '../ari/models.js';
import type { CallOptions } from '../ari/operations.js';
import type { CallScope } from '../runtime/types.js';
import type { DiscardReason, VoicemailLibraryEvent } from './events.js';
import { type MailboxAddress, parseMailboxAddress, recordingPrefix, validateDigits } from './ids.js';
import { hasJournal, type JournaledStore, type TakeChange } from './journal.js';
import { chooseGreeting, type GreetingKind, type Mailbox, type MailboxDirectory } from './mailbox.js';
import { type MwiCounts, publishMwi } from './mwi.js';
import { MailboxFullError, type MessageStore, type VoicemailMessage } from './store.js';

/** What every call of one voicemail application shares: where mailboxes and messages are, and how calls end. */
export interface VoicemailServices {
  readonly directory: MailboxDirectory;
  readonly store: MessageStore;
  /** Recording format. */
  readonly format: string;
  /** After voicemail: back to the dialplan, or hang up. */
  readonly finish: 'continue' | 'hangup';
  readonly now: () => Date;
  readonly emit: (event: VoicemailLibraryEvent) => void;
}

/** What the implementations of one call need besides the runtime's scope. */
export interface VoicemailDeps extends VoicemailServices {
  readonly scope: CallScope;
  /** The caller, from the channel of the StasisStart. */
  readonly callerId: CallerID;
  /** Play `sound:vm-intro` ("leave your message after the tone") after the greeting. */
  readonly instructions: boolean;
}

/**
 * One call's own state, next to the services it shares with every other call. The implementations below are
 * plain functions of it, so a machine provided once can serve every call (it finds this through its actor system).
 */
export interface VoicemailCall {
  readonly services: VoicemailServices;
  readonly scope: CallScope;
  readonly callerId: CallerID;
  readonly instructions: boolean;
  /** The caller's mailbox, once `lookUpMailbox` found it. */
  mailbox: Mailbox | undefined;
  noticeSeq: number;
  /** The REST options of every request (`scope.signal`), made on the first request. */
  options: CallOptions | undefined;
  /** The takes of this call whose stop, cancel and pause wait for their RecordingStarted (see {@link TakeGate}). */
  takes: Map<string, TakeGate>;
  /** Set when `finishCall` began (it forgets the call's journal entry itself). */
  finishing?: boolean;
}

/**
 * One take's controls, held until Asterisk really records it. On Asterisk 22 a stop, cancel or pause sent while a
 * recording's own beep plays is answered 204 and lost (the beep's playback eats the control frame, and the
 * recording's state already says stopped, so a second stop is refused with 409): the take then runs to its time
 * limit, the caller hears nothing, and a discarded take stays stored. A stop sent while the recording waits behind
 * a playback is lost too. So the library sounds the beep itself, as a playback queued before the recording (which
 * then starts when the beep has ended, with its RecordingStarted), and sends each control only once that
 * RecordingStarted has arrived, one after another in the order the caller pressed the keys.
 */
export interface TakeGate {
  started: boolean;
  /** Controls in order: each runs once the take started and the one before it was answered. */
  chain: Promise<unknown>;
  open: () => void;
}

/** The state of a call that starts now. */
export function voicemailCall(
  services: VoicemailServices,
  scope: CallScope,
  callerId: CallerID,
  instructions: boolean,
): VoicemailCall {
  return {
    services,
    scope,
    callerId,
    instructions,
    mailbox: undefined,
    noticeSeq: 0,
    options: undefined,
    takes: new Map(),
  };
}

const PURGE_ATTEMPTS = 3;

/** Runs a REST call whose 404 (resource or channel already gone) or 409 (channel left Stasis) is a normal outcome. */
export async function tolerant(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (isAriError(error, 404) || isAriError(error, 409)) return false;
    throw error;
  }
}

/** The greeting media: the owner's recording, else "the person at extension 305 is unavailable". */
export function greetingMedia(box: Mailbox, kind: GreetingKind, instructions: boolean): string[] {
  const recorded = chooseGreeting(box, kind);
  const media = recorded
    ? [`recording:${recorded}`]
    : [
        'sound:vm-theperson',
        ...(/^[0-9]+$/.test(box.mailbox) ? [`digits:${box.mailbox}`] : []),
        kind === 'busy' ? 'sound:vm-isonphone' : 'sound:vm-isunavail',
      ];
  return instructions ? [...media, 'sound:vm-intro'] : media;
}

/** The gate of a take, made when the take is asked for (or by an early control). */
export const gateOf = (call: Pick<VoicemailCall, 'scope' | 'takes'>, recordingName: string): TakeGate => {
  let gate = call.takes.get(recordingName);
  if (gate) return gate;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const made: TakeGate = {
    started: false,
    chain: opened,
    open: () => {
      made.started = true;
      open();
    },
  };
  // Nothing waits past the call: its end (the signal) drops the held controls, as the channel is gone anyway.
  call.scope.signal.addEventListener('abort', () => call.takes.clear(), { once: true });
  call.takes.set(recordingName, made);
  gate = made;
  return gate;
};

/**
 * Runs a control of a live take once the take really records, after the controls sent before it; a 404 or 409
 * answer is not a failure, any other goes to `failed`. Nothing runs once the call has ended.
 */
export const heldControl = (
  call: Pick<VoicemailCall, 'scope' | 'takes'>,
  recordingName: string,
  work: () => Promise<unknown>,
  failed: (error: unknown) => void,
): void => {
  const gate = gateOf(call, recordingName);
  const run = gate.chain.then(() => (call.scope.signal.aborted ? undefined : tolerant(work)));
  gate.chain = run.catch(() => {});
  run.catch(failed);
};

const control = (call: VoicemailCall, during: string, recordingName: string, work: () => Promise<unknown>): void =>
  heldControl(call, recordingName, work, (error) => report(call, during, error));

/** A playback id from a recording name (`voicemail/default/305/x-1` gives `voicemail-default-305-x-1-beep`). */
export const beepId = (recordingName: string): string => `${recordingName.replace(/[^0-9A-Za-z_.-]/g, '-')}-beep`;

/** A call's REST options (its signal), made once per call: the deposit's and the menu's calls alike. */
export const rest = (call: {
  options: CallOptions | undefined;
  readonly scope: { readonly signal: AbortSignal };
}): CallOptions => {
  if (call.options === undefined) call.options = { signal: call.scope.signal };
  return call.options;
};

const emit = (call: VoicemailCall, event: VoicemailLibraryEvent): void => {
  try {
    call.services.emit(event);
  } catch (error) {
    call.scope.logger.error('voicemail onEvent listener threw', { callId: call.scope.callId, error });
  }
};

const report = (call: VoicemailCall, during: string, error: unknown): void => {
  const { callId, logger } = call.scope;
  logger.warn('voicemail: operation failed', { callId, during, error });
  emit(call, { type: 'voicemail.error', callId, error, during });
};

// Fire-and-forget side effects: their failure must not stop the call, only be known.
const background = (call: VoicemailCall, during: string, work: () => Promise<unknown>): void => {
  void tolerant(work).catch((error) => report(call, during, error));
};

const owned = (call: VoicemailCall): Mailbox => {
  if (!call.mailbox) throw new Error('voicemail: the mailbox was not prepared');
  return call.mailbox;
};

const mwi = async (call: VoicemailCall, address: MailboxAddress): Promise<MwiCounts | undefined> => {
  try {
    return await publishMwi(call.scope.client, call.services.store, address, rest(call));
  } catch (error) {
    report(call, 'mwi', error);
    return undefined;
  }
};

/** The store's journal, when it keeps one (a store without it works as before, without recovery after a crash). */
const journalOf = (call: VoicemailCall): JournaledStore | undefined =>
  hasJournal(call.services.store) ? call.services.store : undefined;

/** Changes a take's intent in the journal; a failure is reported (the take goes on, the call must not stop). */
const journalChange = async (call: VoicemailCall, recordingName: string, change: TakeChange): Promise<void> => {
  const journal = journalOf(call);
  if (!journal) return;
  try {
    await journal.updateTake(recordingName, change);
  } catch (error) {
    report(call, 'journal', error);
  }
};

const message = (call: VoicemailCall, box: Mailbox, input: MessageInput, format: string): VoicemailMessage => ({
  id: input.messageId,
  mailbox: box.mailbox,
  context: box.context,
  folder: input.urgent ? 'Urgent' : 'INBOX',
  callerId: { number: call.callerId.number ?? '', name: call.callerId.name ?? '' },
  receivedAt: call.services.now().toISOString(),
  durationSeconds: input.durationSeconds,
  urgent: input.urgent,
  recordingName: input.recordingName,
  format,
});

/**
 * The voicemail machine's invoked actors for a call, as plain async functions of its state: every REST call passes
 * `scope.signal`, and playbacks and recordings are routed before they are created.
 */
export const voicemailActors = {
  async answerChannel(call: VoicemailCall): Promise<void> {
    await call.scope.client.channels.answer({ channelId: call.scope.callId }, rest(call));
  },

  async lookUpMailbox(
    call: VoicemailCall,
    { mailbox: spec, greetingKind }: { mailbox: string; greetingKind: GreetingKind },
  ): Promise<PreparedCall> {
    const { directory, store } = call.services;
    const box = await directory.get(parseMailboxAddress(spec));
    if (!box) return { status: 'unknown' };
    const counts = await store.count(box);
    if (counts.INBOX + counts.Urgent + counts.Old >= box.limits.maxMessages) return { status: 'full' };
    call.mailbox = box;
    return {
      status: 'ready',
      greeting: greetingMedia(box, greetingKind, call.instructions),
      recordingPrefix: recordingPrefix(box),
      limits: box.limits,
    };
  },

  async playMedia(call: VoicemailCall, { playbackId, media }: PlayMediaInput): Promise<void> {
    const { scope } = call;
    scope.route('playback', playbackId);
    await scope.client.channels.playWithId({ channelId: scope.callId, playbackId, media: [...media] }, rest(call));
  },

  async startRecording(call: VoicemailCall, input: StartRecordingInput): Promise<void> {
    const { scope } = call;
    const box = call.mailbox;
    // Written down before Asterisk is asked: whatever dies next, the take is known and will be kept or purged.
    if (box)
      await journalOf(call)?.putTake({
        recordingName: input.recordingName,
        messageId: input.recordingName.slice(recordingPrefix(box).length),
        callId: scope.callId,
        mailbox: box.mailbox,
        context: box.context,
        intent: 'recording',
        urgent: false,
        durationSeconds: null,
        callerId: { number: call.callerId.number ?? '', name: call.callerId.name ?? '' },
        format: call.services.format,
        startedAt: call.services.now().toISOString(),
      });
    scope.route('recording', input.recordingName);
    gateOf(call, input.recordingName);
    // The beep is ours (see TakeGate): Asterisk runs the recording after it, so RecordingStarted means "recording".
    await scope.client.channels.playWithId(
      { channelId: scope.callId, playbackId: beepId(input.recordingName), media: ['sound:beep'] },
      rest(call),
    );
    await scope.client.channels.record(
      {
        channelId: scope.callId,
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

  async purgeRecording(call: VoicemailCall, { recordingName }: { recordingName: string }): Promise<void> {
    const { client, callId, logger } = call.scope;
    const options = rest(call);
    await journalChange(call, recordingName, { intent: 'discard' });
    // A cancel's answer proves nothing (it can leave the file, or the take still live): look, stop, delete, look again.
    for (let attempt = 0; attempt < PURGE_ATTEMPTS; attempt++) {
      if (await tolerant(() => client.recordings.getLive({ recordingName }, options))) {
        // Whatever the cancel answers (a 500 included), the take is looked at again and stopped if still live.
        await tolerant(() => client.recordings.cancel({ recordingName }, options)).catch((error) =>
          logger.debug('voicemail: cancel refused while purging', { callId, recordingName, error }),
        );
        if (await tolerant(() => client.recordings.getLive({ recordingName }, options))) {
          await tolerant(() => client.recordings.stop({ recordingName }, options));
        }
      }
      if (!(await tolerant(() => client.recordings.getStored({ recordingName }, options)))) {
        await journalOf(call)?.forgetTake(recordingName);
        return;
      }
      await tolerant(() => client.recordings.deleteStored({ recordingName }, options));
    }
    if (await tolerant(() => client.recordings.getStored({ recordingName }, options))) {
      throw new Error(
        `voicemail: the discarded take ${recordingName} is still stored after ${PURGE_ATTEMPTS} deletions`,
      );
    }
  },

  async saveMessage(call: VoicemailCall, input: MessageInput): Promise<void> {
    const box = owned(call);
    const journal = journalOf(call);
    // The caller's decision is durable first: from here a crash still ends in this message.
    await journalChange(call, input.recordingName, {
      intent: 'keep',
      urgent: input.urgent,
      durationSeconds: input.durationSeconds,
    });
    // The store must never point at audio that does not exist.
    const stored = await call.scope.client.recordings.getStored({ recordingName: input.recordingName }, rest(call));
    const saved = message(call, box, input, stored.format || call.services.format);
    if (journal) {
      // Idempotent: a save retried (or made by recovery first) never makes two messages.
      await journal.saveOnce(saved);
      // The call has its message: a process that dies before the call is sent on leaves it to the next one to send
      // on (never to take it as a new call and record again).
      await journal.putCall({
        callId: call.scope.callId,
        status: 'SUCCESS',
        extension: null,
        hangup: call.services.finish === 'hangup',
      });
      forgetCallWhenGone(call);
      await journal.forgetTake(input.recordingName);
    } else await call.services.store.save(saved);
    emit(call, { type: 'voicemail.saved', callId: call.scope.callId, message: saved, mwi: await mwi(call, box) });
  },

  async copyMessage(call: VoicemailCall, input: CopyMessageInput): Promise<CopyResult> {
    const { client, callId } = call.scope;
    const { directory, store } = call.services;
    const box = owned(call);
    let digits: string;
    try {
      digits = validateDigits(input.digits);
    } catch {
      // What the caller typed is not a mailbox number: told as an unknown mailbox, like a number nobody has.
      return { status: 'unknown' };
    }
    // A directory that fails is an error of this copy (reported, the caller hears copyFailed), not an unknown box.
    const target: Mailbox | undefined = await directory.get({ mailbox: digits, context: box.context });
    if (!target || (target.mailbox === box.mailbox && target.context === box.context)) return { status: 'unknown' };
    const counts = await store.count(target);
    if (counts.INBOX + counts.Urgent + counts.Old >= target.limits.maxMessages) return { status: 'full' };
    const destination = `${recordingPrefix(target)}${input.messageId}`;
    const copy = await client.recordings.copyStored(
      { recordingName: input.recordingName, destinationRecordingName: destination },
      rest(call),
    );
    const saved = message(call, target, { ...input, recordingName: destination }, copy.format || call.services.format);
    try {
      await store.save(saved, { maxMessages: target.limits.maxMessages });
    } catch (error) {
      // Nothing may survive that the store does not know about.
      await tolerant(() => client.recordings.deleteStored({ recordingName: destination }, rest(call)));
      if (error instanceof MailboxFullError) return { status: 'full' };
      throw error;
    }
    emit(call, { type: 'voicemail.copied', callId, from: box, message: saved, mwi: await mwi(call, target) });
    return { status: 'copied', to: `${target.mailbox}@${target.context}` };
  },

  async finishCall(call: VoicemailCall, { status, exit }: FinishCallInput): Promise<void> {
    const { callId } = call.scope;
    call.finishing = true;
    emit(call, { type: 'voicemail.finished', callId, status, exit });
    const hangup = call.services.finish === 'hangup' && exit === null;
    const extension = exit === 'operator' ? 'o' : exit === 'exit' ? 'a' : null;
    const journal = journalOf(call);
    // Written down first: if this process dies now, the next one still sends the channel on.
    try {
      await journal?.putCall({ callId, status, extension, hangup });
    } catch (error) {
      report(call, 'journal', error);
    }
    await sendOn(call, { status, extension, hangup });
    await journal?.forgetCall(callId).catch((error: unknown) => report(call, 'journal', error));
  },
};

/**
 * A call that hung up after its message was saved never reaches `finishCall`: its journal entry is forgotten once
 * its actor has ended and its channel is gone (a call stopped with its channel still in Stasis keeps it, for the
 * next process to send on).
 */
function forgetCallWhenGone(call: VoicemailCall): void {
  const journal = journalOf(call);
  if (!journal) return;
  const { callId } = call.scope;
  call.scope.signal.addEventListener(
    'abort',
    () => {
      if (call.finishing) return;
      void (async () => {
        try {
          await call.scope.client.channels.get({ channelId: callId });
        } catch (error) {
          if (isAriError(error, 404)) await journal.forgetCall(callId);
        }
      })().catch((error: unknown) => report(call, 'journal', error));
    },
    { once: true },
  );
}

/**
 * Sets VMSTATUS and sends the channel back to the dialplan (or hangs it up). The channel leaves Stasis whatever
 * fails here (the policy already retried each request): a VMSTATUS that cannot be set is reported and the call
 * still goes on; a dialplan that cannot be reached is a hang-up.
 */
export async function sendOn(
  call: Pick<VoicemailCall, 'scope' | 'services' | 'options'>,
  { status, extension, hangup }: { status: string; extension: string | null; hangup: boolean },
): Promise<void> {
  const { client, callId } = call.scope;
  const options = rest(call as VoicemailCall);
  let present = true;
  try {
    present = await tolerant(() =>
      client.channels.setChannelVar({ channelId: callId, variable: 'VMSTATUS', value: status }, options),
    );
  } catch (error) {
    report(call as VoicemailCall, 'setChannelVar', error);
  }
  if (!present) return;
  if (hangup) {
    await tolerant(() => client.channels.hangup({ channelId: callId, reason: 'normal' }, options));
    return;
  }
  try {
    await tolerant(() =>
      client.channels.continueInDialplan(
        extension ? { channelId: callId, extension, priority: 1 } : { channelId: callId },
        options,
      ),
    );
  } catch (error) {
    report(call as VoicemailCall, 'continueInDialplan', error);
    await tolerant(() => client.channels.hangup({ channelId: callId, reason: 'normal' }, options));
  }
}

/** The voicemail machine's side-effect actions for a call: fire-and-forget, failures reported as `voicemail.error`. */
export const voicemailActions = {
  stopPlayback(call: VoicemailCall, playbackId: string | null): void {
    if (playbackId)
      background(call, 'stopPlayback', () => call.scope.client.playbacks.stop({ playbackId }, rest(call)));
  },
  stopRecording(call: VoicemailCall, recordingName: string | null): void {
    if (recordingName)
      control(call, 'stopRecording', recordingName, () =>
        call.scope.client.recordings.stop({ recordingName }, rest(call)),
      );
  },
  cancelRecording(call: VoicemailCall, recordingName: string | null): void {
    if (!recordingName) return;
    // The discard is durable before Asterisk hears of it (even when the call has already ended and the gate skips
    // the cancel): a crash now never turns this take into a message.
    const durable = journalChange(call, recordingName, { intent: 'discard' });
    control(call, 'cancelRecording', recordingName, async () => {
      await durable;
      return call.scope.client.recordings.cancel({ recordingName }, rest(call));
    });
  },
  pauseRecording(call: VoicemailCall, recordingName: string | null): void {
    if (recordingName)
      control(call, 'pauseRecording', recordingName, () =>
        call.scope.client.recordings.pause({ recordingName }, rest(call)),
      );
  },
  unpauseRecording(call: VoicemailCall, recordingName: string | null): void {
    if (recordingName)
      control(call, 'unpauseRecording', recordingName, () =>
        call.scope.client.recordings.unpause({ recordingName }, rest(call)),
      );
  },
  releaseHeld(call: VoicemailCall, recordingName: string): void {
    // Only takes of this call have gates; an unknown name (another app's recording) opens nothing.
    call.takes.get(recordingName)?.open();
  },
  playNotice(call: VoicemailCall, media: readonly string[]): void {
    if (media.length === 0) return;
    const { client, callId } = call.scope;
    call.noticeSeq += 1;
    const playbackId = `${callId}-notice-${call.noticeSeq}`.replace(/[^0-9A-Za-z_.-]/g, '-');
    background(call, 'playNotice', () =>
      client.channels.playWithId({ channelId: callId, playbackId, media: [...media] }, rest(call)),
    );
  },
  reportDiscarded(call: VoicemailCall, recordingName: string | null, reason: DiscardReason): void {
    if (!recordingName) return;
    const box = owned(call);
    emit(call, {
      type: 'voicemail.discarded',
      callId: call.scope.callId,
      mailbox: { mailbox: box.mailbox, context: box.context },
      recordingName,
      reason,
    });
  },
  reportError(call: VoicemailCall, error: unknown): void {
    report(call, 'call', error);
  },
};

type Bound<T> = {
  [K in keyof T]: T[K] extends (call: VoicemailCall, ...args: infer A) => infer R ? (...args: A) => R : never;
};

function bind<T extends Record<string, (call: VoicemailCall, ...args: never[]) => unknown>>(
  call: VoicemailCall,
  table: T,
): Bound<T> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(table)) bound[name] = (...args: never[]) => fn(call, ...args);
  return bound as Bound<T>;
}

/**
 * The real actions and actors of the voicemail machine for one call, over the runtime's scope, bound to that call
 * (for running or testing one call on its own; `createVoicemailCalls` shares one set among all calls instead).
 */
export function voicemailImplementations(deps: VoicemailDeps) {
  const call = voicemailCall(deps, deps.scope, deps.callerId, deps.instructions);
  return { actors: bind(call, voicemailActors), actions: bind(call, voicemailActions) };
}
