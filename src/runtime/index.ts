export {
  type ActorClock,
  bindCallScope,
  type CallLifecycleEvent,
  type ConnectionChangeLike,
  callScopeOf,
  createStasisApp,
  type RuntimeClient,
  type StasisApp,
  type StasisAppOptions,
  type StasisAppStats,
  type Synthetic,
  stasisArgs,
} from './app.js';
export {
  BROADCAST_MODULES,
  type BroadcastClaimOptions,
  type BroadcastSupport,
  broadcastArgs,
  type ClaimOutcome,
  type ClaimReport,
  detectBroadcast,
} from './broadcast.js';
export type { HibernateOptions } from './hibernation.js';
export type { CallObserver } from './observers.js';
export { type CallPromiseArgs, fromCallPromise } from './promise.js';
export {
  isRetried,
  isTransient,
  type RetryNotice,
  type RetryPolicyOptions,
  validateRetryOptions,
  withRetries,
} from './retry.js';
export { eventRouteKeys, type RoutableEvent, type RouteKey, routeKey } from './routing.js';
export { eventName, type TransitionLogOptions, transitionLog } from './transition-log.js';
export type { CallFactory, CallLogic, CallScope, CallStart, RecoveryContext, RouteKind } from './types.js';
