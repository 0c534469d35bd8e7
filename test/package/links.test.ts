import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// What npm shows of the package: the packed README's links all lead somewhere (a relative one to a file in the
// tarball, an absolute one into this repository to a file the repository has), the license and changelog ship, and
// package.json says where the project lives. And `npm run docs` builds the API reference without a warning.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
const REPO = 'https://github.com/ari-voicemail/ari-voicemail';
const BLOB = `${REPO}/blob/main/`;
const RAW = 'https://raw.githubusercontent.com/ari-voicemail/ari-voicemail/main/';

/** Every link target of a Markdown text (`[text](target)`, `![alt](target)`), with its line; code blocks skipped. */
export function links(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s*```/.test(text)) fenced = !fenced;
    if (fenced) return;
    for (const m of text.replace(/`[^`]*`/g, '').matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      out.push({ line: i + 1, target: m[1]! });
    }
  });
  return out;
}

/** The dead links: relative ones not in `packed`, links into this repository to files `tracked` lacks. */
export function deadLinks(markdown: string, packed: ReadonlySet<string>, tracked: ReadonlySet<string>): string[] {
  const dead: string[] = [];
  for (const { line, target } of links(markdown)) {
    const path = target.split('#')[0]!;
    if (target.startsWith('#') || path === '') continue;
    if (path.startsWith(BLOB) || path.startsWith(RAW)) {
      const file = path.slice(path.startsWith(BLOB) ? BLOB.length : RAW.length);
      if (!tracked.has(file)) dead.push(`README.md:${line}: ${target} (no such file in the repository)`);
    } else if (!/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      const file = path.replace(/^\.\//, '');
      if (!packed.has(file)) dead.push(`README.md:${line}: ${target} (not in the npm tarball)`);
    }
  }
  return dead;
}

async function packedFiles(): Promise<Set<string>> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  const listing = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return new Set(listing[0]!.files.map((f) => f.path));
}

async function trackedFiles(): Promise<Set<string>> {
  const { stdout } = await run('git', ['ls-files'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  return new Set(stdout.split('\n').filter(Boolean));
}

describe('the package as npm shows it', () => {
  it('packs README, LICENSE and CHANGELOG, and every link of the packed README leads to a file', async () => {
    const packed = await packedFiles();
    for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) expect(packed).toContain(file);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(links(readme).length).toBeGreaterThan(5);
    expect(deadLinks(readme, packed, await trackedFiles())).toEqual([]);
  }, 60_000);

  it('finds a dead link, relative or into the repository, and ignores links inside code', () => {
    const packed = new Set(['README.md', 'LICENSE']);
    const tracked = new Set(['machines/voicemail.ts']);
    const markdown = [
      '[license](LICENSE) [ok](https://github.com/ari-voicemail/ari-voicemail/blob/main/machines/voicemail.ts)',
      '![chart](docs/charts/voicemail.svg)', // line 2: relative, not packed
      `[gone](${BLOB}machines/gone.ts)`, // line 3
      '[elsewhere](https://example.com/x) [here](#the-store) `[not](a-link.md)`',
      '```md',
      '[inside](code.md)',
      '```',
    ].join('\n');
    expect(deadLinks(markdown, packed, tracked)).toEqual([
      'README.md:2: docs/charts/voicemail.svg (not in the npm tarball)',
      `README.md:3: ${BLOB}machines/gone.ts (no such file in the repository)`,
    ]);
  });

  it('says where the project lives, under the MIT license of its contributors', () => {
    expect(PKG.license).toBe('MIT');
    expect(PKG.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
    expect(PKG.homepage).toBe(`${REPO}#readme`);
    expect(PKG.bugs).toEqual({ url: `${REPO}/issues` });
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} ari-voicemail contributors\n/);
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## [${PKG.version as string}]`);
  });

  it('npm run docs builds the API reference of the four entry points without a warning', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ari-voicemail-docs-'));
    try {
      const { stdout } = await run(process.execPath, [join(ROOT, 'scripts', 'docs.mjs'), '--out', out], {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(stdout).not.toMatch(/\[(warning|error)\]/);
      expect(existsSync(join(out, 'index.html'))).toBe(true);
      const pages = await readdir(join(out, 'functions'));
      for (const name of ['createAriClient', 'createStasisApp', 'createSimulator']) {
        expect(pages.some((p) => p.endsWith(`.${name}.html`))).toBe(true);
      }
      expect((await readdir(join(out, 'classes'))).some((p) => p.endsWith('.PostgresMessageStore.html'))).toBe(true);
      const clockPage = (await readdir(join(out, 'interfaces'))).find((p) => p.endsWith('.SimClock.html'));
      expect(clockPage).toBeDefined();
      expect(await readFile(join(out, 'interfaces', clockPage!), 'utf8')).toContain('runUntil');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 240_000);
});
