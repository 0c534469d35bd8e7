// A scripted caller for tests that uses nothing but ARI, so the same test drives the simulator or a real Asterisk:
// it originates Local/<exten>@<context> into an app of its own, keeps its half in a mixing bridge with a steady line
// tone (as the traces do), and "speaks" by playing into that bridge.

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
  /** What the line plays while the caller says nothing; default `tone:425/200,0/200`. */
  lineTone?: string;
  /** Default time `waitFor` waits (real time), in ms; default 10,000. */
  timeoutMs?: number;
  logger?: Logger;
}

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
  /** Plays media (`sound:vm-intro`, `digits:305`) into the line, as the caller speaking; resolves when said. */
  say(media: string): Promise<void>;
  /** Sends `seconds` of a tone (default 425 Hz) into the line; resolves when done. */
  tone(seconds: number, frequency?: number): Promise<void>;
  /** Sends `seconds` of silence into the line; resolves when done. */
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
  const lineTone = options.lineTone ?? 'tone:425/200,0/200';
  const defaultTimeout = options.timeoutMs ?? 10_000;
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
    const startLine = async (): Promise<void> => {
      linePlayback = `line-${channelId}-${lineSeq++}`;
      state.belongs.add(linePlayback);
      await client.bridges.playWithId({ bridgeId: bridge.id, playbackId: linePlayback, media: lineTone });
    };
    const stopLine = async (): Promise<void> => {
      const id = linePlayback;
      const done = waitFor((e) => e.type === 'PlaybackFinished' && (e.playback as { id: string }).id === id);
      try {
        await client.playbacks.stop({ playbackId: id });
      } catch {
        return;
      }
      await done;
    };
    await startLine();
    // The line tone never ends by itself, so speaking replaces it for the time of the speech.
    const speak = async (media: string): Promise<void> => {
      await stopLine();
      const id = `say-${channelId}-${lineSeq++}`;
      state.belongs.add(id);
      const finished = waitFor(
        (e) => e.type === 'PlaybackFinished' && (e.playback as { id: string }).id === id,
        3_600_000,
      );
      await client.bridges.playWithId({ bridgeId: bridge.id, playbackId: id, media });
      await finished;
      await startLine();
    };
    const gone = (id: string) => (e: FarEndEvent) =>
      e.type === 'ChannelDestroyed' && (e.channel as { id: string }).id === id;
    return {
      channelId,
      calleeId,
      bridgeId: bridge.id,
      get events() {
        return state.events;
      },
      say: speak,
      tone: (seconds, frequency = 425) => speak(`tone:!${frequency}/${Math.round(seconds * 1000)}`),
      // A tone of 0 Hz played once is silence, on Asterisk and on the simulator alike.
      silence: (seconds) => speak(`tone:!0/${Math.round(seconds * 1000)}`),
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
