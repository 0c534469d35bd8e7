// `npm run generate:ari`: writes src/ari/operations.ts, src/ari/models.ts and src/ari/events.ts from Asterisk's
// api-docs (Swagger 1.2) and our own descriptions in scripts/ari-docs.ts.
//
// From the api-docs it takes only facts: resources, operations, methods, paths, parameter names, types, required-ness,
// allowed values, defaults, error codes, models and their fields. Every sentence in the output is ours: a doc of
// scripts/ari-docs.ts, or a fixed phrase of this script. It stops, listing them, when a doc is missing or unused.
//
//   npm run generate:ari [-- --api-docs DIR] [--out DIR] [--todo]
//
// `--api-docs` (or ARI_API_DOCS) defaults to ../shared/asterisk/api-docs beside the repo, `--out` to src/ari.
// `--todo` prints what still needs our words, with Asterisk's text for reference, and writes nothing; `--draft`
// writes even so, with TODO where a doc is missing (never to be committed: the test of the output fails on it).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARI_DOCS, type AriDocs } from './ari-docs.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// --- the api-docs, as far as we read them

interface SwaggerValues {
  valueType: string;
  values?: string[];
}
interface SwaggerParam {
  name: string;
  description?: string;
  paramType: 'path' | 'query' | 'body';
  required?: boolean;
  allowMultiple?: boolean;
  dataType: string;
  defaultValue?: string | number | boolean;
  allowableValues?: SwaggerValues;
}
interface SwaggerOperation {
  httpMethod: 'GET' | 'POST' | 'PUT' | 'DELETE';
  summary?: string;
  notes?: string;
  nickname: string;
  responseClass: string;
  parameters?: SwaggerParam[];
  errorResponses?: { code: number; reason: string }[];
  upgrade?: string;
}
interface SwaggerProperty {
  type: string;
  description?: string;
  required?: boolean;
  allowableValues?: SwaggerValues;
}
interface SwaggerModel {
  id: string;
  description?: string;
  properties: Record<string, SwaggerProperty>;
  subTypes?: string[];
}
interface SwaggerResource {
  apis: { path: string; operations: SwaggerOperation[] }[];
  models?: Record<string, SwaggerModel>;
}

interface Loaded {
  resources: string[];
  files: Map<string, SwaggerResource>;
}

function load(dir: string): Loaded {
  const read = <T>(name: string): T => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
  const listing = read<{ apis: { path: string }[] }>('resources');
  const resources = listing.apis.map((api) => {
    const name = /\/api-docs\/(\w+)\./.exec(api.path)?.[1];
    if (!name) throw new Error(`resources.json: cannot read a resource name from ${api.path}`);
    return name;
  });
  return { resources, files: new Map(resources.map((r) => [r, read<SwaggerResource>(r)])) };
}

// --- our words, looked up with the sharing rule

/**
 * Looks docs up and records which were used. A key `a.b.c` is looked up as is; a shared key (`a.*.c`, `*.c`) serves
 * every item of its group whose Asterisk text is the group's most common one, so that one of our sentences is
 * shared only where Asterisk says the same thing. Anything else needs its own key.
 */
class Docs {
  readonly used = new Set<string>();
  readonly missing: { key: string; theirs: string }[] = [];
  readonly #groups = new Map<string, Map<string, number>>();

  constructor(readonly table: Readonly<Record<string, string>>) {}

  /** Counts one item of a shared group, before any lookup. */
  count(shared: string, theirs: string | undefined): void {
    const texts = this.#groups.get(shared) ?? new Map<string, number>();
    texts.set(theirs ?? '', (texts.get(theirs ?? '') ?? 0) + 1);
    this.#groups.set(shared, texts);
  }

  #common(shared: string): string | undefined {
    let best: string | undefined;
    let most = 0;
    for (const [text, n] of this.#groups.get(shared) ?? []) {
      if (n > most) [best, most] = [text, n];
    }
    return best;
  }

  /** Our doc for `key`, or for `shared` when the item says what its group says. */
  get(key: string, shared: string | undefined, theirs: string | undefined): string {
    for (const k of [key, shared]) {
      if (k === undefined || this.table[k] === undefined) continue;
      if (k === shared && this.#common(shared) !== (theirs ?? '')) continue;
      this.used.add(k);
      return this.table[k];
    }
    const sharedFits = shared !== undefined && this.#common(shared) === (theirs ?? '');
    const many = sharedFits && (this.#groups.get(shared)?.get(theirs ?? '') ?? 0) > 1;
    this.missing.push({ key: many ? shared : key, theirs: theirs ?? '' });
    return 'TODO';
  }

  unused(): string[] {
    return Object.keys(this.table).filter((k) => !this.used.has(k));
  }
}

// --- text helpers

const pascal = (name: string): string =>
  name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
const camel = (name: string): string => pascal(name).charAt(0).toLowerCase() + pascal(name).slice(1);

const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const WIDTH = 120;

/** `text` in lines of at most `width` characters, broken at spaces (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return line === '' ? lines : [...lines, line];
}

/** A doc comment at `indent`: one line when it fits, else a block wrapped at 120 columns. */
function jsdoc(text: string, indent = ''): string {
  const paragraphs = text.trim().split(/\n\s*\n/);
  const single = `${indent}/** ${paragraphs[0]} */`;
  if (paragraphs.length === 1 && !paragraphs[0]!.includes('\n') && single.length <= WIDTH) return `${single}\n`;
  const body = paragraphs.map((p) => p.split('\n').flatMap((l) => wrap(l, WIDTH - indent.length - 3)));
  const lines = body.flatMap((p, i) => (i === 0 ? p : ['', ...p]));
  return `${indent}/**\n${lines.map((l) => (l === '' ? `${indent} *\n` : `${indent} * ${l}\n`)).join('')}${indent} */\n`;
}

function literalUnion(values: readonly string[]): string {
  return values.map(quote).join(' | ');
}

/** The TypeScript type of a Swagger model property. */
function propertyType(p: SwaggerProperty): string {
  if (p.allowableValues?.valueType === 'LIST' && p.allowableValues.values)
    return literalUnion(p.allowableValues.values);
  const list = /^List\[(.+)\]$/.exec(p.type);
  if (list) {
    const item = propertyType({ type: list[1]! });
    return item.includes('<') ? `Array<${item}>` : `${item}[]`;
  }
  switch (p.type) {
    case 'string':
    case 'Date':
      return 'string';
    case 'int':
    case 'long':
    case 'double':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'Record<string, unknown>';
    default:
      return p.type;
  }
}

/** The models a type expression names (`Channel`, `ContactInfo[]`). */
function modelNames(type: string, known: ReadonlySet<string>): string[] {
  return (type.match(/[A-Za-z]+/g) ?? []).filter((word) => known.has(word));
}

// --- bodies: what the api-docs say only in prose

/** The value type of a `containers` body parameter, by resource and name. */
function bodyType(resource: string, param: string): string {
  if (param === 'fields') return 'ConfigTuple[]';
  if (param === 'variables') {
    return resource === 'channels' || resource === 'bridges'
      ? 'Record<string, AriVariableValue>'
      : 'Record<string, string>';
  }
  throw new Error(`${resource}: no TypeScript type for the body parameter ${param}; add one to bodyType()`);
}

// --- operations.ts

interface Operation {
  resource: string;
  path: string;
  op: SwaggerOperation;
}

function operationsOf(loaded: Loaded): Operation[] {
  return loaded.resources.flatMap((resource) =>
    loaded.files.get(resource)!.apis.flatMap((api) => api.operations.map((op) => ({ resource, path: api.path, op }))),
  );
}

function paramType(resource: string, p: SwaggerParam): string {
  const allowed = p.allowableValues?.valueType === 'LIST' ? p.allowableValues.values : undefined;
  if (p.allowMultiple) return `Many<${allowed ? literalUnion(allowed) : 'string'}>`;
  if (allowed) return literalUnion(allowed);
  switch (p.dataType) {
    case 'int':
    case 'long':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'containers':
      return bodyType(resource, p.name);
    case 'object':
      return 'Record<string, unknown>';
    default:
      return 'string';
  }
}

function resultType(responseClass: string): string {
  if (responseClass === 'void') return 'void';
  if (responseClass === 'binary') return 'Readable';
  const list = /^List\[(.+)\]$/.exec(responseClass);
  return list ? `${list[1]}[]` : responseClass;
}

const paramsName = (o: Operation): string => `${pascal(o.resource)}${pascal(o.op.nickname)}Params`;

function renderOperations(loaded: Loaded, lookups: Lookups): string {
  const ops = operationsOf(loaded);
  const { operations: opDocs, params: paramDocs, errors: errorDocs } = lookups;
  // Shared groups first: a resource's parameter of one name, a resource's error code.
  for (const o of ops) {
    for (const p of o.op.parameters ?? []) paramDocs.count(`${o.resource}.*.${p.name}`, p.description);
    for (const e of o.op.errorResponses ?? []) errorDocs.count(`${o.resource}.*.${e.code}`, e.reason);
  }
  const summaryOf = (o: Operation): string => opDocs.get(`${o.resource}.${o.op.nickname}`, undefined, o.op.summary);
  const errorsOf = (o: Operation) =>
    (o.op.errorResponses ?? []).map((e) => ({
      code: e.code,
      reason: errorDocs.get(`${o.resource}.${o.op.nickname}.${e.code}`, `${o.resource}.*.${e.code}`, e.reason),
    }));
  const paramDoc = (o: Operation, p: SwaggerParam): string => {
    let text = paramDocs.get(`${o.resource}.${o.op.nickname}.${p.name}`, `${o.resource}.*.${p.name}`, p.description);
    if (p.allowMultiple) text += ' Several values: an array, or one comma-separated string.';
    if (p.defaultValue !== undefined) text += ` Default: ${JSON.stringify(p.defaultValue)}.`;
    return text;
  };

  const models = new Set(
    loaded.resources.flatMap((r) => (r === 'events' ? [] : Object.keys(loaded.files.get(r)!.models ?? {}))),
  );
  const typesUsed = ops.flatMap((o) => [
    resultType(o.op.responseClass),
    ...(o.op.parameters ?? []).map((p) => paramType(o.resource, p)),
  ]);
  const used = [...new Set(typesUsed.flatMap((type) => modelNames(type, models)))].sort();

  let out = `${header('The ARI operation table, and the parameters and results of every operation')}\n`;
  out += "import type { Readable } from 'node:stream';\n";
  out += `import type { ${used.join(', ')} } from './models.js';\n`;
  out += "import type { AriVariableValue, CallOptions, Many, OperationSpecOf } from './operation-spec.js';\n\n";
  out +=
    "export type {\n  AriVariableValue,\n  CallOptions,\n  Many,\n  OperationParam,\n  OperationSpecOf,\n  ParamLocation,\n} from './operation-spec.js';\n\n";

  out += jsdoc(`The ${loaded.resources.length} ARI resources, named as the api-docs files are.`);
  out += `export type AriResourceName = ${literalUnion(loaded.resources)};\n\n`;
  out += 'export const ARI_RESOURCES: readonly AriResourceName[] = [\n';
  out += loaded.resources.map((r) => `  ${quote(r)},\n`).join('');
  out += '];\n\n';
  out += jsdoc('One ARI REST operation.');
  out += 'export type OperationSpec = OperationSpecOf<AriResourceName>;\n\n';

  out += jsdoc(
    'What each resource holds, in one line (served as the descriptions of `/ari/api-docs/resources.json`).\n\n@internal',
  );
  out += 'export const ARI_RESOURCE_SUMMARIES: Readonly<Record<AriResourceName, string>> = {\n';
  out += loaded.resources.map((r) => `  ${r}: ${quote(lookups.resources.get(r, undefined, undefined))},\n`).join('');
  out += '};\n\n';
  // A list of parameters or of errors that several operations share is written once, as a constant they name.
  const rows = ops.map((o) => {
    const params = (o.op.parameters ?? []).map((p) => {
      const fields = [
        `name: ${quote(p.name)}`,
        `in: ${quote(p.paramType)}`,
        `required: ${p.required === true}`,
        `multiple: ${p.allowMultiple === true}`,
      ];
      if (p.paramType === 'body') fields.push(`body: ${quote(p.dataType === 'object' ? 'whole' : 'wrapped')}`);
      fields.push(`type: ${quote(p.dataType)}`);
      const allowed = p.allowableValues?.valueType === 'LIST' ? p.allowableValues.values : undefined;
      if (allowed) fields.push(`allowed: [${allowed.map(quote).join(', ')}]`);
      if (p.defaultValue !== undefined) {
        fields.push(`default: ${typeof p.defaultValue === 'string' ? quote(p.defaultValue) : String(p.defaultValue)}`);
      }
      return `{ ${fields.join(', ')} }`;
    });
    const errors = errorsOf(o);
    return {
      o,
      params: {
        text: `[${params.join(', ')}]`,
        size: params.length,
        name: `${camel(o.resource)}${pascal(o.op.nickname)}Params`,
      },
      errors: {
        text: `[${errors.map((e) => `{ code: ${e.code}, reason: ${quote(e.reason)} }`).join(', ')}]`,
        size: errors.length,
        name: `${camel(o.resource)}Errors${errors.map((e) => e.code).join('_')}`,
      },
    };
  });
  // Lists of three entries or more only: a shorter one stands on a line or two, and naming it would save nothing.
  const lists = rows.flatMap((row) => [
    { ...row.params, type: "OperationSpec['params']" },
    { ...row.errors, type: "OperationSpec['errors']" },
  ]);
  const uses = new Map<string, number>();
  for (const list of lists) if (list.size >= 3) uses.set(list.text, (uses.get(list.text) ?? 0) + 1);
  const shared = new Map<string, string>();
  const taken = new Set<string>();
  for (const list of lists) {
    if ((uses.get(list.text) ?? 0) < 2 || shared.has(list.text)) continue;
    if (shared.size === 0) out += '// Lists of parameters or errors that several operations share.\n';
    let name = list.name;
    for (let n = 2; taken.has(name); n++) name = `${list.name}_${n}`;
    taken.add(name);
    shared.set(list.text, name);
    out += `const ${name}: ${list.type} = ${list.text};\n`;
  }
  const ref = (list: { text: string }): string => shared.get(list.text) ?? list.text;
  out += '\n';
  out += jsdoc(`Every operation of every resource (${ops.length}), in api-docs order.`);
  out += 'export const ARI_OPERATIONS: readonly OperationSpec[] = [\n';
  for (const { o, params, errors } of rows) {
    out += '  {\n';
    out += `    resource: ${quote(o.resource)},\n`;
    out += `    nickname: ${quote(o.op.nickname)},\n`;
    out += `    method: ${quote(o.op.httpMethod)},\n`;
    out += `    path: ${quote(o.path)},\n`;
    out += `    params: ${ref(params)},\n`;
    out += `    response: ${quote(o.op.responseClass)},\n`;
    out += `    summary: ${quote(firstLine(summaryOf(o)))},\n`;
    out += `    errors: ${ref(errors)},\n`;
    if (o.op.upgrade === 'websocket') out += '    websocket: true,\n';
    out += '  },\n';
  }
  out += '];\n';

  // A parameter shape (fields, types and docs) is written once, under the name of its first operation; the other
  // operations of that shape name it with a type alias, so every operation keeps its own importable name. An
  // operation that shares two fields or more with one written before extends it (or a `Pick` of it) and writes only
  // its own fields.
  const fieldsOf = (o: Operation): Map<string, string> =>
    new Map(
      (o.op.parameters ?? []).map((p) => [
        p.name,
        `${jsdoc(paramDoc(o, p), '  ')}  ${p.name}${p.required ? '' : '?'}: ${paramType(o.resource, p)};\n`,
      ]),
    );
  const bodyOf = (fields: Map<string, string>): string => [...fields.values()].join('');
  const firstOfShape = new Map<string, string>();
  const written: { name: string; fields: Map<string, string> }[] = [];
  for (const resource of loaded.resources) {
    const mine = ops.filter((o) => o.resource === resource);
    out += `\n// --- ${resource}\n\n`;
    for (const o of mine) {
      const fields = fieldsOf(o);
      if (fields.size === 0) continue;
      const name = paramsName(o);
      out += jsdoc(`Parameters of \`${resource}.${o.op.nickname}\` (${o.op.httpMethod} ${o.path}).`);
      const body = bodyOf(fields);
      const same = firstOfShape.get(body);
      if (same) {
        out += `export type ${name} = ${same};\n\n`;
        continue;
      }
      firstOfShape.set(body, name);
      let base: { name: string; shared: string[]; all: boolean } | undefined;
      for (const w of written) {
        const shared = [...w.fields].filter(([n, text]) => fields.get(n) === text).map(([n]) => n);
        if (shared.length >= 2 && shared.length > (base?.shared.length ?? 0)) {
          base = { name: w.name, shared, all: shared.length === w.fields.size };
        }
      }
      written.push({ name, fields });
      if (!base) {
        out += `export interface ${name} {\n${body}}\n\n`;
        continue;
      }
      const parent = base.all ? base.name : `Pick<${base.name}, ${base.shared.map(quote).join(' | ')}>`;
      const own = new Map([...fields].filter(([n]) => !base.shared.includes(n)));
      out +=
        own.size === 0
          ? `export type ${name} = ${parent};\n\n`
          : `export interface ${name} extends ${parent} {\n${bodyOf(own)}}\n\n`;
    }
    out += jsdoc(`\`client.${resource}\`: the operations of ARI's \`${resource}\` resource, named by their nicknames.`);
    out += `export interface ${pascal(resource)}Api {\n`;
    for (const o of mine) {
      if (o.op.upgrade === 'websocket') continue;
      const params = o.op.parameters ?? [];
      const optional = !params.some((p) => p.required);
      const type = params.length === 0 ? 'Record<string, never>' : paramsName(o);
      const lines = [summaryOf(o), '', `\`${o.op.httpMethod} /ari${o.path}\``];
      for (const e of errorsOf(o)) lines.push(`@throws AriHttpError ${e.code}: ${e.reason}`);
      out += jsdoc(lines.join('\n'), '  ');
      out += `  ${o.op.nickname}(params${optional ? '?' : ''}: ${type}, options?: CallOptions): Promise<${resultType(o.op.responseClass)}>;\n`;
    }
    out += '}\n';
  }

  out += `\n${jsdoc('Every resource of the client, keyed as the api-docs files are named.')}`;
  out += 'export interface AriResources {\n';
  out += loaded.resources.map((r) => `  readonly ${r}: ${pascal(r)}Api;\n`).join('');
  out += '}\n';
  return out;
}

const firstLine = (text: string): string => text.split('\n', 1)[0]!;

// --- models.ts and events.ts

function renderModel(model: SwaggerModel, lookups: Lookups, options: { extends?: string; type?: string } = {}): string {
  const fields = Object.entries(model.properties);
  let out = jsdoc(lookups.models.get(model.id, undefined, model.description));
  if (fields.length === 0 && !options.extends) return `${out}export type ${model.id} = {};\n`;
  out += `export interface ${model.id}${options.extends ? ` extends ${options.extends}` : ''} {\n`;
  if (options.type) out += `  type: ${quote(options.type)};\n`;
  for (const [name, p] of fields) {
    out += jsdoc(lookups.fields.get(`${model.id}.${name}`, `*.${name}`, p.description), '  ');
    out += `  ${name}${p.required ? '' : '?'}: ${propertyType(p)};\n`;
  }
  return `${out}}\n`;
}

function countFields(models: Iterable<SwaggerModel>, lookups: Lookups): void {
  for (const m of models)
    for (const [name, p] of Object.entries(m.properties)) lookups.fields.count(`*.${name}`, p.description);
}

function renderModels(loaded: Loaded, lookups: Lookups): string {
  let out = `${header('The ARI models: resources as Asterisk sends them, wire names kept')}`;
  for (const resource of loaded.resources) {
    if (resource === 'events') continue;
    const models = Object.values(loaded.files.get(resource)!.models ?? {});
    if (models.length === 0) continue;
    out += `\n// --- ${resource}\n`;
    for (const m of models) out += `\n${renderModel(m, lookups)}`;
  }
  return out;
}

function renderEvents(loaded: Loaded, lookups: Lookups): string {
  const all = loaded.files.get('events')!.models ?? {};
  const message = all.Message!;
  const event = all.Event!;
  const errors = (message.subTypes ?? []).filter((t) => t !== 'Event');
  const events = event.subTypes ?? [];
  const special = new Set(['Message', 'Event', ...errors, ...events]);
  const helpers = Object.values(all).filter((m) => !special.has(m.id));
  const external = new Set<string>();
  for (const resource of loaded.resources) {
    if (resource !== 'events') for (const id of Object.keys(loaded.files.get(resource)!.models ?? {})) external.add(id);
  }
  const imported = new Set<string>();
  for (const m of Object.values(all)) {
    for (const p of Object.values(m.properties)) for (const name of modelNames(p.type, external)) imported.add(name);
  }

  let out = `${header('The ARI events and the models they carry, typed as a union on `type`')}\n`;
  out += `import type { ${[...imported].sort().join(', ')} } from './models.js';\n\n`;
  out += renderModel(message, lookups);
  out += `\n${renderModel(event, lookups, { extends: 'Message' })}`;
  out += '\n// --- models used inside events\n';
  for (const m of helpers) out += `\n${renderModel(m, lookups)}`;
  out += '\n// --- errors\n';
  for (const id of errors) out += `\n${renderModel(all[id]!, lookups, { extends: 'Message', type: id })}`;
  out += '\n// --- events\n';
  for (const id of events) out += `\n${renderModel(all[id]!, lookups, { extends: 'Event', type: id })}`;

  out += `\n${jsdoc('Every event Asterisk 22 documents, discriminated on `type`.')}`;
  out += `export type KnownAriEvent = ${events.join(' | ')};\n\n`;
  out += jsdoc('The `type` of every documented event.');
  out += "export type AriEventType = KnownAriEvent['type'];\n\n";
  out += jsdoc('Every documented event type, in the order of events.json.');
  out += `export const ARI_EVENT_TYPES: readonly AriEventType[] = [${events.map(quote).join(', ')}];\n\n`;
  out += jsdoc(
    "The fields of every model of events.json as `name: type`, in Swagger's type names (`string`, `int`, `Date`, `List[string]`, a model name); a trailing `?` marks an optional field. Served by the simulator's `/ari/api-docs`.\n\n@internal",
  );
  out += 'export const ARI_EVENT_MODELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {\n';
  for (const m of Object.values(all)) {
    const fields = Object.entries(m.properties).map(([n, p]) => `${n}: ${quote(p.type + (p.required ? '' : '?'))}`);
    out += `  ${m.id}: { ${fields.join(', ')} },\n`;
  }
  out += '};\n';
  out += EVENT_TAIL;
  return out;
}

// Fixed: the events a listener may receive beyond the documented ones.
const EVENT_TAIL = `
// --- Events as listeners receive them

/**
 * The compile-time type of {@link UnknownAriEvent.type}. At run time it is the plain string Asterisk sent (say
 * \`"ChannelRinging"\` from a newer Asterisk); it is never rewritten.
 *
 * Why a pattern and not \`string\`: if the fallback member of {@link AriEvent} had \`type: string\`, then
 * \`e.type === 'StasisStart'\` could only narrow \`e\` to \`StasisStart | UnknownAriEvent\`, and \`e.channel\` would be
 * \`unknown\`. A template-literal pattern that no documented name matches keeps the fallback out of every narrowing
 * on a known name, so \`switch (e.type)\` and \`if (e.type === ...)\` give exactly the documented interface, and the
 * \`default:\` branch of an exhaustive switch gives \`UnknownAriEvent\`. To compare with a name this library does not
 * know yet, read the type as a string: \`(e.type as string) === 'ChannelRinging'\`.
 */
export type UnknownAriEventType = \`\${string} (not documented by Asterisk 22)\`;

/**
 * An event whose \`type\` is not in {@link ARI_EVENT_TYPES} (a newer Asterisk, a third-party module). It is passed
 * through exactly as decoded; its other fields are \`unknown\` and must be checked before use.
 */
export interface UnknownAriEvent extends Event {
  type: UnknownAriEventType;
  readonly [field: string]: unknown;
}

/**
 * What event listeners receive: every documented event, discriminated on \`type\`, plus {@link UnknownAriEvent}
 * for the rest.
 *
 * \`\`\`ts
 * socket.onEvent((e) => {
 *   switch (e.type) {
 *     case 'StasisStart': e.channel.id; break;           // e: StasisStart
 *     case 'ChannelDtmfReceived': e.digit; break;         // e: ChannelDtmfReceived
 *   }
 *   if (!isKnownEvent(e)) log((e.type as string));        // e: UnknownAriEvent
 * });
 * \`\`\`
 */
export type AriEvent = KnownAriEvent | UnknownAriEvent;
`;

function header(what: string): string {
  return [
    "// GENERATED by scripts/generate-ari.ts (`npm run generate:ari`) from Asterisk 22's api-docs: do not edit.",
    `// ${what}.`,
    "// Names and types are Asterisk's; every description is ours (scripts/ari-docs.ts).",
    '',
  ].join('\n');
}

// --- the run

/** The doc tables of one run, with what was used and what was missing. */
export interface Lookups {
  resources: Docs;
  operations: Docs;
  params: Docs;
  errors: Docs;
  models: Docs;
  fields: Docs;
}

/** The generated files, by name, formatted as biome formats them. */
export function generate(
  apiDocsDir: string,
  docs: AriDocs = ARI_DOCS,
): { files: Map<string, string>; lookups: Lookups } {
  const loaded = load(apiDocsDir);
  const lookups: Lookups = {
    resources: new Docs(docs.resources),
    operations: new Docs(docs.operations),
    params: new Docs(docs.params),
    errors: new Docs(docs.errors),
    models: new Docs(docs.models),
    fields: new Docs(docs.fields),
  };
  countFields(
    loaded.resources.flatMap((r) => Object.values(loaded.files.get(r)!.models ?? {})),
    lookups,
  );
  const files = new Map<string, string>([
    ['operations.ts', renderOperations(loaded, lookups)],
    ['models.ts', renderModels(loaded, lookups)],
    ['events.ts', renderEvents(loaded, lookups)],
  ]);
  for (const [name, text] of files) files.set(name, format(name, text));
  return { files, lookups };
}

function format(name: string, text: string): string {
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  const run = spawnSync(process.execPath, [biome, 'format', `--stdin-file-path=src/ari/${name}`], {
    cwd: REPO,
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`biome could not format ${name}:\n${run.stderr}`);
  return run.stdout;
}

/** What keeps the output from being written: docs missing for items of the api-docs, or docs of nothing. */
export function problems(lookups: Lookups): string[] {
  const out: string[] = [];
  for (const [table, docs] of Object.entries(lookups)) {
    for (const m of docs.missing) out.push(`missing ${table}[${quote(m.key)}] (Asterisk: ${JSON.stringify(m.theirs)})`);
    for (const key of docs.unused()) out.push(`unused ${table}[${quote(key)}]`);
  }
  return [...new Set(out)];
}

function main(argv: readonly string[]): number {
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const apiDocs = resolve(
    option('--api-docs') ?? process.env.ARI_API_DOCS ?? join(REPO, '..', 'shared', 'asterisk', 'api-docs'),
  );
  const out = resolve(option('--out') ?? join(REPO, 'src', 'ari'));
  if (!existsSync(join(apiDocs, 'resources.json'))) {
    console.error(`generate:ari: no api-docs at ${apiDocs} (no resources.json); give --api-docs DIR or ARI_API_DOCS`);
    return 1;
  }
  const { files, lookups } = generate(apiDocs);
  const found = problems(lookups);
  if (argv.includes('--todo')) {
    for (const line of found) console.log(line);
    return 0;
  }
  if (found.length > 0 && !argv.includes('--draft')) {
    console.error(`generate:ari: scripts/ari-docs.ts is out of step with the api-docs:\n  ${found.join('\n  ')}`);
    return 1;
  }
  mkdirSync(out, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(out, name), text);
  console.log(`generate:ari: wrote ${[...files.keys()].join(', ')} to ${out}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
