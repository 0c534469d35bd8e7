// Reads the REST entries of the real Asterisk traces and maps each one to the client operation that makes it.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ARI_OPERATIONS, type OperationSpec } from '../../src/ari/operations.js';

export const ASTERISK_DIR = fileURLToPath(new URL('../../../shared/asterisk/', import.meta.url));
/** The traces of a real Asterisk 22.10.1: the seven of ../shared/asterisk/traces and the project's own, in the repo. */
export const TRACES_DIR = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));

export interface RestEntry {
  file: string;
  method: string;
  path: string;
  status: number;
  body?: unknown;
  response?: unknown;
}

export function traceRestEntries(): RestEntry[] {
  const dir = TRACES_DIR;
  const entries: RestEntry[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const trace = JSON.parse(readFileSync(dir + file, 'utf8')) as { log: ({ kind: string } & RestEntry)[] };
    for (const e of trace.log) if (e.kind === 'rest') entries.push({ ...e, file });
  }
  return entries;
}

const matchers = ARI_OPERATIONS.filter((op) => !op.websocket).map((op) => {
  const names: string[] = [];
  const source = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { op, names, re: new RegExp(`^${source}$`) };
});

export interface MatchedCall {
  op: OperationSpec;
  params: Record<string, unknown>;
  /** The path the client must send for these params: the trace's, with every value percent-encoded alike. */
  expectedPath: string;
}

/** The operation and the typed params of a trace request, or undefined when ARI has no such operation. */
export function matchEntry(entry: RestEntry): MatchedCall | undefined {
  const [pathname, query = ''] = entry.path.split('?') as [string, string?];
  const candidates = matchers
    .filter((m) => m.op.method === entry.method && m.re.test(pathname))
    .sort((a, b) => a.names.length - b.names.length);
  const m = candidates[0];
  if (!m) return undefined;
  const params: Record<string, unknown> = {};
  const values = m.re.exec(pathname)!.slice(1);
  m.names.forEach((name, i) => {
    params[name] = decodeURIComponent(values[i]!);
  });
  const pairs = query === '' ? [] : query.split('&').map((kv) => kv.split('=') as [string, string]);
  for (const [key, raw] of pairs) {
    const value = decodeURIComponent(raw);
    const spec = m.op.params.find((p) => p.name === key);
    if (!spec) throw new Error(`${entry.path}: ${key} is not a parameter of ${m.op.nickname}`);
    if (spec.multiple) params[key] = value.split(',');
    else if (spec.type === 'int' || spec.type === 'long') params[key] = Number(value);
    else if (spec.type === 'boolean') params[key] = value === 'true';
    else params[key] = value;
  }
  if (entry.body !== undefined) {
    for (const p of m.op.params.filter((p) => p.in === 'body')) {
      if (p.body === 'whole') params[p.name] = entry.body;
      else if ((entry.body as Record<string, unknown>)[p.name] !== undefined) {
        params[p.name] = (entry.body as Record<string, unknown>)[p.name];
      }
    }
  }
  const expectedPath =
    pathname
      .split('/')
      .map((s) => encodeURIComponent(decodeURIComponent(s)))
      .join('/') +
    (pairs.length === 0
      ? ''
      : `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(decodeURIComponent(v))}`).join('&')}`);
  return { op: m.op, params, expectedPath };
}
