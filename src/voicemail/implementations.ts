import type { CopyResult, PreparedCall } from '../../machines/voicemail.js';
import { isAriError } from '../ari/errors.js';
import type { CallerID } from '../ari/models.js';
import type { CallScope } from '../runtime/types.js';
import type { DiscardReason, VoicemailLibraryEvent } from './events.js';
import { type MailboxAddress, parseMailboxAddress, recordingPrefix, validateDigits } from './ids.js';
import { chooseGreeting, type GreetingKind, type Mailbox, type MailboxDirectory } from './mailbox.js';
import { type MwiCounts, publishMwi } from './mwi.js';
import { MailboxFullError, type MessageStore, type VoicemailMessage } from './store.js';

/** What the implementations of one call need besides the runtime's scope. */
export interface VoicemailDeps {
  readonly scope: CallScope;
  readonly directory: MailboxDirectory;
  readonly store: MessageStore;
  /** The caller, from the channel of the StasisStart. */
  readonly callerId: CallerID;
  /** Recording format. */
  readonly format: string;
  /** Play `sound:vm-intro` ("leave your message after the tone") after the greeting. */
  readonly instructions: boolean;
  /** After voicemail: back to the dialplan, or hang up. */
  readonly finish: 'continue' | 'hangup';
  readonly now: () => Date;
  readonly emit: (event: VoicemailLibraryEvent) => void;
}

const PURGE_ATTEMPTS = 3;

/** Runs a REST call whose 404 (resource or channel already gone) or 409 (channel left Stasis) is a normal outcome. */
async function tolerant(work: () => Promise<unknown>): Promise<boolean> {
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

/**
 * The real actions and actors of the voicemail machine for one call, over the runtime's scope: every REST call
 * passes `scope.signal`, and playbacks and recordings are routed before they are created.
 */
export function voicemailImplementations(deps: VoicemailDeps) {
  const { scope, directory, store } = deps;
  const { client, callId, logger } = scope;
  const options = { signal: scope.signal };
  let mailbox: Mailbox | undefined;
  let noticeSeq = 0;

  const emit = (event: VoicemailLibraryEvent): void => {
    try {
      deps.emit(event);
    } catch (error) {
      logger.error('voicemail onEvent listener threw', { callId, error });
    }
  };
  const report = (during: string, error: unknown): void => {
    logger.warn('voicemail: operation failed', { callId, during, error });
    emit({ type: 'voicemail.error', callId, error, during });
  };
  // Fire-and-forget side effects: their failure must not stop the call, only be known.
  const background = (during: string, work: () => Promise<unknown>): void => {
    void tolerant(work).catch((error) => report(during, error));
  };
  const owned = (): Mailbox => {
    if (!mailbox) throw new Error('voicemail: the mailbox was not prepared');
    return mailbox;
  };
  const mwi = async (address: MailboxAddress): Promise<MwiCounts | undefined> => {
    try {
      return await publishMwi(client, store, address, options);
    } catch (error) {
      report('mwi', error);
      return undefined;
    }
  };
  const message = (
    box: Mailbox,
    input: { messageId: string; recordingName: string; durationSeconds: number | null; urgent: boolean },
    format: string,
  ): VoicemailMessage => ({
    id: input.messageId,
    mailbox: box.mailbox,
    context: box.context,
    folder: input.urgent ? 'Urgent' : 'INBOX',
    callerId: { number: deps.callerId.number ?? '', name: deps.callerId.name ?? '' },
    receivedAt: deps.now().toISOString(),
    durationSeconds: input.durationSeconds,
    urgent: input.urgent,
    recordingName: input.recordingName,
    format,
  });

  return {
    actors: {
      prepareCall: async ({
        mailbox: spec,
        greetingKind,
      }: {
        mailbox: string;
        greetingKind: GreetingKind;
      }): Promise<PreparedCall> => {
        await client.channels.answer({ channelId: callId }, options);
        const box = await directory.get(parseMailboxAddress(spec));
        if (!box) return { status: 'unknown' };
        const counts = await store.count(box);
        if (counts.INBOX + counts.Urgent + counts.Old >= box.limits.maxMessages) return { status: 'full' };
        mailbox = box;
        return {
          status: 'ready',
          greeting: greetingMedia(box, greetingKind, deps.instructions),
          recordingPrefix: recordingPrefix(box),
          limits: box.limits,
        };
      },
      playMedia: async ({ playbackId, media }: { playbackId: string; media: readonly string[] }): Promise<void> => {
        scope.route('playback', playbackId);
        await client.channels.playWithId({ channelId: callId, playbackId, media: [...media] }, options);
      },
      startRecording: async (input: {
        recordingName: string;
        maxDurationSeconds: number;
        maxSilenceSeconds: number;
      }): Promise<void> => {
        scope.route('recording', input.recordingName);
        await client.channels.record(
          {
            channelId: callId,
            name: input.recordingName,
            format: deps.format,
            beep: true,
            ifExists: 'fail',
            maxDurationSeconds: input.maxDurationSeconds,
            maxSilenceSeconds: input.maxSilenceSeconds,
            terminateOn: 'none',
          },
          options,
        );
      },
      purgeRecording: async ({ recordingName }: { recordingName: string }): Promise<void> => {
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
          if (!(await tolerant(() => client.recordings.getStored({ recordingName }, options)))) return;
          await tolerant(() => client.recordings.deleteStored({ recordingName }, options));
        }
        if (await tolerant(() => client.recordings.getStored({ recordingName }, options))) {
          throw new Error(
            `voicemail: the discarded take ${recordingName} is still stored after ${PURGE_ATTEMPTS} deletions`,
          );
        }
      },
      saveMessage: async (input: {
        messageId: string;
        recordingName: string;
        durationSeconds: number | null;
        urgent: boolean;
      }): Promise<void> => {
        const box = owned();
        // The store must never point at audio that does not exist.
        const stored = await client.recordings.getStored({ recordingName: input.recordingName }, options);
        const saved = message(box, input, stored.format || deps.format);
        await store.save(saved);
        emit({ type: 'voicemail.saved', callId, message: saved, mwi: await mwi(box) });
      },
      copyMessage: async (input: {
        messageId: string;
        recordingName: string;
        durationSeconds: number | null;
        urgent: boolean;
        digits: string;
      }): Promise<CopyResult> => {
        const box = owned();
        let target: Mailbox | undefined;
        try {
          target = await directory.get({ mailbox: validateDigits(input.digits), context: box.context });
        } catch {
          return { status: 'unknown' };
        }
        if (!target || (target.mailbox === box.mailbox && target.context === box.context)) return { status: 'unknown' };
        const counts = await store.count(target);
        if (counts.INBOX + counts.Urgent + counts.Old >= target.limits.maxMessages) return { status: 'full' };
        const destination = `${recordingPrefix(target)}${input.messageId}`;
        const copy = await client.recordings.copyStored(
          { recordingName: input.recordingName, destinationRecordingName: destination },
          options,
        );
        const saved = message(target, { ...input, recordingName: destination }, copy.format || deps.format);
        try {
          await store.save(saved, { maxMessages: target.limits.maxMessages });
        } catch (error) {
          // Nothing may survive that the store does not know about.
          await tolerant(() => client.recordings.deleteStored({ recordingName: destination }, options));
          if (error instanceof MailboxFullError) return { status: 'full' };
          throw error;
        }
        emit({ type: 'voicemail.copied', callId, from: box, message: saved, mwi: await mwi(target) });
        return { status: 'copied', to: `${target.mailbox}@${target.context}` };
      },
      finishCall: async ({
        status,
        exit,
      }: {
        status: 'SUCCESS' | 'USEREXIT' | 'FAILED';
        exit: 'operator' | 'exit' | null;
      }) => {
        emit({ type: 'voicemail.finished', callId, status, exit });
        const present = await tolerant(() =>
          client.channels.setChannelVar({ channelId: callId, variable: 'VMSTATUS', value: status }, options),
        );
        if (!present) return;
        if (deps.finish === 'hangup' && exit === null) {
          await tolerant(() => client.channels.hangup({ channelId: callId, reason: 'normal' }, options));
          return;
        }
        const extension = exit === 'operator' ? 'o' : exit === 'exit' ? 'a' : undefined;
        await tolerant(() =>
          client.channels.continueInDialplan(
            extension ? { channelId: callId, extension, priority: 1 } : { channelId: callId },
            options,
          ),
        );
      },
    },
    actions: {
      stopPlayback: (playbackId: string | null) => {
        if (playbackId) background('stopPlayback', () => client.playbacks.stop({ playbackId }, options));
      },
      stopRecording: (recordingName: string | null) => {
        if (recordingName) background('stopRecording', () => client.recordings.stop({ recordingName }, options));
      },
      cancelRecording: (recordingName: string | null) => {
        if (recordingName) background('cancelRecording', () => client.recordings.cancel({ recordingName }, options));
      },
      pauseRecording: (recordingName: string | null) => {
        if (recordingName) background('pauseRecording', () => client.recordings.pause({ recordingName }, options));
      },
      unpauseRecording: (recordingName: string | null) => {
        if (recordingName) background('unpauseRecording', () => client.recordings.unpause({ recordingName }, options));
      },
      playNotice: (media: readonly string[]) => {
        if (media.length === 0) return;
        noticeSeq += 1;
        const playbackId = `${callId}-notice-${noticeSeq}`.replace(/[^0-9A-Za-z_.-]/g, '-');
        background('playNotice', () =>
          client.channels.playWithId({ channelId: callId, playbackId, media: [...media] }, options),
        );
      },
      reportDiscarded: (recordingName: string | null, reason: DiscardReason) => {
        if (!recordingName) return;
        const box = owned();
        emit({
          type: 'voicemail.discarded',
          callId,
          mailbox: { mailbox: box.mailbox, context: box.context },
          recordingName,
          reason,
        });
      },
      reportError: (error: unknown) => report('call', error),
    },
  };
}
