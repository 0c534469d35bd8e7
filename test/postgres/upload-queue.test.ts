import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AriOptionsError } from '../../src/ari/errors.js';
import { type PostgresMessageStore, PostgresUploadQueue } from '../../src/postgres/index.js';
import type { UploadEvent } from '../../src/recording/upload.js';
import { encodeWav } from '../../src/recording/wav.js';
import { example, killAll } from '../examples/child.js';
import { postgresUrl } from '../helpers/missing.js';
import { postgresBackend } from '../helpers/postgres.js';
import { startReceiver } from '../recording/receiver.js';

const url = postgresUrl('the PostgreSQL upload queue');

/** A WAV of `ms` of a tone, different for every `n` (so a file mixed up with another shows). */
const recording = (n: number, ms = 200) => {
  const samples = new Int16Array(8 * ms);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(4000 * Math.sin((2 * Math.PI * (300 + n) * i) / 8000));
  return encodeWav(samples, 8000);
};

const ENTITY = '08:00:27:aa:bb:cc';
const meta = (receiver: { url: string }, callId: string) => ({
  url: `${receiver.url}/rec/call_recording_${callId}.wav`,
  contentType: 'audio/wav',
  metadata: { callId, fileName: `call_recording_${callId}.wav` },
});

describe.skipIf(!url)('PostgresUploadQueue', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await killAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A schema of its own; `instance()` is another app instance on it (its own pool). */
  async function cluster() {
    const backend = postgresBackend(url!);
    cleanups.push(() => backend.done());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const instance = async (options: Partial<Parameters<typeof PostgresUploadQueue.open>[0]> = {}) => {
      const store = backend.open();
      const queue = await PostgresUploadQueue.open({
        store,
        entityId: ENTITY,
        pollMs: 50,
        initialDelayMs: 20,
        random: () => 0.5,
        ...options,
      });
      cleanups.push(() => queue.close());
      return { store, queue };
    };
    return { backend, receiver, instance };
  }

  /** A receiver that holds the first PUT unanswered (its worker is in the middle of it) and stores later ones. */
  async function holdingReceiver() {
    const seen: string[] = [];
    const files = new Map<string, Buffer>();
    let first: (() => void) | undefined;
    const gotFirst = new Promise<void>((resolve) => {
      first = resolve;
    });
    const server: Server = createServer(async (req: IncomingMessage, res) => {
      seen.push(req.url ?? '');
      if (seen.length === 1) {
        first?.();
        return; // never answered
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      files.set(req.url ?? '', Buffer.concat(chunks));
      res.writeHead(201).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return { seen, files, gotFirst, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('two workers on one queue: 20 recordings, each PUT exactly once, every byte right, both workers busy', async () => {
    const { receiver, instance } = await cluster();
    const producer = await instance({ work: false });
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, n) => producer.queue.add(recording(n), meta(receiver, `17000${n}.1`))),
    );
    // Both start on a full queue, at once: their first claims race for the same rows.
    const delivered = new Map<string, string>();
    const workers = await Promise.all(['w1', 'w2'].map((worker) => instance({ worker, concurrency: 3 })));
    for (const { queue } of workers) {
      queue.subscribe((event) => {
        if (event.type === 'accepted') delivered.set(event.id, queue.worker);
      });
    }
    const outcomes = await Promise.all(ids.map(({ id }) => producer.queue.delivery(id)));
    expect(outcomes.every((o) => o.accepted)).toBe(true);
    const puts = receiver.requests.map((r) => r.path).sort();
    expect(puts).toEqual(Array.from({ length: 20 }, (_, n) => `/rec/call_recording_17000${n}.1.wav`).sort());
    for (let n = 0; n < 20; n++) {
      expect(receiver.files.get(`/rec/call_recording_17000${n}.1.wav`)?.equals(Buffer.from(recording(n)))).toBe(true);
    }
    expect([...new Set(delivered.values())].sort()).toEqual(['w1', 'w2']);
    expect(await producer.queue.list('pending')).toEqual([]);
    expect(await producer.queue.list('sent')).toHaveLength(20);
  });

  it('a worker killed mid-upload: nobody else sends it while it lives, another delivers it once its lease ran out', async () => {
    const { backend, instance } = await cluster();
    const { seen, files, gotFirst, url: receiverUrl } = await holdingReceiver();
    const doomed = example('test/postgres/upload-worker.ts', [], {
      UPLOAD_SCHEMA: backend.schema,
      UPLOAD_WORKER: 'doomed',
      UPLOAD_LEASE_MS: '1000',
    });
    await doomed.line(/^ready$/);
    const producer = await instance({ work: false });
    const { id } = await producer.queue.add(recording(7), meta({ url: receiverUrl }, '1700.77'));
    await doomed.line(/^attempt /);
    await gotFirst;
    expect((await producer.queue.get(id))?.leaseOwner).toBe('doomed');

    // A live worker renews its lease: for 2.5 leases the other worker does not touch the job.
    const other = await instance({ worker: 'survivor', leaseMs: 1000 });
    const events: UploadEvent[] = [];
    other.queue.subscribe((event) => events.push(event));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(seen).toHaveLength(1);
    expect(events).toEqual([]);

    doomed.proc.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    expect(await other.queue.delivery(id)).toEqual({ accepted: true, status: 201 });
    expect(seen).toEqual(['/rec/call_recording_1700.77.wav', '/rec/call_recording_1700.77.wav']);
    expect(files.get('/rec/call_recording_1700.77.wav')?.equals(Buffer.from(recording(7)))).toBe(true);
    const job = await other.queue.get(id);
    expect(job).toMatchObject({ state: 'sent', attempts: 2, status: 201 });
    expect(job?.leaseOwner).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['attempt', 'accepted']);
  }, 30_000);

  it('a worker stopped (SIGSTOP) past its lease: another delivers the job; woken, it finds its lease lost and stops', async () => {
    const { backend, instance } = await cluster();
    const { seen, files, gotFirst, url: receiverUrl } = await holdingReceiver();
    const paused = example('test/postgres/upload-worker.ts', [], {
      UPLOAD_SCHEMA: backend.schema,
      UPLOAD_WORKER: 'paused',
      UPLOAD_LEASE_MS: '1000',
    });
    await paused.line(/^ready$/);
    const producer = await instance({ work: false });
    const { id } = await producer.queue.add(recording(8), meta({ url: receiverUrl }, '1700.88'));
    await gotFirst;
    paused.proc.kill('SIGSTOP');
    const other = await instance({ worker: 'survivor', leaseMs: 1000 });
    expect(await other.queue.delivery(id)).toEqual({ accepted: true, status: 201 });
    expect(files.get('/rec/call_recording_1700.88.wav')?.equals(Buffer.from(recording(8)))).toBe(true);

    paused.proc.kill('SIGCONT');
    await paused.line(/^warn upload queue: lost the lease of a job/);
    // Its late news changes nothing: the job stays sent, by the survivor's attempt.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await other.queue.get(id)).toMatchObject({ state: 'sent', attempts: 2, status: 201 });
    expect(seen).toHaveLength(2);
    expect(paused.lines.filter((l) => /^(accepted|rejected|retrying)/.test(l))).toEqual([]);
  }, 30_000);

  it('500 then 200: retried after the backoff, one file on the server, its bytes dropped from the row', async () => {
    const { receiver, instance } = await cluster();
    const { store, queue } = await instance();
    receiver.script = [500, 200];
    const events: UploadEvent[] = [];
    queue.subscribe((event) => events.push(event));
    const { id, bytes } = await queue.add(recording(1), meta(receiver, '1700.5'));
    expect(bytes).toBe(recording(1).length);
    expect(await queue.delivery(id)).toEqual({ accepted: true, status: 200 });
    expect(receiver.requests).toHaveLength(2);
    expect([...receiver.files.keys()]).toEqual(['/rec/call_recording_1700.5.wav']);
    expect(receiver.files.get('/rec/call_recording_1700.5.wav')?.equals(Buffer.from(recording(1)))).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['attempt', 'retrying', 'attempt', 'accepted']);
    expect(events[1]).toMatchObject({ attempt: 1, delayMs: 15 });
    expect(await queue.get(id)).toMatchObject({ state: 'sent', attempts: 2, status: 200 });
    expect(await bodyOf(store, id)).toBeNull();
    // Sent rows are kept (a second add of it changes nothing) until they are forgotten.
    expect(await queue.forgetSent(60_000)).toBe(0);
    expect(await queue.add(recording(1), meta(receiver, '1700.5'))).toMatchObject({ created: false });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await queue.forgetSent(10)).toBe(1);
    expect(await queue.get(id)).toBeUndefined();
  });

  it('403: moved to failed with the status and the answer, never retried, its bytes kept for an operator', async () => {
    const { receiver, instance } = await cluster();
    const { store, queue } = await instance();
    receiver.script = [403];
    const { id } = await queue.add(recording(2), meta(receiver, '1700.6'));
    expect(await queue.delivery(id)).toEqual({ accepted: false, status: 403, reason: 'HTTP 403: nope' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.files.size).toBe(0);
    expect(await queue.list('failed')).toMatchObject([{ id, state: 'failed', status: 403, attempts: 1 }]);
    expect((await bodyOf(store, id))?.equals(Buffer.from(recording(2)))).toBe(true);
  });

  it('idempotent: the same recording of the same Asterisk added twice is one job; another Asterisk’s is another', async () => {
    const { receiver, instance } = await cluster();
    const { queue } = await instance({ work: false });
    const a = await queue.add(recording(3), meta(receiver, '1700.8'));
    const again = await queue.add(recording(3), meta(receiver, '1700.8'));
    const elsewhere = await queue.forAsterisk('08:00:27:dd:ee:ff').add(recording(4), meta(receiver, '1700.8'));
    expect(a).toMatchObject({ id: `${ENTITY}/call_recording_1700.8.wav`, created: true });
    expect(again).toMatchObject({ id: a.id, created: false });
    expect(elsewhere.id).toBe('08:00:27:dd:ee:ff/call_recording_1700.8.wav');
    expect((await queue.list()).map((j) => j.id).sort()).toEqual([a.id, elsewhere.id].sort());
  });

  it('in the transaction of what caused it: a rolled back transaction leaves no job, a committed one is delivered', async () => {
    const { receiver, instance } = await cluster();
    const { store, queue } = await instance();
    await store.pool.query(`CREATE TABLE "${store.schema}".calls_done (call_id text PRIMARY KEY)`);
    const work = (callId: string, fail: boolean) =>
      store.transaction(async (client) => {
        await client.query(`INSERT INTO "${store.schema}".calls_done VALUES ($1)`, [callId]);
        const job = await queue.add(recording(5), meta(receiver, callId), { client });
        if (fail) throw new Error('the call could not be finished');
        return job;
      });
    await expect(work('1700.9', true)).rejects.toThrow('could not be finished');
    const { id } = await work('1700.10', false);
    expect(await queue.delivery(id)).toEqual({ accepted: true, status: 201 });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/rec/call_recording_1700.10.wav']);
    expect((await queue.list('sent')).map((j) => j.id)).toEqual([id]);
    expect(await queue.get(`${ENTITY}/call_recording_1700.9.wav`)).toBeUndefined();
  });

  it('a closed worker hands its upload back at once, uncounted; the next instance delivers it', async () => {
    const { receiver, instance } = await cluster();
    const slow = createServer((_req, _res) => undefined); // never answers
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          slow.closeAllConnections();
          slow.close(() => resolve());
        }),
    );
    const first = await instance({ leaseMs: 60_000 });
    const started = new Promise<void>((resolve) => first.queue.subscribe((e) => e.type === 'attempt' && resolve()));
    const { id } = await first.queue.add(recording(6), {
      ...meta(receiver, '1700.11'),
      url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/rec/call_recording_1700.11.wav`,
    });
    await started;
    await first.queue.close();
    expect(await first.queue.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await first.queue.get(id))?.leaseOwner).toBeUndefined();
    const next = await instance();
    // The receiver came back (its url is in the row): the other instance's attempt is the first that counts.
    slow.removeAllListeners('request');
    slow.on('request', (_req, res) => res.writeHead(204).end());
    expect(await next.queue.delivery(id)).toEqual({ accepted: true, status: 204 });
    expect(await next.queue.get(id)).toMatchObject({ attempts: 1 });
  });

  it('refuses malformed options, naming the option', async () => {
    const { backend } = await cluster();
    const store = backend.open();
    await expect(PostgresUploadQueue.open({ store, entityId: '' })).rejects.toThrow(AriOptionsError);
    await expect(PostgresUploadQueue.open({ store, entityId: 'e', leaseMs: 0 })).rejects.toThrow(
      'PostgresUploadQueue.open: invalid option "leaseMs": a positive finite number of ms, got 0',
    );
    await expect(PostgresUploadQueue.open({ store, entityId: 'a/b' })).rejects.toThrow(/invalid option "entityId"/);
    await expect(
      PostgresUploadQueue.open({ store, entityId: 'e', spoolDir: 'x' } as unknown as Parameters<
        typeof PostgresUploadQueue.open
      >[0]),
    ).rejects.toThrow(/spoolDir.*unknown option/);
  });
});

async function bodyOf(store: PostgresMessageStore, id: string): Promise<Buffer | null | undefined> {
  const at = id.lastIndexOf('/');
  const { rows } = await store.pool.query<{ body: Buffer | null }>(
    `SELECT body FROM "${store.schema}".upload_jobs WHERE entity_id = $1 AND file_name = $2`,
    [id.slice(0, at), id.slice(at + 1)],
  );
  return rows[0]?.body;
}
