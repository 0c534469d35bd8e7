import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The README's first command on a fresh machine: scripts/fresh-machine.sh clones this repository's HEAD alone into
// an empty folder, hides /usr/share/asterisk in a private mount namespace (unshare -rm) and runs
// `npm ci && npm run demo` there. (The script's full run adds `npm test`; from inside the suite that would run the
// suite within itself, so here it runs with --skip-test. Run `scripts/fresh-machine.sh` for the whole check.)

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/fresh-machine.sh', import.meta.url));

function usable(): boolean {
  if (process.env.FRESH_MACHINE_INSIDE === '1') {
    console.warn('skipped: the fresh-machine check: this suite already runs inside one');
    return false;
  }
  if (spawnSync('unshare', ['-rm', 'true']).status !== 0) {
    console.warn('skipped: the fresh-machine check: missing a usable `unshare -rm` (user and mount namespaces)');
    return false;
  }
  return true;
}

describe.skipIf(!usable())('a fresh machine', () => {
  it('a clone alone, without Asterisk files or ../shared, passes npm ci && npm run demo', async () => {
    const { stdout } = await run('bash', [SCRIPT, '--skip-test'], { maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
    const lines = stdout.split('\n').filter((l) => l.startsWith('fresh-machine: '));
    expect(lines, stdout).toContain("fresh-machine: Asterisk's files hidden, nothing beside the clone, ARI_URL unset");
    expect(
      lines.some((l) => /^fresh-machine: npm ci && npm run demo: passed/.test(l)),
      stdout,
    ).toBe(true);
    expect(lines.at(-1), stdout).toBe('fresh-machine: PASS');
  }, 660_000);
});
