/**
 * Kazoo's `record_call` callflow data, mapped to the recorder's camelCase input at the edge: the machine speaks one
 * vocabulary, and an application that holds Kazoo callflows gives their `data` to the recorder's options as it is
 * (`createRecordCallCalls`, `attachRecorder`), which map it with {@link fromKazooRecordCall}.
 */
import type { PauseMode, RecordCallInput, RecordFormat } from '../../machines/record-call.js';

/** The recorder's input without the call it records (`callId` and, for a bridge, `target` come from the call). */
export type RecordCallSettings = Omit<RecordCallInput, 'callId'>;

/**
 * The keys of Kazoo's `record_call` data the recorder takes, as Kazoo names them. `method` and `record_on_answer`
 * are taken only with the value the recorder has anyway (it PUTs, and starts at once).
 */
export interface KazooRecordCallData {
  /** `start` records at once; `stop` leaves the recorder idle until a `recording.start` command. */
  readonly action?: 'start' | 'stop';
  readonly format?: RecordFormat;
  /** The base URL the file is PUT under, as `<url>/call_recording_<call id>.<format>`. */
  readonly url?: string;
  /** Seconds; becomes `timeLimitSeconds`. */
  readonly time_limit?: number;
  readonly method?: 'put';
  readonly record_on_answer?: false;
}

/**
 * The recorder's settings as its options take them (`defaults`, `configure`'s answer, `attachRecorder`'s `input`):
 * camelCase, or with Kazoo's `record_call` names, or the snake_case names the options took in earlier releases
 * (`max_time_limit`, `pause_mode`). A field given under both of its names is refused.
 */
export type RecorderSettings = RecordCallSettings &
  KazooRecordCallData & {
    /** Earlier name of `maxTimeLimitSeconds`. */
    readonly max_time_limit?: number;
    /** Earlier name of `pauseMode`. */
    readonly pause_mode?: PauseMode;
  };

/** Kazoo's documented `record_call` keys the recorder has no equivalent for, with what it does instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  label: 'the recording carries `metadata` instead',
  media_name: 'the file is named call_recording_<call id>.<format>',
  origin: 'Kazoo sets it itself',
  record_min_sec: 'every recording is kept, however short',
  record_on_bridge: 'record a bridge with `target: { kind: "bridge", id }`',
  record_sample_rate: 'ARI records without a sample rate of its own',
  should_follow_transfer: 'the recording ends with the recorded channel or bridge',
  skip_module: 'it belongs to the callflow, not to the recorder',
};

function positive(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`record_call ${key} must be a positive number of seconds, got ${String(value)}`);
  }
  return value;
}

/**
 * Maps Kazoo's `record_call` action data (`{ action: 'start', time_limit: 1200, format: 'mp3', url }`) to the
 * recorder's settings (`{ action: 'start', timeLimitSeconds: 1200, format: 'mp3', url }`).
 * @throws TypeError naming the key, for a Kazoo key the recorder does not support (`record_sample_rate`...),
 * `method` other than `put`, `record_on_answer: true`, or a key Kazoo's `record_call` does not have;
 * RangeError for a `time_limit` that is not a positive number. Values are checked further when a call starts.
 */
export function fromKazooRecordCall(data: KazooRecordCallData): RecordCallSettings {
  if (data === null || typeof data !== 'object') throw new TypeError('record_call data must be an object');
  const settings: { -readonly [K in keyof RecordCallSettings]: RecordCallSettings[K] } = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    switch (key) {
      case 'action':
        settings.action = value;
        break;
      case 'format':
        settings.format = value;
        break;
      case 'url':
        settings.url = value;
        break;
      case 'time_limit':
        settings.timeLimitSeconds = positive('time_limit', value);
        break;
      case 'method':
        if (value !== 'put') throw new TypeError(`record_call method ${String(value)} is not supported: only put`);
        break;
      case 'record_on_answer':
        if (value !== false)
          throw new TypeError('record_call record_on_answer is not supported: the recorder starts at once');
        break;
      default: {
        const instead = UNSUPPORTED[key];
        throw new TypeError(
          instead === undefined
            ? `record_call has no key ${key}`
            : `record_call ${key} is not supported by this recorder (${instead})`,
        );
      }
    }
  }
  return settings;
}

/** The camelCase keys of the settings; the other keys of a {@link RecorderSettings} are Kazoo's (or the old ones). */
const CAMEL_KEYS: ReadonlySet<string> = new Set<keyof RecordCallSettings>([
  'target',
  'action',
  'timeLimitSeconds',
  'maxTimeLimitSeconds',
  'format',
  'url',
  'metadata',
  'keep',
  'pauseMode',
  'recordingName',
]);

/** The snake_case names of earlier releases that are not Kazoo's, and their camelCase names. */
const OLD_NAMES = { max_time_limit: 'maxTimeLimitSeconds', pause_mode: 'pauseMode' } as const;

/**
 * The options' settings in camelCase: Kazoo's names through {@link fromKazooRecordCall}, the old ones renamed.
 * @throws TypeError / RangeError naming the key, as {@link fromKazooRecordCall}, or a field given under both names.
 */
export function recorderSettings(value: RecorderSettings): RecordCallSettings {
  if (value === null || typeof value !== 'object') throw new TypeError('record_call settings must be an object');
  const camel: Record<string, unknown> = {};
  const kazoo: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (CAMEL_KEYS.has(key)) camel[key] = v;
    else if (key === 'max_time_limit') camel[OLD_NAMES[key]] = positive(key, v);
    else if (key === 'pause_mode') {
      if (v !== 'skip' && v !== 'silence')
        throw new TypeError(`record_call pause_mode must be skip or silence, got ${String(v)}`);
      camel[OLD_NAMES[key]] = v;
    } else kazoo[key] = v;
  }
  const mapped = fromKazooRecordCall(kazoo);
  for (const [old, now] of [['time_limit', 'timeLimitSeconds'], ...Object.entries(OLD_NAMES)] as const) {
    if (value[old as keyof RecorderSettings] !== undefined && value[now as keyof RecorderSettings] !== undefined)
      throw new TypeError(`record_call takes ${now} or ${old}, not both`);
  }
  return { ...camel, ...mapped } as RecordCallSettings;
}
