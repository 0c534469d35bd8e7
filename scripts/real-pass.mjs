// The real-Asterisk pass of CI: runs the suites that can drive a real Asterisk (the e2e harness, the far end, the
// trace replay), one group of files per Asterisk, the groups at once (an ARI app name has one WebSocket on an
// Asterisk, so two files cannot share one; within a group the unit-project files run in parallel, so a group holds
// at most one of them per app name). `REAL_ARI_URLS` lists the Asterisks (space-separated, user asterisk/asterisk), as
// .ci/run starts them. Prints each group's vitest output, then how many tests ran against the real Asterisk, and
// writes `passed failed skipped` to the file given as the first argument (for .ci/run's closing line).
// Exit code: non-zero when a test failed, a group did not finish, or no test ran.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Balanced by the time each file took on three Asterisks (one run): moments 217 s (the longest single file),
// mailbox-menu-moments 127 s, guarantees 113 s, mailbox-menu 82 s, sessions 79 s, examples 59 s, traces 58 s,
// record-queued 6 s, far end 5 s. The fourth group goes to the first Asterisk again, after the first group.
const GROUPS = [
  ['test/e2e/sessions.test.ts', 'test/simulator/far-end.test.ts', 'test/simulator/far-end-caller.test.ts'],
  ['test/e2e/moments.test.ts', 'test/e2e/record-queued.test.ts', 'test/examples/examples.test.ts'],
  [
    'test/simulator/traces.test.ts',
    'test/e2e/guarantees.test.ts',
    'test/e2e/features.test.ts',
    'test/e2e/load.test.ts',
  ],
  ['test/e2e/mailbox-menu.test.ts', 'test/e2e/mailbox-menu-moments.test.ts'],
];

const urls = (process.env.REAL_ARI_URLS ?? '').split(/\s+/).filter(Boolean);
const out = process.argv[2];
if (urls.length === 0) {
  console.error('real-pass: REAL_ARI_URLS is empty (start.sh gave no Asterisk)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'ari-voicemail-real-'));
const started = Date.now();

/** Runs the groups given to one Asterisk one after another; resolves with their vitest JSON reports. */
async function runOn(url, groups, index) {
  const reports = [];
  for (const [n, files] of groups.entries()) {
    const report = join(dir, `report-${index}-${n}.json`);
    const chunks = [];
    const code = await new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          'node_modules/vitest/vitest.mjs',
          'run',
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${report}`,
          ...files,
        ],
        {
          env: { ...process.env, ARI_URL: url, ARI_USERNAME: 'asterisk', ARI_PASSWORD: 'asterisk', FORCE_COLOR: '0' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout.on('data', (d) => chunks.push(d));
      child.stderr.on('data', (d) => chunks.push(d));
      child.on('close', (c) => resolve(c ?? 1));
    });
    // Each group's output in one piece, so the groups running at once do not interleave.
    process.stdout.write(`\n--- real Asterisk ${url}: ${files.join(' ')} (exit ${code})\n${Buffer.concat(chunks)}`);
    try {
      reports.push({ files, code, r: JSON.parse(readFileSync(report, 'utf8')) });
    } catch {
      reports.push({ files, code, r: undefined });
    }
  }
  return reports;
}

const plan = urls.map(() => []);
for (const [i, g] of GROUPS.entries()) plan[i % urls.length].push(g);
const results = (await Promise.all(urls.map((url, i) => runOn(url, plan[i], i)))).flat();
rmSync(dir, { recursive: true, force: true });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const { files, code, r } of results) {
  if (!r) {
    console.log(`real-pass: ${files.join(' ')} did not finish (exit ${code})`);
    failed += 1;
    continue;
  }
  const broken = r.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'),
  ).length;
  passed += r.numPassedTests;
  failed += r.numFailedTests + broken;
  skipped += r.numPendingTests + r.numTodoTests;
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(
  `\nreal Asterisk pass: ${passed + failed} tests ran against the real Asterisk (not skipped): ${passed} passed, ${failed} failed; ${skipped} skipped (simulator-only); ${minutes} min on ${urls.length} Asterisk(s)`,
);
if (out) writeFileSync(out, `${passed} ${failed} ${skipped}\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
