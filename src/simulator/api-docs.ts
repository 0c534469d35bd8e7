// The simulator's `/ari/api-docs`: Swagger 1.1/1.2 documents in the shape Asterisk serves, so that clients which
// read the API description at connect time (ari-client and its swagger-client) work against the simulator.
// Operations come from our own operation table; events.json also carries the event models, which ari-client
// needs to dispatch every frame (it looks the frame's `type` up among them) and to wrap resources in events.

import { ARI_EVENT_TYPES } from '../ari/events.js';
import { ARI_OPERATIONS, ARI_RESOURCES, type AriResourceName, type OperationSpec } from '../ari/operations.js';

/**
 * The properties of every model in Asterisk 22's events.json, as `name: type`; a trailing `?` marks an optional
 * property. Types are Swagger 1.x names (`string`, `int`, `Date`, `List[string]`, or a model name).
 */
const EVENT_MODELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Message: { type: 'string', asterisk_id: 'string?' },
  MissingParams: { params: 'List[string]' },
  Event: { application: 'string', timestamp: 'Date' },
  ContactInfo: { uri: 'string', contact_status: 'string', aor: 'string', roundtrip_usec: 'string?' },
  Peer: { peer_status: 'string', cause: 'string?', address: 'string?', port: 'string?', time: 'string?' },
  DeviceStateChanged: { device_state: 'DeviceState' },
  PlaybackStarted: { playback: 'Playback' },
  PlaybackContinuing: { playback: 'Playback' },
  PlaybackFinished: { playback: 'Playback' },
  RecordingStarted: { recording: 'LiveRecording' },
  RecordingFinished: { recording: 'LiveRecording' },
  RecordingFailed: { recording: 'LiveRecording' },
  ApplicationMoveFailed: { channel: 'Channel', destination: 'string', args: 'List[string]' },
  ApplicationRegistered: {},
  ApplicationUnregistered: {},
  ApplicationReplaced: {},
  BridgeCreated: { bridge: 'Bridge' },
  BridgeDestroyed: { bridge: 'Bridge' },
  BridgeMerged: { bridge: 'Bridge', bridge_from: 'Bridge' },
  BridgeVideoSourceChanged: { bridge: 'Bridge', old_video_source_id: 'string?' },
  BridgeBlindTransfer: {
    channel: 'Channel',
    replace_channel: 'Channel?',
    transferee: 'Channel?',
    exten: 'string',
    context: 'string',
    result: 'string',
    is_external: 'boolean',
    bridge: 'Bridge?',
  },
  BridgeAttendedTransfer: {
    transferer_first_leg: 'Channel',
    transferer_second_leg: 'Channel',
    replace_channel: 'Channel?',
    transferee: 'Channel?',
    transfer_target: 'Channel?',
    result: 'string',
    is_external: 'boolean',
    transferer_first_leg_bridge: 'Bridge?',
    transferer_second_leg_bridge: 'Bridge?',
    destination_type: 'string',
    destination_bridge: 'string?',
    destination_application: 'string?',
    destination_link_first_leg: 'Channel?',
    destination_link_second_leg: 'Channel?',
    destination_threeway_channel: 'Channel?',
    destination_threeway_bridge: 'Bridge?',
  },
  ChannelCreated: { channel: 'Channel' },
  ChannelDestroyed: { cause: 'int', cause_txt: 'string', tech_cause: 'int?', channel: 'Channel' },
  ChannelEnteredBridge: { bridge: 'Bridge', channel: 'Channel?' },
  ChannelLeftBridge: { bridge: 'Bridge', channel: 'Channel' },
  ChannelStateChange: { channel: 'Channel' },
  ChannelDtmfReceived: { digit: 'string', duration_ms: 'int', channel: 'Channel' },
  ChannelDialplan: { channel: 'Channel', dialplan_app: 'string', dialplan_app_data: 'string' },
  ChannelCallerId: { caller_presentation: 'int', caller_presentation_txt: 'string', channel: 'Channel' },
  ChannelUserevent: {
    eventname: 'string',
    channel: 'Channel?',
    bridge: 'Bridge?',
    endpoint: 'Endpoint?',
    userevent: 'object',
  },
  ChannelHangupRequest: { cause: 'int?', tech_cause: 'int?', soft: 'boolean?', channel: 'Channel' },
  ChannelVarset: { variable: 'string', value: 'string', channel: 'Channel?' },
  ChannelHold: { channel: 'Channel', musicclass: 'string?' },
  ChannelUnhold: { channel: 'Channel' },
  ChannelToneDetected: { channel: 'Channel' },
  ChannelTalkingStarted: { channel: 'Channel' },
  ChannelTalkingFinished: { channel: 'Channel', duration: 'int' },
  ContactStatusChange: { endpoint: 'Endpoint', contact_info: 'ContactInfo' },
  PeerStatusChange: { endpoint: 'Endpoint', peer: 'Peer' },
  EndpointStateChange: { endpoint: 'Endpoint' },
  Dial: {
    caller: 'Channel?',
    peer: 'Channel',
    forward: 'string?',
    forwarded: 'Channel?',
    dialstring: 'string?',
    dialstatus: 'string',
  },
  StasisEnd: { channel: 'Channel' },
  StasisStart: { args: 'List[string]', channel: 'Channel', replace_channel: 'Channel?' },
  TextMessageReceived: { message: 'TextMessage', endpoint: 'Endpoint?' },
  ChannelConnectedLine: { channel: 'Channel' },
  ChannelTransfer: { state: 'string?', refer_to: 'ReferTo', referred_by: 'ReferredBy' },
  ReferTo: {
    requested_destination: 'RequiredDestination',
    destination_channel: 'Channel?',
    connected_channel: 'Channel?',
    bridge: 'Bridge?',
  },
  ReferredBy: { source_channel: 'Channel', connected_channel: 'Channel?', bridge: 'Bridge?' },
  RequiredDestination: {
    protocol_id: 'string?',
    destination: 'string?',
    additional_protocol_params: 'List[AdditionalParam]?',
  },
  AdditionalParam: { parameter_name: 'string', parameter_value: 'string' },
  RESTHeader: { name: 'string', value: 'string' },
  RESTQueryStringParameter: { name: 'string', value: 'string' },
  RESTRequest: {
    type: 'string',
    transaction_id: 'string',
    request_id: 'string',
    method: 'string',
    uri: 'string',
    content_type: 'string?',
    query_strings: 'List[RESTQueryStringParameter]?',
    message_body: 'string?',
  },
  RESTResponse: {
    transaction_id: 'string',
    request_id: 'string',
    status_code: 'int',
    reason_phrase: 'string',
    uri: 'string',
    content_type: 'string?',
    message_body: 'string?',
  },
  CallBroadcast: { channel: 'Channel', caller: 'string?', called: 'string?' },
  CallClaimed: { channel: 'Channel', winner_app: 'string' },
};

const RESOURCE_DESCRIPTIONS: Readonly<Record<AriResourceName, string>> = {
  asterisk: 'Asterisk resources',
  endpoints: 'Endpoint resources',
  channels: 'Channel resources',
  bridges: 'Bridge resources',
  recordings: 'Recording resources',
  sounds: 'Sound resources',
  playbacks: 'Playback control resources',
  deviceStates: 'Device state resources',
  mailboxes: 'Mailboxes resources',
  events: 'WebSocket resource',
  applications: 'Stasis application resources',
};

const API_VERSION = '10.0.0';
const DOCS_PATH = /^\/ari\/api-docs\/([A-Za-z]+)\.json$/;

/** A Swagger document served under `/ari/api-docs/`. */
export type ApiDoc = Readonly<Record<string, unknown>>;

/**
 * The api-docs document the simulator serves at `path`, or `undefined` when `path` names none (answer 404).
 *
 * Served documents: `/ari/api-docs/resources.json` (the resource listing) and `/ari/api-docs/{resource}.json`
 * for the eleven resources of {@link ARI_RESOURCES}. A query string in `path` is ignored.
 *
 * @param path the request path, e.g. `/ari/api-docs/channels.json`.
 * @param baseUrl where clients reach the server, e.g. `http://127.0.0.1:8088` (usually built from the request's
 *   `Host` header, as Asterisk does); a trailing `/` or `/ari` is accepted. Becomes the documents' `basePath`,
 *   which Swagger clients prefix to every operation path.
 * @throws {TypeError} when `baseUrl` is not an absolute http(s) URL.
 */
export function apiDocsFor(path: string, baseUrl: string): ApiDoc | undefined {
  const match = DOCS_PATH.exec(path.split('?', 1)[0] ?? '');
  if (!match) return undefined;
  const name = match[1] as string;
  const basePath = ariBasePath(baseUrl);
  if (name === 'resources') return resourceListing(basePath);
  const doc = resourceDocs().get(name);
  return doc === undefined ? undefined : { ...doc, basePath };
}

function ariBasePath(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`apiDocsFor: baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`apiDocsFor: baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/ari$/, '');
  return `${url.origin}${prefix}/ari`;
}

function resourceListing(basePath: string): ApiDoc {
  return {
    apiVersion: API_VERSION,
    swaggerVersion: '1.1',
    basePath,
    apis: ARI_RESOURCES.map((name) => ({
      path: `/api-docs/${name}.{format}`,
      description: RESOURCE_DESCRIPTIONS[name],
    })),
  };
}

let cachedDocs: ReadonlyMap<string, ApiDoc> | undefined;

// The documents do not change; only basePath depends on the request, so they are built once.
function resourceDocs(): ReadonlyMap<string, ApiDoc> {
  if (cachedDocs) return cachedDocs;
  const docs = new Map<string, ApiDoc>();
  for (const resource of ARI_RESOURCES) {
    const apis: { path: string; operations: unknown[] }[] = [];
    for (const op of ARI_OPERATIONS) {
      if (op.resource !== resource) continue;
      let api = apis.find((a) => a.path === op.path);
      if (!api) {
        api = { path: op.path, operations: [] };
        apis.push(api);
      }
      api.operations.push(operationDoc(op));
    }
    docs.set(resource, {
      apiVersion: '2.0.0',
      swaggerVersion: resource === 'events' ? '1.2' : '1.1',
      resourcePath: `/api-docs/${resource}.{format}`,
      apis,
      models: resource === 'events' ? eventModels() : {},
    });
  }
  cachedDocs = docs;
  return docs;
}

function operationDoc(op: OperationSpec): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    httpMethod: op.method,
    summary: op.summary,
    nickname: op.nickname,
    responseClass: op.response,
  };
  if (op.websocket) {
    doc.upgrade = 'websocket';
    doc.websocketProtocol = 'ari';
  }
  if (op.params.length > 0) {
    doc.parameters = op.params.map((p) => {
      const param: Record<string, unknown> = {
        name: p.name,
        paramType: p.in,
        required: p.required,
        allowMultiple: p.multiple,
        dataType: p.type,
      };
      if (p.default !== undefined) param.defaultValue = p.default;
      if (p.allowed) param.allowableValues = { valueType: 'LIST', values: [...p.allowed] };
      return param;
    });
  }
  if (op.errors.length > 0) doc.errorResponses = op.errors.map((e) => ({ code: e.code, reason: e.reason }));
  return doc;
}

function eventModels(): Record<string, unknown> {
  const models: Record<string, unknown> = {};
  for (const [id, props] of Object.entries(EVENT_MODELS)) {
    const properties: Record<string, { type: string; required: boolean }> = {};
    for (const [name, type] of Object.entries(props)) {
      const optional = type.endsWith('?');
      properties[name] = { type: optional ? type.slice(0, -1) : type, required: !optional };
    }
    const model: Record<string, unknown> = { id, properties };
    if (id === 'Message') {
      model.discriminator = 'type';
      model.subTypes = ['MissingParams', 'Event'];
    }
    if (id === 'Event') model.subTypes = [...ARI_EVENT_TYPES];
    models[id] = model;
  }
  return models;
}
