// The 109 REST operations of Asterisk 22's ARI, as data (for the HTTP executor, the simulator's api-docs and
// the conformance test) and as types (the parameters and results of every `client.<resource>.<nickname>()`).
// Kept in step with Asterisk's api-docs by test/ari/conformance.test.ts.

import type { Readable } from 'node:stream';
import type {
  Application,
  AsteriskInfo,
  AsteriskPing,
  Bridge,
  Channel,
  ConfigTuple,
  DeviceState,
  Endpoint,
  LiveRecording,
  LogChannel,
  Mailbox,
  Module,
  Playback,
  RTPstat,
  Sound,
  StoredRecording,
  Variable,
  Variables,
} from './models.js';

/** Where a parameter goes on the wire. */
export type ParamLocation = 'path' | 'query' | 'body';

/** One parameter of an ARI operation. */
export interface OperationParam {
  readonly name: string;
  readonly in: ParamLocation;
  readonly required: boolean;
  /** Query parameters that take several values (`media`, `channel`, ...): sent as one comma-separated value. */
  readonly multiple: boolean;
  /**
   * For body parameters: `wrapped` sends `{ [name]: value }` (Swagger `containers`), `whole` sends the value as the
   * body itself (Swagger `object`, e.g. an application's event filter).
   */
  readonly body?: 'wrapped' | 'whole';
  readonly type: string;
  readonly allowed?: readonly string[];
  readonly default?: string | number | boolean;
}

/** One ARI REST operation. */
export interface OperationSpec {
  readonly resource: AriResourceName;
  readonly nickname: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path under `/ari`, with `{name}` placeholders. */
  readonly path: string;
  readonly params: readonly OperationParam[];
  /** Swagger response class: a model name, `List[Model]`, `void` or `binary`. */
  readonly response: string;
  readonly summary: string;
  readonly errors: readonly { readonly code: number; readonly reason: string }[];
  /** True for `GET /events`, which is the WebSocket upgrade and not a REST call. */
  readonly websocket?: boolean;
}

/** The eleven ARI resources, named as the api-docs files are. */
export type AriResourceName =
  | 'asterisk'
  | 'endpoints'
  | 'channels'
  | 'bridges'
  | 'recordings'
  | 'sounds'
  | 'playbacks'
  | 'deviceStates'
  | 'mailboxes'
  | 'events'
  | 'applications';

export const ARI_RESOURCES: readonly AriResourceName[] = [
  'asterisk',
  'endpoints',
  'channels',
  'bridges',
  'recordings',
  'sounds',
  'playbacks',
  'deviceStates',
  'mailboxes',
  'events',
  'applications',
];

/** Every operation of every resource, in api-docs order. */
export const ARI_OPERATIONS: readonly OperationSpec[] = [
  {
    resource: 'asterisk',
    nickname: 'getObject',
    method: 'GET',
    path: '/asterisk/config/dynamic/{configClass}/{objectType}/{id}',
    params: [
      { name: 'configClass', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'objectType', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'id', in: 'path', required: true, multiple: false, type: 'string' },
    ],
    response: 'List[ConfigTuple]',
    summary: 'Retrieve a dynamic configuration object.',
    errors: [{ code: 404, reason: '{configClass|objectType|id} not found' }],
  },
  {
    resource: 'asterisk',
    nickname: 'updateObject',
    method: 'PUT',
    path: '/asterisk/config/dynamic/{configClass}/{objectType}/{id}',
    params: [
      { name: 'configClass', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'objectType', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'id', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'fields', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'List[ConfigTuple]',
    summary: 'Create or update a dynamic configuration object.',
    errors: [
      { code: 400, reason: 'Bad request body' },
      { code: 403, reason: 'Could not create or update object' },
      { code: 404, reason: '{configClass|objectType} not found' },
    ],
  },
  {
    resource: 'asterisk',
    nickname: 'deleteObject',
    method: 'DELETE',
    path: '/asterisk/config/dynamic/{configClass}/{objectType}/{id}',
    params: [
      { name: 'configClass', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'objectType', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'id', in: 'path', required: true, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Delete a dynamic configuration object.',
    errors: [
      { code: 403, reason: 'Could not delete object' },
      { code: 404, reason: '{configClass|objectType|id} not found' },
    ],
  },
  {
    resource: 'asterisk',
    nickname: 'getInfo',
    method: 'GET',
    path: '/asterisk/info',
    params: [
      {
        name: 'only',
        in: 'query',
        required: false,
        multiple: true,
        type: 'string',
        allowed: ['build', 'system', 'config', 'status'],
      },
    ],
    response: 'AsteriskInfo',
    summary: 'Gets Asterisk system information.',
    errors: [],
  },
  {
    resource: 'asterisk',
    nickname: 'ping',
    method: 'GET',
    path: '/asterisk/ping',
    params: [],
    response: 'AsteriskPing',
    summary: 'Response pong message.',
    errors: [],
  },
  {
    resource: 'asterisk',
    nickname: 'listModules',
    method: 'GET',
    path: '/asterisk/modules',
    params: [],
    response: 'List[Module]',
    summary: 'List Asterisk modules.',
    errors: [],
  },
  {
    resource: 'asterisk',
    nickname: 'getModule',
    method: 'GET',
    path: '/asterisk/modules/{moduleName}',
    params: [{ name: 'moduleName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'Module',
    summary: 'Get Asterisk module information.',
    errors: [
      { code: 404, reason: 'Module could not be found in running modules.' },
      { code: 409, reason: 'Module information could not be retrieved.' },
    ],
  },
  {
    resource: 'asterisk',
    nickname: 'loadModule',
    method: 'POST',
    path: '/asterisk/modules/{moduleName}',
    params: [{ name: 'moduleName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Load an Asterisk module.',
    errors: [{ code: 409, reason: 'Module could not be loaded.' }],
  },
  {
    resource: 'asterisk',
    nickname: 'unloadModule',
    method: 'DELETE',
    path: '/asterisk/modules/{moduleName}',
    params: [{ name: 'moduleName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Unload an Asterisk module.',
    errors: [
      { code: 404, reason: 'Module not found in running modules.' },
      { code: 409, reason: 'Module could not be unloaded.' },
    ],
  },
  {
    resource: 'asterisk',
    nickname: 'reloadModule',
    method: 'PUT',
    path: '/asterisk/modules/{moduleName}',
    params: [{ name: 'moduleName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Reload an Asterisk module.',
    errors: [
      { code: 404, reason: 'Module not found in running modules.' },
      { code: 409, reason: 'Module could not be reloaded.' },
    ],
  },
  {
    resource: 'asterisk',
    nickname: 'listLogChannels',
    method: 'GET',
    path: '/asterisk/logging',
    params: [],
    response: 'List[LogChannel]',
    summary: 'Gets Asterisk log channel information.',
    errors: [],
  },
  {
    resource: 'asterisk',
    nickname: 'addLog',
    method: 'POST',
    path: '/asterisk/logging/{logChannelName}',
    params: [
      { name: 'logChannelName', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'configuration', in: 'query', required: true, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Adds a log channel.',
    errors: [
      { code: 400, reason: 'Bad request body' },
      { code: 409, reason: 'Log channel could not be created.' },
    ],
  },
  {
    resource: 'asterisk',
    nickname: 'deleteLog',
    method: 'DELETE',
    path: '/asterisk/logging/{logChannelName}',
    params: [{ name: 'logChannelName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Deletes a log channel.',
    errors: [{ code: 404, reason: 'Log channel does not exist.' }],
  },
  {
    resource: 'asterisk',
    nickname: 'rotateLog',
    method: 'PUT',
    path: '/asterisk/logging/{logChannelName}/rotate',
    params: [{ name: 'logChannelName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Rotates a log channel.',
    errors: [{ code: 404, reason: 'Log channel does not exist.' }],
  },
  {
    resource: 'asterisk',
    nickname: 'getGlobalVar',
    method: 'GET',
    path: '/asterisk/variable',
    params: [{ name: 'variable', in: 'query', required: true, multiple: false, type: 'string' }],
    response: 'Variable',
    summary: 'Get the value of a global variable.',
    errors: [{ code: 400, reason: 'Missing variable parameter.' }],
  },
  {
    resource: 'asterisk',
    nickname: 'setGlobalVar',
    method: 'POST',
    path: '/asterisk/variable',
    params: [
      { name: 'variable', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'value', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Set the value of a global variable.',
    errors: [{ code: 400, reason: 'Missing variable parameter.' }],
  },
  {
    resource: 'endpoints',
    nickname: 'list',
    method: 'GET',
    path: '/endpoints',
    params: [],
    response: 'List[Endpoint]',
    summary: 'List all endpoints.',
    errors: [],
  },
  {
    resource: 'endpoints',
    nickname: 'sendMessage',
    method: 'PUT',
    path: '/endpoints/sendMessage',
    params: [
      { name: 'to', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'from', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'body', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'void',
    summary: 'Send a message to some technology URI or endpoint.',
    errors: [
      { code: 400, reason: 'Invalid parameters for sending a message.' },
      { code: 404, reason: 'Endpoint not found' },
    ],
  },
  {
    resource: 'endpoints',
    nickname: 'refer',
    method: 'POST',
    path: '/endpoints/refer',
    params: [
      { name: 'to', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'from', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'refer_to', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'to_self', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'void',
    summary: 'Refer an endpoint or technology URI to some technology URI or endpoint.',
    errors: [
      { code: 400, reason: 'Invalid parameters for referring.' },
      { code: 404, reason: 'Endpoint not found' },
    ],
  },
  {
    resource: 'endpoints',
    nickname: 'listByTech',
    method: 'GET',
    path: '/endpoints/{tech}',
    params: [{ name: 'tech', in: 'path', required: false, multiple: false, type: 'string' }],
    response: 'List[Endpoint]',
    summary: 'List available endoints for a given endpoint technology.',
    errors: [{ code: 404, reason: 'Endpoints not found' }],
  },
  {
    resource: 'endpoints',
    nickname: 'get',
    method: 'GET',
    path: '/endpoints/{tech}/{resource}',
    params: [
      { name: 'tech', in: 'path', required: false, multiple: false, type: 'string' },
      { name: 'resource', in: 'path', required: false, multiple: false, type: 'string' },
    ],
    response: 'Endpoint',
    summary: 'Details for an endpoint.',
    errors: [
      { code: 400, reason: 'Invalid parameters for sending a message.' },
      { code: 404, reason: 'Endpoints not found' },
    ],
  },
  {
    resource: 'endpoints',
    nickname: 'sendMessageToEndpoint',
    method: 'PUT',
    path: '/endpoints/{tech}/{resource}/sendMessage',
    params: [
      { name: 'tech', in: 'path', required: false, multiple: false, type: 'string' },
      { name: 'resource', in: 'path', required: false, multiple: false, type: 'string' },
      { name: 'from', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'body', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'void',
    summary: 'Send a message to some endpoint in a technology.',
    errors: [
      { code: 400, reason: 'Invalid parameters for sending a message.' },
      { code: 404, reason: 'Endpoint not found' },
    ],
  },
  {
    resource: 'endpoints',
    nickname: 'referToEndpoint',
    method: 'POST',
    path: '/endpoints/{tech}/{resource}/refer',
    params: [
      { name: 'tech', in: 'path', required: false, multiple: false, type: 'string' },
      { name: 'resource', in: 'path', required: false, multiple: false, type: 'string' },
      { name: 'from', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'refer_to', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'to_self', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'void',
    summary: 'Refer an endpoint or technology URI to some technology URI or endpoint.',
    errors: [
      { code: 400, reason: 'Invalid parameters for referring.' },
      { code: 404, reason: 'Endpoint not found' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'list',
    method: 'GET',
    path: '/channels',
    params: [],
    response: 'List[Channel]',
    summary: 'List all active channels in Asterisk.',
    errors: [],
  },
  {
    resource: 'channels',
    nickname: 'originate',
    method: 'POST',
    path: '/channels',
    params: [
      { name: 'endpoint', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'extension', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'context', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'priority', in: 'query', required: false, multiple: false, type: 'long' },
      { name: 'label', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'app', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'appArgs', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'callerId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'timeout', in: 'query', required: false, multiple: false, type: 'int', default: 30 },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
      { name: 'channelId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'otherChannelId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'originator', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'formats', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'Channel',
    summary: 'Create a new channel (originate).',
    errors: [
      { code: 400, reason: 'Invalid parameters for originating a channel.' },
      { code: 409, reason: 'Channel with given unique ID already exists.' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'create',
    method: 'POST',
    path: '/channels/create',
    params: [
      { name: 'endpoint', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'app', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'appArgs', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'channelId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'otherChannelId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'originator', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'formats', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'Channel',
    summary: 'Create channel.',
    errors: [{ code: 409, reason: 'Channel with given unique ID already exists.' }],
  },
  {
    resource: 'channels',
    nickname: 'get',
    method: 'GET',
    path: '/channels/{channelId}',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'Channel',
    summary: 'Channel details.',
    errors: [{ code: 404, reason: 'Channel not found' }],
  },
  {
    resource: 'channels',
    nickname: 'originateWithId',
    method: 'POST',
    path: '/channels/{channelId}',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'endpoint', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'extension', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'context', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'priority', in: 'query', required: false, multiple: false, type: 'long' },
      { name: 'label', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'app', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'appArgs', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'callerId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'timeout', in: 'query', required: false, multiple: false, type: 'int', default: 30 },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
      { name: 'otherChannelId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'originator', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'formats', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'Channel',
    summary: 'Create a new channel (originate with id).',
    errors: [
      { code: 400, reason: 'Invalid parameters for originating a channel.' },
      { code: 409, reason: 'Channel with given unique ID already exists.' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'hangup',
    method: 'DELETE',
    path: '/channels/{channelId}',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'reason_code', in: 'query', required: false, multiple: false, type: 'string' },
      {
        name: 'reason',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: [
          'normal',
          'busy',
          'congestion',
          'no_answer',
          'timeout',
          'rejected',
          'unallocated',
          'normal_unspecified',
          'number_incomplete',
          'codec_mismatch',
          'interworking',
          'failure',
          'answered_elsewhere',
        ],
      },
    ],
    response: 'void',
    summary: 'Delete (i.e. hangup) a channel.',
    errors: [
      { code: 400, reason: 'Invalid reason for hangup provided' },
      { code: 404, reason: 'Channel not found' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'continueInDialplan',
    method: 'POST',
    path: '/channels/{channelId}/continue',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'context', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'extension', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'priority', in: 'query', required: false, multiple: false, type: 'int' },
      { name: 'label', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Exit application; continue execution in the dialplan.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'move',
    method: 'POST',
    path: '/channels/{channelId}/move',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'app', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'appArgs', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Move the channel from one Stasis application to another.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'redirect',
    method: 'POST',
    path: '/channels/{channelId}/redirect',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'endpoint', in: 'query', required: true, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Redirect the channel to a different location.',
    errors: [
      { code: 400, reason: 'Endpoint parameter not provided' },
      { code: 404, reason: 'Channel or endpoint not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 422, reason: 'Endpoint is not the same type as the channel' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'answer',
    method: 'POST',
    path: '/channels/{channelId}/answer',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Answer a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'ring',
    method: 'POST',
    path: '/channels/{channelId}/ring',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Indicate ringing to a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'ringStop',
    method: 'DELETE',
    path: '/channels/{channelId}/ring',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Stop ringing indication on a channel if locally generated.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'progress',
    method: 'POST',
    path: '/channels/{channelId}/progress',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Indicate progress on a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'sendDTMF',
    method: 'POST',
    path: '/channels/{channelId}/dtmf',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'dtmf', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'before', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
      { name: 'between', in: 'query', required: false, multiple: false, type: 'int', default: 100 },
      { name: 'duration', in: 'query', required: false, multiple: false, type: 'int', default: 100 },
      { name: 'after', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
    ],
    response: 'void',
    summary: 'Send provided DTMF to a given channel.',
    errors: [
      { code: 400, reason: 'DTMF is required' },
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'mute',
    method: 'POST',
    path: '/channels/{channelId}/mute',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      {
        name: 'direction',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['both', 'in', 'out'],
        default: 'both',
      },
    ],
    response: 'void',
    summary: 'Mute a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'unmute',
    method: 'DELETE',
    path: '/channels/{channelId}/mute',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      {
        name: 'direction',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['both', 'in', 'out'],
        default: 'both',
      },
    ],
    response: 'void',
    summary: 'Unmute a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'hold',
    method: 'POST',
    path: '/channels/{channelId}/hold',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Hold a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'unhold',
    method: 'DELETE',
    path: '/channels/{channelId}/hold',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Remove a channel from hold.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'startMoh',
    method: 'POST',
    path: '/channels/{channelId}/moh',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'mohClass', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Play music on hold to a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'stopMoh',
    method: 'DELETE',
    path: '/channels/{channelId}/moh',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Stop playing music on hold to a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'startSilence',
    method: 'POST',
    path: '/channels/{channelId}/silence',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Play silence to a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'stopSilence',
    method: 'DELETE',
    path: '/channels/{channelId}/silence',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Stop playing silence to a channel.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'play',
    method: 'POST',
    path: '/channels/{channelId}/play',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'media', in: 'query', required: true, multiple: true, type: 'string' },
      { name: 'lang', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'offsetms', in: 'query', required: false, multiple: false, type: 'int' },
      { name: 'skipms', in: 'query', required: false, multiple: false, type: 'int', default: 3000 },
      { name: 'playbackId', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'Playback',
    summary: 'Start playback of media.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'playWithId',
    method: 'POST',
    path: '/channels/{channelId}/play/{playbackId}',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'playbackId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'media', in: 'query', required: true, multiple: true, type: 'string' },
      { name: 'lang', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'offsetms', in: 'query', required: false, multiple: false, type: 'int' },
      { name: 'skipms', in: 'query', required: false, multiple: false, type: 'int', default: 3000 },
    ],
    response: 'Playback',
    summary: 'Start playback of media and specify the playbackId.',
    errors: [
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'record',
    method: 'POST',
    path: '/channels/{channelId}/record',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'name', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'format', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'maxDurationSeconds', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
      { name: 'maxSilenceSeconds', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
      {
        name: 'ifExists',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['fail', 'overwrite', 'append'],
        default: 'fail',
      },
      { name: 'beep', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
      {
        name: 'terminateOn',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['none', 'any', '*', '#'],
        default: 'none',
      },
    ],
    response: 'LiveRecording',
    summary: 'Start a recording.',
    errors: [
      { code: 400, reason: 'Invalid parameters' },
      { code: 404, reason: 'Channel not found' },
      {
        code: 409,
        reason:
          'Channel is not in a Stasis application; the channel is currently bridged with other channels; A recording with the same name already exists on the system and can not be overwritten because it is in progress or ifExists=fail',
      },
      { code: 422, reason: 'The format specified is unknown on this system' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'getChannelVar',
    method: 'GET',
    path: '/channels/{channelId}/variable',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variable', in: 'query', required: true, multiple: false, type: 'string' },
    ],
    response: 'Variable',
    summary: 'Get the value of a channel variable or function.',
    errors: [
      { code: 400, reason: 'Missing variable parameter.' },
      { code: 404, reason: 'Channel or variable not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'setChannelVar',
    method: 'POST',
    path: '/channels/{channelId}/variable',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variable', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'value', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'report_events', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
    ],
    response: 'void',
    summary: 'Set the value of a channel variable or function.',
    errors: [
      { code: 400, reason: 'Missing variable parameter.' },
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'getChannelVars',
    method: 'GET',
    path: '/channels/{channelId}/variables',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variables', in: 'query', required: true, multiple: true, type: 'string' },
    ],
    response: 'Variables',
    summary: 'Get the value of multiple channel variables or functions.',
    errors: [
      { code: 400, reason: 'Missing variables parameter.' },
      { code: 404, reason: 'Channel or variable not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'setChannelVars',
    method: 'POST',
    path: '/channels/{channelId}/variables',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: true, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'void',
    summary: 'Set the values of multiple channel variables or functions.',
    errors: [
      { code: 400, reason: 'Missing variables parameter.' },
      { code: 404, reason: 'Channel not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'snoopChannel',
    method: 'POST',
    path: '/channels/{channelId}/snoop',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      {
        name: 'spy',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['none', 'both', 'out', 'in'],
        default: 'none',
      },
      {
        name: 'whisper',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['none', 'both', 'out', 'in'],
        default: 'none',
      },
      { name: 'app', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'appArgs', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'snoopId', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'Channel',
    summary: 'Start snooping.',
    errors: [
      { code: 400, reason: 'Invalid parameters' },
      { code: 404, reason: 'Channel not found' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'snoopChannelWithId',
    method: 'POST',
    path: '/channels/{channelId}/snoop/{snoopId}',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'snoopId', in: 'path', required: true, multiple: false, type: 'string' },
      {
        name: 'spy',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['none', 'both', 'out', 'in'],
        default: 'none',
      },
      {
        name: 'whisper',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['none', 'both', 'out', 'in'],
        default: 'none',
      },
      { name: 'app', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'appArgs', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'Channel',
    summary: 'Start snooping.',
    errors: [
      { code: 400, reason: 'Invalid parameters' },
      { code: 404, reason: 'Channel not found' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'dial',
    method: 'POST',
    path: '/channels/{channelId}/dial',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'caller', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'timeout', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
    ],
    response: 'void',
    summary: 'Dial a created channel.',
    errors: [
      { code: 404, reason: 'Channel cannot be found.' },
      { code: 409, reason: 'Channel cannot be dialed.' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'rtpstatistics',
    method: 'GET',
    path: '/channels/{channelId}/rtp_statistics',
    params: [{ name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'RTPstat',
    summary: 'RTP stats on a channel.',
    errors: [{ code: 404, reason: 'Channel cannot be found.' }],
  },
  {
    resource: 'channels',
    nickname: 'externalMedia',
    method: 'POST',
    path: '/channels/externalMedia',
    params: [
      { name: 'channelId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'app', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
      { name: 'external_host', in: 'query', required: false, multiple: false, type: 'string' },
      {
        name: 'encapsulation',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['rtp', 'audiosocket', 'none'],
        default: 'rtp',
      },
      {
        name: 'transport',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['udp', 'tcp', 'websocket'],
        default: 'udp',
      },
      {
        name: 'connection_type',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['client', 'server'],
        default: 'client',
      },
      { name: 'format', in: 'query', required: true, multiple: false, type: 'string' },
      {
        name: 'direction',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['both'],
        default: 'both',
      },
      { name: 'data', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'transport_data', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'Channel',
    summary: 'Start an External Media session.',
    errors: [
      { code: 400, reason: 'Invalid parameters' },
      { code: 409, reason: 'Channel is not in a Stasis application; Channel is already bridged' },
    ],
  },
  {
    resource: 'channels',
    nickname: 'transfer_progress',
    method: 'POST',
    path: '/channels/{channelId}/transfer_progress',
    params: [
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'states', in: 'query', required: true, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Inform the channel about the progress of the attended/blind transfer.',
    errors: [
      { code: 400, reason: 'Endpoint parameter not provided' },
      { code: 404, reason: 'Channel or endpoint not found' },
      { code: 409, reason: 'Channel not in a Stasis application' },
      { code: 412, reason: 'Channel in invalid state' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'list',
    method: 'GET',
    path: '/bridges',
    params: [],
    response: 'List[Bridge]',
    summary: 'List all active bridges in Asterisk.',
    errors: [],
  },
  {
    resource: 'bridges',
    nickname: 'create',
    method: 'POST',
    path: '/bridges',
    params: [
      { name: 'type', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'bridgeId', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'name', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'Bridge',
    summary: 'Create a new bridge.',
    errors: [{ code: 409, reason: 'Bridge with the same bridgeId already exists' }],
  },
  {
    resource: 'bridges',
    nickname: 'createWithId',
    method: 'POST',
    path: '/bridges/{bridgeId}',
    params: [
      { name: 'type', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'name', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'Bridge',
    summary: 'Create a new bridge.',
    errors: [{ code: 409, reason: 'Bridge with the same bridgeId already exists' }],
  },
  {
    resource: 'bridges',
    nickname: 'get',
    method: 'GET',
    path: '/bridges/{bridgeId}',
    params: [{ name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'Bridge',
    summary: 'Get bridge details.',
    errors: [{ code: 404, reason: 'Bridge not found' }],
  },
  {
    resource: 'bridges',
    nickname: 'destroy',
    method: 'DELETE',
    path: '/bridges/{bridgeId}',
    params: [{ name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Shut down a bridge.',
    errors: [{ code: 404, reason: 'Bridge not found' }],
  },
  {
    resource: 'bridges',
    nickname: 'getBridgeVar',
    method: 'GET',
    path: '/bridges/{bridgeId}/variable',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variable', in: 'query', required: true, multiple: false, type: 'string' },
    ],
    response: 'Variable',
    summary: 'Get the value of a bridge variable or function.',
    errors: [
      { code: 400, reason: 'Missing variable parameter.' },
      { code: 404, reason: 'Bridge or variable not found' },
      { code: 409, reason: 'Bridge not in a Stasis application' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'setBridgeVar',
    method: 'POST',
    path: '/bridges/{bridgeId}/variable',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variable', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'value', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'report_events', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
    ],
    response: 'void',
    summary: 'Set the value of a bridge variable or function.',
    errors: [
      { code: 400, reason: 'Missing variable parameter.' },
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in a Stasis application' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'getBridgeVars',
    method: 'GET',
    path: '/bridges/{bridgeId}/variables',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variables', in: 'query', required: true, multiple: true, type: 'string' },
    ],
    response: 'Variables',
    summary: 'Get the value of multiple bridge variables or functions.',
    errors: [
      { code: 400, reason: 'Missing variables parameter.' },
      { code: 404, reason: 'Bridge or variable not found' },
      { code: 409, reason: 'Bridge not in a Stasis application' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'setBridgeVars',
    method: 'POST',
    path: '/bridges/{bridgeId}/variables',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'variables', in: 'body', required: true, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'void',
    summary: 'Set the values of multiple bridge variables or functions.',
    errors: [
      { code: 400, reason: 'Missing variables parameter.' },
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in a Stasis application' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'addChannel',
    method: 'POST',
    path: '/bridges/{bridgeId}/addChannel',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'channel', in: 'query', required: true, multiple: true, type: 'string' },
      { name: 'role', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'absorbDTMF', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
      { name: 'mute', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
      {
        name: 'inhibitConnectedLineUpdates',
        in: 'query',
        required: false,
        multiple: false,
        type: 'boolean',
        default: false,
      },
    ],
    response: 'void',
    summary: 'Add a channel to a bridge.',
    errors: [
      { code: 400, reason: 'Channel not found' },
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in Stasis application; Channel currently recording' },
      { code: 422, reason: 'Channel not in Stasis application' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'removeChannel',
    method: 'POST',
    path: '/bridges/{bridgeId}/removeChannel',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'channel', in: 'query', required: true, multiple: true, type: 'string' },
    ],
    response: 'void',
    summary: 'Remove a channel from a bridge.',
    errors: [
      { code: 400, reason: 'Channel not found' },
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in Stasis application' },
      { code: 422, reason: 'Channel not in this bridge' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'setVideoSource',
    method: 'POST',
    path: '/bridges/{bridgeId}/videoSource/{channelId}',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'channelId', in: 'path', required: true, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary:
      'Set a channel as the video source in a multi-party mixing bridge. This operation has no effect on bridges with two or fewer participants.',
    errors: [
      { code: 404, reason: 'Bridge or Channel not found' },
      { code: 409, reason: 'Channel not in Stasis application' },
      { code: 422, reason: 'Channel not in this Bridge' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'clearVideoSource',
    method: 'DELETE',
    path: '/bridges/{bridgeId}/videoSource',
    params: [{ name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary:
      'Removes any explicit video source in a multi-party mixing bridge. This operation has no effect on bridges with two or fewer participants. When no explicit video source is set, talk detection will be used to determine the active video stream.',
    errors: [{ code: 404, reason: 'Bridge not found' }],
  },
  {
    resource: 'bridges',
    nickname: 'startMoh',
    method: 'POST',
    path: '/bridges/{bridgeId}/moh',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'mohClass', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Play music on hold to a bridge or change the MOH class that is playing.',
    errors: [
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in Stasis application' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'stopMoh',
    method: 'DELETE',
    path: '/bridges/{bridgeId}/moh',
    params: [{ name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Stop playing music on hold to a bridge.',
    errors: [
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in Stasis application' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'play',
    method: 'POST',
    path: '/bridges/{bridgeId}/play',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'media', in: 'query', required: true, multiple: true, type: 'string' },
      { name: 'announcer_format', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'lang', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'offsetms', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
      { name: 'skipms', in: 'query', required: false, multiple: false, type: 'int', default: 3000 },
      { name: 'playbackId', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'Playback',
    summary: 'Start playback of media on a bridge.',
    errors: [
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in a Stasis application' },
      { code: 422, reason: 'The format specified is unknown on this system' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'playWithId',
    method: 'POST',
    path: '/bridges/{bridgeId}/play/{playbackId}',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'playbackId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'media', in: 'query', required: true, multiple: true, type: 'string' },
      { name: 'announcer_format', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'lang', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'offsetms', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
      { name: 'skipms', in: 'query', required: false, multiple: false, type: 'int', default: 3000 },
    ],
    response: 'Playback',
    summary: 'Start playback of media on a bridge.',
    errors: [
      { code: 404, reason: 'Bridge not found' },
      { code: 409, reason: 'Bridge not in a Stasis application' },
      { code: 422, reason: 'The format specified is unknown on this system' },
    ],
  },
  {
    resource: 'bridges',
    nickname: 'record',
    method: 'POST',
    path: '/bridges/{bridgeId}/record',
    params: [
      { name: 'bridgeId', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'name', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'format', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'recorder_format', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'maxDurationSeconds', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
      { name: 'maxSilenceSeconds', in: 'query', required: false, multiple: false, type: 'int', default: 0 },
      {
        name: 'ifExists',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['fail', 'overwrite', 'append'],
        default: 'fail',
      },
      { name: 'beep', in: 'query', required: false, multiple: false, type: 'boolean', default: false },
      {
        name: 'terminateOn',
        in: 'query',
        required: false,
        multiple: false,
        type: 'string',
        allowed: ['none', 'any', '*', '#'],
        default: 'none',
      },
    ],
    response: 'LiveRecording',
    summary: 'Start a recording.',
    errors: [
      { code: 400, reason: 'Invalid parameters' },
      { code: 404, reason: 'Bridge not found' },
      {
        code: 409,
        reason:
          'Bridge is not in a Stasis application; A recording with the same name already exists on the system and can not be overwritten because it is in progress or ifExists=fail',
      },
      { code: 422, reason: 'The format specified is unknown on this system' },
    ],
  },
  {
    resource: 'recordings',
    nickname: 'listStored',
    method: 'GET',
    path: '/recordings/stored',
    params: [],
    response: 'List[StoredRecording]',
    summary: 'List recordings that are complete.',
    errors: [],
  },
  {
    resource: 'recordings',
    nickname: 'getStored',
    method: 'GET',
    path: '/recordings/stored/{recordingName}',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'StoredRecording',
    summary: "Get a stored recording's details.",
    errors: [{ code: 404, reason: 'Recording not found' }],
  },
  {
    resource: 'recordings',
    nickname: 'deleteStored',
    method: 'DELETE',
    path: '/recordings/stored/{recordingName}',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Delete a stored recording.',
    errors: [{ code: 404, reason: 'Recording not found' }],
  },
  {
    resource: 'recordings',
    nickname: 'getStoredFile',
    method: 'GET',
    path: '/recordings/stored/{recordingName}/file',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'binary',
    summary: 'Get the file associated with the stored recording.',
    errors: [
      { code: 403, reason: 'The recording file could not be opened' },
      { code: 404, reason: 'Recording not found' },
    ],
  },
  {
    resource: 'recordings',
    nickname: 'copyStored',
    method: 'POST',
    path: '/recordings/stored/{recordingName}/copy',
    params: [
      { name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'destinationRecordingName', in: 'query', required: true, multiple: false, type: 'string' },
    ],
    response: 'StoredRecording',
    summary: 'Copy a stored recording.',
    errors: [
      { code: 404, reason: 'Recording not found' },
      { code: 409, reason: 'A recording with the same name already exists on the system' },
    ],
  },
  {
    resource: 'recordings',
    nickname: 'getLive',
    method: 'GET',
    path: '/recordings/live/{recordingName}',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'LiveRecording',
    summary: 'List live recordings.',
    errors: [{ code: 404, reason: 'Recording not found' }],
  },
  {
    resource: 'recordings',
    nickname: 'cancel',
    method: 'DELETE',
    path: '/recordings/live/{recordingName}',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Stop a live recording and discard it.',
    errors: [{ code: 404, reason: 'Recording not found' }],
  },
  {
    resource: 'recordings',
    nickname: 'stop',
    method: 'POST',
    path: '/recordings/live/{recordingName}/stop',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Stop a live recording and store it.',
    errors: [{ code: 404, reason: 'Recording not found' }],
  },
  {
    resource: 'recordings',
    nickname: 'pause',
    method: 'POST',
    path: '/recordings/live/{recordingName}/pause',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Pause a live recording.',
    errors: [
      { code: 404, reason: 'Recording not found' },
      { code: 409, reason: 'Recording not in session' },
    ],
  },
  {
    resource: 'recordings',
    nickname: 'unpause',
    method: 'DELETE',
    path: '/recordings/live/{recordingName}/pause',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Unpause a live recording.',
    errors: [
      { code: 404, reason: 'Recording not found' },
      { code: 409, reason: 'Recording not in session' },
    ],
  },
  {
    resource: 'recordings',
    nickname: 'mute',
    method: 'POST',
    path: '/recordings/live/{recordingName}/mute',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Mute a live recording.',
    errors: [
      { code: 404, reason: 'Recording not found' },
      { code: 409, reason: 'Recording not in session' },
    ],
  },
  {
    resource: 'recordings',
    nickname: 'unmute',
    method: 'DELETE',
    path: '/recordings/live/{recordingName}/mute',
    params: [{ name: 'recordingName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Unmute a live recording.',
    errors: [
      { code: 404, reason: 'Recording not found' },
      { code: 409, reason: 'Recording not in session' },
    ],
  },
  {
    resource: 'sounds',
    nickname: 'list',
    method: 'GET',
    path: '/sounds',
    params: [
      { name: 'lang', in: 'query', required: false, multiple: false, type: 'string' },
      { name: 'format', in: 'query', required: false, multiple: false, type: 'string' },
    ],
    response: 'List[Sound]',
    summary: 'List all sounds.',
    errors: [],
  },
  {
    resource: 'sounds',
    nickname: 'get',
    method: 'GET',
    path: '/sounds/{soundId}',
    params: [{ name: 'soundId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'Sound',
    summary: "Get a sound's details.",
    errors: [],
  },
  {
    resource: 'playbacks',
    nickname: 'get',
    method: 'GET',
    path: '/playbacks/{playbackId}',
    params: [{ name: 'playbackId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'Playback',
    summary: "Get a playback's details.",
    errors: [{ code: 404, reason: 'The playback cannot be found' }],
  },
  {
    resource: 'playbacks',
    nickname: 'stop',
    method: 'DELETE',
    path: '/playbacks/{playbackId}',
    params: [{ name: 'playbackId', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Stop a playback.',
    errors: [{ code: 404, reason: 'The playback cannot be found' }],
  },
  {
    resource: 'playbacks',
    nickname: 'control',
    method: 'POST',
    path: '/playbacks/{playbackId}/control',
    params: [
      { name: 'playbackId', in: 'path', required: true, multiple: false, type: 'string' },
      {
        name: 'operation',
        in: 'query',
        required: true,
        multiple: false,
        type: 'string',
        allowed: ['restart', 'pause', 'unpause', 'reverse', 'forward'],
      },
    ],
    response: 'void',
    summary: 'Control a playback.',
    errors: [
      { code: 400, reason: 'The provided operation parameter was invalid' },
      { code: 404, reason: 'The playback cannot be found' },
      { code: 409, reason: "The operation cannot be performed in the playback's current state" },
    ],
  },
  {
    resource: 'deviceStates',
    nickname: 'list',
    method: 'GET',
    path: '/deviceStates',
    params: [],
    response: 'List[DeviceState]',
    summary: 'List all ARI controlled device states.',
    errors: [],
  },
  {
    resource: 'deviceStates',
    nickname: 'get',
    method: 'GET',
    path: '/deviceStates/{deviceName}',
    params: [{ name: 'deviceName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'DeviceState',
    summary: 'Retrieve the current state of a device.',
    errors: [],
  },
  {
    resource: 'deviceStates',
    nickname: 'update',
    method: 'PUT',
    path: '/deviceStates/{deviceName}',
    params: [
      { name: 'deviceName', in: 'path', required: true, multiple: false, type: 'string' },
      {
        name: 'deviceState',
        in: 'query',
        required: true,
        multiple: false,
        type: 'string',
        allowed: ['NOT_INUSE', 'INUSE', 'BUSY', 'INVALID', 'UNAVAILABLE', 'RINGING', 'RINGINUSE', 'ONHOLD'],
      },
    ],
    response: 'void',
    summary: 'Change the state of a device controlled by ARI. (Note - implicitly creates the device state).',
    errors: [
      { code: 404, reason: 'Device name is missing' },
      { code: 409, reason: 'Uncontrolled device specified' },
    ],
  },
  {
    resource: 'deviceStates',
    nickname: 'delete',
    method: 'DELETE',
    path: '/deviceStates/{deviceName}',
    params: [{ name: 'deviceName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Destroy a device-state controlled by ARI.',
    errors: [
      { code: 404, reason: 'Device name is missing' },
      { code: 409, reason: 'Uncontrolled device specified' },
    ],
  },
  {
    resource: 'mailboxes',
    nickname: 'list',
    method: 'GET',
    path: '/mailboxes',
    params: [],
    response: 'List[Mailbox]',
    summary: 'List all mailboxes.',
    errors: [],
  },
  {
    resource: 'mailboxes',
    nickname: 'get',
    method: 'GET',
    path: '/mailboxes/{mailboxName}',
    params: [{ name: 'mailboxName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'Mailbox',
    summary: 'Retrieve the current state of a mailbox.',
    errors: [{ code: 404, reason: 'Mailbox not found' }],
  },
  {
    resource: 'mailboxes',
    nickname: 'update',
    method: 'PUT',
    path: '/mailboxes/{mailboxName}',
    params: [
      { name: 'mailboxName', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'oldMessages', in: 'query', required: true, multiple: false, type: 'int' },
      { name: 'newMessages', in: 'query', required: true, multiple: false, type: 'int' },
    ],
    response: 'void',
    summary: 'Change the state of a mailbox. (Note - implicitly creates the mailbox).',
    errors: [{ code: 404, reason: 'Mailbox not found' }],
  },
  {
    resource: 'mailboxes',
    nickname: 'delete',
    method: 'DELETE',
    path: '/mailboxes/{mailboxName}',
    params: [{ name: 'mailboxName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'void',
    summary: 'Destroy a mailbox.',
    errors: [{ code: 404, reason: 'Mailbox not found' }],
  },
  {
    resource: 'events',
    nickname: 'eventWebsocket',
    method: 'GET',
    path: '/events',
    params: [
      { name: 'app', in: 'query', required: true, multiple: true, type: 'string' },
      { name: 'subscribeAll', in: 'query', required: false, multiple: false, type: 'boolean' },
    ],
    response: 'Message',
    summary: 'WebSocket connection for events.',
    errors: [],
    websocket: true,
  },
  {
    resource: 'events',
    nickname: 'userEvent',
    method: 'POST',
    path: '/events/user/{eventName}',
    params: [
      { name: 'eventName', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'application', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'source', in: 'query', required: false, multiple: true, type: 'string' },
      { name: 'variables', in: 'body', required: false, multiple: false, body: 'wrapped', type: 'containers' },
    ],
    response: 'void',
    summary: 'Generate a user event.',
    errors: [
      { code: 404, reason: 'Application does not exist.' },
      { code: 422, reason: 'Event source not found.' },
      { code: 400, reason: 'Invalid even tsource URI or userevent data.' },
    ],
  },
  {
    resource: 'events',
    nickname: 'claimChannel',
    method: 'POST',
    path: '/events/claim',
    params: [
      { name: 'channelId', in: 'query', required: true, multiple: false, type: 'string' },
      { name: 'application', in: 'query', required: true, multiple: false, type: 'string' },
    ],
    response: 'void',
    summary: 'Claim a broadcast channel for this application.',
    errors: [
      { code: 404, reason: 'Channel not found or not in broadcast state.' },
      { code: 409, reason: 'Channel has already been claimed by another application.' },
    ],
  },
  {
    resource: 'applications',
    nickname: 'list',
    method: 'GET',
    path: '/applications',
    params: [],
    response: 'List[Application]',
    summary: 'List all applications.',
    errors: [],
  },
  {
    resource: 'applications',
    nickname: 'get',
    method: 'GET',
    path: '/applications/{applicationName}',
    params: [{ name: 'applicationName', in: 'path', required: true, multiple: false, type: 'string' }],
    response: 'Application',
    summary: 'Get details of an application.',
    errors: [{ code: 404, reason: 'Application does not exist.' }],
  },
  {
    resource: 'applications',
    nickname: 'subscribe',
    method: 'POST',
    path: '/applications/{applicationName}/subscription',
    params: [
      { name: 'applicationName', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'eventSource', in: 'query', required: true, multiple: true, type: 'string' },
    ],
    response: 'Application',
    summary: 'Subscribe an application to a event source.',
    errors: [
      { code: 400, reason: 'Missing parameter.' },
      { code: 404, reason: 'Application does not exist.' },
      { code: 422, reason: 'Event source does not exist.' },
    ],
  },
  {
    resource: 'applications',
    nickname: 'unsubscribe',
    method: 'DELETE',
    path: '/applications/{applicationName}/subscription',
    params: [
      { name: 'applicationName', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'eventSource', in: 'query', required: true, multiple: true, type: 'string' },
    ],
    response: 'Application',
    summary: 'Unsubscribe an application from an event source.',
    errors: [
      { code: 400, reason: 'Missing parameter; event source scheme not recognized.' },
      { code: 404, reason: 'Application does not exist.' },
      { code: 409, reason: 'Application not subscribed to event source.' },
      { code: 422, reason: 'Event source does not exist.' },
    ],
  },
  {
    resource: 'applications',
    nickname: 'filter',
    method: 'PUT',
    path: '/applications/{applicationName}/eventFilter',
    params: [
      { name: 'applicationName', in: 'path', required: true, multiple: false, type: 'string' },
      { name: 'filter', in: 'body', required: false, multiple: false, body: 'whole', type: 'object' },
    ],
    response: 'Application',
    summary: 'Filter application events types.',
    errors: [
      { code: 400, reason: 'Bad request.' },
      { code: 404, reason: 'Application does not exist.' },
    ],
  },
];

/** Options every REST call takes. */
export interface CallOptions {
  /** Cancels the request; the promise rejects with an `AriAbortError`. */
  signal?: AbortSignal;
  /** Overrides the client's `requestTimeoutMs` for this call. */
  timeoutMs?: number;
}

/** A value of a parameter that takes several values: an array, or one comma-separated string. */
export type Many<T extends string = string> = T | readonly T[];

/** A channel or bridge variable as ARI's bodies accept it. */
export type AriVariableValue = string | { value: string; report_events?: boolean };

// --- asterisk

/** Parameters of `asterisk.getObject` (GET /asterisk/config/dynamic/{configClass}/{objectType}/{id}). */
export interface AsteriskGetObjectParams {
  /** The configuration class containing dynamic configuration objects. */
  configClass: string;
  /** The type of configuration object to retrieve. */
  objectType: string;
  /** The unique identifier of the object to retrieve. */
  id: string;
}

/** Parameters of `asterisk.updateObject` (PUT /asterisk/config/dynamic/{configClass}/{objectType}/{id}). */
export interface AsteriskUpdateObjectParams {
  /** The configuration class containing dynamic configuration objects. */
  configClass: string;
  /** The type of configuration object to create or update. */
  objectType: string;
  /** The unique identifier of the object to create or update. */
  id: string;
  /** The body object should have a value that is a list of ConfigTuples, which provide the fields to update. Ex. [ { "attribute": "directmedia", "value": "false" } ] */
  fields?: ConfigTuple[];
}

/** Parameters of `asterisk.deleteObject` (DELETE /asterisk/config/dynamic/{configClass}/{objectType}/{id}). */
export interface AsteriskDeleteObjectParams {
  /** The configuration class containing dynamic configuration objects. */
  configClass: string;
  /** The type of configuration object to delete. */
  objectType: string;
  /** The unique identifier of the object to delete. */
  id: string;
}

/** Parameters of `asterisk.getInfo` (GET /asterisk/info). */
export interface AsteriskGetInfoParams {
  /** Filter information returned Several values are sent comma-separated. */
  only?: Many<'build' | 'system' | 'config' | 'status'>;
}

/** Parameters of `asterisk.getModule` (GET /asterisk/modules/{moduleName}). */
export interface AsteriskGetModuleParams {
  /** Module's name */
  moduleName: string;
}

/** Parameters of `asterisk.loadModule` (POST /asterisk/modules/{moduleName}). */
export interface AsteriskLoadModuleParams {
  /** Module's name */
  moduleName: string;
}

/** Parameters of `asterisk.unloadModule` (DELETE /asterisk/modules/{moduleName}). */
export interface AsteriskUnloadModuleParams {
  /** Module's name */
  moduleName: string;
}

/** Parameters of `asterisk.reloadModule` (PUT /asterisk/modules/{moduleName}). */
export interface AsteriskReloadModuleParams {
  /** Module's name */
  moduleName: string;
}

/** Parameters of `asterisk.addLog` (POST /asterisk/logging/{logChannelName}). */
export interface AsteriskAddLogParams {
  /** The log channel to add */
  logChannelName: string;
  /** levels of the log channel */
  configuration: string;
}

/** Parameters of `asterisk.deleteLog` (DELETE /asterisk/logging/{logChannelName}). */
export interface AsteriskDeleteLogParams {
  /** Log channels name */
  logChannelName: string;
}

/** Parameters of `asterisk.rotateLog` (PUT /asterisk/logging/{logChannelName}/rotate). */
export interface AsteriskRotateLogParams {
  /** Log channel's name */
  logChannelName: string;
}

/** Parameters of `asterisk.getGlobalVar` (GET /asterisk/variable). */
export interface AsteriskGetGlobalVarParams {
  /** The variable to get */
  variable: string;
}

/** Parameters of `asterisk.setGlobalVar` (POST /asterisk/variable). */
export interface AsteriskSetGlobalVarParams {
  /** The variable to set */
  variable: string;
  /** The value to set the variable to */
  value?: string;
}

/** `client.asterisk`: the operations of ARI's `asterisk` resource, named by their nicknames. */
export interface AsteriskApi {
  /**
   * Retrieve a dynamic configuration object.
   *
   * `GET /ari/asterisk/config/dynamic/{configClass}/{objectType}/{id}`
   * @throws AriHttpError 404: {configClass|objectType|id} not found
   */
  getObject(params: AsteriskGetObjectParams, options?: CallOptions): Promise<ConfigTuple[]>;
  /**
   * Create or update a dynamic configuration object.
   *
   * `PUT /ari/asterisk/config/dynamic/{configClass}/{objectType}/{id}`
   * @throws AriHttpError 400: Bad request body
   * @throws AriHttpError 403: Could not create or update object
   * @throws AriHttpError 404: {configClass|objectType} not found
   */
  updateObject(params: AsteriskUpdateObjectParams, options?: CallOptions): Promise<ConfigTuple[]>;
  /**
   * Delete a dynamic configuration object.
   *
   * `DELETE /ari/asterisk/config/dynamic/{configClass}/{objectType}/{id}`
   * @throws AriHttpError 403: Could not delete object
   * @throws AriHttpError 404: {configClass|objectType|id} not found
   */
  deleteObject(params: AsteriskDeleteObjectParams, options?: CallOptions): Promise<void>;
  /**
   * Gets Asterisk system information.
   *
   * `GET /ari/asterisk/info`
   */
  getInfo(params?: AsteriskGetInfoParams, options?: CallOptions): Promise<AsteriskInfo>;
  /**
   * Response pong message.
   *
   * `GET /ari/asterisk/ping`
   */
  ping(params?: Record<string, never>, options?: CallOptions): Promise<AsteriskPing>;
  /**
   * List Asterisk modules.
   *
   * `GET /ari/asterisk/modules`
   */
  listModules(params?: Record<string, never>, options?: CallOptions): Promise<Module[]>;
  /**
   * Get Asterisk module information.
   *
   * `GET /ari/asterisk/modules/{moduleName}`
   * @throws AriHttpError 404: Module could not be found in running modules.
   * @throws AriHttpError 409: Module information could not be retrieved.
   */
  getModule(params: AsteriskGetModuleParams, options?: CallOptions): Promise<Module>;
  /**
   * Load an Asterisk module.
   *
   * `POST /ari/asterisk/modules/{moduleName}`
   * @throws AriHttpError 409: Module could not be loaded.
   */
  loadModule(params: AsteriskLoadModuleParams, options?: CallOptions): Promise<void>;
  /**
   * Unload an Asterisk module.
   *
   * `DELETE /ari/asterisk/modules/{moduleName}`
   * @throws AriHttpError 404: Module not found in running modules.
   * @throws AriHttpError 409: Module could not be unloaded.
   */
  unloadModule(params: AsteriskUnloadModuleParams, options?: CallOptions): Promise<void>;
  /**
   * Reload an Asterisk module.
   *
   * `PUT /ari/asterisk/modules/{moduleName}`
   * @throws AriHttpError 404: Module not found in running modules.
   * @throws AriHttpError 409: Module could not be reloaded.
   */
  reloadModule(params: AsteriskReloadModuleParams, options?: CallOptions): Promise<void>;
  /**
   * Gets Asterisk log channel information.
   *
   * `GET /ari/asterisk/logging`
   */
  listLogChannels(params?: Record<string, never>, options?: CallOptions): Promise<LogChannel[]>;
  /**
   * Adds a log channel.
   *
   * `POST /ari/asterisk/logging/{logChannelName}`
   * @throws AriHttpError 400: Bad request body
   * @throws AriHttpError 409: Log channel could not be created.
   */
  addLog(params: AsteriskAddLogParams, options?: CallOptions): Promise<void>;
  /**
   * Deletes a log channel.
   *
   * `DELETE /ari/asterisk/logging/{logChannelName}`
   * @throws AriHttpError 404: Log channel does not exist.
   */
  deleteLog(params: AsteriskDeleteLogParams, options?: CallOptions): Promise<void>;
  /**
   * Rotates a log channel.
   *
   * `PUT /ari/asterisk/logging/{logChannelName}/rotate`
   * @throws AriHttpError 404: Log channel does not exist.
   */
  rotateLog(params: AsteriskRotateLogParams, options?: CallOptions): Promise<void>;
  /**
   * Get the value of a global variable.
   *
   * `GET /ari/asterisk/variable`
   * @throws AriHttpError 400: Missing variable parameter.
   */
  getGlobalVar(params: AsteriskGetGlobalVarParams, options?: CallOptions): Promise<Variable>;
  /**
   * Set the value of a global variable.
   *
   * `POST /ari/asterisk/variable`
   * @throws AriHttpError 400: Missing variable parameter.
   */
  setGlobalVar(params: AsteriskSetGlobalVarParams, options?: CallOptions): Promise<void>;
}

// --- endpoints

/** Parameters of `endpoints.sendMessage` (PUT /endpoints/sendMessage). */
export interface EndpointsSendMessageParams {
  /** The endpoint resource or technology specific URI to send the message to. Valid resources are pjsip, and xmpp. */
  to: string;
  /** The endpoint resource or technology specific identity to send this message from. Valid resources are pjsip, and xmpp. */
  from: string;
  /** The body of the message */
  body?: string;
  /** The "variables" key in the body object holds technology specific key/value pairs to append to the message. These can be interpreted and used by the various resource types; for example, pjsip and sip resource types will add the key/value pairs as SIP headers, */
  variables?: Record<string, string>;
}

/** Parameters of `endpoints.refer` (POST /endpoints/refer). */
export interface EndpointsReferParams {
  /** The endpoint resource or technology specific URI that should be referred to somewhere. Valid resource is pjsip. */
  to: string;
  /** The endpoint resource or technology specific identity to refer from. */
  from: string;
  /** The endpoint resource or technology specific URI to refer to. */
  refer_to: string;
  /** If true and "refer_to" refers to an Asterisk endpoint, the "refer_to" value is set to point to this Asterisk endpoint - so the referee is referred to Asterisk. Otherwise, use the contact URI associated with the endpoint. Default: false. */
  to_self?: boolean;
  /** The "variables" key in the body object holds technology specific key/value pairs to append to the message. These can be interpreted and used by the various resource types; for example, the pjsip resource type will add the key/value pairs as SIP headers. The "display_name" key is used by the PJSIP technology. Its value will be prepended as a display name to the Refer-To URI. */
  variables?: Record<string, string>;
}

/** Parameters of `endpoints.listByTech` (GET /endpoints/{tech}). */
export interface EndpointsListByTechParams {
  /** Technology of the endpoints (pjsip,iax2,...) */
  tech?: string;
}

/** Parameters of `endpoints.get` (GET /endpoints/{tech}/{resource}). */
export interface EndpointsGetParams {
  /** Technology of the endpoint */
  tech?: string;
  /** ID of the endpoint */
  resource?: string;
}

/** Parameters of `endpoints.sendMessageToEndpoint` (PUT /endpoints/{tech}/{resource}/sendMessage). */
export interface EndpointsSendMessageToEndpointParams {
  /** Technology of the endpoint */
  tech?: string;
  /** ID of the endpoint */
  resource?: string;
  /** The endpoint resource or technology specific identity to send this message from. Valid resources are pjsip and xmpp. */
  from: string;
  /** The body of the message */
  body?: string;
  /** The "variables" key in the body object holds technology specific key/value pairs to append to the message. These can be interpreted and used by the various resource types; for example, pjsip and sip resource types will add the key/value pairs as SIP headers, */
  variables?: Record<string, string>;
}

/** Parameters of `endpoints.referToEndpoint` (POST /endpoints/{tech}/{resource}/refer). */
export interface EndpointsReferToEndpointParams {
  /** Technology of the endpoint */
  tech?: string;
  /** ID of the endpoint */
  resource?: string;
  /** The endpoint resource or technology specific identity to refer from. */
  from: string;
  /** The endpoint resource or technology specific URI to refer to. */
  refer_to: string;
  /** If true and "refer_to" refers to an Asterisk endpoint, the "refer_to" value is set to point to this Asterisk endpoint - so the referee is referred to Asterisk. Otherwise, use the contact URI associated with the endpoint. Default: false. */
  to_self?: boolean;
  /** The "variables" key in the body object holds technology specific key/value pairs to append to the message. These can be interpreted and used by the various resource types; for example, the pjsip resource type will add the key/value pairs as SIP headers, */
  variables?: Record<string, string>;
}

/** `client.endpoints`: the operations of ARI's `endpoints` resource, named by their nicknames. */
export interface EndpointsApi {
  /**
   * List all endpoints.
   *
   * `GET /ari/endpoints`
   */
  list(params?: Record<string, never>, options?: CallOptions): Promise<Endpoint[]>;
  /**
   * Send a message to some technology URI or endpoint.
   *
   * `PUT /ari/endpoints/sendMessage`
   * @throws AriHttpError 400: Invalid parameters for sending a message.
   * @throws AriHttpError 404: Endpoint not found
   */
  sendMessage(params: EndpointsSendMessageParams, options?: CallOptions): Promise<void>;
  /**
   * Refer an endpoint or technology URI to some technology URI or endpoint.
   *
   * `POST /ari/endpoints/refer`
   * @throws AriHttpError 400: Invalid parameters for referring.
   * @throws AriHttpError 404: Endpoint not found
   */
  refer(params: EndpointsReferParams, options?: CallOptions): Promise<void>;
  /**
   * List available endoints for a given endpoint technology.
   *
   * `GET /ari/endpoints/{tech}`
   * @throws AriHttpError 404: Endpoints not found
   */
  listByTech(params?: EndpointsListByTechParams, options?: CallOptions): Promise<Endpoint[]>;
  /**
   * Details for an endpoint.
   *
   * `GET /ari/endpoints/{tech}/{resource}`
   * @throws AriHttpError 400: Invalid parameters for sending a message.
   * @throws AriHttpError 404: Endpoints not found
   */
  get(params?: EndpointsGetParams, options?: CallOptions): Promise<Endpoint>;
  /**
   * Send a message to some endpoint in a technology.
   *
   * `PUT /ari/endpoints/{tech}/{resource}/sendMessage`
   * @throws AriHttpError 400: Invalid parameters for sending a message.
   * @throws AriHttpError 404: Endpoint not found
   */
  sendMessageToEndpoint(params: EndpointsSendMessageToEndpointParams, options?: CallOptions): Promise<void>;
  /**
   * Refer an endpoint or technology URI to some technology URI or endpoint.
   *
   * `POST /ari/endpoints/{tech}/{resource}/refer`
   * @throws AriHttpError 400: Invalid parameters for referring.
   * @throws AriHttpError 404: Endpoint not found
   */
  referToEndpoint(params: EndpointsReferToEndpointParams, options?: CallOptions): Promise<void>;
}

// --- channels

/** Parameters of `channels.originate` (POST /channels). */
export interface ChannelsOriginateParams {
  /** Endpoint to call. */
  endpoint: string;
  /** The extension to dial after the endpoint answers. Mutually exclusive with 'app'. */
  extension?: string;
  /** The context to dial after the endpoint answers. If omitted, uses 'default'. Mutually exclusive with 'app'. */
  context?: string;
  /** The priority to dial after the endpoint answers. If omitted, uses 1. Mutually exclusive with 'app'. */
  priority?: number;
  /** The label to dial after the endpoint answers. Will supersede 'priority' if provided. Mutually exclusive with 'app'. */
  label?: string;
  /** The application that is subscribed to the originated channel. When the channel is answered, it will be passed to this Stasis application. Mutually exclusive with 'context', 'extension', 'priority', and 'label'. */
  app?: string;
  /** The application arguments to pass to the Stasis application provided by 'app'. Mutually exclusive with 'context', 'extension', 'priority', and 'label'. */
  appArgs?: string;
  /** CallerID to use when dialing the endpoint or extension. */
  callerId?: string;
  /** Timeout (in seconds) before giving up dialing, or -1 for no timeout. Default: 30. */
  timeout?: number;
  /** The "variables" key in the body object holds variable key/value pairs to set on the channel on creation. Each variable value may be either a string or an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in channel events (defaults to false). Other keys in the body object are interpreted as query parameters. Ex. { "endpoint": "SIP/Alice", "variables": { "CALLERID(name)": "Alice", "Call_State": { "value": "WaitingForAgent", "report_events": true } } } */
  variables?: Record<string, AriVariableValue>;
  /** The unique id to assign the channel on creation. */
  channelId?: string;
  /** The unique id to assign the second channel when using local channels. */
  otherChannelId?: string;
  /** The unique id of the channel which is originating this one. */
  originator?: string;
  /** The format name capability list to use if originator is not specified. Ex. "ulaw,slin16".  Format names can be found with "core show codecs". */
  formats?: string;
}

/** Parameters of `channels.create` (POST /channels/create). */
export interface ChannelsCreateParams {
  /** Endpoint for channel communication */
  endpoint: string;
  /** Stasis Application to place channel into */
  app: string;
  /** The application arguments to pass to the Stasis application provided by 'app'. Mutually exclusive with 'context', 'extension', 'priority', and 'label'. */
  appArgs?: string;
  /** The unique id to assign the channel on creation. */
  channelId?: string;
  /** The unique id to assign the second channel when using local channels. */
  otherChannelId?: string;
  /** Unique ID of the calling channel */
  originator?: string;
  /** The format name capability list to use if originator is not specified. Ex. "ulaw,slin16".  Format names can be found with "core show codecs". */
  formats?: string;
  /** The "variables" key in the body object holds variable key/value pairs to set on the channel on creation. Each variable value may be either a string or an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in channel events (defaults to false). Other keys in the body object are interpreted as query parameters. Ex. { "endpoint": "SIP/Alice", "variables": { "CALLERID(name)": "Alice", "Call_State": { "value": "WaitingForAgent", "report_events": true } } } */
  variables?: Record<string, AriVariableValue>;
}

/** Parameters of `channels.get` (GET /channels/{channelId}). */
export interface ChannelsGetParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.originateWithId` (POST /channels/{channelId}). */
export interface ChannelsOriginateWithIdParams {
  /** The unique id to assign the channel on creation. */
  channelId: string;
  /** Endpoint to call. */
  endpoint: string;
  /** The extension to dial after the endpoint answers. Mutually exclusive with 'app'. */
  extension?: string;
  /** The context to dial after the endpoint answers. If omitted, uses 'default'. Mutually exclusive with 'app'. */
  context?: string;
  /** The priority to dial after the endpoint answers. If omitted, uses 1. Mutually exclusive with 'app'. */
  priority?: number;
  /** The label to dial after the endpoint answers. Will supersede 'priority' if provided. Mutually exclusive with 'app'. */
  label?: string;
  /** The application that is subscribed to the originated channel. When the channel is answered, it will be passed to this Stasis application. Mutually exclusive with 'context', 'extension', 'priority', and 'label'. */
  app?: string;
  /** The application arguments to pass to the Stasis application provided by 'app'. Mutually exclusive with 'context', 'extension', 'priority', and 'label'. */
  appArgs?: string;
  /** CallerID to use when dialing the endpoint or extension. */
  callerId?: string;
  /** Timeout (in seconds) before giving up dialing, or -1 for no timeout. Default: 30. */
  timeout?: number;
  /** The "variables" key in the body object holds variable key/value pairs to set on the channel on creation. Each variable value may be either a string or an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in channel events (defaults to false). Other keys in the body object are interpreted as query parameters. Ex. { "endpoint": "SIP/Alice", "variables": { "CALLERID(name)": "Alice", "Call_State": { "value": "WaitingForAgent", "report_events": true } } } */
  variables?: Record<string, AriVariableValue>;
  /** The unique id to assign the second channel when using local channels. */
  otherChannelId?: string;
  /** The unique id of the channel which is originating this one. */
  originator?: string;
  /** The format name capability list to use if originator is not specified. Ex. "ulaw,slin16".  Format names can be found with "core show codecs". */
  formats?: string;
}

/** Parameters of `channels.hangup` (DELETE /channels/{channelId}). */
export interface ChannelsHangupParams {
  /** Channel's id */
  channelId: string;
  /** The reason code for hanging up the channel for detail use. Mutually exclusive with 'reason'. See detail hangup codes at here. https://docs.asterisk.org/Configuration/Miscellaneous/Hangup-Cause-Mappings/ */
  reason_code?: string;
  /** Reason for hanging up the channel for simple use. Mutually exclusive with 'reason_code'. */
  reason?:
    | 'normal'
    | 'busy'
    | 'congestion'
    | 'no_answer'
    | 'timeout'
    | 'rejected'
    | 'unallocated'
    | 'normal_unspecified'
    | 'number_incomplete'
    | 'codec_mismatch'
    | 'interworking'
    | 'failure'
    | 'answered_elsewhere';
}

/** Parameters of `channels.continueInDialplan` (POST /channels/{channelId}/continue). */
export interface ChannelsContinueInDialplanParams {
  /** Channel's id */
  channelId: string;
  /** The context to continue to. */
  context?: string;
  /** The extension to continue to. */
  extension?: string;
  /** The priority to continue to. */
  priority?: number;
  /** The label to continue to - will supersede 'priority' if both are provided. */
  label?: string;
}

/** Parameters of `channels.move` (POST /channels/{channelId}/move). */
export interface ChannelsMoveParams {
  /** Channel's id */
  channelId: string;
  /** The channel will be passed to this Stasis application. */
  app: string;
  /** The application arguments to pass to the Stasis application provided by 'app'. */
  appArgs?: string;
}

/** Parameters of `channels.redirect` (POST /channels/{channelId}/redirect). */
export interface ChannelsRedirectParams {
  /** Channel's id */
  channelId: string;
  /** The endpoint to redirect the channel to */
  endpoint: string;
}

/** Parameters of `channels.answer` (POST /channels/{channelId}/answer). */
export interface ChannelsAnswerParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.ring` (POST /channels/{channelId}/ring). */
export interface ChannelsRingParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.ringStop` (DELETE /channels/{channelId}/ring). */
export interface ChannelsRingStopParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.progress` (POST /channels/{channelId}/progress). */
export interface ChannelsProgressParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.sendDTMF` (POST /channels/{channelId}/dtmf). */
export interface ChannelsSendDTMFParams {
  /** Channel's id */
  channelId: string;
  /** DTMF To send. */
  dtmf?: string;
  /** Amount of time to wait before DTMF digits (specified in milliseconds) start. Default: 0. */
  before?: number;
  /** Amount of time in between DTMF digits (specified in milliseconds). Default: 100. */
  between?: number;
  /** Length of each DTMF digit (specified in milliseconds). Default: 100. */
  duration?: number;
  /** Amount of time to wait after DTMF digits (specified in milliseconds) end. Default: 0. */
  after?: number;
}

/** Parameters of `channels.mute` (POST /channels/{channelId}/mute). */
export interface ChannelsMuteParams {
  /** Channel's id */
  channelId: string;
  /** Direction in which to mute audio Default: "both". */
  direction?: 'both' | 'in' | 'out';
}

/** Parameters of `channels.unmute` (DELETE /channels/{channelId}/mute). */
export interface ChannelsUnmuteParams {
  /** Channel's id */
  channelId: string;
  /** Direction in which to unmute audio Default: "both". */
  direction?: 'both' | 'in' | 'out';
}

/** Parameters of `channels.hold` (POST /channels/{channelId}/hold). */
export interface ChannelsHoldParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.unhold` (DELETE /channels/{channelId}/hold). */
export interface ChannelsUnholdParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.startMoh` (POST /channels/{channelId}/moh). */
export interface ChannelsStartMohParams {
  /** Channel's id */
  channelId: string;
  /** Music on hold class to use */
  mohClass?: string;
}

/** Parameters of `channels.stopMoh` (DELETE /channels/{channelId}/moh). */
export interface ChannelsStopMohParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.startSilence` (POST /channels/{channelId}/silence). */
export interface ChannelsStartSilenceParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.stopSilence` (DELETE /channels/{channelId}/silence). */
export interface ChannelsStopSilenceParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.play` (POST /channels/{channelId}/play). */
export interface ChannelsPlayParams {
  /** Channel's id */
  channelId: string;
  /** Media URIs to play. Several values are sent comma-separated. */
  media: Many<string>;
  /** For sounds, selects language for sound. */
  lang?: string;
  /** Number of milliseconds to skip before playing. Only applies to the first URI if multiple media URIs are specified. */
  offsetms?: number;
  /** Number of milliseconds to skip for forward/reverse operations. Default: 3000. */
  skipms?: number;
  /** Playback ID. */
  playbackId?: string;
}

/** Parameters of `channels.playWithId` (POST /channels/{channelId}/play/{playbackId}). */
export interface ChannelsPlayWithIdParams {
  /** Channel's id */
  channelId: string;
  /** Playback ID. */
  playbackId: string;
  /** Media URIs to play. Several values are sent comma-separated. */
  media: Many<string>;
  /** For sounds, selects language for sound. */
  lang?: string;
  /** Number of milliseconds to skip before playing. Only applies to the first URI if multiple media URIs are specified. */
  offsetms?: number;
  /** Number of milliseconds to skip for forward/reverse operations. Default: 3000. */
  skipms?: number;
}

/** Parameters of `channels.record` (POST /channels/{channelId}/record). */
export interface ChannelsRecordParams {
  /** Channel's id */
  channelId: string;
  /** Recording's filename */
  name: string;
  /** Format to encode audio in */
  format: string;
  /** Maximum duration of the recording, in seconds. 0 for no limit Default: 0. */
  maxDurationSeconds?: number;
  /** Maximum duration of silence, in seconds. 0 for no limit Default: 0. */
  maxSilenceSeconds?: number;
  /** Action to take if a recording with the same name already exists. Default: "fail". */
  ifExists?: 'fail' | 'overwrite' | 'append';
  /** Play beep when recording begins Default: false. */
  beep?: boolean;
  /** DTMF input to terminate recording Default: "none". */
  terminateOn?: 'none' | 'any' | '*' | '#';
}

/** Parameters of `channels.getChannelVar` (GET /channels/{channelId}/variable). */
export interface ChannelsGetChannelVarParams {
  /** Channel's id */
  channelId: string;
  /** The channel variable or function to get */
  variable: string;
}

/** Parameters of `channels.setChannelVar` (POST /channels/{channelId}/variable). */
export interface ChannelsSetChannelVarParams {
  /** Channel's id */
  channelId: string;
  /** The channel variable or function to set */
  variable: string;
  /** The value to set the variable to */
  value?: string;
  /** Whether this variable should be included in channel events. Defaults to false. Default: false. */
  report_events?: boolean;
}

/** Parameters of `channels.getChannelVars` (GET /channels/{channelId}/variables). */
export interface ChannelsGetChannelVarsParams {
  /** Channel's id */
  channelId: string;
  /** The channel variables or functions to get Several values are sent comma-separated. */
  variables: Many<string>;
}

/** Parameters of `channels.setChannelVars` (POST /channels/{channelId}/variables). */
export interface ChannelsSetChannelVarsParams {
  /** Channel's id */
  channelId: string;
  /** The "variables" key in the body object holds variable key/value pairs to set on the channel. Each variable value may be either a string or an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in channel events (defaults to false). Ex. { "variables": { "CALLERID(name)": "Alice", "Call_State": { "value": "WaitingForAgent", "report_events": true } } } */
  variables: Record<string, AriVariableValue>;
}

/** Parameters of `channels.snoopChannel` (POST /channels/{channelId}/snoop). */
export interface ChannelsSnoopChannelParams {
  /** Channel's id */
  channelId: string;
  /** Direction of audio to spy on Default: "none". */
  spy?: 'none' | 'both' | 'out' | 'in';
  /** Direction of audio to whisper into Default: "none". */
  whisper?: 'none' | 'both' | 'out' | 'in';
  /** Application the snooping channel is placed into */
  app: string;
  /** The application arguments to pass to the Stasis application */
  appArgs?: string;
  /** Unique ID to assign to snooping channel */
  snoopId?: string;
}

/** Parameters of `channels.snoopChannelWithId` (POST /channels/{channelId}/snoop/{snoopId}). */
export interface ChannelsSnoopChannelWithIdParams {
  /** Channel's id */
  channelId: string;
  /** Unique ID to assign to snooping channel */
  snoopId: string;
  /** Direction of audio to spy on Default: "none". */
  spy?: 'none' | 'both' | 'out' | 'in';
  /** Direction of audio to whisper into Default: "none". */
  whisper?: 'none' | 'both' | 'out' | 'in';
  /** Application the snooping channel is placed into */
  app: string;
  /** The application arguments to pass to the Stasis application */
  appArgs?: string;
}

/** Parameters of `channels.dial` (POST /channels/{channelId}/dial). */
export interface ChannelsDialParams {
  /** Channel's id */
  channelId: string;
  /** Channel ID of caller */
  caller?: string;
  /** Dial timeout Default: 0. */
  timeout?: number;
}

/** Parameters of `channels.rtpstatistics` (GET /channels/{channelId}/rtp_statistics). */
export interface ChannelsRtpstatisticsParams {
  /** Channel's id */
  channelId: string;
}

/** Parameters of `channels.externalMedia` (POST /channels/externalMedia). */
export interface ChannelsExternalMediaParams {
  /** The unique id to assign the channel on creation. */
  channelId?: string;
  /** Stasis Application to place channel into */
  app: string;
  /** The "variables" key in the body object holds variable key/value pairs to set on the channel on creation. Each variable value may be either a string or an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in channel events (defaults to false). Other keys in the body object are interpreted as query parameters. Ex. { "endpoint": "SIP/Alice", "variables": { "CALLERID(name)": "Alice", "Call_State": { "value": "WaitingForAgent", "report_events": true } } } */
  variables?: Record<string, AriVariableValue>;
  /** Hostname/ip:port or websocket_client connection ID of external host.  May be empty for a websocket server connection. */
  external_host?: string;
  /** Payload encapsulation protocol.  Must be 'none' for the websocket transport. Default: "rtp". */
  encapsulation?: 'rtp' | 'audiosocket' | 'none';
  /** Transport protocol Default: "udp". */
  transport?: 'udp' | 'tcp' | 'websocket';
  /** Connection type (client/server). 'server' is only valid for the websocket transport. Default: "client". */
  connection_type?: 'client' | 'server';
  /** Format to encode audio in */
  format: string;
  /** External media direction Default: "both". */
  direction?: 'both';
  /** An arbitrary data field */
  data?: string;
  /** Transport-specific data. For websocket this is appended to the dialstring. */
  transport_data?: string;
}

/** Parameters of `channels.transfer_progress` (POST /channels/{channelId}/transfer_progress). */
export interface ChannelsTransferProgressParams {
  /** Channel's id */
  channelId: string;
  /** The state of the progress */
  states: string;
}

/** `client.channels`: the operations of ARI's `channels` resource, named by their nicknames. */
export interface ChannelsApi {
  /**
   * List all active channels in Asterisk.
   *
   * `GET /ari/channels`
   */
  list(params?: Record<string, never>, options?: CallOptions): Promise<Channel[]>;
  /**
   * Create a new channel (originate).
   *
   * The new channel is created immediately and a snapshot of it returned. If a Stasis application is provided it will be automatically subscribed to the originated channel for further events and updates.
   *
   * `POST /ari/channels`
   * @throws AriHttpError 400: Invalid parameters for originating a channel.
   * @throws AriHttpError 409: Channel with given unique ID already exists.
   */
  originate(params: ChannelsOriginateParams, options?: CallOptions): Promise<Channel>;
  /**
   * Create channel.
   *
   * `POST /ari/channels/create`
   * @throws AriHttpError 409: Channel with given unique ID already exists.
   */
  create(params: ChannelsCreateParams, options?: CallOptions): Promise<Channel>;
  /**
   * Channel details.
   *
   * `GET /ari/channels/{channelId}`
   * @throws AriHttpError 404: Channel not found
   */
  get(params: ChannelsGetParams, options?: CallOptions): Promise<Channel>;
  /**
   * Create a new channel (originate with id).
   *
   * The new channel is created immediately and a snapshot of it returned. If a Stasis application is provided it will be automatically subscribed to the originated channel for further events and updates.
   *
   * `POST /ari/channels/{channelId}`
   * @throws AriHttpError 400: Invalid parameters for originating a channel.
   * @throws AriHttpError 409: Channel with given unique ID already exists.
   */
  originateWithId(params: ChannelsOriginateWithIdParams, options?: CallOptions): Promise<Channel>;
  /**
   * Delete (i.e. hangup) a channel.
   *
   * `DELETE /ari/channels/{channelId}`
   * @throws AriHttpError 400: Invalid reason for hangup provided
   * @throws AriHttpError 404: Channel not found
   */
  hangup(params: ChannelsHangupParams, options?: CallOptions): Promise<void>;
  /**
   * Exit application; continue execution in the dialplan.
   *
   * `POST /ari/channels/{channelId}/continue`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  continueInDialplan(params: ChannelsContinueInDialplanParams, options?: CallOptions): Promise<void>;
  /**
   * Move the channel from one Stasis application to another.
   *
   * `POST /ari/channels/{channelId}/move`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   */
  move(params: ChannelsMoveParams, options?: CallOptions): Promise<void>;
  /**
   * Redirect the channel to a different location.
   *
   * `POST /ari/channels/{channelId}/redirect`
   * @throws AriHttpError 400: Endpoint parameter not provided
   * @throws AriHttpError 404: Channel or endpoint not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 422: Endpoint is not the same type as the channel
   * @throws AriHttpError 412: Channel in invalid state
   */
  redirect(params: ChannelsRedirectParams, options?: CallOptions): Promise<void>;
  /**
   * Answer a channel.
   *
   * `POST /ari/channels/{channelId}/answer`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  answer(params: ChannelsAnswerParams, options?: CallOptions): Promise<void>;
  /**
   * Indicate ringing to a channel.
   *
   * `POST /ari/channels/{channelId}/ring`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  ring(params: ChannelsRingParams, options?: CallOptions): Promise<void>;
  /**
   * Stop ringing indication on a channel if locally generated.
   *
   * `DELETE /ari/channels/{channelId}/ring`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  ringStop(params: ChannelsRingStopParams, options?: CallOptions): Promise<void>;
  /**
   * Indicate progress on a channel.
   *
   * `POST /ari/channels/{channelId}/progress`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  progress(params: ChannelsProgressParams, options?: CallOptions): Promise<void>;
  /**
   * Send provided DTMF to a given channel.
   *
   * `POST /ari/channels/{channelId}/dtmf`
   * @throws AriHttpError 400: DTMF is required
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  sendDTMF(params: ChannelsSendDTMFParams, options?: CallOptions): Promise<void>;
  /**
   * Mute a channel.
   *
   * `POST /ari/channels/{channelId}/mute`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  mute(params: ChannelsMuteParams, options?: CallOptions): Promise<void>;
  /**
   * Unmute a channel.
   *
   * `DELETE /ari/channels/{channelId}/mute`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  unmute(params: ChannelsUnmuteParams, options?: CallOptions): Promise<void>;
  /**
   * Hold a channel.
   *
   * `POST /ari/channels/{channelId}/hold`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  hold(params: ChannelsHoldParams, options?: CallOptions): Promise<void>;
  /**
   * Remove a channel from hold.
   *
   * `DELETE /ari/channels/{channelId}/hold`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  unhold(params: ChannelsUnholdParams, options?: CallOptions): Promise<void>;
  /**
   * Play music on hold to a channel.
   *
   * Using media operations such as /play on a channel playing MOH in this manner will suspend MOH without resuming automatically. If continuing music on hold is desired, the stasis application must reinitiate music on hold.
   *
   * `POST /ari/channels/{channelId}/moh`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  startMoh(params: ChannelsStartMohParams, options?: CallOptions): Promise<void>;
  /**
   * Stop playing music on hold to a channel.
   *
   * `DELETE /ari/channels/{channelId}/moh`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  stopMoh(params: ChannelsStopMohParams, options?: CallOptions): Promise<void>;
  /**
   * Play silence to a channel.
   *
   * Using media operations such as /play on a channel playing silence in this manner will suspend silence without resuming automatically.
   *
   * `POST /ari/channels/{channelId}/silence`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  startSilence(params: ChannelsStartSilenceParams, options?: CallOptions): Promise<void>;
  /**
   * Stop playing silence to a channel.
   *
   * `DELETE /ari/channels/{channelId}/silence`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  stopSilence(params: ChannelsStopSilenceParams, options?: CallOptions): Promise<void>;
  /**
   * Start playback of media.
   *
   * The media URI may be any of a number of URI's. Currently sound:, recording:, number:, digits:, characters:, and tone: URI's are supported. This operation creates a playback resource that can be used to control the playback of media (pause, rewind, fast forward, etc.)
   *
   * `POST /ari/channels/{channelId}/play`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  play(params: ChannelsPlayParams, options?: CallOptions): Promise<Playback>;
  /**
   * Start playback of media and specify the playbackId.
   *
   * The media URI may be any of a number of URI's. Currently sound:, recording:, number:, digits:, characters:, and tone: URI's are supported. This operation creates a playback resource that can be used to control the playback of media (pause, rewind, fast forward, etc.)
   *
   * `POST /ari/channels/{channelId}/play/{playbackId}`
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  playWithId(params: ChannelsPlayWithIdParams, options?: CallOptions): Promise<Playback>;
  /**
   * Start a recording.
   *
   * Record audio from a channel. Note that this will not capture audio sent to the channel. The bridge itself has a record feature if that's what you want.
   *
   * `POST /ari/channels/{channelId}/record`
   * @throws AriHttpError 400: Invalid parameters
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel is not in a Stasis application; the channel is currently bridged with other channels; A recording with the same name already exists on the system and can not be overwritten because it is in progress or ifExists=fail
   * @throws AriHttpError 422: The format specified is unknown on this system
   */
  record(params: ChannelsRecordParams, options?: CallOptions): Promise<LiveRecording>;
  /**
   * Get the value of a channel variable or function.
   *
   * `GET /ari/channels/{channelId}/variable`
   * @throws AriHttpError 400: Missing variable parameter.
   * @throws AriHttpError 404: Channel or variable not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   */
  getChannelVar(params: ChannelsGetChannelVarParams, options?: CallOptions): Promise<Variable>;
  /**
   * Set the value of a channel variable or function.
   *
   * `POST /ari/channels/{channelId}/variable`
   * @throws AriHttpError 400: Missing variable parameter.
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   */
  setChannelVar(params: ChannelsSetChannelVarParams, options?: CallOptions): Promise<void>;
  /**
   * Get the value of multiple channel variables or functions.
   *
   * `GET /ari/channels/{channelId}/variables`
   * @throws AriHttpError 400: Missing variables parameter.
   * @throws AriHttpError 404: Channel or variable not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   */
  getChannelVars(params: ChannelsGetChannelVarsParams, options?: CallOptions): Promise<Variables>;
  /**
   * Set the values of multiple channel variables or functions.
   *
   * `POST /ari/channels/{channelId}/variables`
   * @throws AriHttpError 400: Missing variables parameter.
   * @throws AriHttpError 404: Channel not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   */
  setChannelVars(params: ChannelsSetChannelVarsParams, options?: CallOptions): Promise<void>;
  /**
   * Start snooping.
   *
   * Snoop (spy/whisper) on a specific channel.
   *
   * `POST /ari/channels/{channelId}/snoop`
   * @throws AriHttpError 400: Invalid parameters
   * @throws AriHttpError 404: Channel not found
   */
  snoopChannel(params: ChannelsSnoopChannelParams, options?: CallOptions): Promise<Channel>;
  /**
   * Start snooping.
   *
   * Snoop (spy/whisper) on a specific channel.
   *
   * `POST /ari/channels/{channelId}/snoop/{snoopId}`
   * @throws AriHttpError 400: Invalid parameters
   * @throws AriHttpError 404: Channel not found
   */
  snoopChannelWithId(params: ChannelsSnoopChannelWithIdParams, options?: CallOptions): Promise<Channel>;
  /**
   * Dial a created channel.
   *
   * `POST /ari/channels/{channelId}/dial`
   * @throws AriHttpError 404: Channel cannot be found.
   * @throws AriHttpError 409: Channel cannot be dialed.
   */
  dial(params: ChannelsDialParams, options?: CallOptions): Promise<void>;
  /**
   * RTP stats on a channel.
   *
   * `GET /ari/channels/{channelId}/rtp_statistics`
   * @throws AriHttpError 404: Channel cannot be found.
   */
  rtpstatistics(params: ChannelsRtpstatisticsParams, options?: CallOptions): Promise<RTPstat>;
  /**
   * Start an External Media session.
   *
   * Create a channel to an External Media source/sink.  The combination of transport and encapsulation will select one of chan_rtp(udp/rtp), chan_audiosocket(tcp/audiosocket) or chan_websocket(websocket/none) channel drivers.
   *
   * `POST /ari/channels/externalMedia`
   * @throws AriHttpError 400: Invalid parameters
   * @throws AriHttpError 409: Channel is not in a Stasis application; Channel is already bridged
   */
  externalMedia(params: ChannelsExternalMediaParams, options?: CallOptions): Promise<Channel>;
  /**
   * Inform the channel about the progress of the attended/blind transfer.
   *
   * `POST /ari/channels/{channelId}/transfer_progress`
   * @throws AriHttpError 400: Endpoint parameter not provided
   * @throws AriHttpError 404: Channel or endpoint not found
   * @throws AriHttpError 409: Channel not in a Stasis application
   * @throws AriHttpError 412: Channel in invalid state
   */
  transfer_progress(params: ChannelsTransferProgressParams, options?: CallOptions): Promise<void>;
}

// --- bridges

/** Parameters of `bridges.create` (POST /bridges). */
export interface BridgesCreateParams {
  /** Comma separated list of bridge type attributes (mixing, holding, dtmf_events, proxy_media, video_sfu, video_single, sdp_label). */
  type?: string;
  /** Unique ID to give to the bridge being created. */
  bridgeId?: string;
  /** Name to give to the bridge being created. */
  name?: string;
  /** The "variables" key in the body object holds variable key/value pairs to set on the bridge on creation. Each variable is an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in bridge events (defaults to false).   Ex. { "name": "SupportBridge", "variables": {  "Bridge_State": { "value": "WaitingForAgent", "report_events": true } } } */
  variables?: Record<string, AriVariableValue>;
}

/** Parameters of `bridges.createWithId` (POST /bridges/{bridgeId}). */
export interface BridgesCreateWithIdParams {
  /** Comma separated list of bridge type attributes (mixing, holding, dtmf_events, proxy_media, video_sfu, video_single, sdp_label) to set. */
  type?: string;
  /** Unique ID to give to the bridge being created. */
  bridgeId: string;
  /** Set the name of the bridge. */
  name?: string;
  /** The "variables" key in the body object holds variable key/value pairs to set on the bridge on creation. Each variable is an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in bridge events (defaults to false).   Ex. { "name": "SupportBridge", "variables": {  "Bridge_State": { "value": "WaitingForAgent", "report_events": true } } } */
  variables?: Record<string, AriVariableValue>;
}

/** Parameters of `bridges.get` (GET /bridges/{bridgeId}). */
export interface BridgesGetParams {
  /** Bridge's id */
  bridgeId: string;
}

/** Parameters of `bridges.destroy` (DELETE /bridges/{bridgeId}). */
export interface BridgesDestroyParams {
  /** Bridge's id */
  bridgeId: string;
}

/** Parameters of `bridges.getBridgeVar` (GET /bridges/{bridgeId}/variable). */
export interface BridgesGetBridgeVarParams {
  /** Bridge's id */
  bridgeId: string;
  /** The bridge variable or function to get */
  variable: string;
}

/** Parameters of `bridges.setBridgeVar` (POST /bridges/{bridgeId}/variable). */
export interface BridgesSetBridgeVarParams {
  /** Bridge's id */
  bridgeId: string;
  /** The bridge variable or function to set */
  variable: string;
  /** The value to set the variable to */
  value?: string;
  /** Whether this variable should be included in bridge events. Defaults to false. Default: false. */
  report_events?: boolean;
}

/** Parameters of `bridges.getBridgeVars` (GET /bridges/{bridgeId}/variables). */
export interface BridgesGetBridgeVarsParams {
  /** Bridge's id */
  bridgeId: string;
  /** The bridge variables or functions to get Several values are sent comma-separated. */
  variables: Many<string>;
}

/** Parameters of `bridges.setBridgeVars` (POST /bridges/{bridgeId}/variables). */
export interface BridgesSetBridgeVarsParams {
  /** Bridge's id */
  bridgeId: string;
  /** The "variables" key in the body object holds variable key/value pairs to set on the bridge. Each variable value may be either a string or an object containing "value" (string) and optional "report_events" (boolean) to include updates for that variable in bridge events (defaults to false). Ex. { "variables": { "Bridge_State": "WaitingForAgent", "Support_Level": { "value": "Premium", "report_events": true } } } */
  variables: Record<string, AriVariableValue>;
}

/** Parameters of `bridges.addChannel` (POST /bridges/{bridgeId}/addChannel). */
export interface BridgesAddChannelParams {
  /** Bridge's id */
  bridgeId: string;
  /** Ids of channels to add to bridge Several values are sent comma-separated. */
  channel: Many<string>;
  /** Channel's role in the bridge */
  role?: string;
  /** Absorb DTMF coming from this channel, preventing it to pass through to the bridge Default: false. */
  absorbDTMF?: boolean;
  /** Mute audio from this channel, preventing it to pass through to the bridge Default: false. */
  mute?: boolean;
  /** Do not present the identity of the newly connected channel to other bridge members Default: false. */
  inhibitConnectedLineUpdates?: boolean;
}

/** Parameters of `bridges.removeChannel` (POST /bridges/{bridgeId}/removeChannel). */
export interface BridgesRemoveChannelParams {
  /** Bridge's id */
  bridgeId: string;
  /** Ids of channels to remove from bridge Several values are sent comma-separated. */
  channel: Many<string>;
}

/** Parameters of `bridges.setVideoSource` (POST /bridges/{bridgeId}/videoSource/{channelId}). */
export interface BridgesSetVideoSourceParams {
  /** Bridge's id */
  bridgeId: string;
  /** Channel's id */
  channelId: string;
}

/** Parameters of `bridges.clearVideoSource` (DELETE /bridges/{bridgeId}/videoSource). */
export interface BridgesClearVideoSourceParams {
  /** Bridge's id */
  bridgeId: string;
}

/** Parameters of `bridges.startMoh` (POST /bridges/{bridgeId}/moh). */
export interface BridgesStartMohParams {
  /** Bridge's id */
  bridgeId: string;
  /** Channel's id */
  mohClass?: string;
}

/** Parameters of `bridges.stopMoh` (DELETE /bridges/{bridgeId}/moh). */
export interface BridgesStopMohParams {
  /** Bridge's id */
  bridgeId: string;
}

/** Parameters of `bridges.play` (POST /bridges/{bridgeId}/play). */
export interface BridgesPlayParams {
  /** Bridge's id */
  bridgeId: string;
  /** Media URIs to play. Several values are sent comma-separated. */
  media: Many<string>;
  /** Format of the 'Anouncer' channel attached to the bridge. Defaults to the format of the channel in the bridge with the highest sampe rate. */
  announcer_format?: string;
  /** For sounds, selects language for sound. */
  lang?: string;
  /** Number of milliseconds to skip before playing. Only applies to the first URI if multiple media URIs are specified. Default: 0. */
  offsetms?: number;
  /** Number of milliseconds to skip for forward/reverse operations. Default: 3000. */
  skipms?: number;
  /** Playback Id. */
  playbackId?: string;
}

/** Parameters of `bridges.playWithId` (POST /bridges/{bridgeId}/play/{playbackId}). */
export interface BridgesPlayWithIdParams {
  /** Bridge's id */
  bridgeId: string;
  /** Playback ID. */
  playbackId: string;
  /** Media URIs to play. Several values are sent comma-separated. */
  media: Many<string>;
  /** Format of the 'Anouncer' channel attached to the bridge. Defaults to the format of the channel in the bridge with the highest sampe rate. */
  announcer_format?: string;
  /** For sounds, selects language for sound. */
  lang?: string;
  /** Number of milliseconds to skip before playing. Only applies to the first URI if multiple media URIs are specified. Default: 0. */
  offsetms?: number;
  /** Number of milliseconds to skip for forward/reverse operations. Default: 3000. */
  skipms?: number;
}

/** Parameters of `bridges.record` (POST /bridges/{bridgeId}/record). */
export interface BridgesRecordParams {
  /** Bridge's id */
  bridgeId: string;
  /** Recording's filename */
  name: string;
  /** Format to encode audio in */
  format: string;
  /** Format of the 'Recorder' channel attached to the bridge. Defaults to the same format as the 'format' parameter. */
  recorder_format?: string;
  /** Maximum duration of the recording, in seconds. 0 for no limit. Default: 0. */
  maxDurationSeconds?: number;
  /** Maximum duration of silence, in seconds. 0 for no limit. Default: 0. */
  maxSilenceSeconds?: number;
  /** Action to take if a recording with the same name already exists. Default: "fail". */
  ifExists?: 'fail' | 'overwrite' | 'append';
  /** Play beep when recording begins Default: false. */
  beep?: boolean;
  /** DTMF input to terminate recording. Default: "none". */
  terminateOn?: 'none' | 'any' | '*' | '#';
}

/** `client.bridges`: the operations of ARI's `bridges` resource, named by their nicknames. */
export interface BridgesApi {
  /**
   * List all active bridges in Asterisk.
   *
   * `GET /ari/bridges`
   */
  list(params?: Record<string, never>, options?: CallOptions): Promise<Bridge[]>;
  /**
   * Create a new bridge.
   *
   * This bridge persists until it has been shut down, or Asterisk has been shut down.
   *
   * `POST /ari/bridges`
   * @throws AriHttpError 409: Bridge with the same bridgeId already exists
   */
  create(params?: BridgesCreateParams, options?: CallOptions): Promise<Bridge>;
  /**
   * Create a new bridge.
   *
   * This bridge persists until it has been shut down, or Asterisk has been shut down.
   *
   * `POST /ari/bridges/{bridgeId}`
   * @throws AriHttpError 409: Bridge with the same bridgeId already exists
   */
  createWithId(params: BridgesCreateWithIdParams, options?: CallOptions): Promise<Bridge>;
  /**
   * Get bridge details.
   *
   * `GET /ari/bridges/{bridgeId}`
   * @throws AriHttpError 404: Bridge not found
   */
  get(params: BridgesGetParams, options?: CallOptions): Promise<Bridge>;
  /**
   * Shut down a bridge.
   *
   * If any channels are in this bridge, they will be removed and resume whatever they were doing beforehand.
   *
   * `DELETE /ari/bridges/{bridgeId}`
   * @throws AriHttpError 404: Bridge not found
   */
  destroy(params: BridgesDestroyParams, options?: CallOptions): Promise<void>;
  /**
   * Get the value of a bridge variable or function.
   *
   * `GET /ari/bridges/{bridgeId}/variable`
   * @throws AriHttpError 400: Missing variable parameter.
   * @throws AriHttpError 404: Bridge or variable not found
   * @throws AriHttpError 409: Bridge not in a Stasis application
   */
  getBridgeVar(params: BridgesGetBridgeVarParams, options?: CallOptions): Promise<Variable>;
  /**
   * Set the value of a bridge variable or function.
   *
   * `POST /ari/bridges/{bridgeId}/variable`
   * @throws AriHttpError 400: Missing variable parameter.
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in a Stasis application
   */
  setBridgeVar(params: BridgesSetBridgeVarParams, options?: CallOptions): Promise<void>;
  /**
   * Get the value of multiple bridge variables or functions.
   *
   * `GET /ari/bridges/{bridgeId}/variables`
   * @throws AriHttpError 400: Missing variables parameter.
   * @throws AriHttpError 404: Bridge or variable not found
   * @throws AriHttpError 409: Bridge not in a Stasis application
   */
  getBridgeVars(params: BridgesGetBridgeVarsParams, options?: CallOptions): Promise<Variables>;
  /**
   * Set the values of multiple bridge variables or functions.
   *
   * `POST /ari/bridges/{bridgeId}/variables`
   * @throws AriHttpError 400: Missing variables parameter.
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in a Stasis application
   */
  setBridgeVars(params: BridgesSetBridgeVarsParams, options?: CallOptions): Promise<void>;
  /**
   * Add a channel to a bridge.
   *
   * `POST /ari/bridges/{bridgeId}/addChannel`
   * @throws AriHttpError 400: Channel not found
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in Stasis application; Channel currently recording
   * @throws AriHttpError 422: Channel not in Stasis application
   */
  addChannel(params: BridgesAddChannelParams, options?: CallOptions): Promise<void>;
  /**
   * Remove a channel from a bridge.
   *
   * `POST /ari/bridges/{bridgeId}/removeChannel`
   * @throws AriHttpError 400: Channel not found
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in Stasis application
   * @throws AriHttpError 422: Channel not in this bridge
   */
  removeChannel(params: BridgesRemoveChannelParams, options?: CallOptions): Promise<void>;
  /**
   * Set a channel as the video source in a multi-party mixing bridge. This operation has no effect on bridges with two or fewer participants.
   *
   * `POST /ari/bridges/{bridgeId}/videoSource/{channelId}`
   * @throws AriHttpError 404: Bridge or Channel not found
   * @throws AriHttpError 409: Channel not in Stasis application
   * @throws AriHttpError 422: Channel not in this Bridge
   */
  setVideoSource(params: BridgesSetVideoSourceParams, options?: CallOptions): Promise<void>;
  /**
   * Removes any explicit video source in a multi-party mixing bridge. This operation has no effect on bridges with two or fewer participants. When no explicit video source is set, talk detection will be used to determine the active video stream.
   *
   * `DELETE /ari/bridges/{bridgeId}/videoSource`
   * @throws AriHttpError 404: Bridge not found
   */
  clearVideoSource(params: BridgesClearVideoSourceParams, options?: CallOptions): Promise<void>;
  /**
   * Play music on hold to a bridge or change the MOH class that is playing.
   *
   * `POST /ari/bridges/{bridgeId}/moh`
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in Stasis application
   */
  startMoh(params: BridgesStartMohParams, options?: CallOptions): Promise<void>;
  /**
   * Stop playing music on hold to a bridge.
   *
   * This will only stop music on hold being played via POST bridges/{bridgeId}/moh.
   *
   * `DELETE /ari/bridges/{bridgeId}/moh`
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in Stasis application
   */
  stopMoh(params: BridgesStopMohParams, options?: CallOptions): Promise<void>;
  /**
   * Start playback of media on a bridge.
   *
   * The media URI may be any of a number of URI's. Currently sound:, recording:, number:, digits:, characters:, and tone: URI's are supported. This operation creates a playback resource that can be used to control the playback of media (pause, rewind, fast forward, etc.)
   *
   * `POST /ari/bridges/{bridgeId}/play`
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in a Stasis application
   * @throws AriHttpError 422: The format specified is unknown on this system
   */
  play(params: BridgesPlayParams, options?: CallOptions): Promise<Playback>;
  /**
   * Start playback of media on a bridge.
   *
   * The media URI may be any of a number of URI's. Currently sound:, recording:, number:, digits:, characters:, and tone: URI's are supported. This operation creates a playback resource that can be used to control the playback of media (pause, rewind, fast forward, etc.)
   *
   * `POST /ari/bridges/{bridgeId}/play/{playbackId}`
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge not in a Stasis application
   * @throws AriHttpError 422: The format specified is unknown on this system
   */
  playWithId(params: BridgesPlayWithIdParams, options?: CallOptions): Promise<Playback>;
  /**
   * Start a recording.
   *
   * This records the mixed audio from all channels participating in this bridge.
   *
   * `POST /ari/bridges/{bridgeId}/record`
   * @throws AriHttpError 400: Invalid parameters
   * @throws AriHttpError 404: Bridge not found
   * @throws AriHttpError 409: Bridge is not in a Stasis application; A recording with the same name already exists on the system and can not be overwritten because it is in progress or ifExists=fail
   * @throws AriHttpError 422: The format specified is unknown on this system
   */
  record(params: BridgesRecordParams, options?: CallOptions): Promise<LiveRecording>;
}

// --- recordings

/** Parameters of `recordings.getStored` (GET /recordings/stored/{recordingName}). */
export interface RecordingsGetStoredParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.deleteStored` (DELETE /recordings/stored/{recordingName}). */
export interface RecordingsDeleteStoredParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.getStoredFile` (GET /recordings/stored/{recordingName}/file). */
export interface RecordingsGetStoredFileParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.copyStored` (POST /recordings/stored/{recordingName}/copy). */
export interface RecordingsCopyStoredParams {
  /** The name of the recording to copy */
  recordingName: string;
  /** The destination name of the recording */
  destinationRecordingName: string;
}

/** Parameters of `recordings.getLive` (GET /recordings/live/{recordingName}). */
export interface RecordingsGetLiveParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.cancel` (DELETE /recordings/live/{recordingName}). */
export interface RecordingsCancelParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.stop` (POST /recordings/live/{recordingName}/stop). */
export interface RecordingsStopParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.pause` (POST /recordings/live/{recordingName}/pause). */
export interface RecordingsPauseParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.unpause` (DELETE /recordings/live/{recordingName}/pause). */
export interface RecordingsUnpauseParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.mute` (POST /recordings/live/{recordingName}/mute). */
export interface RecordingsMuteParams {
  /** The name of the recording */
  recordingName: string;
}

/** Parameters of `recordings.unmute` (DELETE /recordings/live/{recordingName}/mute). */
export interface RecordingsUnmuteParams {
  /** The name of the recording */
  recordingName: string;
}

/** `client.recordings`: the operations of ARI's `recordings` resource, named by their nicknames. */
export interface RecordingsApi {
  /**
   * List recordings that are complete.
   *
   * `GET /ari/recordings/stored`
   */
  listStored(params?: Record<string, never>, options?: CallOptions): Promise<StoredRecording[]>;
  /**
   * Get a stored recording's details.
   *
   * `GET /ari/recordings/stored/{recordingName}`
   * @throws AriHttpError 404: Recording not found
   */
  getStored(params: RecordingsGetStoredParams, options?: CallOptions): Promise<StoredRecording>;
  /**
   * Delete a stored recording.
   *
   * `DELETE /ari/recordings/stored/{recordingName}`
   * @throws AriHttpError 404: Recording not found
   */
  deleteStored(params: RecordingsDeleteStoredParams, options?: CallOptions): Promise<void>;
  /**
   * Get the file associated with the stored recording.
   *
   * `GET /ari/recordings/stored/{recordingName}/file`
   * @throws AriHttpError 403: The recording file could not be opened
   * @throws AriHttpError 404: Recording not found
   */
  getStoredFile(params: RecordingsGetStoredFileParams, options?: CallOptions): Promise<Readable>;
  /**
   * Copy a stored recording.
   *
   * `POST /ari/recordings/stored/{recordingName}/copy`
   * @throws AriHttpError 404: Recording not found
   * @throws AriHttpError 409: A recording with the same name already exists on the system
   */
  copyStored(params: RecordingsCopyStoredParams, options?: CallOptions): Promise<StoredRecording>;
  /**
   * List live recordings.
   *
   * `GET /ari/recordings/live/{recordingName}`
   * @throws AriHttpError 404: Recording not found
   */
  getLive(params: RecordingsGetLiveParams, options?: CallOptions): Promise<LiveRecording>;
  /**
   * Stop a live recording and discard it.
   *
   * `DELETE /ari/recordings/live/{recordingName}`
   * @throws AriHttpError 404: Recording not found
   */
  cancel(params: RecordingsCancelParams, options?: CallOptions): Promise<void>;
  /**
   * Stop a live recording and store it.
   *
   * `POST /ari/recordings/live/{recordingName}/stop`
   * @throws AriHttpError 404: Recording not found
   */
  stop(params: RecordingsStopParams, options?: CallOptions): Promise<void>;
  /**
   * Pause a live recording.
   *
   * Pausing a recording suspends silence detection, which will be restarted when the recording is unpaused. Paused time is not included in the accounting for maxDurationSeconds.
   *
   * `POST /ari/recordings/live/{recordingName}/pause`
   * @throws AriHttpError 404: Recording not found
   * @throws AriHttpError 409: Recording not in session
   */
  pause(params: RecordingsPauseParams, options?: CallOptions): Promise<void>;
  /**
   * Unpause a live recording.
   *
   * `DELETE /ari/recordings/live/{recordingName}/pause`
   * @throws AriHttpError 404: Recording not found
   * @throws AriHttpError 409: Recording not in session
   */
  unpause(params: RecordingsUnpauseParams, options?: CallOptions): Promise<void>;
  /**
   * Mute a live recording.
   *
   * Muting a recording suspends silence detection, which will be restarted when the recording is unmuted.
   *
   * `POST /ari/recordings/live/{recordingName}/mute`
   * @throws AriHttpError 404: Recording not found
   * @throws AriHttpError 409: Recording not in session
   */
  mute(params: RecordingsMuteParams, options?: CallOptions): Promise<void>;
  /**
   * Unmute a live recording.
   *
   * `DELETE /ari/recordings/live/{recordingName}/mute`
   * @throws AriHttpError 404: Recording not found
   * @throws AriHttpError 409: Recording not in session
   */
  unmute(params: RecordingsUnmuteParams, options?: CallOptions): Promise<void>;
}

// --- sounds

/** Parameters of `sounds.list` (GET /sounds). */
export interface SoundsListParams {
  /** Lookup sound for a specific language. */
  lang?: string;
  /** Lookup sound in a specific format. */
  format?: string;
}

/** Parameters of `sounds.get` (GET /sounds/{soundId}). */
export interface SoundsGetParams {
  /** Sound's id */
  soundId: string;
}

/** `client.sounds`: the operations of ARI's `sounds` resource, named by their nicknames. */
export interface SoundsApi {
  /**
   * List all sounds.
   *
   * `GET /ari/sounds`
   */
  list(params?: SoundsListParams, options?: CallOptions): Promise<Sound[]>;
  /**
   * Get a sound's details.
   *
   * `GET /ari/sounds/{soundId}`
   */
  get(params: SoundsGetParams, options?: CallOptions): Promise<Sound>;
}

// --- playbacks

/** Parameters of `playbacks.get` (GET /playbacks/{playbackId}). */
export interface PlaybacksGetParams {
  /** Playback's id */
  playbackId: string;
}

/** Parameters of `playbacks.stop` (DELETE /playbacks/{playbackId}). */
export interface PlaybacksStopParams {
  /** Playback's id */
  playbackId: string;
}

/** Parameters of `playbacks.control` (POST /playbacks/{playbackId}/control). */
export interface PlaybacksControlParams {
  /** Playback's id */
  playbackId: string;
  /** Operation to perform on the playback. */
  operation: 'restart' | 'pause' | 'unpause' | 'reverse' | 'forward';
}

/** `client.playbacks`: the operations of ARI's `playbacks` resource, named by their nicknames. */
export interface PlaybacksApi {
  /**
   * Get a playback's details.
   *
   * `GET /ari/playbacks/{playbackId}`
   * @throws AriHttpError 404: The playback cannot be found
   */
  get(params: PlaybacksGetParams, options?: CallOptions): Promise<Playback>;
  /**
   * Stop a playback.
   *
   * `DELETE /ari/playbacks/{playbackId}`
   * @throws AriHttpError 404: The playback cannot be found
   */
  stop(params: PlaybacksStopParams, options?: CallOptions): Promise<void>;
  /**
   * Control a playback.
   *
   * `POST /ari/playbacks/{playbackId}/control`
   * @throws AriHttpError 400: The provided operation parameter was invalid
   * @throws AriHttpError 404: The playback cannot be found
   * @throws AriHttpError 409: The operation cannot be performed in the playback's current state
   */
  control(params: PlaybacksControlParams, options?: CallOptions): Promise<void>;
}

// --- deviceStates

/** Parameters of `deviceStates.get` (GET /deviceStates/{deviceName}). */
export interface DeviceStatesGetParams {
  /** Name of the device */
  deviceName: string;
}

/** Parameters of `deviceStates.update` (PUT /deviceStates/{deviceName}). */
export interface DeviceStatesUpdateParams {
  /** Name of the device */
  deviceName: string;
  /** Device state value */
  deviceState: 'NOT_INUSE' | 'INUSE' | 'BUSY' | 'INVALID' | 'UNAVAILABLE' | 'RINGING' | 'RINGINUSE' | 'ONHOLD';
}

/** Parameters of `deviceStates.delete` (DELETE /deviceStates/{deviceName}). */
export interface DeviceStatesDeleteParams {
  /** Name of the device */
  deviceName: string;
}

/** `client.deviceStates`: the operations of ARI's `deviceStates` resource, named by their nicknames. */
export interface DeviceStatesApi {
  /**
   * List all ARI controlled device states.
   *
   * `GET /ari/deviceStates`
   */
  list(params?: Record<string, never>, options?: CallOptions): Promise<DeviceState[]>;
  /**
   * Retrieve the current state of a device.
   *
   * `GET /ari/deviceStates/{deviceName}`
   */
  get(params: DeviceStatesGetParams, options?: CallOptions): Promise<DeviceState>;
  /**
   * Change the state of a device controlled by ARI. (Note - implicitly creates the device state).
   *
   * `PUT /ari/deviceStates/{deviceName}`
   * @throws AriHttpError 404: Device name is missing
   * @throws AriHttpError 409: Uncontrolled device specified
   */
  update(params: DeviceStatesUpdateParams, options?: CallOptions): Promise<void>;
  /**
   * Destroy a device-state controlled by ARI.
   *
   * `DELETE /ari/deviceStates/{deviceName}`
   * @throws AriHttpError 404: Device name is missing
   * @throws AriHttpError 409: Uncontrolled device specified
   */
  delete(params: DeviceStatesDeleteParams, options?: CallOptions): Promise<void>;
}

// --- mailboxes

/** Parameters of `mailboxes.get` (GET /mailboxes/{mailboxName}). */
export interface MailboxesGetParams {
  /** Name of the mailbox */
  mailboxName: string;
}

/** Parameters of `mailboxes.update` (PUT /mailboxes/{mailboxName}). */
export interface MailboxesUpdateParams {
  /** Name of the mailbox */
  mailboxName: string;
  /** Count of old messages in the mailbox */
  oldMessages: number;
  /** Count of new messages in the mailbox */
  newMessages: number;
}

/** Parameters of `mailboxes.delete` (DELETE /mailboxes/{mailboxName}). */
export interface MailboxesDeleteParams {
  /** Name of the mailbox */
  mailboxName: string;
}

/** `client.mailboxes`: the operations of ARI's `mailboxes` resource, named by their nicknames. */
export interface MailboxesApi {
  /**
   * List all mailboxes.
   *
   * `GET /ari/mailboxes`
   */
  list(params?: Record<string, never>, options?: CallOptions): Promise<Mailbox[]>;
  /**
   * Retrieve the current state of a mailbox.
   *
   * `GET /ari/mailboxes/{mailboxName}`
   * @throws AriHttpError 404: Mailbox not found
   */
  get(params: MailboxesGetParams, options?: CallOptions): Promise<Mailbox>;
  /**
   * Change the state of a mailbox. (Note - implicitly creates the mailbox).
   *
   * `PUT /ari/mailboxes/{mailboxName}`
   * @throws AriHttpError 404: Mailbox not found
   */
  update(params: MailboxesUpdateParams, options?: CallOptions): Promise<void>;
  /**
   * Destroy a mailbox.
   *
   * `DELETE /ari/mailboxes/{mailboxName}`
   * @throws AriHttpError 404: Mailbox not found
   */
  delete(params: MailboxesDeleteParams, options?: CallOptions): Promise<void>;
}

// --- events

/** Parameters of `events.userEvent` (POST /events/user/{eventName}). */
export interface EventsUserEventParams {
  /** Event name */
  eventName: string;
  /** The name of the application that will receive this event */
  application: string;
  /** URI for event source (channel:{channelId}, bridge:{bridgeId}, endpoint:{tech}/{resource}, deviceState:{deviceName} Several values are sent comma-separated. */
  source?: Many<string>;
  /** The "variables" key in the body object holds custom key/value pairs to add to the user event. Ex. { "variables": { "key": "value" } } */
  variables?: Record<string, string>;
}

/** Parameters of `events.claimChannel` (POST /events/claim). */
export interface EventsClaimChannelParams {
  /** The ID of the channel to claim */
  channelId: string;
  /** The name of the application claiming the channel */
  application: string;
}

/** `client.events`: the operations of ARI's `events` resource, named by their nicknames. */
export interface EventsApi {
  /**
   * Generate a user event.
   *
   * `POST /ari/events/user/{eventName}`
   * @throws AriHttpError 404: Application does not exist.
   * @throws AriHttpError 422: Event source not found.
   * @throws AriHttpError 400: Invalid even tsource URI or userevent data.
   */
  userEvent(params: EventsUserEventParams, options?: CallOptions): Promise<void>;
  /**
   * Claim a broadcast channel for this application.
   *
   * Atomically claims a channel that is in broadcast state. Only the first claim succeeds.
   *
   * `POST /ari/events/claim`
   * @throws AriHttpError 404: Channel not found or not in broadcast state.
   * @throws AriHttpError 409: Channel has already been claimed by another application.
   */
  claimChannel(params: EventsClaimChannelParams, options?: CallOptions): Promise<void>;
}

// --- applications

/** Parameters of `applications.get` (GET /applications/{applicationName}). */
export interface ApplicationsGetParams {
  /** Application's name */
  applicationName: string;
}

/** Parameters of `applications.subscribe` (POST /applications/{applicationName}/subscription). */
export interface ApplicationsSubscribeParams {
  /** Application's name */
  applicationName: string;
  /** URI for event source (channel:{channelId}, bridge:{bridgeId}, endpoint:{tech}[/{resource}], deviceState:{deviceName} Several values are sent comma-separated. */
  eventSource: Many<string>;
}

/** Parameters of `applications.unsubscribe` (DELETE /applications/{applicationName}/subscription). */
export interface ApplicationsUnsubscribeParams {
  /** Application's name */
  applicationName: string;
  /** URI for event source (channel:{channelId}, bridge:{bridgeId}, endpoint:{tech}[/{resource}], deviceState:{deviceName} Several values are sent comma-separated. */
  eventSource: Many<string>;
}

/** Parameters of `applications.filter` (PUT /applications/{applicationName}/eventFilter). */
export interface ApplicationsFilterParams {
  /** Application's name */
  applicationName: string;
  /** Specify which event types to allow/disallow */
  filter?: Record<string, unknown>;
}

/** `client.applications`: the operations of ARI's `applications` resource, named by their nicknames. */
export interface ApplicationsApi {
  /**
   * List all applications.
   *
   * `GET /ari/applications`
   */
  list(params?: Record<string, never>, options?: CallOptions): Promise<Application[]>;
  /**
   * Get details of an application.
   *
   * `GET /ari/applications/{applicationName}`
   * @throws AriHttpError 404: Application does not exist.
   */
  get(params: ApplicationsGetParams, options?: CallOptions): Promise<Application>;
  /**
   * Subscribe an application to a event source.
   *
   * Returns the state of the application after the subscriptions have changed
   *
   * `POST /ari/applications/{applicationName}/subscription`
   * @throws AriHttpError 400: Missing parameter.
   * @throws AriHttpError 404: Application does not exist.
   * @throws AriHttpError 422: Event source does not exist.
   */
  subscribe(params: ApplicationsSubscribeParams, options?: CallOptions): Promise<Application>;
  /**
   * Unsubscribe an application from an event source.
   *
   * Returns the state of the application after the subscriptions have changed
   *
   * `DELETE /ari/applications/{applicationName}/subscription`
   * @throws AriHttpError 400: Missing parameter; event source scheme not recognized.
   * @throws AriHttpError 404: Application does not exist.
   * @throws AriHttpError 409: Application not subscribed to event source.
   * @throws AriHttpError 422: Event source does not exist.
   */
  unsubscribe(params: ApplicationsUnsubscribeParams, options?: CallOptions): Promise<Application>;
  /**
   * Filter application events types.
   *
   * Allowed and/or disallowed event type filtering can be done. The body (parameter) should specify a JSON key/value object that describes the type of event filtering needed. One, or both of the following keys can be designated:<br /><br />"allowed" - Specifies an allowed list of event types<br />"disallowed" - Specifies a disallowed list of event types<br /><br />Further, each of those key's value should be a JSON array that holds zero, or more JSON key/value objects. Each of these objects must contain the following key with an associated value:<br /><br />"type" - The type name of the event to filter<br /><br />The value must be the string name (case sensitive) of the event type that needs filtering. For example:<br /><br />{ "allowed": [ { "type": "StasisStart" }, { "type": "StasisEnd" } ] }<br /><br />As this specifies only an allowed list, then only those two event type messages are sent to the application. No other event messages are sent.<br /><br />The following rules apply:<br /><br />* If the body is empty, both the allowed and disallowed filters are set empty.<br />* If both list types are given then both are set to their respective values (note, specifying an empty array for a given type sets that type to empty).<br />* If only one list type is given then only that type is set. The other type is not updated.<br />* An empty "allowed" list means all events are allowed.<br />* An empty "disallowed" list means no events are disallowed.<br />* Disallowed events take precedence over allowed events if the event type is specified in both lists.
   *
   * `PUT /ari/applications/{applicationName}/eventFilter`
   * @throws AriHttpError 400: Bad request.
   * @throws AriHttpError 404: Application does not exist.
   */
  filter(params: ApplicationsFilterParams, options?: CallOptions): Promise<Application>;
}

/** Every resource of the client, keyed as the api-docs files are named. */
export interface AriResources {
  readonly asterisk: AsteriskApi;
  readonly endpoints: EndpointsApi;
  readonly channels: ChannelsApi;
  readonly bridges: BridgesApi;
  readonly recordings: RecordingsApi;
  readonly sounds: SoundsApi;
  readonly playbacks: PlaybacksApi;
  readonly deviceStates: DeviceStatesApi;
  readonly mailboxes: MailboxesApi;
  readonly events: EventsApi;
  readonly applications: ApplicationsApi;
}
