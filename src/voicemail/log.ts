import type { InspectionEvent } from 'xstate';

/**
 * An XState inspector that prints one line per transition of every voicemail call, like the ARI recording
 * tutorial's sample output: `1795298152.13: ChannelDtmfReceived(#) -> reviewing.playing`. Pass it as the
 * runtime's `inspect` option.
 */
export function voicemailTransitionLog(print: (line: string) => void): (event: InspectionEvent) => void {
  return (inspection) => {
    if (inspection.type !== '@xstate.snapshot') return;
    const snapshot = inspection.snapshot as {
      machine?: { id?: string };
      value?: unknown;
      context?: { callId?: string };
    };
    if (snapshot.machine?.id !== 'voicemail') return;
    const event = inspection.event as { type: string; digit?: string };
    const label = event.type === 'ChannelDtmfReceived' ? `${event.type}(${event.digit})` : event.type;
    print(`${snapshot.context?.callId ?? '?'}: ${label} -> ${stateName(snapshot.value)}`);
  };
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
