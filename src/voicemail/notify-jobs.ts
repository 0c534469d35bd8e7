// The durable notification jobs: one record per notification of a stored message (email, webhook, transcription,
// mailbox full), written before it is first attempted and kept (as sent or failed) after it ends, so a restart
// finds what is still owed and never sends again what was sent.

import { createHash } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AriOptionsError } from '../ari/errors.js';
import { readCheckedJson, readJsonFiles, writeJsonFile } from './files.js';
import { type MailboxAddress, VoicemailInputError, validateContext, validateMailboxId } from './ids.js';

/** What a job does. `full` tells the mailbox's owner that the mailbox can take no more messages. */
export type NotificationKind = 'transcription' | 'email' | 'webhook' | 'full-email' | 'full-webhook';
export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  'transcription',
  'email',
  'webhook',
  'full-email',
  'full-webhook',
];

/** Where a job is: owed (`pending`, due at `dueAt`), done (`sent`), or given up (`failed`, with the reason). */
export type NotificationState = 'pending' | 'sent' | 'failed';

/** One notification owed for one message (or one mailbox-full event). */
export interface NotificationJob {
  /** Derived from the kind, the mailbox and the message: the same notification always has the same id. */
  readonly id: string;
  readonly kind: NotificationKind;
  readonly mailbox: string;
  readonly context: string;
  /** The message it is about (for `full-*`: the message that filled the mailbox, or a stamp of the event). */
  readonly messageId: string;
  readonly state: NotificationState;
  /** Attempts made so far. */
  readonly attempts: number;
  /** When it was written (ISO 8601). */
  readonly createdAt: string;
  /** When the next attempt is due (ISO 8601). */
  readonly dueAt: string;
  /** When it was sent or given up (ISO 8601). */
  readonly doneAt?: string;
  /** Why the last attempt failed. */
  readonly lastError?: string;
}

/** What {@link NotificationJobStore.updateJob} may change. */
export type NotificationJobChange = Partial<
  Pick<NotificationJob, 'state' | 'attempts' | 'dueAt' | 'doneAt' | 'lastError'>
>;

/**
 * Where notification jobs are kept. `FileMessageStore` keeps them beside the messages; another backend implements
 * these methods on its message store (a table beside the messages' table, say) and the notifier uses them.
 */
export interface NotificationJobStore {
  /** Writes a new job durably; `false` (and nothing written) when a job with its id exists already, in any state. */
  createJob(job: NotificationJob): Promise<boolean>;
  getJob(id: string): Promise<NotificationJob | undefined>;
  /** Changes a job; `undefined` when there is none with that id. */
  updateJob(id: string, change: NotificationJobChange): Promise<NotificationJob | undefined>;
  /** Every job, in any state. */
  jobs(): Promise<NotificationJob[]>;
  forgetJob(id: string): Promise<void>;
  /**
   * When notifications were first started on this store: set to `now` on the first call, returned ever after. The
   * notifier catches up only on messages received since then (never on a mailbox's history).
   */
  notifySince(now: Date): Promise<Date>;
  /**
   * For a store several instances share (optional): takes the job for `worker` if it is still pending, due by
   * `now` (its `dueAt`, on the notifier's clock) and held by no other worker whose lease is running; `undefined`
   * otherwise. The lease lasts `leaseMs` on the store's clock, and ends with the next {@link updateJob} of the job.
   * The notifier attempts a job only once it has claimed it, so two instances never send it at once, and a job whose
   * worker died is attempted again once its lease ran out. A store one process owns needs none.
   */
  claimJob?(id: string, claim: { worker: string; leaseMs: number; now: Date }): Promise<NotificationJob | undefined>;
}

/** Whether a store also keeps notification jobs. */
export function hasNotificationJobs<T extends object>(store: T): store is T & NotificationJobStore {
  const s = store as Partial<NotificationJobStore>;
  return (
    typeof s.createJob === 'function' &&
    typeof s.updateJob === 'function' &&
    typeof s.jobs === 'function' &&
    typeof s.getJob === 'function' &&
    typeof s.forgetJob === 'function' &&
    typeof s.notifySince === 'function'
  );
}

/** The id of the job of `kind` for a message: a short hash, so every backend can use it as a key or a file name. */
export function notificationJobId(kind: NotificationKind, address: MailboxAddress, messageId: string): string {
  const key = `${kind}\n${address.mailbox}@${address.context}\n${messageId}`;
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

const JOB_ID_RE = /^[a-z-]{1,20}-[0-9a-f]{32}$/;
const STATES: readonly NotificationState[] = ['pending', 'sent', 'failed'];

/** Checks a job id (one {@link notificationJobId} makes). @throws VoicemailInputError */
export function validateNotificationJobId(id: unknown): string {
  if (typeof id !== 'string' || !JOB_ID_RE.test(id))
    throw new VoicemailInputError('job id', id, 'made by notificationJobId()');
  return id;
}

const isoDate = (field: string, value: unknown): void => {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw new VoicemailInputError(field, value, 'an ISO 8601 date');
};

/** Checks every field of a job. @throws VoicemailInputError naming the first wrong one */
export function validateNotificationJob(job: NotificationJob): NotificationJob {
  if (job === null || typeof job !== 'object') throw new VoicemailInputError('job', job, 'not an object');
  if (typeof job.id !== 'string' || !JOB_ID_RE.test(job.id))
    throw new VoicemailInputError('job id', job.id, 'made by notificationJobId()');
  if (!NOTIFICATION_KINDS.includes(job.kind))
    throw new VoicemailInputError('job kind', job.kind, NOTIFICATION_KINDS.join(', '));
  validateMailboxId(job.mailbox);
  validateContext(job.context);
  if (typeof job.messageId !== 'string' || job.messageId.length === 0)
    throw new VoicemailInputError('job messageId', job.messageId, 'a message id');
  if (!STATES.includes(job.state)) throw new VoicemailInputError('job state', job.state, STATES.join(', '));
  if (typeof job.attempts !== 'number' || !Number.isInteger(job.attempts) || job.attempts < 0)
    throw new VoicemailInputError('job attempts', job.attempts, 'a non-negative integer');
  isoDate('job createdAt', job.createdAt);
  isoDate('job dueAt', job.dueAt);
  if (job.doneAt !== undefined) isoDate('job doneAt', job.doneAt);
  return job;
}

/**
 * Notification jobs as one JSON file each under `<directory>/jobs/<id>.json` (written atomically and flushed), and
 * the first start under `<directory>/since.json`. `FileMessageStore` keeps one in its `.notify/` directory. A file
 * that is not a whole job is moved aside (`.torn-…`) and left out.
 */
export class FileNotificationJobs implements NotificationJobStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly directory: string) {
    if (typeof directory !== 'string' || directory.length === 0)
      throw new AriOptionsError('directory', 'a non-empty path', {
        factory: 'new FileNotificationJobs',
        value: directory,
      });
  }

  /** Writes run one after another (create and update read, then write). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private path(id: string): string {
    if (typeof id !== 'string' || !JOB_ID_RE.test(id))
      throw new VoicemailInputError('job id', id, 'made by notificationJobId()');
    return join(this.directory, 'jobs', `${id}.json`);
  }

  private read(path: string): Promise<NotificationJob | undefined> {
    return readCheckedJson(path, (value) => validateNotificationJob(value as NotificationJob));
  }

  createJob(job: NotificationJob): Promise<boolean> {
    validateNotificationJob(job);
    const path = this.path(job.id);
    return this.serial(async () => {
      if (await this.read(path)) return false;
      await writeJsonFile(dirname(path), job.id, job);
      return true;
    });
  }

  getJob(id: string): Promise<NotificationJob | undefined> {
    return this.read(this.path(id));
  }

  updateJob(id: string, change: NotificationJobChange): Promise<NotificationJob | undefined> {
    const path = this.path(id);
    return this.serial(async () => {
      const job = await this.read(path);
      if (!job) return undefined;
      const next = validateNotificationJob({ ...job, ...change });
      await writeJsonFile(dirname(path), id, next);
      return next;
    });
  }

  async jobs(): Promise<NotificationJob[]> {
    const dir = join(this.directory, 'jobs');
    const found = await readJsonFiles(dir, (name) => this.read(join(dir, name)));
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  forgetJob(id: string): Promise<void> {
    const path = this.path(id);
    return this.serial(async () => {
      try {
        await unlink(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    });
  }

  notifySince(now: Date): Promise<Date> {
    return this.serial(async () => {
      try {
        const { since } = JSON.parse(await readFile(join(this.directory, 'since.json'), 'utf8')) as { since: string };
        if (!Number.isNaN(Date.parse(since))) return new Date(since);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
      }
      await writeJsonFile(this.directory, 'since', { since: now.toISOString() });
      return now;
    });
  }
}
