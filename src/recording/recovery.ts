/**
 * The recorder's recovery: at start and after every gap of the event stream, the recordings its journal holds that
 * no live actor of this process owns are finished against what Asterisk has now. A recording still going on a
 * channel that is still in the app is left to the call's new actor, which takes it up; any other is stopped, and
 * whatever Asterisk stored is spooled for upload (or kept, or deleted, as the call's settings said), once.
 */
import { isAriError } from '../ari/errors.js';
import type { Logger } from '../ari/logger.js';
import type { AriResources } from '../ari/operations.js';
import { stasisArgs } from '../runtime/app.js';
import { oneAtATime } from '../runtime/one-at-a-time.js';
import type { RecoveryContext } from '../runtime/types.js';
import type { RecorderJournal, RecorderTake } from './journal.js';
import { type RecorderServices, storeRecording } from './recorder.js';

/** What one recovery of the recorder did (recording names). */
export interface RecorderRecoveryReport {
  /** Found stopped (or stopped now) on Asterisk and moved into the upload spool. */
  readonly spooled: string[];
  /** Kept on Asterisk and described in the recording store (no url). */
  readonly kept: string[];
  /** Deleted (no url, `keep: false`). */
  readonly deleted: string[];
  /** Still recording a channel that is in the app: its new actor takes it up. */
  readonly resumed: string[];
  /** Nothing of them was left on Asterisk (their file was already safe). */
  readonly vanished: string[];
  /** Could not be settled now (Asterisk or the spool failed): kept in the journal for the next recovery. */
  readonly failed: string[];
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Stops a live recording and waits (a little) until Asterisk has stored it. */
async function stopLive(client: AriResources, recordingName: string): Promise<void> {
  for (let look = 0; look < 20; look++) {
    try {
      await client.recordings.getLive({ recordingName });
    } catch (error) {
      if (isAriError(error, 404)) return;
      throw error;
    }
    try {
      await client.recordings.stop({ recordingName });
    } catch (error) {
      if (!isAriError(error, 404) && !isAriError(error, 409)) throw error;
    }
    await pause(Math.min(20 * 2 ** look, 500));
  }
}

async function isLive(client: AriResources, recordingName: string): Promise<boolean> {
  try {
    await client.recordings.getLive({ recordingName });
    return true;
  } catch (error) {
    if (isAriError(error, 404)) return false;
    throw error;
  }
}

async function isStored(client: AriResources, recordingName: string): Promise<boolean> {
  try {
    await client.recordings.getStored({ recordingName });
    return true;
  } catch (error) {
    if (isAriError(error, 404)) return false;
    throw error;
  }
}

/** How one journal entry was settled. */
type Outcome = 'spooled' | 'kept' | 'deleted' | 'vanished';

async function settle(
  client: AriResources,
  services: RecorderServices,
  journal: RecorderJournal,
  take: RecorderTake,
  logger: Logger,
  channelAlive: boolean,
): Promise<Outcome> {
  await stopLive(client, take.recordingName);
  let outcome: Outcome;
  if (!(await isStored(client, take.recordingName))) outcome = 'vanished';
  else if (!take.uploadUrl && !take.keep) {
    await client.recordings.deleteStored({ recordingName: take.recordingName }).catch((error: unknown) => {
      if (!isAriError(error, 404)) throw error;
    });
    outcome = 'deleted';
  } else {
    await storeRecording(
      { scope: { client, route: () => {}, logger }, services },
      {
        callId: take.callId,
        recordingName: take.recordingName,
        format: take.format,
        fileName: take.fileName,
        keep: take.keep,
        metadata: take.metadata,
        ...(take.uploadUrl ? { uploadUrl: take.uploadUrl } : {}),
      },
      { credentialed: take.credentialed === true },
    );
    outcome = take.uploadUrl ? 'spooled' : 'kept';
  }
  // A call still on the line whose recording is over is never recorded again by a later adoption.
  if (channelAlive) await journal.markDone(take.callId);
  await journal.forgetTake(take.recordingName);
  return outcome;
}

/** The recovery of one recorder factory: recoveries never overlap; `finished` calls are left alone when adopted. */
export interface RecorderRecovery {
  recover(context: RecoveryContext): Promise<RecorderRecoveryReport>;
  /** Whether a call's recording is over (its channel stays in the app): the factory does not record it again. */
  finished(callId: string): boolean;
}

export function createRecorderRecovery(services: RecorderServices, journal: RecorderJournal): RecorderRecovery {
  const finished = new Set<string>();

  async function once(context: RecoveryContext): Promise<RecorderRecoveryReport> {
    const { client, logger, activeCalls, app } = context;
    const report: RecorderRecoveryReport = {
      spooled: [],
      kept: [],
      deleted: [],
      resumed: [],
      vanished: [],
      failed: [],
    };
    const alive = new Set(context.channels.map((c) => c.id));
    const inApp = new Set(context.channels.filter((c) => stasisArgs(c, app) !== undefined).map((c) => c.id));
    for (const done of await journal.doneCalls()) {
      if (alive.has(done.callId)) finished.add(done.callId);
      else {
        finished.delete(done.callId);
        await journal.forgetDone(done.callId);
      }
    }
    for (const take of await journal.takes()) {
      if (take.app !== app || activeCalls.has(take.callId)) continue;
      try {
        if (inApp.has(take.callId) && !finished.has(take.callId) && (await isLive(client, take.recordingName))) {
          services.resumable.add(take.recordingName);
          report.resumed.push(take.recordingName);
          continue;
        }
        const outcome = await settle(client, services, journal, take, logger, alive.has(take.callId));
        if (alive.has(take.callId)) finished.add(take.callId);
        report[outcome].push(take.recordingName);
        logger.info('recorder recovery: recording settled', { recordingName: take.recordingName, outcome });
      } catch (error) {
        report.failed.push(take.recordingName);
        logger.warn('recorder recovery: a recording could not be settled (kept for the next recovery)', {
          recordingName: take.recordingName,
          error,
        });
      }
    }
    return report;
  }

  return {
    recover: oneAtATime(once),
    finished: (callId) => finished.has(callId),
  };
}
