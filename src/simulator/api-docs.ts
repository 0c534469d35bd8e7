// The simulator's `/ari/api-docs`: Swagger 1.1/1.2 documents in the shape Asterisk serves, so that clients which
// read the API description at connect time (ari-client and its swagger-client) work against the simulator.
// Operations come from our own operation table, with our own words for summaries and errors; events.json also
// carries the event models (ARI_EVENT_MODELS), which ari-client needs to dispatch every frame (it looks the frame's
// `type` up among them) and to wrap resources in events.

import { ARI_EVENT_MODELS, ARI_EVENT_TYPES } from '../ari/events.js';
import { ARI_OPERATIONS, ARI_RESOURCE_SUMMARIES, ARI_RESOURCES, type OperationSpec } from '../ari/operations.js';

const API_VERSION = '10.0.0';
const DOCS_PATH = /^\/ari\/api-docs\/([A-Za-z]+)\.json$/;

/** A Swagger document served under `/ari/api-docs/`. */
export type ApiDoc = Readonly<Record<string, unknown>>;

/**
 * The api-docs document the simulator serves at `path`, or `undefined` when `path` names none (answer 404).
 *
 * Served documents: `/ari/api-docs/resources.json` (the resource listing) and `/ari/api-docs/{resource}.json`
 * for the eleven resources of {@link ARI_RESOURCES}. A query string in `path` is ignored.
 *
 * @param path the request path, e.g. `/ari/api-docs/channels.json`.
 * @param baseUrl where clients reach the server, e.g. `http://127.0.0.1:8088` (usually built from the request's
 *   `Host` header, as Asterisk does); a trailing `/` or `/ari` is accepted. Becomes the documents' `basePath`,
 *   which Swagger clients prefix to every operation path.
 * @throws {TypeError} when `baseUrl` is not an absolute http(s) URL.
 */
export function apiDocsFor(path: string, baseUrl: string): ApiDoc | undefined {
  const match = DOCS_PATH.exec(path.split('?', 1)[0] ?? '');
  if (!match) return undefined;
  const name = match[1] as string;
  const basePath = ariBasePath(baseUrl);
  if (name === 'resources') return resourceListing(basePath);
  const doc = resourceDocs().get(name);
  return doc === undefined ? undefined : { ...doc, basePath };
}

function ariBasePath(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`apiDocsFor: baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`apiDocsFor: baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/ari$/, '');
  return `${url.origin}${prefix}/ari`;
}

function resourceListing(basePath: string): ApiDoc {
  return {
    apiVersion: API_VERSION,
    swaggerVersion: '1.1',
    basePath,
    apis: ARI_RESOURCES.map((name) => ({
      path: `/api-docs/${name}.{format}`,
      description: ARI_RESOURCE_SUMMARIES[name],
    })),
  };
}

let cachedDocs: ReadonlyMap<string, ApiDoc> | undefined;

// The documents do not change; only basePath depends on the request, so they are built once.
function resourceDocs(): ReadonlyMap<string, ApiDoc> {
  if (cachedDocs) return cachedDocs;
  const docs = new Map<string, ApiDoc>();
  for (const resource of ARI_RESOURCES) {
    const apis: { path: string; operations: unknown[] }[] = [];
    for (const op of ARI_OPERATIONS) {
      if (op.resource !== resource) continue;
      let api = apis.find((a) => a.path === op.path);
      if (!api) {
        api = { path: op.path, operations: [] };
        apis.push(api);
      }
      api.operations.push(operationDoc(op));
    }
    docs.set(resource, {
      apiVersion: '2.0.0',
      swaggerVersion: resource === 'events' ? '1.2' : '1.1',
      resourcePath: `/api-docs/${resource}.{format}`,
      apis,
      models: resource === 'events' ? eventModels() : {},
    });
  }
  cachedDocs = docs;
  return docs;
}

function operationDoc(op: OperationSpec): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    httpMethod: op.method,
    summary: op.summary,
    nickname: op.nickname,
    responseClass: op.response,
  };
  if (op.websocket) {
    doc.upgrade = 'websocket';
    doc.websocketProtocol = 'ari';
  }
  if (op.params.length > 0) {
    doc.parameters = op.params.map((p) => {
      const param: Record<string, unknown> = {
        name: p.name,
        paramType: p.in,
        required: p.required,
        allowMultiple: p.multiple,
        dataType: p.type,
      };
      if (p.default !== undefined) param.defaultValue = p.default;
      if (p.allowed) param.allowableValues = { valueType: 'LIST', values: [...p.allowed] };
      return param;
    });
  }
  if (op.errors.length > 0) doc.errorResponses = op.errors.map((e) => ({ code: e.code, reason: e.reason }));
  return doc;
}

function eventModels(): Record<string, unknown> {
  const models: Record<string, unknown> = {};
  for (const [id, props] of Object.entries(ARI_EVENT_MODELS)) {
    const properties: Record<string, { type: string; required: boolean }> = {};
    for (const [name, type] of Object.entries(props)) {
      const optional = type.endsWith('?');
      properties[name] = { type: optional ? type.slice(0, -1) : type, required: !optional };
    }
    const model: Record<string, unknown> = { id, properties };
    if (id === 'Message') {
      model.discriminator = 'type';
      model.subTypes = ['MissingParams', 'Event'];
    }
    if (id === 'Event') model.subTypes = [...ARI_EVENT_TYPES];
    models[id] = model;
  }
  return models;
}
