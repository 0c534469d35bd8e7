// Recovery of voicemail from its journal: at start and after every gap of the event stream, the takes and calls the
// journal holds that no live actor of this process owns are finished against what Asterisk has now. A take whose
// caller is gone becomes a message unless it was discarded (then it is deleted); a call still in Stasis is resumed
// by a small machine that keeps its take, tells the caller and sends the channel on; stored recordings of a mailbox
// that no message and no journal entry owns are reported.

import { isAriError } from '../ari/errors.js';
import type { Logger } from '../ari/logger.js';
import type { Channel } from '../ari/models.js';
import type { AriResources, CallOptions } from '../ari/operations.js';
import { stasisArgs } from '../runtime/app.js';
import { oneAtATime } from '../runtime/one-at-a-time.js';
import type { RecoveryContext } from '../runtime/types.js';
import type { VoicemailLibraryEvent } from './events.js';
import { mailboxName } from './ids.js';
import { type CallEntry, type JournaledStore, messageOfTake, type TakeEntry } from './journal.js';
import type { MailboxDirectory } from './mailbox.js';
import { publishMwi } from './mwi.js';

/** What one recovery did. */
export interface VoicemailRecoveryReport {
  /** Takes made messages (their recording names). */
  readonly saved: string[];
  /** Discarded takes deleted from Asterisk. */
  readonly deleted: string[];
  /** Takes that left nothing on Asterisk (forgotten). */
  readonly vanished: string[];
  /** Calls still in Stasis handed to a resuming actor. */
  readonly resumed: string[];
  /** Calls that had finished voicemail but were still in Stasis: sent on. */
  readonly sentOn: string[];
  /** Stored recordings under `voicemail/` that no message, greeting or journal entry owns (left as they are). */
  readonly orphans: string[];
}

/** How one take ended up. */
export type SettledTake = 'saved' | 'deleted' | 'vanished';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Finishes one take against Asterisk: stopped (or cancelled when discarded) if still live, then made a message
 * (idempotently) or deleted, and forgotten by the journal. Throws when Asterisk cannot be asked (the entry stays,
 * for the next recovery).
 */
export async function settleTake(
  client: AriResources,
  store: JournaledStore,
  entry: TakeEntry,
  options?: CallOptions,
): Promise<SettledTake> {
  const recordingName = entry.recordingName;
  const discard = entry.intent === 'discard';
  for (let look = 0; look < 20; look++) {
    try {
      await client.recordings.getLive({ recordingName }, options);
    } catch (error) {
      if (isAriError(error, 404)) break;
      throw error;
    }
    try {
      if (discard) await client.recordings.cancel({ recordingName }, options);
      else await client.recordings.stop({ recordingName }, options);
    } catch (error) {
      if (!isAriError(error, 404) && !isAriError(error, 409)) throw error;
    }
    await pause(Math.min(50 * 2 ** look, 500));
  }
  let format = entry.format;
  try {
    format = (await client.recordings.getStored({ recordingName }, options)).format || format;
  } catch (error) {
    if (!isAriError(error, 404)) throw error;
    await store.forgetTake(recordingName);
    return discard ? 'deleted' : 'vanished';
  }
  if (discard) {
    try {
      await client.recordings.deleteStored({ recordingName }, options);
    } catch (error) {
      if (!isAriError(error, 404)) throw error;
    }
    await store.forgetTake(recordingName);
    return 'deleted';
  }
  await store.saveOnce({ ...messageOfTake(entry), format });
  await store.forgetTake(recordingName);
  return 'saved';
}

export interface VoicemailRecoveryOptions {
  readonly store: JournaledStore;
  readonly directory: MailboxDirectory;
  readonly emit: (event: VoicemailLibraryEvent) => void;
}

/** The recovery of one voicemail application (one factory): what to resume, and the recovery itself. */
export interface VoicemailRecovery {
  /** Runs one recovery (the runtime's resync calls it); recoveries never overlap. */
  recover(context: RecoveryContext): Promise<VoicemailRecoveryReport>;
  /** Takes the journal's work for a call being adopted, if recovery found any (once). */
  claim(callId: string): { takes: TakeEntry[]; call: CallEntry | undefined } | undefined;
}

export function createVoicemailRecovery(options: VoicemailRecoveryOptions): VoicemailRecovery {
  const { store, directory } = options;
  const resumable = new Map<string, { takes: TakeEntry[]; call: CallEntry | undefined }>();

  const emit = (event: VoicemailLibraryEvent, logger: Logger): void => {
    try {
      options.emit(event);
    } catch (error) {
      logger.error('voicemail onEvent listener threw', { error });
    }
  };

  async function once(context: RecoveryContext): Promise<VoicemailRecoveryReport> {
    const { client, logger, activeCalls, app } = context;
    const report: VoicemailRecoveryReport = {
      saved: [],
      deleted: [],
      vanished: [],
      resumed: [],
      sentOn: [],
      orphans: [],
    };
    const inApp = new Map<string, Channel>();
    const argsOf = context.argsOf ?? ((channel: Channel) => stasisArgs(channel, app));
    for (const channel of context.channels) if (argsOf(channel) !== undefined) inApp.set(channel.id, channel);
    const alive = new Set(context.channels.map((c) => c.id));
    const takes = await store.takes();
    const calls = await store.calls();
    const touched = new Map<string, { mailbox: string; context: string }>();

    const byCall = new Map<string, TakeEntry[]>();
    for (const take of takes) {
      if (activeCalls.has(take.callId)) continue;
      const list = byCall.get(take.callId) ?? [];
      list.push(take);
      byCall.set(take.callId, list);
    }
    const finishing = new Map(calls.filter((c) => !activeCalls.has(c.callId)).map((c) => [c.callId, c]));

    for (const [callId, list] of byCall) {
      if (inApp.has(callId)) {
        // The caller is still on the line, in our app: an actor takes the call up again when it is adopted.
        resumable.set(callId, { takes: list, call: finishing.get(callId) });
        finishing.delete(callId);
        report.resumed.push(callId);
        continue;
      }
      for (const take of list) {
        try {
          const outcome = await settleTake(client, store, take);
          (outcome === 'saved' ? report.saved : outcome === 'deleted' ? report.deleted : report.vanished).push(
            take.recordingName,
          );
          if (outcome === 'saved') {
            touched.set(mailboxName(take), { mailbox: take.mailbox, context: take.context });
            emit({ type: 'voicemail.saved', callId, message: messageOfTake(take) }, logger);
          }
          logger.info('voicemail recovery: take settled', { callId, recordingName: take.recordingName, outcome });
        } catch (error) {
          logger.warn('voicemail recovery: a take could not be settled (kept for the next recovery)', {
            callId,
            recordingName: take.recordingName,
            error,
          });
        }
      }
    }
    for (const [callId, call] of finishing) {
      if (inApp.has(callId)) {
        resumable.set(callId, { takes: [], call });
        report.sentOn.push(callId);
      } else if (!alive.has(callId)) {
        await store.forgetCall(callId);
      }
    }
    for (const address of touched.values()) {
      try {
        await publishMwi(client, store, address);
      } catch (error) {
        logger.warn('voicemail recovery: MWI could not be published', { mailbox: mailboxName(address), error });
      }
    }
    report.orphans.push(...(await orphans(client, logger)));
    return report;
  }

  async function orphans(client: AriResources, logger: Logger): Promise<string[]> {
    let stored: { name: string }[];
    try {
      stored = await client.recordings.listStored();
    } catch (error) {
      logger.warn('voicemail recovery: stored recordings could not be listed', { error });
      return [];
    }
    const candidates = stored.filter((r) => r.name.startsWith('voicemail/'));
    if (candidates.length === 0) return [];
    // Takes first: a take saved meanwhile is forgotten only after its message exists, so it is seen in one of them.
    const takes = await store.takes();
    const owned = await store.messageRecordings();
    for (const take of takes) owned.add(take.recordingName);
    for (const box of await directory.list()) {
      for (const greeting of Object.values(box.greetings)) if (greeting) owned.add(greeting);
    }
    const found = candidates.map((r) => r.name).filter((name) => !owned.has(name));
    for (const name of found) logger.warn('voicemail recovery: a stored recording no message owns', { name });
    return found;
  }

  return {
    recover: oneAtATime(once),
    claim(callId) {
      const work = resumable.get(callId);
      resumable.delete(callId);
      return work;
    },
  };
}
