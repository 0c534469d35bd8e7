// Notifications after a message is stored: the message by email with its audio, a signed webhook, a transcription.
// Each is a durable job (src/voicemail/notify-jobs.ts): written before its first attempt, retried with backoff,
// marked sent once it went, found again after a restart.

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { AriOptionsError, checkOptions } from '../ari/errors.js';
import { wavToMp3 } from '../recording/mp3.js';
import { parseWav } from '../recording/wav.js';
import type { VoicemailLibraryEvent } from './events.js';
import type { MailboxAddress } from './ids.js';
import type { MailboxDirectory } from './mailbox.js';
import type { MailboxMenuEvent } from './main.js';
import {
  hasNotificationJobs,
  type NotificationJob,
  type NotificationJobStore,
  type NotificationKind,
  notificationJobId,
} from './notify-jobs.js';
import type { MessageStore, VoicemailMessage } from './store.js';

/** Where a mailbox's notifications go. */
export interface NotifyTargets {
  /** The message by email, its audio attached as `wav` (default) or `mp3`. */
  readonly email?: { readonly to: string | readonly string[]; readonly format?: 'wav' | 'mp3' };
  /** A JSON POST to `url`, signed with HMAC-SHA256 under `secret` (see {@link verifyWebhookSignature}). */
  readonly webhook?: { readonly url: string; readonly secret: string };
}

/** The clock of the notifier (a simulated one in tests). */
export interface NotifyClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How failed attempts are retried: after `baseMs`, doubling up to `maxMs`, at most `maxAttempts` attempts. */
export interface NotifyRetry {
  /** Default 1000. */
  readonly baseMs?: number;
  /** Default 15 minutes. */
  readonly maxMs?: number;
  /** Default 10; then the job is `failed` and reported. */
  readonly maxAttempts?: number;
  /** Each delay is cut by up to this fraction at random, so many failed jobs do not retry together. Default 0.2. */
  readonly jitter?: number;
}

/** What the notifier tells the app. */
export type NotifyEvent =
  | { readonly type: 'notify.sent'; readonly job: NotificationJob }
  | { readonly type: 'notify.retry'; readonly job: NotificationJob; readonly error: unknown }
  | { readonly type: 'notify.failed'; readonly job: NotificationJob; readonly error: unknown };

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  /** The message store; it keeps the jobs too unless `jobs` is given (`FileMessageStore` does). */
  readonly store: MessageStore;
  /** Where jobs are kept. Default: the store. */
  readonly jobs?: NotificationJobStore;
  /** Where a mailbox's notifications go (`undefined`: none). Asked when a job is written and when it is attempted. */
  readonly targets: (address: MailboxAddress) => NotifyTargets | undefined | Promise<NotifyTargets | undefined>;
  /**
   * The audio of a message as a WAV file (bytes or a stream). Needed by email and transcription; with an ARI client,
   * `(m) => client.recordings.getStoredFile({ recordingName: m.recordingName })`.
   */
  readonly audio?: (message: VoicemailMessage) => Promise<Uint8Array | AsyncIterable<Uint8Array>>;
  /** SMTP: a nodemailer transporter, or the options (or URL) of one. `from` is the sender of every email. */
  readonly email?: {
    readonly transport: Transporter | SMTPTransport.Options | string;
    readonly from: string;
    /** The time zone of the envelope's date. Default `UTC`. */
    readonly timeZone?: string;
  };
  /** Makes text of a message's audio; the text is stored on the message (`transcription`) and put in the email. */
  readonly transcribe?: (input: { readonly message: VoicemailMessage; readonly wav: Uint8Array }) => Promise<string>;
  /**
   * With it, `start()` writes the jobs of messages saved while the process was down (since the first start), and the
   * message that fills its mailbox (`limits.maxMessages`) also sends `full-email` / `full-webhook`.
   */
  readonly directory?: MailboxDirectory;
  readonly retry?: NotifyRetry;
  /** How long an attempt may take (a webhook request, an SMTP session, a transcription). Default 60 000 ms. */
  readonly attemptTimeoutMs?: number;
  /** How long sent and failed jobs are kept (they make sure nothing is sent twice). Default 30 days. */
  readonly keepDoneMs?: number;
  readonly clock?: NotifyClock;
  readonly onEvent?: (event: NotifyEvent) => void;
}

/** The running notifier. */
export interface Notifier {
  /** Writes the jobs a stored message is owed (once: a second call for the same message writes nothing). */
  enqueue(message: VoicemailMessage): Promise<NotificationJob[]>;
  /**
   * Give it to `createVoicemailCalls({ onEvent })` and `createVoicemailMainCalls({ onEvent })`: `voicemail.saved`,
   * `voicemail.copied` and a message forwarded from the menu (`mailbox.forwarded`) enqueue.
   */
  readonly onEvent: (event: VoicemailLibraryEvent | MailboxMenuEvent) => void;
  /** Catches up (with `directory`), then attempts jobs as they fall due until `stop()`. */
  start(): Promise<void>;
  /** Attempts every job due now (one after another) and returns how many it attempted. */
  runDue(): Promise<number>;
  /** Resolves when no job is pending any more (sent or failed), attempting them as they fall due. */
  idle(): Promise<void>;
  /** Stops attempting (a running attempt finishes) and closes the SMTP transport it made. */
  stop(): Promise<void>;
}

/** A failure retrying will not mend (a 4xx answer, a 5xx SMTP reply, a message gone): the job fails at once. */
export class PermanentNotifyError extends Error {
  readonly code = 'VOICEMAIL_NOTIFY_PERMANENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentNotifyError';
  }
}

const realClock: NotifyClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The header carrying a webhook's signature: `sha256=<hex HMAC of "<timestamp>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-voicemail-signature';
/** The header carrying the signing time (Unix seconds), part of what is signed. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-voicemail-timestamp';
/** The header carrying the job id: the same on every retry, so a receiver can drop a delivery it already has. */
export const WEBHOOK_DELIVERY_HEADER = 'x-voicemail-delivery';

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks a received webhook: the signature matches the raw body and the timestamp, and the timestamp is within
 * `toleranceSeconds` (default 300) of `now`. Compare the raw body, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string | Uint8Array,
  headers: Record<string, string | string[] | undefined>,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const signature = headers[WEBHOOK_SIGNATURE_HEADER];
  const stamp = Number(headers[WEBHOOK_TIMESTAMP_HEADER]);
  if (typeof signature !== 'string' || !Number.isInteger(stamp)) return false;
  const now = (options.now ?? Date.now()) / 1000;
  if (Math.abs(now - stamp) > (options.toleranceSeconds ?? 300)) return false;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const expected = Buffer.from(signWebhook(secret, stamp, text));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** `m:ss`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The text of a message's email: the envelope (who, when, how long, where), the transcription when there is one. */
export function emailText(message: VoicemailMessage, options: { timeZone?: string; attachment?: string } = {}): string {
  const { number, name } = message.callerId;
  const from = name && number ? `${name} <${number}>` : name || number || 'an unknown caller';
  const when = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'full',
    timeStyle: 'long',
    timeZone: options.timeZone ?? 'UTC',
  }).format(new Date(message.receivedAt));
  const lines = [
    `A new ${message.urgent ? 'urgent ' : ''}voicemail message in mailbox ${message.mailbox}@${message.context}.`,
    '',
    `From:     ${from}`,
    `Received: ${when}`,
    `Length:   ${formatDuration(message.durationSeconds)}`,
    `Folder:   ${message.folder}`,
    `Message:  ${message.id}`,
  ];
  if (message.transcription !== undefined) lines.push('', 'Transcription:', message.transcription);
  if (options.attachment) lines.push('', `The recording is attached (${options.attachment}).`);
  return `${lines.join('\n')}\n`;
}

/** The JSON a webhook receives for a stored message. */
export interface WebhookPayload {
  readonly type: 'voicemail.message' | 'voicemail.mailbox-full';
  /** The job id (also in the delivery header). */
  readonly delivery: string;
  readonly mailbox: string;
  readonly context: string;
  readonly message?: VoicemailMessage;
  /** For `voicemail.mailbox-full`: how many messages it holds, and its limit. */
  readonly messages?: number;
  readonly maxMessages?: number;
}

async function collect(source: Uint8Array | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/** How soon a due job that another instance held is looked at again. */
const HELD_RETRY_MS = 1000;

const MESSAGE_KINDS: readonly NotificationKind[] = ['transcription', 'email', 'webhook'];

const NOTIFIER_OPTIONS: readonly string[] = [
  'store',
  'jobs',
  'targets',
  'audio',
  'email',
  'transcribe',
  'directory',
  'retry',
  'attemptTimeoutMs',
  'keepDoneMs',
  'clock',
  'onEvent',
];

const positive = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;

function checkNotifierOptions(options: NotifierOptions): void {
  if (options === null || typeof options !== 'object') throw new AriOptionsError('options', 'an object');
  for (const key of Object.keys(options)) {
    if (!NOTIFIER_OPTIONS.includes(key)) throw new AriOptionsError(key, 'unknown option');
  }
  if (options.store === null || typeof options.store !== 'object') throw new AriOptionsError('store', 'a MessageStore');
  if (typeof options.targets !== 'function') throw new AriOptionsError('targets', 'a function');
  if (options.jobs === undefined && !hasNotificationJobs(options.store))
    throw new AriOptionsError('jobs', 'a NotificationJobStore (the store keeps none: pass jobs)');
  if (options.jobs !== undefined && !hasNotificationJobs(options.jobs))
    throw new AriOptionsError('jobs', 'a NotificationJobStore');
  if (options.email !== undefined) {
    if (options.email === null || typeof options.email !== 'object') throw new AriOptionsError('email', 'an object');
    if (typeof options.email.from !== 'string' || options.email.from.length === 0)
      throw new AriOptionsError('email.from', 'a sender address');
    if (options.email.transport === undefined || options.email.transport === null)
      throw new AriOptionsError('email.transport', 'an SMTP URL, nodemailer options or a transporter');
  }
  for (const name of ['audio', 'transcribe', 'onEvent'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new AriOptionsError(name, 'a function');
  }
  if ((options.email || options.transcribe) && typeof options.audio !== 'function')
    throw new AriOptionsError('audio', 'a function giving a message’s WAV (email and transcription need it)');
  for (const name of ['attemptTimeoutMs', 'keepDoneMs'] as const) {
    if (options[name] !== undefined && !positive(options[name]))
      throw new AriOptionsError(name, 'a positive number of ms');
  }
  const { retry, clock } = options;
  if (retry !== undefined) {
    if (retry === null || typeof retry !== 'object') throw new AriOptionsError('retry', 'an object');
    for (const name of ['baseMs', 'maxMs'] as const) {
      if (retry[name] !== undefined && !positive(retry[name]))
        throw new AriOptionsError(`retry.${name}`, 'a positive number of ms');
    }
    if (retry.maxAttempts !== undefined && !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1))
      throw new AriOptionsError('retry.maxAttempts', 'an integer >= 1');
    const jitter = retry.jitter;
    if (jitter !== undefined && !(typeof jitter === 'number' && jitter >= 0 && jitter <= 1))
      throw new AriOptionsError('retry.jitter', 'a number between 0 and 1');
  }
  if (
    clock !== undefined &&
    !['now', 'setTimeout', 'clearTimeout'].every((m) => typeof clock?.[m as 'now'] === 'function')
  )
    throw new AriOptionsError('clock', 'a clock with now, setTimeout and clearTimeout');
}

/**
 * Starts the notifications of stored messages. Wire its `onEvent` into `createVoicemailCalls`, then `start()`:
 *
 * ```ts
 * const notifier = createNotifier({ store, targets: () => ({ email: { to: 'me@example.com', format: 'mp3' } }),
 *   email: { transport: 'smtp://localhost:25', from: 'voicemail@example.com' },
 *   audio: (m) => client.recordings.getStoredFile({ recordingName: m.recordingName }) });
 * createVoicemailCalls({ directory, store, onEvent: notifier.onEvent });
 * await notifier.start();
 * ```
 *
 * The jobs of a message: `transcription` (with `transcribe`), then `email` and `webhook` (which wait for the
 * transcription, so its text is in them). A job is written before its first attempt; an attempt that fails is
 * retried with backoff; a job sent is kept as sent for `keepDoneMs`, so neither a second `enqueue` nor a restart
 * sends it again. A process that dies after a send and before marking it sent sends it again on restart: the email's
 * Message-ID and the webhook's delivery header are the job id, so the receiver can tell.
 * @throws AriOptionsError naming the bad option
 */
export function createNotifier(options: NotifierOptions): Notifier {
  checkOptions('createNotifier', options, checkNotifierOptions);
  const jobs = (options.jobs ?? options.store) as NotificationJobStore;
  const clock = options.clock ?? realClock;
  const retry = {
    baseMs: options.retry?.baseMs ?? 1000,
    maxMs: options.retry?.maxMs ?? 15 * 60_000,
    maxAttempts: options.retry?.maxAttempts ?? 10,
    jitter: options.retry?.jitter ?? 0.2,
  };
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
  const keepDoneMs = options.keepDoneMs ?? 30 * 24 * 3600_000;
  // The lease of a claimed job outlasts an attempt (cut off at attemptTimeoutMs) with room to spare.
  const worker = `notifier-${randomUUID()}`;
  const leaseMs = 2 * attemptTimeoutMs + 30_000;
  let transporter: Transporter | undefined;
  let ownsTransporter = false;
  let running: Promise<number> | undefined;
  let again = false;
  let started = false;
  let stopped = false;
  let timer: unknown;
  /** The last pass left due jobs to another instance that held them. */
  let heldElsewhere = false;
  const idleWaiters: Array<() => void> = [];

  const tell = (event: NotifyEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener that throws must not stop the notifications.
    }
  };

  const iso = (ms: number) => new Date(ms).toISOString();

  async function enqueue(message: VoicemailMessage): Promise<NotificationJob[]> {
    const address = { mailbox: message.mailbox, context: message.context };
    const targets = await options.targets(address);
    const kinds: NotificationKind[] = [];
    if (options.transcribe) kinds.push('transcription');
    if (targets?.email && options.email) kinds.push('email');
    if (targets?.webhook) kinds.push('webhook');
    // The message that fills its mailbox also tells the owner that callers are now turned away.
    const box = options.directory ? await options.directory.get(address) : undefined;
    if (box) {
      const counts = await options.store.count(address);
      if (counts.INBOX + counts.Urgent + counts.Old >= box.limits.maxMessages) {
        if (targets?.email && options.email) kinds.push('full-email');
        if (targets?.webhook) kinds.push('full-webhook');
      }
    }
    const now = iso(clock.now());
    const written: NotificationJob[] = [];
    for (const kind of kinds) {
      const job: NotificationJob = {
        id: notificationJobId(kind, address, message.id),
        kind,
        ...address,
        messageId: message.id,
        state: 'pending',
        attempts: 0,
        createdAt: now,
        dueAt: now,
      };
      if (await jobs.createJob(job)) written.push(job);
    }
    if (written.length > 0) wake();
    return written;
  }

  async function getTransporter(): Promise<Transporter> {
    if (transporter) return transporter;
    const transport = options.email?.transport;
    if (transport && typeof (transport as Transporter).sendMail === 'function') {
      transporter = transport as Transporter;
    } else {
      // Loaded when first needed: an app without email never loads nodemailer.
      const nodemailer = await import('nodemailer');
      transporter = nodemailer.createTransport(transport as SMTPTransport.Options);
      ownsTransporter = true;
    }
    return transporter;
  }

  async function wav(message: VoicemailMessage): Promise<Uint8Array> {
    if (!options.audio) throw new PermanentNotifyError('no audio source configured');
    return collect(await options.audio(message));
  }

  async function sendEmail(job: NotificationJob, message: VoicemailMessage, targets: NotifyTargets): Promise<void> {
    const email = options.email;
    const target = targets.email;
    if (!email || !target) throw new PermanentNotifyError(`mailbox ${job.mailbox}@${job.context} has no email target`);
    const format = target.format ?? 'wav';
    const audio = await wav(message);
    let content: Buffer;
    let contentType: string;
    let extension: string;
    if (format === 'mp3' && message.format === 'wav') {
      content = Buffer.from(
        await collect(
          wavToMp3(
            (async function* () {
              yield audio;
            })(),
          ),
        ),
      );
      contentType = 'audio/mpeg';
      extension = 'mp3';
    } else {
      content = Buffer.from(audio);
      extension = message.format;
      contentType = message.format === 'wav' ? 'audio/wav' : `audio/${message.format}`;
    }
    const filename = `voicemail-${message.mailbox}-${message.id}.${extension}`;
    const { number, name } = message.callerId;
    const caller = name || number || 'an unknown caller';
    await sendMail(job, {
      from: email.from,
      to: typeof target.to === 'string' ? target.to : [...target.to],
      subject: `${message.urgent ? 'Urgent v' : 'V'}oicemail from ${caller} (${formatDuration(message.durationSeconds)}) in mailbox ${message.mailbox}`,
      text: emailText(message, { timeZone: email.timeZone, attachment: filename }),
      messageId: `<${job.id}@ari-voicemail>`,
      attachments: [{ filename, content, contentType }],
    });
  }

  async function sendMail(_job: NotificationJob, mail: Parameters<Transporter['sendMail']>[0]): Promise<void> {
    try {
      await (await getTransporter()).sendMail(mail);
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (typeof code === 'number' && code >= 500) {
        throw new PermanentNotifyError(`the SMTP server refused the email (${code})`, { cause: error });
      }
      throw error;
    }
  }

  async function postWebhook(job: NotificationJob, payload: WebhookPayload, targets: NotifyTargets): Promise<void> {
    const hook = targets.webhook;
    if (!hook) throw new PermanentNotifyError(`mailbox ${job.mailbox}@${job.context} has no webhook target`);
    const body = JSON.stringify(payload);
    const stamp = Math.floor(clock.now() / 1000);
    let response: Response;
    try {
      response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(hook.secret, stamp, body),
          [WEBHOOK_TIMESTAMP_HEADER]: String(stamp),
          [WEBHOOK_DELIVERY_HEADER]: job.id,
        },
        body,
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
    } catch (error) {
      throw new Error(`webhook ${hook.url} could not be reached: ${(error as Error).message}`, { cause: error });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const status = response.status;
    const message = `webhook ${hook.url} answered ${status}`;
    if (status === 408 || status === 429 || status >= 500) throw new Error(message);
    throw new PermanentNotifyError(message);
  }

  async function transcribe(message: VoicemailMessage): Promise<void> {
    if (!options.transcribe) throw new PermanentNotifyError('no transcribe function configured');
    if (!options.store.update) throw new PermanentNotifyError('the store cannot update messages');
    const audio = await wav(message);
    parseWav(audio); // a transcriber is handed WAV or nothing
    const text = await options.transcribe({ message, wav: audio });
    if (typeof text !== 'string') throw new PermanentNotifyError('the transcribe function gave no text');
    await options.store.update({ mailbox: message.mailbox, context: message.context }, message.id, {
      transcription: text,
    });
  }

  async function sendFull(job: NotificationJob, targets: NotifyTargets): Promise<void> {
    const address = { mailbox: job.mailbox, context: job.context };
    const box = await options.directory?.get(address);
    const counts = await options.store.count(address);
    const held = counts.INBOX + counts.Urgent + counts.Old;
    const max = box?.limits.maxMessages ?? held;
    if (job.kind === 'full-webhook') {
      return postWebhook(
        job,
        { type: 'voicemail.mailbox-full', delivery: job.id, ...address, messages: held, maxMessages: max },
        targets,
      );
    }
    const email = options.email;
    if (!email || !targets.email)
      throw new PermanentNotifyError(`mailbox ${job.mailbox}@${job.context} has no email target`);
    await sendMail(job, {
      from: email.from,
      to: typeof targets.email.to === 'string' ? targets.email.to : [...targets.email.to],
      subject: `Voicemail mailbox ${job.mailbox} is full`,
      text: [
        `Mailbox ${job.mailbox}@${job.context} holds ${held} messages, its limit of ${max}.`,
        'Callers cannot leave a new message until some are deleted.',
        '',
      ].join('\n'),
      messageId: `<${job.id}@ari-voicemail>`,
    });
  }

  async function attempt(job: NotificationJob): Promise<void> {
    const address = { mailbox: job.mailbox, context: job.context };
    if (job.kind === 'full-email' || job.kind === 'full-webhook')
      return sendFull(job, (await options.targets(address)) ?? {});
    const message = await options.store.get(address, job.messageId);
    if (!message)
      throw new PermanentNotifyError(`message ${job.messageId} is no longer in ${job.mailbox}@${job.context}`);
    if (job.kind === 'transcription') return transcribe(message);
    const targets = (await options.targets(address)) ?? {};
    if (job.kind === 'email') return sendEmail(job, message, targets);
    if (job.kind === 'webhook')
      return postWebhook(job, { type: 'voicemail.message', delivery: job.id, ...address, message }, targets);
    throw new PermanentNotifyError(`jobs of kind ${job.kind} are not sent by this notifier`);
  }

  function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
    let handle: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      handle = setTimeout(() => reject(new Error(`${what} took longer than ${attemptTimeoutMs} ms`)), attemptTimeoutMs);
      handle.unref?.();
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(handle));
  }

  /** Email and webhook wait while the message's transcription is still owed. */
  const waiting = (job: NotificationJob, all: readonly NotificationJob[]): boolean =>
    MESSAGE_KINDS.includes(job.kind) &&
    job.kind !== 'transcription' &&
    all.some(
      (other) =>
        other.kind === 'transcription' &&
        other.state === 'pending' &&
        other.messageId === job.messageId &&
        other.mailbox === job.mailbox &&
        other.context === job.context,
    );

  async function runOnce(): Promise<number> {
    let attempted = 0;
    // Jobs another instance holds (their claim failed): left to it in this pass.
    const held = new Set<string>();
    heldElsewhere = false;
    for (;;) {
      const now = clock.now();
      const all = await jobs.jobs();
      for (const job of all) {
        if (job.state !== 'pending' && job.doneAt && Date.parse(job.doneAt) + keepDoneMs <= now)
          await jobs.forgetJob(job.id);
      }
      const due = all.filter(
        (j) => j.state === 'pending' && Date.parse(j.dueAt) <= now && !waiting(j, all) && !held.has(j.id),
      );
      if (due.length === 0 || stopped) break;
      for (const listed of due) {
        if (stopped) break;
        // A shared store: the job is attempted by the instance that claims it, as it is now (another may have sent
        // it, or put it off, since the list was read).
        const job = jobs.claimJob
          ? await jobs.claimJob(listed.id, { worker, leaseMs, now: new Date(clock.now()) })
          : listed;
        if (!job) {
          held.add(listed.id);
          heldElsewhere = true;
          continue;
        }
        attempted++;
        const attempts = job.attempts + 1;
        try {
          await withTimeout(attempt(job), `the ${job.kind} of ${job.messageId}`);
          const sent = await jobs.updateJob(job.id, { state: 'sent', attempts, doneAt: iso(clock.now()) });
          tell({ type: 'notify.sent', job: sent ?? job });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (error instanceof PermanentNotifyError || attempts >= retry.maxAttempts) {
            const failed = await jobs.updateJob(job.id, {
              state: 'failed',
              attempts,
              doneAt: iso(clock.now()),
              lastError: reason,
            });
            tell({ type: 'notify.failed', job: failed ?? job, error });
          } else {
            const full = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempts - 1));
            const delay = Math.round(full * (1 - retry.jitter * Math.random()));
            const later = await jobs.updateJob(job.id, {
              attempts,
              dueAt: iso(clock.now() + delay),
              lastError: reason,
            });
            tell({ type: 'notify.retry', job: later ?? job, error });
          }
        }
      }
    }
    return attempted;
  }

  async function schedule(): Promise<void> {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const pending = (await jobs.jobs()).filter((j) => j.state === 'pending');
    if (pending.length === 0) {
      for (const done of idleWaiters.splice(0)) done();
      return;
    }
    if (!started || stopped) return;
    const next = Math.min(...pending.map((j) => Date.parse(j.dueAt)));
    // A due job another instance holds is looked at again a little later, not at once.
    const floor = heldElsewhere ? HELD_RETRY_MS : 0;
    timer = clock.setTimeout(wake, Math.max(floor, next - clock.now()));
  }

  function runDue(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await runOnce();
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = undefined;
      void schedule().catch(() => undefined);
    });
    return running;
  }

  function wake(): void {
    if (!started || stopped) return;
    void runDue().catch(() => undefined);
  }

  async function catchUp(): Promise<void> {
    const since = await jobs.notifySince(new Date(clock.now()));
    if (!options.directory) return;
    for (const box of await options.directory.list()) {
      for (const message of await options.store.list(box)) {
        if (Date.parse(message.receivedAt) >= since.getTime()) await enqueue(message);
      }
    }
  }

  return {
    enqueue,
    onEvent: (event) => {
      if (event.type === 'voicemail.saved' || event.type === 'voicemail.copied' || event.type === 'mailbox.forwarded')
        void enqueue(event.message).catch((error) =>
          tell({
            type: 'notify.failed',
            job: {
              id: notificationJobId('email', event.message, event.message.id),
              kind: 'email',
              mailbox: event.message.mailbox,
              context: event.message.context,
              messageId: event.message.id,
              state: 'failed',
              attempts: 0,
              createdAt: iso(clock.now()),
              dueAt: iso(clock.now()),
              lastError: `its jobs could not be written: ${(error as Error).message}`,
            },
            error,
          }),
        );
    },
    async start() {
      if (started) return;
      started = true;
      stopped = false;
      await catchUp();
      wake();
    },
    runDue,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        void schedule().catch(() => undefined);
        if (started && !stopped) wake();
      }),
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      if (ownsTransporter) transporter?.close();
      transporter = undefined;
    },
  };
}
