// Maps `METHOD /ari/...` to one of the 109 operations of ARI_OPERATIONS and parses its parameters as Asterisk does.

import { ARI_OPERATIONS, type OperationSpec } from '../ari/operations.js';
import { SimError } from './model.js';

interface Route {
  op: OperationSpec;
  segments: string[];
  literals: number;
}

const ROUTES: Route[] = ARI_OPERATIONS.filter((op) => !op.websocket).map((op) => {
  const segments = op.path.split('/').slice(1);
  return { op, segments, literals: segments.filter((s) => !s.startsWith('{')).length };
});

export type RouteMatch =
  | { kind: 'op'; op: OperationSpec; path: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

/** Finds the operation for a path under `/ari` (still percent-encoded: `%2F` stays inside one segment). */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const parts = rawPath.split('/').slice(1);
  let best: { route: Route; path: Record<string, string> } | undefined;
  let pathMatched = false;
  for (const route of ROUTES) {
    if (route.segments.length !== parts.length) continue;
    const path: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = route.segments[i]!;
      const part = parts[i]!;
      if (seg.startsWith('{')) {
        if (!part) ok = false;
        else {
          try {
            path[seg.slice(1, -1)] = decodeURIComponent(part);
          } catch {
            ok = false;
          }
        }
      } else if (seg !== part) ok = false;
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.op.method !== method) continue;
    if (!best || route.literals > best.route.literals) best = { route, path };
  }
  if (best) return { kind: 'op', op: best.route.op, path: best.path };
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}

export type ParamValue = string | number | boolean | string[] | Record<string, unknown> | undefined;

/**
 * The operation's parameters from the path, the query string (the last occurrence of a repeated name wins, so a
 * repeated `media` is not a playlist) and a JSON body (Asterisk also takes query parameters from a JSON object body).
 */
export function parseParams(
  op: OperationSpec,
  path: Record<string, string>,
  query: URLSearchParams,
  body: unknown,
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const bodyObj = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  for (const p of op.params) {
    let raw: unknown;
    if (p.in === 'path') raw = path[p.name];
    else if (p.in === 'body') raw = p.body === 'whole' ? body : bodyObj[p.name];
    else {
      const all = query.getAll(p.name);
      raw = all.length ? all[all.length - 1] : bodyObj[p.name];
    }
    if (raw === undefined || raw === null) continue;
    out[p.name] = coerce(p.name, p.type, raw);
  }
  return out;
}

function coerce(name: string, type: string, raw: unknown): ParamValue {
  if (typeof raw === 'object') return raw as Record<string, unknown>;
  const text = String(raw);
  switch (type) {
    case 'int':
    case 'long':
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new SimError(400, `${name}: '${text}' is not a number`);
      return n;
    }
    case 'boolean':
      if (/^(true|yes|1|on)$/i.test(text)) return true;
      if (/^(false|no|0|off)$/i.test(text)) return false;
      throw new SimError(400, `${name}: '${text}' is not a boolean`);
    default:
      return text;
  }
}
