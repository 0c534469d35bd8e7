// `npm run cluster`: the cluster under the faults it exists for. Two simulated Asterisks (their own entity_id each),
// three voicemail instances as processes (bench/cluster-app.ts) on one PostgreSQL schema: vm-a1 and vm-a2 on
// Asterisk 1, vm-b1 on Asterisk 2 (a takeover works within one Asterisk, so the faults hit Asterisk 1, where a
// survivor can carry the calls on; Asterisk 2's lamps follow what Asterisk 1's calls change). New calls are shared
// by StasisBroadcast and claims. While callers leave, discard and review messages (bench/callers.ts):
// 1. at a fifth of the arrivals, a non-leading instance of Asterisk 1 is killed with SIGKILL while takes of its own
//    are under way, and replaced by a new process;
// 2. at two fifths, every PostgreSQL session of Asterisk 1's MWI leader is terminated (pg_terminate_backend);
// 3. at three fifths, the oldest instance of Asterisk 1 is paused (SIGSTOP) past its lease while takes of its own are
//    under way, then resumed (SIGCONT): it finds itself fenced and exits, and is replaced.
// Each instance reaches its Asterisk through a counting proxy, so the REST requests an instance sent after it was
// declared dead are counted at the Asterisk's door. At the end it prints, and `clusterPassed` requires 0 of each:
// lost accepted messages and duplicates, surviving discarded takes, lamps on either Asterisk that differ from the
// store once the stated bound (the MWI retry plus one sweep) passed, REST requests from a fenced instance, calls not
// finished for their caller.
//
//   npm run cluster -- [--callers 300] [--seed 1] [--mailboxes 20] [--ttl 3000]
//
// DATABASE_URL names the PostgreSQL server (a schema of its own is made and dropped); without it the run starts a
// throwaway one with scripts/pg-throwaway.sh (PostgreSQL's binaries needed) and stops it at the end.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PostgresMessageStore } from '../src/postgres/index.js';
import { createFarEnd, createSimulator, type FarEnd, type Simulator } from '../src/simulator/index.js';
import { mwiCounts } from '../src/voicemail/mwi.js';
import { AsteriskWatch, type Caller, countOutcome, newCaller, runCaller, sleep, waitFor } from './callers.js';
import { type NumberOption, numberOptions } from './cli.js';

export interface ClusterOptions {
  /** Callers in all, half through each Asterisk. Default 300. */
  readonly callers?: number;
  /** Seeds the callers' mix. Default 1. */
  readonly seed?: number;
  /** Mailboxes 300.. shared by both Asterisks. Default 20. */
  readonly mailboxes?: number;
  /** Callers arrive over this long, in ms. Default 80 ms a caller, at least 20 s. */
  readonly arrivalMs?: number;
  /** The instances' lease, in ms (heartbeat a sixth of it). Default 3000. */
  readonly ttlMs?: number;
  /** The MWI leader's sweep, in ms. Default 5000. */
  readonly mwiSweepMs?: number;
  /** How often a standby tries the MWI lock, in ms. Default 500. */
  readonly mwiRetryMs?: number;
  /** The PostgreSQL server; default DATABASE_URL, else a throwaway one is started. */
  readonly databaseUrl?: string;
  readonly log?: (line: string) => void;
}

export interface ClusterResult {
  readonly callers: number;
  readonly recorded: number;
  readonly notRecorded: number;
  readonly expected: number;
  readonly ambiguous: number;
  readonly saved: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly survivors: number;
  /** Mailboxes (of both Asterisks) whose lamp differed from the store once `lampBoundMs` had passed. */
  readonly wrongLamps: number;
  /** Mailboxes wrong right after the last call (for information). */
  readonly wrongLampsAtEnd: number;
  /** From the last call's end to every lamp of both Asterisks equal to the store, in ms (-1: never within the bound). */
  readonly lampsRightAfterMs: number;
  /** The stated bound: the MWI retry plus one sweep. */
  readonly lampBoundMs: number;
  /** REST requests that reached an Asterisk from an instance after it was declared dead. */
  readonly fencedRequests: number;
  /** Calls not finished for their caller: left in the application, channels still in it at the end, unanswered. */
  readonly unfinished: number;
  /** Of those: calls never answered (the far end gave up after 30 s). */
  readonly unanswered: number;
  /** Calls survivors claimed after the kill (till the pause), and after the pause. */
  readonly claimedAfterKill: number;
  readonly claimedAfterPause: number;
  /** What happened: the faults, and the takeovers that answered them. */
  readonly events: readonly string[];
  readonly wallMs: number;
  readonly problems: readonly string[];
}

interface Instance {
  readonly name: string;
  readonly asterisk: 0 | 1;
  readonly proc: ChildProcess;
  readonly proxy: CountingProxy;
  id: string;
  leading: boolean;
  exited: Promise<void>;
}

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../scripts/pg-throwaway.sh', import.meta.url));

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function runCluster(options: ClusterOptions = {}): Promise<ClusterResult> {
  const callers = options.callers ?? 300;
  const seed = options.seed ?? 1;
  const boxes = Math.min(options.mailboxes ?? 20, 100);
  const arrivalMs = options.arrivalMs ?? Math.max(callers * 80, 20_000);
  const ttlMs = options.ttlMs ?? 3000;
  const beatMs = Math.round(ttlMs / 6);
  const sweepMs = options.mwiSweepMs ?? 5000;
  const retryMs = options.mwiRetryMs ?? 500;
  const lampBoundMs = retryMs + sweepMs;
  const log = options.log ?? (() => {});
  const started = Date.now();
  const events: string[] = [];
  const note = (line: string) => {
    events.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${line}`);
    log(`cluster: ${line}`);
  };

  let pgDir: string | undefined;
  let databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    const { stdout } = await run('bash', [SCRIPT, 'start', String(await freePort())]);
    databaseUrl = /DATABASE_URL=(\S+)/.exec(stdout)?.[1];
    pgDir = /PG_THROWAWAY_DIR=(\S+)/.exec(stdout)?.[1];
    if (!databaseUrl) throw new Error(`cluster: pg-throwaway.sh printed no DATABASE_URL: ${stdout}`);
    log(`cluster: a throwaway PostgreSQL at ${databaseUrl}`);
  }
  const schema = `cluster_${randomBytes(5).toString('hex')}`;
  const store = new PostgresMessageStore({ connectionString: databaseUrl, schema });
  await store.migrate();

  const ids = ['02:fc:00:00:00:01', '02:fc:00:00:00:02'] as const;
  const spreads = [['vm-a1', 'vm-a2', 'vm-a3', 'vm-a4'], ['vm-b1']];
  const sims: Simulator[] = [];
  const farEnds: FarEnd[] = [];
  const instances: Instance[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    for (const [i, asteriskId] of ids.entries()) {
      const sim = await createSimulator({
        asteriskId,
        dialplan: [
          // docs/cluster-extensions.conf, as the simulator runs it.
          {
            context: 'default',
            exten: '_3XX',
            broadcast: { timeoutMs: 1000, filter: '^vm-' },
            spread: spreads[i]!,
          },
          { context: 'caller', exten: 's' },
        ],
      });
      sims.push(sim);
      farEnds.push(
        await createFarEnd({ url: sim.url, username: sim.username, password: sim.password, timeoutMs: 30_000 }),
      );
    }
    const inApp = (c: { dialplan?: { app_name: string; app_data: string } }) =>
      c.dialplan?.app_name === 'StasisBroadcast' ||
      (c.dialplan?.app_name === 'Stasis' && c.dialplan.app_data.startsWith('vm-'));
    const watches = sims.map((sim) => new AsteriskWatch(sim, inApp));
    const look = () => {
      for (const w of watches) w.look();
    };

    const takeovers: Array<{ at: number; by: string; dead: string[]; calls: number }> = [];
    const start = async (name: string, asterisk: 0 | 1): Promise<Instance> => {
      const sim = sims[asterisk]!;
      const proxy = await countingProxy(new URL(sim.url));
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('cluster-app.ts', import.meta.url))],
        {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          env: {
            ...process.env,
            CLUSTER_APP: name,
            CLUSTER_SCOPE: ids[asterisk],
            CLUSTER_ARI_URL: proxy.url,
            CLUSTER_ARI_USER: sim.username,
            CLUSTER_ARI_PASSWORD: sim.password,
            DATABASE_URL: databaseUrl,
            CLUSTER_SCHEMA: schema,
            CLUSTER_TTL_MS: String(ttlMs),
            CLUSTER_BEAT_MS: String(beatMs),
            CLUSTER_MAILBOXES: String(boxes),
            CLUSTER_MWI_SWEEP_MS: String(sweepMs),
            CLUSTER_MWI_RETRY_MS: String(retryMs),
          },
        },
      );
      const instance: Instance = {
        name,
        asterisk,
        proc,
        proxy,
        id: '',
        leading: false,
        exited: new Promise((resolve) => proc.once('exit', () => resolve())),
      };
      instances.push(instance);
      await new Promise<void>((resolve, reject) => {
        proc.on('message', (m: { type: string; [k: string]: unknown }) => {
          if (m.type === 'ready') {
            instance.id = String(m.instance);
            resolve();
          } else if (m.type === 'leader') {
            instance.leading = m.leading === true;
            note(`${name} ${instance.leading ? 'leads' : 'no longer leads'} the lamps of Asterisk ${asterisk + 1}`);
          } else if (m.type === 'takeover') {
            const dead = (m.dead as string[]) ?? [];
            takeovers.push({ at: Date.now(), by: name, dead, calls: Number(m.calls) });
            note(
              `${name} took ${String(m.calls)} call(s) over${dead.length ? ` (declared dead: ${dead.join(', ')})` : ''}`,
            );
          } else if (m.type === 'fenced') note(`${name} found itself fenced (${String(m.reason)})`);
        });
        proc.once('exit', (code, signal) =>
          reject(new Error(`cluster: ${name} exited (${code ?? signal}) before ready`)),
        );
      });
      return instance;
    };

    await start('vm-a1', 0);
    await start('vm-a2', 0);
    await start('vm-b1', 1);
    timers.push(setInterval(look, 100));
    note(`${callers} callers over ${arrivalMs} ms; vm-a1, vm-a2 on Asterisk 1, vm-b1 on Asterisk 2`);

    const all: Caller[] = Array.from({ length: callers }, (_, index) =>
      newCaller(index, String(300 + (index % boxes)), (['leave', 'discard', 'review'] as const)[(index + seed) % 3]!),
    );
    const faultTimes: number[] = [];
    const calling = Date.now();
    const running = all.map(async (c) => {
      await sleep((arrivalMs * c.index) / callers);
      const a = c.index % 2;
      await runCaller(c, farEnds[a]!, watches[a]!, faultTimes);
    });
    const liveOn = (i: number) => sims[i]!.liveRecordings().filter((r) => r.state === 'recording').length;
    const onA1 = () =>
      instances.filter((x) => x.asterisk === 0 && x.proc.exitCode === null && x.proc.signalCode === null);
    // The takes an instance has in the journal: its callers being recorded, or deciding what to do with a take.
    const takesOf = async (x: Instance): Promise<number> => {
      const { rows } = await store.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".takes t JOIN "${schema}".call_owners o
           ON o.scope = t.scope AND o.call_id = t.data->>'callId' WHERE o.owner = $1`,
        [x.id],
      );
      return Number(rows[0]?.n ?? 0);
    };
    const until = async (test: () => Promise<boolean>, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (Date.now() < end && !(await test())) await sleep(50);
    };
    const wanted = Math.max(1, Math.min(10, Math.ceil(callers / 40)));

    // 1. kill -9 of a non-leading instance of Asterisk 1, mid-recording; a new process replaces it.
    await sleep(arrivalMs * 0.2);
    const victim = onA1().find((x) => !x.leading) ?? onA1()[0]!;
    await until(async () => (await takesOf(victim)) >= wanted, 20_000);
    note(
      `kill -9 of ${victim.name} (${victim.id}) with ${await takesOf(victim)} takes of its own under way ` +
        `(${liveOn(0)} recordings on Asterisk 1)`,
    );
    victim.proc.kill('SIGKILL');
    const killedAt = Date.now();
    faultTimes.push(killedAt);
    await victim.exited;
    await sleep(1000);
    await start('vm-a3', 0);
    note('vm-a3 started in its place');

    // 2. The MWI leader of Asterisk 1 loses every PostgreSQL session.
    await sleep(Math.max(0, calling + arrivalMs * 0.4 - Date.now()));
    const leader = onA1().find((x) => x.leading);
    if (leader) {
      const { rows } = await store.pool.query<{ n: string }>(
        'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1',
        [leader.name],
      );
      note(`terminated ${rows[0]?.n ?? 0} PostgreSQL session(s) of ${leader.name}, the MWI leader of Asterisk 1`);
    } else note('no MWI leader on Asterisk 1 to cut off');

    // 3. SIGSTOP of the oldest instance of Asterisk 1 past its lease, then SIGCONT.
    await sleep(Math.max(0, calling + arrivalMs * 0.6 - Date.now()));
    const paused = onA1()[0]!;
    await until(async () => (await takesOf(paused)) >= wanted, 20_000);
    note(
      `SIGSTOP of ${paused.name} (${paused.id}) with ${await takesOf(paused)} takes of its own under way ` +
        `(${liveOn(0)} recordings on Asterisk 1)`,
    );
    paused.proc.kill('SIGSTOP');
    const pausedAt = Date.now();
    faultTimes.push(pausedAt);
    await waitFor(() => takeovers.some((t) => t.dead.includes(paused.id)), ttlMs * 4);
    await sleep(beatMs * 2);
    paused.proc.kill('SIGCONT');
    note(`SIGCONT of ${paused.name} after ${Date.now() - pausedAt} ms`);
    await paused.exited;
    await start('vm-a4', 0);
    note('vm-a4 started in its place');

    await Promise.all(running);
    note('every caller is done');
    await waitFor(() => watches.every((w) => w.liveNames.size === 0 && w.inApp.size === 0), 30_000);
    look();
    const lastCall = Date.now();

    // Lamps: both Asterisks against the store, until equal or past the bound.
    const wrongLamps = async (): Promise<number> => {
      let wrong = 0;
      const lamps = sims.map((sim) => new Map(sim.mailboxes().map((m) => [m.name, m])));
      for (let i = 0; i < boxes; i++) {
        const want = mwiCounts(await store.count({ mailbox: String(300 + i), context: 'default' }));
        for (const l of lamps) {
          const lamp = l.get(`${300 + i}@default`);
          if ((lamp?.new_messages ?? 0) !== want.newMessages || (lamp?.old_messages ?? 0) !== want.oldMessages) wrong++;
        }
      }
      return wrong;
    };
    const wrongLampsAtEnd = await wrongLamps();
    let wrong = wrongLampsAtEnd;
    while (wrong > 0 && Date.now() - lastCall <= lampBoundMs) {
      await sleep(100);
      wrong = await wrongLamps();
    }
    const lampsRightAfterMs = wrong === 0 ? Date.now() - lastCall : -1;

    // Counts: per Asterisk, its callers' messages; every stored recording on either Asterisk must be a message's.
    let expected = 0;
    let saved = 0;
    let lost = 0;
    let duplicates = 0;
    const problems: string[] = [];
    for (const [i, watch] of watches.entries()) {
      const out = await countOutcome(
        all.filter((c) => c.index % 2 === i),
        watch,
        store,
      );
      expected += out.expected;
      saved += out.saved;
      lost += out.lost;
      duplicates += out.duplicates;
      problems.push(...out.problems.map((p) => `Asterisk ${i + 1}: ${p}`));
    }
    for (const c of all)
      if (!c.recorded)
        problems.push(
          `Asterisk ${(c.index % 2) + 1}: ${c.kind} #${c.index} ${c.call?.calleeId ?? '(no call)'}: never recorded` +
            `${c.refused ? ' (refused or unanswered)' : ''}`,
        );
    const owned = new Set<string>();
    for (let i = 0; i < boxes; i++)
      for (const m of await store.list({ mailbox: String(300 + i), context: 'default' })) owned.add(m.recordingName);
    let survivors = 0;
    for (const sim of sims)
      for (const r of sim.storedRecordings())
        if (!owned.has(r.name)) {
          survivors++;
          problems.push(`stored recording no message owns: ${r.name}`);
        }

    // REST requests that reached the Asterisk from the paused instance after a survivor declared it dead.
    const declared = takeovers.find((t) => t.dead.includes(paused.id));
    const fencedRequests = declared
      ? paused.proxy.times.filter((t) => t >= declared.at).length
      : paused.proxy.times.filter((t) => t >= pausedAt).length;
    if (!declared) problems.push(`${paused.name} was never declared dead`);
    for (const [i, t] of paused.proxy.times.entries())
      if (t >= (declared?.at ?? pausedAt))
        problems.push(`${paused.name} after it was declared dead (+${t - pausedAt} ms): ${paused.proxy.requests[i]}`);
    if (!takeovers.some((t) => t.dead.includes(victim.id))) problems.push(`${victim.name} was never declared dead`);

    // Not finished for the caller: left in the application, still in it at the end, or never answered at all.
    const unanswered = all.filter((c) => !c.call).length;
    const claimed = (from: number, to: number) =>
      takeovers.filter((t) => t.at >= from && t.at < to).reduce((n, t) => n + t.calls, 0);
    const unfinished = all.filter((c) => c.stuck).length + watches.reduce((n, w) => n + w.inApp.size, 0) + unanswered;
    return {
      callers,
      recorded: all.filter((c) => c.recorded).length,
      notRecorded: all.filter((c) => !c.recorded).length,
      expected,
      ambiguous: all.filter((c) => c.ambiguous).length,
      saved,
      lost,
      duplicates,
      survivors,
      wrongLamps: wrong,
      wrongLampsAtEnd,
      lampsRightAfterMs,
      lampBoundMs,
      fencedRequests: declared ? fencedRequests : Math.max(1, fencedRequests),
      unfinished,
      unanswered,
      claimedAfterKill: claimed(killedAt, pausedAt),
      claimedAfterPause: claimed(pausedAt, Number.POSITIVE_INFINITY),
      events,
      wallMs: Date.now() - started,
      problems,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const x of instances) {
      if (x.proc.exitCode === null && x.proc.signalCode === null) {
        x.proc.kill('SIGCONT');
        x.proc.kill('SIGKILL');
        await x.exited;
      }
      await x.proxy.close();
    }
    for (const f of farEnds) await f.close();
    for (const s of sims) await s.close();
    await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await store.close();
    if (pgDir) await run('bash', [SCRIPT, 'stop', pgDir]).catch(() => undefined);
  }
}

interface CountingProxy {
  readonly url: string;
  /** When each REST request (not the event WebSocket) arrived, in ms since the epoch. */
  readonly times: number[];
  /** Each REST request's method and path, in the order of `times`. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** A loopback HTTP proxy to `target` that notes when each REST request arrives; the event WebSocket passes through. */
async function countingProxy(target: URL): Promise<CountingProxy> {
  const times: number[] = [];
  const requests: string[] = [];
  const port = Number(target.port);
  const host = target.hostname;
  const server: Server = createServer((req, res) => {
    times.push(Date.now());
    requests.push(`${req.method} ${req.url}`);
    const out = httpRequest({ host, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    const up = connect(port, host, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      socket.pipe(up).pipe(socket);
    });
    sockets.add(up);
    up.once('close', () => sockets.delete(up));
    const end = () => {
      up.destroy();
      socket.destroy();
    };
    up.on('error', end);
    socket.on('error', end);
    up.on('close', end);
    socket.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${own}`,
    times,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Whether a run kept every promise. */
export function clusterPassed(r: ClusterResult): boolean {
  return (
    r.lost === 0 &&
    r.duplicates === 0 &&
    r.survivors === 0 &&
    r.wrongLamps === 0 &&
    r.fencedRequests === 0 &&
    r.unfinished === 0 &&
    r.problems.every((p) => !p.includes('never declared dead'))
  );
}

export function formatCluster(r: ClusterResult): string {
  return [
    `callers ${r.callers}: recorded ${r.recorded}, not recorded ${r.notRecorded} (answered, then ended before a take, or never answered)`,
    `expected ${r.expected} (+${r.ambiguous} whose * met a fault), saved ${r.saved}`,
    `accepted messages lost: ${r.lost}, stored twice: ${r.duplicates}`,
    `surviving discarded takes: ${r.survivors}`,
    `lamps differing from the store on either Asterisk after the bound (${r.lampBoundMs} ms): ${r.wrongLamps} ` +
      `(${r.wrongLampsAtEnd} at the last call's end; all right after ${r.lampsRightAfterMs} ms)`,
    `REST requests from a fenced instance: ${r.fencedRequests}`,
    `calls taken over: ${r.claimedAfterKill} after the kill, ${r.claimedAfterPause} after the pause`,
    `calls not finished for their caller: ${r.unfinished} (${r.unanswered} never answered)`,
    `wall ${(r.wallMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

const KNOWN: Record<string, NumberOption<ClusterOptions>> = {
  '--callers': 'callers',
  '--seed': 'seed',
  '--mailboxes': 'mailboxes',
  '--arrival': 'arrivalMs',
  '--ttl': 'ttlMs',
  '--mwi-sweep': 'mwiSweepMs',
  '--mwi-retry': 'mwiRetryMs',
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = numberOptions('cluster', KNOWN, process.argv.slice(2));
  const result = await runCluster({ ...options, log: (line) => console.log(line) });
  if (process.env.CLUSTER_VERBOSE) for (const line of result.problems) console.log(`  ${line}`);
  console.log(formatCluster(result));
  process.exit(clusterPassed(result) ? 0 : 1);
}
