/** The real implementations of the record-call machine's actors: ARI requests, mp3 encoding and the upload spool. */
import type { Readable } from 'node:stream';
import { fromCallback, fromPromise } from 'xstate';
import {
  type PauseMode,
  type RecordCallEvent,
  recordCallMachine,
  type StartRecordingInput,
  type StoredFile,
  type StoreRecordingInput,
} from '../../machines/record-call.js';
import { isAriError } from '../ari/errors.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import type { AriResources } from '../ari/operations.js';
import type { RouteKind } from '../runtime/types.js';
import { type Mp3Options, wavToMp3 } from './mp3.js';
import type { UploadEvent, Uploader } from './upload.js';
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
  /** Required when the input has a `url`. */
  readonly uploader?: Uploader;
  /** Where kept recordings are described. Default: an in-memory store. */
  readonly store?: RecordingStore;
  readonly mp3?: Mp3Options;
  /**
   * Keep the stored recording on Asterisk once its bytes are safe in the upload spool. Default false: Asterisk's
   * disk is not the archive.
   */
  readonly keepOnAsterisk?: boolean;
}

const ignore404 = (error: unknown): void => {
  if (!isAriError(error, 404)) throw error;
};

/** The record-call machine with its actors implemented against ARI. */
export function provideRecordCall(deps: RecorderDeps) {
  const logger = deps.logger ?? silentLogger;
  const store = deps.store ?? createMemoryRecordingStore();
  const { client } = deps;
  return recordCallMachine.provide({
    actors: {
      startRecording: fromPromise<void, StartRecordingInput>(async ({ input, signal }) => {
        deps.route('recording', input.recordingName);
        const common = {
          name: input.recordingName,
          // Asterisk cannot record mp3 (422): it records wav, and mp3 is encoded when the file is stored.
          format: 'wav',
          // A backstop one second after the machine's own limit, in case this process stalls.
          maxDurationSeconds: input.timeLimitSeconds + 1,
          ifExists: 'fail' as const,
        };
        if (input.target.kind === 'channel') {
          await client.channels.record({ channelId: input.target.id, ...common }, { signal });
        } else {
          deps.route('bridge', input.target.id);
          await client.bridges.record({ bridgeId: input.target.id, ...common }, { signal });
        }
      }),
      stopRecording: fromPromise<void, { recordingName: string }>(async ({ input }) => {
        await client.recordings.stop({ recordingName: input.recordingName }).catch(ignore404);
      }),
      pauseRecording: fromPromise<void, { recordingName: string; mode: PauseMode }>(async ({ input }) => {
        const params = { recordingName: input.recordingName };
        await (input.mode === 'skip' ? client.recordings.pause(params) : client.recordings.mute(params));
      }),
      resumeRecording: fromPromise<void, { recordingName: string; mode: PauseMode }>(async ({ input }) => {
        const params = { recordingName: input.recordingName };
        await (input.mode === 'skip' ? client.recordings.unpause(params) : client.recordings.unmute(params));
      }),
      storeRecording: fromPromise<StoredFile, StoreRecordingInput>(async ({ input }) => {
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
          await store.save(record);
          return { bytes: record.bytes, durationSeconds: record.durationSeconds, contentType: 'audio/wav' };
        }
        if (!deps.uploader) throw new Error('record_call has a url but no uploader is configured');
        const mp3 = input.format === 'mp3';
        const contentType = mp3 ? 'audio/mpeg' : 'audio/wav';
        const entry = await deps.uploader.add(mp3 ? wavToMp3(measure.source, deps.mp3) : measure.source, {
          url: input.uploadUrl,
          contentType,
          metadata: {
            callId: input.callId,
            recordingName: input.recordingName,
            fileName: input.fileName,
            ...input.metadata,
          },
        });
        // The bytes are durable in the spool: Asterisk's copy is no longer the only one.
        if (!deps.keepOnAsterisk) {
          await client.recordings.deleteStored({ recordingName: input.recordingName }).catch((error: unknown) => {
            logger.warn('could not delete the stored recording after spooling it', {
              recordingName: input.recordingName,
              error,
            });
          });
        }
        return { spoolId: entry.id, bytes: entry.bytes, durationSeconds: measure.durationSeconds(), contentType };
      }),
      uploadRecording: fromCallback<RecordCallEvent, { spoolId: string; uploadUrl: string }>(({ input, sendBack }) => {
        const uploader = deps.uploader;
        if (!uploader) {
          sendBack({ type: 'upload.rejected', reason: 'no uploader is configured' });
          return;
        }
        const forward = (event: UploadEvent): void => {
          if (event.type === 'attempt' && event.attempt > 1)
            sendBack({ type: 'upload.attempt', attempt: event.attempt });
          if (event.type === 'retrying') {
            sendBack({ type: 'upload.retrying', attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
          }
        };
        const unsubscribe = uploader.subscribe((event) => {
          if (event.id === input.spoolId) forward(event);
        });
        // The delivery began in storeRecording: a first attempt that failed fast is already over, so catch up.
        const latest = uploader.progress(input.spoolId);
        if (latest) forward(latest);
        let live = true;
        void uploader.delivery(input.spoolId).then((outcome) => {
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
      }),
      discardRecording: fromPromise<void, { recordingName: string }>(async ({ input }) => {
        await client.recordings.deleteStored({ recordingName: input.recordingName }).catch(ignore404);
      }),
    },
  });
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
