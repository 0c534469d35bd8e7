/**
 * The errors of the ARI client. Every error has a fixed `code`; HTTP errors carry the status, the method, the path
 * and Asterisk's own `message`. Match on `code` or use the guards, never on message strings.
 */

export type AriErrorCode =
  | 'ARI_HTTP'
  | 'ARI_TIMEOUT'
  | 'ARI_ABORTED'
  | 'ARI_NETWORK'
  | 'ARI_OPTIONS'
  | 'ARI_PARAMS'
  | 'ARI_PROTOCOL'
  | 'ARI_CONNECTION';

/** What an {@link AriError} may carry beside its message: the request it belongs to and the underlying error. */
export interface AriErrorDetails {
  /** The HTTP method of the request (`POST`). */
  method?: string;
  /** The request's path below `/ari` (`/channels/c1/play`). */
  path?: string;
  /** The error that caused this one (kept as the error's `cause`). */
  cause?: unknown;
}

/** Base class of every error this library's ARI client raises. */
export class AriError extends Error {
  readonly code: AriErrorCode;
  /** HTTP method of the request, when the error belongs to one. */
  readonly method: string | undefined;
  /** Path of the request under `/ari` (percent-encoded as sent), when the error belongs to one. */
  readonly path: string | undefined;

  constructor(code: AriErrorCode, message: string, details: AriErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.method = details.method;
    this.path = details.path;
  }
}

/** Asterisk answered with a status >= 400. `ariMessage` is the `message` of its JSON body. */
export class AriHttpError extends AriError {
  readonly status: number;
  /** Asterisk's own `message` (e.g. "Channel not found"), or the raw body text when it was not JSON. */
  readonly ariMessage: string;
  /** The decoded body, as Asterisk sent it. */
  readonly body: unknown;

  constructor(status: number, ariMessage: string, details: AriErrorDetails & { body?: unknown }) {
    super('ARI_HTTP', `${details.method ?? ''} ${details.path ?? ''} -> ${status}: ${ariMessage}`.trim(), details);
    this.status = status;
    this.ariMessage = ariMessage;
    this.body = details.body;
  }
}

/** The request took longer than its timeout. */
export class AriTimeoutError extends AriError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, details: AriErrorDetails) {
    super(
      'ARI_TIMEOUT',
      `${details.method ?? ''} ${details.path ?? ''} timed out after ${timeoutMs} ms`.trim(),
      details,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The caller aborted the request through its `AbortSignal`. */
export class AriAbortError extends AriError {
  constructor(details: AriErrorDetails) {
    super('ARI_ABORTED', `${details.method ?? ''} ${details.path ?? ''} was aborted`.trim(), details);
  }
}

/** The request never got an HTTP answer (connection refused, reset, DNS...). */
export class AriNetworkError extends AriError {
  constructor(message: string, details: AriErrorDetails) {
    super('ARI_NETWORK', message, details);
  }
}

/** An option given to the client (or another part of the library) is invalid. `option` names it. */
export class AriOptionsError extends AriError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('ARI_OPTIONS', `invalid option "${option}": ${message}`);
    this.option = option;
  }
}

/** A call was made with missing or malformed parameters; nothing was sent. `param` names the parameter. */
export class AriParamsError extends AriError {
  readonly param: string;
  constructor(param: string, message: string, details: AriErrorDetails = {}) {
    super('ARI_PARAMS', `invalid parameter "${param}": ${message}`, details);
    this.param = param;
  }
}

/** Asterisk sent something that is not ARI (a malformed frame, a body that does not parse). */
export class AriProtocolError extends AriError {
  constructor(message: string, details: AriErrorDetails = {}) {
    super('ARI_PROTOCOL', message, details);
  }
}

/** Where and how a connection failed, on an {@link AriConnectionError}. */
export interface AriConnectionDetails extends AriErrorDetails {
  /** The ARI base URL the client tried (`http://host:8088/ari`), without credentials. */
  url?: string;
  /** The HTTP status that refused the WebSocket upgrade, when one came. */
  status?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
}

/**
 * The event WebSocket could not be opened or was lost. When `connect()` gives up, `url`, `attempts` and (for an
 * HTTP refusal) `status` say where and how; the message names the URL and the likely cause.
 */
export class AriConnectionError extends AriError {
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly attempts: number | undefined;
  constructor(message: string, details: AriConnectionDetails = {}) {
    super('ARI_CONNECTION', message, details);
    this.url = details.url;
    this.status = details.status;
    this.attempts = details.attempts;
  }
}

/**
 * True when `error` is an error of this client; with `status`, only an `AriHttpError` of that status.
 *
 * ```ts
 * try { await client.channels.hangup({ channelId }) } catch (e) { if (!isAriError(e, 404)) throw e }
 * ```
 */
export function isAriError(error: unknown, status: number): error is AriHttpError;
export function isAriError(error: unknown): error is AriError;
export function isAriError(error: unknown, status?: number): boolean {
  if (!(error instanceof AriError)) return false;
  if (status === undefined) return true;
  return error instanceof AriHttpError && error.status === status;
}
