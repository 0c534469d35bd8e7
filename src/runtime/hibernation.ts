// Hibernation of parked calls: a call whose actor only waits (a state its machine tags `parked`, nothing invoked
// still running, no delayed event pending) is kept as its persisted snapshot, its actor stopped, and a new actor is
// made from that snapshot when the next event reaches the call, before that event is delivered. The machine never
// knows: its context, state and finished invocations are what they were, and its entry actions do not run again.
// Observers (`inspect`, `observers`) see neither the stop nor the restore; they are told the call's new actor by a
// `call.restored` lifecycle event.

import type { AnyActorRef, InspectionEvent, Observer, Snapshot, Subscription } from 'xstate';
import { AriOptionsError } from '../ari/errors.js';

/** Options of hibernation (`createStasisApp({ hibernate })`). */
export interface HibernateOptions {
  /**
   * How long a call must have stayed parked before it is hibernated, in ms. Default 1000. `0` hibernates it as soon
   * as the runtime's next timer turn finds it parked.
   */
  readonly idleMs?: number;
  /** The tag of the machine's states in which a call only waits. Default `parked`. */
  readonly tag?: string;
}

/** What hibernation needs of the runtime's record of a call. */
export interface HibernatingCall {
  readonly id: string;
  readonly finished: boolean;
  /** The live actor, or undefined while the call sleeps. */
  actor: AnyActorRef | undefined;
  /** The runtime's own subscription to the actor (ended before a hibernation stops it). */
  subscription: Subscription | undefined;
  /** The persisted snapshot of a sleeping call. */
  sleeping: Snapshot<unknown> | undefined;
}

export const DEFAULT_IDLE_MS = 1000;
export const DEFAULT_TAG = 'parked';

type Inspect = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/** The internal the runtime checks for pending delayed events (`after`): the system's scheduled events. */
interface Scheduled {
  getSnapshot?: () => { _scheduledEvents?: Record<string, unknown> };
}

/**
 * Whether `actor` only waits: alive, in a state tagged `tag`, no invoked or spawned actor still running, and no
 * delayed event pending (a persisted snapshot does not keep those).
 */
export function isParked(actor: AnyActorRef, tag: string): boolean {
  const snapshot = actor.getSnapshot() as {
    status?: string;
    hasTag?: (tag: string) => boolean;
    children?: Record<string, AnyActorRef>;
  };
  if (snapshot.status !== 'active' || snapshot.hasTag?.(tag) !== true) return false;
  for (const id in snapshot.children) {
    if ((snapshot.children[id]?.getSnapshot() as { status?: string } | undefined)?.status === 'active') return false;
  }
  const scheduled = (actor.system as Scheduled).getSnapshot?.()._scheduledEvents;
  for (const _ in scheduled) return false;
  return true;
}

/**
 * The persisted snapshot of a parked actor, without its finished children: an invocation that is done or failed
 * has already told its parent, and a restored machine that leaves the state finds nothing to stop.
 */
export function persistParked(actor: AnyActorRef): Snapshot<unknown> {
  const persisted = actor.getPersistedSnapshot() as Snapshot<unknown> & {
    children?: Record<string, { snapshot?: { status?: string } }>;
  };
  const children = persisted.children;
  if (children === undefined) return persisted;
  const kept: typeof children = {};
  for (const id in children) {
    const child = children[id];
    if (child?.snapshot?.status === 'active') kept[id] = child;
  }
  return { ...persisted, children: kept } as unknown as Snapshot<unknown>;
}

/** @throws AriOptionsError (`hibernate`) unless `true`, `false` or `{ idleMs?, tag? }` with valid values. */
export function validateHibernate(value: unknown): void {
  if (value === undefined || value === true || value === false) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AriOptionsError('hibernate', 'expected true, false or { idleMs?, tag? }');
  }
  for (const name of Object.keys(value)) {
    if (name !== 'idleMs' && name !== 'tag') throw new AriOptionsError(`hibernate.${name}`, 'unknown option');
  }
  const { idleMs, tag } = value as HibernateOptions;
  if (idleMs !== undefined && !(typeof idleMs === 'number' && Number.isFinite(idleMs) && idleMs >= 0)) {
    throw new AriOptionsError('hibernate.idleMs', 'expected a number of milliseconds, 0 or more');
  }
  if (tag !== undefined && (typeof tag !== 'string' || tag.length === 0)) {
    throw new AriOptionsError('hibernate.tag', 'expected a non-empty tag name');
  }
}

/**
 * The hibernation of one runtime's calls. The runtime tells it when a call's actor changed (`changed`), asks it
 * for a call's live actor before every delivery (`wake`), and tells it when a call ends (`forget`). `revive`
 * makes the call's actor again from a persisted snapshot (created, bound, subscribed and started as the runtime
 * does for a new call); `restored` is told the new actor.
 */
export class Hibernation<C extends HibernatingCall> {
  readonly #idleMs: number;
  readonly #tag: string;
  readonly #revive: (call: C, snapshot: Snapshot<unknown>) => AnyActorRef;
  readonly #restored: (call: C, actor: AnyActorRef) => void;
  /** Parked calls waiting for their turn, oldest first, with the time they became parked. */
  readonly #candidates = new Map<C, number>();
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Set while an actor is stopped for hibernation or made again: observers see none of that. */
  #quiet = false;
  #sleeping = 0;
  #restores = 0;

  constructor(
    options: true | HibernateOptions,
    revive: (call: C, snapshot: Snapshot<unknown>) => AnyActorRef,
    restored: (call: C, actor: AnyActorRef) => void,
  ) {
    const given = options === true ? {} : options;
    this.#idleMs = given.idleMs ?? DEFAULT_IDLE_MS;
    this.#tag = given.tag ?? DEFAULT_TAG;
    this.#revive = revive;
    this.#restored = restored;
  }

  /** Calls held as snapshots now. */
  get sleeping(): number {
    return this.#sleeping;
  }

  /** Calls woken since the runtime was created. */
  get restores(): number {
    return this.#restores;
  }

  /** The inspector to give `createActor`: `inner`, except while an actor is stopped or made again by hibernation. */
  inspect(inner: Inspect | undefined): Inspect | undefined {
    if (inner === undefined) return undefined;
    const next = typeof inner === 'function' ? inner : (event: InspectionEvent) => inner.next?.(event);
    return (event: InspectionEvent) => {
      if (!this.#quiet) next(event);
    };
  }

  /** The call's actor has a new snapshot: a parked call becomes a candidate, any other is no longer one. */
  changed(call: C): void {
    const actor = call.actor;
    if (actor === undefined || call.finished) return;
    if (!isParked(actor, this.#tag)) {
      this.#candidates.delete(call);
      return;
    }
    if (this.#candidates.has(call)) return;
    this.#candidates.set(call, Date.now());
    this.#arm(this.#idleMs);
  }

  /** The call's live actor: made again from its snapshot if it sleeps. */
  wake(call: C): AnyActorRef | undefined {
    const snapshot = call.sleeping;
    if (snapshot === undefined) return call.actor;
    call.sleeping = undefined;
    this.#sleeping--;
    this.#restores++;
    this.#quiet = true;
    let actor: AnyActorRef;
    try {
      actor = this.#revive(call, snapshot);
    } finally {
      this.#quiet = false;
    }
    if (!call.finished) this.#restored(call, actor);
    return call.actor;
  }

  /** The call ended: nothing of it is kept here. */
  forget(call: C): void {
    this.#candidates.delete(call);
    if (call.sleeping !== undefined) {
      call.sleeping = undefined;
      this.#sleeping--;
    }
  }

  /** Stops the sweep (the runtime stopped). */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#candidates.clear();
  }

  /** Puts a parked call to sleep: its snapshot kept, its actor stopped unseen. */
  hibernate(call: C): boolean {
    const actor = call.actor;
    this.#candidates.delete(call);
    if (actor === undefined || call.finished || !isParked(actor, this.#tag)) return false;
    const snapshot = persistParked(actor);
    call.subscription?.unsubscribe();
    call.subscription = undefined;
    this.#quiet = true;
    try {
      actor.stop();
    } finally {
      this.#quiet = false;
    }
    call.actor = undefined;
    call.sleeping = snapshot;
    this.#sleeping++;
    return true;
  }

  #arm(delayMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#sweep(), delayMs);
    this.#timer.unref?.();
  }

  #sweep(): void {
    this.#timer = undefined;
    const due = Date.now() - this.#idleMs;
    for (const [call, since] of this.#candidates) {
      if (since > due) {
        this.#arm(since - due);
        return;
      }
      this.hibernate(call);
    }
  }
}
