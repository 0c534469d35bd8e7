import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import { ARI_OPERATIONS, ARI_RESOURCES, type OperationParam } from '../../src/ari/operations.js';
import { EventSocket } from '../../src/ari/transport/socket.js';
import { API_DOCS_DIR, apiDocsPresent } from '../helpers/missing.js';
import { json, startServer, type TestServer } from './rest-helpers.js';

interface DocParam {
  name: string;
  paramType: 'path' | 'query' | 'body' | 'header';
  required?: boolean;
  allowMultiple?: boolean;
  dataType: string;
  allowableValues?: { valueType: string; values?: string[] };
}
interface DocOperation {
  httpMethod: string;
  nickname: string;
  parameters?: DocParam[];
  upgrade?: string;
}

const DOCS = apiDocsPresent("the operation table against Asterisk's api-docs (conformance-operations.test.ts)");
const docs = (DOCS ? ARI_RESOURCES : []).flatMap((resource) => {
  const file = JSON.parse(readFileSync(`${API_DOCS_DIR}${resource}.json`, 'utf8')) as {
    apis: { path: string; operations: DocOperation[] }[];
  };
  return file.apis.flatMap((api) => api.operations.map((op) => ({ resource, path: api.path, op })));
});

type AnyOp = (params?: unknown, options?: unknown) => unknown;
const method = (client: AriClient, resource: string, nickname: string): AnyOp | undefined => {
  const api = (client as unknown as Record<string, Record<string, AnyOp> | undefined>)[resource];
  const fn = api?.[nickname];
  return typeof fn === 'function' ? fn.bind(api) : undefined;
};

describe.skipIf(!DOCS)("the operation table matches Asterisk's api-docs", () => {
  it('has the 109 operations of the api-docs and no other', () => {
    expect(docs.length).toBe(109);
    expect(ARI_OPERATIONS.map((o) => `${o.resource}.${o.nickname}`).sort()).toEqual(
      docs.map((d) => `${d.resource}.${d.op.nickname}`).sort(),
    );
  });

  it.each(docs.map((d) => [`${d.resource}.${d.op.nickname}`, d] as const))('%s', (_id, doc) => {
    const spec = ARI_OPERATIONS.find((o) => o.resource === doc.resource && o.nickname === doc.op.nickname)!;
    expect(spec.method).toBe(doc.op.httpMethod);
    expect(spec.path).toBe(doc.path);
    expect(spec.websocket === true).toBe(doc.op.upgrade === 'websocket');
    const fromDocs = (doc.op.parameters ?? []).map((p) => ({
      name: p.name,
      in: p.paramType,
      required: p.required === true,
      multiple: p.allowMultiple === true,
      body: p.paramType === 'body' ? (p.dataType === 'object' ? 'whole' : 'wrapped') : undefined,
      allowed: p.allowableValues?.valueType === 'LIST' ? p.allowableValues.values : undefined,
    }));
    const fromTable = spec.params.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required,
      multiple: p.multiple,
      body: p.body,
      allowed: p.allowed,
    }));
    expect(fromTable).toEqual(fromDocs);
  });
});

/** A valid value of a parameter, with `/`, `@`, `:` and spaces where a string allows them, to exercise encoding. */
function sample(p: OperationParam): unknown {
  if (p.allowed) return p.multiple ? [p.allowed[0], p.allowed.at(-1)] : p.allowed.at(-1);
  if (p.multiple) return [`${p.name}:a/1`, `${p.name}@b`];
  switch (p.type) {
    case 'int':
    case 'long':
      return 42;
    case 'boolean':
      return true;
    case 'containers':
      return { [`${p.name}-key`]: 'v a/l' };
    case 'object':
      return { allowed: [{ type: 'StasisStart' }] };
    default:
      return p.in === 'path' ? `${p.name}/x@y` : `${p.name} v/1:2`;
  }
}

/** The request an operation must produce for `params`, built from the api-docs path, independently of the client. */
function expected(path: string, params: readonly OperationParam[], values: Record<string, unknown>) {
  let url = `/ari${path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] as string))}`;
  const query = params
    .filter((p) => p.in === 'query')
    .map((p) => {
      const v = values[p.name];
      return `${p.name}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`;
    });
  if (query.length > 0) url += `?${query.join('&')}`;
  const whole = params.find((p) => p.body === 'whole');
  const wrapped = params.filter((p) => p.body === 'wrapped');
  const body = whole
    ? values[whole.name]
    : wrapped.length > 0
      ? Object.fromEntries(wrapped.map((p) => [p.name, values[p.name]]))
      : undefined;
  return { url, body };
}

describe('the client', () => {
  let server: TestServer;
  let client: AriClient;

  beforeAll(async () => {
    server = await startServer((req, res) =>
      json(res, req.method === 'GET' ? 200 : 204, req.method === 'GET' ? {} : undefined),
    );
    client = createAriClient({ url: server.url, username: 'asterisk', password: 'asterisk' });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it.skipIf(!DOCS)('has every operation as a function', () => {
    const missing = docs.filter((d) => method(client, d.resource, d.op.nickname) === undefined);
    expect(missing.map((d) => `${d.resource}.${d.op.nickname}`)).toEqual([]);
  });

  it.each(ARI_OPERATIONS.filter((o) => !o.websocket).map((o) => [`${o.resource}.${o.nickname}`, o] as const))(
    '%s sends the method, path, query and body of its api-docs entry',
    async (_id, op) => {
      const values = Object.fromEntries(op.params.map((p) => [p.name, sample(p)]));
      const before = server.requests.length;
      if (op.response === 'binary') {
        const stream = (await method(client, op.resource, op.nickname)!(values)) as NodeJS.ReadableStream;
        stream.resume();
      } else {
        await method(client, op.resource, op.nickname)!(values);
      }
      expect(server.requests.length).toBe(before + 1);
      const sent = server.requests.at(-1)!;
      const want = expected(op.path, op.params, values);
      expect(sent.method).toBe(op.method);
      expect(sent.url).toBe(want.url);
      expect(sent.body === '' ? undefined : JSON.parse(sent.body)).toEqual(want.body);
    },
  );

  it('events.eventWebsocket gives an unconnected event socket for the apps', async () => {
    const socket = client.events.eventWebsocket({ app: ['vm-record', 'rec-app'], subscribeAll: true });
    expect(socket).toBeInstanceOf(EventSocket);
    expect(socket.state).toBe('idle');
    expect(socket.url).toBe(`${server.url.replace('http:', 'ws:')}/ari/events?app=vm-record,rec-app&subscribeAll=true`);
    await socket.close();
    expect(() => client.events.eventWebsocket({} as never)).toThrow(/"app"/);
  });
});
