// `ari-voicemail/simulator`: an ARI server that behaves like Asterisk 22, on loopback, for tests and demos.

import type { Bridge, Channel, LiveRecording, Mailbox, Playback } from '../ari/models.js';
import { encodeWav } from '../recording/wav.js';
import { Broadcasts } from './broadcast.js';
import { createManualClock, createRealClock, type SimClock } from './clock.js';
import { Dialplan } from './dialplan.js';
import { Engine } from './engine.js';
import { FaultState, type SimFaults } from './faults.js';
import { bridgeJson, channelJson, playbackJson, recordingJson } from './model.js';
import { resolveOptions, type SimulatorOptions } from './options.js';
import { Playbacks } from './playback.js';
import { Recordings } from './recording.js';
import { SimServer } from './server.js';
import { SoundLibrary } from './sounds.js';

// One WAV implementation serves the library and the simulator (the main entry exports the same functions).
export { encodeWav, type ParsedWav, parseWav, WavFormatError } from '../recording/wav.js';
export type { RunUntilOptions, SimClock, SimTimer } from './clock.js';
export { DEFAULT_DIALPLAN, type DialplanEntry } from './dialplan.js';
export {
  createFarEnd,
  type FarEnd,
  type FarEndCall,
  type FarEndCallOptions,
  type FarEndClock,
  type FarEndEvent,
  type FarEndOptions,
} from './far-end.js';
export type { DelayRule, FailRule, RequestMatcher, SimFaults } from './faults.js';
export type { SimulatorOptions } from './options.js';
export { PROMPT_SAMPLES } from './prompts.js';
export { DEFAULT_SOUND_DIRS } from './sounds.js';

/** The version `GET /asterisk/info` reports. */
export const SIMULATED_ASTERISK_VERSION = '22.10.1';

/** A stored recording as the simulator holds it. */
export interface SimStoredRecording {
  name: string;
  format: string;
  /** Length of the audio in milliseconds (8 kHz samples / 8). */
  durationMs: number;
}

/** Counts of what the simulator holds now. */
export interface SimCounts {
  channels: number;
  bridges: number;
  playbacks: number;
  liveRecordings: number;
  storedRecordings: number;
  sockets: number;
  timers: number;
}

/** A running simulator. */
export interface Simulator {
  /** HTTP base, e.g. `http://127.0.0.1:40123` (ARI is under `/ari`, events at `ws://.../ari/events`). */
  readonly url: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** The clock every simulated duration runs on. */
  readonly clock: SimClock;
  readonly faults: SimFaults;
  /** Apps with a connected event socket. */
  apps(): string[];
  channels(): Channel[];
  bridges(): Bridge[];
  playbacks(): Playback[];
  liveRecordings(): LiveRecording[];
  storedRecordings(): SimStoredRecording[];
  /** The WAV bytes a stored recording has (what `GET /recordings/stored/{name}/file` answers), or undefined. */
  storedRecordingFile(name: string): Buffer | undefined;
  mailboxes(): Mailbox[];
  counts(): SimCounts;
  /** Stops everything: sockets, server, timers. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a simulated Asterisk 22 ARI server (HTTP + WebSocket) on loopback.
 * @throws TypeError for a bad option (naming it); rejects when the port cannot be bound.
 */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const o = resolveOptions(options);
  const dialplan = new Dialplan(o.dialplan);
  const clock = o.clock === 'manual' ? createManualClock() : createRealClock();
  const sounds = new SoundLibrary(o.soundDirs, o.soundFiles, o.soundBuiltin);
  let server!: SimServer;
  const engine = new Engine({
    clock,
    dialplan,
    sounds,
    asteriskId: o.asteriskId,
    logger: o.logger,
    deliver: (app, event) => {
      clock.noteActivity();
      server.apps.deliver(app, event);
    },
    isRegistered: (app) => server.apps.byApp.has(app),
    subscribeAll: () => server.apps.subscribeAll,
  });
  const broadcasts = new Broadcasts(engine, o.broadcastModules, () => [...server.apps.byApp.keys()].sort());
  engine.shareCall = (ch, entry, exten) => broadcasts.run(ch, entry, exten);
  engine.channelGone = (ch) => broadcasts.channelGone(ch);
  const playbacks = new Playbacks(engine);
  const recordings = new Recordings(engine, playbacks);
  engine.teardownMedia = (ch) => {
    const waiting = ch.queue.waiting;
    ch.queue.waiting = [];
    // In queue order (the playing one fails first, then what waited behind it), then any recording left.
    engine.abortQueue(ch.queue);
    for (const op of waiting) op.abort();
    recordings.teardown({ kind: 'channel', channel: ch });
  };
  engine.bridgeEmptied = (br) => engine.abortQueue(br.queue);
  const faults = new FaultState(clock, {
    dropSockets: (app) => server.dropSockets(app),
    malformed: (app) => server.malformed(app),
    stopListening: () => server.stopListening(),
    listenAgain: () => server.listen(server.port),
  });
  server = new SimServer({
    host: o.host,
    port: o.port,
    username: o.username,
    password: o.password,
    users: o.users,
    clock,
    logger: o.logger,
    faults: () => faults,
    handlers: {
      engine,
      broadcasts,
      playbacks,
      recordings,
      registeredApps: () => [...server.apps.byApp.keys()].sort(),
      version: SIMULATED_ASTERISK_VERSION,
    },
  });
  await server.listen();
  let closed: Promise<void> | undefined;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port,
    username: o.username,
    password: o.password,
    clock,
    faults,
    apps: () => [...server.apps.byApp.keys()].sort(),
    channels: () => [...engine.channels.values()].map(channelJson),
    bridges: () => [...engine.bridges.values()].map(bridgeJson),
    playbacks: () => [...engine.playbacks.values()].map((p) => playbackJson(p)),
    liveRecordings: () => [...engine.live.values()].map((r) => recordingJson(r)),
    storedRecordings: () =>
      [...engine.stored.values()].map((s) => ({
        name: s.name,
        format: s.format,
        durationMs: (recordings.samplesOf(s.name)?.length ?? 0) / 8,
      })),
    storedRecordingFile: (name) => {
      const samples = recordings.samplesOf(name);
      if (!samples) return undefined;
      const wav = encodeWav(samples);
      return Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
    },
    mailboxes: () => [...engine.mailboxes].map(([name, m]) => ({ name, old_messages: m.old, new_messages: m.new })),
    counts: () => ({
      channels: engine.channels.size,
      bridges: engine.bridges.size,
      playbacks: engine.playbacks.size,
      liveRecordings: engine.live.size,
      storedRecordings: engine.stored.size,
      sockets: server.apps.sockets.size,
      timers: clock.pending(),
    }),
    close() {
      closed ??= (async () => {
        faults.clear();
        clock.dispose();
        await server.close();
      })();
      return closed;
    },
  };
}
