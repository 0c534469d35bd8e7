// Notifications of stored messages against real receivers on loopback: an SMTP server (smtp-server) whose mail is
// parsed by mailparser, an HTTP server checking the webhook's signature; the retries on a simulated clock.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AriOptionsError,
  createNotifier,
  FileMessageStore,
  InMemoryMailboxDirectory,
  type NotifierOptions,
  type NotifyEvent,
  type NotifyTargets,
  type VoicemailMessage,
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
} from '../../src/index.js';
import { encodeWav, mp3Info, parseWav } from '../../src/recording/index.js';

let dir: string;
let wavPath: string;
let smtp: SMTPServer;
let smtpPort: number;
let mails: ParsedMail[];
/** SMTP replies to give (in order) before accepting: e.g. 451 (try later) or 550 (refused). */
let smtpFailures: number[];

const t0 = Date.parse('2026-03-04T10:00:00Z');
function fakeClock(start = t0) {
  const clock = { at: start, now: () => clock.at, setTimeout: () => undefined, clearTimeout: () => undefined };
  return clock;
}

const message = (id: string, extra: Partial<VoicemailMessage> = {}): VoicemailMessage => ({
  id,
  mailbox: '305',
  context: 'default',
  folder: 'INBOX',
  callerId: { number: '5551234', name: 'Alice' },
  receivedAt: new Date(t0).toISOString(),
  durationSeconds: 3,
  urgent: false,
  recordingName: `voicemail/default/305/${id}`,
  format: 'wav',
  ...extra,
});

/** Three seconds of a 440 Hz tone at 8 kHz, as Asterisk records. */
function tone(seconds: number): Uint8Array {
  const samples = new Int16Array(8000 * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return encodeWav(samples, 8000);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vm-notify-'));
  wavPath = join(dir, 'take.wav');
  await writeFile(wavPath, tone(3));
  mails = [];
  smtpFailures = [];
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const failure = smtpFailures.shift();
      simpleParser(stream).then(
        (mail) => {
          if (failure) {
            const error = Object.assign(new Error(`refused with ${failure}`), { responseCode: failure });
            callback(error);
            return;
          }
          mails.push(mail);
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function notifierOn(
  store: FileMessageStore,
  extra: Partial<Omit<NotifierOptions, 'targets'>> & { targets?: NotifyTargets } = {},
) {
  const events: NotifyEvent[] = [];
  const { targets = { email: { to: 'owner@example.com', format: 'mp3' } }, ...rest } = extra;
  const notifier = createNotifier({
    store,
    targets: () => targets,
    audio: async () => readFile(wavPath),
    email: {
      transport: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true },
      from: 'voicemail@example.com',
    },
    clock: fakeClock(),
    retry: { baseMs: 1000, jitter: 0 },
    onEvent: (event) => events.push(event),
    ...rest,
  });
  return { notifier, events };
}

describe('email', () => {
  it('a message forwarded from the mailbox menu is emailed to the mailbox it reached', async () => {
    const store = new FileMessageStore(join(dir, 'store'));
    const original = message('o1');
    const forwarded = message('o1-f1', { mailbox: '306', recordingName: 'voicemail/default/306/o1-f1' });
    await store.save(original);
    await store.save(forwarded);
    const { notifier } = notifierOn(store, { targets: { email: { to: 'other@example.com', format: 'wav' } } });
    notifier.onEvent({ type: 'mailbox.forwarded', callId: 'c1', from: original, message: forwarded });
    await expect.poll(() => notifier.runDue()).toBe(1);
    await notifier.stop();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Voicemail from Alice (0:03) in mailbox 306');
    expect(mails[0]!.attachments.map((a) => a.contentType)).toEqual(['audio/wav']);
  });

  it('sends the message with its audio as mp3 and the envelope and transcription in the text', async () => {
    const store = new FileMessageStore(join(dir, 'store'));
    await store.save(message('m1'));
    const order: string[] = [];
    const { notifier } = notifierOn(store, {
      transcribe: async ({ message: m, wav }) => {
        order.push('transcribe');
        expect(parseWav(wav).durationSeconds).toBe(3);
        return `Hello, this is ${m.callerId.name}, call me back.`;
      },
    });
    const jobs = await notifier.enqueue(message('m1'));
    expect(jobs.map((j) => j.kind)).toEqual(['transcription', 'email']);
    expect(await notifier.runDue()).toBe(2);
    await notifier.stop();

    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('owner@example.com');
    expect(mail.subject).toBe('Voicemail from Alice (0:03) in mailbox 305');
    expect(mail.text).toContain('From:     Alice <5551234>');
    expect(mail.text).toContain('Received: Wednesday, 4 March 2026 at 10:00:00 UTC');
    expect(mail.text).toContain('Length:   0:03');
    expect(mail.text).toContain('Transcription:\nHello, this is Alice, call me back.');
    expect(mail.messageId).toBe(`<${jobs[1]!.id}@ari-voicemail>`);
    expect(mail.attachments).toHaveLength(1);
    const attachment = mail.attachments[0]!;
    expect(attachment.contentType).toBe('audio/mpeg');
    expect(attachment.filename).toBe('voicemail-305-m1.mp3');
    const info = mp3Info(attachment.content);
    expect(info.sampleRate).toBe(8000);
    expect(info.durationSeconds).toBeGreaterThan(2.9);
    expect(info.durationSeconds).toBeLessThan(3.2);
    // The transcription is on the message too, and was made before the email went.
    expect((await store.get({ mailbox: '305', context: 'default' }, 'm1'))?.transcription).toBe(
      'Hello, this is Alice, call me back.',
    );
    expect(order).toEqual(['transcribe']);
  });

  it('attaches the wav itself when the mailbox chose wav', async () => {
    const store = new FileMessageStore(join(dir, 'store'));
    await store.save(message('m2', { urgent: true, folder: 'Urgent', callerId: { number: '', name: '' } }));
    const { notifier } = notifierOn(store, { targets: { email: { to: ['a@example.com', 'b@example.com'] } } });
    await notifier.enqueue(message('m2'));
    await notifier.runDue();
    await notifier.stop();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Urgent voicemail from an unknown caller (0:03) in mailbox 305');
    expect(mails[0]!.text).toContain('A new urgent voicemail message in mailbox 305@default.');
    const attachment = mails[0]!.attachments[0]!;
    expect(attachment.contentType).toBe('audio/wav');
    const wav = parseWav(attachment.content);
    expect(wav.sampleRate).toBe(8000);
    expect(wav.durationSeconds).toBe(3);
  });

  it('retries a server that says try later, with backoff on the clock, and sends once', async () => {
    const store = new FileMessageStore(join(dir, 'store'));
    await store.save(message('m3'));
    smtpFailures = [451, 451];
    const clock = fakeClock();
    const { notifier, events } = notifierOn(store, { clock });
    const [job] = await notifier.enqueue(message('m3'));
    expect(await notifier.runDue()).toBe(1);
    expect(mails).toHaveLength(0);
    let kept = await store.getJob(job!.id);
    expect(kept).toMatchObject({ state: 'pending', attempts: 1, dueAt: new Date(t0 + 1000).toISOString() });
    expect(await notifier.runDue()).toBe(0); // not due yet
    clock.at += 1000;
    expect(await notifier.runDue()).toBe(1);
    kept = await store.getJob(job!.id);
    expect(kept).toMatchObject({ state: 'pending', attempts: 2, dueAt: new Date(t0 + 1000 + 2000).toISOString() });
    clock.at += 1999;
    expect(await notifier.runDue()).toBe(0);
    clock.at += 1;
    expect(await notifier.runDue()).toBe(1);
    expect(mails).toHaveLength(1);
    expect(await store.getJob(job!.id)).toMatchObject({ state: 'sent', attempts: 3 });
    expect(events.map((e) => e.type)).toEqual(['notify.retry', 'notify.retry', 'notify.sent']);
    clock.at += 60_000;
    expect(await notifier.runDue()).toBe(0);
    await notifier.stop();
    expect(mails).toHaveLength(1);
  });

  it('gives up at once on a refusal (5xx) and says why', async () => {
    const store = new FileMessageStore(join(dir, 'store'));
    await store.save(message('m4'));
    smtpFailures = [550];
    const { notifier, events } = notifierOn(store);
    const [job] = await notifier.enqueue(message('m4'));
    await notifier.runDue();
    await notifier.stop();
    expect(await store.getJob(job!.id)).toMatchObject({ state: 'failed', attempts: 1 });
    expect((await store.getJob(job!.id))?.lastError).toMatch(/SMTP server refused the email \(550\)/);
    expect(events.map((e) => e.type)).toEqual(['notify.failed']);
  });

  it('survives a restart between writing the job and sending it: sent exactly once', async () => {
    const storeDir = join(dir, 'store');
    const store = new FileMessageStore(storeDir);
    await store.save(message('m5'));
    const first = notifierOn(store);
    const [job] = await first.notifier.enqueue(message('m5'));
    // The process dies here: the job is on disk, nothing was sent.
    await first.notifier.stop();
    expect(mails).toHaveLength(0);
    const files = await readdir(join(storeDir, '.notify', 'jobs'));
    expect(files).toEqual([`${job!.id}.json`]);

    const second = notifierOn(new FileMessageStore(storeDir));
    // The app enqueues again on recovery, say: nothing new is written.
    expect(await second.notifier.enqueue(message('m5'))).toEqual([]);
    await second.notifier.start();
    await second.notifier.idle();
    await second.notifier.stop();
    expect(mails).toHaveLength(1);

    const third = notifierOn(new FileMessageStore(storeDir));
    await third.notifier.start();
    expect(await third.notifier.enqueue(message('m5'))).toEqual([]);
    expect(await third.notifier.runDue()).toBe(0);
    await third.notifier.stop();
    expect(mails).toHaveLength(1);
  });

  it('catches up on messages saved while it was not running, never on those from before its first start', async () => {
    const storeDir = join(dir, 'store');
    const store = new FileMessageStore(storeDir);
    const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }]);
    await store.save(message('before', { receivedAt: new Date(t0 - 60_000).toISOString() }));
    const clock = fakeClock();
    const first = notifierOn(store, { directory, clock });
    await first.notifier.start();
    await first.notifier.stop();
    expect(mails).toHaveLength(0);
    // Saved while down (the saved event never reached a notifier).
    await store.save(message('during', { receivedAt: new Date(t0 + 5000).toISOString() }));
    clock.at += 10_000;
    const second = notifierOn(new FileMessageStore(storeDir), { directory, clock });
    await second.notifier.start();
    await second.notifier.idle();
    await second.notifier.stop();
    expect(mails.map((m) => m.attachments[0]?.filename)).toEqual(['voicemail-305-during.mp3']);
  });
});

describe('webhook', () => {
  let server: Server;
  let url: string;
  let answers: number[];
  let received: Array<{ headers: IncomingHttpHeaders; body: string; valid: boolean }>;
  const secret = 'a-shared-secret';

  beforeEach(async () => {
    answers = [];
    received = [];
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        received.push({
          headers: req.headers,
          body,
          valid: verifyWebhookSignature(secret, body, req.headers, { now: t0 }),
        });
        res.statusCode = answers.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/voicemail`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the message as signed JSON, retries a 503 and a dropped connection, and keeps one delivery id', async () => {
    const store = new FileMessageStore(join(dir, 'store'));
    await store.save(message('w1'));
    const clock = fakeClock();
    const { notifier, events } = notifierOn(store, { clock, targets: { webhook: { url, secret } } });
    const [job] = await notifier.enqueue(message('w1'));
    expect(job?.kind).toBe('webhook');
    answers = [503];
    await notifier.runDue();
    expect(received).toHaveLength(1);
    clock.at += 1000;
    await notifier.runDue();
    expect(received).toHaveLength(2);
    expect(events.map((e) => e.type)).toEqual(['notify.retry', 'notify.sent']);
    for (const r of received) {
      expect(r.valid).toBe(true);
      expect(r.headers[WEBHOOK_DELIVERY_HEADER]).toBe(job!.id);
      expect(r.headers['content-type']).toBe('application/json');
    }
    const payload = JSON.parse(received[1]!.body);
    expect(payload).toMatchObject({ type: 'voicemail.message', delivery: job!.id, mailbox: '305', context: 'default' });
    expect(payload.message).toMatchObject({ id: 'w1', callerId: { number: '5551234', name: 'Alice' } });
    // A forged body does not verify.
    expect(
      verifyWebhookSignature(secret, received[1]!.body.replace('w1', 'w2'), received[1]!.headers, { now: t0 }),
    ).toBe(false);
    expect(verifyWebhookSignature('other', received[1]!.body, received[1]!.headers, { now: t0 })).toBe(false);
    expect(verifyWebhookSignature(secret, received[1]!.body, received[1]!.headers, { now: t0 + 3600_000 })).toBe(false);

    // A receiver that is down is retried too.
    await store.save(message('w2'));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const [down] = await notifier.enqueue(message('w2'));
    await notifier.runDue();
    expect((await store.getJob(down!.id))?.lastError).toMatch(/could not be reached/);
    await new Promise<void>((resolve) => server.listen(Number(new URL(url).port), '127.0.0.1', resolve));
    clock.at += 1000;
    await notifier.runDue();
    await notifier.stop();
    expect(await store.getJob(down!.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(JSON.parse(received.at(-1)!.body).message.id).toBe('w2');
  });

  it('fails a job at once when the receiver answers 4xx, and after maxAttempts otherwise', async () => {
    const store = new FileMessageStore(join(dir, 'store'));
    await store.save(message('w3'));
    await store.save(message('w4'));
    const clock = fakeClock();
    const { notifier, events } = notifierOn(store, {
      clock,
      targets: { webhook: { url, secret } },
      retry: { baseMs: 10, maxAttempts: 3, jitter: 0 },
    });
    answers = [400];
    const [refused] = await notifier.enqueue(message('w3'));
    await notifier.runDue();
    expect(await store.getJob(refused!.id)).toMatchObject({ state: 'failed', attempts: 1 });
    expect((await store.getJob(refused!.id))?.lastError).toBe(`webhook ${url} answered 400`);
    answers = [500, 500, 500];
    const [broken] = await notifier.enqueue(message('w4'));
    for (let i = 0; i < 3; i++) {
      await notifier.runDue();
      clock.at += 1000;
    }
    await notifier.stop();
    expect(await store.getJob(broken!.id)).toMatchObject({ state: 'failed', attempts: 3 });
    expect(events.map((e) => e.type)).toEqual(['notify.failed', 'notify.retry', 'notify.retry', 'notify.failed']);
  });
});

describe('mailbox full', () => {
  it('tells the owner by email and webhook when a message fills the mailbox, once', async () => {
    const hooks: Array<{ body: string; valid: boolean }> = [];
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        hooks.push({ body, valid: verifyWebhookSignature('s', body, req.headers, { now: t0 }) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const store = new FileMessageStore(join(dir, 'store'));
    const directory = new InMemoryMailboxDirectory([{ mailbox: '305', limits: { maxMessages: 2 } }]);
    const { notifier } = notifierOn(store, {
      directory,
      targets: { email: { to: 'owner@example.com' }, webhook: { url: hookUrl, secret: 's' } },
    });
    await store.save(message('f1'));
    expect((await notifier.enqueue(message('f1'))).map((j) => j.kind)).toEqual(['email', 'webhook']);
    await store.save(message('f2'));
    expect((await notifier.enqueue(message('f2'))).map((j) => j.kind)).toEqual([
      'email',
      'webhook',
      'full-email',
      'full-webhook',
    ]);
    expect(await notifier.enqueue(message('f2'))).toEqual([]);
    await notifier.runDue();
    await notifier.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const full = mails.filter((m) => m.subject === 'Voicemail mailbox 305 is full');
    expect(full).toHaveLength(1);
    expect(full[0]!.text).toContain('Mailbox 305@default holds 2 messages, its limit of 2.');
    expect(full[0]!.attachments).toHaveLength(0);
    expect(mails).toHaveLength(3);
    const fullHooks = hooks
      .map((h) => ({ ...JSON.parse(h.body), valid: h.valid }))
      .filter((h) => h.type === 'voicemail.mailbox-full');
    expect(fullHooks).toEqual([
      expect.objectContaining({ mailbox: '305', context: 'default', messages: 2, maxMessages: 2, valid: true }),
    ]);
  });
});

describe('options', () => {
  it('refuses email or transcription without an audio source, naming it', () => {
    const store = new FileMessageStore(join(dir, 'store'));
    expect(() =>
      createNotifier({ store, targets: () => undefined, email: { transport: 'smtp://127.0.0.1:1', from: 'vm@x' } }),
    ).toThrow(AriOptionsError);
    expect(() => createNotifier({ store, targets: () => undefined, transcribe: async () => 'x' })).toThrow(/audio/);
    expect(() => createNotifier({ store: { ...store } as never, targets: () => undefined })).toThrow(
      /NotificationJobStore/,
    );
  });
});
