/** The real implementations of the record-call machine's actors: ARI requests, mp3 encoding and the upload spool. */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fromCallback, fromPromise } from 'xstate';
import {
  type PauseMode,
  type RecordCallContext,
  type RecordCallEvent,
  recordCallMachine,
  type StartRecordingInput,
  type StartRecordingOutput,
  type StoredFile,
  type StoreRecordingInput,
  withoutCredentials,
} from '../../machines/record-call.js';
import { isAriError } from '../ari/errors.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import type { AriResources } from '../ari/operations.js';
import { callScopeOf } from '../runtime/app.js';
import type { CallScope, RouteKind } from '../runtime/types.js';
import { RecorderJournal, type RecorderTake } from './journal.js';
import { type Mp3Options, wavToMp3 } from './mp3.js';
import { type RecordingUploads, type UploadEvent, Uploader } from './upload.js';
import { readWavHeader } from './wav.js';

/** A recording kept on Asterisk (no `url`), as written to a {@link RecordingStore}. */
export interface KeptRecording {
  readonly callId: string;
  /** The stored recording's name on Asterisk (`GET /recordings/stored/{name}/file`). */
  readonly recordingName: string;
  readonly format: 'wav';
  readonly bytes: number;
  readonly durationSeconds: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly storedAt: string;
}

/** Where the metadata of kept recordings goes (a database table, say). */
export interface RecordingStore {
  save(record: KeptRecording): Promise<void>;
}

/** An in-memory {@link RecordingStore} (the default): `records` lists what was kept. */
export function createMemoryRecordingStore(): RecordingStore & { readonly records: KeptRecording[] } {
  const records: KeptRecording[] = [];
  return {
    records,
    async save(record) {
      records.push(record);
    },
  };
}

/** What the recorder's implementation needs: a call scope's client and routes, and the process-wide services. */
export interface RecorderDeps {
  readonly client: AriResources;
  /** Routes the recording's events to this actor before the request that starts it. */
  readonly route: (kind: RouteKind, id: string) => void;
  readonly logger?: Logger;
  /**
   * Required when the input has a `url`: the spool's `Uploader`, or in a cluster `PostgresUploadQueue`
   * (`ari-voicemail/postgres`), whose jobs any instance delivers.
   */
  readonly uploader?: RecordingUploads;
  /** Where kept recordings are described. Default: an in-memory store. */
  readonly store?: RecordingStore;
  readonly mp3?: Mp3Options;
  /**
   * Keep the stored recording on Asterisk once its bytes are safe in the upload spool. Default false: Asterisk's
   * disk is not the archive.
   */
  readonly keepOnAsterisk?: boolean;
  /**
   * Where every recording is written down before it starts, so that a restart after a crash finds the recordings
   * left on Asterisk and still delivers them. Default: `journal/` in the uploader's spool (none without a spool's
   * `Uploader`); `false` for none.
   */
  readonly journal?: RecorderJournal | false;
}

/** What the recorder shares among the calls it serves (the process-wide part of {@link RecorderDeps}). */
export interface RecorderServices {
  readonly uploader: RecordingUploads | undefined;
  readonly store: RecordingStore;
  readonly mp3: Mp3Options | undefined;
  readonly keepOnAsterisk: boolean;
  readonly journal: RecorderJournal | undefined;
  /** Recordings a restart found live on a channel still in the app: its new actor takes them up (a 409 is ours). */
  readonly resumable: Set<string>;
}

/** The part of a call's scope the recorder uses. */
type RecorderScope = Pick<CallScope, 'client' | 'route' | 'logger'> & { readonly app?: string };

/** One recorded call: its scope, the services it shares with the others, and its settings (for the journal). */
interface RecorderCall {
  readonly scope: RecorderScope;
  readonly services: RecorderServices;
  readonly settings?: RecordCallContext;
}

/** The services of {@link RecorderDeps}, defaults filled (a store in memory when none is given). */
export function recorderServices(deps: Omit<RecorderDeps, 'client' | 'route' | 'logger'>): RecorderServices {
  return {
    uploader: deps.uploader,
    store: deps.store ?? createMemoryRecordingStore(),
    mp3: deps.mp3,
    keepOnAsterisk: deps.keepOnAsterisk ?? false,
    journal:
      deps.journal === false
        ? undefined
        : (deps.journal ??
          (deps.uploader instanceof Uploader
            ? new RecorderJournal(join(deps.uploader.spool.dir, 'journal'))
            : undefined)),
    resumable: new Set(),
  };
}

const ignore404 = (error: unknown): void => {
  if (!isAriError(error, 404)) throw error;
};

/** The record-call machine with its actors implemented against ARI, for one set of dependencies. */
export function provideRecordCall(deps: RecorderDeps) {
  const call: RecorderCall = {
    scope: { client: deps.client, route: deps.route, logger: deps.logger ?? silentLogger },
    services: recorderServices(deps),
  };
  return provideRecorder(() => call);
}

const recorderCalls = new WeakMap<CallScope, RecorderCall>();
let shared: ReturnType<typeof provideRecorder> | undefined;

/**
 * The record-call machine provided once for every call of the process: its actors find the call's scope through
 * their actor system (`callScopeOf`), and the services through {@link recordWith}.
 */
export function sharedRecorderMachine() {
  if (shared === undefined) {
    shared = provideRecorder((system) => {
      const call = recorderCalls.get(callScopeOf(system));
      if (call === undefined) throw new Error('recorder: this call was not given its services (recordWith)');
      return call;
    });
  }
  return shared;
}

/** Gives the call of `scope` the services the {@link sharedRecorderMachine} uses for it. */
export function recordWith(scope: CallScope, services: RecorderServices, settings?: RecordCallContext): void {
  recorderCalls.set(scope, { scope, services, ...(settings ? { settings } : {}) });
}

/** The journal entry of a call's recording, from its settings (the upload url without its credentials). */
export function takeOf(app: string, settings: RecordCallContext, now = new Date()): RecorderTake {
  const url = settings.uploadUrl;
  const bare = url === undefined ? undefined : withoutCredentials(url);
  return {
    app,
    recordingName: settings.recordingName,
    callId: settings.callId,
    target: settings.target,
    format: settings.format,
    fileName: settings.fileName,
    ...(bare !== undefined ? { uploadUrl: bare } : {}),
    ...(bare !== undefined && bare !== url ? { credentialed: true } : {}),
    keep: settings.keep,
    metadata: settings.metadata,
    startedAt: now.toISOString(),
  };
}

/**
 * The recording is over and its file safe: its take is forgotten. A call whose channel stays on (a time limit, a
 * stop command) is first marked done, so that a restart does not record it again.
 */
async function settled(call: RecorderCall, recordingName: string): Promise<void> {
  const { journal } = call.services;
  if (!journal || !call.settings) return;
  const { callId } = call.settings;
  try {
    let stays = true;
    try {
      await call.scope.client.channels.get({ channelId: callId });
    } catch (error) {
      if (!isAriError(error, 404)) throw error;
      stays = false;
    }
    if (stays) await journal.markDone(callId);
    await journal.forgetTake(recordingName);
  } catch (error) {
    call.scope.logger.warn('recorder: the journal could not be updated', { recordingName, error });
  }
}

function provideRecorder(callOf: (system: unknown) => RecorderCall) {
  return recordCallMachine.provide({
    actors: {
      startRecording: fromPromise<StartRecordingOutput, StartRecordingInput>(async ({ input, signal, system }) => {
        const call = callOf(system);
        const { client, route } = call.scope;
        const { journal, resumable } = call.services;
        // Written down before the request: a crash from here on leaves an entry the next run settles.
        if (journal && call.settings) await journal.putTake(takeOf(call.scope.app ?? '', call.settings));
        route('recording', input.recordingName);
        const common = {
          name: input.recordingName,
          // Asterisk cannot record mp3 (422): it records wav, and mp3 is encoded when the file is stored.
          format: 'wav',
          // A backstop one second after the machine's own limit, in case this process stalls.
          maxDurationSeconds: input.timeLimitSeconds + 1,
          ifExists: 'fail' as const,
        };
        let live: { state?: string } | undefined;
        try {
          if (input.target.kind === 'channel') {
            live = await client.channels.record({ channelId: input.target.id, ...common }, { signal });
          } else {
            route('bridge', input.target.id);
            live = await client.bridges.record({ bridgeId: input.target.id, ...common }, { signal });
          }
        } catch (error) {
          // A call taken up after a crash: its recording, started by the run that died, is still going. Ours.
          if (!isAriError(error, 409) || !resumable.has(input.recordingName)) throw error;
          live = await client.recordings.getLive({ recordingName: input.recordingName }, { signal });
          if ((live as { target_uri?: string }).target_uri !== `${input.target.kind}:${input.target.id}`) throw error;
          resumable.delete(input.recordingName);
          call.scope.logger.info('recorder: took up a recording an earlier run started', {
            recordingName: input.recordingName,
          });
        }
        return { queued: live?.state === 'queued' };
      }),
      stopRecording: fromPromise<void, { recordingName: string }>(async ({ input, system }) => {
        const { client } = callOf(system).scope;
        await client.recordings.stop({ recordingName: input.recordingName }).catch(ignore404);
      }),
      pauseRecording: fromPromise<void, { recordingName: string; mode: PauseMode }>(async ({ input, system }) => {
        const { client } = callOf(system).scope;
        const params = { recordingName: input.recordingName };
        await (input.mode === 'skip' ? client.recordings.pause(params) : client.recordings.mute(params));
      }),
      resumeRecording: fromPromise<void, { recordingName: string; mode: PauseMode }>(async ({ input, system }) => {
        const { client } = callOf(system).scope;
        const params = { recordingName: input.recordingName };
        await (input.mode === 'skip' ? client.recordings.unpause(params) : client.recordings.unmute(params));
      }),
      storeRecording: fromPromise<StoredFile, StoreRecordingInput>(async ({ input, system }) => {
        const call = callOf(system);
        const file = await storeRecording(call, input);
        // Discarded recordings are forgotten once deleted (discardRecording).
        if (input.uploadUrl || input.keep) await settled(call, input.recordingName);
        return file;
      }),
      uploadRecording: fromCallback<RecordCallEvent, { spoolId: string; uploadUrl: string }>(
        ({ input, sendBack, system }) => followUpload(callOf(system).services.uploader, input.spoolId, sendBack),
      ),
      discardRecording: fromPromise<void, { recordingName: string }>(async ({ input, system }) => {
        const call = callOf(system);
        await call.scope.client.recordings.deleteStored({ recordingName: input.recordingName }).catch(ignore404);
        await settled(call, input.recordingName);
      }),
    },
  });
}

/**
 * Moves a finished recording where it goes: into the upload spool (then deleted from Asterisk unless
 * `keepOnAsterisk`), or described in the recording store when kept. `credentialed`: the url lost its credentials on
 * the way (a recording recovered from the journal) and is sent with those the uploader knows for its origin.
 */
export async function storeRecording(
  { scope, services }: Pick<RecorderCall, 'scope' | 'services'>,
  input: StoreRecordingInput,
  options: { credentialed?: boolean } = {},
): Promise<StoredFile> {
  const { client, logger } = scope;
  if (!input.uploadUrl && !input.keep) return { bytes: 0, durationSeconds: 0, contentType: 'audio/wav' };
  const file = await client.recordings.getStoredFile({ recordingName: input.recordingName });
  const measure = measureWav(file);
  if (!input.uploadUrl) {
    for await (const _ of measure.source);
    const record: KeptRecording = {
      callId: input.callId,
      recordingName: input.recordingName,
      format: 'wav',
      bytes: measure.bytes(),
      durationSeconds: measure.durationSeconds(),
      metadata: input.metadata,
      storedAt: new Date().toISOString(),
    };
    await services.store.save(record);
    return { bytes: record.bytes, durationSeconds: record.durationSeconds, contentType: 'audio/wav' };
  }
  if (!services.uploader) throw new Error('record_call has a url but no uploader is configured');
  const mp3 = input.format === 'mp3';
  const contentType = mp3 ? 'audio/mpeg' : 'audio/wav';
  const entry = await services.uploader.add(mp3 ? wavToMp3(measure.source, services.mp3) : measure.source, {
    url: input.uploadUrl,
    contentType,
    ...(options.credentialed ? { credentialed: true } : {}),
    metadata: {
      callId: input.callId,
      recordingName: input.recordingName,
      fileName: input.fileName,
      ...input.metadata,
    },
  });
  // The bytes are durable in the spool (or the job's row): Asterisk's copy is no longer the only one.
  if (!services.keepOnAsterisk) {
    await client.recordings.deleteStored({ recordingName: input.recordingName }).catch((error: unknown) => {
      logger.warn('could not delete the stored recording after spooling it', {
        recordingName: input.recordingName,
        error,
      });
    });
  }
  return { spoolId: entry.id, bytes: entry.bytes, durationSeconds: measure.durationSeconds(), contentType };
}

function followUpload(
  uploader: RecordingUploads | undefined,
  spoolId: string,
  sendBack: (event: RecordCallEvent) => void,
): (() => void) | undefined {
  if (!uploader) {
    sendBack({ type: 'upload.rejected', reason: 'no uploader is configured' });
    return undefined;
  }
  const forward = (event: UploadEvent): void => {
    if (event.type === 'attempt' && event.attempt > 1) sendBack({ type: 'upload.attempt', attempt: event.attempt });
    if (event.type === 'retrying') {
      sendBack({ type: 'upload.retrying', attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
    }
  };
  const unsubscribe = uploader.subscribe((event) => {
    if (event.id === spoolId) forward(event);
  });
  // The delivery began in storeRecording: a first attempt that failed fast is already over, so catch up.
  const latest = uploader.progress(spoolId);
  if (latest) forward(latest);
  let live = true;
  void uploader.delivery(spoolId).then((outcome) => {
    if (!live) return;
    if (outcome.accepted) sendBack({ type: 'upload.accepted', status: outcome.status });
    else
      sendBack({
        type: 'upload.rejected',
        reason: outcome.reason,
        ...(outcome.status ? { status: outcome.status } : {}),
      });
  });
  // Stopping the actor only stops listening: the uploader keeps the file and its retries.
  return () => {
    live = false;
    unsubscribe();
  };
}

/** Passes a WAV stream through, counting bytes and reading its header on the way. */
function measureWav(file: Readable) {
  let head = new Uint8Array(0);
  let total = 0;
  async function* source(): AsyncGenerator<Uint8Array> {
    for await (const chunk of file as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (head.length < 4096) {
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        head = joined;
      }
      yield chunk;
    }
  }
  return {
    source: source(),
    bytes: () => total,
    durationSeconds: () => {
      try {
        const format = readWavHeader(head);
        if (!format) return 0;
        const data = Math.min(format.dataBytes ?? Number.POSITIVE_INFINITY, total - format.dataOffset);
        return data / (format.sampleRate * format.channels * (format.bitsPerSample / 8));
      } catch {
        return 0;
      }
    },
  };
}
