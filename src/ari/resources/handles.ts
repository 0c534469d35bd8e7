// Handles: a resource's operations with its id already filled in (`client.channel(id).answer()`). Thin on purpose:
// each method is one call of the resource API, with the same parameters (minus the id), errors and results.

import type { Bridge, Channel, LiveRecording, Playback, StoredRecording, Variable } from '../models.js';
import type {
  BridgesAddChannelParams,
  BridgesPlayWithIdParams,
  BridgesRecordParams,
  BridgesRemoveChannelParams,
  CallOptions,
  ChannelsContinueInDialplanParams,
  ChannelsHangupParams,
  ChannelsMuteParams,
  ChannelsPlayWithIdParams,
  ChannelsRecordParams,
  ChannelsSendDTMFParams,
  ChannelsSetChannelVarParams,
  PlaybacksControlParams,
} from '../operations.js';
import type { AriFileStream } from '../transport/http.js';
import type { ClientResources } from './build.js';

/** The resources handles call into. */
export type HandleResources = ClientResources;

/** `client.channel(id)`: the operations of one channel. */
export class ChannelHandle {
  /** @internal The client makes handles (`client.channel(id)`, ...). */
  constructor(
    private readonly api: HandleResources,
    /** The channel's id. */
    readonly id: string,
  ) {}

  /** `channels.get` */
  get(options?: CallOptions): Promise<Channel> {
    return this.api.channels.get({ channelId: this.id }, options);
  }
  /** `channels.answer` */
  answer(options?: CallOptions): Promise<void> {
    return this.api.channels.answer({ channelId: this.id }, options);
  }
  /** `channels.hangup` */
  hangup(params?: Omit<ChannelsHangupParams, 'channelId'>, options?: CallOptions): Promise<void> {
    return this.api.channels.hangup({ ...params, channelId: this.id }, options);
  }
  /** `channels.ring` */
  ring(options?: CallOptions): Promise<void> {
    return this.api.channels.ring({ channelId: this.id }, options);
  }
  /** `channels.continueInDialplan` */
  continueInDialplan(
    params?: Omit<ChannelsContinueInDialplanParams, 'channelId'>,
    options?: CallOptions,
  ): Promise<void> {
    return this.api.channels.continueInDialplan({ ...params, channelId: this.id }, options);
  }
  /**
   * `channels.playWithId`: choose the `playbackId` (see `newPlaybackId()`) and route it before calling, since
   * `PlaybackStarted` may come before the answer.
   */
  play(params: Omit<ChannelsPlayWithIdParams, 'channelId'>, options?: CallOptions): Promise<Playback> {
    return this.api.channels.playWithId({ ...params, channelId: this.id }, options);
  }
  /** `channels.record`: route the recording `name` before calling. */
  record(params: Omit<ChannelsRecordParams, 'channelId'>, options?: CallOptions): Promise<LiveRecording> {
    return this.api.channels.record({ ...params, channelId: this.id }, options);
  }
  /** `channels.sendDTMF` */
  sendDTMF(params: Omit<ChannelsSendDTMFParams, 'channelId'>, options?: CallOptions): Promise<void> {
    return this.api.channels.sendDTMF({ ...params, channelId: this.id }, options);
  }
  /** `channels.mute` */
  mute(params?: Omit<ChannelsMuteParams, 'channelId'>, options?: CallOptions): Promise<void> {
    return this.api.channels.mute({ ...params, channelId: this.id }, options);
  }
  /** `channels.unmute` */
  unmute(params?: Omit<ChannelsMuteParams, 'channelId'>, options?: CallOptions): Promise<void> {
    return this.api.channels.unmute({ ...params, channelId: this.id }, options);
  }
  /** `channels.startSilence` */
  startSilence(options?: CallOptions): Promise<void> {
    return this.api.channels.startSilence({ channelId: this.id }, options);
  }
  /** `channels.stopSilence` */
  stopSilence(options?: CallOptions): Promise<void> {
    return this.api.channels.stopSilence({ channelId: this.id }, options);
  }
  /** `channels.getChannelVar` */
  getVar(variable: string, options?: CallOptions): Promise<Variable> {
    return this.api.channels.getChannelVar({ channelId: this.id, variable }, options);
  }
  /** `channels.setChannelVar` */
  setVar(params: Omit<ChannelsSetChannelVarParams, 'channelId'>, options?: CallOptions): Promise<void> {
    return this.api.channels.setChannelVar({ ...params, channelId: this.id }, options);
  }
}

/** `client.bridge(id)`: the operations of one bridge. */
export class BridgeHandle {
  /** @internal The client makes handles (`client.channel(id)`, ...). */
  constructor(
    private readonly api: HandleResources,
    /** The bridge's id. */
    readonly id: string,
  ) {}

  /** `bridges.get` */
  get(options?: CallOptions): Promise<Bridge> {
    return this.api.bridges.get({ bridgeId: this.id }, options);
  }
  /** `bridges.destroy` */
  destroy(options?: CallOptions): Promise<void> {
    return this.api.bridges.destroy({ bridgeId: this.id }, options);
  }
  /** `bridges.addChannel` */
  addChannel(params: Omit<BridgesAddChannelParams, 'bridgeId'>, options?: CallOptions): Promise<void> {
    return this.api.bridges.addChannel({ ...params, bridgeId: this.id }, options);
  }
  /** `bridges.removeChannel` */
  removeChannel(params: Omit<BridgesRemoveChannelParams, 'bridgeId'>, options?: CallOptions): Promise<void> {
    return this.api.bridges.removeChannel({ ...params, bridgeId: this.id }, options);
  }
  /** `bridges.playWithId`: route the `playbackId` before calling. */
  play(params: Omit<BridgesPlayWithIdParams, 'bridgeId'>, options?: CallOptions): Promise<Playback> {
    return this.api.bridges.playWithId({ ...params, bridgeId: this.id }, options);
  }
  /** `bridges.record`: route the recording `name` before calling. */
  record(params: Omit<BridgesRecordParams, 'bridgeId'>, options?: CallOptions): Promise<LiveRecording> {
    return this.api.bridges.record({ ...params, bridgeId: this.id }, options);
  }
}

/** `client.playback(id)`: the operations of one playback. */
export class PlaybackHandle {
  /** @internal The client makes handles (`client.channel(id)`, ...). */
  constructor(
    private readonly api: HandleResources,
    /** The playback's id. */
    readonly id: string,
  ) {}

  /** `playbacks.get` */
  get(options?: CallOptions): Promise<Playback> {
    return this.api.playbacks.get({ playbackId: this.id }, options);
  }
  /** `playbacks.stop` */
  stop(options?: CallOptions): Promise<void> {
    return this.api.playbacks.stop({ playbackId: this.id }, options);
  }
  /** `playbacks.control` */
  control(operation: PlaybacksControlParams['operation'], options?: CallOptions): Promise<void> {
    return this.api.playbacks.control({ playbackId: this.id, operation }, options);
  }
}

/** `client.recording(name)`: the operations of one recording, live or stored. */
export class RecordingHandle {
  /** @internal The client makes handles (`client.channel(id)`, ...). */
  constructor(
    private readonly api: HandleResources,
    /** The recording's name (`voicemail/305/INBOX/msg1`). */
    readonly name: string,
  ) {}

  /** `recordings.stop`: stop the live recording and store it. */
  stop(options?: CallOptions): Promise<void> {
    return this.api.recordings.stop({ recordingName: this.name }, options);
  }
  /** `recordings.cancel`: stop the live recording and discard it (check `getStored()` to be sure it is gone). */
  cancel(options?: CallOptions): Promise<void> {
    return this.api.recordings.cancel({ recordingName: this.name }, options);
  }
  /** `recordings.pause` */
  pause(options?: CallOptions): Promise<void> {
    return this.api.recordings.pause({ recordingName: this.name }, options);
  }
  /** `recordings.unpause` */
  unpause(options?: CallOptions): Promise<void> {
    return this.api.recordings.unpause({ recordingName: this.name }, options);
  }
  /** `recordings.mute` */
  mute(options?: CallOptions): Promise<void> {
    return this.api.recordings.mute({ recordingName: this.name }, options);
  }
  /** `recordings.unmute` */
  unmute(options?: CallOptions): Promise<void> {
    return this.api.recordings.unmute({ recordingName: this.name }, options);
  }
  /** `recordings.getLive` */
  getLive(options?: CallOptions): Promise<LiveRecording> {
    return this.api.recordings.getLive({ recordingName: this.name }, options);
  }
  /** `recordings.getStored` */
  getStored(options?: CallOptions): Promise<StoredRecording> {
    return this.api.recordings.getStored({ recordingName: this.name }, options);
  }
  /** `recordings.deleteStored` */
  deleteStored(options?: CallOptions): Promise<void> {
    return this.api.recordings.deleteStored({ recordingName: this.name }, options);
  }
  /** `recordings.getStoredFile`: the bytes of the stored recording. */
  file(options?: CallOptions): Promise<AriFileStream> {
    return this.api.recordings.getStoredFile({ recordingName: this.name }, options);
  }
  /** `recordings.copyStored` */
  copyTo(destinationRecordingName: string, options?: CallOptions): Promise<StoredRecording> {
    return this.api.recordings.copyStored({ recordingName: this.name, destinationRecordingName }, options);
  }
}
