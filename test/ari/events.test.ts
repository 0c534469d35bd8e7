// Every WebSocket frame a real Asterisk 22 sent in the recorded traces decodes, has a documented type, and carries
// the fields events.json (and the models it refers to) mark as required, with the documented JSON types.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeAriEvent, isKnownEvent, isKnownEventType } from '../../src/ari/decode.js';
import { AriProtocolError } from '../../src/ari/errors.js';
import type { AriEvent } from '../../src/ari/events.js';
import { API_DOCS_DIR, apiDocsPresent } from '../helpers/missing.js';

interface SwaggerProperty {
  type: string;
  required?: boolean;
  allowableValues?: { valueType: string; values?: string[] };
}
interface SwaggerModel {
  properties: Record<string, SwaggerProperty>;
}

const models: Record<string, SwaggerModel> = {};
const DOCS = apiDocsPresent("trace frames against Asterisk's api-docs models (events.test.ts)");
for (const file of DOCS ? readdirSync(API_DOCS_DIR) : []) {
  Object.assign(models, JSON.parse(readFileSync(`${API_DOCS_DIR}${file}`, 'utf8')).models ?? {});
}

/** Mismatches between `value` and the swagger type `type`, with their JSON paths. */
function check(value: unknown, type: string, path: string, out: string[]): void {
  const list = /^List\[(.+)\]$/.exec(type);
  if (list) {
    if (!Array.isArray(value)) out.push(`${path}: expected ${type}`);
    else {
      for (let i = 0; i < value.length; i++) check(value[i], list[1]!, `${path}[${i}]`, out);
    }
    return;
  }
  const primitive: Record<string, string> = {
    string: 'string',
    Date: 'string',
    int: 'number',
    long: 'number',
    double: 'number',
    boolean: 'boolean',
    object: 'object',
  };
  if (primitive[type]) {
    if (typeof value !== primitive[type] || value === null) out.push(`${path}: expected ${type}, got ${typeof value}`);
    return;
  }
  const model = models[type];
  if (model) checkModel(value, model, type, path, out);
  else out.push(`${path}: undocumented type ${type}`);
}

function checkModel(value: unknown, model: SwaggerModel, type: string, path: string, out: string[]): void {
  if (typeof value !== 'object' || value === null) {
    out.push(`${path}: expected ${type} object`);
    return;
  }
  const fields = value as Record<string, unknown>;
  for (const [name, p] of Object.entries(model.properties)) {
    if (fields[name] === undefined) {
      if (p.required) out.push(`${path}.${name}: required by ${type}, missing`);
      continue;
    }
    check(fields[name], p.type, `${path}.${name}`, out);
    const allowed = p.allowableValues?.values;
    if (allowed && !allowed.includes(fields[name] as string)) out.push(`${path}.${name}: ${fields[name]} not allowed`);
  }
}

function withBase(type: string): SwaggerModel {
  return {
    properties: { ...models.Message!.properties, ...models.Event!.properties, ...models[type]!.properties },
  };
}

const TRACES = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
const traces = readdirSync(TRACES).filter((f) => f.endsWith('.json'));
const frames: { trace: string; index: number; text: string }[] = [];
for (const trace of traces) {
  const log: { kind: string; event?: unknown }[] = JSON.parse(readFileSync(`${TRACES}${trace}`, 'utf8')).log;
  log.forEach((entry, index) => {
    if (entry.kind === 'event') frames.push({ trace, index, text: JSON.stringify(entry.event) });
  });
}

describe.skipIf(!DOCS)('decodeAriEvent on every frame a real Asterisk 22 sent', () => {
  it('finds the recorded frames', () => {
    expect(traces.length).toBeGreaterThan(0);
    expect(frames.length).toBeGreaterThan(100);
  });

  it.each(traces)('%s: each frame decodes to a documented event with its required fields', (trace) => {
    const problems: string[] = [];
    for (const frame of frames.filter((f) => f.trace === trace)) {
      const event = decodeAriEvent(frame.text);
      expect(event).toEqual(JSON.parse(frame.text));
      const where = `${trace}#${frame.index} ${event.type}`;
      if (!isKnownEventType(event.type) || !isKnownEvent(event)) {
        problems.push(`${where}: undocumented type`);
        continue;
      }
      checkModel(event, withBase(event.type), event.type, where, problems);
    }
    expect(problems).toEqual([]);
  });

  it('sees the events the voicemail flows depend on', () => {
    const seen = new Set(frames.map((f) => decodeAriEvent(f.text).type as string));
    for (const type of [
      'StasisStart',
      'StasisEnd',
      'ChannelDtmfReceived',
      'ChannelHangupRequest',
      'PlaybackStarted',
      'PlaybackFinished',
      'RecordingStarted',
      'RecordingFinished',
    ]) {
      expect(seen, type).toContain(type);
    }
  });
});

describe('decodeAriEvent on bad input', () => {
  it.each([
    ['an empty frame', ''],
    ['text that is not JSON', 'hello'],
    ['truncated JSON', '{"type":"StasisStart","application":"vm"'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"StasisStart"'],
    ['an array', '[{"type":"StasisStart"}]'],
    ['an object without type', '{"application":"vm"}'],
    ['a non-string type', '{"type":7,"application":"vm"}'],
  ])('rejects %s with AriProtocolError', (_label, text) => {
    let thrown: unknown;
    try {
      decodeAriEvent(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AriProtocolError);
    expect((thrown as AriProtocolError).code).toBe('ARI_PROTOCOL');
  });

  it('shows a bounded preview of the frame in the message', () => {
    const huge = `x${'y'.repeat(10_000)}`;
    expect(() => decodeAriEvent(huge)).toThrow(/not JSON: "xyyy.*\(10001 chars\)/);
    expect(() => decodeAriEvent(huge)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^.{0,220}$/) }),
    );
  });

  it('passes an event of an undocumented type through unchanged', () => {
    const text = '{"type":"ChannelRinging","application":"vm","timestamp":"2026-01-01T00:00:00.000+0000","x":{"y":1}}';
    const event: AriEvent = decodeAriEvent(text);
    expect(event).toEqual(JSON.parse(text));
    expect(isKnownEvent(event)).toBe(false);
    expect(event.type as string).toBe('ChannelRinging');
    if (!isKnownEvent(event)) expect(event.x).toEqual({ y: 1 });
  });
});
