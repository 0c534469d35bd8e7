import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MainGreetingKind } from '../../machines/voicemail-main.js';
import { AriOptionsError } from '../ari/errors.js';
import { oneAtATimePerKey } from '../runtime/one-at-a-time.js';
import { writeJsonFile } from './files.js';
import { type MailboxAddress, VoicemailInputError, validateContext, validateMailboxId } from './ids.js';
import type { Mailbox, MailboxDirectory } from './mailbox.js';

// What a mailbox owner changes from the menu or the API, kept apart from the configuration and the message store:
// the PIN (only its scrypt hash) and the greetings recorded (ARI stored recording names).

/** The greetings an owner recorded; `null` means removed (it then overrides one the configuration gives). */
export type StoredGreetings = Partial<Record<MainGreetingKind, string | null>>;

/** What is kept per mailbox. */
export interface MailboxSettingsRecord {
  /** `scrypt$N$r$p$<salt>$<key>` (base64), never the PIN itself. */
  readonly pinHash?: string;
  readonly greetings?: StoredGreetings;
}

/** Where PIN hashes and recorded greetings live. */
export interface MailboxSettingsStore {
  get(address: MailboxAddress): Promise<MailboxSettingsRecord>;
  /** Changes part of a mailbox's record (a greeting set to `null` is removed). */
  update(
    address: MailboxAddress,
    change: { pinHash?: string; greetings?: StoredGreetings },
  ): Promise<MailboxSettingsRecord>;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;
const PIN_RE = /^[0-9]{1,20}$/;

function derive(pin: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Checks a PIN: only digits, `minLength` to 20 of them. @throws VoicemailInputError (the message never shows it) */
export function validatePin(pin: unknown, minLength = 4): string {
  if (typeof pin !== 'string' || !PIN_RE.test(pin) || pin.length < minLength) {
    // The value itself is never put in the error: it may be a PIN.
    throw new VoicemailInputError('pin', '(hidden)', `${minLength} to 20 digits`);
  }
  return pin;
}

/** The scrypt hash of a PIN, with a fresh random salt: `scrypt$16384$8$1$<salt>$<key>`. */
export async function hashPin(pin: string): Promise<string> {
  validatePin(pin, 1);
  const salt = randomBytes(16);
  const key = await derive(pin, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `pin` is the one `hash` was made from (constant-time compare). A malformed hash matches nothing. */
export async function verifyPin(pin: string, hash: string | undefined): Promise<boolean> {
  if (typeof pin !== 'string' || typeof hash !== 'string' || !PIN_RE.test(pin)) return false;
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every((v) => Number.isInteger(v) && v > 0) || N > 1 << 20 || expected.length === 0) return false;
  const actual = await derive(pin, Buffer.from(salt, 'base64'), N, R, P, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Keeps each mailbox's settings as one JSON file `<directory>/<context>/<mailbox>.json`, written to a temp file,
 * fsynced and renamed over the old one (a crash leaves the old or the new file). Updates of one mailbox run one
 * after another.
 */
export class FileMailboxSettings implements MailboxSettingsStore {
  private readonly queue = oneAtATimePerKey();

  constructor(readonly directory: string) {
    if (typeof directory !== 'string' || directory.length === 0)
      throw new AriOptionsError('directory', 'a non-empty path', {
        factory: 'new FileMailboxSettings',
        value: directory,
      });
  }

  private path(address: MailboxAddress): { dir: string; file: string } {
    const dir = join(this.directory, validateContext(address.context));
    return { dir, file: join(dir, `${validateMailboxId(address.mailbox)}.json`) };
  }

  async get(address: MailboxAddress): Promise<MailboxSettingsRecord> {
    try {
      return JSON.parse(await readFile(this.path(address).file, 'utf8')) as MailboxSettingsRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  update(
    address: MailboxAddress,
    change: { pinHash?: string; greetings?: StoredGreetings },
  ): Promise<MailboxSettingsRecord> {
    const { dir } = this.path(address);
    const work = async (): Promise<MailboxSettingsRecord> => {
      const now = await this.get(address);
      const next: MailboxSettingsRecord = {
        ...now,
        ...(change.pinHash !== undefined ? { pinHash: change.pinHash } : {}),
        greetings: { ...now.greetings, ...change.greetings },
      };
      await writeJsonFile(dir, validateMailboxId(address.mailbox), next);
      return next;
    };
    return this.queue(`${address.mailbox}@${address.context}`, work);
  }
}

/** Sets a mailbox's PIN (stored hashed). @throws VoicemailInputError for a PIN that is not 4 to 20 digits */
export async function setPin(
  settings: MailboxSettingsStore,
  address: MailboxAddress,
  pin: string,
  minLength = 4,
): Promise<void> {
  await settings.update(address, { pinHash: await hashPin(validatePin(pin, minLength)) });
}

/** The greetings in effect: the configuration's, with what the owner recorded or removed over them. */
export function effectiveGreetings(box: Mailbox, stored: StoredGreetings | undefined): Mailbox['greetings'] {
  const pick = (kind: 'unavailable' | 'busy' | 'temporary'): string | undefined => {
    if (stored && Object.hasOwn(stored, kind)) return stored[kind] ?? undefined;
    return box.greetings[kind];
  };
  return Object.freeze({ unavailable: pick('unavailable'), busy: pick('busy'), temporary: pick('temporary') });
}

/**
 * A directory whose mailboxes carry the greetings their owners recorded (so that callers leaving a message hear
 * them): pass it to `createVoicemailCalls` and `createVoicemailMainCalls` alike.
 */
export function withMailboxSettings(directory: MailboxDirectory, settings: MailboxSettingsStore): MailboxDirectory {
  const overlay = async (box: Mailbox | undefined): Promise<Mailbox | undefined> => {
    if (!box) return box;
    const stored = (await settings.get(box)).greetings;
    return stored ? Object.freeze({ ...box, greetings: effectiveGreetings(box, stored) }) : box;
  };
  return {
    get: async (address) => overlay(await directory.get(address)),
    list: async () => Promise.all((await directory.list()).map(async (box) => (await overlay(box)) as Mailbox)),
  };
}
