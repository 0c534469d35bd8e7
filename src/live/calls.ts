import type { InspectionEvent } from 'xstate';
import type { CallLifecycleEvent } from '../runtime/app.js';
import type { CallObserver } from '../runtime/observers.js';
import { contextMailbox, eventName, stateLeaves } from '../runtime/transition-log.js';

/** One state change of a call, as the live view lists it. */
export interface LiveTransition {
  /** When it happened (ms since the epoch, the view's clock). */
  readonly at: number;
  /** The state left (`recording.active`), null for the first state of the call. */
  readonly from: string | null;
  readonly to: string;
  /** What moved it: the ARI event (`DTMF #`), the runtime's `hangup`, `timeout`, `done` (an actor finished)... */
  readonly event: string;
}

/** What the live view knows of one call's actor. Holds no context beyond the caller and the mailbox. */
export interface LiveCall {
  readonly callId: string;
  /** The id of the call's machine (`voicemail`, `recordCall`): the chart it is drawn on. */
  readonly machine: string;
  /** The caller as the channel's StasisStart named it (`Alice <1001>`), when known. */
  readonly caller: string | null;
  /** The mailbox of a voicemail call, when known. */
  readonly mailbox: string | null;
  /** The active leaf states, `,`-separated (`recording.active`). */
  readonly state: string;
  /** Every active state by its path (`recording`, `recording.active`): what the chart lights. */
  readonly active: readonly string[];
  readonly startedAt: number;
  /** When the call entered its current state. */
  readonly enteredAt: number;
  /** Set once the call ended (its actor stopped), with how it ended. */
  readonly endedAt: number | null;
  readonly ended: 'done' | 'drained' | 'stopped' | 'error' | null;
  /** Its state changes, oldest first (the latest `maxLog` of them). */
  readonly log: readonly LiveTransition[];
}

/** A change the view's clients are sent: a call's new summary, and the transition that caused it if any. */
export interface LiveUpdate {
  readonly call: LiveCall;
  readonly transition?: LiveTransition;
}

export interface LiveCallsOptions {
  /** How long an ended call stays listed, in ms. Default 600_000 (10 minutes). */
  readonly keepEndedMs?: number;
  /** At most this many ended calls are kept (the oldest go first). Default 200. */
  readonly maxEnded?: number;
  /** Transitions kept per call. Default 200. */
  readonly maxLog?: number;
  /** The clock of timestamps and of keeping ended calls. Default `Date.now`. */
  readonly now?: () => number;
}

interface Entry {
  callId: string;
  machine: string;
  caller: string | null;
  mailbox: string | null;
  state: string;
  active: string[];
  startedAt: number;
  enteredAt: number;
  endedAt: number | null;
  ended: LiveCall['ended'];
  log: LiveTransition[];
  /** The call's root actor's session (its child actors are not drawn). */
  session: string | undefined;
}

const CALL_PREFIX = 'call:';

/**
 * The calls a live view shows, fed as a {@link CallObserver}: each call's root actor (the one the runtime made
 * for it, id `call:<channel id>`), its active states and their changes; ended calls are kept for a while.
 */
export class LiveCalls implements CallObserver {
  readonly #live = new Map<string, Entry>();
  readonly #ended = new Map<string, Entry>();
  readonly #bySession = new Map<string, Entry>();
  readonly #listeners = new Set<(update: LiveUpdate) => void>();
  readonly #keepEndedMs: number;
  readonly #maxEnded: number;
  readonly #maxLog: number;
  readonly #now: () => number;

  constructor(options: LiveCallsOptions = {}) {
    this.#keepEndedMs = positive(options.keepEndedMs, 600_000, 'keepEndedMs');
    this.#maxEnded = positive(options.maxEnded, 200, 'maxEnded');
    this.#maxLog = positive(options.maxLog, 200, 'maxLog');
    this.#now = options.now ?? Date.now;
  }

  /** The calls: live ones first (oldest first), then the ended ones still kept (latest ended first). */
  list(): LiveCall[] {
    this.prune();
    return [...this.#live.values(), ...[...this.#ended.values()].reverse()].map(view);
  }

  /** Calls `listener` on every change; returns the function that stops it. */
  subscribe(listener: (update: LiveUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets the ended calls kept longer than `keepEndedMs`; returns their ids. */
  prune(): string[] {
    const limit = this.#now() - this.#keepEndedMs;
    const gone: string[] = [];
    for (const [id, entry] of this.#ended) {
      if ((entry.endedAt ?? 0) > limit && this.#ended.size - gone.length <= this.#maxEnded) break;
      gone.push(id);
    }
    for (const id of gone) {
      const session = this.#ended.get(id)?.session;
      if (session !== undefined && this.#bySession.get(session)?.endedAt !== null) this.#bySession.delete(session);
      this.#ended.delete(id);
    }
    return gone;
  }

  readonly inspect = (event: InspectionEvent): void => {
    const ref = event.actorRef as { id?: unknown; sessionId?: string };
    if (ref.sessionId === undefined || ref.sessionId !== event.rootId) return;
    if (event.type === '@xstate.actor') {
      if (typeof ref.id === 'string' && ref.id.startsWith(CALL_PREFIX)) this.#entry(ref.id.slice(CALL_PREFIX.length));
      return;
    }
    const entry = this.#bySession.get(ref.sessionId) ?? this.#adopt(ref);
    // An ended call still takes its last snapshot: XState reports the final state after the actor completed.
    if (entry === undefined) return;
    if (event.type === '@xstate.event') {
      if (entry.caller === null) entry.caller = callerOf(event.event);
      return;
    }
    if (event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as { value?: unknown; machine?: { id?: unknown }; context?: unknown };
    if (typeof snapshot.machine?.id === 'string') entry.machine = snapshot.machine.id;
    const mailbox = contextMailbox(snapshot.context);
    if (typeof mailbox === 'string' && mailbox !== entry.mailbox) entry.mailbox = mailbox;
    const active = activePaths(snapshot.value);
    const state = stateLeaves(snapshot.value).join(',');
    if (state === entry.state) return;
    const now = this.#now();
    const transition: LiveTransition = {
      at: now,
      from: entry.state === '' ? null : entry.state,
      to: state,
      event: eventName(event.event, entry.machine),
    };
    entry.state = state;
    entry.active = active;
    entry.enteredAt = now;
    entry.log.push(transition);
    if (entry.log.length > this.#maxLog) entry.log.splice(0, entry.log.length - this.#maxLog);
    this.#emit(entry, transition);
  };

  readonly onCallEvent = (event: CallLifecycleEvent): void => {
    if (event.type === 'call.started') {
      const entry = this.#entry(event.callId);
      entry.session = event.actor.sessionId;
      this.#bySession.set(event.actor.sessionId, entry);
      const machine = (event.actor as { logic?: { id?: unknown } }).logic?.id;
      if (typeof machine === 'string') entry.machine = machine;
      this.#emit(entry);
      return;
    }
    if (event.type === 'call.restored') {
      // A hibernated call woke with a new actor: the same entry follows it.
      const entry = this.#live.get(event.callId);
      if (entry === undefined) return;
      if (entry.session !== undefined) this.#bySession.delete(entry.session);
      entry.session = event.actor.sessionId;
      this.#bySession.set(event.actor.sessionId, entry);
      return;
    }
    if (event.type !== 'call.ended') return;
    const entry = this.#live.get(event.callId);
    if (entry === undefined) return;
    this.#live.delete(event.callId);
    entry.endedAt = this.#now();
    entry.ended = event.reason;
    this.#ended.delete(entry.callId);
    this.#ended.set(entry.callId, entry);
    this.prune();
    this.#emit(entry);
  };

  /** The live entry of a call, made when first seen. */
  #entry(callId: string): Entry {
    let entry = this.#live.get(callId);
    if (entry === undefined) {
      const now = this.#now();
      entry = {
        callId,
        machine: '',
        caller: null,
        mailbox: null,
        state: '',
        active: [],
        startedAt: now,
        enteredAt: now,
        endedAt: null,
        ended: null,
        log: [],
        session: undefined,
      };
      this.#live.set(callId, entry);
    }
    return entry;
  }

  /** A root actor seen before its `call.started` (its first snapshots come while it starts). */
  #adopt(ref: { id?: unknown; sessionId?: string }): Entry | undefined {
    if (typeof ref.id !== 'string' || !ref.id.startsWith(CALL_PREFIX) || ref.sessionId === undefined) return undefined;
    const entry = this.#entry(ref.id.slice(CALL_PREFIX.length));
    if (entry.session !== undefined && entry.session !== ref.sessionId) return undefined;
    entry.session = ref.sessionId;
    this.#bySession.set(ref.sessionId, entry);
    return entry;
  }

  #emit(entry: Entry, transition?: LiveTransition): void {
    // Nobody watching (no page open) costs no copy.
    if (this.#listeners.size === 0) return;
    const update: LiveUpdate = transition ? { call: view(entry), transition } : { call: view(entry) };
    for (const listener of this.#listeners) listener(update);
  }
}

function view(entry: Entry): LiveCall {
  const { session: _session, log, active, ...rest } = entry;
  return { ...rest, active: [...active], log: [...log] };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`startLiveView: ${name} must be a positive number`);
  return value;
}

/** Every active state's path of keys (`recording`, `recording.active`), parents before children. */
export function activePaths(value: unknown, prefix = ''): string[] {
  const join = (key: string): string => (prefix === '' ? key : `${prefix}.${key}`);
  if (typeof value === 'string') return [join(value)];
  if (value === null || typeof value !== 'object') return [];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) paths.push(join(key), ...activePaths(child, join(key)));
  return paths;
}

function callerOf(event: unknown): string | null {
  const e = event as { type?: unknown; channel?: { caller?: { name?: unknown; number?: unknown } } };
  if (e.type !== 'StasisStart') return null;
  const name = typeof e.channel?.caller?.name === 'string' ? e.channel.caller.name : '';
  const number = typeof e.channel?.caller?.number === 'string' ? e.channel.caller.number : '';
  if (name && number) return `${name} <${number}>`;
  return name || number || null;
}
