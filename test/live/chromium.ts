// A headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: the browser reads
// NUL-terminated JSON commands on fd 3 and writes answers and events on fd 4). No port, no download: Debian's
// /usr/bin/chromium, a fresh profile per launch, every network feature that would phone out switched off.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--remote-debugging-pipe',
];

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A tab: evaluates expressions in the page and waits for them to hold. */
export interface Tab {
  /** The value of `expression` in the page (JSON-serialisable values only). */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until `test(value)` holds; fails with the last value after `timeoutMs`. */
  waitFor<T>(expression: string, test: (value: T) => boolean, what: string, timeoutMs?: number): Promise<T>;
  /** A PNG of the page at `width` x `height` CSS pixels. */
  screenshot(width: number, height: number): Promise<Buffer>;
  close(): Promise<void>;
}

export interface Browser {
  open(url: string): Promise<Tab>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'ari-vm-chromium-'));
  const child: ChildProcess = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let buffered = '';
  let exited = false;
  const fail = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  child.on('exit', (code, signal) => {
    exited = true;
    fail(new Error(`chromium exited (${code ?? signal}): ${stderr}`));
  });
  output.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      buffered = buffered.slice(end + 1);
      if (message.id === undefined) continue;
      const p = pending.get(message.id);
      if (!p) continue;
      pending.delete(message.id);
      if (message.error) p.reject(new Error(`CDP: ${message.error.message}`));
      else p.resolve(message.result);
    }
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> => {
    if (exited) return Promise.reject(new Error(`chromium is not running: ${stderr}`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  };

  await send('Browser.getVersion');
  return {
    async open(url) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      await send('Page.enable', {}, sessionId);
      await send('Page.navigate', { url }, sessionId);
      const evaluate = async <T>(expression: string): Promise<T> => {
        const answer = await send<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>(
          'Runtime.evaluate',
          { expression, returnByValue: true },
          sessionId,
        );
        if (answer.exceptionDetails) throw new Error(`in the page: ${answer.exceptionDetails.text} (${expression})`);
        return answer.result.value as T;
      };
      return {
        evaluate,
        async waitFor<T>(expression: string, test: (value: T) => boolean, what: string, timeoutMs = 15_000) {
          const deadline = Date.now() + timeoutMs;
          let last: T | undefined;
          for (;;) {
            last = await evaluate<T>(expression).catch(() => undefined);
            if (last !== undefined && test(last)) return last;
            if (Date.now() > deadline) throw new Error(`the page never showed ${what}; last: ${JSON.stringify(last)}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        },
        async screenshot(width, height) {
          await send(
            'Emulation.setDeviceMetricsOverride',
            { width, height, deviceScaleFactor: 1, mobile: false },
            sessionId,
          );
          const { data } = await send<{ data: string }>('Page.captureScreenshot', { format: 'png' }, sessionId);
          return Buffer.from(data, 'base64');
        },
        async close() {
          await send('Target.closeTarget', { targetId }).catch(() => {});
        },
      };
    },
    async close() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        await send('Browser.close').catch(() => {});
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
      }
      await rm(profile, { recursive: true, force: true });
    },
  };
}
