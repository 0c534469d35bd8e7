import type { RouteKind } from './types.js';

/** The smallest shape of an ARI event the runtime needs: its type, its app, and the objects it names. */
export interface RoutableEvent {
  readonly type: string;
  readonly application?: string;
}

/** A route key: `channel:<id>`, `playback:<id>`, `recording:<name>` or `bridge:<id>`. */
export type RouteKey = `${RouteKind}:${string}`;

export function routeKey(kind: RouteKind, id: string): RouteKey {
  return `${kind}:${id}`;
}

// Dial names the dialled channel as `peer` and the dialling one as `caller`; transfers name several channels.
const OTHER_CHANNELS = ['peer', 'caller', 'replace_channel', 'transferer_first_leg', 'transferer_second_leg'] as const;

function idOf(value: unknown, field: 'id' | 'name'): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const id = (value as Record<string, unknown>)[field];
  return typeof id === 'string' ? id : undefined;
}

/**
 * The routes an event may belong to, most specific first: the playback, recording or bridge it is about, then the
 * channels it names. Works on any event shape (unknown types too), by the objects ARI puts in events.
 */
export function eventRouteKeys(routable: RoutableEvent): RouteKey[] {
  // Events are plain decoded JSON objects of any type: their fields are read as unknown and checked by idOf.
  const read = (name: string): unknown => Reflect.get(routable, name);
  const keys: RouteKey[] = [];
  const playback = idOf(read('playback'), 'id');
  if (playback !== undefined) keys.push(`playback:${playback}`);
  const recording = idOf(read('recording'), 'name');
  if (recording !== undefined) keys.push(`recording:${recording}`);
  const bridge = idOf(read('bridge'), 'id');
  if (bridge !== undefined) keys.push(`bridge:${bridge}`);
  const channel = idOf(read('channel'), 'id');
  if (channel !== undefined) keys.push(`channel:${channel}`);
  // Dial names the dialled channel as `peer` and the dialling one as `caller`; transfers name several channels.
  for (const field of OTHER_CHANNELS) {
    const id = idOf(read(field), 'id');
    if (id !== undefined) keys.push(`channel:${id}`);
  }
  return keys;
}
