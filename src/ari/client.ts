import { AriOptionsError, checkOptions } from './errors.js';
import type { AriEvent } from './events.js';
import type {
  ApplicationsApi,
  AsteriskApi,
  BridgesApi,
  ChannelsApi,
  DeviceStatesApi,
  EndpointsApi,
  MailboxesApi,
  PlaybacksApi,
  SoundsApi,
} from './operations.js';
import { type AriClientOptions, type ResolvedAriOptions, resolveAriOptions } from './options.js';
import { type ClientResources, createResources } from './resources/build.js';
import type { EventsResource } from './resources/events.js';
import { BridgeHandle, ChannelHandle, PlaybackHandle, RecordingHandle } from './resources/handles.js';
import type { RecordingsResource } from './resources/recordings.js';
import { HttpTransport } from './transport/http.js';
import { type ConnectionState, type ConnectionStateChange, EventSocket } from './transport/socket.js';

/**
 * A client of one Asterisk's ARI: every REST operation as `client.<resource>.<nickname>(params, options?)`, handles
 * (`client.channel(id).answer()`), and the event stream of `options.apps` (`onEvent`, `connect()`).
 */
export interface AriClient extends ClientResources {
  /** ARI's `events` REST resource (`userEvent`, `claimChannel`, `eventWebsocket`); the event stream is `onEvent`. */
  readonly events: EventsResource;
  /** The validated options, with defaults (`baseUrl` is e.g. `http://localhost:8088/ari`). */
  readonly options: ResolvedAriOptions;
  /** The operations of channel `id`. */
  channel(id: string): ChannelHandle;
  /** The operations of bridge `id`. */
  bridge(id: string): BridgeHandle;
  /** The operations of playback `id`. */
  playback(id: string): PlaybackHandle;
  /** The operations of recording `name` (live or stored). */
  recording(name: string): RecordingHandle;
  /** The state of the event socket: `idle` until `connect()`, `closed` after `close()`. */
  readonly connectionState: ConnectionState;
  /**
   * Calls `listener` with every event of the apps, in arrival order. Returns the function that removes it.
   * @throws AriOptionsError (`apps`) when the client was made without apps.
   */
  onEvent(listener: (event: AriEvent) => void): () => void;
  /** Calls `listener` on every change of `connectionState` (a `gap` tells when events may have been missed). */
  onConnectionState(listener: (change: ConnectionStateChange) => void): () => void;
  /** Calls `listener` with errors of the event stream (a lost connection, a malformed frame, a throwing listener). */
  onError(listener: (error: Error) => void): () => void;
  /**
   * Opens the event socket for `options.apps` (registering them in Asterisk); resolves once it is open. The first
   * connection gets `connectAttempts` attempts (default 3, a few hundred ms apart); once it has worked, every loss
   * is retried endlessly (`reconnect`).
   * @throws AriOptionsError (`apps`) when the client was made without apps.
   * @throws AriConnectionError (rejects) when the first connection cannot be made: refused, no such host, HTTP 404
   *   or any answer that is not ARI after `connectAttempts` attempts, or HTTP 401/403 at once. The message names the
   *   URL and the likely cause (`error.url`, `error.status`, `error.attempts`); the event socket is then closed.
   */
  connect(): Promise<void>;
  /** Closes the event socket and the HTTP connections. REST calls made afterwards reject. */
  close(): Promise<void>;
}

class Client implements AriClient {
  readonly options: ResolvedAriOptions;
  readonly asterisk: AsteriskApi;
  readonly endpoints: EndpointsApi;
  readonly channels: ChannelsApi;
  readonly bridges: BridgesApi;
  readonly recordings: RecordingsResource;
  readonly sounds: SoundsApi;
  readonly playbacks: PlaybacksApi;
  readonly deviceStates: DeviceStatesApi;
  readonly mailboxes: MailboxesApi;
  readonly events: EventsResource;
  readonly applications: ApplicationsApi;
  readonly #http: HttpTransport;
  readonly #socket: EventSocket | undefined;
  #closed = false;

  constructor(options: ResolvedAriOptions) {
    this.options = options;
    // Built first: it checks the event options the client does not (and fails before a pool is opened).
    this.#socket =
      options.apps.length === 0
        ? undefined
        : new EventSocket({
            url: options.baseUrl,
            username: options.username,
            password: options.password,
            apps: options.apps,
            subscribeAll: options.subscribeAll,
            heartbeat: options.heartbeat,
            reconnect: options.reconnect,
            connectAttempts: options.connectAttempts,
            logger: options.logger,
          });
    const http = new HttpTransport(options);
    this.#http = http;
    const resources = createResources(http, options);
    this.asterisk = resources.asterisk;
    this.endpoints = resources.endpoints;
    this.channels = resources.channels;
    this.bridges = resources.bridges;
    this.recordings = resources.recordings;
    this.sounds = resources.sounds;
    this.playbacks = resources.playbacks;
    this.deviceStates = resources.deviceStates;
    this.mailboxes = resources.mailboxes;
    this.events = resources.events;
    this.applications = resources.applications;
  }

  channel(id: string): ChannelHandle {
    return new ChannelHandle(this, id);
  }
  bridge(id: string): BridgeHandle {
    return new BridgeHandle(this, id);
  }
  playback(id: string): PlaybackHandle {
    return new PlaybackHandle(this, id);
  }
  recording(name: string): RecordingHandle {
    return new RecordingHandle(this, name);
  }

  get connectionState(): ConnectionState {
    if (this.#socket) return this.#socket.state;
    return this.#closed ? 'closed' : 'idle';
  }

  onEvent(listener: (event: AriEvent) => void): () => void {
    return this.#needSocket('onEvent').onEvent(listener);
  }
  onConnectionState(listener: (change: ConnectionStateChange) => void): () => void {
    return this.#needSocket('onConnectionState').onState(listener);
  }
  onError(listener: (error: Error) => void): () => void {
    return this.#needSocket('onError').onError(listener);
  }

  async connect(): Promise<void> {
    await this.#needSocket('connect').connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#socket?.close(), this.#http.close()]);
  }

  #needSocket(what: string): EventSocket {
    if (!this.#socket) throw new AriOptionsError('apps', `${what}() needs the client to be made with at least one app`);
    return this.#socket;
  }
}

/**
 * Makes a client of one Asterisk. Nothing is connected yet: REST calls open HTTP connections as needed (kept alive,
 * pooled), `connect()` opens the event socket.
 *
 * ```ts
 * const client = createAriClient({ url: 'http://localhost:8088', username: 'asterisk', password: 'secret', apps: ['vm'] });
 * client.onEvent((e) => { if (e.type === 'StasisStart') void client.channel(e.channel.id).answer() });
 * await client.connect();
 * ```
 * @throws AriOptionsError naming the first invalid option.
 */
export function createAriClient(options: AriClientOptions): AriClient {
  let resolved: ResolvedAriOptions | undefined;
  checkOptions('createAriClient', options, (o) => {
    resolved = resolveAriOptions(o);
  });
  return new Client(resolved!);
}
