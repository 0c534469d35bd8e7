// The shape of the operation table (src/ari/operations.ts, generated) and the types every REST call shares.
// Hand-written: the generator fills the table, this file says what a row is.

/** Where a parameter goes on the wire. */
export type ParamLocation = 'path' | 'query' | 'body';

/** One parameter of an ARI operation. */
export interface OperationParam {
  readonly name: string;
  readonly in: ParamLocation;
  readonly required: boolean;
  /** Query parameters that take several values (`media`, `channel`, ...): sent as one comma-separated value. */
  readonly multiple: boolean;
  /**
   * For body parameters: `wrapped` sends `{ [name]: value }` (Swagger `containers`), `whole` sends the value as the
   * body itself (Swagger `object`, e.g. an application's event filter).
   */
  readonly body?: 'wrapped' | 'whole';
  /** The Swagger data type: `string`, `int`, `long`, `boolean`, `containers` or `object`. */
  readonly type: string;
  /** The only values Asterisk accepts, when it lists them. */
  readonly allowed?: readonly string[];
  /** What Asterisk uses when the parameter is left out. */
  readonly default?: string | number | boolean;
}

/** One ARI REST operation of resource `R`. */
export interface OperationSpecOf<R extends string> {
  readonly resource: R;
  readonly nickname: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path under `/ari`, with `{name}` placeholders. */
  readonly path: string;
  readonly params: readonly OperationParam[];
  /** Swagger response class: a model name, `List[Model]`, `void` or `binary`. */
  readonly response: string;
  /** What the operation does, in one line (ours, not Asterisk's). */
  readonly summary: string;
  /** The HTTP errors Asterisk answers with, and when (in our words). */
  readonly errors: readonly { readonly code: number; readonly reason: string }[];
  /** True for `GET /events`, which is the WebSocket upgrade and not a REST call. */
  readonly websocket?: boolean;
}

/** Options every REST call takes. */
export interface CallOptions {
  /** Cancels the request; the promise rejects with an `AriAbortError`. */
  signal?: AbortSignal;
  /** Overrides the client's `requestTimeoutMs` for this call. */
  timeoutMs?: number;
  /**
   * Asked right before the request is written to a connection (after any wait for a free one): an error it returns
   * fails the request unsent. A cluster member gives one to every request, so a member that lost its lease while a
   * request waited sends nothing.
   */
  gate?: () => Error | undefined;
}

/** A value of a parameter that takes several values: an array, or one comma-separated string. */
export type Many<T extends string = string> = T | readonly T[];

/** A channel or bridge variable as ARI's bodies accept it. */
export type AriVariableValue = string | { value: string; report_events?: boolean };
