// A scripted caller for tests that uses nothing but ARI, so the same test drives the simulator or a real Asterisk:
// it originates Local/<exten>@<context> into an app of its own, keeps its half in a mixing bridge with a steady line
// tone (as the traces do), and "speaks" by playing into that bridge.
//
// What real Asterisk 22 demands of it: `media` is split at every comma, so the line tone is one item without a
// cadence (`tone:425`); a `tone:` playback never finishes by itself (not even `tone:!425/3000`), so a tone or a
// silence of N seconds is played and then stopped by the far end after N seconds of its clock; and every wait is
// bounded, failing with what it waited for.

import { type AriClient, createAriClient } from '../ari/client.js';
import { isAriError } from '../ari/errors.js';
import type { Logger } from '../ari/logger.js';

/** Options of {@link createFarEnd}. */
export interface FarEndOptions {
  /** ARI base (`http://host:8088`). */
  url: string;
  username: string;
  password: string;
  /** The far end's own Stasis app; default `caller` (as in the traces). */
  app?: string;
  /**
   * What the line plays while the caller says nothing: one media item that never ends (Asterisk splits `media` at
   * every comma, so a tone with a cadence like `425/200,0/200` cannot be one). Default `tone:425`.
   * @throws Error (from createFarEnd) when it holds a comma or is not a `tone:`.
   */
  lineTone?: string;
  /** Default time `waitFor` (and every wait for Asterisk) waits, in real ms; default 10,000. */
  timeoutMs?: number;
  /**
   * The clock that measures how long the caller speaks (`tone(3)` stops its tone after 3 s of this clock). Default
   * real time; pass a manual simulator's `sim.clock` so that speech lasts simulated time.
   */
  clock?: FarEndClock;
  logger?: Logger;
}

/** A clock to measure speech by (a simulator's `SimClock` fits). */
export interface FarEndClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
}

const REAL_CLOCK: FarEndClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

/** An ARI event as the far end sees it. */
export interface FarEndEvent {
  type: string;
  application: string;
  [field: string]: unknown;
}

/** One call placed by the far end. */
export interface FarEndCall {
  /** The caller half (`;1`), in the far end's app. */
  readonly channelId: string;
  /** The callee half (`;2`), which runs the dialplan (known once it exists). */
  readonly calleeId: string;
  /** The line bridge the caller half sits in. */
  readonly bridgeId: string;
  /**
   * Plays media that ends by itself (`sound:vm-intro`, `digits:305`, a comma-separated playlist of those) into the
   * line, as the caller speaking; resolves when said.
   * @throws Error for a `tone:` item (a tone never ends on Asterisk: use `tone`/`silence`), or when the playback
   * does not start or finish within `timeoutMs` (default 60,000 real ms), or the call ends first.
   */
  say(media: string, options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Sends `seconds` (of the far end's clock) of a tone (default 425 Hz) into the line, then the line tone again.
   * @throws Error when Asterisk does not start or stop the tone within `timeoutMs`, or the call ends first.
   */
  tone(seconds: number, frequency?: number): Promise<void>;
  /** Sends `seconds` of silence (a 0 Hz tone, so frames still flow) into the line; as `tone`. */
  silence(seconds: number): Promise<void>;
  /** Sends DTMF from the caller half; it arrives on the callee half. */
  dtmf(digits: string): Promise<void>;
  /** Resolves with the first event of this call (either half, or its media) that passes `test`. */
  waitFor(test: string | ((e: FarEndEvent) => boolean), timeoutMs?: number): Promise<FarEndEvent>;
  /** Every event of this call so far, in order. */
  readonly events: readonly FarEndEvent[];
  /** Hangs up the caller half; resolves when both halves are gone. */
  hangup(): Promise<void>;
}

/** The far end: places calls. */
/** Options of one far-end call. */
export interface FarEndCallOptions {
  /** How long to wait for the callee to answer, in ms; default the far end's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** The caller id the callee sees, as Asterisk takes it: `"Alice" <2001>` or `2001`. Default none. */
  readonly callerId?: string;
}

export interface FarEnd {
  readonly client: AriClient;
  /**
   * Calls `Local/<exten>@<context>` and resolves once the callee answered and the caller half is in its line bridge.
   * @throws Error when the call is not answered within `timeoutMs`.
   */
  call(exten: string, context?: string, options?: FarEndCallOptions): Promise<FarEndCall>;
  /** Closes the far end's ARI client. */
  close(): Promise<void>;
}

interface Waiter {
  test: (e: FarEndEvent) => boolean;
  resolve: (e: FarEndEvent) => void;
}

const ids = (e: FarEndEvent): string[] => {
  const out: string[] = [];
  for (const k of ['channel', 'peer', 'playback', 'recording', 'bridge']) {
    const v = e[k] as { id?: string; name?: string; target_uri?: string } | undefined;
    if (!v) continue;
    if (v.id) out.push(v.id);
    if (v.target_uri) out.push(v.target_uri.slice(v.target_uri.indexOf(':') + 1));
  }
  return out;
};

/** Connects a far end to an ARI server (the simulator or a real Asterisk). */
export async function createFarEnd(options: FarEndOptions): Promise<FarEnd> {
  const app = options.app ?? 'caller';
  const lineTone = options.lineTone ?? 'tone:425';
  if (typeof lineTone !== 'string' || !lineTone.startsWith('tone:') || lineTone.includes(',')) {
    throw new Error(
      `far end: lineTone must be one tone item without a comma (Asterisk splits media at every comma), got ${JSON.stringify(lineTone)}`,
    );
  }
  const defaultTimeout = options.timeoutMs ?? 10_000;
  const clock = options.clock ?? REAL_CLOCK;
  const client = createAriClient({
    url: options.url,
    username: options.username,
    password: options.password,
    apps: [app],
    logger: options.logger,
  });
  const calls = new Set<{ belongs: Set<string>; events: FarEndEvent[]; waiters: Waiter[] }>();
  client.onEvent((raw) => {
    const e = raw as unknown as FarEndEvent;
    const keys = ids(e);
    for (const c of calls) {
      if (!keys.some((k) => c.belongs.has(k))) continue;
      c.events.push(e);
      c.waiters = c.waiters.filter((w) => {
        if (!w.test(e)) return true;
        w.resolve(e);
        return false;
      });
    }
  });
  await client.connect();
  let seq = 0;

  const call = async (exten: string, context = 'default', opts: FarEndCallOptions = {}): Promise<FarEndCall> => {
    const tag = `${Date.now().toString(36)}-${seq++}`;
    const channelId = `far-${tag}-1`;
    const calleeId = `far-${tag}-2`;
    const state = { belongs: new Set([channelId, calleeId]), events: [] as FarEndEvent[], waiters: [] as Waiter[] };
    calls.add(state);
    const waitFor = (
      test: string | ((e: FarEndEvent) => boolean),
      timeoutMs = defaultTimeout,
    ): Promise<FarEndEvent> => {
      const fn = typeof test === 'string' ? (e: FarEndEvent) => e.type === test : test;
      const seen = state.events.find(fn);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          state.waiters = state.waiters.filter((w) => w !== waiter);
          reject(new Error(`far end: no matching event within ${timeoutMs} ms (call to ${exten}@${context})`));
        }, timeoutMs);
        const waiter: Waiter = {
          test: fn,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        state.waiters.push(waiter);
      });
    };
    const answered = waitFor(
      (e) => e.type === 'StasisStart' && (e.channel as { id: string }).id === channelId,
      opts.timeoutMs,
    );
    await client.channels.originateWithId({
      channelId,
      otherChannelId: calleeId,
      endpoint: `Local/${exten}@${context}`,
      app,
      appArgs: 'far-end',
      ...(opts.callerId ? { callerId: opts.callerId } : {}),
    });
    await answered;
    const bridge = await client.bridges.create({ type: 'mixing', name: `line-${channelId}` });
    state.belongs.add(bridge.id);
    await client.bridges.addChannel({ bridgeId: bridge.id, channel: channelId });
    let linePlayback = '';
    let lineSeq = 0;
    const gone = (id: string) => (e: FarEndEvent) =>
      e.type === 'ChannelDestroyed' && (e.channel as { id: string }).id === id;
    const playbackOf = (e: FarEndEvent): { id: string; state?: string } | undefined =>
      e.playback as { id: string; state?: string } | undefined;
    /** Waits for `test`, failing early (with `what`) when the caller half is destroyed first. */
    const waitOrEnd = async (test: (e: FarEndEvent) => boolean, what: string, timeoutMs: number) => {
      const e = await waitFor((x) => test(x) || gone(channelId)(x), timeoutMs).catch(() => {
        throw new Error(`far end: ${what} within ${timeoutMs} ms (call to ${exten}@${context})`);
      });
      if (!test(e)) throw new Error(`far end: the call ended before ${what} (call to ${exten}@${context})`);
      return e;
    };
    const startLine = async (): Promise<void> => {
      linePlayback = `line-${channelId}-${lineSeq++}`;
      state.belongs.add(linePlayback);
      await client.bridges.playWithId({ bridgeId: bridge.id, playbackId: linePlayback, media: lineTone });
    };
    const stopPlayback = async (id: string, what: string): Promise<void> => {
      const done = waitOrEnd(
        (e) => e.type === 'PlaybackFinished' && playbackOf(e)?.id === id,
        `${what} did not finish after it was stopped`,
        defaultTimeout,
      );
      done.catch(() => {});
      try {
        await client.playbacks.stop({ playbackId: id });
      } catch (error) {
        // Already over (the call is ending): nothing to wait for.
        if (isAriError(error, 404)) return;
        throw error;
      }
      await done;
    };
    await startLine();
    /**
     * The line tone never ends by itself, so speaking replaces it for the time of the speech: `media` plays until it
     * ends (`seconds` undefined) or for `seconds` of the far end's clock, then it is stopped.
     */
    const speak = async (media: string, seconds: number | undefined, timeoutMs: number): Promise<void> => {
      await stopPlayback(linePlayback, `the line tone ${linePlayback}`);
      const id = `say-${channelId}-${lineSeq++}`;
      state.belongs.add(id);
      const isOurs = (type: string) => (e: FarEndEvent) => e.type === type && playbackOf(e)?.id === id;
      // The speech is timed from the moment its PlaybackStarted arrives (the timer is set in the event's own turn,
      // so a test that moves a manual clock on that event already moves it for the speech).
      let timer: unknown;
      let over: () => void = () => {};
      const spoken = new Promise<void>((resolve) => {
        over = resolve;
      });
      if (seconds !== undefined) {
        state.waiters.push({
          test: isOurs('PlaybackStarted'),
          resolve: () => {
            timer = clock.setTimeout(over, Math.round(seconds * 1000));
          },
        });
      }
      const started = waitOrEnd(isOurs('PlaybackStarted'), `${media} did not start`, timeoutMs);
      const finished = waitOrEnd(
        isOurs('PlaybackFinished'),
        `${media} did not finish`,
        timeoutMs + (seconds ?? 0) * 1000,
      );
      started.catch(() => {});
      finished.catch(() => {});
      await client.bridges.playWithId({ bridgeId: bridge.id, playbackId: id, media });
      await started;
      if (seconds !== undefined) {
        // Hanging up ends the speech too: nobody waits for a clock that may never move again.
        const ended = finished.then(
          () => undefined,
          () => undefined,
        );
        await Promise.race([spoken, ended]);
        if (timer !== undefined) clock.clearTimeout(timer as never);
        await stopPlayback(id, media);
      }
      await finished;
      await startLine();
    };
    return {
      channelId,
      calleeId,
      bridgeId: bridge.id,
      get events() {
        return state.events;
      },
      say: (media, sayOptions = {}) => {
        if (media.split(',').some((item) => item.trim().startsWith('tone:'))) {
          return Promise.reject(
            new Error(`far end: say(${JSON.stringify(media)}): a tone never ends on Asterisk; use tone() or silence()`),
          );
        }
        return speak(media, undefined, sayOptions.timeoutMs ?? Math.max(defaultTimeout, 60_000));
      },
      tone: (seconds, frequency = 425) => {
        if (!(seconds >= 0) || !Number.isFinite(seconds) || !Number.isInteger(frequency) || frequency < 0) {
          return Promise.reject(
            new Error(`far end: tone(${seconds}, ${frequency}): seconds >= 0 and a frequency in Hz`),
          );
        }
        return speak(`tone:${frequency}`, seconds, defaultTimeout);
      },
      // A 0 Hz tone is silence that still sends frames (a recording's silence detection needs them).
      silence: (seconds) => {
        if (!(seconds >= 0) || !Number.isFinite(seconds)) {
          return Promise.reject(new Error(`far end: silence(${seconds}): seconds >= 0`));
        }
        return speak('tone:0', seconds, defaultTimeout);
      },
      async dtmf(digits) {
        await client.channels.sendDTMF({ channelId, dtmf: digits });
      },
      waitFor,
      async hangup() {
        const both = Promise.all([waitFor(gone(channelId)), waitFor(gone(calleeId))]);
        try {
          await client.channels.hangup({ channelId });
        } catch (error) {
          // The callee may have hung up first: then the channel is already gone. Anything else is a real failure.
          if (!isAriError(error, 404)) throw error;
        }
        await both;
        try {
          await client.bridges.destroy({ bridgeId: bridge.id });
        } catch (error) {
          if (!isAriError(error, 404)) throw error;
        }
        calls.delete(state);
      },
    };
  };

  return {
    client,
    call,
    close: () => client.close(),
  };
}
