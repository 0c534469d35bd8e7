// The ARI module: the typed REST client, the event socket, the ARI models, events and operations, and the errors.

export { type AriClient, createAriClient } from './client.js';
export * from './decode.js';
export * from './errors.js';
export * from './events.js';
export {
  assertRecordingName,
  isValidRecordingName,
  newBridgeId,
  newChannelId,
  newPlaybackId,
  newRecordingName,
} from './ids.js';
export { type Logger, silentLogger } from './logger.js';
export type * from './models.js';
export * from './operations.js';
export {
  type AriClientOptions,
  DEFAULT_CONNECT_ATTEMPTS,
  DEFAULT_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type HeartbeatOptions,
  type ReconnectOptions,
  type ResolvedAriOptions,
} from './options.js';
export type { EventsResource } from './resources/events.js';
export { BridgeHandle, ChannelHandle, PlaybackHandle, RecordingHandle } from './resources/handles.js';
export type { RecordingsResource } from './resources/recordings.js';
export { AriFileStream } from './transport/http.js';
export {
  type ConnectionState,
  type ConnectionStateChange,
  EventSocket,
  type EventSocketOptions,
  type ReconnectPolicy,
  reconnectDelay,
} from './transport/socket.js';
