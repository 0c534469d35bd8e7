import type { DeviceStatesApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  list: operation('deviceStates', 'list'),
  get: operation('deviceStates', 'get'),
  update: operation('deviceStates', 'update'),
  delete: operation('deviceStates', 'delete'),
};

/** `client.deviceStates`: every operation of ARI's `deviceStates` resource, sent through `http`. */
export function createDeviceStatesApi(http: HttpTransport): DeviceStatesApi {
  return {
    list: (params, options) => http.call(op.list, params, options),
    get: (params, options) => http.call(op.get, params, options),
    update: (params, options) => http.call(op.update, params, options),
    delete: (params, options) => http.call(op.delete, params, options),
  };
}
