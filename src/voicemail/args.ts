import { type MailboxAddress, parseMailboxAddress, VoicemailInputError } from './ids.js';
import type { GreetingKind } from './mailbox.js';

/** What the Stasis arguments ask for, as app_voicemail's `VoiceMail(mailbox[@context],[options])` would. */
export interface VoicemailArgs extends MailboxAddress {
  /** `u` (default) or `b`. */
  readonly greeting: GreetingKind;
  /** `s`: skip the instructions after the greeting. */
  readonly skipInstructions: boolean;
}

const OPTION_RE = /^[ubs]*$/;

/**
 * Reads the Stasis arguments: `Stasis(vm-record,305)`, `Stasis(vm-record,305@default)`,
 * `Stasis(vm-record,305,b)` (options `u` unavailable greeting, `b` busy greeting, `s` no instructions), or
 * app_voicemail's older prefix form `Stasis(vm-record,b305)` (only before a numeric mailbox, so `bob` stays a
 * mailbox). Several mailboxes (`305&306`) are not supported.
 * @throws VoicemailInputError for a missing or malformed mailbox or unknown options.
 */
export function parseVoicemailArgs(args: readonly string[], defaultContext = 'default'): VoicemailArgs {
  const first = args[0];
  if (typeof first !== 'string' || first.length === 0) {
    throw new VoicemailInputError('mailbox', first, 'the first Stasis argument must be the mailbox (Stasis(app,305))');
  }
  if (first.includes('&')) throw new VoicemailInputError('mailbox', first, 'one mailbox per call');
  const prefixed = /^([ubs]+)([0-9].*)$/.exec(first);
  const flags = `${prefixed ? prefixed[1] : ''}${args[1] ?? ''}`;
  if (!OPTION_RE.test(flags)) throw new VoicemailInputError('options', args[1], 'only u, b and s');
  const address = parseMailboxAddress(prefixed ? prefixed[2] : first, defaultContext);
  return {
    ...address,
    greeting: flags.includes('b') ? 'busy' : 'unavailable',
    skipInstructions: flags.includes('s'),
  };
}
