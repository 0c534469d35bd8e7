import type { BridgesApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  list: operation('bridges', 'list'),
  create: operation('bridges', 'create'),
  createWithId: operation('bridges', 'createWithId'),
  get: operation('bridges', 'get'),
  destroy: operation('bridges', 'destroy'),
  getBridgeVar: operation('bridges', 'getBridgeVar'),
  setBridgeVar: operation('bridges', 'setBridgeVar'),
  getBridgeVars: operation('bridges', 'getBridgeVars'),
  setBridgeVars: operation('bridges', 'setBridgeVars'),
  addChannel: operation('bridges', 'addChannel'),
  removeChannel: operation('bridges', 'removeChannel'),
  setVideoSource: operation('bridges', 'setVideoSource'),
  clearVideoSource: operation('bridges', 'clearVideoSource'),
  startMoh: operation('bridges', 'startMoh'),
  stopMoh: operation('bridges', 'stopMoh'),
  play: operation('bridges', 'play'),
  playWithId: operation('bridges', 'playWithId'),
  record: operation('bridges', 'record'),
};

/** `client.bridges`: every operation of ARI's `bridges` resource, sent through `http`. */
export function createBridgesApi(http: HttpTransport): BridgesApi {
  return {
    list: (params, options) => http.call(op.list, params, options),
    create: (params, options) => http.call(op.create, params, options),
    createWithId: (params, options) => http.call(op.createWithId, params, options),
    get: (params, options) => http.call(op.get, params, options),
    destroy: (params, options) => http.call(op.destroy, params, options),
    getBridgeVar: (params, options) => http.call(op.getBridgeVar, params, options),
    setBridgeVar: (params, options) => http.call(op.setBridgeVar, params, options),
    getBridgeVars: (params, options) => http.call(op.getBridgeVars, params, options),
    setBridgeVars: (params, options) => http.call(op.setBridgeVars, params, options),
    addChannel: (params, options) => http.call(op.addChannel, params, options),
    removeChannel: (params, options) => http.call(op.removeChannel, params, options),
    setVideoSource: (params, options) => http.call(op.setVideoSource, params, options),
    clearVideoSource: (params, options) => http.call(op.clearVideoSource, params, options),
    startMoh: (params, options) => http.call(op.startMoh, params, options),
    stopMoh: (params, options) => http.call(op.stopMoh, params, options),
    play: (params, options) => http.call(op.play, params, options),
    playWithId: (params, options) => http.call(op.playWithId, params, options),
    record: (params, options) => http.call(op.record, params, options),
  };
}
