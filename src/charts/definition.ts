import type { AnyStateMachine } from 'xstate';
import { isStateMachine } from './model.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The machine's definition (`machine.definition`, XState's own serialisation) as plain, deterministic JSON: functions
 * (inline guards, actions, computed params) become `{ "type": "inline" }` or their built-in description
 * (`xstate.assign`, `not(...)`), eventless (`always`) transitions, which XState leaves out, are added to each state,
 * and nothing depends on the time or the run.
 * @throws TypeError when `machine` is not an XState machine.
 */
export function definitionOf(machine: AnyStateMachine): Json {
  if (!isStateMachine(machine)) throw new TypeError('definitionOf: expected an XState machine (createMachine / setup)');
  const json = toJson(machine.definition, new Set()) as { [key: string]: Json };
  addAlways(json, machine.root as unknown as AlwaysNode);
  return json;
}

/** {@link definitionOf} as text: two-space indented, with a final newline (what `docs/charts/<id>.json` holds). */
export function definitionJson(machine: AnyStateMachine): string {
  return `${JSON.stringify(definitionOf(machine), null, 2)}\n`;
}

interface AlwaysNode {
  readonly always?: readonly unknown[];
  readonly states: Record<string, AlwaysNode>;
}

function addAlways(json: { [key: string]: Json }, node: AlwaysNode): void {
  if (node.always?.length) json.always = node.always.map((t) => toJson(t, new Set()));
  const states = json.states as { [key: string]: { [key: string]: Json } } | undefined;
  for (const [key, child] of Object.entries(node.states)) {
    const childJson = states?.[key];
    if (childJson) addAlways(childJson, child);
  }
}

// Like JSON.stringify: an object's toJSON is called once, and its result is not asked again (XState's transitions
// return a copy of themselves, toJSON included).
function toJson(value: unknown, seen: Set<object>, converted = false): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'function') return functionJson(value, seen);
  if (typeof value !== 'object') return null;
  const withToJson = value as { toJSON?: () => unknown };
  if (!converted && typeof withToJson.toJSON === 'function') return toJson(withToJson.toJSON(), seen, true);
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : toJson(item, seen)));
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || (key === 'toJSON' && typeof item === 'function')) continue;
      out[key] = toJson(item, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function functionJson(fn: Function, seen: Set<object>): Json {
  const f = fn as { type?: unknown; guards?: unknown; check?: unknown; name?: string; stateValue?: unknown };
  if (typeof f.check === 'function' && Array.isArray(f.guards)) {
    return { type: `xstate.${f.name ?? 'guard'}`, guards: f.guards.map((g) => toJson(g, seen)) };
  }
  if (typeof f.check === 'function' && 'stateValue' in f) {
    return { type: 'xstate.stateIn', stateValue: toJson(f.stateValue, seen) };
  }
  if (typeof f.type === 'string') return { type: f.type };
  return { type: 'inline' };
}
