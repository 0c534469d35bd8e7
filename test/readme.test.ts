import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/simulator/index.js';

// Every ```ts block of README.md is typechecked against the sources, as a user's module importing the package, and
// every block marked `ts run` or `ts service` is run as a user would run it (tsx, in an empty folder, the package's
// name resolving to the sources as in the examples). A `text output` block right after it lists lines it must print.
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');
const PACKAGE = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  name: string;
  exports: Record<string, string | { import?: string }>;
};
// The snippets are compiled as files of this folder (never written to disk), so that the repository's package.json
// makes them ES modules (top-level await) and relative imports reach the sources.
const SNIPPET_DIR = `${ROOT}.readme-snippets/`;

/** How a ```ts block is used: run to its end, run as a service (stopped once it printed its output), or typechecked. */
type Mode = 'run' | 'service' | 'fragment';
const MODES: readonly string[] = ['run', 'service', 'fragment'];

interface Snippet {
  /** The README line of the snippet's first code line (1-based). */
  readonly line: number;
  readonly code: string;
  /** `undefined` when the block has no (or an unknown) mark: an error. */
  readonly mode: Mode | undefined;
  /** The lines of the `text output` block that follows it, if any. */
  readonly output: readonly string[];
}

interface Fence {
  readonly line: number;
  readonly info: string;
  readonly body: string[];
}

function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trimEnd() !== `${indent}\`\`\``; j++) {
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    if (j === lines.length) throw new Error(`README.md:${i + 1}: a \`\`\` block is never closed`);
    out.push({ line: i + 1, info: open[2]!.trim(), body });
    i = j;
  }
  return out;
}

function tsBlocks(markdown: string): Snippet[] {
  const all = fences(markdown);
  const blocks: Snippet[] = [];
  all.forEach((fence, k) => {
    const [lang, mark] = fence.info.split(/\s+/);
    if (lang !== 'ts' && lang !== 'typescript') return;
    const next = all[k + 1];
    const output = next && next.info === 'text output' ? next.body.filter((l) => l.trim() !== '') : [];
    const mode = MODES.includes(mark ?? '') ? (mark as Mode) : undefined;
    blocks.push({ line: fence.line + 1, code: fence.body.join('\n'), mode, output });
  });
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
    if (snippet.mode === undefined) {
      errors.push(`README.md:${snippet.line - 1}: mark the block \`\`\`ts run, \`\`\`ts service or \`\`\`ts fragment`);
    }
    const fileName = `${SNIPPET_DIR}snippet-${i + 1}.ts`;
    const { code, unknown } = rewrite(snippet.code, fileName);
    for (const specifier of unknown) {
      errors.push(`README.md:${snippet.line}: '${specifier}' is not an entry point of the package`);
    }
    files.set(fileName, { ...snippet, code });
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
      '```ts fragment',
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
    expect(errors).toContainEqual('README.md:10: mark the block ```ts run, ```ts service or ```ts fragment');
  });
});

// ---- Running the blocks -------------------------------------------------------------------------------------------

const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const RUN_LIMIT_MS = 60_000;

interface Ran {
  readonly code: number | string;
  readonly lines: string[];
}

/**
 * Writes the snippet into an empty folder with a package.json (ES module) and a tsconfig.json whose `paths` map the
 * package's entry points to the sources, then runs it with tsx there. A service is stopped (SIGTERM) once every line
 * of `expected` was printed; a run must exit by itself. Either way it fails after RUN_LIMIT_MS.
 */
async function runSnippet(snippet: Snippet, env: Record<string, string>): Promise<Ran> {
  const dir = await mkdtemp(join(tmpdir(), 'ari-voicemail-readme-'));
  try {
    const paths: Record<string, string[]> = {};
    for (const key of Object.keys(PACKAGE.exports)) {
      const source = sourceOf(`${PACKAGE.name}${key.slice(1)}`);
      if (source) paths[`${PACKAGE.name}${key.slice(1)}`] = [source.replace(/\.js$/, '.ts')];
    }
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'readme-snippet', private: true, type: 'module' }),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, paths },
      }),
    );
    await writeFile(join(dir, 'snippet.ts'), snippet.code);
    const proc = spawn(process.execPath, [TSX, '--tsconfig', join(dir, 'tsconfig.json'), 'snippet.ts'], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: tsx and the node it starts are stopped together
    });
    const stop = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-proc.pid!, signal);
      } catch {
        // Gone already.
      }
    };
    const lines: string[] = [];
    let partial = '';
    const printed = (): boolean => containsInOrder(lines, snippet.output);
    const exited = new Promise<number | string>((resolve) => proc.once('close', (c, sig) => resolve(c ?? sig ?? -1)));
    const timer = setTimeout(() => stop('SIGKILL'), RUN_LIMIT_MS);
    const take = (chunk: Buffer): void => {
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      if (snippet.mode === 'service' && printed()) stop('SIGTERM');
    };
    proc.stdout.on('data', take);
    proc.stderr.on('data', take);
    const code = await exited;
    clearTimeout(timer);
    if (partial) lines.push(partial);
    return { code, lines };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** True when every line of `expected` is among `lines`, in that order (other lines may come between). */
function containsInOrder(lines: readonly string[], expected: readonly string[]): boolean {
  let k = 0;
  for (const line of lines) if (k < expected.length && line.trimEnd() === expected[k]!.trimEnd()) k++;
  return k === expected.length;
}

describe('README.md blocks, run', () => {
  const snippets = tsBlocks(README);
  const runs = snippets.filter((s) => s.mode === 'run');
  const services = snippets.filter((s) => s.mode === 'service');
  let sim: Simulator;
  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('has blocks to run, and a printed result to check for each', () => {
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(services.length).toBeGreaterThanOrEqual(1);
    for (const s of [...runs, ...services]) expect(s.output.length, `README.md:${s.line}`).toBeGreaterThan(0);
  });

  it.each(runs.map((s) => [s.line, s] as const))(
    'the `ts run` block at line %i runs to its end in an empty folder and prints what the README says',
    async (_line, snippet) => {
      const { code, lines } = await runSnippet(snippet, {});
      const shown = `README.md:${snippet.line}, printed:\n${lines.join('\n')}`;
      expect(code, shown).toBe(0);
      expect(containsInOrder(lines, snippet.output), shown).toBe(true);
    },
    RUN_LIMIT_MS + 10_000,
  );

  it.each(services.map((s) => [s.line, s] as const))(
    'the `ts service` block at line %i starts against a simulator given as ARI_URL and prints what the README says',
    async (_line, snippet) => {
      const env = { ARI_URL: sim.url, ARI_USERNAME: sim.username, ARI_PASSWORD: sim.password };
      const { code, lines } = await runSnippet(snippet, env);
      const shown = `README.md:${snippet.line}, printed:\n${lines.join('\n')}`;
      expect(containsInOrder(lines, snippet.output), shown).toBe(true);
      // Stopped by the test (tsx passes the signal on: 143), not ended by an error.
      expect([143, 'SIGTERM'], shown).toContain(code);
    },
    RUN_LIMIT_MS + 10_000,
  );

  it('a block that fails, or prints something else, fails its check', async () => {
    const failing = await runSnippet(
      { line: 1, mode: 'run', output: [], code: "console.log('before'); throw new Error('broken');" },
      {},
    );
    expect(failing.code).toBe(1);
    expect(failing.lines).toContain('before');
    expect(containsInOrder(failing.lines, ['before', 'after'])).toBe(false);
    const importing = await runSnippet(
      {
        line: 1,
        mode: 'run',
        output: [],
        code: "import { parseMailboxAddress } from 'ari-voicemail';\nconsole.log(parseMailboxAddress('305').context);",
      },
      {},
    );
    expect(importing).toEqual({ code: 0, lines: ['default'] });
  }, 30_000);
});
