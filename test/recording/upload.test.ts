import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AriOptionsError } from '../../src/ari/errors.js';
import { type UploadEvent, Uploader } from '../../src/recording/upload.js';
import { encodeWav, parseWav } from '../../src/recording/wav.js';
import { startReceiver, type TestReceiver } from './receiver.js';

const tone = (seconds: number) => {
  const samples = new Int16Array(8000 * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 425 * i) / 8000));
  return encodeWav(samples, 8000);
};

describe('Uploader', () => {
  let dir: string;
  let receiver: TestReceiver;
  const sleeps: number[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  // Backoff without waiting: record the delay, resolve at once (rejecting on close like the real sleep).
  const sleep = async (ms: number, signal: AbortSignal) => {
    sleeps.push(ms);
    signal.throwIfAborted();
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spool-'));
    receiver = await startReceiver();
    sleeps.length = 0;
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });
  const open = async (options: Partial<Parameters<typeof Uploader.open>[0]> = {}) => {
    const uploader = await Uploader.open({ spoolDir: dir, sleep, random: () => 0.5, ...options });
    cleanups.push(() => uploader.close());
    return uploader;
  };

  it('sends the credentials of a url as an Authorization header, never to the spool or the log', async () => {
    const lines: string[] = [];
    const log = (level: string) => (message: string, fields?: unknown) =>
      lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
    const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    receiver.script.push(500);
    const uploader = await open({ logger });
    const url = receiver.url.replace('http://', 'http://rec%40ops:s3cr%3At@');
    const entry = await uploader.add(tone(1), { url: `${url}/rec/call_recording_c9.wav`, contentType: 'audio/wav' });
    const spooled = await readFile(join(dir, 'pending', `${entry.id}.json`), 'utf8');
    expect(await uploader.delivery(entry.id)).toEqual({ accepted: true, status: 201 });
    expect(receiver.requests.map((r) => r.authorization)).toEqual([
      `Basic ${Buffer.from('rec@ops:s3cr:t').toString('base64')}`,
      `Basic ${Buffer.from('rec@ops:s3cr:t').toString('base64')}`,
    ]);
    expect(entry.url).toBe(`${receiver.url}/rec/call_recording_c9.wav`);
    expect(spooled).not.toMatch(/s3cr|rec%40ops|rec@ops/);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/s3cr|rec%40ops|rec@ops/);
  });

  it('holds a spooled file of a credentialed url until a later run knows its credentials again', async () => {
    // The first run fails once, then waits (until it is closed) before trying again.
    const hold = (_ms: number, signal: AbortSignal) =>
      new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('closed'))));
    const first = await open({ sleep: hold });
    const url = receiver.url.replace('http://', 'http://u:p@');
    receiver.script.push(500);
    const entry = await first.add(tone(1), { url: `${url}/rec/c10.wav`, contentType: 'audio/wav' });
    await expect.poll(() => receiver.requests.length).toBe(1);
    await first.close();
    const before = receiver.requests.length;
    const wait = (_ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 2);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('closed'));
        });
      });
    const next = await open({ sleep: wait });
    // Without its credentials the file is not sent (an anonymous PUT would be refused for good).
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(receiver.requests.length).toBe(before);
    next.useCredentials(url);
    expect(await next.delivery(entry.id)).toEqual({ accepted: true, status: 201 });
    expect(receiver.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('PUTs the file under its name with its type and length, then empties the spool', async () => {
    const uploader = await open();
    const wav = tone(3);
    const entry = await uploader.add(wav, {
      url: `${receiver.url}/rec/call_recording_c1.wav`,
      contentType: 'audio/wav',
    });
    expect(await uploader.delivery(entry.id)).toEqual({ accepted: true, status: 201 });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request).toMatchObject({
      path: '/rec/call_recording_c1.wav',
      contentType: 'audio/wav',
      contentLength: String(wav.length),
    });
    const received = receiver.files.get('/rec/call_recording_c1.wav');
    expect(received?.equals(Buffer.from(wav))).toBe(true);
    expect(parseWav(received ?? new Uint8Array()).durationSeconds).toBe(3);
    expect(await readdir(join(dir, 'pending'))).toEqual([]);
  });

  it('retries 500s with growing jittered delays and delivers the file once', async () => {
    receiver.script = [500, 500];
    const uploader = await open({ initialDelayMs: 1000 });
    const events: UploadEvent[] = [];
    uploader.subscribe((event) => events.push(event));
    const entry = await uploader.add(tone(1), { url: `${receiver.url}/a.wav`, contentType: 'audio/wav' });
    expect(await uploader.delivery(entry.id)).toEqual({ accepted: true, status: 201 });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/a.wav', '/a.wav', '/a.wav']);
    expect(receiver.files.size).toBe(1);
    // Equal jitter at random() = 0.5: 3/4 of 1 s, then of 2 s.
    expect(sleeps).toEqual([750, 1500]);
    expect(events.map((e) => e.type)).toEqual(['attempt', 'retrying', 'attempt', 'retrying', 'attempt', 'accepted']);
    expect(events[1]).toMatchObject({ status: 500, reason: 'HTTP 500: nope' });
  });

  it('caps the delay and honours Retry-After on 429 and 503', async () => {
    receiver.script = [429, 503, 503, 503];
    const uploader = await open({ initialDelayMs: 1000, maxDelayMs: 3000, random: () => 0 });
    const entry = await uploader.add(tone(1), { url: `${receiver.url}/b.wav`, contentType: 'audio/wav' });
    expect((await uploader.delivery(entry.id)).accepted).toBe(true);
    // 429: half of 1 s; 503 with Retry-After: 2 s wins over the 1 s and 1.5 s steps; the cap holds the rest.
    expect(sleeps).toEqual([500, 2000, 2000, 2000]);
  });

  it('reports a 4xx with its status and moves the file to failed/ without retrying', async () => {
    receiver.script = [403];
    const uploader = await open();
    const events: UploadEvent[] = [];
    uploader.subscribe((event) => events.push(event));
    const wav = tone(1);
    const entry = await uploader.add(wav, {
      url: `${receiver.url}/c.wav`,
      contentType: 'audio/wav',
      metadata: { callId: 'c' },
    });
    expect(await uploader.delivery(entry.id)).toEqual({ accepted: false, status: 403, reason: 'HTTP 403: nope' });
    expect(receiver.requests).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'rejected', status: 403 });
    expect(await readdir(join(dir, 'pending'))).toEqual([]);
    const [failed] = await uploader.spool.list('failed');
    expect(failed).toMatchObject({ id: entry.id, metadata: { callId: 'c' }, failure: { status: 403 } });
    expect((await readFile(uploader.spool.dataPath(entry.id, 'failed'))).equals(Buffer.from(wav))).toBe(true);
  });

  it('keeps retrying while the receiver is down, and a restarted uploader delivers from the spool', async () => {
    const port = Number(new URL(receiver.url).port);
    await receiver.close();
    const url = `http://127.0.0.1:${port}/d/call_recording_x.wav`;
    // The first process: network errors, retrying; its sleep never ends until close() aborts it.
    const first = await Uploader.open({
      spoolDir: dir,
      sleep: (_ms, signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    });
    const events: UploadEvent[] = [];
    first.subscribe((event) => events.push(event));
    const wav = tone(2);
    const entry = await first.add(wav, { url, contentType: 'audio/wav' });
    await expect.poll(() => events.some((e) => e.type === 'retrying')).toBe(true);
    expect(events.find((e) => e.type === 'retrying')).toMatchObject({
      reason: expect.stringMatching(/ECONNREFUSED|Error/),
    });
    await first.close();
    expect(await first.delivery(entry.id)).toMatchObject({ accepted: false, closed: true });
    expect(await readdir(join(dir, 'pending'))).toHaveLength(2);

    receiver = await startReceiver(port);
    const second = await open();
    expect(await second.delivery(entry.id)).toEqual({ accepted: true, status: 201 });
    expect(receiver.files.get('/d/call_recording_x.wav')?.equals(Buffer.from(wav))).toBe(true);
    expect(await readdir(join(dir, 'pending'))).toEqual([]);
  });

  it('sends what an earlier run left in the spool on open, and drops interrupted writes', async () => {
    const first = await open();
    await first.close();
    // A crash in the middle of a write: bytes without their commit record.
    await writeFile(join(dir, 'pending', 'broken.data'), 'partial');
    const entry = await first.spool.add(tone(1), { url: `${receiver.url}/e.wav`, contentType: 'audio/wav' });
    const second = await open();
    await second.idle();
    expect(receiver.requests.map((r) => r.path)).toEqual(['/e.wav']);
    expect(await second.delivery(entry.id)).toEqual({ accepted: true, status: 201 });
    expect(await readdir(join(dir, 'pending'))).toEqual([]);
  });

  it('gives up after maxAttempts when configured, keeping the file in failed/', async () => {
    receiver.script = [502, 502, 502];
    const uploader = await open({ maxAttempts: 2 });
    const entry = await uploader.add(tone(1), { url: `${receiver.url}/f.wav`, contentType: 'audio/wav' });
    expect(await uploader.delivery(entry.id)).toMatchObject({
      accepted: false,
      status: 502,
      reason: /gave up after 2/,
    });
    expect(await uploader.spool.list('failed')).toHaveLength(1);
  });

  it.each([
    [undefined, 'options'],
    [{}, 'spoolDir'],
    [{ spoolDir: '' }, 'spoolDir'],
    [{ spoolDir: 'x', initialDelayMs: 0 }, 'initialDelayMs'],
    [{ spoolDir: 'x', maxDelayMs: Number.NaN }, 'maxDelayMs'],
    [{ spoolDir: 'x', attemptTimeoutMs: '60000' }, 'attemptTimeoutMs'],
    [{ spoolDir: 'x', maxAttempts: 0 }, 'maxAttempts'],
    [{ spoolDir: 'x', maxAttempts: 2.5 }, 'maxAttempts'],
    [{ spoolDir: 'x', headers: { authorization: 5 } }, 'headers.authorization'],
    [{ spoolDir: 'x', sleep: 10 }, 'sleep'],
    [{ spoolDir: 'x', logger: { info() {} } }, 'logger'],
    [{ spoolDir: 'x', maxAttempt: 3 }, 'maxAttempt'],
  ])('refuses options %j naming %s, before touching the disk', async (options, option) => {
    const spoolDir = join(dir, 'never-created');
    const given = (options as { spoolDir?: string } | undefined)?.spoolDir === 'x' ? { ...options, spoolDir } : options;
    const error = await Uploader.open(given as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AriOptionsError);
    expect(error).toMatchObject({ option });
    expect((error as Error).message).toContain(`"${option}"`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('with maxAttempts 1, a transient failure is final after the one attempt', async () => {
    receiver.script = [503];
    const uploader = await open({ maxAttempts: 1 });
    const entry = await uploader.add(tone(1), { url: `${receiver.url}/one.wav`, contentType: 'audio/wav' });
    expect(await uploader.delivery(entry.id)).toMatchObject({
      accepted: false,
      status: 503,
      reason: /gave up after 1/,
    });
    expect(receiver.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('logs a spool record it cannot read as an error and leaves it on disk, sending the others', async () => {
    const first = await open();
    await first.close();
    await writeFile(join(dir, 'pending', 'broken.json'), '{"id": "broken", "url": ');
    await writeFile(join(dir, 'pending', 'broken.data'), 'bytes');
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    const noop = () => {};
    const logger = {
      debug: noop,
      info: noop,
      warn: noop,
      error: (message: string, fields?: Record<string, unknown>) =>
        errors.push({ message, ...(fields ? { fields } : {}) }),
    };
    const uploader = await open({ logger });
    const entry = await uploader.add(tone(1), { url: `${receiver.url}/ok.wav`, contentType: 'audio/wav' });
    expect(await uploader.delivery(entry.id)).toEqual({ accepted: true, status: 201 });
    expect(errors).toEqual([
      {
        message: expect.stringMatching(/cannot be read/),
        fields: expect.objectContaining({ path: join(dir, 'pending', 'broken.json'), error: expect.any(SyntaxError) }),
      },
    ]);
    expect((await readdir(join(dir, 'pending'))).sort()).toEqual(['broken.data', 'broken.json']);
  });
});
