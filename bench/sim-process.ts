// The simulator's process: `createSimulator()` plus the driver of the benchmark's calls and the timing of
// DTMF -> stop. Started by bench/run.ts; answers `start`, `run`, `steady`, `park`, `release` and `stats`
// (bench/protocol.ts).
//
// The driver is ARI-only, over loopback, as the real-Asterisk traces were made: it subscribes to the app
// `caller`, originates `Local/305@bench` into it with its own channel ids (the callee half runs the dialplan and
// enters `vm-record` with the argument `s305`), sees the callee's `RecordingStarted` being written to the client's
// socket, sends `#` from the caller half and counts the call complete at the callee's
// `ChannelDestroyed`.

import { type IncomingMessage, Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { createSimulator, DEFAULT_DIALPLAN, encodeWav, type Simulator } from '../src/simulator/index.js';
import { AppSockets } from '../src/simulator/server.js';
import { processStats, serve } from './ipc.js';
import type { ParkArgs, ParkResult, ReleaseResult, RunArgs, RunResult, SteadyArgs } from './protocol.js';

const CLIENT_APP = 'vm-record';
const DRIVER_APP = 'caller';

interface DriverCall {
  readonly n: number;
  readonly caller: string;
  readonly callee: string;
  readonly park: boolean;
  recording?: string;
  dtmfAt?: number;
  done: boolean;
}

// --- Timing hooks, installed before the simulator starts. Both wrap, never change, what the simulator does.

const calleeCalls = new Map<string, DriverCall>();
const recordingCalls = new Map<string, DriverCall>();
let latencies: number[] = [];

// The moment the simulator writes RecordingStarted (the driver's cue for `#`) and ChannelDtmfReceived (the start
// of DTMF -> stop) to the client's socket.
const deliver = AppSockets.prototype.deliver;
AppSockets.prototype.deliver = function (this: AppSockets, app: string, event: Record<string, unknown>) {
  deliver.call(this, app, event);
  if (app !== CLIENT_APP) return;
  if (event.type === 'ChannelDtmfReceived') {
    const call = calleeCalls.get((event.channel as { id: string }).id);
    if (call && call.dtmfAt === undefined) call.dtmfAt = performance.now();
  } else if (event.type === 'RecordingStarted') {
    const recording = event.recording as { name: string; target_uri: string };
    const call = calleeCalls.get(recording.target_uri.replace(/^channel:/, ''));
    if (!call || call.recording) return;
    call.recording = recording.name;
    recordingCalls.set(call.recording, call);
    onRecording?.(call);
  }
};

// The moment the simulator receives the stop request.
const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'request') {
    const [req] = args as [IncomingMessage];
    const url = req.url ?? '';
    if (req.method === 'POST' && url.startsWith('/ari/recordings/live/')) {
      const name = /^\/ari\/recordings\/live\/([^/?]+)\/stop(?:\?|$)/.exec(url)?.[1];
      const call = name === undefined ? undefined : recordingCalls.get(decodeURIComponent(name));
      if (call?.dtmfAt !== undefined) latencies.push(performance.now() - call.dtmfAt);
    }
  }
  return Reflect.apply(emit, this, [event, ...args]) as boolean;
} as typeof Server.prototype.emit;

// --- The simulator and the driver.

let sim: Simulator | undefined;
let driver: WebSocket | undefined;
let http: Agent | undefined;
let nextCall = 0;
let parked: DriverCall[] = [];
let onCompleted: ((call: DriverCall) => void) | undefined;
let onRecording: ((call: DriverCall) => void) | undefined;

async function ari(method: string, path: string): Promise<number> {
  if (!sim || !http) throw new Error('not started');
  const auth = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
  const res = await request(`${sim.url}/ari${path}`, {
    method: method as 'GET',
    headers: { authorization: `Basic ${auth}` },
    dispatcher: http,
  });
  await res.body.dump();
  return res.statusCode;
}

function onDriverEvent(data: WebSocket.RawData): void {
  const event = JSON.parse(data.toString());
  if (event.application !== DRIVER_APP) return;
  if (event.type === 'ChannelDestroyed') {
    const call = calleeCalls.get(event.channel.id);
    if (!call || call.done) return;
    call.done = true;
    calleeCalls.delete(call.callee);
    if (call.recording) recordingCalls.delete(call.recording);
    onCompleted?.(call);
  }
}

function originate(park: boolean): DriverCall {
  const n = nextCall++;
  const call: DriverCall = { n, caller: `bench-${n}-1`, callee: `bench-${n}-2`, park, done: false };
  calleeCalls.set(call.callee, call);
  const query = `endpoint=${encodeURIComponent('Local/305@bench')}&app=${DRIVER_APP}&channelId=${call.caller}&otherChannelId=${call.callee}`;
  ari('POST', `/channels?${query}`).then(
    (status) => {
      if (status >= 300) throw new Error(`originate answered ${status}`);
    },
    (error) => process.stderr.write(`[sim] originate failed: ${error}\n`),
  );
  return call;
}

function pressHash(call: DriverCall): void {
  ari('POST', `/channels/${call.caller}/dtmf?dtmf=${encodeURIComponent('#')}&duration=1`).catch((error) =>
    process.stderr.write(`[sim] dtmf failed: ${error}\n`),
  );
}

function withTimeout<T>(timeoutMs: number, work: (finish: (value: T) => void) => void, onTimeout: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(onTimeout()), timeoutMs);
    work((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/**
 * Originates `count` calls at `ratePerSecond`, on schedule whatever the client does (a call due is started even
 * when earlier ones are not done), and stops once all are started. Returns a function that stops it early.
 */
function arrivals(count: number, ratePerSecond: number, start: () => void): () => void {
  const t0 = performance.now();
  let started = 0;
  const tick = () => {
    const due = Math.min(count, Math.floor(((performance.now() - t0) * ratePerSecond) / 1000) + 1);
    for (; started < due; started++) start();
    if (started === count) clearInterval(timer);
  };
  const timer = setInterval(tick, 1);
  tick();
  return () => clearInterval(timer);
}

serve(
  {
    start: async () => {
      sim = await createSimulator({
        clock: 'real',
        dialplan: [
          ...DEFAULT_DIALPLAN,
          {
            context: 'bench',
            exten: '_3XX',
            stasis: CLIENT_APP,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the simulator's dialplan variable, not a template.
            args: ['s${EXTEN}'],
          },
        ],
        // A 1 ms beep and 1 ms DTMF: the calls wait on the clients, not on media.
        sounds: { files: { beep: encodeWav(new Int16Array(8)) } },
      });
      http = new Agent({ connections: 64 });
      driver = new WebSocket(
        `${sim.url.replace(/^http/, 'ws')}/ari/events?app=${DRIVER_APP}&api_key=${sim.username}:${sim.password}`,
      );
      driver.on('message', onDriverEvent);
      await new Promise<void>((resolve, reject) => {
        driver?.once('open', resolve);
        driver?.once('error', reject);
      });
      return { url: sim.url };
    },

    run: ({ calls, concurrency, timeoutMs }: RunArgs): Promise<RunResult> => {
      latencies = [];
      let started = 0;
      let completed = 0;
      const t0 = performance.now();
      const result = (): RunResult => ({
        completed,
        stuck: started - completed,
        elapsedMs: performance.now() - t0,
        dtmfToStopMs: latencies,
      });
      return withTimeout<RunResult>(
        timeoutMs,
        (finish) => {
          onRecording = (call) => {
            if (!call.park) pressHash(call);
          };
          onCompleted = () => {
            completed++;
            if (completed === calls) finish(result());
            else if (started < calls) {
              started++;
              originate(false);
            }
          };
          for (; started < Math.min(calls, concurrency); started++) originate(false);
        },
        result,
      );
    },

    steady: ({ calls, ratePerSecond, dtmfDelayMs, timeoutMs }: SteadyArgs): Promise<RunResult> => {
      latencies = [];
      let started = 0;
      let completed = 0;
      let stop = () => {};
      const t0 = performance.now();
      const result = (): RunResult => {
        stop();
        return { completed, stuck: started - completed, elapsedMs: performance.now() - t0, dtmfToStopMs: latencies };
      };
      return withTimeout<RunResult>(
        timeoutMs + (calls / ratePerSecond) * 1000,
        (finish) => {
          onRecording = (call) => {
            if (call.park) return;
            if (dtmfDelayMs > 0) setTimeout(pressHash, dtmfDelayMs, call);
            else pressHash(call);
          };
          onCompleted = () => {
            if (++completed === calls) finish(result());
          };
          stop = arrivals(calls, ratePerSecond, () => {
            started++;
            originate(false);
          });
        },
        result,
      );
    },

    park: ({ count, ratePerSecond, timeoutMs }: ParkArgs): Promise<ParkResult> => {
      const t0 = performance.now();
      parked = [];
      let stop = () => {};
      const result = (): ParkResult => {
        stop();
        return { parked: parked.filter((c) => c.recording).length, elapsedMs: performance.now() - t0 };
      };
      return withTimeout<ParkResult>(
        timeoutMs + (count / ratePerSecond) * 1000,
        (finish) => {
          let recording = 0;
          onRecording = () => {
            if (++recording === count) finish(result());
          };
          onCompleted = undefined;
          stop = arrivals(count, ratePerSecond, () => parked.push(originate(true)));
        },
        result,
      );
    },

    release: ({ timeoutMs }: { timeoutMs: number }): Promise<ReleaseResult> => {
      const waiting = parked.filter((c) => !c.done);
      let completed = 0;
      const result = (): ReleaseResult => ({ completed, stuck: waiting.length - completed });
      return withTimeout<ReleaseResult>(
        timeoutMs,
        (finish) => {
          if (waiting.length === 0) return finish(result());
          onCompleted = () => {
            if (++completed === waiting.length) finish(result());
          };
          for (const call of waiting) {
            if (call.recording) pressHash(call);
            else ari('DELETE', `/channels/${call.callee}`).catch(() => {});
          }
        },
        result,
      );
    },

    counts: () => sim?.counts(),
    stats: () => processStats(),
  },
  async () => {
    driver?.close();
    await http?.close();
    await sim?.close();
  },
);
