import type { InspectionEvent } from 'xstate';

/**
 * An XState inspector that prints one line per state change of every voicemail call, like the ARI recording
 * tutorial's sample output: the call id, the state left, the state entered and the event that caused it:
 * `1795298152.13: recording.active -> recording.stopping on ChannelDtmfReceived(#)`. The first line of a call is
 * `start -> <state>`. Snapshots that change no state (an event ignored, a context update) print nothing. Pass it as
 * the runtime's `inspect` option; other machines' snapshots are ignored.
 */
export function voicemailTransitionLog(print: (line: string) => void): (event: InspectionEvent) => void {
  // Held weakly: a call that is stopped without reaching a final state leaves nothing behind.
  const last = new WeakMap<object, string>();
  return (inspection) => {
    if (inspection.type !== '@xstate.snapshot') return;
    const snapshot = inspection.snapshot as {
      machine?: { id?: string };
      value?: unknown;
      context?: { settings?: { callId?: string } };
    };
    if (snapshot.machine?.id !== 'voicemail') return;
    const to = stateName(snapshot.value);
    const from = last.get(inspection.actorRef);
    if (from === to) return;
    last.set(inspection.actorRef, to);
    const callId = snapshot.context?.settings?.callId ?? '?';
    print(`${callId}: ${from ?? 'start'} -> ${to} on ${eventLabel(inspection.event)}`);
  };
}

function eventLabel(event: { type: string; digit?: string }): string {
  if (event.type === 'ChannelDtmfReceived') return `${event.type}(${event.digit})`;
  // XState's own events name the actor or delay by internal ids; what happened is enough next to the states.
  if (event.type.startsWith('xstate.done.actor.')) return 'done';
  if (event.type.startsWith('xstate.error.actor.')) return 'error';
  if (event.type.startsWith('xstate.after.')) return 'timeout';
  return event.type;
}

function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, child]) => `${key}.${stateName(child)}`)
      .join(',');
  }
  return String(value);
}
