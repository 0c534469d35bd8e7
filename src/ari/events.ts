// ARI events of Asterisk 22 (events.json), typed as a union discriminated on `type`.
// Kept in step with Asterisk's api-docs by test/ari/conformance.test.ts.

import { AriProtocolError } from './errors.js';
import type { Bridge, Channel, DeviceState, Endpoint, LiveRecording, Playback, TextMessage } from './models.js';

/** Base type for errors and events */
export interface Message {
  /** Indicates the type of this message. */
  type: string;
  /** The unique ID for the Asterisk instance that raised this event. */
  asterisk_id?: string;
}

/** Base type for asynchronous events from Asterisk. */
export interface Event extends Message {
  /** Name of the application receiving the event. */
  application: string;
  /** Time at which this event was created. */
  timestamp: string;
}

// --- models used inside events

/** Detailed information about a contact on an endpoint. */
export interface ContactInfo {
  /** The location of the contact. */
  uri: string;
  /** The current status of the contact. */
  contact_status: 'Unreachable' | 'Reachable' | 'Unknown' | 'NonQualified' | 'Removed';
  /** The Address of Record this contact belongs to. */
  aor: string;
  /** Current round trip time, in microseconds, for the contact. */
  roundtrip_usec?: string;
}

/** Detailed information about a remote peer that communicates with Asterisk. */
export interface Peer {
  /** The current state of the peer. Note that the values of the status are dependent on the underlying peer technology. */
  peer_status: string;
  /** An optional reason associated with the change in peer_status. */
  cause?: string;
  /** The IP address of the peer. */
  address?: string;
  /** The port of the peer. */
  port?: string;
  /** The last known time the peer was contacted. */
  time?: string;
}

/** transfer destination requested by transferee */
export interface ReferTo {
  requested_destination: RequiredDestination;
  /** The Channel Object, that is to be replaced */
  destination_channel?: Channel;
  /** Channel, connected to the to be replaced channel */
  connected_channel?: Channel;
  /** Bridge connecting both destination channels */
  bridge?: Bridge;
}

/** transfer destination requested by transferee */
export interface ReferredBy {
  /** The channel on which the refer was received */
  source_channel: Channel;
  /** Channel, Connected to the channel, receiving the transfer request on. */
  connected_channel?: Channel;
  /** Bridge connecting both Channels */
  bridge?: Bridge;
}

/** Information about the requested destination */
export interface RequiredDestination {
  /** the requested protocol-id by the referee in case of SIP channel, this is a SIP Call ID, Mutually exclusive to destination */
  protocol_id?: string;
  /** Destination User Part. Only for Blind transfer. Mutually exclusive to protocol_id */
  destination?: string;
  /** List of additional protocol specific information */
  additional_protocol_params?: AdditionalParam[];
}

/** Protocol specific additional parameter */
export interface AdditionalParam {
  /** Name of the parameter */
  parameter_name: string;
  /** Value of the parameter */
  parameter_value: string;
}

/** REST over Websocket header */
export interface RESTHeader {
  /** Header name */
  name: string;
  /** Header value */
  value: string;
}

/** REST over Websocket Query String Parameter */
export interface RESTQueryStringParameter {
  /** Parameter name */
  name: string;
  /** Parameter value */
  value: string;
}

/** REST over Websocket Request. */
export interface RESTRequest {
  /** Message type.  Must be 'RESTRequest' */
  type: string;
  /** Opaque transaction id.  Can be any valid string.  Will be returned in any response to this request. */
  transaction_id: string;
  /** Opaque request id.  Can be any valid string.  Will be returned in any response to this request. */
  request_id: string;
  /** HTTP method (GET, PUT, POST, DELETE, etc.) */
  method: string;
  /** Resource URI with optional query string parameters. */
  uri: string;
  /** The Content-Type of the message body. */
  content_type?: string;
  /** Request query string parameters. */
  query_strings?: RESTQueryStringParameter[];
  /** Request message body. Only content types application/json and application/x-www-form-urlencoded are supported. */
  message_body?: string;
}

// --- errors

/** Error event sent when required params are missing. */
export interface MissingParams extends Message {
  type: 'MissingParams';
  /** A list of the missing parameters */
  params: string[];
}

// --- events

/** Notification that a device state has changed. */
export interface DeviceStateChanged extends Event {
  type: 'DeviceStateChanged';
  /** Device state object */
  device_state: DeviceState;
}

/** Event showing the start of a media playback operation. */
export interface PlaybackStarted extends Event {
  type: 'PlaybackStarted';
  /** Playback control object */
  playback: Playback;
}

/** Event showing the continuation of a media playback operation from one media URI to the next in the list. */
export interface PlaybackContinuing extends Event {
  type: 'PlaybackContinuing';
  /** Playback control object */
  playback: Playback;
}

/** Event showing the completion of a media playback operation. */
export interface PlaybackFinished extends Event {
  type: 'PlaybackFinished';
  /** Playback control object */
  playback: Playback;
}

/** Event showing the start of a recording operation. */
export interface RecordingStarted extends Event {
  type: 'RecordingStarted';
  /** Recording control object */
  recording: LiveRecording;
}

/** Event showing the completion of a recording operation. */
export interface RecordingFinished extends Event {
  type: 'RecordingFinished';
  /** Recording control object */
  recording: LiveRecording;
}

/** Event showing failure of a recording operation. */
export interface RecordingFailed extends Event {
  type: 'RecordingFailed';
  /** Recording control object */
  recording: LiveRecording;
}

/** Notification that trying to move a channel to another Stasis application failed. */
export interface ApplicationMoveFailed extends Event {
  type: 'ApplicationMoveFailed';
  channel: Channel;
  destination: string;
  /** Arguments to the application */
  args: string[];
}

/** Notification that a Stasis app has been registered. */
export interface ApplicationRegistered extends Event {
  type: 'ApplicationRegistered';
}

/** Notification that a Stasis app has been unregistered. */
export interface ApplicationUnregistered extends Event {
  type: 'ApplicationUnregistered';
}

/**
 * Notification that another WebSocket has taken over for an application.
 *
 * An application may only be subscribed to by a single WebSocket at a time. If multiple WebSockets attempt to subscribe to the same application, the newer WebSocket wins, and the older one receives this event.
 */
export interface ApplicationReplaced extends Event {
  type: 'ApplicationReplaced';
}

/** Notification that a bridge has been created. */
export interface BridgeCreated extends Event {
  type: 'BridgeCreated';
  bridge: Bridge;
}

/** Notification that a bridge has been destroyed. */
export interface BridgeDestroyed extends Event {
  type: 'BridgeDestroyed';
  bridge: Bridge;
}

/** Notification that one bridge has merged into another. */
export interface BridgeMerged extends Event {
  type: 'BridgeMerged';
  bridge: Bridge;
  bridge_from: Bridge;
}

/** Notification that a blind transfer has occurred. */
export interface BridgeBlindTransfer extends Event {
  type: 'BridgeBlindTransfer';
  /** The channel performing the blind transfer */
  channel: Channel;
  /** The channel that is replacing transferer when the transferee(s) can not be transferred directly */
  replace_channel?: Channel;
  /** The channel that is being transferred */
  transferee?: Channel;
  /** The extension transferred to */
  exten: string;
  /** The context transferred to */
  context: string;
  /** The result of the transfer attempt */
  result: string;
  /** Whether the transfer was externally initiated or not */
  is_external: boolean;
  /** The bridge being transferred */
  bridge?: Bridge;
}

/** Notification that an attended transfer has occurred. */
export interface BridgeAttendedTransfer extends Event {
  type: 'BridgeAttendedTransfer';
  /** First leg of the transferer */
  transferer_first_leg: Channel;
  /** Second leg of the transferer */
  transferer_second_leg: Channel;
  /** The channel that is replacing transferer_first_leg in the swap */
  replace_channel?: Channel;
  /** The channel that is being transferred */
  transferee?: Channel;
  /** The channel that is being transferred to */
  transfer_target?: Channel;
  /** The result of the transfer attempt */
  result: string;
  /** Whether the transfer was externally initiated or not */
  is_external: boolean;
  /** Bridge the transferer first leg is in */
  transferer_first_leg_bridge?: Bridge;
  /** Bridge the transferer second leg is in */
  transferer_second_leg_bridge?: Bridge;
  /** How the transfer was accomplished */
  destination_type: string;
  /** Bridge that survived the merge result */
  destination_bridge?: string;
  /** Application that has been transferred into */
  destination_application?: string;
  /** First leg of a link transfer result */
  destination_link_first_leg?: Channel;
  /** Second leg of a link transfer result */
  destination_link_second_leg?: Channel;
  /** Transferer channel that survived the threeway result */
  destination_threeway_channel?: Channel;
  /** Bridge that survived the threeway result */
  destination_threeway_bridge?: Bridge;
}

/** Notification that the source of video in a bridge has changed. */
export interface BridgeVideoSourceChanged extends Event {
  type: 'BridgeVideoSourceChanged';
  bridge: Bridge;
  old_video_source_id?: string;
}

/** Notification that a channel has been created. */
export interface ChannelCreated extends Event {
  type: 'ChannelCreated';
  channel: Channel;
}

/** Notification that a channel has been destroyed. */
export interface ChannelDestroyed extends Event {
  type: 'ChannelDestroyed';
  /** Integer representation of the cause of the hangup */
  cause: number;
  /** Text representation of the cause of the hangup */
  cause_txt: string;
  /** Integer representation of the technology-specific off-nominal cause of the hangup. */
  tech_cause?: number;
  channel: Channel;
}

/** Notification that a channel has entered a bridge. */
export interface ChannelEnteredBridge extends Event {
  type: 'ChannelEnteredBridge';
  bridge: Bridge;
  channel?: Channel;
}

/** Notification that a channel has left a bridge. */
export interface ChannelLeftBridge extends Event {
  type: 'ChannelLeftBridge';
  bridge: Bridge;
  channel: Channel;
}

/** Notification of a channel's state change. */
export interface ChannelStateChange extends Event {
  type: 'ChannelStateChange';
  channel: Channel;
}

/**
 * DTMF received on a channel.
 *
 * This event is sent when the DTMF ends. There is no notification about the start of DTMF
 */
export interface ChannelDtmfReceived extends Event {
  type: 'ChannelDtmfReceived';
  /** DTMF digit received (0-9, A-E, # or *) */
  digit: string;
  /** Number of milliseconds DTMF was received */
  duration_ms: number;
  /** The channel on which DTMF was received */
  channel: Channel;
}

/** Channel changed location in the dialplan. */
export interface ChannelDialplan extends Event {
  type: 'ChannelDialplan';
  /** The channel that changed dialplan location. */
  channel: Channel;
  /** The application about to be executed. */
  dialplan_app: string;
  /** The data to be passed to the application. */
  dialplan_app_data: string;
}

/** Channel changed Caller ID. */
export interface ChannelCallerId extends Event {
  type: 'ChannelCallerId';
  /** The integer representation of the Caller Presentation value. */
  caller_presentation: number;
  /** The text representation of the Caller Presentation value. */
  caller_presentation_txt: string;
  /** The channel that changed Caller ID. */
  channel: Channel;
}

/** User-generated event with additional user-defined fields in the object. */
export interface ChannelUserevent extends Event {
  type: 'ChannelUserevent';
  /** The name of the user event. */
  eventname: string;
  /** A channel that is signaled with the user event. */
  channel?: Channel;
  /** A bridge that is signaled with the user event. */
  bridge?: Bridge;
  /** A endpoint that is signaled with the user event. */
  endpoint?: Endpoint;
  /** Custom Userevent data */
  userevent: Record<string, unknown>;
}

/** A hangup was requested on the channel. */
export interface ChannelHangupRequest extends Event {
  type: 'ChannelHangupRequest';
  /** Integer representation of the cause of the hangup. */
  cause?: number;
  /** Integer representation of the technology-specific off-nominal cause of the hangup. */
  tech_cause?: number;
  /** Whether the hangup request was a soft hangup request. */
  soft?: boolean;
  /** The channel on which the hangup was requested. */
  channel: Channel;
}

/** Channel variable changed. */
export interface ChannelVarset extends Event {
  type: 'ChannelVarset';
  /** The variable that changed. */
  variable: string;
  /** The new value of the variable. */
  value: string;
  /**
   * The channel on which the variable was set.
   *
   * If missing, the variable is a global variable.
   */
  channel?: Channel;
}

/** Tone was detected on the channel. */
export interface ChannelToneDetected extends Event {
  type: 'ChannelToneDetected';
  /** The channel the tone was detected on. */
  channel: Channel;
}

/** Talking was detected on the channel. */
export interface ChannelTalkingStarted extends Event {
  type: 'ChannelTalkingStarted';
  /** The channel on which talking started. */
  channel: Channel;
}

/** Talking is no longer detected on the channel. */
export interface ChannelTalkingFinished extends Event {
  type: 'ChannelTalkingFinished';
  /** The channel on which talking completed. */
  channel: Channel;
  /** The length of time, in milliseconds, that talking was detected on the channel */
  duration: number;
}

/** A channel initiated a media hold. */
export interface ChannelHold extends Event {
  type: 'ChannelHold';
  /** The channel that initiated the hold event. */
  channel: Channel;
  /** The music on hold class that the initiator requested. */
  musicclass?: string;
}

/** A channel initiated a media unhold. */
export interface ChannelUnhold extends Event {
  type: 'ChannelUnhold';
  /** The channel that initiated the unhold event. */
  channel: Channel;
}

/** The state of a contact on an endpoint has changed. */
export interface ContactStatusChange extends Event {
  type: 'ContactStatusChange';
  endpoint: Endpoint;
  contact_info: ContactInfo;
}

/** Endpoint state changed. */
export interface EndpointStateChange extends Event {
  type: 'EndpointStateChange';
  endpoint: Endpoint;
}

/** Dialing state has changed. */
export interface Dial extends Event {
  type: 'Dial';
  /** The calling channel. */
  caller?: Channel;
  /** The dialed channel. */
  peer: Channel;
  /** Forwarding target requested by the original dialed channel. */
  forward?: string;
  /** Channel that the caller has been forwarded to. */
  forwarded?: Channel;
  /** The dial string for calling the peer channel. */
  dialstring?: string;
  /** Current status of the dialing attempt to the peer. */
  dialstatus: string;
}

/** Notification that a channel has left a Stasis application. */
export interface StasisEnd extends Event {
  type: 'StasisEnd';
  channel: Channel;
}

/** Notification that a channel has entered a Stasis application. */
export interface StasisStart extends Event {
  type: 'StasisStart';
  /** Arguments to the application */
  args: string[];
  channel: Channel;
  replace_channel?: Channel;
}

/** A text message was received from an endpoint. */
export interface TextMessageReceived extends Event {
  type: 'TextMessageReceived';
  message: TextMessage;
  endpoint?: Endpoint;
}

/** Channel changed Connected Line. */
export interface ChannelConnectedLine extends Event {
  type: 'ChannelConnectedLine';
  /** The channel whose connected line has changed. */
  channel: Channel;
}

/** The state of a peer associated with an endpoint has changed. */
export interface PeerStatusChange extends Event {
  type: 'PeerStatusChange';
  endpoint: Endpoint;
  peer: Peer;
}

/** transfer on a channel. */
export interface ChannelTransfer extends Event {
  type: 'ChannelTransfer';
  /** Transfer State */
  state?: string;
  /** Refer-To information with optionally both affected channels */
  refer_to: ReferTo;
  /** Referred-By SIP Header according rfc3892 */
  referred_by: ReferredBy;
}

/** REST over Websocket Response. */
export interface RESTResponse extends Event {
  type: 'RESTResponse';
  /** Opaque transaction id.  Will be whatever was specified on the original request. */
  transaction_id: string;
  /** Opaque request id.  Will be whatever was specified on the original request. */
  request_id: string;
  /** HTTP status code */
  status_code: number;
  /** HTTP reason phrase */
  reason_phrase: string;
  /** Original request resource URI */
  uri: string;
  /** The Content-Type of the message body. */
  content_type?: string;
  /** Response message body */
  message_body?: string;
}

/** Notification that a channel is being broadcast to ARI applications for claiming. */
export interface CallBroadcast extends Event {
  type: 'CallBroadcast';
  /** The channel being broadcast. */
  channel: Channel;
  /** The caller ID number. */
  caller?: string;
  /** The called number. */
  called?: string;
}

/** Notification that a broadcast channel has been successfully claimed by an ARI application. */
export interface CallClaimed extends Event {
  type: 'CallClaimed';
  /** The channel that was claimed. */
  channel: Channel;
  /** The name of the ARI application that claimed the channel. */
  winner_app: string;
}

/** Every event Asterisk 22 documents, discriminated on `type`. */
export type KnownAriEvent =
  | DeviceStateChanged
  | PlaybackStarted
  | PlaybackContinuing
  | PlaybackFinished
  | RecordingStarted
  | RecordingFinished
  | RecordingFailed
  | ApplicationMoveFailed
  | ApplicationRegistered
  | ApplicationUnregistered
  | ApplicationReplaced
  | BridgeCreated
  | BridgeDestroyed
  | BridgeMerged
  | BridgeBlindTransfer
  | BridgeAttendedTransfer
  | BridgeVideoSourceChanged
  | ChannelCreated
  | ChannelDestroyed
  | ChannelEnteredBridge
  | ChannelLeftBridge
  | ChannelStateChange
  | ChannelDtmfReceived
  | ChannelDialplan
  | ChannelCallerId
  | ChannelUserevent
  | ChannelHangupRequest
  | ChannelVarset
  | ChannelToneDetected
  | ChannelTalkingStarted
  | ChannelTalkingFinished
  | ChannelHold
  | ChannelUnhold
  | ContactStatusChange
  | EndpointStateChange
  | Dial
  | StasisEnd
  | StasisStart
  | TextMessageReceived
  | ChannelConnectedLine
  | PeerStatusChange
  | ChannelTransfer
  | RESTResponse
  | CallBroadcast
  | CallClaimed;

/** The `type` of every documented event. */
export type AriEventType = KnownAriEvent['type'];

/** Every documented event type, in the order of events.json. */
export const ARI_EVENT_TYPES: readonly AriEventType[] = [
  'DeviceStateChanged',
  'PlaybackStarted',
  'PlaybackContinuing',
  'PlaybackFinished',
  'RecordingStarted',
  'RecordingFinished',
  'RecordingFailed',
  'ApplicationMoveFailed',
  'ApplicationRegistered',
  'ApplicationUnregistered',
  'ApplicationReplaced',
  'BridgeCreated',
  'BridgeDestroyed',
  'BridgeMerged',
  'BridgeBlindTransfer',
  'BridgeAttendedTransfer',
  'BridgeVideoSourceChanged',
  'ChannelCreated',
  'ChannelDestroyed',
  'ChannelEnteredBridge',
  'ChannelLeftBridge',
  'ChannelStateChange',
  'ChannelDtmfReceived',
  'ChannelDialplan',
  'ChannelCallerId',
  'ChannelUserevent',
  'ChannelHangupRequest',
  'ChannelVarset',
  'ChannelToneDetected',
  'ChannelTalkingStarted',
  'ChannelTalkingFinished',
  'ChannelHold',
  'ChannelUnhold',
  'ContactStatusChange',
  'EndpointStateChange',
  'Dial',
  'StasisEnd',
  'StasisStart',
  'TextMessageReceived',
  'ChannelConnectedLine',
  'PeerStatusChange',
  'ChannelTransfer',
  'RESTResponse',
  'CallBroadcast',
  'CallClaimed',
];

// --- Events as listeners receive them (hand-written; everything above is generated from events.json)

/**
 * The compile-time type of {@link UnknownAriEvent.type}. At run time it is the plain string Asterisk sent (say
 * `"ChannelRinging"` from a newer Asterisk); it is never rewritten.
 *
 * Why a pattern and not `string`: if the fallback member of {@link AriEvent} had `type: string`, then
 * `e.type === 'StasisStart'` could only narrow `e` to `StasisStart | UnknownAriEvent`, and `e.channel` would be
 * `unknown`. A template-literal pattern that no documented name matches keeps the fallback out of every narrowing
 * on a known name, so `switch (e.type)` and `if (e.type === ...)` give exactly the documented interface, and the
 * `default:` branch of an exhaustive switch gives `UnknownAriEvent`. To compare with a name this library does not
 * know yet, read the type as a string: `(e.type as string) === 'ChannelRinging'`.
 */
export type UnknownAriEventType = `${string} (not documented by Asterisk 22)`;

/**
 * An event whose `type` is not in {@link ARI_EVENT_TYPES} (a newer Asterisk, a third-party module). It is passed
 * through exactly as decoded; its other fields are `unknown` and must be checked before use.
 */
export interface UnknownAriEvent extends Event {
  type: UnknownAriEventType;
  readonly [field: string]: unknown;
}

/**
 * What event listeners receive: every documented event, discriminated on `type`, plus {@link UnknownAriEvent}
 * for the rest.
 *
 * ```ts
 * socket.onEvent((e) => {
 *   switch (e.type) {
 *     case 'StasisStart': e.channel.id; break;           // e: StasisStart
 *     case 'ChannelDtmfReceived': e.digit; break;         // e: ChannelDtmfReceived
 *   }
 *   if (!isKnownEvent(e)) log((e.type as string));        // e: UnknownAriEvent
 * });
 * ```
 */
export type AriEvent = KnownAriEvent | UnknownAriEvent;

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(ARI_EVENT_TYPES);

/** True when `type` is an event type Asterisk 22 documents (one of {@link ARI_EVENT_TYPES}). */
export function isKnownEventType(type: string): type is AriEventType {
  return KNOWN_EVENT_TYPES.has(type);
}

/** True when `event` is one of the documented events; `false` narrows it to {@link UnknownAriEvent}. */
export function isKnownEvent(event: AriEvent): event is KnownAriEvent {
  return KNOWN_EVENT_TYPES.has(event.type);
}

/**
 * Decodes one WebSocket text frame into an event, with a single `JSON.parse` and no copy: the returned object is
 * the parsed one.
 *
 * Only the envelope is checked (a JSON object with a string `type`); the fields of each event are trusted to match
 * events.json, which the conformance tests check against real Asterisk traces.
 *
 * @throws {AriProtocolError} when the frame is not JSON, not a JSON object, or has no string `type`.
 */
export function decodeAriEvent(text: string): AriEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AriProtocolError(`ARI event frame is not JSON: ${preview(text)}`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AriProtocolError(`ARI event frame is not a JSON object: ${preview(text)}`);
  }
  if (typeof (value as { type?: unknown }).type !== 'string') {
    throw new AriProtocolError(`ARI event frame has no string "type": ${preview(text)}`);
  }
  return value as AriEvent;
}

function preview(text: string): string {
  return text.length > 120 ? `${JSON.stringify(text.slice(0, 120))}... (${text.length} chars)` : JSON.stringify(text);
}
