// New calls shared by Asterisk itself (22.10+): the dialplan's `StasisBroadcast()` offers each call to every
// instance's app (`CallBroadcast`), each instance that wants it claims it (`POST /events/claim`), Asterisk gives it
// to the first claim (204; the others get 409) and the winner gets a plain StasisStart. An instance claims only while
// it has room. Without the modules (an older or smaller build), the dialplan spreads calls over app names instead:
// see the README's cluster section; `detectBroadcast` tells which of the two an Asterisk does.

import { AriOptionsError, isAriError } from '../ari/errors.js';
import type { CallBroadcast } from '../ari/events.js';
import type { Logger } from '../ari/logger.js';
import type { Channel } from '../ari/models.js';
import type { AriResources } from '../ari/operations.js';

/** The modules StasisBroadcast needs: the resource (claims) and the dialplan application. */
export const BROADCAST_MODULES = ['res_stasis_broadcast.so', 'app_stasis_broadcast.so'] as const;

/** Whether an Asterisk can share calls by broadcast, and what each module's state is. */
export interface BroadcastSupport {
  /** Both modules are running: `StasisBroadcast()` works and claims are answered. */
  readonly available: boolean;
  /** Each module's `status` as Asterisk reports it (`Running`), or `absent` when it is not loaded. */
  readonly modules: Readonly<Record<(typeof BROADCAST_MODULES)[number], string>>;
}

/**
 * Asks Asterisk whether it has the broadcast modules loaded (`GET /asterisk/modules/{name}`: a 404 means not
 * loaded). The `since` of `/events/claim` in Asterisk's own api-docs is older than the modules, so the version
 * tells nothing: ask the modules.
 * @throws the client's errors other than that 404 (a 401, a network error).
 */
export async function detectBroadcast(client: Pick<AriResources, 'asterisk'>): Promise<BroadcastSupport> {
  const states = await Promise.all(
    BROADCAST_MODULES.map(async (moduleName) => {
      try {
        return (await client.asterisk.getModule({ moduleName })).status;
      } catch (error) {
        if (isAriError(error, 404)) return 'absent';
        throw error;
      }
    }),
  );
  const modules = { 'res_stasis_broadcast.so': states[0]!, 'app_stasis_broadcast.so': states[1]! };
  return { available: states.every((s) => s === 'Running'), modules };
}

/**
 * The Stasis arguments of a channel that a broadcast gave to some app: while the winner has it, the channel's
 * dialplan application is still `StasisBroadcast` (its data `timeout,filter,arg1:arg2,...`), not `Stasis(app,...)`,
 * so only the app's own subscriptions (`GET /applications/{app}`) tell whose it is. Undefined for another channel.
 */
export function broadcastArgs(channel: Channel): string[] | undefined {
  const { app_name, app_data } = channel.dialplan ?? {};
  if (app_name !== 'StasisBroadcast' || typeof app_data !== 'string') return undefined;
  const args = app_data.split(',')[2] ?? '';
  return args === '' ? [] : args.split(':');
}

/** `channel` as if it were in `Stasis(<app>,<its broadcast's arguments>)`: where a broadcast to `app` put it. */
export function asInStasis(channel: Channel, app: string): Channel {
  const args = broadcastArgs(channel) ?? [];
  return { ...channel, dialplan: { ...channel.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') } };
}

/**
 * The channels among `channels` that sit in `app` through a broadcast: read from the app's subscriptions, and only
 * when there is such a channel the runtime does not know (one request per resync at most).
 */
export async function claimedChannels(
  client: Pick<AriResources, 'applications'>,
  app: string,
  channels: readonly Channel[],
  known: (channelId: string) => boolean,
  logger: Logger,
): Promise<ReadonlySet<string>> {
  if (!channels.some((c) => !known(c.id) && broadcastArgs(c) !== undefined)) return new Set();
  try {
    return new Set((await client.applications.get({ applicationName: app })).channel_ids);
  } catch (error) {
    logger.warn('resync: could not read which broadcast channels are in the app', { error });
    return new Set();
  }
}

/** How an offered call ended for this instance. */
export type ClaimOutcome =
  /** Ours (204): its StasisStart follows. */
  | 'claimed'
  /** Another instance claimed it first (409). */
  | 'taken'
  /** The offer was over, or the caller gone (404). */
  | 'expired'
  /** Not claimed: no room (`maxCalls`) or `accept` said no. */
  | 'declined'
  /** Asterisk has no res_stasis_broadcast (501): the dialplan's fallback has to bring the calls. */
  | 'unsupported'
  /** Any other failure (a network error, a 5xx). */
  | 'failed';

/** One offer and what became of it. */
export interface ClaimReport {
  readonly channelId: string;
  readonly outcome: ClaimOutcome;
  /** The error of a `failed` (or `unsupported`) claim. */
  readonly error?: unknown;
}

/** The `claim` option of `createStasisApp`: claim calls offered by `StasisBroadcast()`. */
export interface BroadcastClaimOptions {
  /**
   * Claims only while this instance holds fewer calls than this (live calls, plus claims won whose StasisStart has
   * not come yet, plus claims on their way). Default: no limit.
   */
  readonly maxCalls?: number;
  /** Asked of each offer there is room for; false leaves it to the other instances. */
  readonly accept?: (offer: CallBroadcast) => boolean;
  /** Told how each offer ended. */
  readonly onClaim?: (report: ClaimReport) => void;
  /**
   * Told at `start()` whether the Asterisk has the broadcast modules (when it has not, only the dialplan's fallback
   * brings calls, through `Stasis(<this app>)`); default: a log line.
   */
  readonly onSupport?: (support: BroadcastSupport) => void;
}

const CLAIM_OPTIONS = ['maxCalls', 'accept', 'onClaim', 'onSupport'];

/** Checks a `claim` option (true, false, or {@link BroadcastClaimOptions}). */
export function validateClaimOptions(claim: unknown): void {
  if (claim === undefined || typeof claim === 'boolean') return;
  if (claim === null || typeof claim !== 'object')
    throw new AriOptionsError('claim', 'expected true, false or { maxCalls, accept, onClaim, onSupport }');
  for (const name of Object.keys(claim)) {
    if (!CLAIM_OPTIONS.includes(name)) throw new AriOptionsError(`claim.${name}`, 'unknown option');
  }
  const { maxCalls, accept, onClaim, onSupport } = claim as BroadcastClaimOptions;
  if (maxCalls !== undefined && !(Number.isInteger(maxCalls) && maxCalls >= 0))
    throw new AriOptionsError('claim.maxCalls', 'expected a whole number of calls, 0 or more');
  for (const [name, fn] of Object.entries({ accept, onClaim, onSupport })) {
    if (fn !== undefined && typeof fn !== 'function') throw new AriOptionsError(`claim.${name}`, 'expected a function');
  }
}

/** How long a won claim counts against `maxCalls` while its StasisStart has not come (the caller may hang up). */
const WON_KEPT_MS = 10_000;

/** What the claimer needs of its runtime. */
export interface ClaimerDeps {
  readonly app: string;
  readonly client: Pick<AriResources, 'events' | 'asterisk'>;
  readonly logger: Logger;
  /** Calls the runtime holds now. */
  readonly liveCalls: () => number;
  /** Whether the runtime holds this channel's call (its StasisStart came). */
  readonly hasCall: (channelId: string) => boolean;
}

/** Claims the offers of one app. */
export interface Claimer {
  /** A `CallBroadcast` for this app: claims it when there is room and `accept` agrees. */
  offer(event: CallBroadcast): void;
  /** A StasisStart came for this channel: a claim won for it no longer waits. */
  started(channelId: string): void;
  /** Reads whether the Asterisk has the modules and tells `onSupport` (never throws). */
  detect(): Promise<BroadcastSupport | undefined>;
  /** Stops counting anything (the runtime stopped). */
  stop(): void;
}

export function createClaimer(claim: true | BroadcastClaimOptions, deps: ClaimerDeps): Claimer {
  const options: BroadcastClaimOptions = claim === true ? {} : claim;
  const { app, client, logger } = deps;
  const maxCalls = options.maxCalls ?? Number.POSITIVE_INFINITY;
  let inFlight = 0;
  /** Claims won whose StasisStart has not come yet, with the timer that forgets them. */
  const won = new Map<string, ReturnType<typeof setTimeout>>();

  const report = (channelId: string, outcome: ClaimOutcome, error?: unknown): void => {
    if (!options.onClaim) return;
    try {
      options.onClaim(error === undefined ? { channelId, outcome } : { channelId, outcome, error });
    } catch (thrown) {
      logger.error('claim: onClaim listener threw', { error: thrown });
    }
  };
  const waiting = (): number => {
    for (const [id, timer] of won) {
      if (!deps.hasCall(id)) continue;
      clearTimeout(timer);
      won.delete(id);
    }
    return won.size;
  };
  const wanted = (event: CallBroadcast): boolean => {
    if (deps.liveCalls() + inFlight + waiting() >= maxCalls) return false;
    if (!options.accept) return true;
    try {
      return options.accept(event) === true;
    } catch (error) {
      logger.error('claim: accept threw; not claiming', { callId: event.channel.id, error });
      return false;
    }
  };

  return {
    offer(event) {
      const channelId = event.channel?.id;
      if (typeof channelId !== 'string') return;
      if (!wanted(event)) {
        report(channelId, 'declined');
        return;
      }
      inFlight++;
      client.events.claimChannel({ channelId, application: app }).then(
        () => {
          inFlight--;
          if (!deps.hasCall(channelId)) {
            const timer = setTimeout(() => won.delete(channelId), WON_KEPT_MS);
            timer.unref?.();
            won.set(channelId, timer);
          }
          logger.debug('claim: won', { callId: channelId });
          report(channelId, 'claimed');
        },
        (error: unknown) => {
          inFlight--;
          if (isAriError(error, 409)) report(channelId, 'taken');
          else if (isAriError(error, 404)) report(channelId, 'expired');
          else if (isAriError(error, 501)) {
            logger.warn('claim: this Asterisk has no res_stasis_broadcast', { callId: channelId });
            report(channelId, 'unsupported', error);
          } else {
            logger.warn('claim: failed', { callId: channelId, error });
            report(channelId, 'failed', error);
          }
        },
      );
    },
    started(channelId) {
      const timer = won.get(channelId);
      if (timer === undefined) return;
      clearTimeout(timer);
      won.delete(channelId);
    },
    async detect() {
      let support: BroadcastSupport;
      try {
        support = await detectBroadcast(client);
      } catch (error) {
        logger.warn('claim: could not read whether Asterisk has the broadcast modules', { error });
        return undefined;
      }
      if (options.onSupport) {
        try {
          options.onSupport(support);
        } catch (error) {
          logger.error('claim: onSupport listener threw', { error });
        }
      } else if (!support.available) {
        logger.warn(
          `claim: this Asterisk has no StasisBroadcast; calls reach ${app} only through the dialplan's Stasis(${app})`,
          { modules: support.modules },
        );
      } else logger.info('claim: claiming calls offered by StasisBroadcast', { app });
      return support;
    },
    stop() {
      for (const timer of won.values()) clearTimeout(timer);
      won.clear();
    },
  };
}
