import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ApiSurface, apiSurfaces, packageEntries, REPORT_FILE, renderReport } from '../../scripts/api-report.js';

// The public surface is what docs/api-report.md says it is: the report is rendered again from the declarations the
// package publishes and must equal the committed file, so a change of the surface shows up in review as a change of
// the report. The root entry stays small and every type a public declaration names can be imported.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

let surfaces: ApiSurface[] | undefined;
async function ours(): Promise<ApiSurface[]> {
  surfaces ??= apiSurfaces(await packageEntries(ROOT), ROOT);
  return surfaces;
}

describe('the public surface', () => {
  it('equals the committed docs/api-report.md', async () => {
    const committed = await readFile(REPORT_FILE, 'utf8');
    expect(
      renderReport(await ours()) === committed,
      'the public surface changed: run `npm run api` and commit docs/api-report.md',
    ).toBe(true);
  }, 120_000);

  it('has at most 60 values at the root, each listed by name in src/index.ts', async () => {
    const root = (await ours()).find((s) => s.entry.name === 'ari-voicemail')!;
    const values = root.exports.filter((e) => e.kind === 'value').map((e) => e.name);
    expect(values.length).toBeGreaterThan(20);
    expect(values.length).toBeLessThanOrEqual(60);
    for (const internal of [
      'bindCallScope',
      'callScopeOf',
      'safeToken',
      'validateDigits',
      'wavSamples',
      'recordWith',
    ]) {
      expect(values).not.toContain(internal);
    }
    for (const name of ['ARI_OPERATIONS', 'sharedRecorderMachine', 'reconnectDelay']) {
      expect(root.exports.map((e) => e.name)).not.toContain(name);
    }
    const index = await readFile(join(ROOT, 'src', 'index.ts'), 'utf8');
    expect(index).not.toMatch(/^export\s+(type\s+)?\*/m);
  }, 120_000);

  it('lets a user import every type a public declaration names', async () => {
    for (const surface of await ours()) expect(surface.unreachable, surface.entry.name).toEqual([]);
    const machines = (await ours()).find((s) => s.entry.name === 'ari-voicemail/machines')!;
    const names = machines.exports.map((e) => e.name);
    for (const name of ['RecordTarget', 'PauseMode', 'StoredFile', 'RecordCallError', 'RecordCommand']) {
      expect(names).toContain(name);
    }
  }, 120_000);
});

// A package of two files, to see the report follow a change of a signature and name a type nobody can import.
async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ari-voicemail-api-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'pkg', type: 'module', exports: { '.': './dist/src/index.js' } }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [], rootDir: '.' },
    }),
    'tsconfig.build.json': JSON.stringify({ extends: './tsconfig.json', include: ['src'] }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('the report', () => {
  const lib = (signature: string) => ({
    'src/index.ts': "export { open } from './open.js';\n",
    'src/open.ts': `interface Hidden { readonly x: number }\n/** Opens it. */\nexport function open(${signature}): Hidden {\n  return { x: 1 };\n}\n`,
  });

  it('changes when a signature changes, and names a type that cannot be imported', async () => {
    const before = await fixture(lib('path: string'));
    const after = await fixture(lib('path: string, mode?: number'));
    const [a] = apiSurfaces(await packageEntries(before), before);
    const [b] = apiSurfaces(await packageEntries(after), after);
    expect(a!.exports.map((e) => [e.name, e.kind, e.documented])).toEqual([['open', 'value', true]]);
    expect(a!.exports[0]!.declaration).toBe('export declare function open(path: string): Hidden;');
    expect(a!.unreachable).toEqual(['Hidden (used by open)']);
    expect(renderReport([a!])).not.toBe(renderReport([b!]));
    expect(renderReport([b!])).toContain('export declare function open(path: string, mode?: number): Hidden;');
  }, 60_000);
});
