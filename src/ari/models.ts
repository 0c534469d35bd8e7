// ARI models of Asterisk 22 (api-docs, Swagger 1.2). Wire names are kept as Asterisk sends them.
// Kept in step with Asterisk's api-docs by test/ari/conformance.test.ts.

// --- asterisk

/** Info about how Asterisk was built */
export interface BuildInfo {
  /** OS Asterisk was built on. */
  os: string;
  /** Kernel version Asterisk was built on. */
  kernel: string;
  /** Compile time options, or empty string if default. */
  options: string;
  /** Machine architecture (x86_64, i686, ppc, etc.) */
  machine: string;
  /** Date and time when Asterisk was built. */
  date: string;
  /** Username that build Asterisk */
  user: string;
}

/** Info about Asterisk */
export interface SystemInfo {
  /** Asterisk version. */
  version: string;
  entity_id: string;
}

/** Effective user/group id */
export interface SetId {
  /** Effective user id. */
  user: string;
  /** Effective group id. */
  group: string;
}

/** Info about Asterisk configuration */
export interface ConfigInfo {
  /** Asterisk system name. */
  name: string;
  /** Default language for media playback. */
  default_language: string;
  /** Maximum number of simultaneous channels. */
  max_channels?: number;
  /** Maximum number of open file handles (files, sockets). */
  max_open_files?: number;
  /** Maximum load avg on system. */
  max_load?: number;
  /** Effective user/group id for running Asterisk. */
  setid: SetId;
}

/** Info about Asterisk status */
export interface StatusInfo {
  /** Time when Asterisk was started. */
  startup_time: string;
  /** Time when Asterisk was last reloaded. */
  last_reload_time: string;
}

/** Asterisk system information */
export interface AsteriskInfo {
  /** Info about how Asterisk was built */
  build?: BuildInfo;
  /** Info about the system running Asterisk */
  system?: SystemInfo;
  /** Info about Asterisk configuration */
  config?: ConfigInfo;
  /** Info about Asterisk status */
  status?: StatusInfo;
}

/** Asterisk ping information */
export interface AsteriskPing {
  /** Asterisk id info */
  asterisk_id: string;
  /** Always string value is pong */
  ping: string;
  /** The timestamp string of request received time */
  timestamp: string;
}

/** Details of an Asterisk module */
export interface Module {
  /** The name of this module */
  name: string;
  /** The description of this module */
  description: string;
  /** The number of times this module is being used */
  use_count: number;
  /** The running status of this module */
  status: string;
  /** The support state of this module */
  support_level: string;
}

/** Details of an Asterisk log channel */
export interface LogChannel {
  /** The log channel path */
  channel: string;
  /** Types of logs for the log channel */
  type: string;
  /** Whether or not a log type is enabled */
  status: string;
  /** The various log levels */
  configuration: string;
}

/** The value of a channel variable */
export interface Variable {
  /** The value of the variable requested */
  value: string;
}

/** A dictionary of channel variables */
export interface Variables {
  /** A dictionary of channel variables */
  variables: Record<string, unknown>;
}

/** A key/value pair that makes up part of a configuration object. */
export interface ConfigTuple {
  /** A configuration object attribute. */
  attribute: string;
  /** The value for the attribute. */
  value: string;
}

// --- endpoints

/**
 * An external device that may offer/accept calls to/from Asterisk.
 *
 * Unlike most resources, which have a single unique identifier, an endpoint is uniquely identified by the technology/resource pair.
 */
export interface Endpoint {
  /** Technology of the endpoint */
  technology: string;
  /** Identifier of the endpoint, specific to the given technology. */
  resource: string;
  /** Endpoint's state */
  state?: 'unknown' | 'offline' | 'online';
  /** Id's of channels associated with this endpoint */
  channel_ids: string[];
}

/** A text message. */
export interface TextMessage {
  /** A technology specific URI specifying the source of the message. For pjsip technology, any SIP URI can be specified. For xmpp, the URI must correspond to the client connection being used to send the message. */
  from: string;
  /** A technology specific URI specifying the destination of the message. Valid technologies include pjsip, and xmp. The destination of a message should be an endpoint. */
  to: string;
  /** The text of the message. */
  body: string;
  /** Technology specific key/value pairs (JSON object) associated with the message. */
  variables?: Record<string, unknown>;
}

// --- channels

/** Dialed channel information. */
export type Dialed = {};

/** Dialplan location (context/extension/priority) */
export interface DialplanCEP {
  /** Context in the dialplan */
  context: string;
  /** Extension in the dialplan */
  exten: string;
  /** Priority in the dialplan */
  priority: number;
  /** Name of current dialplan application */
  app_name: string;
  /** Parameter of current dialplan application */
  app_data: string;
}

/** Caller identification */
export interface CallerID {
  name: string;
  number: string;
}

/** A statistics of a RTP. */
export interface RTPstat {
  /** Number of packets transmitted. */
  txcount: number;
  /** Number of packets received. */
  rxcount: number;
  /** Jitter on transmitted packets. */
  txjitter?: number;
  /** Jitter on received packets. */
  rxjitter?: number;
  /** Maximum jitter on remote side. */
  remote_maxjitter?: number;
  /** Minimum jitter on remote side. */
  remote_minjitter?: number;
  /** Average jitter on remote side. */
  remote_normdevjitter?: number;
  /** Standard deviation jitter on remote side. */
  remote_stdevjitter?: number;
  /** Maximum jitter on local side. */
  local_maxjitter?: number;
  /** Minimum jitter on local side. */
  local_minjitter?: number;
  /** Average jitter on local side. */
  local_normdevjitter?: number;
  /** Standard deviation jitter on local side. */
  local_stdevjitter?: number;
  /** Number of transmitted packets lost. */
  txploss: number;
  /** Number of received packets lost. */
  rxploss: number;
  /** Maximum number of packets lost on remote side. */
  remote_maxrxploss?: number;
  /** Minimum number of packets lost on remote side. */
  remote_minrxploss?: number;
  /** Average number of packets lost on remote side. */
  remote_normdevrxploss?: number;
  /** Standard deviation packets lost on remote side. */
  remote_stdevrxploss?: number;
  /** Maximum number of packets lost on local side. */
  local_maxrxploss?: number;
  /** Minimum number of packets lost on local side. */
  local_minrxploss?: number;
  /** Average number of packets lost on local side. */
  local_normdevrxploss?: number;
  /** Standard deviation packets lost on local side. */
  local_stdevrxploss?: number;
  /** Total round trip time. */
  rtt?: number;
  /** Maximum round trip time. */
  maxrtt?: number;
  /** Minimum round trip time. */
  minrtt?: number;
  /** Average round trip time. */
  normdevrtt?: number;
  /** Standard deviation round trip time. */
  stdevrtt?: number;
  /** Our SSRC. */
  local_ssrc: number;
  /** Their SSRC. */
  remote_ssrc: number;
  /** Number of octets transmitted. */
  txoctetcount: number;
  /** Number of octets received. */
  rxoctetcount: number;
  /** The Asterisk channel's unique ID that owns this instance. */
  channel_uniqueid: string;
}

/** A specific communication connection between Asterisk and an Endpoint. */
export interface Channel {
  /**
   * Unique identifier of the channel.
   *
   * This is the same as the Uniqueid field in AMI.
   */
  id: string;
  /** Protocol id from underlying channel driver (i.e. Call-ID for chan_pjsip; will be empty if not applicable or not implemented by driver). */
  protocol_id: string;
  /** Name of the channel (i.e. SIP/foo-0000a7e3) */
  name: string;
  state:
    | 'Down'
    | 'Rsrved'
    | 'OffHook'
    | 'Dialing'
    | 'Ring'
    | 'Ringing'
    | 'Up'
    | 'Busy'
    | 'Dialing Offhook'
    | 'Pre-ring'
    | 'Unknown';
  caller: CallerID;
  connected: CallerID;
  accountcode: string;
  /** Current location in the dialplan */
  dialplan: DialplanCEP;
  /** Timestamp when channel was created */
  creationtime: string;
  /** The default spoken language */
  language: string;
  /** Channel variables */
  channelvars?: Record<string, unknown>;
  /** The Caller ID RDNIS */
  caller_rdnis?: string;
  /** The Tenant ID for the channel */
  tenantid?: string;
}

// --- bridges

/**
 * The merging of media from one or more channels.
 *
 * Everyone on the bridge receives the same audio.
 */
export interface Bridge {
  /** Unique identifier for this bridge */
  id: string;
  /** Name of the current bridging technology */
  technology: string;
  /** Type of bridge technology */
  bridge_type: 'mixing' | 'holding';
  /** Bridging class */
  bridge_class: string;
  /** Entity that created the bridge */
  creator: string;
  /** Name the creator gave the bridge */
  name: string;
  /** Ids of channels participating in this bridge */
  channels: string[];
  /** The video mode the bridge is using. One of 'none', 'talker', 'sfu', or 'single'. */
  video_mode?: string;
  /** The ID of the channel that is the source of video in this bridge, if one exists. */
  video_source_id?: string;
  /** Timestamp when bridge was created */
  creationtime: string;
  /** Bridge variables */
  bridgevars?: Record<string, unknown>;
}

// --- recordings

/** A past recording that may be played back. */
export interface StoredRecording {
  name: string;
  format: string;
}

/** A recording that is in progress */
export interface LiveRecording {
  /** Base name for the recording */
  name: string;
  /** Recording format (wav, gsm, etc.) */
  format: string;
  /** URI for the channel or bridge being recorded */
  target_uri: string;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  /** Duration in seconds of the recording */
  duration?: number;
  /** Duration of talking, in seconds, detected in the recording. This is only available if the recording was initiated with a non-zero maxSilenceSeconds. */
  talking_duration?: number;
  /** Duration of silence, in seconds, detected in the recording. This is only available if the recording was initiated with a non-zero maxSilenceSeconds. */
  silence_duration?: number;
  /** Cause for recording failure if failed */
  cause?: string;
}

// --- sounds

/** Identifies the format and language of a sound file */
export interface FormatLangPair {
  language: string;
  format: string;
}

/** A media file that may be played back. */
export interface Sound {
  /** Sound's identifier. */
  id: string;
  /** Text description of the sound, usually the words spoken. */
  text?: string;
  /** The formats and languages in which this sound is available. */
  formats: FormatLangPair[];
}

// --- playbacks

/** Object representing the playback of media to a channel */
export interface Playback {
  /** ID for this playback operation */
  id: string;
  /** The URI for the media currently being played back. */
  media_uri: string;
  /** If a list of URIs is being played, the next media URI to be played back. */
  next_media_uri?: string;
  /** URI for the channel or bridge to play the media on */
  target_uri: string;
  /** For media types that support multiple languages, the language requested for playback. */
  language?: string;
  /** Current state of the playback operation. */
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

// --- deviceStates

/** Represents the state of a device. */
export interface DeviceState {
  /** Name of the device. */
  name: string;
  /** Device's state */
  state: 'UNKNOWN' | 'NOT_INUSE' | 'INUSE' | 'BUSY' | 'INVALID' | 'UNAVAILABLE' | 'RINGING' | 'RINGINUSE' | 'ONHOLD';
}

// --- mailboxes

/** Represents the state of a mailbox. */
export interface Mailbox {
  /** Name of the mailbox. */
  name: string;
  /** Count of old messages in the mailbox. */
  old_messages: number;
  /** Count of new messages in the mailbox. */
  new_messages: number;
}

// --- applications

/** Details of a Stasis application */
export interface Application {
  /** Name of this application */
  name: string;
  /** Id's for channels subscribed to. */
  channel_ids: string[];
  /** Id's for bridges subscribed to. */
  bridge_ids: string[];
  /** {tech}/{resource} for endpoints subscribed to. */
  endpoint_ids: string[];
  /** Names of the devices subscribed to. */
  device_names: string[];
  /** Event types sent to the application. */
  events_allowed: Array<Record<string, unknown>>;
  /** Event types not sent to the application. */
  events_disallowed: Array<Record<string, unknown>>;
}
