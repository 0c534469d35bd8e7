#!/usr/bin/env node
// Runs every test of the given files alone, one vitest process per test (`-t` with its name), and says which ones
// fail alone or do not run exactly once: a test that passes only after others ran depends on their order.
// Usage: node scripts/tests-alone.mjs test/machines/voicemail.test.ts [more files...]
import { execFileSync, spawnSync } from 'node:child_process';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/tests-alone.mjs FILE...');
  process.exit(2);
}
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const vitest = ['vitest'];
let failures = 0;
let count = 0;
for (const file of files) {
  const listed = JSON.parse(execFileSync('npx', [...vitest, 'list', file, '--json'], { encoding: 'utf8' }));
  for (const { name } of listed) {
    count++;
    // vitest matches the pattern against the describe blocks' names and the test's, joined by spaces.
    const pattern = `^${name.split(' > ').map(escapeRegex).join(' ')}$`;
    const run = spawnSync('npx', [...vitest, 'run', file, '-t', pattern, '--reporter=json'], { encoding: 'utf8' });
    let report;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      report = undefined;
    }
    const ran = report?.testResults?.flatMap((r) => r.assertionResults.filter((a) => a.status !== 'skipped')) ?? [];
    const ok = run.status === 0 && ran.length === 1 && ran[0].status === 'passed';
    if (!ok) {
      failures++;
      const message = ran.length === 1 ? ran[0].failureMessages.join('\n').split('\n')[0] : '';
      const why =
        ran.length !== 1 ? `${ran.length} tests ran` : message || 'the test passed, its file failed (a hook?)';
      console.log(`FAIL alone: ${file} > ${name}\n  ${why}`);
    }
  }
}
console.log(`${count} tests run alone, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
