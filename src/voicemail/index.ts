// The voicemail domain: mailboxes, the message store, message-waiting counts and the leave-a-message calls.

// The mailbox HTTP API and its OpenAPI document.
export {
  type ApiGreetingKind,
  createMailboxApi,
  GREETING_KINDS,
  type MailboxApi,
  type MailboxApiOptions,
} from './api.js';
export { MAILBOX_OPENAPI } from './api-openapi.js';
export { parseVoicemailArgs, type VoicemailArgs } from './args.js';
export { createVoicemailCalls, type VoicemailCallsOptions } from './call.js';
// The mailbox owner's menu (VoiceMailMain), PINs and greetings, envelopes, deleted messages.
export { callerMedia, dateMedia, type EnvelopeOptions, envelopeMedia, ordinalMedia, timeMedia } from './envelope.js';
export type { DiscardReason, VoicemailLibraryEvent } from './events.js';
export {
  type MailboxAddress,
  type MailboxRef,
  mailboxName,
  parseMailboxAddress,
  recordingPrefix,
  safeToken,
  toMailboxAddress,
  VoicemailInputError,
  validateContext,
  validateDigits,
  validateMailboxId,
} from './ids.js';
export { greetingMedia, type VoicemailDeps, voicemailImplementations } from './implementations.js';
export {
  type CallEntry,
  hasJournal,
  type JournaledStore,
  messageOfTake,
  type SaveOnceResult,
  type TakeChange,
  type TakeEntry,
  type TakeIntent,
  type VoicemailJournal,
} from './journal.js';
export { voicemailTransitionLog } from './log.js';
export {
  chooseGreeting,
  DEFAULT_LIMITS,
  type GreetingKind,
  InMemoryMailboxDirectory,
  type Mailbox,
  type MailboxConfig,
  type MailboxDirectory,
  type MailboxGreetings,
  type MailboxLimits,
  resolveMailbox,
} from './mailbox.js';
export { createVoicemailMainCalls, type MailboxMenuEvent, type VoicemailMainCallsOptions } from './main.js';
export {
  MWI_REFRESH_INTERVAL_MS,
  type MwiCounts,
  type MwiRefresh,
  type MwiRefreshClock,
  type MwiRefreshOptions,
  type MwiRefreshReport,
  mwiCounts,
  publishMwi,
  startMwiRefresh,
} from './mwi.js';
// Notifications of stored messages: email with the audio, signed webhooks, transcription; durable jobs.
export * from './notify.js';
export * from './notify-jobs.js';
export { type SettledTake, settleTake, type VoicemailRecoveryReport } from './recovery.js';
// Retention: message age limits and the trash's purge.
export * from './retention.js';
export {
  effectiveGreetings,
  FileMailboxSettings,
  hashPin,
  type MailboxSettingsRecord,
  type MailboxSettingsStore,
  type StoredGreetings,
  setPin,
  validatePin,
  verifyPin,
  withMailboxSettings,
} from './settings.js';
export type { FileStoreOptions, MessageChange, StoreProblem } from './store.js';
export {
  emptyCounts,
  FileMessageStore,
  FOLDERS,
  type Folder,
  type FolderCounts,
  MailboxFullError,
  MessageNotFoundError,
  type MessageStore,
  type VoicemailMessage,
  validateMessage,
  validateMessageId,
} from './store.js';
export { type DeletedMessage, FileMessageTrash } from './trash.js';
