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
import { createFarEnd, createSimulator, type FarEndCall } from '../src/simulator/index.js';
import { safeToken } from '../src/voicemail/ids.js';
import { mwiCounts } from '../src/voicemail/mwi.js';
import { FileMessageStore } from '../src/voicemail/store.js';

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

type Kind = 'leave' | 'discard' | 'review';

interface Caller {
  readonly index: number;
  readonly box: string;
  readonly kind: Kind;
  call?: FarEndCall;
  recorded: boolean;
  /** The call was never answered, or its channel went before any take (Stasis refused it, say). */
  refused: boolean;
  ambiguous: boolean;
  stuck: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

  // What Asterisk has, looked at every 50 ms: takes seen per channel, and the channels in Stasis(vm-record).
  const takes = new Map<string, string[]>();
  let inStasis = new Set<string>();
  let alive = new Set<string>();
  let liveNames = new Set<string>();
  // One look for every caller (building the simulator's lists is not free with thousands of channels).
  const look = (): void => {
    const recordings = sim.liveRecordings();
    liveNames = new Set(recordings.map((r) => r.name));
    for (const r of recordings) {
      // A take counts once Asterisk records it (not while it waits behind the beep).
      if (r.state === 'queued') continue;
      const id = r.target_uri.startsWith('channel:') ? r.target_uri.slice(8) : '';
      const list = takes.get(id) ?? [];
      if (!list.includes(r.name)) list.push(r.name);
      takes.set(id, list);
    }
    const channels = sim.channels();
    alive = new Set(channels.map((c) => c.id));
    inStasis = new Set(
      channels
        .filter((c) => c.dialplan?.app_name === 'Stasis' && c.dialplan.app_data.startsWith('vm-record'))
        .map((c) => c.id),
    );
  };
  const waitFor = async (test: () => boolean, ms: number): Promise<boolean> => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (test()) return true;
      await sleep(50);
    }
    return test();
  };
  const gone = (call: FarEndCall) => !alive.has(call.calleeId);
  const newTake = (call: FarEndCall, after: string | undefined) => {
    const list = takes.get(call.calleeId) ?? [];
    return after === undefined ? list[0] : list[list.indexOf(after) + 1];
  };

  async function runCaller(c: Caller): Promise<void> {
    let call: FarEndCall;
    try {
      call = await farEnd.call(c.box);
    } catch {
      c.refused = true;
      return;
    }
    c.call = call;
    alive.add(call.calleeId);
    const quiet = (p: Promise<unknown>) =>
      p.then(
        () => true,
        () => false,
      );
    const live = (name: string | undefined) => name !== undefined && liveNames.has(name);
    const latest = () => (takes.get(call.calleeId) ?? []).at(-1);
    // As a person would: a key that had no effect (lost in a socket gap, or sent while the app was down) is pressed
    // again, up to three times.
    const pressUntil = async (digit: string, done: () => boolean): Promise<boolean> => {
      for (let i = 0; i < 3 && !done() && !gone(call); i++) {
        await quiet(call.dtmf(digit));
        await waitFor(() => done() || gone(call), 3_000);
      }
      return done();
    };
    try {
      if (c.index % 2 === 0) await quiet(call.dtmf('#'));
      await waitFor(() => newTake(call, undefined) !== undefined || gone(call), 40_000);
      const take = newTake(call, undefined);
      if (!take) {
        c.refused = gone(call);
        return;
      }
      c.recorded = true;
      await quiet(call.tone(1));
      if (c.kind === 'leave') return;
      if (c.kind === 'discard') {
        const pressed = Date.now();
        if (!(await pressUntil('*', () => newTake(call, take) !== undefined))) {
          // The first take ended without a second: its discard may or may not have reached the app before a kill
          // (the next process, finding the take discarded in the journal, rightly says goodbye and ends the call).
          c.ambiguous = !gone(call) || killTimes.some((t) => t >= pressed);
          return;
        }
        await quiet(call.tone(1));
      }
      const kept = latest();
      await pressUntil('#', () => !live(kept));
      await sleep(1500);
      await quiet(call.dtmf('#'));
      // The application now saves, says so and sends the channel on: it must not leave it in Stasis.
      const finished = () => gone(call) || !inStasis.has(call.calleeId);
      if (!(await waitFor(finished, 12_000))) await quiet(call.dtmf('#'));
      c.stuck = !(await waitFor(finished, 30_000));
    } finally {
      await quiet(call.hangup());
    }
  }

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

    const all: Caller[] = Array.from({ length: callers }, (_, index) => ({
      index,
      box: String(300 + (index % boxes)),
      kind: (['leave', 'discard', 'review'] as const)[(index + seed) % 3]!,
      recorded: false,
      refused: false,
      ambiguous: false,
      stuck: false,
    }));
    const running = all.map(async (c) => {
      await sleep((arrivalMs * c.index) / callers);
      await runCaller(c);
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
    await waitFor(() => liveNames.size === 0 && inStasis.size === 0, 30_000);
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

    const stored = sim.storedRecordings().map((r) => r.name);
    let saved = 0;
    let lost = 0;
    let duplicates = 0;
    let survivors = 0;
    let expected = 0;
    const problems: string[] = [];
    const byBox = new Map<string, Awaited<ReturnType<typeof store.list>>>();
    for (const c of all) {
      if (!c.call) continue;
      const token = safeToken(c.call.calleeId);
      let list = byBox.get(c.box);
      if (!list) {
        list = await store.list({ mailbox: c.box, context: 'default' });
        byBox.set(c.box, list);
      }
      const messages = list.filter((m) => m.id.includes(token));
      const audio = stored.filter((name) => name.includes(token));
      saved += messages.length;
      duplicates += Math.max(0, messages.length - 1);
      const owned = new Set(messages.map((m) => m.recordingName));
      survivors += audio.filter((name) => !owned.has(name)).length;
      const broken = messages.filter((m) => !audio.includes(m.recordingName)).length;
      if (c.recorded && !c.ambiguous) {
        expected++;
        if (messages.length === 0) lost++;
      }
      lost += broken;
      const wrong =
        messages.length > 1 ||
        broken > 0 ||
        audio.some((name) => !owned.has(name)) ||
        c.stuck ||
        c.ambiguous ||
        (c.recorded && !c.ambiguous && messages.length === 0);
      if (wrong)
        problems.push(
          `${c.kind} #${c.index} ${c.call.calleeId}: takes ${JSON.stringify(takes.get(c.call.calleeId) ?? [])}, ` +
            `messages ${JSON.stringify(messages.map((m) => m.recordingName))}, stored ${JSON.stringify(audio)}` +
            `${c.stuck ? ', stuck' : ''}${c.ambiguous ? ', ambiguous' : ''}`,
        );
    }
    const stuck = all.filter((c) => c.stuck).length + inStasis.size;
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

const KNOWN: Record<string, keyof ChaosOptions> = {
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
  const args = process.argv.slice(2);
  const options: Record<string, number> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = KNOWN[args[i] ?? ''];
    const value = Number(args[i + 1]);
    if (!name || !Number.isFinite(value)) {
      console.error(`chaos: unknown or malformed option ${args[i]} ${args[i + 1] ?? ''}`);
      console.error(`options: ${Object.keys(KNOWN).join(' ')} (each with a number)`);
      process.exit(2);
    }
    options[name] = value;
  }
  const result = await runChaos({ ...options, log: (line) => console.log(line) });
  if (process.env.CHAOS_VERBOSE) for (const line of result.problems) console.log(`  ${line}`);
  console.log(formatChaos(result));
  process.exit(chaosPassed(result) ? 0 : 1);
}
