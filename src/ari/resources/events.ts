import type { CallOptions, EventsApi, Many } from '../operations.js';
import type { ResolvedAriOptions } from '../options.js';
import type { HttpTransport } from '../transport/http.js';
import { EventSocket } from '../transport/socket.js';
import { encodeRequest, operation } from './request.js';

const op = {
  eventWebsocket: operation('events', 'eventWebsocket'),
  userEvent: operation('events', 'userEvent'),
  claimChannel: operation('events', 'claimChannel'),
};

/** Parameters of `events.eventWebsocket` (GET /events, the WebSocket upgrade). */
export interface EventsEventWebsocketParams {
  /** The applications to receive events for: several are given as an array or one comma-separated string. */
  app: Many<string>;
  /** Subscribe to every event source, not only the apps' own. Default `false`. */
  subscribeAll?: boolean;
}

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

/** `client.events`: every operation of ARI's `events` resource, sent through `http`. */
export function createEventsApi(http: HttpTransport, config: ResolvedAriOptions): EventsResource {
  return {
    eventWebsocket: (params) => {
      encodeRequest(op.eventWebsocket, params);
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
    },
    userEvent: (params, options) => http.call(op.userEvent, params, options),
    claimChannel: (params, options) => http.call(op.claimChannel, params, options),
  };
}
