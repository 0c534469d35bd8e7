// `ari-voicemail`: voicemail and call recording on Asterisk through ARI, one XState actor per call.
//
// This file is the package's public surface: every name is listed here (no `export *`), and `npm run api` writes it,
// with each signature, to docs/api-report.md (a test fails when the two differ). Internals stay in their modules.
// The machines are in `ari-voicemail/machines`; the ARI simulator in `ari-voicemail/simulator`.
//
// Both ARI and the voicemail domain have a `Mailbox`: the root name is ARI's model (what `/mailboxes` returns);
// the voicemail domain's configuration of a mailbox is `VoicemailMailbox` here (`Mailbox` in its own module).

// The ARI client: REST over undici, events over ws; its errors, identifiers, models, events and operation types.
export { type AriClient, createAriClient } from './ari/client.js';
export {
  AriAbortError,
  type AriConnectionDetails,
  AriConnectionError,
  AriError,
  type AriErrorCode,
  type AriErrorDetails,
  AriHttpError,
  AriNetworkError,
  AriOptionsError,
  type AriOptionsErrorContext,
  AriParamsError,
  AriProtocolError,
  AriTimeoutError,
  isAriError,
} from './ari/errors.js';
export {
  type AdditionalParam,
  type ApplicationMoveFailed,
  type ApplicationRegistered,
  type ApplicationReplaced,
  type ApplicationUnregistered,
  ARI_EVENT_TYPES,
  type AriEvent,
  type AriEventType,
  type BridgeAttendedTransfer,
  type BridgeBlindTransfer,
  type BridgeCreated,
  type BridgeDestroyed,
  type BridgeMerged,
  type BridgeVideoSourceChanged,
  type CallBroadcast,
  type CallClaimed,
  type ChannelCallerId,
  type ChannelConnectedLine,
  type ChannelCreated,
  type ChannelDestroyed,
  type ChannelDialplan,
  type ChannelDtmfReceived,
  type ChannelEnteredBridge,
  type ChannelHangupRequest,
  type ChannelHold,
  type ChannelLeftBridge,
  type ChannelStateChange,
  type ChannelTalkingFinished,
  type ChannelTalkingStarted,
  type ChannelToneDetected,
  type ChannelTransfer,
  type ChannelUnhold,
  type ChannelUserevent,
  type ChannelVarset,
  type ContactInfo,
  type ContactStatusChange,
  type DeviceStateChanged,
  type Dial,
  type EndpointStateChange,
  type Event,
  type KnownAriEvent,
  type Message,
  type MissingParams,
  type Peer,
  type PeerStatusChange,
  type PlaybackContinuing,
  type PlaybackFinished,
  type PlaybackStarted,
  type RESTHeader,
  type RESTQueryStringParameter,
  type RESTRequest,
  type RESTResponse,
  type RecordingFailed,
  type RecordingFinished,
  type RecordingStarted,
  type ReferredBy,
  type ReferTo,
  type RequiredDestination,
  type StasisEnd,
  type StasisStart,
  type TextMessageReceived,
  type UnknownAriEvent,
  type UnknownAriEventType,
} from './ari/events.js';
export { newBridgeId, newChannelId, newPlaybackId, newRecordingName } from './ari/ids.js';
export { type Logger, silentLogger } from './ari/logger.js';
export type {
  Application,
  AsteriskInfo,
  AsteriskPing,
  Bridge,
  BuildInfo,
  CallerID,
  Channel,
  ConfigInfo,
  ConfigTuple,
  DeviceState,
  Dialed,
  DialplanCEP,
  Endpoint,
  FormatLangPair,
  LiveRecording,
  LogChannel,
  Mailbox,
  Module,
  Playback,
  RTPstat,
  SetId,
  Sound,
  StatusInfo,
  StoredRecording,
  SystemInfo,
  TextMessage,
  Variable,
  Variables,
} from './ari/models.js';
export type { AriVariableValue, CallOptions, Many } from './ari/operation-spec.js';
export type {
  ApplicationsApi,
  ApplicationsFilterParams,
  ApplicationsGetParams,
  ApplicationsSubscribeParams,
  ApplicationsUnsubscribeParams,
  AriResourceName,
  AriResources,
  AsteriskAddLogParams,
  AsteriskApi,
  AsteriskDeleteLogParams,
  AsteriskDeleteObjectParams,
  AsteriskGetGlobalVarParams,
  AsteriskGetInfoParams,
  AsteriskGetModuleParams,
  AsteriskGetObjectParams,
  AsteriskLoadModuleParams,
  AsteriskReloadModuleParams,
  AsteriskRotateLogParams,
  AsteriskSetGlobalVarParams,
  AsteriskUnloadModuleParams,
  AsteriskUpdateObjectParams,
  BridgesAddChannelParams,
  BridgesApi,
  BridgesClearVideoSourceParams,
  BridgesCreateParams,
  BridgesCreateWithIdParams,
  BridgesDestroyParams,
  BridgesGetBridgeVarParams,
  BridgesGetBridgeVarsParams,
  BridgesGetParams,
  BridgesPlayParams,
  BridgesPlayWithIdParams,
  BridgesRecordParams,
  BridgesRemoveChannelParams,
  BridgesSetBridgeVarParams,
  BridgesSetBridgeVarsParams,
  BridgesSetVideoSourceParams,
  BridgesStartMohParams,
  BridgesStopMohParams,
  ChannelsAnswerParams,
  ChannelsApi,
  ChannelsContinueInDialplanParams,
  ChannelsCreateParams,
  ChannelsDialParams,
  ChannelsExternalMediaParams,
  ChannelsGetChannelVarParams,
  ChannelsGetChannelVarsParams,
  ChannelsGetParams,
  ChannelsHangupParams,
  ChannelsHoldParams,
  ChannelsMoveParams,
  ChannelsMuteParams,
  ChannelsOriginateParams,
  ChannelsOriginateWithIdParams,
  ChannelsPlayParams,
  ChannelsPlayWithIdParams,
  ChannelsProgressParams,
  ChannelsRecordParams,
  ChannelsRedirectParams,
  ChannelsRingParams,
  ChannelsRingStopParams,
  ChannelsRtpstatisticsParams,
  ChannelsSendDTMFParams,
  ChannelsSetChannelVarParams,
  ChannelsSetChannelVarsParams,
  ChannelsSnoopChannelParams,
  ChannelsSnoopChannelWithIdParams,
  ChannelsStartMohParams,
  ChannelsStartSilenceParams,
  ChannelsStopMohParams,
  ChannelsStopSilenceParams,
  ChannelsTransferProgressParams,
  ChannelsUnholdParams,
  ChannelsUnmuteParams,
  DeviceStatesApi,
  DeviceStatesDeleteParams,
  DeviceStatesGetParams,
  DeviceStatesUpdateParams,
  EndpointsApi,
  EndpointsGetParams,
  EndpointsListByTechParams,
  EndpointsReferParams,
  EndpointsReferToEndpointParams,
  EndpointsSendMessageParams,
  EndpointsSendMessageToEndpointParams,
  EventsApi,
  EventsClaimChannelParams,
  EventsEventWebsocketParams,
  EventsUserEventParams,
  MailboxesApi,
  MailboxesDeleteParams,
  MailboxesGetParams,
  MailboxesUpdateParams,
  PlaybacksApi,
  PlaybacksControlParams,
  PlaybacksGetParams,
  PlaybacksStopParams,
  RecordingsApi,
  RecordingsCancelParams,
  RecordingsCopyStoredParams,
  RecordingsDeleteStoredParams,
  RecordingsGetLiveParams,
  RecordingsGetStoredFileParams,
  RecordingsGetStoredParams,
  RecordingsMuteParams,
  RecordingsPauseParams,
  RecordingsStopParams,
  RecordingsUnmuteParams,
  RecordingsUnpauseParams,
  SoundsApi,
  SoundsGetParams,
  SoundsListParams,
} from './ari/operations.js';
export type { AriClientOptions, HeartbeatOptions, ReconnectOptions, ResolvedAriOptions } from './ari/options.js';
export type { ClientResources } from './ari/resources/build.js';
export type { EventsResource } from './ari/resources/events.js';
export type { BridgeHandle, ChannelHandle, PlaybackHandle, RecordingHandle } from './ari/resources/handles.js';
export type { RecordingsResource } from './ari/resources/recordings.js';
export { AriFileStream } from './ari/transport/http.js';
export type {
  ConnectionState,
  ConnectionStateChange,
  EventSocket,
  EventSocketOptions,
  ReconnectPolicy,
} from './ari/transport/socket.js';
// The live view of the running calls (offline, on loopback), fed by the runtime's `observers`.
export {
  type LiveCall,
  type LiveCallsOptions,
  type LiveTransition,
  type LiveView,
  type LiveViewOptions,
  startLiveView,
} from './live/index.js';
// Call recording: the recorder, WAV and mp3, uploads from a durable spool.
export {
  type AttachedRecorder,
  type AttachRecorderOptions,
  attachRecorder,
  createRecordCallCalls,
  type RecordCallOptions,
} from './recording/calls.js';
export type {
  RecorderDoneCall,
  RecorderJournal,
  RecorderJournalProblem,
  RecorderTake,
} from './recording/journal.js';
export type { KazooRecordCallData, RecordCallSettings, RecorderSettings } from './recording/kazoo.js';
export { type Mp3Info, type Mp3Options, mp3Info, wavToMp3 } from './recording/mp3.js';
export {
  createMemoryRecordingStore,
  type KeptRecording,
  type RecorderDeps,
  type RecordingStore,
} from './recording/recorder.js';
export type { RecorderRecoveryReport } from './recording/recovery.js';
export type { Spool, SpoolEntry, SpoolState } from './recording/spool.js';
export {
  type RecordingUploads,
  type UploadAttemptOptions,
  type UploadEvent,
  Uploader,
  type UploaderOptions,
  type UploadOutcome,
} from './recording/upload.js';
export { encodeWav, type ParsedWav, parseWav, type WavFormat, WavFormatError } from './recording/wav.js';
// The runtime: a Stasis app with one XState actor per call.
export {
  type ActorClock,
  type CallLifecycleEvent,
  type ConnectionChangeLike,
  createStasisApp,
  type RuntimeClient,
  type StasisApp,
  type StasisAppOptions,
  type StasisAppStats,
  type Synthetic,
} from './runtime/app.js';
export {
  BROADCAST_MODULES,
  type BroadcastClaimOptions,
  type BroadcastSupport,
  broadcastArgs,
  type ClaimOutcome,
  type ClaimReport,
  detectBroadcast,
} from './runtime/broadcast.js';
export type { HangupEvent } from './runtime/hangup.js';
export type { HibernateOptions } from './runtime/hibernation.js';
export type { CallObserver } from './runtime/observers.js';
export type { RetryNotice, RetryPolicyOptions } from './runtime/retry.js';
export type { RoutableEvent } from './runtime/routing.js';
export { type TransitionLogOptions, transitionLog } from './runtime/transition-log.js';
export type { CallFactory, CallLogic, CallScope, CallStart, RecoveryContext, RouteKind } from './runtime/types.js';
export {
  type ApiGreetingKind,
  createMailboxApi,
  type GREETING_KINDS,
  type MailboxApi,
  type MailboxApiOptions,
} from './voicemail/api.js';
// Voicemail: mailboxes, the message store, MWI, the leave-a-message and mailbox-menu calls, the mailbox HTTP API,
// notifications and retention.
export { MAILBOX_OPENAPI } from './voicemail/api-openapi.js';
export type { VoicemailArgs } from './voicemail/args.js';
export { createVoicemailCalls, type VoicemailCallsOptions } from './voicemail/call.js';
export type { DiscardReason, VoicemailLibraryEvent } from './voicemail/events.js';
export { type MailboxAddress, type MailboxRef, parseMailboxAddress, VoicemailInputError } from './voicemail/ids.js';
export type {
  CallEntry,
  JournaledStore,
  SaveOnceResult,
  TakeChange,
  TakeEntry,
  TakeIntent,
  VoicemailJournal,
} from './voicemail/journal.js';
export { voicemailTransitionLog } from './voicemail/log.js';
export {
  type GreetingKind,
  InMemoryMailboxDirectory,
  type Mailbox as VoicemailMailbox,
  type MailboxConfig,
  type MailboxDirectory,
  type MailboxGreetings,
  type MailboxLimits,
} from './voicemail/mailbox.js';
export { createVoicemailMainCalls, type MailboxMenuEvent, type VoicemailMainCallsOptions } from './voicemail/main.js';
export {
  type MwiCounts,
  type MwiRefresh,
  type MwiRefreshClock,
  type MwiRefreshOptions,
  type MwiRefreshReport,
  publishMwi,
  startMwiRefresh,
} from './voicemail/mwi.js';
export {
  createNotifier,
  type Notifier,
  type NotifierOptions,
  type NotifyClock,
  type NotifyEvent,
  type NotifyRetry,
  type NotifyTargets,
  PermanentNotifyError,
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookPayload,
} from './voicemail/notify.js';
export {
  FileNotificationJobs,
  type NotificationJob,
  type NotificationJobChange,
  type NotificationJobStore,
  type NotificationKind,
  type NotificationState,
} from './voicemail/notify-jobs.js';
export type { SettledTake, VoicemailRecoveryReport } from './voicemail/recovery.js';
export {
  type RetentionOptions,
  type RetentionReport,
  type RetentionSweeper,
  startRetentionSweep,
  sweepRetention,
} from './voicemail/retention.js';
export {
  FileMailboxSettings,
  type MailboxSettingsRecord,
  type MailboxSettingsStore,
  type StoredGreetings,
  setPin,
} from './voicemail/settings.js';
export {
  emptyCounts,
  FileMessageStore,
  type FileStoreOptions,
  FOLDERS,
  type Folder,
  type FolderCounts,
  MailboxFullError,
  type MessageChange,
  MessageNotFoundError,
  type MessageStore,
  type StoreProblem,
  type VoicemailMessage,
} from './voicemail/store.js';
export { type DeletedMessage, FileMessageTrash } from './voicemail/trash.js';

// Further entry points of the package add their line below.
