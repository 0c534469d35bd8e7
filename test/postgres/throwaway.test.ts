// scripts/pg-throwaway.sh, as .ci/run uses it: a server on loopback in a new directory, a database to use, and
// nothing left once stopped. Needs PostgreSQL's binaries (else one skipped: line); PG_TEST_PORT picks its port.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/pg-throwaway.sh', import.meta.url));
const PORT = Number(process.env.PG_TEST_PORT ?? 18151);

/** Whether the binaries are where the script looks (as .ci/run checks before starting one). */
function binaries(): boolean {
  const look = spawnSync('bash', ['-c', 'command -v initdb || ls /usr/lib/postgresql/*/bin/initdb'], {
    stdio: 'ignore',
  });
  if (look.status === 0) return true;
  console.warn("skipped: scripts/pg-throwaway.sh: missing PostgreSQL's binaries (initdb, pg_ctl)");
  return false;
}

describe.skipIf(!binaries())('scripts/pg-throwaway.sh', () => {
  it('starts a server on 127.0.0.1 with a database, prints what to export, and removes everything at stop', async () => {
    const { stdout } = await run('bash', [SCRIPT, 'start', String(PORT)], { timeout: 120_000 });
    const url = /^export DATABASE_URL=(\S+)$/m.exec(stdout)?.[1];
    const dir = /^export PG_THROWAWAY_DIR=(\S+)$/m.exec(stdout)?.[1];
    expect(url).toBe(`postgres://postgres@127.0.0.1:${PORT}/ari_voicemail`);
    expect(dir && existsSync(`${dir}/data/PG_VERSION`)).toBe(true);
    try {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(
        "SELECT current_database() AS db, current_setting('listen_addresses') AS listen, current_setting('fsync') AS fsync",
      );
      await client.end();
      expect(rows).toEqual([{ db: 'ari_voicemail', listen: '127.0.0.1', fsync: 'on' }]);
    } finally {
      await run('bash', [SCRIPT, 'stop', dir!], { timeout: 60_000 });
    }
    expect(existsSync(dir!)).toBe(false);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  }, 180_000);

  it('refuses a missing port and a directory it did not make', async () => {
    await expect(run('bash', [SCRIPT, 'start'])).rejects.toMatchObject({ stderr: expect.stringMatching(/usage/) });
    await expect(run('bash', [SCRIPT, 'stop', '/'])).rejects.toMatchObject({ stderr: expect.stringMatching(/usage/) });
  });
});
