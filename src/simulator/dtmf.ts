import type { SimTimer } from './clock.js';
import type { Engine } from './engine.js';
import { type QueuedOp, type SimChannel, SimError } from './model.js';

export interface DtmfParams {
  dtmf?: string;
  before?: number;
  between?: number;
  duration?: number;
  after?: number;
}

// Asterisk waits this long before the first digit ("a quiet time before sending digits").
const QUIET_MS = 100;

/**
 * POST /channels/{id}/dtmf: the digits go out one after another on the channel's queue and each arrives on the
 * Local peer as ChannelDtmfReceived when it ends (`w` waits 500 ms, `W` one second, as in Asterisk's dtmf streams).
 */
export function sendDtmf(
  engine: Engine,
  ch: SimChannel,
  p: DtmfParams,
  received: (peer: SimChannel, digit: string, durationMs: number) => void,
): void {
  if (!p.dtmf) throw new SimError(400, 'DTMF is required');
  for (const k of ['before', 'between', 'duration', 'after'] as const) {
    const v = p[k];
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new SimError(400, `${k} must be a number >= 0`);
  }
  const digits = p.dtmf;
  const between = p.between || 100;
  const duration = p.duration || 100;
  const timers: SimTimer[] = [];
  const op: QueuedOp = {
    start() {
      const clock = engine.deps.clock;
      let t = (p.before ?? 0) + QUIET_MS;
      for (const c of digits) {
        if (c === 'w') t += 500;
        else if (c === 'W') t += 1000;
        else if (/^[0-9A-Da-d*#]$/.test(c)) {
          const digit = c.toUpperCase();
          timers.push(
            clock.setTimer(t + duration, () => {
              const peer = ch.peer;
              if (peer && !peer.destroyed) received(peer, digit, duration);
            }),
          );
          t += duration + between;
        }
      }
      timers.push(clock.setTimer(t + (p.after ?? 0), () => engine.opDone(ch.queue, op)));
    },
    abort() {
      for (const timer of timers) timer.cancel();
    },
  };
  engine.enqueue(ch.queue, op);
}
