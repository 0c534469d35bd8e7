import type { InternalClock, SimTimer } from './clock.js';

/** Which requests a fault applies to. */
export interface RequestMatcher {
  /** HTTP method; any when omitted. */
  method?: string;
  /**
   * The path under `/ari` as the request sends it (`/channels/123/record`): a RegExp, or a string where `*` matches
   * one path segment and `**` anything (e.g. `/channels/*\/record`, `/recordings/**`).
   */
  path?: string | RegExp;
  /** How many matching requests it applies to (default 1; `Infinity` for all until `faults.clear()`). */
  count?: number;
}

/** A fault rule: answer matching requests with `status` (default 500) and `{ message }`. */
export interface FailRule extends RequestMatcher {
  status?: number;
  message?: string;
}

/** A fault rule: hold matching requests for `ms` on the simulator's clock before handling them. */
export interface DelayRule extends RequestMatcher {
  ms: number;
}

/** Faults on demand; every duration runs on the simulator's clock. */
export interface SimFaults {
  /** Terminates every event WebSocket now (as a crashed or restarted Asterisk would). Returns how many. */
  dropWebSockets(): number;
  /**
   * Refuses new connections for `ms`: `mode: 'upgrade'` (default) answers WebSocket upgrades `503`;
   * `mode: 'close'` stops listening (connections are refused) and listens again on the same port afterwards.
   */
  refuseConnections(ms: number, options?: { mode?: 'upgrade' | 'close' }): void;
  /** Fails the next matching request(s) with a 5xx (or any status) and a message. */
  failRequests(rule: FailRule): void;
  /** Delays the next matching request(s). */
  delayRequests(rule: DelayRule): void;
  /** Sends a frame that is not JSON to every event socket (or to the sockets of one app). Returns how many got it. */
  sendMalformedFrame(app?: string): number;
  /** Removes every pending rule and ends a refusal now. */
  clear(): void;
}

interface Rule<T> {
  method?: string;
  test: (path: string) => boolean;
  left: number;
  data: T;
}

function compile(path: string | RegExp | undefined): (p: string) => boolean {
  if (path === undefined) return () => true;
  if (path instanceof RegExp) return (p) => path.test(p);
  if (typeof path !== 'string') throw new TypeError('faults: path must be a string or a RegExp');
  const re = new RegExp(
    `^${path
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]+'),
      )
      .join('.*')}$`,
  );
  return (p) => re.test(p);
}

function checkCount(count: number | undefined): number {
  const n = count ?? 1;
  if (!(n > 0)) throw new TypeError(`faults: count must be > 0, got ${String(count)}`);
  return n;
}

export interface FaultHooks {
  dropSockets(): number;
  malformed(app?: string): number;
  stopListening(): Promise<void>;
  listenAgain(): Promise<void>;
}

/** The state of the faults, consulted by the server for each request and upgrade. */
export class FaultState implements SimFaults {
  readonly #fails: Rule<{ status: number; message: string }>[] = [];
  readonly #delays: Rule<number>[] = [];
  #refuseUntil = 0;
  #refuseTimer: SimTimer | undefined;
  #closed = false;

  constructor(
    readonly clock: InternalClock,
    readonly hooks: FaultHooks,
  ) {}

  get refusingUpgrades(): boolean {
    return this.clock.now() < this.#refuseUntil && !this.#closed;
  }

  dropWebSockets(): number {
    return this.hooks.dropSockets();
  }

  refuseConnections(ms: number, options: { mode?: 'upgrade' | 'close' } = {}): void {
    if (!Number.isFinite(ms) || ms <= 0) throw new TypeError(`faults.refuseConnections(ms): ms must be > 0, got ${ms}`);
    const mode = options.mode ?? 'upgrade';
    if (mode !== 'upgrade' && mode !== 'close') throw new TypeError(`faults.refuseConnections: unknown mode '${mode}'`);
    this.#refuseTimer?.cancel();
    if (mode === 'upgrade') {
      this.#refuseUntil = this.clock.now() + ms;
      this.#refuseTimer = undefined;
      return;
    }
    this.#closed = true;
    void this.hooks.stopListening();
    this.#refuseTimer = this.clock.setTimer(ms, () => this.#reopen());
  }

  #reopen(): void {
    this.#refuseTimer = undefined;
    if (!this.#closed) return;
    this.#closed = false;
    void this.hooks.listenAgain();
  }

  failRequests(rule: FailRule): void {
    const status = rule.status ?? 500;
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`faults: bad status ${status}`);
    this.#fails.push({
      method: rule.method?.toUpperCase(),
      test: compile(rule.path),
      left: checkCount(rule.count),
      data: { status, message: rule.message ?? 'Internal Server Error (simulated fault)' },
    });
  }

  delayRequests(rule: DelayRule): void {
    if (!Number.isFinite(rule.ms) || rule.ms < 0)
      throw new TypeError(`faults.delayRequests: ms must be >= 0, got ${rule.ms}`);
    this.#delays.push({
      method: rule.method?.toUpperCase(),
      test: compile(rule.path),
      left: checkCount(rule.count),
      data: rule.ms,
    });
  }

  sendMalformedFrame(app?: string): number {
    return this.hooks.malformed(app);
  }

  clear(): void {
    this.#fails.length = 0;
    this.#delays.length = 0;
    this.#refuseUntil = 0;
    this.#refuseTimer?.cancel();
    this.#refuseTimer = undefined;
    if (this.#closed) this.#reopen();
  }

  takeFailure(method: string, path: string): { status: number; message: string } | undefined {
    return take(this.#fails, method, path);
  }

  takeDelay(method: string, path: string): number | undefined {
    return take(this.#delays, method, path);
  }
}

function take<T>(rules: Rule<T>[], method: string, path: string): T | undefined {
  const i = rules.findIndex((r) => (!r.method || r.method === method) && r.test(path));
  if (i === -1) return undefined;
  const rule = rules[i]!;
  if (--rule.left <= 0) rules.splice(i, 1);
  return rule.data;
}
