import type { InspectionEvent, Observer } from 'xstate';
import { AriOptionsError } from '../ari/errors.js';
import type { Logger } from '../ari/logger.js';
import type { CallLifecycleEvent } from './app.js';

/**
 * Something that watches every call of a runtime (the live view of `startLiveView` is one): it sees what an XState
 * inspector sees of each call's actors, and the runtime's own events (a call started, ended, failed). A throwing
 * observer is logged and never ends a call.
 */
export interface CallObserver {
  /** Every inspection event of every call's actors (as the `inspect` option gets them). */
  readonly inspect?: (event: InspectionEvent) => void;
  /** The runtime's events about calls (as the `onCallEvent` option gets them). */
  readonly onCallEvent?: (event: CallLifecycleEvent) => void;
}

type Inspect = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/**
 * The one inspector to give `createActor`: `inspect` (an XState inspector) and every observer's `inspect`, or
 * undefined when there is none (actors are then not inspected at all, which costs nothing).
 */
export function observedInspect(
  inspect: Inspect | undefined,
  observers: readonly CallObserver[] | undefined,
  logger: Logger,
): Inspect | undefined {
  const watchers = (observers ?? []).filter((o) => typeof o.inspect === 'function');
  if (watchers.length === 0) return inspect;
  const first =
    inspect === undefined
      ? undefined
      : typeof inspect === 'function'
        ? inspect
        : (e: InspectionEvent) => inspect.next?.(e);
  return (event: InspectionEvent) => {
    first?.(event);
    for (const watcher of watchers) {
      try {
        watcher.inspect?.(event);
      } catch (error) {
        logger.error('a call observer threw', { error });
      }
    }
  };
}

/** Hands a lifecycle event to every observer's `onCallEvent`, logging (never rethrowing) what they throw. */
export function notifyObservers(
  observers: readonly CallObserver[] | undefined,
  event: CallLifecycleEvent,
  logger: Logger,
): void {
  if (observers === undefined) return;
  for (const observer of observers) {
    if (typeof observer.onCallEvent !== 'function') continue;
    try {
      observer.onCallEvent(event);
    } catch (error) {
      logger.error('a call observer threw', { error });
    }
  }
}

/** @throws AriOptionsError (`observers`) unless an array of objects whose `inspect`/`onCallEvent` are functions. */
export function validateObservers(observers: unknown): void {
  if (observers === undefined) return;
  const ok =
    Array.isArray(observers) &&
    observers.every(
      (o) =>
        typeof o === 'object' &&
        o !== null &&
        (o.inspect === undefined || typeof o.inspect === 'function') &&
        (o.onCallEvent === undefined || typeof o.onCallEvent === 'function'),
    );
  if (!ok) throw new AriOptionsError('observers', 'expected an array of { inspect?, onCallEvent? } observers');
}
