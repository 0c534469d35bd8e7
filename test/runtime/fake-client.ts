import { AriHttpError } from '../../src/ari/errors.js';
import type { Channel } from '../../src/ari/models.js';
import type { AriResources } from '../../src/ari/operations.js';
import type { ConnectionChangeLike, RuntimeClient } from '../../src/runtime/index.js';
import type { RoutableEvent } from '../../src/runtime/routing.js';

/** A call made on the fake REST surface. */
export interface RecordedCall {
  readonly resource: string;
  readonly nickname: string;
  readonly params: Record<string, unknown>;
}

type Handler = (params: Record<string, unknown>, client: FakeClient) => unknown;

/**
 * An in-process stand-in for the client, for runtime unit tests: REST calls are recorded and answered by handlers
 * (which may emit events before answering, as Asterisk does), events are pushed by the test.
 */
export class FakeClient {
  readonly calls: RecordedCall[] = [];
  readonly channels = new Map<string, Channel>();
  private readonly listeners = new Set<(event: RoutableEvent) => void>();
  private readonly stateListeners = new Set<(change: ConnectionChangeLike) => void>();
  private readonly handlers = new Map<string, Handler>();

  /** The client as the runtime sees it. */
  readonly client: RuntimeClient;

  constructor() {
    const resources = new Proxy(
      {},
      {
        get: (_target, resource: string) =>
          new Proxy(
            {},
            {
              get:
                (_t, nickname: string) =>
                async (params: Record<string, unknown> = {}) => {
                  this.calls.push({ resource, nickname, params });
                  const handler = this.handlers.get(`${resource}.${nickname}`);
                  return handler ? handler(params, this) : this.defaultAnswer(resource, nickname, params);
                },
            },
          ),
      },
    ) as AriResources;
    this.client = Object.assign(Object.create(resources) as AriResources, {
      onEvent: (listener: (event: RoutableEvent) => void) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      onConnectionState: (listener: (change: ConnectionChangeLike) => void) => {
        this.stateListeners.add(listener);
        return () => this.stateListeners.delete(listener);
      },
    });
  }

  on(operation: string, handler: Handler): void {
    this.handlers.set(operation, handler);
  }

  emit(event: RoutableEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  reconnected(durationMs: number): void {
    for (const listener of this.stateListeners) {
      listener({ state: 'connected', gap: { from: 0, to: durationMs, durationMs } });
    }
  }

  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((c) => `${c.resource}.${c.nickname}` === operation);
  }

  private defaultAnswer(resource: string, nickname: string, params: Record<string, unknown>): unknown {
    if (resource === 'channels' && nickname === 'list') return [...this.channels.values()];
    if (resource === 'channels' && (nickname === 'hangup' || nickname === 'get')) {
      const channel = this.channels.get(String(params.channelId));
      if (!channel) throw new AriHttpError(404, 'Channel not found', { method: 'X', path: '/channels' });
      if (nickname === 'hangup') this.channels.delete(channel.id);
      return nickname === 'get' ? channel : undefined;
    }
    return undefined;
  }
}

let seq = 0;

export function channel(id = `1795298138.${seq++}`, app = 'vm-record', args: string[] = ['305']): Channel {
  return {
    id,
    name: `Local/305@default-0000000${seq};2`,
    state: 'Up',
    protocol_id: '',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: { context: 'default', exten: '305', priority: 2, app_name: 'Stasis', app_data: [app, ...args].join(',') },
    creationtime: '2026-11-21T21:55:38.758+0000',
    language: 'en',
  };
}

export function event(
  type: string,
  fields: Record<string, unknown>,
  application = 'vm-record',
): RoutableEvent & Record<string, unknown> {
  return { type, application, timestamp: '2026-11-21T21:55:38.775+0000', asterisk_id: '02:fc:00:00:00:01', ...fields };
}
