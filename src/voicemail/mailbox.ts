import {
  type MailboxAddress,
  parseMailboxAddress,
  VoicemailInputError,
  validateContext,
  validateMailboxId,
} from './ids.js';

/** Which greeting a caller hears, as app_voicemail's `u` and `b` options choose it. */
export type GreetingKind = 'unavailable' | 'busy';

/** The greetings a mailbox owner recorded, as ARI stored recording names (`voicemail/default/305/greet-unavail`). */
export interface MailboxGreetings {
  /** Played for `u` (the default). */
  readonly unavailable?: string;
  /** Played for `b`. */
  readonly busy?: string;
  /** When set, played instead of both others (app_voicemail's temporary greeting). */
  readonly temporary?: string;
}

/** The limits of a mailbox; every one is optional in configuration and has app_voicemail's default. */
export interface MailboxLimits {
  /** Messages a folder may hold before the mailbox is full. Default 100 (app_voicemail's `maxmsg`). */
  readonly maxMessages: number;
  /** Longest message, in seconds; 0 for no limit. Default 300 (`maxsecs`). */
  readonly maxMessageSeconds: number;
  /** Shorter messages are discarded. Default 0 (`minsecs`: keep everything). */
  readonly minMessageSeconds: number;
  /** Silence that ends a recording, in seconds; 0 to never stop on silence. Default 10 (`maxsilence`). */
  readonly maxSilenceSeconds: number;
}

/** The app_voicemail defaults of {@link MailboxLimits}. */
export const DEFAULT_LIMITS: MailboxLimits = Object.freeze({
  maxMessages: 100,
  maxMessageSeconds: 300,
  minMessageSeconds: 0,
  maxSilenceSeconds: 10,
});

/** A mailbox, fully resolved. */
export interface Mailbox extends MailboxAddress {
  /** The owner's name, for logs and apps (never spoken: no TTS here). */
  readonly displayName: string;
  readonly greetings: MailboxGreetings;
  readonly limits: MailboxLimits;
}

/** A mailbox as written in configuration: only `mailbox` is required. */
export interface MailboxConfig {
  /** The mailbox id (`305`, `sales-1`): 1 to 80 of `0-9 A-Z a-z _ -`, starting with a letter or digit. */
  readonly mailbox: string;
  /** Default `default`. */
  readonly context?: string;
  /** Default: the mailbox id. */
  readonly displayName?: string;
  readonly greetings?: MailboxGreetings;
  readonly limits?: Partial<MailboxLimits>;
}

/** Where the voicemail application looks mailboxes up. Implement it over your own user database if you have one. */
export interface MailboxDirectory {
  /** The mailbox, or `undefined` when it does not exist. */
  get(address: MailboxAddress): Promise<Mailbox | undefined>;
  /** Every mailbox (used to publish message-waiting counts at start). */
  list(): Promise<Mailbox[]>;
}

function nonNegativeInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new VoicemailInputError(field, value, 'must be a non-negative integer');
  }
  return value;
}

function greeting(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.includes('..') || value.startsWith('/')) {
    throw new VoicemailInputError(
      field,
      value,
      'must be a stored recording name without ".." (e.g. "voicemail/default/305/unavail")',
    );
  }
  return value;
}

/**
 * Resolves a mailbox configuration: validates every field and fills in defaults.
 * @throws VoicemailInputError naming the first invalid field.
 */
export function resolveMailbox(config: MailboxConfig): Mailbox {
  if (config === null || typeof config !== 'object') throw new VoicemailInputError('mailbox', config, 'not an object');
  const mailbox = validateMailboxId(config.mailbox);
  const context = validateContext(config.context ?? 'default');
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(config.limits ?? {}) as (keyof MailboxLimits)[]) {
    if (!(key in DEFAULT_LIMITS)) throw new VoicemailInputError(`limits.${key}`, config.limits?.[key], 'unknown limit');
    limits[key] = nonNegativeInteger(`limits.${key}`, config.limits?.[key]);
  }
  if (limits.maxMessages < 1)
    throw new VoicemailInputError('limits.maxMessages', limits.maxMessages, 'must be at least 1');
  const g = config.greetings ?? {};
  const greetings: MailboxGreetings = {
    unavailable: greeting('greetings.unavailable', g.unavailable),
    busy: greeting('greetings.busy', g.busy),
    temporary: greeting('greetings.temporary', g.temporary),
  };
  const displayName = config.displayName ?? mailbox;
  if (typeof displayName !== 'string') throw new VoicemailInputError('displayName', displayName, 'not a string');
  return Object.freeze({
    mailbox,
    context,
    displayName,
    greetings: Object.freeze(greetings),
    limits: Object.freeze(limits),
  });
}

/**
 * A {@link MailboxDirectory} held in memory, configured from plain objects.
 * @throws VoicemailInputError when a mailbox is invalid or listed twice.
 */
export class InMemoryMailboxDirectory implements MailboxDirectory {
  private readonly boxes = new Map<string, Mailbox>();

  constructor(configs: readonly MailboxConfig[]) {
    for (const config of configs) {
      const box = resolveMailbox(config);
      const key = `${box.mailbox}@${box.context}`;
      if (this.boxes.has(key)) throw new VoicemailInputError('mailbox', key, 'listed twice');
      this.boxes.set(key, box);
    }
  }

  async get(address: MailboxAddress): Promise<Mailbox | undefined> {
    return this.boxes.get(`${address.mailbox}@${address.context}`);
  }

  async list(): Promise<Mailbox[]> {
    return [...this.boxes.values()];
  }

  /** Looks up `305` or `305@default`; malformed ids throw {@link VoicemailInputError}. */
  async find(spec: string): Promise<Mailbox | undefined> {
    return this.get(parseMailboxAddress(spec));
  }
}

/** Which greeting applies: the temporary one when set, else the chosen kind's, else none (use the built-in prompts). */
export function chooseGreeting(box: Mailbox, kind: GreetingKind): string | undefined {
  return box.greetings.temporary ?? box.greetings[kind];
}
