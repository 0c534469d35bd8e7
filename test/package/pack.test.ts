import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Builds and packs the library, installs the tarball offline into an empty project, and uses each entry point
// from plain JavaScript and from TypeScript, as a user would after `npm install ari-voicemail`.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const modules = (name: string) => join(ROOT, 'node_modules', name);
// The package's runtime dependencies and required peers, read from its package.json and taken from this
// repository's node_modules: no network (a dependency added later is linked too, not fetched).
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const LINKED = [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}).filter((n) => !manifest.peerDependenciesMeta?.[n]?.optional),
  '@types/node',
  '@types/ws',
];
const ENTRIES = ['ari-voicemail', 'ari-voicemail/machines', 'ari-voicemail/simulator'] as const;

let dir: string;
let project: string;
let tarball: string;

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  return stdout;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ari-voicemail-pack-'));
  project = join(dir, 'consumer');
  await mkdir(project);
  await npm(['run', 'build'], ROOT);
  const packed = JSON.parse(
    await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT),
  ) as Array<{
    filename: string;
  }>;
  tarball = join(dir, packed[0]!.filename);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await npm(
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      tarball,
      ...LINKED.map((n) => `file:${modules(n)}`),
    ],
    project,
  );
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the built entries and declarations, and no sources or tests', async () => {
    const listing = JSON.parse(await npm(['pack', '--dry-run', '--ignore-scripts', '--json'], ROOT)) as Array<{
      files: Array<{ path: string }>;
    }>;
    const files = listing[0]!.files.map((f) => f.path);
    for (const file of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/machines/index.js',
      'dist/machines/index.d.ts',
    ]) {
      expect(files).toContain(file);
    }
    expect(files).toEqual(
      expect.arrayContaining(['dist/src/simulator/index.js', 'dist/src/simulator/index.d.ts', 'package.json']),
    );
    expect(files.filter((f) => /^(src|test|machines|scripts|examples)\//.test(f) || f.endsWith('.test.js'))).toEqual(
      [],
    );
  });

  it.each(ENTRIES)('%s imports from plain JavaScript', async (entry) => {
    const script = join(project, `use-${entry.replace(/\W/g, '_')}.mjs`);
    await writeFile(script, USES[entry]);
    const { stdout } = await run(process.execPath, [script], { cwd: project });
    expect(stdout.trim()).toBe(`ok ${entry}`);
  });

  it('imports with types from TypeScript (wrong types do not compile)', async () => {
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    await writeFile(join(project, 'consumer.ts'), TYPED);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', project], { cwd: project }).catch(
      (error: { stdout?: string; stderr?: string }) => ({
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? 'failed',
      }),
    );
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    // The check is real: without the expected errors the same file does not compile.
    await writeFile(join(project, 'consumer.ts'), TYPED.replace(/^\/\/ @ts-expect-error.*\n/gm, ''));
    const broken = await run(process.execPath, [tsc, '-p', project], { cwd: project }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    expect(broken.match(/error TS\d+/g)).toEqual(['error TS2322', 'error TS2322', 'error TS2353']);
  });

  it('ari-voicemail/postgres needs pg only when it is imported', async () => {
    const script = join(project, 'use-postgres.mjs');
    await writeFile(script, USE_POSTGRES);
    // Without pg installed: the main entry does not need it, the postgres entry names it.
    await writeFile(join(project, 'use-main.mjs'), "import 'ari-voicemail'; console.log('ok main');");
    expect((await run(process.execPath, ['use-main.mjs'], { cwd: project })).stdout.trim()).toBe('ok main');
    const missing = await run(process.execPath, [script], { cwd: project }).then(
      () => '',
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    expect(missing).toMatch(/Cannot find package 'pg'/);
    await npm(
      ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', `file:${modules('pg')}`],
      project,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: project });
    expect(stdout.trim()).toBe('ok ari-voicemail/postgres');
  });

  it('declares what a consumer installs', async () => {
    const pkg = JSON.parse(await readFile(join(project, 'node_modules', 'ari-voicemail', 'package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './machines', './simulator', './postgres']));
    expect(pkg.peerDependencies.xstate).toBeDefined();
    expect(pkg.peerDependenciesMeta.pg).toEqual({ optional: true });
  });
});

const USES: Record<(typeof ENTRIES)[number], string> = {
  'ari-voicemail': `
import * as lib from 'ari-voicemail';
if (typeof lib.createStasisApp !== 'function') throw new Error('createStasisApp is missing');
if (typeof lib.createAriClient !== 'function') throw new Error('createAriClient is missing');
try {
  lib.createStasisApp({ app: 'vm-record', createCall: () => undefined });
  throw new Error('a missing client was accepted');
} catch (error) {
  if (!/client/.test(String(error))) throw error;
}
console.log('ok ari-voicemail');
`,
  'ari-voicemail/machines': `
import { createActor } from 'xstate';
import { voicemailMachine, recordCallMachine } from 'ari-voicemail/machines';
for (const machine of [voicemailMachine, recordCallMachine]) {
  if (typeof machine?.provide !== 'function' || Object.keys(machine.root.states).length === 0) {
    throw new Error('not a machine: ' + machine?.id);
  }
}
if (voicemailMachine.id !== 'voicemail' || recordCallMachine.id !== 'recordCall') throw new Error('unexpected ids');
if (typeof createActor !== 'function') throw new Error('xstate peer missing');
console.log('ok ari-voicemail/machines');
`,
  'ari-voicemail/simulator': `
import { createSimulator } from 'ari-voicemail/simulator';
const sim = await createSimulator();
try {
  const auth = 'Basic ' + Buffer.from(sim.username + ':' + sim.password).toString('base64');
  const res = await fetch(sim.url + '/ari/channels', { headers: { authorization: auth } });
  const body = await res.json();
  if (res.status !== 200 || !Array.isArray(body)) throw new Error('GET /ari/channels: ' + res.status);
} finally {
  await sim.close();
}
console.log('ok ari-voicemail/simulator');
`,
};

// The store is made without connecting (the pool connects on first use); its errors are the library's own.
const USE_POSTGRES = `
import { PostgresMessageStore } from 'ari-voicemail/postgres';
import { VoicemailInputError } from 'ari-voicemail';
const store = new PostgresMessageStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none', schema: 'vm' });
if (store.schema !== 'vm' || typeof store.saveOnce !== 'function') throw new Error('not a store');
try {
  new PostgresMessageStore({ connectionString: 'postgres://x@127.0.0.1:1/none', schema: 'Bad-Name' });
  throw new Error('a malformed schema was accepted');
} catch (error) {
  if (!(error instanceof VoicemailInputError)) throw error;
}
await store.close();
console.log('ok ari-voicemail/postgres');
`;

const TYPED = `
import { createStasisApp, type CallFactory, type StasisAppOptions } from 'ari-voicemail';
import { voicemailMachine, type VoicemailInput } from 'ari-voicemail/machines';
import { createSimulator, type Simulator } from 'ari-voicemail/simulator';

const factory: CallFactory = () => undefined;
export const options: Pick<StasisAppOptions, 'app' | 'createCall'> = { app: 'vm-record', createCall: factory };
export const start: typeof createStasisApp = createStasisApp;
export const id: string = voicemailMachine.id;
export const simulator: Promise<Simulator> = createSimulator({ port: 0 });
export type Input = VoicemailInput;

// @ts-expect-error: the app name is a string
export const wrongApp: StasisAppOptions['app'] = 42;
// @ts-expect-error: the simulator's port is a number
export const wrongPort: Simulator['port'] = 'eighty';
// @ts-expect-error: an unknown option of the simulator
createSimulator({ colour: 'blue' });
`;
