// The TypeScript side of the ARI events must match Asterisk's own events.json: every event model is in the union
// and in ARI_EVENT_TYPES, no type Asterisk does not document is, and every interface has exactly the documented
// fields with the documented required-ness. The interfaces are read with the TypeScript compiler, not restated.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ARI_EVENT_TYPES,
  type AriEvent,
  type AriEventType,
  type KnownAriEvent,
  type StasisStart,
  type UnknownAriEvent,
} from '../../src/ari/events.js';
import { API_DOCS_DIR, apiDocsPresent } from '../helpers/missing.js';

interface SwaggerProperty {
  type: string;
  required?: boolean;
}
interface SwaggerModel {
  id: string;
  properties: Record<string, SwaggerProperty>;
  subTypes?: string[];
}

const DOCS = apiDocsPresent("the event types against Asterisk's events.json (conformance-events.test.ts)");
const models: Record<string, SwaggerModel> = DOCS
  ? JSON.parse(readFileSync(`${API_DOCS_DIR}events.json`, 'utf8')).models
  : {};
const documentedTypes = models.Event?.subTypes ?? [];

/** Every property of `id` with the ones it inherits from Event and Message. */
function documentedFields(id: string): Map<string, boolean> {
  const fields = new Map<string, boolean>();
  for (const model of [models.Message!, models.Event!, models[id]!]) {
    for (const [name, p] of Object.entries(model.properties)) fields.set(name, p.required === true);
  }
  return fields;
}

/** The fields of each member of `KnownAriEvent`, as the compiler sees them: name -> required. */
function typeScriptFields(): Map<string, Map<string, boolean>> {
  const file = fileURLToPath(new URL('../../src/ari/events.ts', import.meta.url));
  const program = ts.createProgram([file], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'KnownAriEvent',
  )!;
  const union = checker.getTypeAtLocation(alias.name);
  const result = new Map<string, Map<string, boolean>>();
  for (const member of union.isUnion() ? union.types : [union]) {
    const typeProp = member.getProperty('type')!;
    const literal = checker.getTypeOfSymbolAtLocation(typeProp, alias);
    const name = literal.isStringLiteral() ? literal.value : `<non-literal ${checker.typeToString(literal)}>`;
    const fields = new Map<string, boolean>();
    for (const prop of member.getProperties()) {
      fields.set(prop.name, (prop.flags & ts.SymbolFlags.Optional) === 0);
    }
    result.set(name, fields);
  }
  return result;
}

describe.skipIf(!DOCS)('ARI events conform to events.json of Asterisk 22', () => {
  it('ARI_EVENT_TYPES lists exactly the documented event models, once each', () => {
    expect(documentedTypes.length).toBeGreaterThan(40);
    expect(new Set(ARI_EVENT_TYPES).size).toBe(ARI_EVENT_TYPES.length);
    expect([...ARI_EVENT_TYPES].sort()).toEqual([...documentedTypes].sort());
    for (const type of documentedTypes) expect(models[type], `model ${type}`).toBeDefined();
  });

  const tsFields = typeScriptFields();

  it('the KnownAriEvent union has one member per documented event and no other', () => {
    expect([...tsFields.keys()].sort()).toEqual([...documentedTypes].sort());
  });

  it.each(documentedTypes)('%s has the documented fields, required where Asterisk requires them', (type) => {
    const documented = documentedFields(type);
    const actual = tsFields.get(type);
    expect(actual, `${type} missing from KnownAriEvent`).toBeDefined();
    // Message.type is documented as a plain required string; the union narrows it to the literal.
    expect(Object.fromEntries(actual!)).toEqual(Object.fromEntries(documented));
  });

  it('types listeners so that a known name narrows to its interface and the rest stays loose', () => {
    expectTypeOf<KnownAriEvent['type']>().toEqualTypeOf<AriEventType>();
    expectTypeOf<Extract<AriEvent, { type: 'StasisStart' }>>().toEqualTypeOf<StasisStart>();
    expectTypeOf<Exclude<AriEvent, KnownAriEvent>>().toEqualTypeOf<UnknownAriEvent>();
    expectTypeOf<UnknownAriEvent['type']>().toExtend<string>();
    // `'StasisStart'` must not fit the fallback's type, or narrowing would keep UnknownAriEvent in.
    expectTypeOf<'StasisStart'>().not.toExtend<UnknownAriEvent['type']>();
    const narrow = (e: AriEvent): string | undefined => (e.type === 'StasisStart' ? e.channel.id : undefined);
    expect(narrow({ type: 'StasisStart', channel: { id: 'c1' } } as unknown as AriEvent)).toBe('c1');
  });
});
