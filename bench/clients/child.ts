// The process around one benchmarked client, started by bench/run.ts from the compiled benchmark:
// `node --expose-gc [GC flags] <build>/bench/clients/child.js <client> <url> <library>`. For `ours`, <library> is
// the file URL of the package's compiled root module (`dist/src/index.js`), loaded as a user's program loads it.

import { processStats, serve } from '../ipc.js';
import type { AppStarter, BenchApp } from './app.js';
import type { OursLibrary } from './ours.js';

const [kind, url, library] = process.argv.slice(2);
const user = 'asterisk';
const password = 'asterisk';
const app = 'vm-record';

const STARTERS: Record<string, () => Promise<AppStarter>> = {
  ours: async () => {
    if (!library) throw new Error('ours: the URL of the compiled library (dist/src/index.js) is missing');
    const lib = (await import(library)) as OursLibrary;
    return (await import('./ours.js')).oursStarter(lib);
  },
  'ari-client': async () => (await import('./ari-client-app.js')).startAriClientApp,
  floor: async () => (await import('./floor.js')).startFloor,
};

const load = kind ? STARTERS[kind] : undefined;
if (!load || !url) {
  console.error(`usage: child.js <${Object.keys(STARTERS).join('|')}> <url> [library]`);
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
