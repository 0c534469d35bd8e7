// What the harness asks of the simulator process (bench/sim-process.ts) and what it answers.

import type { ProcessStats } from './ipc.js';

/** `run`: keep `concurrency` calls going until `calls` have completed (or `timeoutMs` passed). */
export interface RunArgs {
  readonly calls: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

export interface RunResult {
  readonly completed: number;
  /** Calls started but not completed when the run ended (timeout). */
  readonly stuck: number;
  readonly elapsedMs: number;
  /**
   * For each call, the time from the simulator writing `ChannelDtmfReceived` (`#`) to the client's socket to the
   * simulator receiving the `POST /recordings/live/{name}/stop` that answers it, in ms.
   */
  readonly dtmfToStopMs: readonly number[];
}

/**
 * `steady`: start `calls` calls at a fixed rate, whatever the client does with them (an open arrival process, as
 * calls reach a real Asterisk), and answer once all have completed (or `timeoutMs` passed after the last start).
 * `#` is sent `dtmfDelayMs` after `RecordingStarted` was written to the client's socket; 0 sends it at once, while
 * the client is still handling the `record` answer and `RecordingStarted`.
 */
export interface SteadyArgs {
  readonly calls: number;
  readonly ratePerSecond: number;
  readonly dtmfDelayMs: number;
  readonly timeoutMs: number;
}

/**
 * `park`: start `count` calls at `ratePerSecond` and answer once every one is recording (waiting for `#`), or
 * `timeoutMs` after the last start.
 */
export interface ParkArgs {
  readonly count: number;
  readonly ratePerSecond: number;
  readonly timeoutMs: number;
}

export interface ParkResult {
  readonly parked: number;
  readonly elapsedMs: number;
}

/** `release`: send `#` to every parked call and answer once all have completed. */
export interface ReleaseResult {
  readonly completed: number;
  readonly stuck: number;
}

export interface ClientStats extends ProcessStats {
  readonly active: number;
  readonly completed: number;
}
