import { type Logger, silentLogger } from '../ari/logger.js';
import type { AriResources, CallOptions } from '../ari/operations.js';
import { type MailboxAddress, mailboxName } from './ids.js';
import type { FolderCounts, MessageStore } from './store.js';

/** Message-waiting counts as app_voicemail reports them: urgent messages count as new. */
export interface MwiCounts {
  readonly newMessages: number;
  readonly oldMessages: number;
}

/** The counts to publish for a mailbox's folder counts: new = INBOX + Urgent, old = Old. */
export function mwiCounts(counts: FolderCounts): MwiCounts {
  return { newMessages: counts.INBOX + counts.Urgent, oldMessages: counts.Old };
}

/** Each client's publishes in flight, by mailbox name: one at a time per mailbox. */
const publishing = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Publishes a mailbox's message-waiting counts through `PUT /mailboxes/<mailbox>@<context>` (res_mwi_external),
 * read from the store so they always equal it. Publishes of one mailbox through one client run one after another,
 * each reading the store only when the one before it was answered: two calls changing a mailbox at once cannot
 * have the older counts land last (the requests travel on separate connections). Returns the counts sent.
 * @throws the client's errors (AriHttpError, ...): the caller decides whether MWI failing matters.
 */
export async function publishMwi(
  client: Pick<AriResources, 'mailboxes'>,
  store: MessageStore,
  address: MailboxAddress,
  options?: CallOptions,
): Promise<MwiCounts> {
  const name = mailboxName(address);
  const key = client.mailboxes as object;
  let queues = publishing.get(key);
  if (!queues) {
    queues = new Map();
    publishing.set(key, queues);
  }
  const work = async (): Promise<MwiCounts> => {
    const counts = mwiCounts(await store.count(address));
    await client.mailboxes.update({ mailboxName: name, ...counts }, options);
    return counts;
  };
  const before = queues.get(name) ?? Promise.resolve();
  const mine = before.then(work, work);
  const settled = mine.catch(() => undefined);
  queues.set(name, settled);
  void settled.then(() => {
    if (queues.get(name) === settled) queues.delete(name);
  });
  return mine;
}

/** The timer functions {@link startMwiRefresh} schedules with (the simulator's clock has them; default real time). */
export interface MwiRefreshClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** What one pass of the refresh did. */
export interface MwiRefreshReport {
  /** Mailboxes whose counts were published (`305@default`). */
  readonly published: string[];
  /** Mailboxes whose publish failed (they are tried again on the next pass). */
  readonly failed: string[];
}

/** Options of {@link startMwiRefresh}. */
export interface MwiRefreshOptions {
  readonly client: Pick<AriResources, 'mailboxes'>;
  readonly store: MessageStore;
  /** The mailboxes to publish on each pass (a `MailboxDirectory`'s `list`, say). */
  readonly mailboxes: () => Promise<readonly MailboxAddress[]>;
  /** Time between two passes, in ms. Default 60,000: no lamp stays wrong for longer than that (plus one pass). */
  readonly intervalMs?: number;
  /** Default: real time. */
  readonly clock?: MwiRefreshClock;
  readonly logger?: Logger;
  /** Told what each pass did. */
  readonly onRefresh?: (report: MwiRefreshReport) => void;
  /** Run a first pass at once (default true), or wait one interval. */
  readonly immediate?: boolean;
}

/** A running refresh. */
export interface MwiRefresh {
  /** Runs a pass now (after the one under way, if any); the periodic passes go on. */
  refresh(): Promise<MwiRefreshReport>;
  /** No pass starts after this; resolves when the one under way has finished. */
  stop(): Promise<void>;
}

/** The default interval of {@link startMwiRefresh}: 60 s. */
export const MWI_REFRESH_INTERVAL_MS = 60_000;

const REAL_CLOCK: MwiRefreshClock = {
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * Re-publishes every mailbox's counts from the store, now and every `intervalMs`: a publish lost to an error, a
 * process that died between saving and publishing, or a lamp changed by someone else is right again within one
 * interval. Passes never overlap; a failing mailbox never stops the others.
 */
export function startMwiRefresh(options: MwiRefreshOptions): MwiRefresh {
  const intervalMs = options.intervalMs ?? MWI_REFRESH_INTERVAL_MS;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`startMwiRefresh: intervalMs must be a positive number of ms, got ${String(intervalMs)}`);
  }
  const clock = options.clock ?? REAL_CLOCK;
  const logger = options.logger ?? silentLogger;
  let stopped = false;
  let timer: unknown;
  let running: Promise<MwiRefreshReport> | undefined;
  let queued: Promise<MwiRefreshReport> | undefined;

  async function pass(): Promise<MwiRefreshReport> {
    const published: string[] = [];
    const failed: string[] = [];
    let boxes: readonly MailboxAddress[] = [];
    try {
      boxes = await options.mailboxes();
    } catch (error) {
      logger.warn('MWI refresh: the mailboxes could not be listed', { error });
    }
    for (const box of boxes) {
      if (stopped) break;
      const name = mailboxName(box);
      try {
        await publishMwi(options.client, options.store, { mailbox: box.mailbox, context: box.context });
        published.push(name);
      } catch (error) {
        failed.push(name);
        logger.warn('MWI refresh: a mailbox could not be published', { mailbox: name, error });
      }
    }
    const report = { published, failed };
    try {
      options.onRefresh?.(report);
    } catch (error) {
      logger.error('MWI refresh: onRefresh listener threw', { error });
    }
    return report;
  }

  /** Runs a pass after the current one; two requests made while one runs share the next pass. */
  function run(): Promise<MwiRefreshReport> {
    if (queued) return queued;
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    }
    const next = running.then(
      () => undefined,
      () => undefined,
    );
    queued = next.then(() => {
      queued = undefined;
      return run();
    });
    return queued;
  }

  function schedule(): void {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      void run().finally(schedule);
    }, intervalMs);
  }

  if (options.immediate ?? true) void run().finally(schedule);
  else schedule();

  return {
    refresh: () => (stopped ? Promise.resolve({ published: [], failed: [] }) : run()),
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([running, queued]);
    },
  };
}
