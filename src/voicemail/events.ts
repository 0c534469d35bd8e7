import type { VmStatus, VoicemailExit } from '../../machines/voicemail.js';
import type { MailboxAddress } from './ids.js';
import type { MwiCounts } from './mwi.js';
import type { VoicemailMessage } from './store.js';

/** Why a take was thrown away: the caller recorded again, it was too short, or the caller ended without a message. */
export type DiscardReason = 'record' | 'tooShort' | 'end';

/** What the voicemail application tells the app about (dotted lowercase names, like every library event). */
export type VoicemailLibraryEvent =
  /** A message is in the store (and its recording verified on Asterisk). `mwi` is absent when publishing failed. */
  | {
      readonly type: 'voicemail.saved';
      readonly callId: string;
      readonly message: VoicemailMessage;
      readonly mwi?: MwiCounts;
    }
  /** A message was copied to another mailbox (a separate message there, with its own recording). */
  | {
      readonly type: 'voicemail.copied';
      readonly callId: string;
      readonly from: MailboxAddress;
      readonly message: VoicemailMessage;
      readonly mwi?: MwiCounts;
    }
  /** A take was thrown away and verified gone from Asterisk. */
  | {
      readonly type: 'voicemail.discarded';
      readonly callId: string;
      readonly mailbox: MailboxAddress;
      readonly recordingName: string;
      readonly reason: DiscardReason;
    }
  /** The call left voicemail: VMSTATUS and the exit taken (set on the channel when it is still there). */
  | {
      readonly type: 'voicemail.finished';
      readonly callId: string;
      readonly status: VmStatus;
      readonly exit: VoicemailExit;
    }
  /** Something failed (a REST call, the store, publishing MWI). The call ends cleanly with what it saved. */
  | { readonly type: 'voicemail.error'; readonly callId: string; readonly error: unknown; readonly during: string };
