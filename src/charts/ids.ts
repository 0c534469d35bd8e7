import type { ChartState } from './model.js';

// Words the diagram languages read as syntax; a state with such a key gets a longer id.
const RESERVED = new Set([
  'state',
  'note',
  'end',
  'direction',
  'class',
  'classdef',
  'style',
  'click',
  'as',
  'graph',
  'digraph',
  'subgraph',
  'node',
  'edge',
  'strict',
]);

/**
 * Short, unique, identifier-safe names for every state: the state's key when no other state has it, else its path
 * joined with `_` (`recording_review`), with a counter as the last resort. Deterministic: config order decides.
 */
export function diagramIds(root: ChartState): ReadonlyMap<string, string> {
  const all: ChartState[] = [];
  const walk = (s: ChartState): void => {
    all.push(s);
    for (const c of s.children) walk(c);
  };
  walk(root);
  const keyCount = new Map<string, number>();
  for (const s of all) keyCount.set(safe(s.key), (keyCount.get(safe(s.key)) ?? 0) + 1);
  const used = new Set<string>();
  const ids = new Map<string, string>();
  for (const s of all) {
    let id = safe(s.key);
    if (s !== root && (keyCount.get(id)! > 1 || RESERVED.has(id.toLowerCase())))
      id = safe([root.key, ...s.path].join('_'));
    let unique = id;
    for (let n = 2; used.has(unique); n++) unique = `${id}_${n}`;
    used.add(unique);
    ids.set(s.id, unique);
  }
  return ids;
}

function safe(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `s_${cleaned}`;
}
