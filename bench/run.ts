// `npm run bench`: the voicemail session driven through three clients, each against its own simulator, every one
// in its own process. First builds the package (`npm run build`, as users get it) and compiles the benchmark's own
// files, so every child runs compiled JavaScript with plain node and our client loads `dist/src/index.js`.
// Prints a table and writes BENCHMARKS.md. Flags: --quick (fewer calls), --only=a,b (clients: ours, ari-client,
// floor), --profile (CPU profiles of the client processes, into --profile-dir or the system temp directory),
// --no-build (use the last build), --no-write (do not touch BENCHMARKS.md), --baseline=DIR (one more client: our
// library as built in another checkout DIR, e.g. a worktree of the commit before a change, run in the same rounds).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChildHandle, type ProcessStats } from './ipc.js';
import type { ClientStats, ParkResult, ReleaseResult, RunResult } from './protocol.js';
import { fmt, percentile, ratio, table } from './stats.js';

type ClientKey = 'ours' | 'ari-client' | 'floor' | 'baseline';
interface ClientSpec {
  readonly key: ClientKey;
  readonly label: string;
  /** For `ours` and `baseline`: the file URL of the library's compiled root module. */
  readonly library?: string;
}

const CLIENTS: readonly ClientSpec[] = [
  { key: 'ours', label: 'ari-voicemail' },
  { key: 'ari-client', label: 'ari-client 2.2.0' },
  { key: 'floor', label: 'floor (ws + undici)' },
];

/**
 * The node flags every client process runs with, the same for all three, and the ones we recommend to users of
 * the library: a larger young generation (64 MiB semi-spaces instead of 16) means fewer scavenges for the many
 * short-lived objects of each event, and fewer short objects promoted to the old generation.
 */
export const RECOMMENDED_NODE_FLAGS = ['--max-semi-space-size=64'] as const;

interface Plan {
  readonly warmup: number;
  /** Interleaved rounds: in each, every client in turn runs each burst. */
  readonly rounds: number;
  readonly burst: readonly { readonly concurrency: number; readonly calls: number }[];
  readonly steady: {
    readonly ratePerSecond: number;
    readonly callsPerRound: number;
    readonly rounds: number;
    readonly dtmfDelaysMs: readonly number[];
  };
  readonly parked: readonly number[];
  readonly parkRatePerSecond: number;
}

const FULL: Plan = {
  warmup: 300,
  rounds: 3,
  burst: [
    { concurrency: 100, calls: 1000 },
    { concurrency: 1000, calls: 2000 },
  ],
  steady: { ratePerSecond: 100, callsPerRound: 1000, rounds: 2, dtmfDelaysMs: [20, 0] },
  parked: [1000, 10000],
  parkRatePerSecond: 500,
};
const QUICK: Plan = {
  warmup: 100,
  rounds: 3,
  burst: [
    { concurrency: 100, calls: 300 },
    { concurrency: 1000, calls: 1000 },
  ],
  steady: { ratePerSecond: 100, callsPerRound: 200, rounds: 2, dtmfDelaysMs: [20, 0] },
  parked: [1000, 2000],
  parkRatePerSecond: 500,
};

const PHASE_TIMEOUT_MS = 60_000;
const NOTES_MARKER = '<!-- notes: kept by npm run bench -->';
const PREVIOUS_MARKER = '## Previous run';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const buildDir = join(repoRoot, 'dist', '.bench');
const SIM_ENTRY = join(buildDir, 'bench', 'sim-process.js');
const CLIENT_ENTRY = join(buildDir, 'bench', 'clients', 'child.js');
const LIBRARY_URL = pathToFileURL(join(repoRoot, 'dist', 'src', 'index.js')).href;

interface Pair {
  readonly spec: ClientSpec;
  readonly sim: ChildHandle;
  readonly client: ChildHandle;
}

interface BurstRound {
  readonly completed: number;
  readonly stuck: number;
  readonly callsPerSecond: number;
  readonly clientCpuSPer1000: number;
  readonly simCpuSPer1000: number;
}

interface ClientFigures {
  readonly spec: ClientSpec;
  /** Per burst of the plan: one entry per round. */
  readonly burst: BurstRound[][];
  /** Per burst of the plan: the DTMF -> stop latencies of every round. */
  readonly burstLatencies: number[][];
  /** Per DTMF delay of the plan: the latencies of every round, and client CPU s / 1000 calls per round. */
  readonly steady: { latencies: number[]; cpu: number[]; stuck: number }[];
  readonly memory: {
    parked: number;
    requested: number;
    heapPerCall: number;
    rssPerCall: number;
    released: number;
    stuck: number;
  }[];
  errors: string[];
}

const cpuSeconds = (a: ProcessStats, b: ProcessStats) =>
  (b.cpuUserUs + b.cpuSystemUs - a.cpuUserUs - a.cpuSystemUs) / 1e6;

const median = (values: readonly number[]) => percentile(values, 50);

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function startPair(spec: ClientSpec, nodeFlags: string[]): Promise<Pair> {
  const sim = ChildHandle.start('simulator', SIM_ENTRY, []);
  const { url } = await sim.call<{ url: string }>('start');
  const client = ChildHandle.start(
    spec.label,
    CLIENT_ENTRY,
    [spec.key === 'baseline' ? 'ours' : spec.key, url, spec.library ?? LIBRARY_URL],
    nodeFlags,
  );
  await client.call('start');
  return { spec, sim, client };
}

async function stopPair(pair: Pair): Promise<void> {
  await pair.client.stop();
  await pair.sim.stop();
}

/** Runs `fn` on the sim while measuring the CPU both processes used. */
async function measured<T extends { completed: number }>(
  pair: Pair,
  fn: () => Promise<T>,
): Promise<{ result: T; clientCpu: number; simCpu: number }> {
  const c0 = await pair.client.call<ClientStats>('stats');
  const s0 = await pair.sim.call<ProcessStats>('stats');
  const result = await fn();
  const c1 = await pair.client.call<ClientStats>('stats');
  const s1 = await pair.sim.call<ProcessStats>('stats');
  const per1000 = (s: number) => (result.completed > 0 ? (s / result.completed) * 1000 : Number.NaN);
  return { result, clientCpu: per1000(cpuSeconds(c0, c1)), simCpu: per1000(cpuSeconds(s0, s1)) };
}

async function loadPhases(specs: readonly ClientSpec[], plan: Plan, nodeFlags: string[], out: ClientFigures[]) {
  const pairs: Pair[] = [];
  try {
    for (const spec of specs) {
      const pair = await startPair(spec, nodeFlags);
      pairs.push(pair);
      log(`${spec.label}: warm-up, ${plan.warmup} calls`);
      await pair.sim.call<RunResult>('run', { calls: plan.warmup, concurrency: 100, timeoutMs: PHASE_TIMEOUT_MS });
    }
    const figuresOf = (pair: Pair) => out.find((f) => f.spec === pair.spec) as ClientFigures;
    // Interleaved: each round runs every client in turn, starting one client further each round.
    for (let round = 0; round < plan.rounds; round++) {
      for (let k = 0; k < pairs.length; k++) {
        const pair = pairs[(round + k) % pairs.length] as Pair;
        const figures = figuresOf(pair);
        for (const [i, { concurrency, calls }] of plan.burst.entries()) {
          log(`round ${round + 1}: ${pair.spec.label}, ${calls} calls, ${concurrency} at a time`);
          const m = await measured(pair, () =>
            pair.sim.call<RunResult>('run', { calls, concurrency, timeoutMs: PHASE_TIMEOUT_MS }),
          );
          figures.burst[i]?.push({
            completed: m.result.completed,
            stuck: m.result.stuck,
            callsPerSecond: m.result.completed / (m.result.elapsedMs / 1000),
            clientCpuSPer1000: m.clientCpu,
            simCpuSPer1000: m.simCpu,
          });
          figures.burstLatencies[i]?.push(...m.result.dtmfToStopMs);
        }
      }
    }
    const { ratePerSecond, callsPerRound, rounds, dtmfDelaysMs } = plan.steady;
    for (let round = 0; round < rounds; round++) {
      for (const [d, dtmfDelayMs] of dtmfDelaysMs.entries()) {
        for (let k = 0; k < pairs.length; k++) {
          const pair = pairs[(round + d + k) % pairs.length] as Pair;
          const figures = figuresOf(pair);
          log(
            `steady round ${round + 1}: ${pair.spec.label}, ${callsPerRound} calls at ${ratePerSecond}/s, # ${dtmfDelayMs > 0 ? `${dtmfDelayMs} ms after` : 'with'} RecordingStarted`,
          );
          const m = await measured(pair, () =>
            pair.sim.call<RunResult>('steady', {
              calls: callsPerRound,
              ratePerSecond,
              dtmfDelayMs,
              timeoutMs: PHASE_TIMEOUT_MS,
            }),
          );
          const slot = figures.steady[d] as ClientFigures['steady'][number];
          slot.latencies.push(...m.result.dtmfToStopMs);
          slot.cpu.push(m.clientCpu);
          slot.stuck += m.result.stuck;
        }
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const f of out) f.errors.push(`load phases stopped early: ${message.split('\n')[0]}`);
  } finally {
    for (const pair of pairs) await stopPair(pair);
  }
}

/** Every client parks its calls the same way: a fresh pair, a warm-up, then calls started at one fixed rate. */
async function memoryPhase(spec: ClientSpec, plan: Plan, nodeFlags: string[], figures: ClientFigures) {
  let pair: Pair | undefined;
  try {
    pair = await startPair(spec, nodeFlags);
    await pair.sim.call<RunResult>('run', { calls: plan.warmup, concurrency: 100, timeoutMs: PHASE_TIMEOUT_MS });
    for (const count of plan.parked) {
      const before = await pair.client.call<ClientStats>('stats');
      log(`${spec.label}: ${count} calls parked in recording, ${plan.parkRatePerSecond}/s`);
      const park = await pair.sim.call<ParkResult>('park', {
        count,
        ratePerSecond: plan.parkRatePerSecond,
        timeoutMs: PHASE_TIMEOUT_MS,
      });
      const during = await pair.client.call<ClientStats>('stats');
      const release = await pair.sim.call<ReleaseResult>('release', { timeoutMs: PHASE_TIMEOUT_MS });
      figures.memory.push({
        parked: park.parked,
        requested: count,
        heapPerCall: (during.heapUsed - before.heapUsed) / park.parked,
        rssPerCall: (during.rss - before.rss) / park.parked,
        released: release.completed,
        stuck: release.stuck,
      });
    }
  } catch (error) {
    figures.errors.push(
      `memory phase stopped early: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
    );
  } finally {
    if (pair) await stopPair(pair);
  }
}

function report(results: readonly ClientFigures[], plan: Plan): string {
  const ours = results.find((r) => r.spec.key === 'ours');
  const alt = results.find((r) => r.spec.key === 'ari-client');
  const floor = results.find((r) => r.spec.key === 'floor');
  const baseline = results.find((r) => r.spec.key === 'baseline');
  const header = ['figure', ...results.map((r) => r.spec.label)];
  if (ours && alt) header.push('ours / ari-client');
  if (ours && floor) header.push('ours / floor');
  if (ours && baseline) header.push('ours / baseline');
  const rows: string[][] = [];
  const add = (name: string, pick: (r: ClientFigures) => number, digits = 3) => {
    const row = [name, ...results.map((r) => fmt(pick(r), digits))];
    if (ours && alt) row.push(ratio(pick(ours), pick(alt)));
    if (ours && floor) row.push(ratio(pick(ours), pick(floor)));
    if (ours && baseline) row.push(ratio(pick(ours), pick(baseline)));
    rows.push(row);
  };
  const n = plan.rounds;
  plan.burst.forEach(({ concurrency }, i) => {
    const rounds = (r: ClientFigures) => r.burst[i] ?? [];
    add(`client CPU s / 1000 calls at ${concurrency} concurrent (median of ${n})`, (r) =>
      median(rounds(r).map((x) => x.clientCpuSPer1000)),
    );
    add(`simulator CPU s / 1000 calls at ${concurrency} (median of ${n})`, (r) =>
      median(rounds(r).map((x) => x.simCpuSPer1000)),
    );
    add(`calls/s at ${concurrency} concurrent (median of ${n})`, (r) => median(rounds(r).map((x) => x.callsPerSecond)));
    add(`burst DTMF->stop p50 ms at ${concurrency}`, (r) => percentile(r.burstLatencies[i] ?? [], 50));
    add(`burst DTMF->stop p99 ms at ${concurrency}`, (r) => percentile(r.burstLatencies[i] ?? [], 99));
  });
  const { ratePerSecond, dtmfDelaysMs } = plan.steady;
  dtmfDelaysMs.forEach((delay, d) => {
    const lat = (r: ClientFigures) => r.steady[d]?.latencies ?? [];
    const when = delay > 0 ? `# ${delay} ms after RecordingStarted` : '# with RecordingStarted';
    for (const p of [50, 90, 99]) {
      add(`steady ${ratePerSecond}/s, ${when}: DTMF->stop p${p} ms`, (r) => percentile(lat(r), p));
    }
    add(`steady ${ratePerSecond}/s, ${when}: DTMF->stop max ms`, (r) => percentile(lat(r), 100));
    add(`steady ${ratePerSecond}/s, ${when}: client CPU s / 1000 calls`, (r) => median(r.steady[d]?.cpu ?? []));
  });
  plan.parked.forEach((count, i) => {
    const at = (r: ClientFigures) => r.memory[i];
    add(`heap KiB / waiting call at ${count}`, (r) => (at(r)?.heapPerCall ?? Number.NaN) / 1024);
    add(`RSS KiB / waiting call at ${count}`, (r) => (at(r)?.rssPerCall ?? Number.NaN) / 1024);
  });
  const notes: string[] = [];
  for (const r of results) {
    for (const e of r.errors) notes.push(`- ${r.spec.label}: ${e}`);
    plan.burst.forEach(({ concurrency }, i) => {
      const rounds = r.burst[i] ?? [];
      const stuck = rounds.reduce((s, x) => s + x.stuck, 0);
      if (stuck > 0) notes.push(`- ${r.spec.label}: ${stuck} calls did not complete at ${concurrency} concurrent`);
      notes.push(
        `- ${r.spec.label}, client CPU s / 1000 calls at ${concurrency} concurrent, round by round: ${rounds.map((x) => fmt(x.clientCpuSPer1000)).join(', ')}`,
      );
    });
    for (const [d, s] of r.steady.entries()) {
      if (s.stuck > 0)
        notes.push(`- ${r.spec.label}: ${s.stuck} steady-rate calls did not complete (delay ${dtmfDelaysMs[d]} ms)`);
      if (s.latencies.length === 0)
        notes.push(`- ${r.spec.label}: no steady-rate latency measured (delay ${dtmfDelaysMs[d]} ms)`);
    }
    for (const m of r.memory) {
      notes.push(
        `- ${r.spec.label}: ${m.parked} of ${m.requested} calls parked in recording (at ${plan.parkRatePerSecond}/s, then up to ${PHASE_TIMEOUT_MS / 1000} s), ${m.released} released, ${m.stuck} stuck`,
      );
    }
  }
  return [table(header, rows), '', ...notes].join('\n');
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}`;
}

const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

function markdown(tableText: string, plan: Plan, command: string, loadBefore: string, previous: string): string {
  const s = plan.steady;
  return `# Benchmarks

Measured by \`${command}\` on ${new Date().toISOString().slice(0, 10)}.

Machine: ${machine()}. Load average (1, 5, 15 min) before the run: ${loadBefore}; after: ${loads()}.
Every client process ran with \`node ${RECOMMENDED_NODE_FLAGS.join(' ')}\` (see "GC flags" below).

${tableText}

## What is measured

Three clients run the same voicemail session, each against its own simulator (\`createSimulator\`), every one in
its own process. \`npm run bench\` first runs \`npm run build\` and compiles the benchmark's own files
(bench/tsconfig.json, into dist/.bench), so every process runs compiled JavaScript with plain node: no TypeScript
loader, and our client loads the package's \`dist/src/index.js\` as a user's program does.

- **ari-voicemail**: \`createAriClient\` + \`createStasisApp\` + \`createVoicemailCalls\` (bench/clients/ours.ts);
- **ari-client 2.2.0**: the tutorial's voicemail written on ari-client, which reads the simulator's
  \`/ari/api-docs\` at connect (bench/clients/ari-client-app.ts);
- **floor**: \`ws\` + \`JSON.parse\` + undici with the session hand-inlined, no framework (bench/clients/floor.ts).

The session (bench/clients/app.ts), the same nine REST requests for every client: answer; play the greeting
(a missing recording: one round trip, ends at once); record with a beep; \`#\` stops it; check the stored
recording; update the mailbox's MWI; play the goodbye (missing too); set VMSTATUS; hang up.
The library's voicemail is configured to do exactly that: mailbox 305 with a missing greeting, instructions
skipped (Stasis argument \`s305\`), review off, no time or silence limit, \`finish: 'hangup'\`, messages in memory.

The simulator process drives the calls (bench/sim-process.ts): it originates \`Local/305@bench\` (the callee half
enters \`vm-record\`), sends \`#\` on the caller half once \`RecordingStarted\` has been written to the client's
socket, and counts a call complete at its \`ChannelDestroyed\`. Beeps and DTMF last 1 ms.

- **client CPU s / 1000 calls**: \`process.cpuUsage()\` of the client process over a burst (${plan.burst.map((b) => `${b.calls} calls with ${b.concurrency} in flight`).join('; ')}),
  per 1,000 completed calls. Measured in ${plan.rounds} interleaved rounds: each round runs every client in turn
  (the first client moves one place each round), so a busy machine weighs on all alike; the table gives the
  median round, the notes every round. After a warm-up of ${plan.warmup} calls per client.
- **calls/s** of the same bursts: completed calls per second of wall time (the client and its simulator share
  the two cores, so this is bounded by the larger CPU of the two).
- **burst DTMF->stop**: from the simulator writing \`ChannelDtmfReceived\` to the client's socket to the simulator
  receiving the \`stop\` request, during the bursts: with up to 1,000 calls in flight this is mostly queueing.
- **steady**: ${s.callsPerRound * s.rounds} calls per client and per case, arriving at a fixed ${s.ratePerSecond} calls/s whatever the
  client does (well below every client's saturation), in ${s.rounds} interleaved rounds of ${s.callsPerRound}; \`#\` is sent either
  ${s.dtmfDelaysMs.filter((d) => d > 0).join(', ')} ms after \`RecordingStarted\` reached the client's socket (the call is idle) or at once (the client
  is still handling the \`record\` answer and \`RecordingStarted\`; the \`#\` arrives a loopback DTMF request later).
  DTMF->stop as above, p50/p90/p99/max over all the calls.
- **per waiting call**: each client in a fresh process pair, after the warm-up: heap and RSS of the client
  process (after two full GCs) with ${plan.parked.join(' and ')} calls parked in recording, minus before, divided by
  the calls that reached recording. Every client gets its calls the same way, started at ${plan.parkRatePerSecond}/s;
  then all are sent \`#\` and must complete (released / stuck in the notes).

## GC flags

We recommend running the library with \`node ${RECOMMENDED_NODE_FLAGS.join(' ')}\` (or
\`NODE_OPTIONS=${RECOMMENDED_NODE_FLAGS.join(' ')}\`): a call makes many short-lived objects, and with node's
default 16 MiB semi-spaces the young generation is scavenged often under load, promoting objects that die soon
after. The benchmark runs all three clients with the same flags.
${previous ? `\n${previous.trim()}\n` : ''}`;
}

/** The generated part of the previous BENCHMARKS.md (its own previous run dropped), as the "previous run". */
function previousRun(text: string): string {
  const end = text.indexOf(NOTES_MARKER);
  let head = end === -1 ? text : text.slice(0, end);
  const prev = head.indexOf(PREVIOUS_MARKER);
  if (prev !== -1) head = head.slice(0, prev);
  const measuredAt = head.indexOf('Measured by');
  if (measuredAt === -1) return '';
  const whatAt = head.indexOf('## What is measured');
  const body = head.slice(measuredAt, whatAt === -1 ? undefined : whatAt).trim();
  return `${PREVIOUS_MARKER}\n\nThe run before this one, as it was written (its method is described in git history).\n\n${body}\n`;
}

/** The short commit of a checkout, for the baseline's label. */
function gitRef(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function build(): void {
  log('npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  log('compiling the benchmark (bench/tsconfig.json)');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', join(repoRoot, 'bench', 'tsconfig.json')], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const plan = flag('quick') ? QUICK : FULL;
  const only = flag('only')?.split('=')[1]?.split(',');
  const profileDir = flag('profile-dir')?.split('=')[1] ?? join(tmpdir(), 'ari-voicemail-bench-profiles');
  const nodeFlags = [
    ...RECOMMENDED_NODE_FLAGS,
    ...(flag('profile') ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  ];
  const specs: ClientSpec[] = CLIENTS.filter((c) => !only || only.includes(c.key));
  if (specs.length === 0) throw new Error(`--only: no such client (${CLIENTS.map((c) => c.key).join(', ')})`);
  const baselineDir = flag('baseline')?.split('=')[1];
  if (baselineDir) {
    const entry = join(baselineDir, 'dist', 'src', 'index.js');
    if (!existsSync(entry)) throw new Error(`--baseline: no ${entry} (run npm run build in that checkout first)`);
    const ref = gitRef(baselineDir);
    specs.splice(1, 0, {
      key: 'baseline',
      label: `baseline${ref ? ` (${ref})` : ''}`,
      library: pathToFileURL(entry).href,
    });
  }
  if (!flag('no-build')) build();
  const loadBefore = loads();

  const results: ClientFigures[] = specs.map((spec) => ({
    spec,
    burst: plan.burst.map(() => []),
    burstLatencies: plan.burst.map(() => []),
    steady: plan.steady.dtmfDelaysMs.map(() => ({ latencies: [], cpu: [], stuck: 0 })),
    memory: [],
    errors: [],
  }));
  await loadPhases(specs, plan, nodeFlags, results);
  for (const figures of results) await memoryPhase(figures.spec, plan, nodeFlags, figures);

  const text = report(results, plan);
  process.stdout.write(`\n${text}\n\n${machine()}; load before ${loadBefore}, after ${loads()}\n`);
  if (flag('profile')) process.stdout.write(`CPU profiles in ${profileDir}\n`);
  if (!flag('no-write')) {
    // The baseline's directory is this machine's business: the file names it by its commit.
    const shown = args.map((a) =>
      a.startsWith('--baseline=')
        ? `--baseline=<checkout of ${(baselineDir && gitRef(baselineDir)) ?? 'the baseline'}>`
        : a,
    );
    const command = `npm run bench${shown.length ? ` -- ${shown.join(' ')}` : ''}`;
    const file = new URL('../BENCHMARKS.md', import.meta.url);
    // Everything from the notes marker on is written by people (profiles, analysis) and kept across runs.
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const at = previous.indexOf(NOTES_MARKER);
    const notes = at === -1 ? `${NOTES_MARKER}\n` : previous.slice(at);
    writeFileSync(file, `${markdown(text, plan, command, loadBefore, previousRun(previous))}\n${notes}`);
    process.stdout.write('Wrote BENCHMARKS.md\n');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
