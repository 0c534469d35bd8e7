// The client's resource objects, built from the operation table in one place: `client.<resource>.<nickname>` is
// one function for each row of ARI_OPERATIONS, sending that compiled operation through the HTTP transport. What
// ARI gives beyond a JSON call is typed by hand beside it: the stored-file stream (recordings.ts) and the event
// socket (events.ts).

import { ARI_OPERATIONS, type AriResources, type CallOptions } from '../operations.js';
import type { ResolvedAriOptions } from '../options.js';
import type { HttpTransport } from '../transport/http.js';
import { type EventsResource, eventWebsocket } from './events.js';
import type { RecordingsResource } from './recordings.js';
import { operation } from './request.js';

/** Every resource of a client: the generated APIs, `recordings` and `events` with their hand-typed members. */
export interface ClientResources extends Omit<AriResources, 'recordings' | 'events'> {
  readonly recordings: RecordingsResource;
  readonly events: EventsResource;
}

type AnyOperation = (params?: unknown, options?: CallOptions) => unknown;

/** The resources of a client whose REST calls go through `http` and whose event sockets use `config`. */
export function createResources(http: HttpTransport, config: ResolvedAriOptions): ClientResources {
  const resources: Record<string, Record<string, AnyOperation>> = Object.create(null);
  for (const spec of ARI_OPERATIONS) {
    resources[spec.resource] ??= {};
    if (spec.websocket) {
      resources[spec.resource]![spec.nickname] = eventWebsocket(spec, config) as AnyOperation;
      continue;
    }
    const op = operation(spec.resource, spec.nickname);
    resources[spec.resource]![spec.nickname] = (params, options) => http.call(op, params, options);
  }
  // The table and the generated interfaces come from the same api-docs, so every member is there (the conformance
  // test calls each one); TypeScript cannot follow a table, hence the one cast.
  return resources as unknown as ClientResources;
}
