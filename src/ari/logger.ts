/**
 * The logger the library writes to. Silent by default; pass `console` or an adapter for pino, winston, etc.
 * Fields are structured data (ids, statuses), never pre-formatted into the message.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = (): void => {};

/** A logger that drops everything: the default. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** The longest a value given from outside (a Stasis argument, a header) is logged; longer ones are cut. */
export const LOG_VALUE_MAX = 120;

/**
 * `value` as it goes into a log line: strings longer than {@link LOG_VALUE_MAX} are cut, with their length said,
 * so that a huge input never floods a log (arrays are cut item by item).
 */
export function clipForLog(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length > LOG_VALUE_MAX ? `${value.slice(0, LOG_VALUE_MAX)}... (${value.length} characters)` : value;
  }
  if (Array.isArray(value)) return value.map(clipForLog);
  return value;
}
