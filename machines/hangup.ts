import type { ChannelHangupRequest, StasisEnd } from '../src/ari/events.js';

/**
 * The caller is gone: the one event every machine of this project gets for it. Asterisk tells a hang-up twice
 * (ChannelHangupRequest, then StasisEnd) or, for a channel that leaves the app without hanging up, only with
 * StasisEnd; the runtime (`createStasisApp`, `attachRecorder`) turns the first of these into a `hangup` and drops
 * the later one, so a machine handles the end of its call once per state. Types only: a machine imports it as a type.
 */
export interface HangupEvent {
  readonly type: 'hangup';
  /** The hang-up cause (a Q.850 code: 16 is a normal clearing), when Asterisk gave one (ChannelHangupRequest). */
  readonly cause?: number;
  /**
   * The ARI event it was made from: ChannelHangupRequest, or StasisEnd when it came first (marked `synthetic` when
   * the runtime made it up after a gap of the event stream).
   */
  readonly original: ChannelHangupRequest | StasisEnd;
}
