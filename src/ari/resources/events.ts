// `client.events`: the generated REST operations of ARI's `events` resource, and by hand the one that is not REST,
// `eventWebsocket`, which gives an event socket.

import type { CallOptions, EventsApi, EventsEventWebsocketParams, OperationSpec } from '../operations.js';
import type { ResolvedAriOptions } from '../options.js';
import { EventSocket } from '../transport/socket.js';
import { encodeRequest, operation } from './request.js';

export type { EventsEventWebsocketParams } from '../operations.js';

/** `client.events`: ARI's `events` resource. The client's own event stream is `client.onEvent()`. */
export interface EventsResource extends EventsApi {
  /**
   * An event socket for `app`, with the client's URL, credentials, heartbeat, reconnection and logger. It is not
   * connected: call `connect()` on it, and `close()` when done (the client does not track it).
   *
   * `GET /ari/events` (WebSocket)
   * @throws AriParamsError when `app` is missing or not strings.
   */
  eventWebsocket(params: EventsEventWebsocketParams, options?: CallOptions): EventSocket;
}

/** The WebSocket operation `spec` (`events.eventWebsocket`) as a function of the client configured by `config`. */
export function eventWebsocket(
  spec: OperationSpec,
  config: ResolvedAriOptions,
): (params: EventsEventWebsocketParams) => EventSocket {
  const op = operation(spec.resource, spec.nickname);
  return (params) => {
    encodeRequest(op, params);
    const apps = typeof params.app === 'string' ? params.app.split(',') : params.app;
    return new EventSocket({
      url: config.baseUrl,
      username: config.username,
      password: config.password,
      apps,
      subscribeAll: params.subscribeAll,
      heartbeat: config.heartbeat,
      reconnect: config.reconnect,
      logger: config.logger,
    });
  };
}
