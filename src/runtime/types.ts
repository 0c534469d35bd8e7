import type { AnyStateMachine } from 'xstate';
import type { StasisStart } from '../ari/events.js';
import type { Logger } from '../ari/logger.js';
import type { Channel } from '../ari/models.js';
import type { AriResources } from '../ari/operations.js';

/** The kinds of ARI resources whose events the runtime routes to a call. */
export type RouteKind = 'channel' | 'playback' | 'recording' | 'bridge';

/**
 * What the runtime hands to the implementation of one call's machine (its actions and invoked actors): the REST
 * client, the call's routes and a signal that aborts when the call's actor stops.
 */
export interface CallScope {
  /** The id of the channel that entered Stasis: the call's identity. */
  readonly callId: string;
  /** The Stasis application the call arrived in. */
  readonly app: string;
  /** The typed REST client (`scope.client.channels.record(...)`). */
  readonly client: AriResources;
  /** Aborted when the call's actor stops; pass it to every REST call so nothing outlives the call. */
  readonly signal: AbortSignal;
  /**
   * Routes the events of a resource to this call's actor. Call it before the REST request that creates the
   * resource: Asterisk often sends the first event before it answers the request.
   */
  route(kind: RouteKind, id: string): void;
  /** Stops routing the events of a resource to this call (the runtime also forgets all routes when the call ends). */
  unroute(kind: RouteKind, id: string): void;
  readonly logger: Logger;
}

/** What the runtime knows when a channel enters the app. */
export interface CallStart {
  readonly app: string;
  readonly channel: Channel;
  /** The Stasis arguments, as the dialplan gave them (`Stasis(vm-record,305)` gives `['305']`). */
  readonly args: readonly string[];
  readonly event: StasisStart;
}

/** What a call factory returns: the (provided) machine to run for the call, and its input. */
export interface CallLogic<TMachine extends AnyStateMachine = AnyStateMachine> {
  readonly machine: TMachine;
  readonly input: unknown;
}

/**
 * Makes the machine of one call. Returns `undefined` to leave the channel alone (another part of the app owns it).
 * Throwing (for a malformed mailbox id, say) ends that call cleanly and is reported; other calls go on.
 */
export type CallFactory = ((start: CallStart, scope: CallScope) => CallLogic | undefined) & {
  /**
   * Recovers what the application had under way (from its own durable journal) against what Asterisk has now. The
   * runtime calls it at start and after every gap of the event stream, after ending the calls whose channel is gone
   * and before adopting the channels it has no actor for (so `createCall` can then take those up where they were).
   */
  readonly recover?: (context: RecoveryContext) => Promise<unknown>;
  /** Ends the factory's own background work (a periodic MWI refresh, say); the runtime calls it in `stop()`. */
  readonly stop?: () => Promise<void>;
};

/** What the `recover` hook of a {@link CallFactory} is given. */
export interface RecoveryContext {
  readonly app: string;
  /** The runtime's REST client (through its retry policy). */
  readonly client: AriResources;
  /** Every channel Asterisk has now. */
  readonly channels: readonly Channel[];
  /** The calls that have a live actor in this process (their work is theirs, not recovery's). */
  readonly activeCalls: ReadonlySet<string>;
  readonly logger: Logger;
  /**
   * The Stasis arguments of a channel this app serves now: in the app, or taken over from another app (see
   * `StasisAppOptions.adoptable`); `undefined` for any other channel. Absent: only channels in `app` are.
   */
  readonly argsOf?: (channel: Channel) => readonly string[] | undefined;
}
