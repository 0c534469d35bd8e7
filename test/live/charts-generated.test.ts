import { describe, expect, it } from 'vitest';
import * as machines from '../../machines/index.js';
import { liveChartsStale } from '../../scripts/charts.js';
import { machinesOf } from '../../src/charts/index.js';
import { LIVE_CHARTS } from '../../src/live/charts.generated.js';

describe('the live view’s charts (src/live/charts.generated.ts)', () => {
  it('match the machines and docs/charts (`npm run charts` writes them)', async () => {
    expect(await liveChartsStale(), 'src/live/charts.generated.ts is out of date: run `npm run charts`').toBe(false);
  });

  it('name, for every state of every machine, an SVG group the chart has', () => {
    const ids = machinesOf(machines as Record<string, unknown>).map((m) => m.id);
    expect(LIVE_CHARTS.map((c) => c.id)).toEqual(ids);
    for (const chart of LIVE_CHARTS) {
      expect(chart.svg.startsWith('<svg')).toBe(true);
      expect(chart.svg).not.toContain('<!--');
      const titles = new Set([...chart.svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]));
      const missing = Object.entries(chart.states).filter(
        ([, drawn]) => drawn.length === 0 || drawn.some((title) => !titles.has(title)),
      );
      expect(missing, `${chart.id}: states without an SVG group`).toEqual([]);
      expect(Object.keys(chart.states).length).toBeGreaterThan(5);
    }
  });
});
