// The HTTP half of the ARI client: sends encoded operations through one keep-alive undici pool and turns every
// outcome into a result or an AriError. Each request is one handler object; its only timer is the deadline and
// every path (answer, error, timeout, abort) settles it exactly once, so no promise can hang. A signal shared by
// many requests (a call's `scope.signal`) gets one abort listener for all of them, not one per request.

import { Readable } from 'node:stream';
import { type Dispatcher, Pool } from 'undici';
import {
  AriAbortError,
  AriError,
  AriHttpError,
  AriNetworkError,
  AriOptionsError,
  AriProtocolError,
  AriTimeoutError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { CallOptions } from '../operations.js';
import type { ResolvedAriOptions } from '../options.js';
import { type CompiledOperation, encodeRequest } from '../resources/request.js';

/**
 * The bytes of a stored recording, as a Node stream, with what Asterisk said about them. Errors while reading (a
 * stalled or cut connection) are `AriError`s; destroying the stream cancels the download.
 */
export class AriFileStream extends Readable {
  /** The `content-type` Asterisk sent (e.g. `audio/wav`), if any. */
  readonly contentType: string | undefined;
  /** The `content-length` Asterisk sent, if any. */
  readonly contentLength: number | undefined;
  #call: Call;

  /** @internal */
  constructor(call: Call, contentType: string | undefined, contentLength: number | undefined) {
    super();
    this.#call = call;
    this.contentType = contentType;
    this.contentLength = contentLength;
  }

  override _read(): void {
    this.#call.resumeBody();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#call.cancelBody();
    callback(error);
  }
}

interface Controller {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

function onDeadline(call: Call): void {
  call.timeout();
}

/**
 * The requests in flight under one signal. It is the signal's only abort listener (added once, at the signal's
 * first request): adding and removing a request is a `Set` operation instead of an EventTarget listener each.
 */
class SignalWatch {
  readonly calls = new Set<Call>();

  // EventTarget calls this on abort: every request still in flight under the signal fails (each removes itself).
  handleEvent(): void {
    for (const call of this.calls) call.abort();
  }
}

/** One request in flight; the undici handler and the settle-once state. */
class Call {
  readonly op: CompiledOperation;
  readonly path: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Asked right before the request is written (CallOptions.gate). */
  gate: (() => Error | undefined) | undefined = undefined;
  readonly transport: HttpTransport;
  /** The listener of `signal` this request is registered with, until it finishes. */
  watch: SignalWatch | undefined = undefined;
  resolve!: (value: unknown) => void;
  reject!: (error: Error) => void;
  controller: Controller | undefined = undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  status = 0;
  /** The body so far: most answers come in one chunk, kept without an array; none for a `void` success. */
  chunk: Buffer | undefined = undefined;
  chunks: Buffer[] | undefined = undefined;
  stream: AriFileStream | undefined = undefined;
  /** The promise is settled (or, for a file, the stream was handed out and the rest goes to the stream). */
  settled = false;
  /** Nothing more will come: the request ended or was aborted. */
  finished = false;

  constructor(transport: HttpTransport, op: CompiledOperation, path: string, timeoutMs: number, signal?: AbortSignal) {
    this.transport = transport;
    this.op = op;
    this.path = path;
    this.timeoutMs = timeoutMs;
    this.signal = signal;
    this.timer = setTimeout(onDeadline, timeoutMs, this);
  }

  /** The signal was aborted while the request was in flight. */
  abort(): void {
    this.fail(new AriAbortError({ method: this.op.method, path: this.path, cause: this.signal?.reason }));
  }

  timeout(): void {
    this.timer = undefined;
    this.fail(new AriTimeoutError(this.timeoutMs, { method: this.op.method, path: this.path }));
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.finished) {
      controller.abort(new AriAbortError({ method: this.op.method, path: this.path }));
      return;
    }
    // Right before the request is written (after any wait for a free connection): a gate may still refuse it.
    const refused = this.gate?.();
    if (refused) this.fail(refused);
  }

  onResponseStart(
    controller: Controller,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.controller = controller;
    this.status = status;
    if (this.op.binary && status >= 200 && status < 300 && !this.settled) {
      const type = headers['content-type'];
      const length = Number(headers['content-length']);
      this.stream = new AriFileStream(
        this,
        typeof type === 'string' ? type : undefined,
        Number.isFinite(length) ? length : undefined,
      );
      this.settled = true;
      this.restartTimer();
      this.resolve(this.stream);
    }
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.finished) return;
    if (this.stream) {
      this.restartTimer();
      if (!this.stream.push(chunk)) {
        this.clearTimer();
        controller.pause();
      }
    } else {
      // A void operation's success has nothing to read; anything else (and every error) keeps its body.
      if (this.op.void && this.status >= 200 && this.status < 300) return;
      if (this.chunk === undefined) this.chunk = chunk;
      else if (this.chunks === undefined) this.chunks = [this.chunk, chunk];
      else this.chunks.push(chunk);
    }
  }

  onResponseEnd(): void {
    if (this.finished) return;
    this.finished = true;
    this.cleanup();
    if (this.stream) this.stream.push(null);
    else this.outcome(this.status, this.text());
  }

  private outcome(status: number, text: string): void {
    const { op, path } = this;
    if (status >= 400) {
      this.settleError(httpError(status, text, op.method, path));
    } else if (status < 200 || status >= 300) {
      this.settleError(
        new AriProtocolError(`${op.method} ${path} -> unexpected status ${status}`, { method: op.method, path }),
      );
    } else if (op.void || text === '') {
      this.settle(undefined);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        this.settleError(
          new AriProtocolError(`${op.method} ${path} -> ${status}: the answer is not JSON`, {
            method: op.method,
            path,
            cause,
          }),
        );
        return;
      }
      this.settle(value);
    }
  }

  onResponseError(_controller: Controller, error: Error): void {
    if (this.finished) return;
    this.fail(this.transport.mapError(error, this.op, this.path, this.timeoutMs));
  }

  /** Ends the call with an error: rejects the promise, or errors the file stream already handed out. */
  fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.cleanup();
    this.controller?.abort(error);
    if (this.stream) this.stream.destroy(error);
    else this.settleError(error);
  }

  resumeBody(): void {
    if (this.finished || this.timer !== undefined) return;
    this.restartTimer();
    this.controller?.resume();
  }

  cancelBody(): void {
    if (this.finished) return;
    this.finished = true;
    this.cleanup();
    this.controller?.abort(new AriAbortError({ method: this.op.method, path: this.path }));
  }

  private text(): string {
    if (this.chunks !== undefined) return Buffer.concat(this.chunks).toString('utf8');
    return this.chunk === undefined ? '' : this.chunk.toString('utf8');
  }

  private settle(value: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(value);
  }

  private settleError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.transport.logFailure(error);
    this.reject(error);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  // Once a file is being read, the deadline becomes a stall limit: it restarts with each chunk and stops while the
  // reader applies backpressure (a slow reader is not a stalled server).
  private restartTimer(): void {
    this.clearTimer();
    this.timer = setTimeout(onDeadline, this.timeoutMs, this);
  }

  private cleanup(): void {
    this.clearTimer();
    if (this.watch !== undefined) {
      this.watch.calls.delete(this);
      this.watch = undefined;
    }
  }
}

function httpError(status: number, text: string, method: string, path: string): AriHttpError {
  let body: unknown = text === '' ? undefined : text;
  let message = text;
  if (text !== '') {
    try {
      body = JSON.parse(text);
      const m = (body as { message?: unknown } | null)?.message;
      if (typeof m === 'string') message = m;
    } catch {
      // Not JSON: the text itself is the message.
    }
  }
  if (message === '') message = `HTTP ${status}`;
  return new AriHttpError(status, message, { method, path, body });
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Sends operations to one Asterisk. */
export class HttpTransport {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  readonly #headers: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;
  /** One listener per signal ever passed to a request; held weakly, as long as the signal lives. */
  readonly #watches = new WeakMap<AbortSignal, SignalWatch>();
  #closed = false;

  constructor(options: ResolvedAriOptions) {
    this.#origin = options.origin;
    this.#basePath = options.basePath;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#logger = options.logger;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Pool(options.origin, { connections: options.connections });
    const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
    this.#headers = { authorization };
    this.#jsonHeaders = { authorization, 'content-type': 'application/json' };
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Encodes and sends one call of `op`. Invalid parameters reject with an `AriParamsError` before anything is sent;
   * the result type is the caller's (the operation's interface), as Asterisk sends it.
   */
  call<T>(op: CompiledOperation, params: unknown, options?: CallOptions): Promise<T> {
    let path: string;
    let body: string | undefined;
    try {
      ({ path, body } = encodeRequest(op, params));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.send(op, path, body, options) as Promise<T>;
  }

  /**
   * Sends one encoded call. Resolves with the parsed JSON result, `undefined` for `void` operations and empty
   * answers, or an {@link AriFileStream} for binary ones. Rejects with an `AriError`, never hangs.
   */
  send(op: CompiledOperation, path: string, body: string | undefined, options?: CallOptions): Promise<unknown> {
    let timeoutMs = this.#timeoutMs;
    let signal: AbortSignal | undefined;
    if (options !== undefined) {
      if (options.timeoutMs !== undefined) {
        if (!(typeof options.timeoutMs === 'number' && options.timeoutMs > 0 && Number.isFinite(options.timeoutMs))) {
          return Promise.reject(
            new AriOptionsError('timeoutMs', `expected a positive finite number, got ${String(options.timeoutMs)}`),
          );
        }
        timeoutMs = options.timeoutMs;
      }
      signal = options.signal;
      if (signal?.aborted) {
        return Promise.reject(new AriAbortError({ method: op.method, path, cause: signal.reason }));
      }
    }
    if (this.#closed) {
      return Promise.reject(new AriNetworkError('the ARI client is closed', { method: op.method, path }));
    }
    const call = new Call(this, op, path, timeoutMs, signal);
    if (options?.gate !== undefined) call.gate = options.gate;
    const promise = new Promise<unknown>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    if (signal !== undefined) {
      let watch = this.#watches.get(signal);
      if (watch === undefined) {
        watch = new SignalWatch();
        signal.addEventListener('abort', watch, { once: true });
        this.#watches.set(signal, watch);
      }
      watch.calls.add(call);
      call.watch = watch;
    }
    try {
      this.#dispatcher.dispatch(
        {
          origin: this.#origin,
          path: this.#basePath + path,
          method: op.method,
          headers: body === undefined ? this.#headers : this.#jsonHeaders,
          body,
          // The call's own deadline covers both; undici's would only arm two more timers per request.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        call,
      );
    } catch (error) {
      call.fail(this.mapError(error as Error, op, path, timeoutMs));
    }
    return promise;
  }

  /** @internal Maps an undici error to the client's errors. */

  mapError(error: Error, op: CompiledOperation, path: string, timeoutMs: number): AriError {
    if (error instanceof AriError) return error;
    const code = (error as { code?: unknown }).code;
    const details = { method: op.method, path, cause: error };
    if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return new AriTimeoutError(timeoutMs, details);
    const what = typeof code === 'string' ? `${code}: ${error.message}` : error.message;
    return new AriNetworkError(`${op.method} ${path} failed: ${what}`, details);
  }

  /** @internal */
  logFailure(error: Error): void {
    const e = error as AriError;
    this.#logger.debug('ari request failed', {
      code: e.code,
      method: e.method,
      path: e.path,
      status: (error as AriHttpError).status,
    });
  }

  /** Closes the connections (a dispatcher given in the options is left open). Later calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}
