import type { ApplicationsApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  list: operation('applications', 'list'),
  get: operation('applications', 'get'),
  subscribe: operation('applications', 'subscribe'),
  unsubscribe: operation('applications', 'unsubscribe'),
  filter: operation('applications', 'filter'),
};

/** `client.applications`: every operation of ARI's `applications` resource, sent through `http`. */
export function createApplicationsApi(http: HttpTransport): ApplicationsApi {
  return {
    list: (params, options) => http.call(op.list, params, options),
    get: (params, options) => http.call(op.get, params, options),
    subscribe: (params, options) => http.call(op.subscribe, params, options),
    unsubscribe: (params, options) => http.call(op.unsubscribe, params, options),
    filter: (params, options) => http.call(op.filter, params, options),
  };
}
