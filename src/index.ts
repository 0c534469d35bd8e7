// `ari-voicemail`: voicemail and call recording on Asterisk through ARI, one XState actor per call.
//
// - the typed ARI client (REST over undici, events over ws): `createAriClient`, errors, models, events;
// - the runtime that runs a Stasis app with one actor per call: `createStasisApp`;
// - voicemail (mailboxes, message store, MWI, the leave-a-message calls): `createVoicemailCalls`;
// - call recording (the recorder, mp3, uploads with a durable spool): `createRecordCallCalls`, `attachRecorder`.
// The machines themselves are in `ari-voicemail/machines`; the ARI simulator in `ari-voicemail/simulator`.

// Both ARI and the voicemail domain have a `Mailbox`: the root name is ARI's model (what `/mailboxes` returns);
// the voicemail domain's configuration of a mailbox is `VoicemailMailbox` here (`Mailbox` in its own module).
export type { Mailbox } from './ari/index.js';
export * from './ari/index.js';
export * from './live/index.js';
export * from './recording/index.js';
export * from './runtime/index.js';
export type { Mailbox as VoicemailMailbox } from './voicemail/index.js';
export * from './voicemail/index.js';
