import { it as vitestIt } from 'vitest';

/**
 * A machine test file's tests, kept as scenarios: each `it(...)` registers a vitest test as usual and keeps its
 * body, so that the file's coverage test can replay every scenario from scratch, in its own run. Coverage then
 * does not depend on which tests ran before it, or in which order: `vitest -t 'coverage'` alone checks it all.
 */
export interface Scenarios {
  /** vitest's `it` (and `it.each`), keeping each body for {@link Scenarios.replay}. */
  readonly it: ScenarioIt;
  /** Runs every kept scenario, one after another, as its own test runs it (its assertions included). */
  replay(): Promise<void>;
  /** How many scenarios were kept. */
  readonly size: number;
}

type Body = () => unknown;

export interface ScenarioIt {
  (name: string, body: Body): void;
  /** Typed as vitest's own `it.each`. */
  each: typeof vitestIt.each;
}

export function scenarios(): Scenarios {
  const kept: Array<() => unknown> = [];
  const it = ((name: string, body: Body) => {
    kept.push(body);
    vitestIt(name, async () => {
      await body();
    });
  }) as ScenarioIt;
  it.each = ((cases: readonly unknown[]) => (name: string, body: (...args: unknown[]) => unknown, timeout?: number) => {
    // As vitest's `it.each`: an array case is spread into the body's arguments, anything else is passed alone.
    for (const c of cases) kept.push(() => body(...(Array.isArray(c) ? c : [c])));
    vitestIt.each(cases)(name, (...args: unknown[]) => body(...args) as never, timeout);
  }) as never;
  return {
    it,
    async replay() {
      for (const body of kept) await body();
    },
    get size() {
      return kept.length;
    },
  };
}
