// `npm run chaos`: the voicemail application under the faults an operator meets, on the embedded simulator (real
// clock). The application runs in a child process (bench/chaos-app.ts); the simulator aims its fault injection at the
// application's account only: a share of its REST requests answered 500 or 503 (some after being carried out), its
// event socket dropped every few seconds, and the process killed with SIGKILL while callers record, then started
// again. Callers leave messages (speak, hang up), discard a take (`*`, speak again, `#`, save in review) or review
// (`#`, save in review). At the end it counts, from Asterisk's side and the store:
// - lost: callers who recorded and kept a take but have no message (or a message without its audio);
// - duplicates: more than one message for one caller;
// - survivors: stored recordings of a caller that no message owns (discarded takes that survived);
// - stuck: calls the application had to finish that stayed in Stasis (and channels in Stasis at the end);
// - wrong MWI: mailboxes whose lamp differs from the store once the refresh interval has passed.
// Exits 1 unless all five are 0.
//
//   npm run chaos -- [--callers 1000] [--seed 1] [--fail 0.1] [--drop-every 5000] [--kills 2] [--down 2000]

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createFarEnd, createSimulator } from '../src/simulator/index.js';
import { mwiCounts } from '../src/voicemail/mwi.js';
import { FileMessageStore } from '../src/voicemail/store.js';
import { AsteriskWatch, countOutcome, newCaller, runCaller, sleep, waitFor } from './callers.js';
import { type NumberOption, numberOptions } from './cli.js';

export interface ChaosOptions {
  /** Callers in all. Default 1,000. */
  readonly callers?: number;
  /** Seeds the fault draws and the callers' mix. Default 1. */
  readonly seed?: number;
  /** Share of the application's REST requests that fail. Default 0.1. */
  readonly failShare?: number;
  /** The application's event socket is dropped this often, in ms. Default 5,000. */
  readonly dropEveryMs?: number;
  /** How many times the application is killed (SIGKILL) and restarted. Default 2. */
  readonly kills?: number;
  /** How long it stays down each time, in ms. Default 2,000. */
  readonly downMs?: number;
  /** Mailboxes 300.. used. Default 100 (at most 100). */
  readonly mailboxes?: number;
  /** Callers arrive over this long, in ms. Default 60 ms a caller (calls placed while the app is down are refused). */
  readonly arrivalMs?: number;
  /** The application's MWI refresh interval, in ms (the stated bound of a wrong lamp). Default 10,000. */
  readonly mwiIntervalMs?: number;
  /** The simulator's TCP port. Default 0 (any free port). */
  readonly port?: number;
  /** Progress lines. Default none. */
  readonly log?: (line: string) => void;
}

export interface ChaosResult {
  readonly callers: number;
  /** Callers whose call reached a recording. */
  readonly recorded: number;
  /** Callers whose call never reached a recording. */
  readonly notRecorded: number;
  /** Of those: never answered, or their channel went before any take (Stasis refused while the app was away). */
  readonly refused: number;
  /** Callers expected to have exactly one message. */
  readonly expected: number;
  /** Callers whose `*` may or may not have reached the application before it died (0 or 1 message both right). */
  readonly ambiguous: number;
  readonly saved: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly survivors: number;
  readonly stuck: number;
  readonly wrongMwi: number;
  /** Mailboxes wrong right after the last call, before the refresh interval passed (for information). */
  readonly wrongMwiBeforeRefresh: number;
  readonly kills: number;
  readonly drops: number;
  readonly wallMs: number;
  /** One line for each caller whose outcome was wrong or ambiguous. */
  readonly problems: readonly string[];
}

const APP_USER = 'vm-app';
const APP_PASSWORD = 'chaos';

export async function runChaos(options: ChaosOptions = {}): Promise<ChaosResult> {
  const callers = options.callers ?? 1000;
  const seed = options.seed ?? 1;
  const failShare = options.failShare ?? 0.1;
  const dropEveryMs = options.dropEveryMs ?? 5000;
  const kills = options.kills ?? 2;
  const downMs = options.downMs ?? 2000;
  const boxes = Math.min(options.mailboxes ?? 100, 100);
  const arrivalMs = options.arrivalMs ?? callers * 60;
  const mwiIntervalMs = options.mwiIntervalMs ?? 10_000;
  const log = options.log ?? (() => {});
  const started = Date.now();

  const sim = await createSimulator({ port: options.port ?? 0, users: { [APP_USER]: APP_PASSWORD } });
  const dir = await mkdtemp(join(tmpdir(), 'ari-vm-chaos-'));
  const farEnd = await createFarEnd({
    url: sim.url,
    username: sim.username,
    password: sim.password,
    timeoutMs: 30_000,
  });
  const store = new FileMessageStore(dir);
  let child: ChildProcess | undefined;
  let drops = 0;
  let killed = 0;
  const killTimes: number[] = [];
  const timers: NodeJS.Timeout[] = [];

  const startApp = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('chaos-app.ts', import.meta.url))],
        {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          env: {
            ...process.env,
            CHAOS_ARI_URL: sim.url,
            CHAOS_ARI_USER: APP_USER,
            CHAOS_ARI_PASSWORD: APP_PASSWORD,
            CHAOS_STORE_DIR: dir,
            CHAOS_MAILBOXES: String(boxes),
            CHAOS_MWI_MS: String(mwiIntervalMs),
          },
        },
      );
      child = proc;
      proc.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`chaos: app said ${String(m)}`))));
      proc.once('exit', (code, signal) => reject(new Error(`chaos: the app exited (${code ?? signal}) before ready`)));
    });

  // What Asterisk has, looked at every 100 ms: takes seen per channel, and the channels in Stasis(vm-record).
  const watch = new AsteriskWatch(
    sim,
    (c) => c.dialplan?.app_name === 'Stasis' && c.dialplan.app_data.startsWith('vm-record'),
  );
  const look = () => watch.look();

  try {
    await startApp();
    log(
      `chaos: ${callers} callers over ${arrivalMs} ms; ${failShare * 100}% 5xx, socket drop every ${dropEveryMs} ms, ${kills} kill(s)`,
    );
    const share = 1 - (1 - failShare) ** (1 / 3);
    const rule = { user: APP_USER, chance: share, count: Number.POSITIVE_INFINITY };
    sim.faults.failRequests({ ...rule, status: 500, seed: seed * 3 + 1 });
    sim.faults.failRequests({ ...rule, status: 503, seed: seed * 3 + 2 });
    // Carried out, then answered 500: what a retry of a request whose answer was lost meets.
    sim.faults.failRequests({ ...rule, status: 500, after: true, seed: seed * 3 + 3 });
    timers.push(setInterval(look, 100));
    const dropping = setInterval(() => {
      drops += sim.faults.dropWebSockets('vm-record');
    }, dropEveryMs);
    timers.push(dropping);

    const all = Array.from({ length: callers }, (_, index) =>
      newCaller(index, String(300 + (index % boxes)), (['leave', 'discard', 'review'] as const)[(index + seed) % 3]!),
    );
    const running = all.map(async (c) => {
      await sleep((arrivalMs * c.index) / callers);
      await runCaller(c, farEnd, watch, killTimes);
    });
    // Kills: while many callers are recording, at even spaces of the arrival window.
    for (let k = 0; k < kills; k++) {
      await sleep(arrivalMs / (kills + 1) - (k === 0 ? 0 : downMs));
      await waitFor(() => sim.liveRecordings().length >= Math.min(50, Math.ceil(callers / 4)), 20_000);
      log(`chaos: kill -9 of the app with ${sim.liveRecordings().length} recordings under way`);
      child?.kill('SIGKILL');
      killTimes.push(Date.now());
      killed++;
      await sleep(downMs);
      await startApp();
      log('chaos: app restarted');
    }
    await Promise.all(running);
    log('chaos: every caller is done');
    clearInterval(dropping);
    sim.faults.clear();
    // Whatever the application still finishes (recoveries, purges) runs with the faults off.
    await waitFor(() => watch.liveNames.size === 0 && watch.inApp.size === 0, 30_000);
    look();

    const counts = async (): Promise<number> => {
      const lamps = new Map(sim.mailboxes().map((m) => [m.name, m]));
      let wrong = 0;
      for (let i = 0; i < boxes; i++) {
        const want = mwiCounts(await store.count({ mailbox: String(300 + i), context: 'default' }));
        const lamp = lamps.get(`${300 + i}@default`);
        if ((lamp?.new_messages ?? 0) !== want.newMessages || (lamp?.old_messages ?? 0) !== want.oldMessages) wrong++;
      }
      return wrong;
    };
    const wrongMwiBeforeRefresh = await counts();
    await sleep(mwiIntervalMs + 2000);
    const wrongMwi = await counts();

    const { expected, saved, lost, duplicates, survivors, problems } = await countOutcome(all, watch, store);
    const stuck = all.filter((c) => c.stuck).length + watch.inApp.size;
    return {
      callers,
      recorded: all.filter((c) => c.recorded).length,
      notRecorded: all.filter((c) => !c.recorded).length,
      refused: all.filter((c) => c.refused).length,
      expected,
      ambiguous: all.filter((c) => c.ambiguous).length,
      saved,
      lost,
      duplicates,
      survivors,
      stuck,
      wrongMwi,
      wrongMwiBeforeRefresh,
      kills: killed,
      drops,
      wallMs: Date.now() - started,
      problems,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await farEnd.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether a run kept every promise. */
export function chaosPassed(r: ChaosResult): boolean {
  return r.lost === 0 && r.duplicates === 0 && r.survivors === 0 && r.stuck === 0 && r.wrongMwi === 0;
}

export function formatChaos(r: ChaosResult): string {
  return [
    `callers ${r.callers}: recorded ${r.recorded}, not recorded ${r.notRecorded} (${r.refused} refused or unanswered)`,
    `expected ${r.expected} (+${r.ambiguous} whose * met the kill), saved ${r.saved}`,
    `lost accepted messages: ${r.lost}`,
    `duplicates: ${r.duplicates}`,
    `surviving discarded takes: ${r.survivors}`,
    `channels left in Stasis: ${r.stuck}`,
    `wrong MWI mailboxes: ${r.wrongMwi} (${r.wrongMwiBeforeRefresh} before the refresh interval)`,
    `faults: ${r.kills} kill -9, ${r.drops} socket drops; wall ${(r.wallMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

const KNOWN: Record<string, NumberOption<ChaosOptions>> = {
  '--callers': 'callers',
  '--seed': 'seed',
  '--fail': 'failShare',
  '--drop-every': 'dropEveryMs',
  '--kills': 'kills',
  '--down': 'downMs',
  '--mailboxes': 'mailboxes',
  '--arrival': 'arrivalMs',
  '--mwi-interval': 'mwiIntervalMs',
  '--port': 'port',
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = numberOptions('chaos', KNOWN, process.argv.slice(2));
  const result = await runChaos({ ...options, log: (line) => console.log(line) });
  if (process.env.CHAOS_VERBOSE) for (const line of result.problems) console.log(`  ${line}`);
  console.log(formatChaos(result));
  process.exit(chaosPassed(result) ? 0 : 1);
}
