import { describe, expect, it } from 'vitest';
import { expectedChartFiles, staleChartFiles } from '../../scripts/charts.js';

describe('docs/charts', () => {
  it('matches the machines exported from machines/index.ts', async () => {
    const stale = await staleChartFiles();
    expect(
      stale,
      `docs/charts is out of date (${stale.join(', ')}): run \`npm run charts\` and commit docs/charts`,
    ).toEqual([]);
  });

  it('holds a definition, a Mermaid diagram and an SVG for every exported machine', async () => {
    const names = [...(await expectedChartFiles()).keys()];
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(names).toEqual(expect.arrayContaining([`${id}.mmd`, `${id}.svg`]));
  });
});
