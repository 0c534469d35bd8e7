// The process around one benchmarked client: `node --expose-gc --import tsx bench/clients/child.ts <client> <url>`.

import { processStats, serve } from '../ipc.js';
import type { AppStarter, BenchApp } from './app.js';

const STARTERS: Record<string, () => Promise<AppStarter>> = {
  ours: async () => (await import('./ours.js')).startOurs,
  'ari-client': async () => (await import('./ari-client-app.js')).startAriClientApp,
  floor: async () => (await import('./floor.js')).startFloor,
};

const [kind, url, user = 'asterisk', password = 'asterisk', app = 'vm-record'] = process.argv.slice(2);
const load = kind ? STARTERS[kind] : undefined;
if (!load || !url) {
  console.error(`usage: child.ts <${Object.keys(STARTERS).join('|')}> <url> [user] [password] [app]`);
  process.exit(2);
}

let running: BenchApp | undefined;
serve(
  {
    start: async () => {
      running = await (await load())({ url, user, password, app });
      return null;
    },
    stats: () => ({ ...processStats(), active: running?.active() ?? 0, completed: running?.completed() ?? 0 }),
  },
  async () => {
    await running?.close();
  },
);
