// The voicemail journal: what a call is doing with its takes, written down before it is done, so that a process
// that dies (kill -9, a crash, a reboot) can be finished by the next one. It lives in the message store's backend
// (a `FileMessageStore` keeps it next to the messages; a database store would keep it in a table of its own), so it
// moves and is backed up with the messages it leads to.

import type { VmStatus } from '../../machines/voicemail.js';
import type { MessageStore, VoicemailMessage } from './store.js';

/** What is to become of a take: still being recorded (or reviewed), to keep as a message, or to throw away. */
export type TakeIntent = 'recording' | 'keep' | 'discard';

/** One take, from just before its record request until it is a message or gone from Asterisk. */
export interface TakeEntry {
  /** The ARI recording name (the journal's key). */
  readonly recordingName: string;
  /** The id its message gets. */
  readonly messageId: string;
  /** The channel id of the call that records it. */
  readonly callId: string;
  readonly mailbox: string;
  readonly context: string;
  readonly intent: TakeIntent;
  readonly urgent: boolean;
  readonly durationSeconds: number | null;
  readonly callerId: { readonly number: string; readonly name: string };
  readonly format: string;
  /** When the take was begun (ISO 8601): the message's `receivedAt`. */
  readonly startedAt: string;
}

/** A call that is leaving voicemail (VMSTATUS, then back to the dialplan or hung up), until its channel has left. */
export interface CallEntry {
  readonly callId: string;
  readonly status: VmStatus;
  /** The dialplan extension it goes to (`o`, `a`), or none. */
  readonly extension: string | null;
  readonly hangup: boolean;
}

/** What can change of a take while the caller decides. */
export type TakeChange = Partial<Pick<TakeEntry, 'intent' | 'urgent' | 'durationSeconds'>>;

/** Whether {@link VoicemailJournal.saveOnce} wrote the message or found it already there. */
export type SaveOnceResult = 'saved' | 'exists';

/**
 * The durable journal of takes and calls. Every write is durable when its promise resolves (a crash afterwards
 * keeps it). A store that implements it (`FileMessageStore` does) makes voicemail recoverable after a crash.
 */
export interface VoicemailJournal {
  /** Writes (or replaces) a take's entry. */
  putTake(entry: TakeEntry): Promise<void>;
  /** Changes a take's entry; resolves the new entry, or `undefined` when the journal has none for that name. */
  updateTake(recordingName: string, change: TakeChange): Promise<TakeEntry | undefined>;
  /** Forgets a take (it is a message now, or verified gone). Forgetting an unknown take does nothing. */
  forgetTake(recordingName: string): Promise<void>;
  /** Every take of the journal. */
  takes(): Promise<TakeEntry[]>;
  putCall(entry: CallEntry): Promise<void>;
  forgetCall(callId: string): Promise<void>;
  calls(): Promise<CallEntry[]>;
  /**
   * Saves a message unless its mailbox already holds a message of that id for the same recording: a retried save
   * (after a crash, or by recovery) never makes two messages.
   * @throws VoicemailInputError (malformed, or the id is used by another recording), MailboxFullError with `maxMessages`
   */
  saveOnce(message: VoicemailMessage, options?: { maxMessages?: number }): Promise<SaveOnceResult>;
  /** The recording names every message of every mailbox points at (to find stored recordings nobody owns). */
  messageRecordings(): Promise<Set<string>>;
}

/** A message store that also keeps the journal. */
export type JournaledStore = MessageStore & VoicemailJournal;

const JOURNAL_METHODS = [
  'putTake',
  'updateTake',
  'forgetTake',
  'takes',
  'putCall',
  'forgetCall',
  'calls',
  'saveOnce',
  'messageRecordings',
] as const;

/** Whether a store keeps the journal (every method of {@link VoicemailJournal}). */
export function hasJournal(store: MessageStore): store is JournaledStore {
  return JOURNAL_METHODS.every((name) => typeof Reflect.get(store, name) === 'function');
}

/** The message a take becomes. */
export function messageOfTake(entry: TakeEntry): VoicemailMessage {
  return {
    id: entry.messageId,
    mailbox: entry.mailbox,
    context: entry.context,
    folder: entry.urgent ? 'Urgent' : 'INBOX',
    callerId: { number: entry.callerId.number, name: entry.callerId.name },
    receivedAt: entry.startedAt,
    durationSeconds: entry.durationSeconds,
    urgent: entry.urgent,
    recordingName: entry.recordingName,
    format: entry.format,
  };
}
