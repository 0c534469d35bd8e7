/** Starting the recorder: for every call of a Stasis app (a {@link CallFactory}), or on a call already running. */
import { type Actor, createActor } from 'xstate';
import { type RecordCallInput, type RecordCallMachine, resolveRecordCallInput } from '../../machines/record-call.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import type { AriResources } from '../ari/operations.js';
import { bindCallScope } from '../runtime/app.js';
import { eventRouteKeys, type RoutableEvent, routeKey } from '../runtime/routing.js';
import type { CallFactory, CallScope, CallStart } from '../runtime/types.js';
import { type RecorderDeps, recorderServices, recordWith, sharedRecorderMachine } from './recorder.js';

const DETACHED: Error = Object.freeze(new Error('the recorder was detached'));

/** The recorder's settings; per-call values come from `configure`. */
export interface RecordCallOptions extends Omit<RecorderDeps, 'client' | 'route' | 'logger'> {
  /** Input shared by every call (`format`, `url`, `time_limit`, `max_time_limit`, ...). */
  readonly defaults?: Omit<RecordCallInput, 'callId'>;
  /**
   * Per-call input, merged over `defaults` (`metadata: { ACCOUNT_ID }` from the Stasis args, a bridge `target`...).
   * Return `undefined` to leave the channel to another part of the app.
   * @throws to refuse the call; the runtime ends it and reports the error.
   */
  readonly configure?: (start: CallStart) => Omit<RecordCallInput, 'callId'> | undefined;
}

/**
 * A {@link CallFactory} that records each call of the app: `createStasisApp({ client, app: 'rec-app',
 * createCall: createRecordCallCalls({ uploader, defaults: { url, format: 'mp3' } }) })`.
 * @throws TypeError / RangeError (when a call starts) for malformed input, e.g. a url placeholder without a value,
 * or a url without an `uploader`.
 */
export function createRecordCallCalls(options: RecordCallOptions = {}): CallFactory {
  const services = recorderServices(options);
  const machine = sharedRecorderMachine();
  return (start, scope) => {
    const perCall = options.configure ? options.configure(start) : {};
    if (perCall === undefined) return undefined;
    const input: RecordCallInput = {
      ...options.defaults,
      ...perCall,
      metadata: { ...options.defaults?.metadata, ...perCall.metadata },
      callId: start.channel.id,
    };
    check(input, options);
    recordWith(scope, services);
    return { machine, input };
  };
}

function check(input: RecordCallInput, options: RecordCallOptions): void {
  const resolved = resolveRecordCallInput(input);
  if (resolved.uploadUrl && !options.uploader)
    throw new TypeError('record_call has a url but no uploader is configured');
}

/** Options of {@link attachRecorder}. */
export interface AttachRecorderOptions extends RecordCallOptions {
  /** The REST client, with the event stream of the app the call is in (`onEvent`). */
  readonly client: AriResources & {
    onEvent?(listener: (event: { type: string; application?: string }) => void): () => void;
  };
  /** The Stasis app the call is in: events of other apps are ignored. */
  readonly app: string;
  /** The recorded A-leg's channel id. */
  readonly channelId: string;
  /** Record this bridge's mixed audio (both parties) instead of the channel alone. */
  readonly bridgeId?: string;
  readonly input?: Omit<RecordCallInput, 'callId' | 'target'>;
  readonly logger?: Logger;
}

/** A recorder attached to a running call: the actor, and `detach()` to stop listening and stop it. */
export interface AttachedRecorder {
  readonly actor: Actor<RecordCallMachine>;
  /** Stops the actor and its event subscription (an upload under way goes on in the uploader). */
  detach(): void;
}

/**
 * Starts a recorder on a call that is already running, outside a runtime: it listens to `client.onEvent` for the
 * call's channel, bridge and recording. With a runtime, prefer `createRecordCallCalls` (or the runtime's `adopt`).
 * @throws TypeError when the client has no event stream or the input is malformed.
 */
export function attachRecorder(options: AttachRecorderOptions): AttachedRecorder {
  const { client } = options;
  if (typeof client.onEvent !== 'function')
    throw new TypeError('attachRecorder needs a client with an event stream (onEvent)');
  const input: RecordCallInput = {
    ...options.defaults,
    ...options.input,
    callId: options.channelId,
    target: options.bridgeId ? { kind: 'bridge', id: options.bridgeId } : { kind: 'channel', id: options.channelId },
  };
  check(input, options);
  const routes = new Set([routeKey('channel', options.channelId)]);
  if (options.bridgeId) routes.add(routeKey('bridge', options.bridgeId));
  const abort = new AbortController();
  const scope: CallScope = {
    callId: options.channelId,
    app: options.app,
    client,
    signal: abort.signal,
    route: (kind, id) => routes.add(routeKey(kind, id)),
    unroute: (kind, id) => routes.delete(routeKey(kind, id)),
    logger: options.logger ?? silentLogger,
  };
  const actor = createActor(sharedRecorderMachine(), { input });
  // The machine is shared by every recorder; this actor finds its call through its system, as in a Stasis app.
  bindCallScope(actor.system, scope);
  recordWith(scope, recorderServices(options));
  // The first matching route wins, so an event reaches the actor once even when it names several of our objects.
  const unsubscribe = client.onEvent((event) => {
    if (event.application !== undefined && event.application !== options.app) return;
    if (eventRouteKeys(event as unknown as RoutableEvent).some((key) => routes.has(key))) actor.send(event as never);
  });
  const end = (): void => {
    unsubscribe();
    abort.abort(DETACHED);
  };
  actor.subscribe({ complete: end, error: end });
  actor.start();
  return {
    actor,
    detach: () => {
      end();
      actor.stop();
    },
  };
}
