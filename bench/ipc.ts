// Request/answer over the IPC channel between the harness and its child processes (simulator, clients), and
// the process accounting every child answers to.

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Request {
  readonly id: number;
  readonly op: string;
  readonly args?: unknown;
}

export interface Answer {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}

/** CPU and memory of one process. CPU is read first; `heapUsed`/`rss` right after two full GCs. */
export interface ProcessStats {
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly heapUsed: number;
  readonly rss: number;
}

export type Handlers = Record<string, (args: never) => unknown>;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** A child process running a compiled JavaScript entry with plain node (no loader), answering {@link Request}s. */
export class ChildHandle {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: Error | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: Answer) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`${name} exited (${signal ?? code})`);
      for (const waiter of this.pending.values()) waiter.reject(this.exited);
      this.pending.clear();
    });
  }

  /**
   * Starts `entry` (a compiled `.js` file) with `--expose-gc` and the given extra node flags.
   * Its stdout is dropped unless `verbose` (ari-client's swagger-client logs there); stderr is kept.
   */
  static start(name: string, entry: string, args: string[], nodeFlags: string[] = [], verbose = false): ChildHandle {
    const child = fork(entry, args, {
      cwd: repoRoot,
      execArgv: ['--expose-gc', ...nodeFlags],
      stdio: ['ignore', verbose ? 'inherit' : 'ignore', 'inherit', 'ipc'],
    });
    return new ChildHandle(name, child);
  }

  /** Sends `op` and resolves with the child's answer. */
  call<T>(op: string, args?: unknown): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args } satisfies Request);
    });
  }

  /** Asks the child to finish (`close`), then waits for it to exit; kills it if it has not after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.call('close').catch(() => {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Child side: answers requests with `handlers`; `close` runs `onClose` and exits. */
export function serve(handlers: Handlers, onClose: () => Promise<void>): void {
  if (!process.send) throw new Error('this script is started by bench/run.ts (it needs an IPC channel)');
  process.on('message', async (request: Request) => {
    const reply = (answer: Omit<Answer, 'id'>) => process.send?.({ id: request.id, ...answer });
    if (request.op === 'close') {
      await onClose().catch(() => {});
      reply({ ok: true });
      process.disconnect();
      // Let the answer flush; the child has nothing left to do.
      setImmediate(() => process.exit(0));
      return;
    }
    const handler = handlers[request.op];
    if (!handler) return reply({ ok: false, error: `unknown op ${request.op}` });
    try {
      reply({ ok: true, value: await handler(request.args as never) });
    } catch (error) {
      reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}

/** This process's CPU time so far, then its memory right after garbage collection (needs `--expose-gc`). */
export function processStats(): ProcessStats {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc to measure memory');
  const cpu = process.cpuUsage();
  gc();
  gc();
  const memory = process.memoryUsage();
  return { cpuUserUs: cpu.user, cpuSystemUs: cpu.system, heapUsed: memory.heapUsed, rss: memory.rss };
}
