import { randomBytes } from 'node:crypto';
/**
 * Validation of everything that ends up in a recording name or a file name: mailbox ids, contexts, digits typed by
 * callers. A recording name is a path under Asterisk's recording directory, so nothing may escape
 * `voicemail/<mailbox>/`.
 */

/** A value given to the voicemail domain (mailbox id, context, digits) is malformed. `field` names it. */
export class VoicemailInputError extends Error {
  readonly code = 'VOICEMAIL_INPUT';
  /** Which input was refused (`mailbox`, `context`, `digits`, ...). */
  readonly field: string;
  /** The refused value, as given. */
  readonly value: unknown;

  constructor(field: string, value: unknown, reason: string) {
    super(`invalid ${field} ${shown(value)}: ${reason}`);
    this.name = 'VoicemailInputError';
    this.field = field;
    this.value = value;
  }
}

// A Stasis argument can be anything a dialplan passes: the message shows its start, `value` keeps all of it.
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return typeof value === 'string' && text.length > 100
    ? `${text.slice(0, 80)}..." (${value.length} characters)`
    : text;
}

const MAILBOX_RE = /^[0-9A-Za-z][0-9A-Za-z_-]{0,79}$/;
const CONTEXT_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;
const DIGITS_RE = /^[0-9]{1,40}$/;

function check(field: string, value: unknown, re: RegExp, what: string): string {
  if (typeof value !== 'string') throw new VoicemailInputError(field, value, 'not a string');
  if (value.length === 0) throw new VoicemailInputError(field, value, 'empty');
  if (value.includes('..') || value.includes('/') || value.includes('\\')) {
    throw new VoicemailInputError(field, value, 'must not contain "..", "/" or "\\"');
  }
  if (!re.test(value)) throw new VoicemailInputError(field, value, what);
  return value;
}

/**
 * Checks a mailbox id (`305`, `sales-1`): 1 to 80 of `0-9 A-Z a-z _ -`, starting with a letter or digit.
 * @throws VoicemailInputError when it is anything else (empty, `..`, `/`, spaces, ...).
 */
export function validateMailboxId(value: unknown): string {
  return check(
    'mailbox',
    value,
    MAILBOX_RE,
    'only 0-9, A-Z, a-z, "_" and "-" (at most 80), starting with a letter or digit',
  );
}

/**
 * Checks a voicemail context (`default`): same character set as mailbox ids.
 * @throws VoicemailInputError otherwise.
 */
export function validateContext(value: unknown): string {
  return check('context', value, CONTEXT_RE, 'only 0-9, A-Z, a-z, "_" and "-" (at most 80)');
}

/**
 * Checks digits typed by a caller (a mailbox to copy to, say): 1 to 40 decimal digits.
 * @throws VoicemailInputError otherwise.
 */
export function validateDigits(value: unknown): string {
  return check('digits', value, DIGITS_RE, 'only the digits 0-9 (1 to 40)');
}

/** A mailbox address: `<mailbox>@<context>`, as `/mailboxes` and app_voicemail name it. */
export interface MailboxAddress {
  readonly mailbox: string;
  readonly context: string;
}

/**
 * Parses `305` or `305@default` (the context defaults to `defaultContext`).
 * @throws VoicemailInputError when either part is malformed.
 */
export function parseMailboxAddress(value: unknown, defaultContext = 'default'): MailboxAddress {
  if (typeof value !== 'string') throw new VoicemailInputError('mailbox', value, 'not a string');
  const at = value.indexOf('@');
  if (at === -1) return { mailbox: validateMailboxId(value), context: validateContext(defaultContext) };
  return { mailbox: validateMailboxId(value.slice(0, at)), context: validateContext(value.slice(at + 1)) };
}

/** A mailbox as the store's methods take it: `'305'` (context `default`), `'305@sales'`, or a {@link MailboxAddress}. */
export type MailboxRef = MailboxAddress | string;

/**
 * Turns a {@link MailboxRef} into a checked {@link MailboxAddress}: a string is parsed as `305` or `305@context`
 * (`defaultContext` when it has no `@`), an object's two fields are checked.
 * @throws VoicemailInputError naming the malformed part.
 */
export function toMailboxAddress(ref: MailboxRef, defaultContext = 'default'): MailboxAddress {
  if (typeof ref === 'string') return parseMailboxAddress(ref, defaultContext);
  if (ref === null || typeof ref !== 'object') {
    throw new VoicemailInputError('mailbox', ref, "'305', '305@default' or { mailbox, context }");
  }
  return { mailbox: validateMailboxId(ref.mailbox), context: validateContext(ref.context) };
}

/** `<mailbox>@<context>`: the name `/mailboxes` uses for message-waiting counts. */
export function mailboxName(address: MailboxAddress): string {
  return `${address.mailbox}@${address.context}`;
}

/** The recording prefix of a mailbox: every recording of its messages is named `voicemail/<context>/<mailbox>/...`. */
export function recordingPrefix(address: MailboxAddress): string {
  return `voicemail/${validateContext(address.context)}/${validateMailboxId(address.mailbox)}/`;
}

/**
 * Turns any string (a channel id such as `1795298152.13`) into a token safe inside a recording name or file name:
 * characters outside `0-9 A-Z a-z _ -` become `-`.
 */
export function safeToken(value: string): string {
  const token = value.replace(/[^0-9A-Za-z_-]/g, '-').slice(0, 80);
  return token.length === 0 ? 'x' : token;
}

/**
 * A call's tag: the time, a random part and the channel id. Channel ids repeat across Asterisks (and after an
 * Asterisk restart), so the random part keeps two calls' recordings and message ids apart even when two instances
 * sharing one store see the same channel id in the same millisecond.
 */
export function callTag(at: Date, callId: string): string {
  return `${at.getTime().toString(36)}-${randomBytes(3).toString('hex')}-${safeToken(callId)}`;
}
