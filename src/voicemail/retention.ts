// Retention: messages older than their mailbox's age limit leave the store (into the trash when there is one), and
// deleted messages are purged (audio, then record) once they have been in the trash for the retention time.

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

/** One sweep over every mailbox of the directory. */
export async function sweepRetention(options: RetentionOptions): Promise<RetentionReport> {
  if (typeof options?.deleteAudio !== 'function')
    throw new VoicemailInputError('deleteAudio', options?.deleteAudio, 'a function');
  const now = (options.now ?? (() => new Date()))();
  const keepMs = options.trashKeepMs ?? 7 * 24 * 3600_000;
  if (!Number.isFinite(keepMs) || keepMs < 0) throw new VoicemailInputError('trashKeepMs', keepMs, 'ms, 0 or more');
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
  const interval = options.intervalMs ?? 3600_000;
  if (!Number.isFinite(interval) || interval <= 0)
    throw new VoicemailInputError('intervalMs', interval, 'a positive number of ms');
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
