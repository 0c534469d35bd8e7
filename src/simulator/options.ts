import type { Logger } from '../ari/logger.js';
import { silentLogger } from '../ari/logger.js';
import { DEFAULT_DIALPLAN, type DialplanEntry } from './dialplan.js';
import { DEFAULT_SOUND_DIRS } from './sounds.js';

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /** TCP port; default 0 (any free port). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Basic-auth user (also accepted as `api_key=user:password`); default `asterisk`. */
  username?: string;
  /** Basic-auth password; default `asterisk`. */
  password?: string;
  /**
   * More accounts, user name to password (as several ARI users in ari.conf): each may connect like the first, and
   * faults can be aimed at one of them (`faults.failRequests({ user })`). Default none.
   */
  users?: Readonly<Record<string, string>>;
  /** `real` (default): durations take real time. `manual`: time moves only with `sim.clock.advance()`/`runAll()`. */
  clock?: 'real' | 'manual';
  /** The extensions `Local/<exten>@<context>` runs; default: the sample extensions.conf (`_3XX` -> vm-record, `_4XX` -> rec-app). */
  dialplan?: readonly DialplanEntry[];
  /**
   * Prompts for `sound:` playbacks: `dirs` searched in order for `<name>.wav` (8 kHz 16-bit mono; default Debian's
   * `/usr/share/asterisk/sounds/en`), and `files` mapping a sound name to a WAV path or WAV bytes (checked first).
   * `builtin` (default `true`): a core prompt found in neither (`beep`, `vm-intro`, `digits/3`...) is played as a
   * stand-in exactly as long as Asterisk's own file, so timing is real without the sound files installed; `false`
   * makes such a prompt missing, as on an Asterisk without them.
   */
  sounds?: { dirs?: readonly string[]; files?: Record<string, string | Uint8Array>; builtin?: boolean };
  /**
   * Whether res_stasis_broadcast and app_stasis_broadcast are loaded (`StasisBroadcast()`, `POST /events/claim`),
   * as on Asterisk 22.10 built with them; default true. They can also be unloaded and loaded again through ARI
   * (`DELETE`/`POST /asterisk/modules/{name}`).
   */
  broadcastModules?: boolean;
  /** The `asterisk_id` of every event; default `02:fc:00:00:00:01`. */
  asteriskId?: string;
  /** Where the simulator logs (unknown extensions, handler errors); default silent. */
  logger?: Logger;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  username: string;
  password: string;
  users: Readonly<Record<string, string>>;
  clock: 'real' | 'manual';
  dialplan: readonly DialplanEntry[];
  soundDirs: readonly string[];
  soundFiles: Record<string, string | Uint8Array>;
  soundBuiltin: boolean;
  asteriskId: string;
  broadcastModules: boolean;
  logger: Logger;
}

const KNOWN = new Set([
  'port',
  'host',
  'username',
  'password',
  'users',
  'clock',
  'dialplan',
  'sounds',
  'asteriskId',
  'broadcastModules',
  'logger',
]);

/** Checks the options; throws a TypeError naming the option for anything wrong. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createSimulator(options): options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`createSimulator: unknown option '${key}'`);
  }
  const { port = 0, host = '127.0.0.1', username = 'asterisk', password = 'asterisk', clock = 'real' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`createSimulator: port must be an integer 0-65535, got ${String(port)}`);
  for (const [name, v] of [
    ['host', host],
    ['username', username],
    ['password', password],
  ] as const) {
    if (typeof v !== 'string' || (name === 'host' && !v))
      throw new TypeError(`createSimulator: ${name} must be a string`);
  }
  const users = options.users ?? {};
  if (users === null || typeof users !== 'object') throw new TypeError('createSimulator: users must be an object');
  for (const [name, pass] of Object.entries(users)) {
    if (!name || typeof pass !== 'string')
      throw new TypeError(`createSimulator: users['${name}'] must be a password string`);
  }
  if (clock !== 'real' && clock !== 'manual')
    throw new TypeError(`createSimulator: clock must be 'real' or 'manual', got '${String(clock)}'`);
  const dialplan = options.dialplan ?? DEFAULT_DIALPLAN;
  if (!Array.isArray(dialplan)) throw new TypeError('createSimulator: dialplan must be an array of entries');
  const sounds = options.sounds ?? {};
  if (sounds === null || typeof sounds !== 'object') throw new TypeError('createSimulator: sounds must be an object');
  const soundDirs = sounds.dirs ?? DEFAULT_SOUND_DIRS;
  if (!Array.isArray(soundDirs) || soundDirs.some((d) => typeof d !== 'string')) {
    throw new TypeError('createSimulator: sounds.dirs must be an array of directory paths');
  }
  const soundFiles = sounds.files ?? {};
  for (const [name, f] of Object.entries(soundFiles)) {
    if (typeof f !== 'string' && !(f instanceof Uint8Array)) {
      throw new TypeError(`createSimulator: sounds.files['${name}'] must be a path or WAV bytes`);
    }
  }
  for (const key of Object.keys(sounds)) {
    if (key !== 'dirs' && key !== 'files' && key !== 'builtin') {
      throw new TypeError(`createSimulator: unknown option 'sounds.${key}'`);
    }
  }
  const soundBuiltin = sounds.builtin ?? true;
  if (typeof soundBuiltin !== 'boolean') throw new TypeError('createSimulator: sounds.builtin must be a boolean');
  const asteriskId = options.asteriskId ?? '02:fc:00:00:00:01';
  if (typeof asteriskId !== 'string' || !asteriskId)
    throw new TypeError('createSimulator: asteriskId must be a non-empty string');
  const broadcastModules = options.broadcastModules ?? true;
  if (typeof broadcastModules !== 'boolean') throw new TypeError('createSimulator: broadcastModules must be a boolean');
  const logger = options.logger ?? silentLogger;
  for (const m of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger[m] !== 'function') throw new TypeError(`createSimulator: logger.${m} must be a function`);
  }
  return {
    port,
    host,
    username,
    password,
    users,
    clock,
    dialplan,
    soundDirs,
    soundFiles,
    soundBuiltin,
    asteriskId,
    broadcastModules,
    logger,
  };
}
