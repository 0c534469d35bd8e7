import type { SoundsApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  list: operation('sounds', 'list'),
  get: operation('sounds', 'get'),
};

/** `client.sounds`: every operation of ARI's `sounds` resource, sent through `http`. */
export function createSoundsApi(http: HttpTransport): SoundsApi {
  return {
    list: (params, options) => http.call(op.list, params, options),
    get: (params, options) => http.call(op.get, params, options),
  };
}
