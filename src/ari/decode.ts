// Decoding the event socket's frames, and telling documented events from the rest (hand-written; the types are
// generated in events.ts).

import { AriProtocolError } from './errors.js';
import { ARI_EVENT_TYPES, type AriEvent, type AriEventType, type KnownAriEvent } from './events.js';

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(ARI_EVENT_TYPES);

/** True when `type` is an event type Asterisk 22 documents (one of {@link ARI_EVENT_TYPES}). */
export function isKnownEventType(type: string): type is AriEventType {
  return KNOWN_EVENT_TYPES.has(type);
}

/** True when `event` is one of the documented events; `false` narrows it to {@link UnknownAriEvent}. */
export function isKnownEvent(event: AriEvent): event is KnownAriEvent {
  return KNOWN_EVENT_TYPES.has(event.type);
}

/**
 * Decodes one WebSocket text frame into an event, with a single `JSON.parse` and no copy: the returned object is
 * the parsed one.
 *
 * Only the envelope is checked (a JSON object with a string `type`); the fields of each event are trusted to match
 * events.json, which the conformance tests check against real Asterisk traces.
 *
 * @throws {AriProtocolError} when the frame is not JSON, not a JSON object, or has no string `type`.
 */
export function decodeAriEvent(text: string): AriEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AriProtocolError(`ARI event frame is not JSON: ${preview(text)}`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AriProtocolError(`ARI event frame is not a JSON object: ${preview(text)}`);
  }
  if (typeof (value as { type?: unknown }).type !== 'string') {
    throw new AriProtocolError(`ARI event frame has no string "type": ${preview(text)}`);
  }
  return value as AriEvent;
}

function preview(text: string): string {
  return text.length > 120 ? `${JSON.stringify(text.slice(0, 120))}... (${text.length} chars)` : JSON.stringify(text);
}
