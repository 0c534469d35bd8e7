// The chaos suite, small: 50 callers leaving, discarding and reviewing messages on the simulator while the
// application (a child process) meets 10% 5xx on its requests, its event socket dropped every 5 s and a kill -9 with
// a restart mid-recording. Seeded faults; real time (about a minute). The large run is `npm run chaos`.

import { expect, it } from 'vitest';
import { formatChaos, runChaos } from '../../bench/chaos.js';
import { onRealAsterisk } from './helpers.js';

it.skipIf(onRealAsterisk)(
  '50 callers under 5xx, socket drops and kill -9: nothing lost, no discarded take survives, nothing stuck, lamps right',
  async () => {
    const result = await runChaos({ callers: 50, seed: 7, kills: 1, arrivalMs: 6_000, mwiIntervalMs: 3_000 });
    const summary = formatChaos(result);
    expect(result.kills, summary).toBe(1);
    expect(result.drops, summary).toBeGreaterThan(0);
    expect(result.recorded, summary).toBeGreaterThan(25);
    expect(
      {
        lost: result.lost,
        duplicates: result.duplicates,
        survivors: result.survivors,
        stuck: result.stuck,
        wrongMwi: result.wrongMwi,
      },
      `${summary}\n${result.problems.join('\n')}`,
    ).toEqual({ lost: 0, duplicates: 0, survivors: 0, stuck: 0, wrongMwi: 0 });
  },
  300_000,
);
