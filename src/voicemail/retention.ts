// Retention: messages older than their mailbox's age limit leave the store (into the trash when there is one), and
// deleted messages are purged (audio, then record) once they have been in the trash for the retention time.

import { AriOptionsError, checkOptions } from '../ari/errors.js';
import type { AriResources } from '../ari/operations.js';
import { type MailboxAddress, VoicemailInputError } from './ids.js';
import type { Mailbox, MailboxDirectory } from './mailbox.js';
import { publishMwi } from './mwi.js';
import type { MessageStore, VoicemailMessage } from './store.js';
import type { DeletedMessage, FileMessageTrash } from './trash.js';

/** Options of {@link sweepRetention}. */
export interface RetentionOptions {
  readonly directory: MailboxDirectory;
  readonly store: MessageStore;
  /** Expired messages go here first (and are purged after `trashKeepMs`); without it they are removed at once. */
  readonly trash?: FileMessageTrash;
  /** The age limit of a mailbox's messages in ms (`undefined`: none). Saved folders count too. */
  readonly maxMessageAgeMs?: (box: Mailbox) => number | undefined;
  /** How long a deleted message stays in the trash. Default 7 days. */
  readonly trashKeepMs?: number;
  /** Deletes a message's audio (`client.recordings.deleteStored`); it must succeed, or say the audio is already gone. */
  readonly deleteAudio: (message: VoicemailMessage) => Promise<void>;
  /** MWI for every mailbox the sweep changed. */
  readonly client?: Pick<AriResources, 'mailboxes'>;
  readonly now?: () => Date;
  /** Told of a mailbox the sweep could not finish (it goes on with the others). */
  readonly onError?: (error: unknown, mailbox: MailboxAddress) => void;
}

/** What one sweep did. */
export interface RetentionReport {
  /** Messages past their mailbox's age limit, taken out of the store. */
  readonly expired: VoicemailMessage[];
  /** Deleted messages purged for good (audio and record). */
  readonly purged: DeletedMessage[];
}

function checkRetentionOptions(options: RetentionOptions): void {
  if (options === null || typeof options !== 'object') throw new AriOptionsError('options', 'an object');
  if (typeof options.directory?.list !== 'function') throw new AriOptionsError('directory', 'a MailboxDirectory');
  if (typeof options.store?.list !== 'function') throw new AriOptionsError('store', 'a MessageStore');
  for (const name of ['deleteAudio', 'maxMessageAgeMs', 'now', 'onError'] as const) {
    const value = options[name];
    if ((value !== undefined || name === 'deleteAudio') && typeof value !== 'function')
      throw new AriOptionsError(name, 'a function');
  }
  const keep = options.trashKeepMs;
  if (keep !== undefined && !(typeof keep === 'number' && Number.isFinite(keep) && keep >= 0))
    throw new AriOptionsError('trashKeepMs', 'a number of ms, 0 or more');
}

/**
 * One sweep over every mailbox of the directory.
 * @throws AriOptionsError naming the bad option (rejects before touching any mailbox)
 */
export async function sweepRetention(options: RetentionOptions): Promise<RetentionReport> {
  checkOptions('sweepRetention', options, checkRetentionOptions);
  const now = (options.now ?? (() => new Date()))();
  const keepMs = options.trashKeepMs ?? 7 * 24 * 3600_000;
  const expired: VoicemailMessage[] = [];
  const purged: DeletedMessage[] = [];
  for (const box of await options.directory.list()) {
    try {
      let changed = false;
      const limit = options.maxMessageAgeMs?.(box);
      if (limit !== undefined) {
        if (!Number.isFinite(limit) || limit <= 0)
          throw new VoicemailInputError('maxMessageAgeMs', limit, 'a positive number of ms');
        for (const message of await options.store.list(box)) {
          if (now.getTime() - Date.parse(message.receivedAt) < limit) continue;
          if (options.trash) {
            await options.trash.deleteFrom(options.store, box, message.id, now);
          } else {
            // Audio first: a failure leaves the message whole, to be swept again.
            await options.deleteAudio(message);
            await options.store.delete(box, message.id);
          }
          expired.push(message);
          changed = true;
        }
      }
      if (options.trash) {
        purged.push(...(await options.trash.purge(box, { now, keepMs, deleteAudio: options.deleteAudio })));
      }
      if (changed && options.client) await publishMwi(options.client, options.store, box);
    } catch (error) {
      options.onError?.(error, box);
    }
  }
  return { expired, purged };
}

/** A running periodic sweep. */
export interface RetentionSweeper {
  /** Runs one sweep now (sweeps never overlap). */
  sweep(): Promise<RetentionReport>;
  stop(): void;
}

/**
 * Sweeps every `intervalMs` (default one hour) on the given clock; the first sweep runs at once.
 * Reports go to `onSweep`.
 */
export function startRetentionSweep(
  options: RetentionOptions & {
    readonly intervalMs?: number;
    readonly onSweep?: (report: RetentionReport) => void;
    readonly clock?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  },
): RetentionSweeper {
  checkOptions('startRetentionSweep', options, (o) => {
    checkRetentionOptions(o);
    const ms = o.intervalMs;
    if (ms !== undefined && !(typeof ms === 'number' && Number.isFinite(ms) && ms > 0))
      throw new AriOptionsError('intervalMs', 'a positive number of ms');
    if (o.onSweep !== undefined && typeof o.onSweep !== 'function') throw new AriOptionsError('onSweep', 'a function');
    if (
      o.clock !== undefined &&
      (typeof o.clock?.setTimeout !== 'function' || typeof o.clock.clearTimeout !== 'function')
    )
      throw new AriOptionsError('clock', 'a clock with setTimeout and clearTimeout');
  });
  const interval = options.intervalMs ?? 3600_000;
  const clock = options.clock ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  };
  let running: Promise<RetentionReport> | undefined;
  let timer: unknown;
  let stopped = false;
  const sweep = (): Promise<RetentionReport> => {
    running ??= sweepRetention(options)
      .then((report) => {
        options.onSweep?.(report);
        return report;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const tick = () => {
    if (stopped) return;
    void sweep()
      .catch(() => undefined)
      .then(() => {
        if (!stopped) timer = clock.setTimeout(tick, interval);
      });
  };
  tick();
  return {
    sweep,
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}
