import {
  type AnyActorRef,
  createActor,
  type InspectionEvent,
  type Observer,
  type Snapshot,
  type Subscription,
} from 'xstate';
import { AriOptionsError, checkOptions, isAriError } from '../ari/errors.js';
import type {
  CallBroadcast,
  PlaybackFinished,
  RecordingFinished,
  RecordingStarted,
  StasisEnd,
  StasisStart,
} from '../ari/events.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import type { Channel } from '../ari/models.js';
import type { AriResources } from '../ari/operations.js';
import {
  asInStasis,
  type BroadcastClaimOptions,
  claimedChannels,
  createClaimer,
  validateClaimOptions,
} from './broadcast.js';
import { type HangupEvent, hangupOnce } from './hangup.js';
import { type HibernateOptions, Hibernation, validateHibernate } from './hibernation.js';
import { type CallObserver, notifyObservers, observedInspect, validateObservers } from './observers.js';
import { type RetryPolicyOptions, validateRetryOptions, withRetries } from './retry.js';
import { eventRouteKeys, type RoutableEvent, type RouteKey, routeKey } from './routing.js';
import { RuntimeCallScope } from './scope.js';
import type { CallFactory, CallLogic, CallScope, CallStart, RouteKind } from './types.js';

/** A change of the event connection, as the client reports it (only `state` and `gap` are read). */
export interface ConnectionChangeLike {
  readonly state: string;
  readonly gap?: { readonly from: number; readonly to: number; readonly durationMs: number } | undefined;
}

/**
 * What the runtime needs of a client: the REST resources, and optionally an event stream. `createAriClient(...)`
 * gives all of it. An app that already has its own event stream (ari-client, say) passes a REST-only client and
 * feeds events with {@link StasisApp.handle}.
 */
export type RuntimeClient = AriResources & {
  onEvent?(listener: (event: RoutableEvent) => void): () => void;
  onConnectionState?(listener: (change: ConnectionChangeLike) => void): () => void;
};

/** The XState clock the call actors use (xstate's `SimulatedClock` in tests). */
export interface ActorClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Options of {@link createStasisApp}. */
export interface StasisAppOptions {
  /** The client: REST resources, and the event stream when it has one. */
  readonly client: RuntimeClient;
  /** The Stasis application this runner serves; events of other apps on the same socket are ignored. */
  readonly app: string;
  /** Makes the machine of each call. */
  readonly createCall: CallFactory;
  /** Silent by default. */
  readonly logger?: Logger;
  /** Any XState inspector (`@statelyai/inspect`'s `inspector.inspect`, or a function): sees every call's actor. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Watchers of every call (`startLiveView`'s live view): see {@link CallObserver}. */
  readonly observers?: readonly CallObserver[];
  /** The clock of the call actors (default: real time). */
  readonly clock?: ActorClock;
  /**
   * How long a call's actor may keep working after its channel left Stasis (saving a message, uploading...)
   * before it is stopped. Default 60_000 ms.
   */
  readonly drainTimeoutMs?: number;
  /** Receives the runtime's own happenings: a call started, ended or failed. */
  readonly onCallEvent?: (event: CallLifecycleEvent) => void;
  /**
   * Whether `start()` subscribes to the client's event stream. Default true when the client has one. Set false when
   * the events come from elsewhere (an existing `ari-client` app) and are fed with {@link StasisApp.handle}.
   */
  readonly subscribe?: boolean;
  /**
   * How the REST requests of calls (their `scope.client`) and of the runtime itself are retried when Asterisk's
   * answer is not final (network error, timeout, 5xx); see {@link RetryPolicyOptions}. `false` sends each once.
   */
  readonly retry?: RetryPolicyOptions | false;
  /**
   * Claims the calls the dialplan's `StasisBroadcast()` offers to this app (`CallBroadcast`, then
   * `POST /events/claim`; the first instance to claim gets the call's StasisStart). `true` claims every offer;
   * `{ maxCalls }` only while this instance has room. Default: offers are ignored. See {@link BroadcastClaimOptions}.
   */
  readonly claim?: boolean | BroadcastClaimOptions;
  /**
   * Channels of another Stasis app that this one has taken over (a cluster instance carrying on a dead one's calls,
   * subscribed to their events): their Stasis arguments, else `undefined`. A resync adopts them as if they were in
   * this app, and the call factory's recovery sees them so (`RecoveryContext.argsOf`).
   */
  readonly adoptable?: (channel: Channel) => readonly string[] | undefined;
  /**
   * Hibernates parked calls: a call whose machine is in a state tagged `parked` (the voicemail machine's
   * `recording.active`, say), with no invoked actor still running and no delayed event pending, is kept as its
   * persisted snapshot once it has stayed so for `idleMs`, its actor stopped; its next event makes a new actor from
   * that snapshot before it is delivered. The machine and the app see the same call (`actor(callId)` wakes it; the
   * observers are told its new actor by `call.restored`). Default: off. See {@link HibernateOptions}.
   */
  readonly hibernate?: boolean | HibernateOptions;
}

/** The runtime's own events about calls. */
export type CallLifecycleEvent =
  | { readonly type: 'call.started'; readonly callId: string; readonly actor: AnyActorRef }
  /** A hibernated call was woken by its next event (or by `actor(callId)`): `actor` is its actor from now on. */
  | { readonly type: 'call.restored'; readonly callId: string; readonly actor: AnyActorRef }
  | { readonly type: 'call.ended'; readonly callId: string; readonly reason: 'done' | 'drained' | 'stopped' | 'error' }
  | { readonly type: 'call.error'; readonly callId: string; readonly error: unknown };

/** Counts that make a leak visible. */
export interface StasisAppStats {
  /** Calls whose actor is alive. */
  readonly calls: number;
  /** Routes held (channels, playbacks, recordings, bridges of live calls). */
  readonly routes: number;
  /** Calls whose channel left Stasis and whose actor is still finishing its work. */
  readonly draining: number;
  /** Calls started since the runner was created. */
  readonly started: number;
  /** Calls ended since the runner was created. */
  readonly ended: number;
  /** Events that belonged to no call (for this app), since the runner was created. */
  readonly unrouted: number;
  /** Live calls held as their persisted snapshot now (`hibernate`); they count in `calls` too. */
  readonly hibernated: number;
  /** Hibernated calls woken since the runner was created. */
  readonly restored: number;
}

/** One Stasis application run by the library: one actor per call. */
export interface StasisApp {
  readonly app: string;
  /** Subscribes to the client's event stream (when it has one) and adopts channels already in the app. */
  start(): Promise<void>;
  /** Stops every call's actor and unsubscribes. Channels are left as they are unless `hangup` is true. */
  stop(options?: { hangup?: boolean }): Promise<void>;
  /** Feeds one ARI event (for apps that bring their own event stream). */
  handle(event: RoutableEvent): void;
  /**
   * Takes over a channel already in this Stasis app (handed over by another part of an existing app, or found
   * after a reconnection): starts its actor as if its StasisStart had just arrived.
   */
  adopt(channel: Channel, args?: readonly string[]): AnyActorRef | undefined;
  /** Re-reads what Asterisk has after an event gap: ends calls whose channel is gone, adopts channels we missed. */
  resync(): Promise<void>;
  /** The actor of a live call, by its channel id (a hibernated call is woken for it). */
  actor(callId: string): AnyActorRef | undefined;
  stats(): StasisAppStats;
  /** Resolves when no call is live (for tests and graceful shutdown). */
  idle(): Promise<void>;
}

/**
 * An event the runtime made up because Asterisk's own was lost in a gap of the event stream (the channel or
 * playback or recording was found gone when the stream came back). Machines may treat it as the real one.
 */
export type Synthetic<T> = T & { readonly synthetic: true };

interface Call {
  readonly id: string;
  /** The call's actor; undefined while the call is hibernated (see `sleeping`). */
  actor: AnyActorRef | undefined;
  /** What the factory gave: the machine and its input, to make the actor again after a hibernation. */
  readonly logic: CallLogic;
  /** The runtime's subscription to `actor`. */
  subscription: Subscription | undefined;
  /** The persisted snapshot of a hibernated call. */
  sleeping: Snapshot<unknown> | undefined;
  readonly routes: Set<RouteKey>;
  readonly scope: CallScope;
  /** Aborts the call's `scope.signal` (if anyone asked for it): the call is over. */
  readonly end: () => void;
  /** The last known snapshot of the call's channel, for events the runtime makes up after a gap. */
  channel: Channel;
  left: boolean;
  drainTimer: ReturnType<typeof setTimeout> | undefined;
  finished: boolean;
  /** The recordings whose RecordingStarted reached the call (a resync makes up the ones lost in a gap). */
  readonly recordingsStarted: Set<string>;
  /** Turns the channel's ChannelHangupRequest and StasisEnd into one `hangup` for the actor. */
  readonly toActor: ReturnType<typeof hangupOnce>;
}

const DEFAULT_DRAIN_MS = 60_000;

/**
 * The scope of the call an actor belongs to, found from its actor system (`system` in every XState action and
 * actor-logic argument): it lets a factory `provide()` its machine ONCE and still reach each call's client, routes
 * and signal, instead of building a machine per call.
 */
const scopesBySystem = new WeakMap<object, CallScope>();

/**
 * The {@link CallScope} of the call whose actor system is `system` (`({ system }) => callScopeOf(system)` inside an
 * implementation provided once for all calls).
 * @throws Error when the system is not a call of a running Stasis app (a machine run outside the runtime).
 */
export function callScopeOf(system: unknown): CallScope {
  const scope = typeof system === 'object' && system !== null ? scopesBySystem.get(system) : undefined;
  if (scope === undefined) throw new Error('callScopeOf: this actor is not a call of a Stasis app (createStasisApp)');
  return scope;
}

/**
 * Makes `scope` what {@link callScopeOf} finds for the actor system `system`, for a call machine run outside
 * {@link createStasisApp} (a test, or a recorder attached to a call another app owns). Call it after `createActor`
 * and before `start()`, as the runtime does for its own calls; the binding is held weakly, by the system.
 * @throws TypeError when `system` is not an object, or is already bound to another call's scope.
 */
export function bindCallScope(system: object, scope: CallScope): void {
  if (typeof system !== 'object' || system === null) throw new TypeError('bindCallScope: expected an actor system');
  const bound = scopesBySystem.get(system);
  if (bound !== undefined && bound !== scope) {
    throw new TypeError(`bindCallScope: this actor system is already the call ${bound.callId}`);
  }
  scopesBySystem.set(system, scope);
}

/** A StasisStart as the event socket decodes it (ARI's model: the channel and the Stasis arguments). */
function isStasisStart(event: RoutableEvent): event is RoutableEvent & StasisStart {
  return event.type === 'StasisStart' && typeof Reflect.get(event, 'channel') === 'object';
}

/**
 * Runs one Stasis application: a `StasisStart` starts one actor per call (from `createCall`), every event of the
 * app is routed to the actor that owns its channel, playback, recording or bridge, and the actor is stopped and its
 * routes forgotten once its channel has left Stasis and its work is done. The caller hanging up reaches the actor
 * once, as a {@link HangupEvent} (`hangup`) made from the first ChannelHangupRequest or StasisEnd of its channel.
 */
export function createStasisApp(options: StasisAppOptions): StasisApp {
  checkOptions('createStasisApp', options, validate);
  const { app, createCall } = options;
  // Every REST request of the runtime and its calls goes through the retry policy (the one place of its rules).
  const client: RuntimeClient =
    options.retry === false
      ? options.client
      : withRetries(options.client, options.retry ?? {}, {
          logger: options.logger,
        });
  const logger = options.logger ?? silentLogger;
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_MS;
  const argsOf = (channel: Channel): readonly string[] | undefined =>
    stasisArgs(channel, app) ?? options.adoptable?.(channel);
  const calls = new Map<string, Call>();
  const routes = new Map<RouteKey, Call>();
  const idleWaiters: Array<() => void> = [];
  const unsubscribers: Array<() => void> = [];
  let started = 0;
  let ended = 0;
  let unrouted = 0;
  let draining = 0;
  // Calls whose actor ended while their channel was still in Stasis (it had asked to continue or hang up): found
  // again by a resync, such a channel is not a new call to adopt but one to end. Bounded, oldest forgotten first.
  const endedInStasis = new Set<string>();
  const ENDED_KEPT = 10_000;

  const claimer = options.claim
    ? createClaimer(options.claim, {
        app,
        client,
        logger,
        liveCalls: () => calls.size,
        hasCall: (id) => calls.has(id),
      })
    : undefined;

  // Hibernation (opt-in): parked calls kept as snapshots, woken by their next event (src/runtime/hibernation.ts).
  const hibernation = options.hibernate
    ? new Hibernation<Call>(options.hibernate, makeActor, (call, actor) =>
        notify({ type: 'call.restored', callId: call.id, actor }),
      )
    : undefined;
  const observed = observedInspect(options.inspect, options.observers, logger);
  const inspect = hibernation ? hibernation.inspect(observed) : observed;
  const notify = (event: CallLifecycleEvent): void => {
    notifyObservers(options.observers, event, logger);
    if (!options.onCallEvent) return;
    try {
      options.onCallEvent(event);
    } catch (error) {
      logger.error('onCallEvent listener threw', { error });
    }
  };

  function finish(call: Call, reason: 'done' | 'drained' | 'stopped' | 'error'): void {
    if (call.finished) return;
    call.finished = true;
    if (call.drainTimer !== undefined) clearTimeout(call.drainTimer);
    if (call.left) draining--;
    for (const key of call.routes) if (routes.get(key) === call) routes.delete(key);
    call.routes.clear();
    calls.delete(call.id);
    if (!call.left) {
      endedInStasis.add(call.id);
      if (endedInStasis.size > ENDED_KEPT) endedInStasis.delete(endedInStasis.values().next().value as string);
    }
    ended++;
    call.end();
    hibernation?.forget(call);
    call.actor?.stop();
    logger.debug('call ended', { callId: call.id, reason });
    notify({ type: 'call.ended', callId: call.id, reason });
    if (calls.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function hangupQuietly(channelId: string): Promise<void> {
    try {
      await client.channels.hangup({ channelId });
    } catch (error) {
      // The caller may well have hung up first: a 404 here is the normal end of a race, not an error.
      if (!isAriError(error, 404)) logger.warn('hangup failed', { callId: channelId, error });
    }
  }

  /** Sends a channel whose call is over back to the dialplan (a repeat is refused harmlessly), else hangs it up. */
  async function sendOn(channelId: string): Promise<void> {
    try {
      await client.channels.continueInDialplan({ channelId });
    } catch (error) {
      if (isAriError(error, 404) || isAriError(error, 409)) return;
      logger.warn('could not send the channel back to the dialplan; hanging up', { callId: channelId, error });
      await hangupQuietly(channelId);
    }
  }

  function startCall(channel: Channel, args: readonly string[], event: StasisStart): AnyActorRef | undefined {
    endedInStasis.delete(channel.id);
    // A factory may route, or read `scope.signal`, while building the call, before the call exists.
    const scope = new RuntimeCallScope<Call>(channel.id, app, client, logger, routes);
    const callRoutes = scope.routes;
    const start: CallStart = { app, channel, args, event };
    let logic: ReturnType<CallFactory>;
    try {
      logic = createCall(start, scope);
    } catch (error) {
      logger.error('createCall threw; hanging up the channel', { callId: channel.id, error });
      notify({ type: 'call.error', callId: channel.id, error });
      void hangupQuietly(channel.id);
      return undefined;
    }
    if (logic === undefined) return undefined;

    const call: Call = {
      id: channel.id,
      actor: undefined,
      logic,
      subscription: undefined,
      sleeping: undefined,
      routes: callRoutes,
      scope,
      end: () => scope.end(),
      channel,
      left: false,
      drainTimer: undefined,
      finished: false,
      recordingsStarted: new Set(),
      toActor: hangupOnce(channel.id),
    };
    const owned = call;
    scope.owner = owned;
    calls.set(owned.id, owned);
    callRoutes.add(routeKey('channel', channel.id));
    for (const key of callRoutes) routes.set(key, owned);
    started++;

    const actor = makeActor(owned);
    if (!owned.finished) notify({ type: 'call.started', callId: owned.id, actor });
    if (!owned.finished) actor.send(event);
    return actor;
  }

  /** Makes, binds, watches and starts the call's actor: a new one, or one made again from a hibernated snapshot. */
  function makeActor(call: Call, snapshot?: Snapshot<unknown>): AnyActorRef {
    const actor = createActor(call.logic.machine, {
      input: call.logic.input,
      id: `call:${call.id}`,
      ...(snapshot ? { snapshot } : {}),
      ...(inspect ? { inspect } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    bindCallScope(actor.system, call.scope);
    call.actor = actor;
    call.subscription = actor.subscribe({
      ...(hibernation ? { next: () => hibernation.changed(call) } : {}),
      complete: () => finish(call, 'done'),
      error: (error) => {
        logger.error('call actor failed; ending the call', { callId: call.id, error });
        notify({ type: 'call.error', callId: call.id, error });
        if (!call.left) void hangupQuietly(call.id);
        finish(call, 'error');
      },
    });
    actor.start();
    return actor;
  }

  /** The call's live actor (a hibernated call is woken first). */
  function liveActor(call: Call): AnyActorRef | undefined {
    return hibernation ? hibernation.wake(call) : call.actor;
  }

  function channelLeft(call: Call): void {
    if (call.left || call.finished) return;
    call.left = true;
    draining++;
    call.drainTimer = setTimeout(() => {
      logger.warn('call actor still busy after its channel left; stopping it', { callId: call.id, drainTimeoutMs });
      finish(call, 'drained');
    }, drainTimeoutMs);
    call.drainTimer.unref?.();
  }

  function deliver(call: Call, event: RoutableEvent): void {
    if (call.finished) return;
    if ((event.type === 'StasisEnd' || event.type === 'ChannelDestroyed') && channelIdOf(event) === call.id) {
      send(call, event);
      channelLeft(call);
      return;
    }
    const channel = (event as { channel?: Channel }).channel;
    if (channel && channel.id === call.id) call.channel = channel;
    if (event.type === 'RecordingStarted') {
      const name = (event as { recording?: { name?: string } }).recording?.name;
      if (name) call.recordingsStarted.add(name);
    }
    send(call, event);
  }

  // The actor hears of its caller hanging up once: the first ChannelHangupRequest or StasisEnd, as a `hangup`.
  function send(call: Call, event: RoutableEvent): void {
    const toActor = call.toActor(event);
    if (toActor !== undefined) liveActor(call)?.send(toActor);
  }

  function handle(event: RoutableEvent): void {
    if (event.application !== undefined && event.application !== app) return;
    if (event.type === 'CallBroadcast' || event.type === 'CallClaimed') {
      if (event.type === 'CallBroadcast') claimer?.offer(event as RoutableEvent & CallBroadcast);
      return;
    }
    if (isStasisStart(event)) {
      const start = event;
      claimer?.started(start.channel.id);
      const owner = routes.get(routeKey('channel', start.channel.id));
      if (owner) deliver(owner, event);
      else startCall(start.channel, start.args ?? [], start);
      return;
    }
    const keys = eventRouteKeys(event);
    let first: Call | undefined;
    let others: Set<Call> | undefined;
    for (const key of keys) {
      const call = routes.get(key);
      if (call === undefined || call === first) continue;
      if (first === undefined) first = call;
      else {
        if (others === undefined) others = new Set();
        others.add(call);
      }
    }
    if (first === undefined) {
      unrouted++;
      return;
    }
    deliver(first, event);
    if (others) for (const call of others) deliver(call, event);
  }

  function adopt(channel: Channel, args: readonly string[] = []): AnyActorRef | undefined {
    const existing = calls.get(channel.id);
    if (existing) return liveActor(existing);
    const event: StasisStart = {
      type: 'StasisStart',
      application: app,
      timestamp: new Date().toISOString(),
      args: [...args],
      channel,
    };
    return startCall(channel, args, event);
  }

  async function resync(): Promise<void> {
    let channels: Channel[];
    try {
      channels = await client.channels.list();
    } catch (error) {
      logger.warn('resync: could not list channels', { error });
      return;
    }
    const alive = new Map(channels.map((c) => [c.id, c]));
    const timestamp = new Date().toISOString();
    // Every live call's playbacks and recordings are looked at together: one after another, a few hundred calls
    // would hold the adoption of the channels missed in the gap back for many seconds.
    const checks: Promise<void>[] = [];
    for (const call of [...calls.values()]) {
      if (call.left || call.finished) continue;
      const now = alive.get(call.id);
      if (now === undefined) {
        logger.info('resync: channel ended during the gap', { callId: call.id });
        const end: Synthetic<StasisEnd> = {
          type: 'StasisEnd',
          application: app,
          timestamp,
          channel: call.channel,
          synthetic: true,
        };
        deliver(call, end);
        continue;
      }
      call.channel = now;
      checks.push(resyncResources(call, timestamp));
    }
    await Promise.all(checks);
    // A channel a broadcast gave to this app still shows StasisBroadcast as its dialplan application: the factory's
    // recovery (which looks for its calls' channels with stasisArgs) and the adoption below see it in Stasis(app).
    const claimed = await claimedChannels(client, app, channels, (id) => calls.has(id), logger);
    const seen = claimed.size ? channels.map((c) => (claimed.has(c.id) ? asInStasis(c, app) : c)) : channels;
    if (createCall.recover) {
      try {
        await createCall.recover({ app, client, channels: seen, activeCalls: new Set(calls.keys()), logger, argsOf });
      } catch (error) {
        logger.error('resync: the call factory could not recover', { error });
      }
    }
    for (const [i, channel] of channels.entries()) {
      if (calls.has(channel.id) || routes.has(routeKey('channel', channel.id))) continue;
      const args = argsOf(seen[i]!);
      if (args === undefined) continue;
      if (endedInStasis.has(channel.id)) {
        // Its call is over here but the channel never left (its continue or hang-up was lost): never a new call.
        logger.warn('resync: a channel whose call ended is still in the app; sending it on', { callId: channel.id });
        void sendOn(channel.id);
        continue;
      }
      logger.info('resync: adopting a channel that entered the app during the gap', { callId: channel.id });
      adopt(channel, args);
    }
  }

  // After a gap, a playback or recording may have ended unseen; tell the actor as Asterisk would have.
  async function resyncResources(call: Call, timestamp: string): Promise<void> {
    for (const key of [...call.routes]) {
      if (call.finished) return;
      const [kind, id] = splitKey(key);
      try {
        if (kind === 'playback') await client.playbacks.get({ playbackId: id }, { signal: call.scope.signal });
        else if (kind === 'recording') {
          const live = await client.recordings.getLive({ recordingName: id }, { signal: call.scope.signal });
          // It began recording in the gap: a call holding its stop until RecordingStarted would wait for ever.
          if ((live.state === 'recording' || live.state === 'paused') && !call.recordingsStarted.has(id)) {
            const started: Synthetic<RecordingStarted> = {
              type: 'RecordingStarted',
              application: app,
              timestamp,
              synthetic: true,
              recording: live,
            };
            deliver(call, started);
          }
        } else continue;
      } catch (error) {
        if (!isAriError(error, 404)) continue;
        if (kind === 'playback') {
          const finished: Synthetic<PlaybackFinished> = {
            type: 'PlaybackFinished',
            application: app,
            timestamp,
            synthetic: true,
            playback: { id, media_uri: '', target_uri: `channel:${call.id}`, language: 'en', state: 'done' },
          };
          deliver(call, finished);
        } else {
          const finished: Synthetic<RecordingFinished> = {
            type: 'RecordingFinished',
            application: app,
            timestamp,
            synthetic: true,
            recording: { name: id, format: 'wav', state: 'done', target_uri: `channel:${call.id}` },
          };
          deliver(call, finished);
        }
      }
    }
  }

  return {
    app,
    async start() {
      const subscribe = options.subscribe ?? client.onEvent !== undefined;
      if (subscribe) {
        if (!client.onEvent) throw new AriOptionsError('subscribe', 'the client has no event stream (onEvent)');
        unsubscribers.push(client.onEvent(handle));
      }
      if (subscribe && client.onConnectionState) {
        unsubscribers.push(
          client.onConnectionState((change) => {
            if (change.state === 'connected' && change.gap) {
              logger.info('event stream came back after a gap; resynchronising', { gapMs: change.gap.durationMs });
              void resync();
            }
          }),
        );
      }
      await Promise.all([resync(), claimer?.detect()]);
    },
    async stop(stopOptions = {}) {
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      claimer?.stop();
      hibernation?.stop();
      const live = [...calls.values()];
      for (const call of live) {
        if (stopOptions.hangup && !call.left) await hangupQuietly(call.id);
        finish(call, 'stopped');
      }
      if (createCall.stop) {
        try {
          await createCall.stop();
        } catch (error) {
          logger.error('the call factory could not stop', { error });
        }
      }
    },
    handle,
    adopt,
    resync,
    actor: (callId) => {
      const call = calls.get(callId);
      return call === undefined ? undefined : liveActor(call);
    },
    stats: () => ({
      calls: calls.size,
      routes: routes.size,
      draining,
      started,
      ended,
      unrouted,
      hibernated: hibernation?.sleeping ?? 0,
      restored: hibernation?.restores ?? 0,
    }),
    idle: () => (calls.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  };
}

function channelIdOf(event: RoutableEvent): string | undefined {
  const channel = (event as { channel?: { id?: unknown } }).channel;
  return typeof channel?.id === 'string' ? channel.id : undefined;
}

function splitKey(key: RouteKey): [RouteKind, string] {
  const at = key.indexOf(':');
  return [key.slice(0, at) as RouteKind, key.slice(at + 1)];
}

/** The Stasis arguments of a channel that is in `app` right now (from its dialplan location), else undefined. */
export function stasisArgs(channel: Channel, app: string): string[] | undefined {
  const { app_name, app_data } = channel.dialplan ?? {};
  if (app_name !== 'Stasis' || typeof app_data !== 'string') return undefined;
  const [name, ...args] = app_data.split(',');
  return name === app ? args : undefined;
}

const APP_OPTIONS = [
  'client',
  'app',
  'createCall',
  'logger',
  'inspect',
  'clock',
  'drainTimeoutMs',
  'onCallEvent',
  'subscribe',
  'retry',
  'observers',
  'claim',
  'adoptable',
  'hibernate',
];
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

function validate(options: StasisAppOptions): void {
  if (options === null || typeof options !== 'object') throw new AriOptionsError('options', 'expected an object');
  if (!options.client || typeof options.client.channels?.hangup !== 'function') {
    throw new AriOptionsError('client', 'expected an ARI client with REST resources (createAriClient)');
  }
  if (typeof options.app !== 'string' || options.app.length === 0 || options.app.includes(',')) {
    throw new AriOptionsError('app', 'expected a non-empty Stasis application name without commas');
  }
  if (typeof options.createCall !== 'function') throw new AriOptionsError('createCall', 'expected a function');
  for (const name of Object.keys(options)) {
    if (!APP_OPTIONS.includes(name)) throw new AriOptionsError(name, 'unknown option');
  }
  const { inspect, logger, clock } = options;
  if (inspect !== undefined && typeof inspect !== 'function' && (inspect === null || typeof inspect !== 'object'))
    throw new AriOptionsError('inspect', 'expected an XState inspector (an observer or a function)');
  validateObservers(options.observers);
  if (options.onCallEvent !== undefined && typeof options.onCallEvent !== 'function')
    throw new AriOptionsError('onCallEvent', 'expected a function');
  if (options.subscribe !== undefined && typeof options.subscribe !== 'boolean')
    throw new AriOptionsError('subscribe', 'expected true or false');
  if (logger !== undefined && !LOG_LEVELS.every((level) => typeof logger?.[level] === 'function'))
    throw new AriOptionsError('logger', 'expected { debug, info, warn, error } functions');
  if (clock !== undefined && (typeof clock?.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function'))
    throw new AriOptionsError('clock', 'expected a clock with setTimeout and clearTimeout');
  if (options.retry !== undefined && options.retry !== false) validateRetryOptions(options.retry);
  validateClaimOptions(options.claim);
  validateHibernate(options.hibernate);
  if (options.adoptable !== undefined && typeof options.adoptable !== 'function')
    throw new AriOptionsError('adoptable', 'expected a function');
  const drain = options.drainTimeoutMs;
  if (drain !== undefined && !(Number.isFinite(drain) && drain > 0)) {
    throw new AriOptionsError('drainTimeoutMs', 'expected a positive number of milliseconds');
  }
}
