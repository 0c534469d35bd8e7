import type { CallOptions, RecordingsApi, RecordingsGetStoredFileParams } from '../operations.js';
import type { AriFileStream, HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  listStored: operation('recordings', 'listStored'),
  getStored: operation('recordings', 'getStored'),
  deleteStored: operation('recordings', 'deleteStored'),
  getStoredFile: operation('recordings', 'getStoredFile'),
  copyStored: operation('recordings', 'copyStored'),
  getLive: operation('recordings', 'getLive'),
  cancel: operation('recordings', 'cancel'),
  stop: operation('recordings', 'stop'),
  pause: operation('recordings', 'pause'),
  unpause: operation('recordings', 'unpause'),
  mute: operation('recordings', 'mute'),
  unmute: operation('recordings', 'unmute'),
};

/** `client.recordings`: ARI's `recordings` resource. */
export interface RecordingsResource extends RecordingsApi {
  /**
   * Get the file associated with the stored recording: its bytes as a stream, with the `contentType` (e.g.
   * `audio/wav`) and `contentLength` Asterisk sent. Read it or destroy it: an unread stream holds a connection. While
   * reading, `timeoutMs` bounds the time without data (not the whole download).
   *
   * `GET /ari/recordings/stored/{recordingName}/file`
   * @throws AriHttpError 403: The recording file could not be opened
   * @throws AriHttpError 404: Recording not found
   */
  getStoredFile(params: RecordingsGetStoredFileParams, options?: CallOptions): Promise<AriFileStream>;
}

/** `client.recordings`: every operation of ARI's `recordings` resource, sent through `http`. */
export function createRecordingsApi(http: HttpTransport): RecordingsResource {
  return {
    listStored: (params, options) => http.call(op.listStored, params, options),
    getStored: (params, options) => http.call(op.getStored, params, options),
    deleteStored: (params, options) => http.call(op.deleteStored, params, options),
    getStoredFile: (params, options) => http.call(op.getStoredFile, params, options),
    copyStored: (params, options) => http.call(op.copyStored, params, options),
    getLive: (params, options) => http.call(op.getLive, params, options),
    cancel: (params, options) => http.call(op.cancel, params, options),
    stop: (params, options) => http.call(op.stop, params, options),
    pause: (params, options) => http.call(op.pause, params, options),
    unpause: (params, options) => http.call(op.unpause, params, options),
    mute: (params, options) => http.call(op.mute, params, options),
    unmute: (params, options) => http.call(op.unmute, params, options),
  };
}
