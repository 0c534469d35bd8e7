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
  /** Only requests of this account (its Basic-auth user name, see the simulator's `users`); any when omitted. */
  user?: string;
}

/** A fault rule: answer matching requests with `status` (default 500) and `{ message }`. */
export interface FailRule extends RequestMatcher {
  status?: number;
  message?: string;
  /**
   * The share of matching requests that fail, 0 to 1 (default 1: every one, up to `count`). Drawn from a generator
   * seeded with `seed` (default 1), so a run repeats exactly; a request spared by chance does not use up `count`
   * and goes on to the next matching rule (several rules with chances make a mix of faults).
   */
  chance?: number;
  seed?: number;
  /**
   * When true, the request is carried out and only its answer is replaced by the fault (Asterisk did it, the
   * answer was lost): what a retry of a non-idempotent request then meets. Default false (nothing is done).
   */
  after?: boolean;
}

/** A failure the server answers with; `after` when the request is carried out first. */
export interface Failure {
  readonly status: number;
  readonly message: string;
  readonly after: boolean;
}

/** A fault rule: hold matching requests for `ms` on the simulator's clock before handling them. */
export interface DelayRule extends RequestMatcher {
  ms: number;
}

/** Faults on demand; every duration runs on the simulator's clock. */
export interface SimFaults {
  /**
   * Terminates every event WebSocket now (as a crashed or restarted Asterisk would), or only the socket of `app` (as
   * a network fault on that application's connection would). Returns how many.
   */
  dropWebSockets(app?: string): number;
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
  user?: string;
  test: (path: string) => boolean;
  left: number;
  data: T;
  /** Whether this matching request is hit (a seeded draw), when the rule applies only to a share of them. */
  hit?: () => boolean;
}

/** A small seeded generator (mulberry32): the same seed gives the same faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  dropSockets(app?: string): number;
  malformed(app?: string): number;
  stopListening(): Promise<void>;
  listenAgain(): Promise<void>;
}

/** The state of the faults, consulted by the server for each request and upgrade. */
export class FaultState implements SimFaults {
  readonly #fails: Rule<Failure>[] = [];
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

  dropWebSockets(app?: string): number {
    return this.hooks.dropSockets(app);
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
    const chance = rule.chance ?? 1;
    if (typeof chance !== 'number' || !(chance >= 0 && chance <= 1))
      throw new TypeError(`faults: chance must be between 0 and 1, got ${String(rule.chance)}`);
    if (rule.seed !== undefined && !Number.isInteger(rule.seed)) throw new TypeError('faults: seed must be an integer');
    if (rule.after !== undefined && typeof rule.after !== 'boolean')
      throw new TypeError('faults: after must be a boolean');
    const random = chance < 1 ? seededRandom(rule.seed ?? 1) : undefined;
    this.#fails.push({
      method: rule.method?.toUpperCase(),
      ...(rule.user !== undefined ? { user: rule.user } : {}),
      test: compile(rule.path),
      left: checkCount(rule.count),
      data: { status, message: rule.message ?? 'Internal Server Error (simulated fault)', after: rule.after ?? false },
      ...(random ? { hit: () => random() < chance } : {}),
    });
  }

  delayRequests(rule: DelayRule): void {
    if (!Number.isFinite(rule.ms) || rule.ms < 0)
      throw new TypeError(`faults.delayRequests: ms must be >= 0, got ${rule.ms}`);
    this.#delays.push({
      method: rule.method?.toUpperCase(),
      ...(rule.user !== undefined ? { user: rule.user } : {}),
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

  takeFailure(method: string, path: string, user?: string): Failure | undefined {
    return take(this.#fails, method, path, user);
  }

  takeDelay(method: string, path: string, user?: string): number | undefined {
    return take(this.#delays, method, path, user);
  }
}

function take<T>(rules: Rule<T>[], method: string, path: string, user: string | undefined): T | undefined {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if ((rule.method && rule.method !== method) || (rule.user !== undefined && rule.user !== user)) continue;
    if (!rule.test(path)) continue;
    // Spared by chance: the next matching rule may still apply.
    if (rule.hit && !rule.hit()) continue;
    if (--rule.left <= 0) rules.splice(i, 1);
    return rule.data;
  }
  return undefined;
}
