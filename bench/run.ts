// `npm run bench`: the voicemail session driven through three clients, each against a fresh simulator, every
// one in its own process. Prints a table and writes BENCHMARKS.md. Flags: --quick (fewer calls), --only=a,b
// (clients: ours, ari-client, floor), --profile (CPU profiles of the client processes, into --profile-dir or
// the system temp directory), --no-write (do not touch BENCHMARKS.md).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ChildHandle, type ProcessStats } from './ipc.js';
import type { ClientStats, ParkResult, ReleaseResult, RunResult } from './protocol.js';
import { fmt, percentile, ratio, table } from './stats.js';

interface ClientSpec {
  readonly key: 'ours' | 'ari-client' | 'floor';
  readonly label: string;
}

const CLIENTS: readonly ClientSpec[] = [
  { key: 'ours', label: 'ari-voicemail' },
  { key: 'ari-client', label: 'ari-client 2.2.0' },
  { key: 'floor', label: 'floor (ws + undici)' },
];

interface Plan {
  readonly warmup: number;
  readonly load: readonly { readonly concurrency: number; readonly calls: number }[];
  readonly parked: readonly number[];
}

const FULL: Plan = {
  warmup: 300,
  load: [
    { concurrency: 100, calls: 2000 },
    { concurrency: 1000, calls: 4000 },
  ],
  parked: [1000, 10000],
};
const QUICK: Plan = {
  warmup: 100,
  load: [
    { concurrency: 100, calls: 300 },
    { concurrency: 1000, calls: 1000 },
  ],
  parked: [1000, 2000],
};

const PHASE_TIMEOUT_MS = 60_000;
const NOTES_MARKER = '<!-- notes: kept by npm run bench -->';

interface LoadFigures {
  readonly concurrency: number;
  readonly completed: number;
  readonly stuck: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly clientCpuSPer1000: number;
  readonly simCpuSPer1000: number;
}

interface MemoryFigures {
  readonly parked: number;
  readonly requested: number;
  readonly heapPerCall: number;
  readonly rssPerCall: number;
}

interface ClientFigures {
  readonly spec: ClientSpec;
  readonly load: LoadFigures[];
  readonly memory: MemoryFigures[];
  readonly error?: string;
}

const cpuSeconds = (a: ProcessStats, b: ProcessStats) =>
  (b.cpuUserUs + b.cpuSystemUs - a.cpuUserUs - a.cpuSystemUs) / 1e6;

async function measure(spec: ClientSpec, plan: Plan, nodeFlags: string[]): Promise<ClientFigures> {
  const load: LoadFigures[] = [];
  const memory: MemoryFigures[] = [];
  const sim = ChildHandle.start('simulator', 'bench/sim-process.ts', []);
  let client: ChildHandle | undefined;
  try {
    const { url } = await sim.call<{ url: string }>('start');
    client = ChildHandle.start(spec.label, 'bench/clients/child.ts', [spec.key, url], nodeFlags);
    await client.call('start');
    log(`${spec.label}: warm-up, ${plan.warmup} calls`);
    await sim.call<RunResult>('run', { calls: plan.warmup, concurrency: 100, timeoutMs: PHASE_TIMEOUT_MS });

    for (const { concurrency, calls } of plan.load) {
      log(`${spec.label}: ${calls} calls, ${concurrency} at a time`);
      const c0 = await client.call<ClientStats>('stats');
      const s0 = await sim.call<ProcessStats>('stats');
      const run = await sim.call<RunResult>('run', { calls, concurrency, timeoutMs: PHASE_TIMEOUT_MS });
      const c1 = await client.call<ClientStats>('stats');
      const s1 = await sim.call<ProcessStats>('stats');
      const per1000 = (s: number) => (run.completed > 0 ? (s / run.completed) * 1000 : Number.NaN);
      load.push({
        concurrency,
        completed: run.completed,
        stuck: run.stuck,
        callsPerSecond: run.completed / (run.elapsedMs / 1000),
        p50Ms: percentile(run.dtmfToStopMs, 50),
        p99Ms: percentile(run.dtmfToStopMs, 99),
        clientCpuSPer1000: per1000(cpuSeconds(c0, c1)),
        simCpuSPer1000: per1000(cpuSeconds(s0, s1)),
      });
    }

    for (const count of plan.parked) {
      const before = await client.call<ClientStats>('stats');
      log(`${spec.label}: ${count} calls parked in recording`);
      const park = await sim.call<ParkResult>('park', { count, timeoutMs: PHASE_TIMEOUT_MS });
      const during = await client.call<ClientStats>('stats');
      memory.push({
        parked: park.parked,
        requested: count,
        heapPerCall: (during.heapUsed - before.heapUsed) / park.parked,
        rssPerCall: (during.rss - before.rss) / park.parked,
      });
      // The last parked calls are not released: both processes end here anyway.
      if (count !== plan.parked.at(-1)) await sim.call<ReleaseResult>('release', { timeoutMs: PHASE_TIMEOUT_MS });
    }
    return { spec, load, memory };
  } catch (error) {
    return { spec, load, memory, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client?.stop();
    await sim.stop();
  }
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function report(results: readonly ClientFigures[], plan: Plan): string {
  const ours = results.find((r) => r.spec.key === 'ours');
  const alt = results.find((r) => r.spec.key === 'ari-client');
  const floor = results.find((r) => r.spec.key === 'floor');
  const header = ['figure', ...results.map((r) => r.spec.label)];
  const withRatios = ours && (alt || floor);
  if (ours && alt) header.push('ours / ari-client');
  if (ours && floor) header.push('ours / floor');
  const rows: string[][] = [];
  const add = (name: string, pick: (r: ClientFigures) => number, digits = 3) => {
    const values = results.map(pick);
    const row = [name, ...values.map((v) => fmt(v, digits))];
    if (withRatios && ours) {
      if (alt) row.push(ratio(pick(ours), pick(alt)));
      if (floor) row.push(ratio(pick(ours), pick(floor)));
    }
    rows.push(row);
  };
  plan.load.forEach(({ concurrency }, i) => {
    const at = (r: ClientFigures) => r.load[i];
    add(`calls/s at ${concurrency} concurrent`, (r) => at(r)?.callsPerSecond ?? Number.NaN);
    add(`DTMF->stop p50 ms at ${concurrency}`, (r) => at(r)?.p50Ms ?? Number.NaN);
    add(`DTMF->stop p99 ms at ${concurrency}`, (r) => at(r)?.p99Ms ?? Number.NaN);
    add(`client CPU s / 1000 calls at ${concurrency}`, (r) => at(r)?.clientCpuSPer1000 ?? Number.NaN);
    add(`simulator CPU s / 1000 calls at ${concurrency}`, (r) => at(r)?.simCpuSPer1000 ?? Number.NaN);
  });
  plan.parked.forEach((count, i) => {
    const at = (r: ClientFigures) => r.memory[i];
    add(`heap KiB / waiting call at ${count}`, (r) => (at(r)?.heapPerCall ?? Number.NaN) / 1024);
    add(`RSS KiB / waiting call at ${count}`, (r) => (at(r)?.rssPerCall ?? Number.NaN) / 1024);
  });
  const notes: string[] = [];
  for (const r of results) {
    if (r.error) notes.push(`- ${r.spec.label}: stopped early: ${r.error.split('\n')[0]}`);
    for (const l of r.load) {
      if (l.stuck > 0)
        notes.push(`- ${r.spec.label}: ${l.stuck} calls did not complete at ${l.concurrency} concurrent`);
    }
    for (const m of r.memory) {
      if (m.parked < m.requested) {
        notes.push(
          `- ${r.spec.label}: only ${m.parked} of ${m.requested} calls reached recording within ${PHASE_TIMEOUT_MS / 1000} s (memory is per call that did)`,
        );
      }
    }
  }
  return [table(header, rows), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}`;
}

function markdown(tableText: string, plan: Plan, command: string): string {
  return `# Benchmarks

Measured by \`${command}\` on ${new Date().toISOString().slice(0, 10)}.

Machine: ${machine()}.

${tableText}

## What is measured

Three clients run the same voicemail session against the same simulator (\`createSimulator\`, in its own process),
each client in its own process too:

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
enters \`vm-record\`), sends \`#\` on the caller half once the recording has started, and counts a call complete at
its \`StasisEnd\`. Its clock is manual and moved forward by the driver, so beeps and DTMF take no wall time and
the figures are about the clients, not about media durations.

- **calls/s**: completed calls per second of wall time with ${plan.load.map((l) => `${l.concurrency} (${l.calls} calls)`).join(' and ')}
  calls in flight, after a warm-up of ${plan.warmup} calls.
- **DTMF->stop**: from the simulator writing \`ChannelDtmfReceived\` to the client's socket to the simulator
  receiving the \`stop\` request, measured in the simulator process.
- **CPU s / 1000 calls**: \`process.cpuUsage()\` of each process over the run; the larger of the two is the bottleneck.
- **per waiting call**: heap and RSS of the client process (after two full GCs) with ${plan.parked.join(' and ')}
  calls parked in recording, minus before, divided by the calls.
`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const plan = flag('quick') ? QUICK : FULL;
  const only = flag('only')?.split('=')[1]?.split(',');
  const profileDir = flag('profile-dir')?.split('=')[1] ?? join(tmpdir(), 'ari-voicemail-bench-profiles');
  const nodeFlags = flag('profile') ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const clients = CLIENTS.filter((c) => !only || only.includes(c.key));
  if (clients.length === 0) throw new Error(`--only: no such client (${CLIENTS.map((c) => c.key).join(', ')})`);

  const results: ClientFigures[] = [];
  for (const spec of clients) results.push(await measure(spec, plan, nodeFlags));

  const text = report(results, plan);
  process.stdout.write(`\n${text}\n\n${machine()}\n`);
  if (nodeFlags.length) process.stdout.write(`CPU profiles in ${profileDir}\n`);
  if (!flag('no-write')) {
    const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
    const file = new URL('../BENCHMARKS.md', import.meta.url);
    // Everything from the notes marker on is written by people (profiles, analysis) and kept across runs.
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const at = previous.indexOf(NOTES_MARKER);
    const notes = at === -1 ? `${NOTES_MARKER}\n` : previous.slice(at);
    writeFileSync(file, `${markdown(text, plan, command)}\n${notes}`);
    process.stdout.write('Wrote BENCHMARKS.md\n');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
