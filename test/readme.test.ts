import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every ```ts block of README.md is typechecked against the sources, as a user's module importing the package.
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');
const PACKAGE = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  name: string;
  exports: Record<string, string | { import?: string }>;
};
// The snippets are compiled as files of this folder (never written to disk), so that the repository's package.json
// makes them ES modules (top-level await) and relative imports reach the sources.
const SNIPPET_DIR = `${ROOT}.readme-snippets/`;

interface Snippet {
  /** The README line of the snippet's first code line (1-based). */
  readonly line: number;
  readonly code: string;
}

function tsBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(?:ts|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trimEnd() !== `${indent}\`\`\``; j++) {
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    if (j === lines.length) throw new Error(`README.md:${i + 1}: a \`\`\`ts block is never closed`);
    blocks.push({ line: i + 2, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

// `ari-voicemail/simulator` -> the source file its `exports` entry is built from (`./dist/src/simulator/index.js`
// -> `src/simulator/index.js`), so that a snippet importing an entry point the package does not export fails.
function sourceOf(specifier: string): string | undefined {
  const name = PACKAGE.name;
  if (specifier !== name && !specifier.startsWith(`${name}/`)) return undefined;
  const entry = PACKAGE.exports[`.${specifier.slice(name.length)}`];
  const target = typeof entry === 'string' ? entry : entry?.import;
  if (target === undefined || !target.startsWith('./dist/')) return undefined;
  return `${ROOT}${target.slice('./dist/'.length)}`;
}

// The snippet with each import of the package pointed at the sources, on the same line (line numbers are kept).
function rewrite(code: string, fileName: string): { code: string; unknown: string[] } {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const unknown: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier
        ? node.moduleSpecifier
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
          ? node.arguments[0]
          : undefined;
    if (specifier && ts.isStringLiteral(specifier)) {
      const text = specifier.text;
      if (text === PACKAGE.name || text.startsWith(`${PACKAGE.name}/`)) {
        const target = sourceOf(text);
        if (target === undefined) unknown.push(text);
        else {
          const relative = `../${target.slice(ROOT.length)}`;
          edits.push({ start: specifier.getStart(source), end: specifier.getEnd(), text: JSON.stringify(relative) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return { code: out, unknown };
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = `${ROOT}tsconfig.json`;
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath);
  return { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
}

/** Typechecks the ```ts blocks of a Markdown text; returns one message per error, `README.md:<line>: <message>`. */
function checkSnippets(markdown: string): { count: number; errors: string[] } {
  const snippets = tsBlocks(markdown);
  const files = new Map<string, Snippet & { code: string }>();
  const errors: string[] = [];
  snippets.forEach((snippet, i) => {
    const fileName = `${SNIPPET_DIR}snippet-${i + 1}.ts`;
    const { code, unknown } = rewrite(snippet.code, fileName);
    for (const specifier of unknown) {
      errors.push(`README.md:${snippet.line}: '${specifier}' is not an entry point of the package`);
    }
    files.set(fileName, { line: snippet.line, code });
  });
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name)?.code ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const file = files.get(name);
    if (file) return ts.createSourceFile(name, file.code, languageVersion, true, ts.ScriptKind.TS);
    return getSourceFile.call(host, name, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const d of global) errors.push(`tsconfig: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  for (const [fileName, snippet] of files) {
    const source = program.getSourceFile(fileName)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const d of diagnostics) {
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      errors.push(`README.md:${snippet.line + line}: TS${d.code}: ${message}`);
    }
  }
  return { count: snippets.length, errors };
}

describe('README.md', () => {
  it('has TypeScript examples, and every one typechecks against the package as a user imports it', () => {
    const { count, errors } = checkSnippets(README);
    expect(count).toBeGreaterThan(0);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('a wrong snippet fails with its README line, and so does an entry point the package does not export', () => {
    const markdown = [
      '# Title', // line 1
      '',
      '```ts',
      "import { createAriClient } from 'ari-voicemail';", // line 4
      "const client = createAriClient({ url: 'http://localhost:8088' });", // line 5: credentials and apps missing
      'await client.connect();',
      'client.nonsense();', // line 7
      '```',
      '',
      '  ```ts',
      "  import { createSimulator } from 'ari-voicemail/internal';", // line 11
      '  ```',
    ].join('\n');
    const { count, errors } = checkSnippets(markdown);
    expect(count).toBe(2);
    expect(errors.some((e) => e.startsWith('README.md:5: TS'))).toBe(true);
    expect(errors).toContainEqual(expect.stringMatching(/^README\.md:7: TS2339: .*nonsense/));
    expect(errors).toContainEqual("README.md:11: 'ari-voicemail/internal' is not an entry point of the package");
  });
});
