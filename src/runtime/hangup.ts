import type { HangupEvent } from '../../machines/hangup.js';
import type { ChannelHangupRequest, StasisEnd } from '../ari/events.js';
import type { RoutableEvent } from './routing.js';

export type { HangupEvent };

/**
 * What a call's actor is sent, event by event: the first ChannelHangupRequest or StasisEnd of the call's own channel
 * becomes one {@link HangupEvent} (the ARI event attached), a later one is dropped (`undefined`), and every other
 * event passes as it is. One per call: the runtime and `attachRecorder` keep one beside each actor.
 */
export function hangupOnce(callId: string): (event: RoutableEvent) => RoutableEvent | HangupEvent | undefined {
  let told = false;
  return (event) => {
    if (event.type !== 'ChannelHangupRequest' && event.type !== 'StasisEnd') return event;
    const original = event as RoutableEvent & (ChannelHangupRequest | StasisEnd);
    if (original.channel?.id !== callId) return event;
    if (told) return undefined;
    told = true;
    const cause = original.type === 'ChannelHangupRequest' ? original.cause : undefined;
    return { type: 'hangup', ...(typeof cause === 'number' ? { cause } : {}), original };
  };
}
