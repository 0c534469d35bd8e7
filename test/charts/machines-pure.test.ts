import { execFile } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MACHINES = fileURLToPath(new URL('../../machines/', import.meta.url));

interface Import {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

// Every module a file loads at run time or names for types: import/export declarations, import(), require().
function importsOf(fileName: string, text: string): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.isTypeOnly === true ||
          (node.importClause !== undefined &&
            node.importClause.name === undefined &&
            node.importClause.namedBindings !== undefined &&
            ts.isNamedImports(node.importClause.namedBindings) &&
            node.importClause.namedBindings.elements.length > 0 &&
            node.importClause.namedBindings.elements.every((e) => e.isTypeOnly))
        : node.isTypeOnly;
      found.push({ specifier, typeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        found.push({ specifier: (node.arguments[0] as ts.StringLiteral).text, typeOnly: false });
      }
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('machines/ opens in Stately’s editor as it is', async () => {
  const files = (await readdir(MACHINES)).filter((f) => f.endsWith('.ts')).sort();

  it('has machine files', () => {
    expect(files.filter((f) => f !== 'index.ts').length).toBeGreaterThan(0);
  });

  it.each(files.filter((f) => f !== 'index.ts'))('%s imports nothing but xstate (and types)', async (file) => {
    const imports = importsOf(file, await readFile(`${MACHINES}${file}`, 'utf8'));
    const runtime = imports.filter((i) => !i.typeOnly).map((i) => i.specifier);
    expect(
      runtime.filter((s) => s !== 'xstate'),
      `${file} must import only xstate at run time`,
    ).toEqual([]);
    expect(imports.map((i) => i.specifier).filter((s) => /^(undici|ws)(\/|$)/.test(s))).toEqual([]);
  });

  it('index.ts only re-exports the machine files next to it', async () => {
    const imports = importsOf('index.ts', await readFile(`${MACHINES}index.ts`, 'utf8'));
    expect(imports.length).toBeGreaterThan(0);
    for (const { specifier } of imports) expect(specifier).toMatch(/^\.\/[\w-]+\.js$/);
  });

  it('spots a forbidden import (the check itself works)', () => {
    const text = [
      "import { setup } from 'xstate';",
      "import type { Channel } from '../src/ari/models.js';",
      "import { type A, type B } from './types.js';",
      "import { request } from 'undici';",
      "const ws = await import('ws');",
      "export { x } from './helper.js';",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: 'xstate', typeOnly: false },
      { specifier: '../src/ari/models.js', typeOnly: true },
      { specifier: './types.js', typeOnly: true },
      { specifier: 'undici', typeOnly: false },
      { specifier: 'ws', typeOnly: false },
      { specifier: './helper.js', typeOnly: false },
    ]);
  });

  // The rule that keeps them so is biome.json's noRestrictedImports for machines/**, run by `npm run lint`: a file
  // there importing anything but xstate, its neighbours and ARI's event and model types fails the lint.
  it('npm run lint refuses a machine file that imports the runtime, a Node module or undici', async () => {
    const probe = `${MACHINES}lint-probe-${process.pid}.ts`;
    await writeFile(
      probe,
      [
        "import { readFile } from 'node:fs';",
        "import { request } from 'undici';",
        "import { createStasisApp } from '../src/runtime/app.js';",
        "import type { StasisEnd } from '../src/ari/events.js';",
        "import { setup } from 'xstate';",
        "import { voicemailMachine } from './voicemail.js';",
        '',
        'export type { StasisEnd };',
        'export { createStasisApp, readFile, request, setup, voicemailMachine };',
        '',
      ].join('\n'),
    );
    try {
      const biome = fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url));
      const failed = await promisify(execFile)(biome, ['lint', '--max-diagnostics=50', probe]).then(
        () => undefined,
        (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
      );
      expect(failed).toBeDefined();
      const flagged = [...failed!.matchAll(/>\s*\d+ │ import .* from '([^']+)'/g)].map((m) => m[1]);
      expect(flagged).toEqual(['node:fs', 'undici', '../src/runtime/app.js']);
    } finally {
      await rm(probe, { force: true });
    }
  }, 60_000);
});
