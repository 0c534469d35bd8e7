/**
 * `npm run api`: writes docs/api-report.md, the public surface of the package: for each entry point of
 * package.json's `exports`, every exported name with its declaration as the published `.d.ts` states it (doc comments
 * left out). The declarations are emitted in memory by the TypeScript compiler, so the report is what a user's editor
 * sees. `npm run api -- --check` writes nothing and exits with 1 when the committed report differs.
 *
 * The report also lists, per entry point, the types a public declaration names that no entry point exports (a user
 * cannot import them to type a variable) and the exports without a doc comment.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const REPORT_FILE = join(ROOT, 'docs', 'api-report.md');

/** An entry point: the name users import and its source file. */
export interface ApiEntry {
  readonly name: string;
  readonly source: string;
}

/** One exported name of an entry point. */
export interface ApiExport {
  readonly name: string;
  /** `value` for anything that exists at run time (function, class, constant), else `type`. */
  readonly kind: 'value' | 'type';
  /** The declaration(s) as the .d.ts states them, without doc comments. */
  readonly declaration: string;
  readonly documented: boolean;
  /** Where it is declared, relative to the project (`src/ari/client.ts`). */
  readonly module: string;
  /** The name it is declared with, when it is exported under another. */
  readonly declaredAs?: string;
}

/** The surface of one entry point. */
export interface ApiSurface {
  readonly entry: ApiEntry;
  readonly exports: readonly ApiExport[];
  /** Types named by a declaration of this entry point that no entry point exports, as `Type (used by Export)`. */
  readonly unreachable: readonly string[];
}

/** The package's entry points, from package.json's `exports` (`./dist/src/index.js` → `src/index.ts`). */
export async function packageEntries(root = ROOT): Promise<ApiEntry[]> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { import?: string }>;
  };
  const entries: ApiEntry[] = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : target.import;
    if (!file?.endsWith('.js') || !file.startsWith('./dist/')) continue;
    const source = join(root, file.slice('./dist/'.length).replace(/\.js$/, '.ts'));
    entries.push({ name: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, source });
  }
  return entries;
}

const isOurs = (fileName: string, outDir: string) => fileName.startsWith(outDir);

/** Emits the declarations of `entries` in memory and reads their surfaces from them. */
export function apiSurfaces(entries: readonly ApiEntry[], root = ROOT): ApiSurface[] {
  const configFile = join(root, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  const outDir = join(root, '.api-dts') + '/';
  const options: ts.CompilerOptions = {
    ...parsed.options,
    declaration: true,
    stripInternal: true,
    emitDeclarationOnly: true,
    noEmit: false,
    sourceMap: false,
    declarationMap: false,
    rootDir: root,
    outDir,
    paths: undefined,
  };
  const program = ts.createProgram(
    entries.map((e) => e.source),
    options,
  );
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length > 0) {
    throw new Error(
      ts.formatDiagnostics(problems, { ...ts.sys, getCanonicalFileName: (f) => f, getNewLine: () => '\n' }),
    );
  }
  const declarations = new Map<string, string>();
  program.emit(undefined, (fileName, text) => {
    if (fileName.endsWith('.d.ts')) declarations.set(resolve(fileName), text);
  });

  // A second program over the emitted .d.ts alone (the sources hidden), as a user's compiler would see the package.
  const host = ts.createCompilerHost({});
  const sourceOf = (fileName: string) => resolve(fileName);
  const hidden = (fileName: string) => {
    const abs = sourceOf(fileName);
    return abs.startsWith(root) && !abs.includes(`${'/'}node_modules${'/'}`) && !declarations.has(abs);
  };
  host.fileExists = (fileName) =>
    declarations.has(sourceOf(fileName)) || (!hidden(fileName) && ts.sys.fileExists(fileName));
  host.readFile = (fileName) =>
    declarations.get(sourceOf(fileName)) ?? (hidden(fileName) ? undefined : ts.sys.readFile(fileName));
  host.directoryExists = (dir) => sourceOf(dir).startsWith(outDir.slice(0, -1)) || ts.sys.directoryExists(dir);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language) => {
    const text = declarations.get(sourceOf(fileName));
    return text === undefined
      ? baseGetSourceFile(fileName, language)
      : ts.createSourceFile(fileName, text, language, true);
  };
  const dts = (source: string) => join(outDir, relative(root, source)).replace(/\.ts$/, '.d.ts');
  const dtsProgram = ts.createProgram(
    entries.map((e) => dts(e.source)),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      skipLibCheck: true,
      noEmit: true,
      strict: true,
    },
    host,
  );
  // The published declarations must compile on their own (e.g. nothing extends a type `stripInternal` removed).
  const dtsProblems = [...dtsProgram.getSemanticDiagnostics(), ...dtsProgram.getSyntacticDiagnostics()].filter(
    (d) => d.file !== undefined && isOurs(d.file.fileName, outDir),
  );
  if (dtsProblems.length > 0) {
    const format = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    throw new Error(`the emitted declarations do not compile:\n${ts.formatDiagnostics(dtsProblems, format)}`);
  }
  const checker = dtsProgram.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

  const resolveAlias = (symbol: ts.Symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const exportsOf = (entry: ApiEntry) => {
    const file = dtsProgram.getSourceFile(dts(entry.source));
    if (!file) throw new Error(`no declarations emitted for ${entry.source}`);
    const moduleSymbol = checker.getSymbolAtLocation(file);
    return moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  };
  // `export type { SomeClass }`: the class exists at run time, but not as an export of this entry point.
  const typeOnly = (symbol: ts.Symbol) =>
    (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
  const exported = new Set<ts.Symbol>();
  for (const entry of entries) for (const s of exportsOf(entry)) exported.add(resolveAlias(s));

  return entries.map((entry) => {
    const out: ApiExport[] = [];
    const unreachable = new Set<string>();
    for (const symbol of exportsOf(entry)) {
      const target = resolveAlias(symbol);
      const decls = (target.declarations ?? []).filter((d) => isOurs(d.getSourceFile().fileName, outDir));
      if (decls.length === 0)
        throw new Error(
          `${entry.name}: ${symbol.name} has no declaration in the package (${(target.declarations ?? []).map((d) => d.getSourceFile().fileName).join(', ')}) ${target.flags}`,
        );
      const texts: string[] = [];
      let documented = false;
      for (const decl of decls) {
        const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
        texts.push(printer.printNode(ts.EmitHint.Unspecified, node, decl.getSourceFile()));
        documented ||= ts.getJSDocCommentsAndTags(decl).length > 0 || ts.getJSDocCommentsAndTags(node).length > 0;
        const visit = (n: ts.Node): void => {
          if (ts.isTypeReferenceNode(n) || ts.isExpressionWithTypeArguments(n) || ts.isTypeQueryNode(n)) {
            const name = ts.isTypeReferenceNode(n) ? n.typeName : ts.isTypeQueryNode(n) ? n.exprName : n.expression;
            const used = checker.getSymbolAtLocation(name);
            if (used) {
              const t = resolveAlias(used);
              const inPackage = (t.declarations ?? []).some((d) => isOurs(d.getSourceFile().fileName, outDir));
              const typeParameter = (t.flags & ts.SymbolFlags.TypeParameter) !== 0;
              if (inPackage && !typeParameter && !exported.has(t) && t !== target) {
                unreachable.add(`${t.name} (used by ${symbol.name})`);
              }
            }
          }
          ts.forEachChild(n, visit);
        };
        visit(node);
      }
      const file = decls[0]!.getSourceFile().fileName;
      out.push({
        name: symbol.name,
        kind: target.flags & ts.SymbolFlags.Value && !typeOnly(symbol) ? 'value' : 'type',
        declaration: texts.join('\n'),
        documented,
        module: relative(outDir, file).replace(/\.d\.ts$/, '.ts'),
        ...(target.name !== symbol.name ? { declaredAs: target.name } : {}),
      });
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { entry, exports: out, unreachable: [...unreachable].sort() };
  });
}

/** The report's Markdown. */
export function renderReport(surfaces: readonly ApiSurface[]): string {
  const lines = [
    '# API report',
    '',
    'Generated by `npm run api` from the declarations (`.d.ts`) the package publishes: do not edit by hand. A test',
    'fails when the public surface changes and this file does not; run `npm run api` and review the diff.',
    '',
  ];
  for (const { entry, exports, unreachable } of surfaces) {
    const values = exports.filter((e) => e.kind === 'value').length;
    lines.push(`## \`${entry.name}\``, '');
    lines.push(`${values} values, ${exports.length - values} types.`, '');
    const undocumented = exports.filter((e) => !e.documented).map((e) => `\`${e.name}\``);
    lines.push(`Not importable, though a declaration names them: ${unreachable.length === 0 ? 'none.' : ''}`);
    for (const u of unreachable) lines.push(`- \`${u.replace(' (', '` (')}`);
    lines.push('', `Without a doc comment: ${undocumented.length === 0 ? 'none' : undocumented.join(', ')}.`, '');
    lines.push('```ts');
    for (const e of exports) {
      const alias = e.declaredAs === undefined ? '' : ` (declared as ${e.declaredAs})`;
      lines.push(`// ${e.name}: ${e.kind}, ${e.module}${alias}`, e.declaration, '');
    }
    if (lines.at(-1) === '') lines.pop();
    lines.push('```', '');
  }
  return lines.join('\n');
}

/** The report as `npm run api` would write it now. */
export async function expectedReport(root = ROOT): Promise<string> {
  return renderReport(apiSurfaces(await packageEntries(root), root));
}

async function main(args: string[]): Promise<number> {
  const report = await expectedReport();
  if (args.includes('--check')) {
    const committed = await readFile(REPORT_FILE, 'utf8').catch(() => '');
    if (committed === report) return 0;
    console.error(`${relative(ROOT, REPORT_FILE)} is out of date: run \`npm run api\` and commit it`);
    return 1;
  }
  await writeFile(REPORT_FILE, report);
  console.log(`wrote ${relative(ROOT, REPORT_FILE)}`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
