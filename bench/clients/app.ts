// What each benchmarked client is: a Stasis application running the same voicemail session, started against an
// ARI server. The session is the one the library's voicemail call makes when configured minimal (see
// bench/clients/ours.ts), so that all three clients send the same REST requests for the same events:
//
//   StasisStart          -> POST answer, POST play (greeting: a stored recording that does not exist, so it ends at once)
//   PlaybackFinished     -> POST record (wav, beep, ifExists=fail, no time or silence limit, terminateOn=none)
//   ChannelDtmfReceived # -> POST /recordings/live/{name}/stop
//   RecordingFinished    -> GET the stored recording, PUT the mailbox's MWI counts, POST play (goodbye: missing, ends at once)
//   PlaybackFinished     -> POST variable VMSTATUS=SUCCESS, DELETE the channel
//   StasisEnd            -> the call is complete

/** Where and as whom a client connects. */
export interface AppTarget {
  /** The ARI server's origin, e.g. `http://127.0.0.1:8088`. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** The Stasis application the calls enter. */
  readonly app: string;
}

/** A running client. */
export interface BenchApp {
  /** Calls that entered the application and have not left it. */
  active(): number;
  /** Calls that left the application (StasisEnd). */
  completed(): number;
  /** Disconnects; resolves once sockets are closed. */
  close(): Promise<void>;
}

export type AppStarter = (target: AppTarget) => Promise<BenchApp>;

/** The mailbox every benchmark call leaves its message in. */
export const BENCH_MAILBOX = { mailbox: '305', context: 'default' } as const;
/** Greeting and goodbye media: absent, so each playback is one round trip that ends at once (`state: failed`). */
export const GREETING_MEDIA = 'recording:bench/no-greeting';
export const GOODBYE_MEDIA = 'sound:bench-no-goodbye';

/** The recording name the hand-written clients use for the call on `channelId`. */
export function recordingNameFor(channelId: string): string {
  return `voicemail/default/305/${channelId}`;
}
