// `npm run docs`: the API reference of the three entry points (typedoc.json), generated from the declarations into
// docs/api/ (git-ignored). Any TypeDoc warning fails it, except one false alarm: "X has multiple declarations with
// a comment" where every declaration it lists is the same line (XState's machine types reach a property of an
// input interface twice; it is one comment, nothing is lost).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const typedoc = fileURLToPath(new URL('../node_modules/typedoc/bin/typedoc', import.meta.url));
// TypeDoc writes a warning to stderr and its details to stdout: one stream keeps them together.
const args = [process.execPath, typedoc, '--treatWarningsAsErrors', 'false', ...process.argv.slice(2)];
const run = spawnSync('sh', ['-c', 'exec "$@" 2>&1', 'sh', ...args], {
  cwd: ROOT,
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
});
const lines = `${run.stdout}`.split('\n');
const kept = [];
const problems = [];
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  if (/^\[warning\] .* has multiple declarations with a comment/.test(line)) {
    const places = [];
    let j = i + 1;
    if (/^\[info\] The comments for .* are declared at:/.test(lines[j] ?? '')) {
      for (j++; j < lines.length && /^\s+\S/.test(lines[j]); j++) places.push(lines[j].trim());
    }
    if (places.length > 1 && new Set(places).size === 1) {
      i = j - 1;
      continue;
    }
  }
  if (/^\[warning\] Found \d+ errors and \d+ warnings/.test(line)) continue;
  if (/^\[(warning|error)\]/.test(line)) problems.push(line);
  kept.push(line);
}
process.stdout.write(`${kept.join('\n').trim()}\n`);
if (run.status !== 0 || problems.length > 0) {
  console.error(`docs: ${problems.length} TypeDoc warnings or errors (exit ${run.status})`);
  process.exit(1);
}
