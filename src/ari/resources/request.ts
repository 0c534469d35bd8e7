// Turns the parameters of one call into the request ARI expects: the path with its segments percent-encoded, the
// query string and the JSON body. Each operation is compiled once from ARI_OPERATIONS, so a call does no lookups
// beyond one property read per parameter.

import { AriParamsError } from '../errors.js';
import { ARI_OPERATIONS, type AriResourceName, type OperationParam, type OperationSpec } from '../operations.js';

type ParamKind = 'string' | 'integer' | 'boolean' | 'object';

interface CompiledParam {
  readonly spec: OperationParam;
  readonly name: string;
  readonly kind: ParamKind;
  /** `name=`, percent-encoded, for the query string. */
  readonly queryKey: string;
  /** Position among the path's placeholders, or -1. */
  readonly pathIndex: number;
  readonly allowed: ReadonlySet<string> | undefined;
}

/** One operation, ready to encode calls. */
export interface CompiledOperation {
  readonly spec: OperationSpec;
  /** `channels.record`, for messages. */
  readonly id: string;
  readonly method: OperationSpec['method'];
  /** The literal parts of the path around its placeholders: `['/channels/', '/record']`. */
  readonly literals: readonly string[];
  readonly params: Readonly<Record<string, CompiledParam | undefined>>;
  readonly required: readonly CompiledParam[];
  /** The result is the raw bytes (`GET /recordings/stored/{name}/file`). */
  readonly binary: boolean;
  /** The result is `void`: the body, if any, is drained and ignored. */
  readonly void: boolean;
}

/** The wire form of one call. */
export interface EncodedRequest {
  /** Path under the base path, with the query string, percent-encoded. */
  path: string;
  /** JSON body, or undefined. */
  body: string | undefined;
}

function kindOf(type: string): ParamKind {
  switch (type) {
    case 'int':
    case 'long':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'containers':
    case 'object':
      return 'object';
    default:
      return 'string';
  }
}

/** Compiles one operation of the table. */
export function compileOperation(spec: OperationSpec): CompiledOperation {
  const literals: string[] = [];
  const placeholders: string[] = [];
  const re = /\{([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(spec.path); m !== null; m = re.exec(spec.path)) {
    literals.push(spec.path.slice(last, m.index));
    placeholders.push(m[1]!);
    last = m.index + m[0].length;
  }
  literals.push(spec.path.slice(last));
  const params: Record<string, CompiledParam> = Object.create(null);
  for (const p of spec.params) {
    params[p.name] = {
      spec: p,
      name: p.name,
      kind: kindOf(p.type),
      queryKey: `${encodeURIComponent(p.name)}=`,
      pathIndex: p.in === 'path' ? placeholders.indexOf(p.name) : -1,
      allowed: p.allowed ? new Set(p.allowed) : undefined,
    };
  }
  for (const name of placeholders) {
    if (params[name]?.spec.in !== 'path') throw new Error(`${spec.path}: placeholder {${name}} has no path parameter`);
  }
  return {
    spec,
    id: `${spec.resource}.${spec.nickname}`,
    method: spec.method,
    literals,
    params,
    required: spec.params.filter((p) => p.required).map((p) => params[p.name]!),
    binary: spec.response === 'binary',
    void: spec.response === 'void',
  };
}

const COMPILED = new Map<string, CompiledOperation>();
for (const spec of ARI_OPERATIONS) COMPILED.set(`${spec.resource}.${spec.nickname}`, compileOperation(spec));

/** The compiled operation `resource.nickname`; throws when the table has no such operation (a programming error). */
export function operation(resource: AriResourceName, nickname: string): CompiledOperation {
  const op = COMPILED.get(`${resource}.${nickname}`);
  if (!op) throw new Error(`ARI has no operation ${resource}.${nickname}`);
  return op;
}

function fail(op: CompiledOperation, param: string, message: string): never {
  throw new AriParamsError(param, `${message} (${op.id})`, { method: op.method, path: op.spec.path });
}

function checkAllowed(op: CompiledOperation, p: CompiledParam, value: string): void {
  if (p.allowed && !p.allowed.has(value)) {
    fail(op, p.name, `"${value}" is not one of ${[...p.allowed].map((a) => `"${a}"`).join(', ')}`);
  }
}

/** The query-string form of one value, validated against the parameter's type. */
function queryValue(op: CompiledOperation, p: CompiledParam, value: unknown): string {
  if (p.spec.multiple) {
    let joined: string;
    if (typeof value === 'string') {
      joined = value;
    } else if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item !== 'string' || item === '') fail(op, p.name, 'expected non-empty strings');
      }
      joined = value.join(',');
    } else {
      return fail(op, p.name, 'expected a string or an array of strings');
    }
    if (joined === '') fail(op, p.name, 'expected at least one value');
    if (p.allowed) for (const item of joined.split(',')) checkAllowed(op, p, item);
    return encodeURIComponent(joined);
  }
  switch (p.kind) {
    case 'string':
      if (typeof value !== 'string') fail(op, p.name, `expected a string, got ${typeof value}`);
      checkAllowed(op, p, value);
      return encodeURIComponent(value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        fail(op, p.name, `expected an integer, got ${String(value)}`);
      }
      return String(value);
    case 'boolean':
      if (typeof value !== 'boolean') fail(op, p.name, `expected a boolean, got ${typeof value}`);
      return value ? 'true' : 'false';
    default:
      return fail(op, p.name, 'cannot be sent in the query');
  }
}

// Reused by every call: encoding is synchronous, so no two calls ever share it at once.
const pathValues: string[] = [];

/**
 * Encodes one call. Parameters go to the query in the order the caller gave them. Throws `AriParamsError` for a
 * missing required parameter, an unknown one, a value of the wrong type or one not in the operation's allowed list.
 */
export function encodeRequest(op: CompiledOperation, params: unknown): EncodedRequest {
  if (params === undefined || params === null) params = {};
  else if (typeof params !== 'object' || Array.isArray(params)) fail(op, 'params', 'expected an object');
  const values = params as Record<string, unknown>;
  const literals = op.literals;
  for (let i = 0; i < literals.length - 1; i++) pathValues[i] = '';
  let query = '';
  let body: Record<string, unknown> | undefined;
  let whole: unknown;
  let present = 0;
  for (const name in values) {
    const value = values[name];
    if (value === undefined) continue;
    const p = op.params[name];
    if (p === undefined) {
      fail(op, name, `unknown parameter; expected one of ${Object.keys(op.params).join(', ') || '(none)'}`);
    }
    if (p.spec.required) present++;
    switch (p.spec.in) {
      case 'path':
        if (typeof value !== 'string' || value === '') fail(op, name, 'expected a non-empty string');
        if (value === '.' || value === '..') fail(op, name, `"${value}" cannot be a path segment`);
        pathValues[p.pathIndex] = encodeURIComponent(value);
        break;
      case 'query':
        query += (query === '' ? '?' : '&') + p.queryKey + queryValue(op, p, value);
        break;
      default:
        if (typeof value !== 'object' || value === null) fail(op, name, 'expected an object');
        if (p.spec.body === 'whole') {
          whole = value;
        } else {
          body ??= {};
          body[name] = value;
        }
    }
  }
  if (present !== op.required.length) {
    for (const p of op.required) {
      if (values[p.name] === undefined) fail(op, p.name, 'is required');
    }
  }
  let path = literals[0]!;
  for (let i = 1; i < literals.length; i++) path += pathValues[i - 1]! + literals[i]!;
  return {
    path: path + query,
    body: whole !== undefined ? JSON.stringify(whole) : body !== undefined ? JSON.stringify(body) : undefined,
  };
}
