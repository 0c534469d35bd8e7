import type { EndpointsApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  list: operation('endpoints', 'list'),
  sendMessage: operation('endpoints', 'sendMessage'),
  refer: operation('endpoints', 'refer'),
  listByTech: operation('endpoints', 'listByTech'),
  get: operation('endpoints', 'get'),
  sendMessageToEndpoint: operation('endpoints', 'sendMessageToEndpoint'),
  referToEndpoint: operation('endpoints', 'referToEndpoint'),
};

/** `client.endpoints`: every operation of ARI's `endpoints` resource, sent through `http`. */
export function createEndpointsApi(http: HttpTransport): EndpointsApi {
  return {
    list: (params, options) => http.call(op.list, params, options),
    sendMessage: (params, options) => http.call(op.sendMessage, params, options),
    refer: (params, options) => http.call(op.refer, params, options),
    listByTech: (params, options) => http.call(op.listByTech, params, options),
    get: (params, options) => http.call(op.get, params, options),
    sendMessageToEndpoint: (params, options) => http.call(op.sendMessageToEndpoint, params, options),
    referToEndpoint: (params, options) => http.call(op.referToEndpoint, params, options),
  };
}
