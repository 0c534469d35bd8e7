/** Starting the recorder: for every call of a Stasis app (a {@link CallFactory}), or on a call already running. */
import { type Actor, createActor } from 'xstate';
import {
  fillUrlTemplate,
  type RecordCallContext,
  type RecordCallInput,
  type RecordCallMachine,
  resolveRecordCallInput,
  uploadUrlFor,
} from '../../machines/record-call.js';
import { AriOptionsError, checkOptions } from '../ari/errors.js';
import { type Logger, silentLogger } from '../ari/logger.js';
import type { AriResources } from '../ari/operations.js';
import { bindCallScope } from '../runtime/app.js';
import { hangupOnce } from '../runtime/hangup.js';
import { type CallObserver, notifyObservers, observedInspect, validateObservers } from '../runtime/observers.js';
import { eventRouteKeys, routeKey } from '../runtime/routing.js';
import type { CallFactory, CallScope, CallStart, RecoveryContext } from '../runtime/types.js';
import { RecorderJournal } from './journal.js';
import { type RecorderSettings, recorderSettings } from './kazoo.js';
import { type RecorderDeps, recorderServices, recordWith, sharedRecorderMachine } from './recorder.js';
import { createRecorderRecovery, type RecorderRecoveryReport } from './recovery.js';

const DETACHED: Error = Object.freeze(new Error('the recorder was detached'));

/** The recorder's settings; per-call values come from `configure`. */
export interface RecordCallOptions extends Omit<RecorderDeps, 'client' | 'route' | 'logger'> {
  /**
   * Input shared by every call (`format`, `url`, `timeLimitSeconds`, `maxTimeLimitSeconds`, ...); Kazoo's
   * `record_call` names (`time_limit`) are taken too (see {@link RecorderSettings}).
   */
  readonly defaults?: RecorderSettings;
  /**
   * Per-call input, merged over `defaults` (`metadata: { ACCOUNT_ID }` from the Stasis args, a bridge `target`...).
   * Return `undefined` to leave the channel to another part of the app.
   * @throws to refuse the call; the runtime ends it and reports the error.
   */
  readonly configure?: (start: CallStart) => RecorderSettings | undefined;
  /**
   * Told what each recovery from the journal did (at start, after each gap of the event stream): recordings a
   * killed run left on Asterisk spooled for upload, kept or deleted, and those taken up by the call's new actor.
   */
  readonly onRecovery?: (report: RecorderRecoveryReport) => void;
}

/**
 * A {@link CallFactory} that records each call of the app: `createStasisApp({ client, app: 'rec-app',
 * createCall: createRecordCallCalls({ uploader, defaults: { url, format: 'mp3' } }) })`.
 * @throws AriOptionsError naming the option for an unknown option, malformed `defaults` (format, time limits,
 * pause mode, url, a key the recorder does not take) or `defaults.url` without an `uploader`; TypeError /
 * RangeError when a call starts for malformed per-call input, e.g. a url placeholder without a value, or a url
 * without an `uploader`.
 */
export function createRecordCallCalls(options: RecordCallOptions = {}): CallFactory {
  checkOptions('createRecordCallCalls', options, (o) => checkRecorderOptions(o, RECORD_CALL_OPTIONS));
  const services = recorderServices(options);
  const machine = sharedRecorderMachine();
  const recovery = services.journal ? createRecorderRecovery(services, services.journal) : undefined;
  const defaults = options.defaults ? recorderSettings(options.defaults) : {};
  const factory: CallFactory = (start, scope) => {
    // A call whose recording a run before this one finished (its channel stayed on): never recorded twice.
    if (recovery?.finished(start.channel.id)) return undefined;
    const configured = options.configure ? options.configure(start) : {};
    if (configured === undefined) return undefined;
    const perCall = recorderSettings(configured);
    const input: RecordCallInput = {
      ...defaults,
      ...perCall,
      metadata: { ...defaults.metadata, ...perCall.metadata },
      callId: start.channel.id,
    };
    recordWith(scope, services, check(input, options));
    return { machine, input };
  };
  if (!recovery) return factory;
  return Object.assign(factory, {
    recover: async (context: RecoveryContext) => {
      const report = await recovery.recover(context);
      try {
        options.onRecovery?.(report);
      } catch (error) {
        context.logger.error('recorder onRecovery listener threw', { error });
      }
      return report;
    },
  });
}

const RECORD_CALL_OPTIONS = [
  'uploader',
  'store',
  'mp3',
  'keepOnAsterisk',
  'journal',
  'defaults',
  'configure',
  'onRecovery',
];
const ATTACH_OPTIONS = [
  ...RECORD_CALL_OPTIONS,
  'client',
  'app',
  'channelId',
  'bridgeId',
  'input',
  'logger',
  'observers',
];

function checkRecorderOptions(options: RecordCallOptions, known: readonly string[]): void {
  if (!options || typeof options !== 'object') throw new AriOptionsError('options', 'an object');
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new AriOptionsError(key, 'unknown option');
  }
  if (options.configure !== undefined && typeof options.configure !== 'function')
    throw new AriOptionsError('configure', 'a function (start) => per-call input');
  if (options.onRecovery !== undefined && typeof options.onRecovery !== 'function')
    throw new AriOptionsError('onRecovery', 'a function (report) => void');
  if (options.journal !== undefined && options.journal !== false && !(options.journal instanceof RecorderJournal))
    throw new AriOptionsError('journal', 'a RecorderJournal, or false');
  if (options.uploader !== undefined && typeof options.uploader?.add !== 'function')
    throw new AriOptionsError('uploader', 'an Uploader (Uploader.open) or a PostgresUploadQueue');
  const { defaults } = options;
  if (defaults === undefined) return;
  if (typeof defaults !== 'object' || defaults === null) throw new AriOptionsError('defaults', 'an object');
  let url: string | undefined;
  try {
    const { url: given, ...rest } = recorderSettings(defaults);
    url = given;
    resolveRecordCallInput({ ...rest, callId: 'defaults' });
  } catch (error) {
    throw new AriOptionsError('defaults', (error as Error).message);
  }
  if (url === undefined) return;
  if (typeof url !== 'string') throw new AriOptionsError('defaults.url', 'a string');
  // Placeholders are filled per call (CALL_ID, the call's metadata); here only the URL's shape can be checked.
  const anyValue = new Proxy({}, { get: () => 'x' }) as Record<string, string>;
  try {
    uploadUrlFor(fillUrlTemplate(url, anyValue), 'call_recording_x.wav');
  } catch (error) {
    throw new AriOptionsError('defaults.url', (error as Error).message);
  }
  if (!options.uploader) throw new AriOptionsError('uploader', 'required when defaults has a url');
  // Its credentials (`user:pass@`) are held in memory by the uploader, for files a crashed run left in the spool.
  options.uploader.useCredentials(fillUrlTemplate(url, anyValue));
}

function check(input: RecordCallInput, options: RecordCallOptions): RecordCallContext {
  const resolved = resolveRecordCallInput(input);
  if (resolved.uploadUrl && !options.uploader)
    throw new TypeError('record_call has a url but no uploader is configured');
  return resolved;
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
  /** This call's input, merged over `defaults`: camelCase or Kazoo's names, as `defaults`. */
  readonly input?: Omit<RecorderSettings, 'target'>;
  readonly logger?: Logger;
  /** Watchers of the recorder's actor, as the runtime's `observers` option (`startLiveView`'s live view). */
  readonly observers?: readonly CallObserver[];
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
 * @throws AriOptionsError naming the option (`client` without an event stream, `channelId`, a malformed `input`)
 * as {@link createRecordCallCalls} does.
 */
export function attachRecorder(options: AttachRecorderOptions): AttachedRecorder {
  checkOptions('attachRecorder', options, (o) => {
    checkRecorderOptions(o, ATTACH_OPTIONS);
    if (o.client === null || typeof o.client !== 'object' || typeof o.client.onEvent !== 'function')
      throw new AriOptionsError('client', 'an ARI client with an event stream (createAriClient with the app)');
    if (typeof o.app !== 'string' || o.app.length === 0) throw new AriOptionsError('app', 'a Stasis application name');
    if (typeof o.channelId !== 'string' || o.channelId.length === 0)
      throw new AriOptionsError('channelId', 'the id of the channel to record');
    if (o.bridgeId !== undefined && (typeof o.bridgeId !== 'string' || o.bridgeId.length === 0))
      throw new AriOptionsError('bridgeId', 'the id of the bridge to record, or undefined');
  });
  const { client } = options;
  let input: RecordCallInput;
  let settings: RecordCallContext;
  try {
    input = {
      ...(options.defaults ? recorderSettings(options.defaults) : {}),
      ...(options.input ? recorderSettings(options.input) : {}),
      callId: options.channelId,
      target: options.bridgeId ? { kind: 'bridge', id: options.bridgeId } : { kind: 'channel', id: options.channelId },
    };
    settings = check(input, options);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new AriOptionsError('input', error.message, { factory: 'attachRecorder', value: options.input });
  }
  validateObservers(options.observers);
  const logger = options.logger ?? silentLogger;
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
    logger,
  };
  const inspect = observedInspect(undefined, options.observers, logger);
  const actor = createActor(sharedRecorderMachine(), {
    input,
    id: `call:${options.channelId}`,
    ...(inspect ? { inspect } : {}),
  });
  // The machine is shared by every recorder; this actor finds its call through its system, as in a Stasis app.
  bindCallScope(actor.system, scope);
  // Outside a runtime nothing recovers its journal: an attached recorder keeps one only when given one.
  recordWith(scope, recorderServices({ journal: false, ...options }), settings);
  // The first matching route wins, so an event reaches the actor once even when it names several of our objects.
  // Its caller hanging up reaches the actor once, as the runtime sends it: one `hangup`.
  const toActor = hangupOnce(options.channelId);
  const unsubscribe = client.onEvent!((event) => {
    if (event.application !== undefined && event.application !== options.app) return;
    if (!eventRouteKeys(event).some((key) => routes.has(key))) return;
    const sent = toActor(event);
    if (sent !== undefined) actor.send(sent as never);
  });
  const callId = options.channelId;
  let ended = false;
  const end = (reason: 'done' | 'stopped' | 'error'): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    abort.abort(DETACHED);
    notifyObservers(options.observers, { type: 'call.ended', callId, reason }, logger);
  };
  actor.subscribe({
    complete: () => end('done'),
    error: (error) => {
      notifyObservers(options.observers, { type: 'call.error', callId, error }, logger);
      end('error');
    },
  });
  actor.start();
  if (!ended) notifyObservers(options.observers, { type: 'call.started', callId, actor }, logger);
  return {
    actor,
    detach: () => {
      end('stopped');
      actor.stop();
    },
  };
}
