export {
  type AttachedRecorder,
  type AttachRecorderOptions,
  attachRecorder,
  createRecordCallCalls,
  type RecordCallOptions,
} from './calls.js';
export {
  type RecorderDoneCall,
  RecorderJournal,
  type RecorderJournalProblem,
  type RecorderTake,
} from './journal.js';
export {
  fromKazooRecordCall,
  type KazooRecordCallData,
  type RecordCallSettings,
  type RecorderSettings,
} from './kazoo.js';
export { type Mp3Info, type Mp3Options, mp3Info, wavToMp3 } from './mp3.js';
export {
  createMemoryRecordingStore,
  type KeptRecording,
  provideRecordCall,
  type RecorderDeps,
  type RecorderServices,
  type RecordingStore,
  recorderServices,
  recordWith,
  sharedRecorderMachine,
  storeRecording,
  takeOf,
} from './recorder.js';
export { createRecorderRecovery, type RecorderRecovery, type RecorderRecoveryReport } from './recovery.js';
export { Spool, type SpoolEntry, type SpoolState } from './spool.js';
export {
  type RecordingUploads,
  type UploadAttemptOptions,
  type UploadEvent,
  Uploader,
  type UploaderOptions,
  type UploadOutcome,
} from './upload.js';
export {
  encodeWav,
  type ParsedWav,
  parseWav,
  readWavHeader,
  type WavFormat,
  WavFormatError,
  wavHeader,
  wavSamples,
} from './wav.js';
