// Runs an example as a user would (`node --import tsx examples/<x>.ts`, from the repository root) and watches its
// output line by line.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  readonly proc: ChildProcess;
  /** Every line printed so far (stdout and stderr). */
  readonly lines: string[];
  /** Resolves with the first line (already printed or to come) matching `re`. */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (the signal's name if killed). */
  readonly exited: Promise<number | string>;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number | string>;
}

const children = new Set<Child>();

export function run(command: string, args: readonly string[], env: Record<string, string> = {}): Child {
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<{ re: RegExp; resolve: (line: string) => void }>();
  const take = (chunk: Buffer, partial: { text: string }) => {
    partial.text += chunk.toString();
    const parts = partial.text.split('\n');
    partial.text = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters) {
        if (!waiter.re.test(line)) continue;
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };
  const out = { text: '' };
  const err = { text: '' };
  proc.stdout?.on('data', (chunk: Buffer) => take(chunk, out));
  proc.stderr?.on('data', (chunk: Buffer) => take(chunk, err));
  const exited = new Promise<number | string>((resolve) =>
    proc.once('close', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const child: Child = {
    proc,
    lines,
    exited,
    line(re, timeoutMs = 30_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no line matching ${re} within ${timeoutMs} ms; output:\n${lines.join('\n')}`));
        }, timeoutMs);
        const waiter = {
          re,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`exited before a line matching ${re}; output:\n${lines.join('\n')}`));
        });
      });
    },
    interrupt() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGINT');
      return exited;
    },
  };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** Runs a TypeScript example with tsx. */
export const example = (path: string, args: readonly string[] = [], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', path, ...args], env);

/** Kills whatever a failed test left running. */
export async function killAll(): Promise<void> {
  for (const child of [...children]) {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
}
