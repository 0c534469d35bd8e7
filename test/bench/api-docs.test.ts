import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiDocsFor } from '../../src/simulator/api-docs.js';
import { API_DOCS_DIR, apiDocsPresent } from '../helpers/missing.js';

// Asterisk 22's own api-docs, the reference the simulator's documents must agree with.
const DOCS = apiDocsPresent("the simulator's api-docs against Asterisk's own (bench/api-docs.test.ts)");

interface SwaggerParam {
  name: string;
  paramType: string;
  required?: boolean;
  allowMultiple?: boolean;
  dataType: string;
  allowableValues?: { values?: unknown[] };
}
interface SwaggerOperation {
  httpMethod: string;
  nickname: string;
  responseClass: string;
  parameters?: SwaggerParam[];
}
interface SwaggerDoc {
  basePath: string;
  resourcePath?: string;
  apis: { path: string; operations?: SwaggerOperation[] }[];
  models?: Record<string, { properties: Record<string, { type: string; required?: boolean }> }>;
}

function real(name: string): SwaggerDoc {
  return JSON.parse(readFileSync(`${API_DOCS_DIR}${name}.json`, 'utf8')) as SwaggerDoc;
}

function served(name: string, base = 'http://127.0.0.1:8088'): SwaggerDoc {
  const doc = apiDocsFor(`/ari/api-docs/${name}.json`, base);
  if (!doc) throw new Error(`no document for ${name}`);
  return doc as unknown as SwaggerDoc;
}

// What a Swagger client acts on: where each operation is, how it is called and what it answers.
function contract(doc: SwaggerDoc) {
  return doc.apis.flatMap((api) =>
    (api.operations ?? []).map((op) => ({
      path: api.path,
      method: op.httpMethod,
      nickname: op.nickname,
      response: op.responseClass,
      params: (op.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.paramType,
        required: p.required ?? false,
        multiple: p.allowMultiple ?? false,
        type: p.dataType,
        allowed: p.allowableValues?.values ?? null,
      })),
    })),
  );
}

const RESOURCES = (DOCS ? real('resources').apis : []).map(
  (api) => /\/api-docs\/(\w+)\./.exec(api.path)?.[1] ?? api.path,
);

describe('apiDocsFor', () => {
  it.skipIf(!DOCS)('lists the same resources as Asterisk, under the base URL it is given', () => {
    const listing = served('resources', 'http://10.0.0.7:8088/');
    expect(listing.basePath).toBe('http://10.0.0.7:8088/ari');
    expect(listing.apis.map((a) => a.path)).toEqual(real('resources').apis.map((a) => a.path));
  });

  it.skipIf(!DOCS).each(RESOURCES)('describes every operation of %s exactly as Asterisk does', (name) => {
    const doc = served(name);
    expect(doc.resourcePath).toBe(`/api-docs/${name}.{format}`);
    expect(contract(doc)).toEqual(contract(real(name)));
  });

  it.skipIf(!DOCS)('carries every event model of events.json with its property types', () => {
    const models = (doc: SwaggerDoc) =>
      Object.fromEntries(
        Object.entries(doc.models ?? {}).map(([id, m]) => [
          id,
          Object.fromEntries(Object.entries(m.properties).map(([p, v]) => [p, `${v.type}${v.required ? '' : '?'}`])),
        ]),
      );
    expect(models(served('events'))).toEqual(models(real('events')));
  });

  it('accepts a base URL that already ends in /ari and ignores a query string', () => {
    expect(served('channels', 'http://h:1/ari').basePath).toBe('http://h:1/ari');
    expect(apiDocsFor('/ari/api-docs/sounds.json?x=1', 'http://h:1')).toMatchObject({ basePath: 'http://h:1/ari' });
  });

  it('answers undefined for paths that are not api-docs documents', () => {
    expect(apiDocsFor('/ari/api-docs/nothing.json', 'http://h:1')).toBeUndefined();
    expect(apiDocsFor('/ari/channels', 'http://h:1')).toBeUndefined();
    expect(apiDocsFor('/ari/api-docs/channels.xml', 'http://h:1')).toBeUndefined();
  });

  it('rejects a base URL that is not an absolute http(s) URL', () => {
    expect(() => apiDocsFor('/ari/api-docs/resources.json', 'localhost:8088')).toThrow(TypeError);
    expect(() => apiDocsFor('/ari/api-docs/resources.json', 'ftp://h')).toThrow(/absolute http\(s\) URL/);
  });
});
