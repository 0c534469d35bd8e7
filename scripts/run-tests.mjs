// Runs vitest (arguments pass through) and ends with one plain line, `vitest: N passed, N failed, N skipped`, that
// any CI can read; exits with vitest's own code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'ari-voicemail-vitest-'));
const report = join(dir, 'report.json');
const run = spawnSync(
  process.execPath,
  [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
let code = run.status ?? 1;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  // A file that fails before its tests run (an import error, a failing hook) counts as one failure.
  const brokenFiles = r.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'),
  ).length;
  const failed = r.numFailedTests + brokenFiles;
  console.log(`vitest: ${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0) code = code || 1;
  if (r.numTotalTests === 0) code = code || 1;
} catch {
  console.log('vitest: 0 passed, 1 failed (no report: vitest did not finish)');
  code = code || 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
