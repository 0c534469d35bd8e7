// The callers of the fault runs (`npm run chaos`, `npm run cluster`) and how their outcome is counted, from the
// Asterisk's side (the simulator's channels and recordings) and the store. Callers leave a message (speak, hang up),
// discard a take (`*`, speak again, `#`, save in review) or review (`#`, save in review); they press a key again
// when it had no effect, as a person would.

import type { Channel } from '../src/ari/models.js';
import type { FarEnd, FarEndCall, Simulator } from '../src/simulator/index.js';
import type { MessageStore, VoicemailMessage } from '../src/voicemail/store.js';

export type Kind = 'leave' | 'discard' | 'review';

export interface Caller {
  readonly index: number;
  readonly box: string;
  readonly kind: Kind;
  call?: FarEndCall;
  recorded: boolean;
  /** The call was never answered, or its channel went before any take (Stasis refused it, say). */
  refused: boolean;
  ambiguous: boolean;
  stuck: boolean;
}

export const newCaller = (index: number, box: string, kind: Kind): Caller => ({
  index,
  box,
  kind,
  recorded: false,
  refused: false,
  ambiguous: false,
  stuck: false,
});

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const waitFor = async (test: () => boolean, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (test()) return true;
    await sleep(50);
  }
  return test();
};

/**
 * What one simulated Asterisk has, looked at on each `look()`: the takes seen per channel (once recording, not while
 * queued behind the beep), the live channels, and the channels still in the application (`inApp`).
 */
export class AsteriskWatch {
  readonly takes = new Map<string, string[]>();
  inApp = new Set<string>();
  alive = new Set<string>();
  liveNames = new Set<string>();
  constructor(
    readonly sim: Simulator,
    private readonly isInApp: (channel: Channel) => boolean,
  ) {}

  look(): void {
    const recordings = this.sim.liveRecordings();
    this.liveNames = new Set(recordings.map((r) => r.name));
    for (const r of recordings) {
      if (r.state === 'queued') continue;
      const id = r.target_uri.startsWith('channel:') ? r.target_uri.slice(8) : '';
      const list = this.takes.get(id) ?? [];
      if (!list.includes(r.name)) list.push(r.name);
      this.takes.set(id, list);
    }
    const channels = this.sim.channels();
    this.alive = new Set(channels.map((c) => c.id));
    this.inApp = new Set(channels.filter(this.isInApp).map((c) => c.id));
  }
}

/**
 * One caller's script on `farEnd` (whose Asterisk `watch` looks at). `faultTimes` are the moments an instance was
 * killed: a `*` pressed before one of them whose take had no successor may or may not have reached the application
 * (then 0 or 1 message are both right: the caller is `ambiguous`).
 */
export async function runCaller(c: Caller, farEnd: FarEnd, watch: AsteriskWatch, faultTimes: number[]): Promise<void> {
  let call: FarEndCall;
  try {
    call = await farEnd.call(c.box);
  } catch {
    c.refused = true;
    return;
  }
  c.call = call;
  watch.alive.add(call.calleeId);
  const quiet = (p: Promise<unknown>) =>
    p.then(
      () => true,
      () => false,
    );
  const gone = () => !watch.alive.has(call.calleeId);
  const newTake = (after: string | undefined) => {
    const list = watch.takes.get(call.calleeId) ?? [];
    return after === undefined ? list[0] : list[list.indexOf(after) + 1];
  };
  const live = (name: string | undefined) => name !== undefined && watch.liveNames.has(name);
  const latest = () => (watch.takes.get(call.calleeId) ?? []).at(-1);
  const pressUntil = async (digit: string, done: () => boolean): Promise<boolean> => {
    for (let i = 0; i < 3 && !done() && !gone(); i++) {
      await quiet(call.dtmf(digit));
      await waitFor(() => done() || gone(), 3_000);
    }
    return done();
  };
  try {
    if (c.index % 2 === 0) await quiet(call.dtmf('#'));
    await waitFor(() => newTake(undefined) !== undefined || gone(), 40_000);
    const take = newTake(undefined);
    if (!take) {
      c.refused = gone();
      return;
    }
    c.recorded = true;
    await quiet(call.tone(1));
    if (c.kind === 'leave') return;
    if (c.kind === 'discard') {
      const pressed = Date.now();
      if (!(await pressUntil('*', () => newTake(take) !== undefined))) {
        c.ambiguous = !gone() || faultTimes.some((t) => t >= pressed);
        return;
      }
      await quiet(call.tone(1));
    }
    const kept = latest();
    await pressUntil('#', () => !live(kept));
    await sleep(1500);
    await quiet(call.dtmf('#'));
    // The application now saves, says so and sends the channel on: it must not leave it in Stasis.
    const finished = () => gone() || !watch.inApp.has(call.calleeId);
    if (!(await waitFor(finished, 12_000))) await quiet(call.dtmf('#'));
    c.stuck = !(await waitFor(finished, 30_000));
  } finally {
    await quiet(call.hangup());
  }
}

export interface Outcome {
  /** Callers expected to have exactly one message (they recorded, and were not ambiguous). */
  expected: number;
  saved: number;
  lost: number;
  duplicates: number;
  /** Stored recordings of a caller's takes that no message owns. */
  survivors: number;
  problems: string[];
}

/**
 * Counts the outcome of `callers` who called through `watch`'s Asterisk: a message belongs to a caller when its
 * recording is one of the takes seen on that caller's channel (recording names are unique per call, channel ids only
 * per Asterisk).
 */
export async function countOutcome(
  callers: readonly Caller[],
  watch: AsteriskWatch,
  store: Pick<MessageStore, 'list'>,
): Promise<Outcome> {
  const out: Outcome = { expected: 0, saved: 0, lost: 0, duplicates: 0, survivors: 0, problems: [] };
  const stored = new Set(watch.sim.storedRecordings().map((r) => r.name));
  const byBox = new Map<string, VoicemailMessage[]>();
  for (const c of callers) {
    if (!c.call) continue;
    let list = byBox.get(c.box);
    if (!list) {
      list = await store.list({ mailbox: c.box, context: 'default' });
      byBox.set(c.box, list);
    }
    const takes = watch.takes.get(c.call.calleeId) ?? [];
    const messages = list.filter((m) => takes.includes(m.recordingName));
    const audio = takes.filter((name) => stored.has(name));
    out.saved += messages.length;
    out.duplicates += Math.max(0, messages.length - 1);
    const owned = new Set(messages.map((m) => m.recordingName));
    out.survivors += audio.filter((name) => !owned.has(name)).length;
    const broken = messages.filter((m) => !stored.has(m.recordingName)).length;
    if (c.recorded && !c.ambiguous) {
      out.expected++;
      if (messages.length === 0) out.lost++;
    }
    out.lost += broken;
    const wrong =
      messages.length > 1 ||
      broken > 0 ||
      audio.some((name) => !owned.has(name)) ||
      c.stuck ||
      c.ambiguous ||
      (c.recorded && !c.ambiguous && messages.length === 0);
    if (wrong)
      out.problems.push(
        `${c.kind} #${c.index} ${c.call.calleeId}: takes ${JSON.stringify(takes)}, ` +
          `messages ${JSON.stringify(messages.map((m) => m.recordingName))}, stored ${JSON.stringify(audio)}` +
          `${c.stuck ? ', stuck' : ''}${c.ambiguous ? ', ambiguous' : ''}`,
      );
  }
  return out;
}
