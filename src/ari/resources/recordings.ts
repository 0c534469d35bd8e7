// `client.recordings`: the generated operations of ARI's `recordings` resource, with the one result that is not
// JSON typed by hand: the stored file comes as a stream.

import type { CallOptions, RecordingsApi, RecordingsGetStoredFileParams } from '../operations.js';
import type { AriFileStream } from '../transport/http.js';

/** `client.recordings`: ARI's `recordings` resource. */
export interface RecordingsResource extends RecordingsApi {
  /**
   * Downloads a stored recording: its bytes as a stream, with the `contentType` (e.g. `audio/wav`) and
   * `contentLength` Asterisk sent. Read it or destroy it: an unread stream holds a connection. While reading,
   * `timeoutMs` bounds the time without data (not the whole download).
   *
   * `GET /ari/recordings/stored/{recordingName}/file`
   * @throws AriHttpError 403: Asterisk cannot open the file.
   * @throws AriHttpError 404: no stored recording has this name.
   */
  getStoredFile(params: RecordingsGetStoredFileParams, options?: CallOptions): Promise<AriFileStream>;
}
