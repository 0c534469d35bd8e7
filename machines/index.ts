// The statecharts of ari-voicemail (`ari-voicemail/machines`): pure XState machines, openable in Stately's editor.

export {
  type RecordCallInput,
  type RecordCallOutput,
  type RecordCallStatus,
  recordCallMachine,
} from './record-call.js';
export {
  type CopyMessageInput,
  type CopyResult,
  DEFAULT_KEYS,
  DEFAULT_PROMPTS,
  DEFAULT_TIMEOUTS,
  type FinishCallInput,
  type MessageInput,
  type PlayMediaInput,
  type PreparedCall,
  type StartRecordingInput,
  type VmStatus,
  type VoicemailContext,
  type VoicemailEvent,
  type VoicemailExit,
  type VoicemailInput,
  type VoicemailKeys,
  type VoicemailOutput,
  type VoicemailPrompts,
  type VoicemailTimeouts,
  voicemailMachine,
} from './voicemail.js';
