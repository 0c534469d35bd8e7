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

/** Where an {@link AriOptionsError} was found: the factory or constructor, and the value it refused. */
export interface AriOptionsErrorContext {
  /** The function given the options (`createVoicemailCalls`, `new FileMessageStore`). */
  readonly factory: string;
  /** The refused value (shown in the message, hidden when the option holds a secret). */
  readonly value: unknown;
}

/**
 * An option given to a factory of the library is invalid: `option` names it (`timeouts.reviewMs`, a dotted path
 * into the options), `reason` says what it must be. Every public factory throws this one error for a bad option, with
 * a message like `createVoicemailCalls: invalid option "timeouts.reviewMs": a positive number of ms (got -1)`.
 */
export class AriOptionsError extends AriError {
  readonly option: string;
  /** What the option must be, or why it is refused. */
  readonly reason: string;
  /** The function given the options, when known. */
  readonly factory: string | undefined;
  constructor(option: string, reason: string, context?: AriOptionsErrorContext) {
    const at = context ? `${context.factory}: ` : '';
    // A reason that already shows the value (`..., got -1`) is not given it twice.
    const got = context && !/\bgot\b/.test(reason) ? ` (got ${shownOption(option, context.value)})` : '';
    super('ARI_OPTIONS', `${at}invalid option "${option}": ${reason}${got}`);
    this.option = option;
    this.reason = reason;
    this.factory = context?.factory;
  }
}

const SECRET = /password|token|secret/i;

/** A refused value as the message shows it: short, and never a secret. */
function shownOption(option: string, value: unknown): string {
  if (SECRET.test(option) && value !== undefined) return '(hidden)';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** The value at a dotted path of `options` (`timeouts.reviewMs`); `options` itself for the path `options`. */
function optionAt(options: unknown, path: string): unknown {
  if (path === 'options') return options;
  let value = options;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Runs `check` on a factory's `options`; an {@link AriOptionsError} it throws comes out naming `factory` and the
 * refused value. Every public factory checks its options through this, once, before doing anything.
 * @internal
 */
export function checkOptions<T>(factory: string, options: T, check: (options: T) => void): void {
  try {
    check(options);
  } catch (error) {
    if (error instanceof AriOptionsError && error.factory === undefined) {
      throw new AriOptionsError(error.option, error.reason, { factory, value: optionAt(options, error.option) });
    }
    throw error;
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
