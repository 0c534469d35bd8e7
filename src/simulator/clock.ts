/** A timer created on a {@link SimClock}; `cancel()` is idempotent. */
export interface SimTimer {
  cancel(): void;
}

/** Options of {@link SimClock.runUntil}. */
export interface RunUntilOptions {
  /** The longest single move of simulated time, in ms (default 100): time never jumps past work still under way. */
  readonly stepMs?: number;
  /** Simulated time after which `runUntil` gives up and rejects, in ms (default 600,000: ten minutes). */
  readonly limitMs?: number;
  /**
   * Real milliseconds without a request or an event at the simulator before time moves (default 5): the apps and the
   * far end get that long to answer what just happened.
   */
  readonly quietMs?: number;
}

/**
 * The clock every simulated duration runs on (playbacks, beeps, DTMF, recording limits, originate timeouts, faults).
 * `now()` is in epoch milliseconds on both kinds of clock; on a manual clock it starts at the wall-clock time the
 * simulator was created and only moves when `advance()`, `runAll()` or `runUntil()` moves it.
 */
export interface SimClock {
  readonly mode: 'real' | 'manual';
  /** Current simulated time, epoch milliseconds. */
  now(): number;
  /**
   * Manual clock only: moves time forward by `ms`, firing every timer due on the way, in order.
   * Synchronous: when it returns, every event of that span has been written to the sockets.
   * @throws Error on a real clock, or when `ms` is negative or not finite.
   */
  advance(ms: number): void;
  /**
   * Manual clock only: fires every pending timer (moving time to each), until none is left.
   * Tones without a duration never end on their own, so they do not keep this running.
   * @throws Error on a real clock, or after 1,000,000 timers (a runaway loop).
   */
  runAll(): void;
  /**
   * Resolves (or rejects) as `work` does, while simulated time passes: on a manual clock, each time the simulator has
   * seen no request and sent no event for `quietMs` of real time, time moves to the next timer (at most `stepMs`).
   * So a far end that waits for an event, a tone that must end, or an app timer all complete without the test
   * guessing how far to `advance()`; `work` may also be a function, called once. On a real clock it just awaits
   * `work`.
   * @throws Error (rejects) when `work` has not settled after `limitMs` of simulated time, naming how long it ran.
   */
  runUntil<T>(work: PromiseLike<T> | (() => PromiseLike<T>), options?: RunUntilOptions): Promise<T>;
  /** Number of pending timers. */
  pending(): number;
  /**
   * Schedules `fn` on this clock, in the shape XState's `clock` option takes, so that the actors under test share the
   * simulator's time: `createStasisApp({ ..., clock: sim.clock })` makes a machine's `after` delays advance with
   * `clock.advance()` like every simulated playback and recording.
   */
  setTimeout(fn: () => void, ms: number): SimTimer;
  /** Cancels a timer made by {@link SimClock.setTimeout}. */
  clearTimeout(timer: SimTimer | undefined): void;
}

/** The clock as the simulator uses it internally. */
export interface InternalClock extends SimClock {
  setTimer(ms: number, fn: () => void): SimTimer;
  /** Something happened at the simulator (a request arrived, an event was sent): `runUntil` waits for quiet. */
  noteActivity(): void;
  /** Cancels every pending timer (on close). */
  dispose(): void;
}

interface Entry {
  at: number;
  seq: number;
  fn: (() => void) | null;
}

export function createRealClock(): InternalClock {
  const timers = new Set<NodeJS.Timeout>();
  const notManual = (): never => {
    throw new Error("clock.advance()/runAll() need a manual clock: createSimulator({ clock: 'manual' })");
  };
  return {
    mode: 'real',
    now: () => Date.now(),
    setTimeout(fn, ms) {
      return this.setTimer(ms, fn);
    },
    clearTimeout: (timer) => timer?.cancel(),
    advance: notManual,
    runAll: notManual,
    async runUntil(work) {
      return typeof work === 'function' ? await work() : await work;
    },
    noteActivity() {},
    pending: () => timers.size,
    setTimer(ms, fn) {
      const handle = setTimeout(
        () => {
          timers.delete(handle);
          fn();
        },
        Math.max(0, ms),
      );
      timers.add(handle);
      return {
        cancel() {
          if (timers.delete(handle)) clearTimeout(handle);
        },
      };
    },
    dispose() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new Error(`clock.runUntil: ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}

export function createManualClock(start = Date.now()): InternalClock {
  let now = start;
  let seq = 0;
  let live = 0;
  /** Bumped on every request and event at the simulator (and every timer fired). */
  let activity = 0;
  let running = false;
  // Binary min-heap on (at, seq): O(log n) per timer, so 10,000 calls' timers stay cheap.
  const heap: Entry[] = [];
  const less = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (e: Entry): void => {
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Entry | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const runUntil = (limit: number): void => {
    let fired = 0;
    while (heap.length > 0 && heap[0]!.at <= limit) {
      const e = pop()!;
      if (!e.fn) continue;
      const fn = e.fn;
      e.fn = null;
      live--;
      now = Math.max(now, e.at);
      activity++;
      fn();
      if (++fired > 1_000_000) throw new Error('clock: more than 1,000,000 timers fired in one call (runaway loop?)');
    }
  };
  const clock: InternalClock = {
    mode: 'manual',
    now: () => now,
    setTimeout(fn, ms) {
      return this.setTimer(ms, fn);
    },
    clearTimeout: (timer) => timer?.cancel(),
    advance(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new Error(`clock.advance(ms): ms must be a finite number >= 0, got ${String(ms)}`);
      }
      const target = now + ms;
      runUntil(target);
      now = target;
    },
    runAll() {
      runUntil(Number.POSITIVE_INFINITY);
    },
    async runUntil(work, options = {}) {
      const stepMs = positive('stepMs', options.stepMs, 100);
      const limitMs = positive('limitMs', options.limitMs, 600_000);
      const quietMs = positive('quietMs', options.quietMs, 5);
      if (running) throw new Error('clock.runUntil: already running (one driver moves the clock at a time)');
      running = true;
      try {
        let settled = false;
        const watched = Promise.resolve(typeof work === 'function' ? work() : work).finally(() => {
          settled = true;
        });
        watched.catch(() => {});
        const began = now;
        while (!settled) {
          // Wait for quiet: no request, event or timer for quietMs of real time (and a few turns of the loop).
          for (let seen = activity, since = Date.now(), turns = 0; !settled; ) {
            await turn();
            await tick();
            if (activity !== seen) {
              seen = activity;
              since = Date.now();
              turns = 0;
            } else if (++turns >= 3 && Date.now() - since >= quietMs) break;
          }
          if (settled) break;
          if (now - began >= limitMs) {
            throw new Error(
              `clock.runUntil: the work did not settle within ${limitMs} ms of simulated time (it waits for something that never happens?)`,
            );
          }
          while (heap.length > 0 && !heap[0]!.fn) pop();
          const next = heap[0]?.at;
          const step = next === undefined ? stepMs : Math.min(stepMs, Math.max(0, next - now));
          clock.advance(Math.min(step, began + limitMs - now));
        }
        return await watched;
      } finally {
        running = false;
      }
    },
    noteActivity() {
      activity++;
    },
    pending: () => live,
    setTimer(ms, fn) {
      const e: Entry = { at: now + Math.max(0, ms), seq: seq++, fn };
      live++;
      push(e);
      return {
        cancel() {
          if (e.fn) {
            e.fn = null;
            live--;
          }
        },
      };
    },
    dispose() {
      for (const e of heap) e.fn = null;
      heap.length = 0;
      live = 0;
    },
  };
  return clock;
}
