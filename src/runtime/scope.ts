// The scope of one call, as the runtime hands it to the call factory and the implementations. A class, so every
// scope has one shape with `signal` as an accessor on the prototype: an object literal with a getter is kept by V8
// in dictionary mode, which makes every `scope.client` / `scope.callId` read of every request a hash look-up.

import type { Logger } from '../ari/logger.js';
import type { AriResources } from '../ari/operations.js';
import { type RouteKey, routeKey } from './routing.js';
import type { CallScope, RouteKind } from './types.js';

/** The reason of every call's `scope.signal`: one shared error, not a DOMException with a stack per call. */
export const CALL_ENDED: Error = Object.freeze(new Error('the call ended'));

/** @internal The scope of a call run by `createStasisApp`; `T` is the runtime's own record of the call. */
export class RuntimeCallScope<T extends { readonly finished: boolean }> implements CallScope {
  readonly callId: string;
  readonly app: string;
  readonly client: AriResources;
  readonly logger: Logger;
  /** The routes of this call (the table holds them once the call exists). */
  readonly routes = new Set<RouteKey>();
  /** The runtime's record of the call, once its actor is made (a factory may route before that). */
  owner: T | undefined = undefined;
  readonly #table: Map<RouteKey, T>;
  // Made on first use of `signal` (most calls never need one, and each costs).
  #controller: AbortController | undefined = undefined;

  constructor(callId: string, app: string, client: AriResources, logger: Logger, table: Map<RouteKey, T>) {
    this.callId = callId;
    this.app = app;
    this.client = client;
    this.logger = logger;
    this.#table = table;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.owner?.finished) this.#controller.abort(CALL_ENDED);
    }
    return this.#controller.signal;
  }

  // Own properties, not methods: a factory may pass `scope.route` on unbound.
  readonly route = (kind: RouteKind, id: string): void => {
    const key = routeKey(kind, id);
    const owner = this.owner;
    if (owner?.finished) return;
    this.routes.add(key);
    if (owner) this.#table.set(key, owner);
  };

  readonly unroute = (kind: RouteKind, id: string): void => {
    const key = routeKey(kind, id);
    this.routes.delete(key);
    if (this.owner && this.#table.get(key) === this.owner) this.#table.delete(key);
  };

  /** The call is over: aborts `signal` if anyone asked for it. */
  end(): void {
    this.#controller?.abort(CALL_ENDED);
  }
}
