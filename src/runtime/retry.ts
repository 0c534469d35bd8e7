// The retry policy of the runtime: the one place that says which ARI requests may be sent again when Asterisk's
// answer was not final (a network error, a timeout, a 5xx), how often and for how long. Every call's `scope.client`
// goes through it, so the machines' actions never retry on their own.

import { AriError, AriHttpError, AriOptionsError, isAriError } from '../ari/errors.js';
import type { Logger } from '../ari/logger.js';
import { ARI_OPERATIONS, ARI_RESOURCES, type AriResources, type CallOptions } from '../ari/operations.js';

/** How a request is retried. */
export interface RetryPolicyOptions {
  /** Tries in all, the first included. Default 5. */
  readonly attempts?: number;
  /** The first pause before a retry, in ms; each next one doubles, up to `maxDelayMs`. Default 50. */
  readonly baseDelayMs?: number;
  /** The longest pause between two tries, in ms. Default 1000. */
  readonly maxDelayMs?: number;
  /**
   * The request's deadline, in ms from its first try: no retry starts after it (and never once the call's signal is
   * aborted). Default 5000.
   */
  readonly budgetMs?: number;
  /** Draws the jitter (each pause is a random share, 50 to 100 %, of its step). Default `Math.random`. */
  readonly random?: () => number;
}

/** What the policy tells about each retry (for logs and tests). */
export interface RetryNotice {
  readonly operation: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** How one operation may be retried. */
interface RetryRule {
  /**
   * The request creates something under a name we chose and refuses a second one with 409 (`ifExists=fail`, a
   * playback id): a 409 on a retry may mean our first try worked. `verify` says whether it did.
   */
  readonly verify?: (client: AriResources, params: Record<string, unknown>, options?: CallOptions) => Promise<boolean>;
}

// Our take is live on our channel, or already finished and stored under its name (names are never reused).
const ownTake = async (client: AriResources, params: Record<string, unknown>, options?: CallOptions) => {
  const recordingName = String(params.name);
  try {
    const live = await client.recordings.getLive({ recordingName }, options);
    return live.target_uri === `channel:${String(params.channelId)}`;
  } catch (error) {
    if (!isAriError(error, 404)) throw error;
  }
  try {
    await client.recordings.getStored({ recordingName }, options);
    return true;
  } catch (error) {
    if (isAriError(error, 404)) return false;
    throw error;
  }
};

/**
 * The requests that may be sent again. Every GET; and the writes whose repetition changes nothing or is refused in
 * a way we can check. A request missing here (a playback without a chosen id, an originate) is sent once.
 */
const RULES: ReadonlyMap<string, RetryRule> = new Map<string, RetryRule>([
  ...ARI_OPERATIONS.filter((op) => op.method === 'GET').map((op): [string, RetryRule] => [
    `${op.resource}.${op.nickname}`,
    {},
  ]),
  // Channels: answering, a variable, going back to the dialplan and hanging up are the same done twice (a repeat
  // of a call already gone answers 404, which the caller treats as the end of a race).
  ['channels.answer', {}],
  ['channels.ring', {}],
  ['channels.ringStop', {}],
  ['channels.setChannelVar', {}],
  ['channels.continueInDialplan', {}],
  ['channels.hangup', {}],
  // A playback under a pre-chosen id: a retry after a lost answer is refused as a duplicate id (409), which
  // means it is playing.
  [
    'channels.playWithId',
    {
      verify: async (client, params, options) => {
        try {
          await client.playbacks.get({ playbackId: String(params.playbackId) }, options);
          return true;
        } catch (error) {
          if (isAriError(error, 404)) return false;
          throw error;
        }
      },
    },
  ],
  // A take under a pre-chosen name with ifExists=fail: a 409 on a retry is our own take if it is live on our channel.
  ['channels.record', { verify: ownTake }],
  ['playbacks.stop', {}],
  ['playbacks.control', {}],
  ['recordings.stop', {}],
  ['recordings.cancel', {}],
  ['recordings.pause', {}],
  ['recordings.unpause', {}],
  ['recordings.mute', {}],
  ['recordings.unmute', {}],
  ['recordings.deleteStored', {}],
  // A copy under a destination name we chose: a 409 on a retry is our own copy when the destination exists.
  [
    'recordings.copyStored',
    {
      verify: async (client, params, options) => {
        try {
          await client.recordings.getStored({ recordingName: String(params.destinationRecordingName) }, options);
          return true;
        } catch (error) {
          if (isAriError(error, 404)) return false;
          throw error;
        }
      },
    },
  ],
  ['mailboxes.update', {}],
  ['mailboxes.delete', {}],
  ['deviceStates.update', {}],
  ['deviceStates.delete', {}],
]);

/** Whether the policy may retry `resource.nickname` (`channels.record`, say). */
export function isRetried(operation: string): boolean {
  return RULES.has(operation);
}

/** An answer that is not final: the request may not have been seen, or may be seen fine a moment later. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof AriError)) return false;
  if (error.code === 'ARI_NETWORK' || error.code === 'ARI_TIMEOUT') return true;
  return error instanceof AriHttpError && error.status >= 500 && error.status !== 501;
}

const RESOURCES: ReadonlySet<string> = new Set(ARI_RESOURCES);

const POLICY_OPTIONS = ['attempts', 'baseDelayMs', 'maxDelayMs', 'budgetMs', 'random'];

/** Checks retry options. @throws AriOptionsError naming the bad one. */
export function validateRetryOptions(options: RetryPolicyOptions, prefix = 'retry'): void {
  if (options === null || typeof options !== 'object') throw new AriOptionsError(prefix, 'expected an object');
  for (const name of Object.keys(options)) {
    if (!POLICY_OPTIONS.includes(name)) throw new AriOptionsError(`${prefix}.${name}`, 'unknown option');
  }
  const { attempts, baseDelayMs, maxDelayMs, budgetMs, random } = options;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1))
    throw new AriOptionsError(`${prefix}.attempts`, 'expected an integer >= 1');
  for (const [name, value] of [
    ['baseDelayMs', baseDelayMs],
    ['maxDelayMs', maxDelayMs],
    ['budgetMs', budgetMs],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0))
      throw new AriOptionsError(`${prefix}.${name}`, 'expected a number of ms >= 0');
  }
  if (random !== undefined && typeof random !== 'function') throw new AriOptionsError(`${prefix}.random`, 'a function');
}

/** A pause that ends early (rejecting) when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The same REST resources, with every request the policy allows retried on a transient error (network, timeout,
 * 5xx other than 501) with a jittered exponential backoff, within the request's budget and while its signal is not
 * aborted. Requests the policy does not know are passed through untouched; the last error is thrown as it came.
 */
export function withRetries<T extends AriResources>(
  client: T,
  options: RetryPolicyOptions = {},
  hooks: { logger?: Logger; onRetry?: (notice: RetryNotice) => void } = {},
): T {
  validateRetryOptions(options);
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 50;
  const max = options.maxDelayMs ?? 1000;
  const budget = options.budgetMs ?? 5000;
  const random = options.random ?? Math.random;

  async function run(
    operation: string,
    rule: RetryRule,
    send: (params: Record<string, unknown>, options?: CallOptions) => Promise<unknown>,
    params: Record<string, unknown>,
    callOptions: CallOptions | undefined,
  ): Promise<unknown> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(params, callOptions);
      } catch (error) {
        // A refusal of our own name on a retry: did the first try work after all?
        if (attempt > 1 && rule.verify && isAriError(error, 409)) {
          // The look goes through the policy too: a 5xx on it says nothing about our first try.
          if (await rule.verify(retried, params, callOptions)) return undefined;
          throw error;
        }
        if (!isTransient(error) || attempt >= attempts || callOptions?.signal?.aborted) throw error;
        const step = Math.min(max, base * 2 ** (attempt - 1));
        const delayMs = Math.round(step * (0.5 + random() / 2));
        if (Date.now() - started + delayMs > budget) throw error;
        hooks.onRetry?.({ operation, attempt, delayMs, error });
        hooks.logger?.debug('ARI request retried', { operation, attempt, delayMs, error });
        await pause(delayMs, callOptions?.signal);
      }
    }
  }

  // Read on every request (`client.channels.play`): the wrapped member is found in one map look-up.
  const wrapResource = (name: string, resource: object): object => {
    const cache = new Map<PropertyKey, unknown>();
    return new Proxy(resource, {
      get(target, prop) {
        let wrapped = cache.get(prop);
        if (wrapped !== undefined) return wrapped;
        const value = Reflect.get(target, prop);
        if (typeof prop !== 'string' || typeof value !== 'function') return value;
        const operation = `${name}.${prop}`;
        const rule = RULES.get(operation);
        if (rule === undefined) return value;
        const send = (p: Record<string, unknown>, o?: CallOptions) =>
          (value as (p: unknown, o?: unknown) => Promise<unknown>).call(target, p, o);
        wrapped = (params: Record<string, unknown>, callOptions?: CallOptions) =>
          run(operation, rule, send, params, callOptions);
        cache.set(prop, wrapped);
        return wrapped;
      },
    });
  };

  const resources = new Map<string, object>();
  const retried: T = new Proxy(client, {
    get(target, prop) {
      if (typeof prop === 'string' && RESOURCES.has(prop)) {
        const wrapped = resources.get(prop);
        if (wrapped !== undefined) return wrapped;
      }
      // Read on the client itself (its getters may use private fields), methods bound to it.
      const value = Reflect.get(target, prop);
      if (typeof prop !== 'string' || !RESOURCES.has(prop)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      if (value === null || typeof value !== 'object') return value;
      const wrapped = wrapResource(prop, value);
      resources.set(prop, wrapped);
      return wrapped;
    },
  });
  return retried;
}
