import { defineConfig } from 'vitest/config';

// Two groups: the unit and component tests run in parallel first; then the system tests (end to end on the
// simulator, the examples as child processes, the packed package, the benchmark clients) run one file at a time,
// so that a 1,000-call load test never shares the machine's two cores with another file's timing.
const SYSTEM = [
  'test/e2e/**/*.test.ts',
  'test/examples/**/*.test.ts',
  'test/package/**/*.test.ts',
  'test/bench/**/*.test.ts',
];

export default defineConfig({
  // The examples import the package by its name; tsconfig.json's paths map it to the sources (as tsx and tsc do).
  resolve: { tsconfigPaths: true },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SYSTEM, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'system', include: SYSTEM, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
