import type { PlaybacksApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  get: operation('playbacks', 'get'),
  stop: operation('playbacks', 'stop'),
  control: operation('playbacks', 'control'),
};

/** `client.playbacks`: every operation of ARI's `playbacks` resource, sent through `http`. */
export function createPlaybacksApi(http: HttpTransport): PlaybacksApi {
  return {
    get: (params, options) => http.call(op.get, params, options),
    stop: (params, options) => http.call(op.stop, params, options),
    control: (params, options) => http.call(op.control, params, options),
  };
}
