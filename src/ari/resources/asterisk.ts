import type { AsteriskApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  getObject: operation('asterisk', 'getObject'),
  updateObject: operation('asterisk', 'updateObject'),
  deleteObject: operation('asterisk', 'deleteObject'),
  getInfo: operation('asterisk', 'getInfo'),
  ping: operation('asterisk', 'ping'),
  listModules: operation('asterisk', 'listModules'),
  getModule: operation('asterisk', 'getModule'),
  loadModule: operation('asterisk', 'loadModule'),
  unloadModule: operation('asterisk', 'unloadModule'),
  reloadModule: operation('asterisk', 'reloadModule'),
  listLogChannels: operation('asterisk', 'listLogChannels'),
  addLog: operation('asterisk', 'addLog'),
  deleteLog: operation('asterisk', 'deleteLog'),
  rotateLog: operation('asterisk', 'rotateLog'),
  getGlobalVar: operation('asterisk', 'getGlobalVar'),
  setGlobalVar: operation('asterisk', 'setGlobalVar'),
};

/** `client.asterisk`: every operation of ARI's `asterisk` resource, sent through `http`. */
export function createAsteriskApi(http: HttpTransport): AsteriskApi {
  return {
    getObject: (params, options) => http.call(op.getObject, params, options),
    updateObject: (params, options) => http.call(op.updateObject, params, options),
    deleteObject: (params, options) => http.call(op.deleteObject, params, options),
    getInfo: (params, options) => http.call(op.getInfo, params, options),
    ping: (params, options) => http.call(op.ping, params, options),
    listModules: (params, options) => http.call(op.listModules, params, options),
    getModule: (params, options) => http.call(op.getModule, params, options),
    loadModule: (params, options) => http.call(op.loadModule, params, options),
    unloadModule: (params, options) => http.call(op.unloadModule, params, options),
    reloadModule: (params, options) => http.call(op.reloadModule, params, options),
    listLogChannels: (params, options) => http.call(op.listLogChannels, params, options),
    addLog: (params, options) => http.call(op.addLog, params, options),
    deleteLog: (params, options) => http.call(op.deleteLog, params, options),
    rotateLog: (params, options) => http.call(op.rotateLog, params, options),
    getGlobalVar: (params, options) => http.call(op.getGlobalVar, params, options),
    setGlobalVar: (params, options) => http.call(op.setGlobalVar, params, options),
  };
}
