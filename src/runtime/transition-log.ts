import type { InspectionEvent } from 'xstate';
import type { CallLifecycleEvent } from './app.js';
import type { CallObserver } from './observers.js';

/** Options of {@link transitionLog}. */
export interface TransitionLogOptions {
  /** Width the call's name is padded to, so that the columns line up. Default 9. */
  readonly callWidth?: number;
  /** Width the machine's id is padded to. Default 10 (`recordCall`). */
  readonly machineWidth?: number;
}

interface Entry {
  readonly callId: string;
  /** The name printed, fixed at the first line printed. */
  name: string | undefined;
  caller: string | undefined;
  /** Where the call went: the mailbox, else the Stasis argument or the extension dialled. */
  dialled: string | undefined;
  mailbox: string | undefined;
  state: string;
  /** Lines waiting for the call's StasisStart, which names the caller (the first state comes before it). */
  pending: Array<(name: string) => string>;
}

const CALL_PREFIX = 'call:';

/**
 * One line per state change of every call, whatever its machine (voicemail, recordCall, the mailbox menu...):
 *
 *     2001→305   voicemail   recording.active -> recording.stopping  on DTMF #
 *     2003→401   recordCall  storing -> sending  on storing done
 *
 * The call is named by its caller's number and where it went (the mailbox, else the Stasis argument or the
 * extension dialled) when they are known, else by its channel id; two live calls with the same name get `#2`, `#3`.
 * States are the active leaf states; events are ARI's names (`DTMF #` for a key), the library's own, or XState's in
 * words: `start`, `<invoked state> done`, `<invoked state> failed`, `<delay> timeout`. A call's first line reads
 * `new -> <state>  on start`. Snapshots that change no state print nothing. Pass it in the runtime's `observers`
 * (`createStasisApp`, `attachRecorder`), as the live view is.
 */
export function transitionLog(print: (line: string) => void, options: TransitionLogOptions = {}): CallObserver {
  const callWidth = options.callWidth ?? 9;
  const machineWidth = options.machineWidth ?? 10;
  // Held weakly by actor: a call that is stopped without an observer being told leaves nothing behind.
  const byActor = new WeakMap<object, Entry>();
  const byCall = new Map<string, Entry>();
  const names = new Set<string>();

  const nameOf = (entry: Entry): string => {
    if (entry.name !== undefined) return entry.name;
    const to = entry.mailbox ?? entry.dialled;
    const base = entry.caller === undefined && to === undefined ? entry.callId : `${entry.caller ?? '?'}→${to ?? '?'}`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}#${n}`;
    names.add(name);
    entry.name = name;
    return name;
  };
  const flush = (entry: Entry): void => {
    if (entry.pending.length === 0) return;
    const name = nameOf(entry);
    for (const line of entry.pending.splice(0)) print(line(name));
  };
  const forget = (entry: Entry): void => {
    flush(entry);
    if (entry.name !== undefined) names.delete(entry.name);
    if (byCall.get(entry.callId) === entry) byCall.delete(entry.callId);
  };

  const inspect = (inspection: InspectionEvent): void => {
    const ref = inspection.actorRef as { id?: unknown; sessionId?: string };
    // Only a call's own actor: what it invokes shows as its `... done` events.
    if (ref.sessionId === undefined || ref.sessionId !== inspection.rootId) return;
    if (inspection.type === '@xstate.event') {
      const entry = byActor.get(inspection.actorRef);
      if (entry === undefined || inspection.event.type === 'xstate.init') return;
      if (inspection.event.type === 'StasisStart') learnStart(entry, inspection.event);
      flush(entry);
      return;
    }
    if (inspection.type !== '@xstate.snapshot') return;
    const snapshot = inspection.snapshot as {
      value?: unknown;
      status?: string;
      machine?: { id?: unknown };
      // The voicemail machines keep what their call was given under `settings` (the menu its login under `login`);
      // the recorder at the top.
      context?: {
        callId?: unknown;
        mailbox?: unknown;
        settings?: { callId?: unknown; mailbox?: unknown };
        login?: { mailbox?: unknown };
      };
    };
    const given = snapshot.context?.settings ?? snapshot.context;
    const machine = typeof snapshot.machine?.id === 'string' ? snapshot.machine.id : undefined;
    if (machine === undefined) return;
    let entry = byActor.get(inspection.actorRef);
    if (entry === undefined) {
      const callId =
        typeof ref.id === 'string' && ref.id.startsWith(CALL_PREFIX)
          ? ref.id.slice(CALL_PREFIX.length)
          : typeof given?.callId === 'string'
            ? given.callId
            : undefined;
      if (callId === undefined) return;
      entry = {
        callId,
        name: undefined,
        caller: undefined,
        dialled: undefined,
        mailbox: undefined,
        state: '',
        pending: [],
      };
      byActor.set(inspection.actorRef, entry);
      byCall.set(callId, entry);
    }
    const mailbox = contextMailbox(snapshot.context);
    if (typeof mailbox === 'string' && entry.name === undefined) entry.mailbox = mailbox.replace(/@default$/, '');
    const to = stateLeaves(snapshot.value).join(',');
    if (to !== entry.state) {
      const from = entry.state === '' ? 'new' : entry.state;
      const event = eventName(inspection.event, machine);
      entry.state = to;
      const line = (name: string) =>
        `${name.padEnd(callWidth)}  ${machine.padEnd(machineWidth)}  ${from} -> ${to}  on ${event}`;
      // The runtime starts a call's actor, then hands it the StasisStart: its first line waits for the caller.
      entry.pending.push(line);
      if (from !== 'new') flush(entry);
    }
    if (snapshot.status !== undefined && snapshot.status !== 'active') forget(entry);
  };

  const onCallEvent = (event: CallLifecycleEvent): void => {
    if (event.type === 'call.restored') {
      // A hibernated call woke with a new actor: its lines go on under the same name.
      const entry = byCall.get(event.callId);
      if (entry !== undefined) byActor.set(event.actor, entry);
      return;
    }
    if (event.type !== 'call.ended') return;
    const entry = byCall.get(event.callId);
    if (entry !== undefined) forget(entry);
  };

  return { inspect, onCallEvent };
}

function learnStart(entry: Entry, event: unknown): void {
  const start = event as {
    args?: unknown;
    channel?: { caller?: { name?: unknown; number?: unknown }; dialplan?: { exten?: unknown } };
  };
  const number = start.channel?.caller?.number;
  const callerName = start.channel?.caller?.name;
  if (typeof number === 'string' && number !== '') entry.caller = number;
  else if (typeof callerName === 'string' && callerName !== '') entry.caller = callerName;
  const arg = Array.isArray(start.args) ? start.args[0] : undefined;
  const exten = start.channel?.dialplan?.exten;
  if (typeof arg === 'string' && arg !== '') entry.dialled = arg;
  else if (typeof exten === 'string' && exten !== '' && exten !== 's') entry.dialled = exten;
}

/**
 * What moved a call, in the library's words: ARI's and the library's events as they are, a key as `DTMF 5`, and
 * XState's own events by what happened (`start`, `storing done`, `prepare failed`, `timeLimit timeout`) instead of
 * their internal ids (`xstate.done.actor.0.recordCall.storing`).
 */
export function eventName(event: { type: string; digit?: unknown }, machine?: string): string {
  const { type } = event;
  if (type === 'ChannelDtmfReceived') return `DTMF ${String(event.digit)}`;
  if (type === 'xstate.init') return 'start';
  const actor = /^xstate\.(done|error)\.actor\.(.*)$/.exec(type);
  if (actor) return `${invokedName(actor[2] ?? '', machine)} ${actor[1] === 'done' ? 'done' : 'failed'}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return /^\d+$/.test(after[1] ?? '') ? `${after[1]} ms timeout` : `${after[1]} timeout`;
  const state = /^xstate\.done\.state\.(.*)$/.exec(type);
  if (state) return `${statePath(state[1] ?? '', machine)} finished`;
  return type;
}

// XState names an invocation without an id `<index>.<machine id>.<state path>`: the state path says which.
function invokedName(id: string, machine: string | undefined): string {
  const auto = /^\d+\.(.+)$/.exec(id);
  return auto ? statePath(auto[1] ?? '', machine) : id;
}

function statePath(id: string, machine: string | undefined): string {
  if (machine !== undefined && id.startsWith(`${machine}.`)) return id.slice(machine.length + 1);
  const dot = id.indexOf('.');
  return dot >= 0 ? id.slice(dot + 1) : id;
}

/** The active leaf states of a snapshot's value, as dotted paths (`recording.active`). */
export function stateLeaves(value: unknown, prefix = ''): string[] {
  const join = (key: string): string => (prefix === '' ? key : `${prefix}.${key}`);
  if (typeof value === 'string') return [join(value)];
  if (value === null || typeof value !== 'object') return [];
  const entries = Object.entries(value);
  if (entries.length === 0) return prefix === '' ? [] : [prefix];
  return entries.flatMap(([key, child]) => stateLeaves(child, join(key)));
}

/**
 * The mailbox a call's context names, wherever its machine keeps it: the recorder at the top, the menu under `login`,
 * the voicemail machine under `settings`.
 * @internal
 */
export function contextMailbox(context: unknown): unknown {
  const c = context as
    | { mailbox?: unknown; login?: { mailbox?: unknown }; settings?: { mailbox?: unknown } }
    | undefined;
  return c?.mailbox ?? c?.login?.mailbox ?? c?.settings?.mailbox;
}
