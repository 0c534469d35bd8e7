// Message-waiting lamps across instances: every instance publishes to its own Asterisk the counts of each mailbox
// that changed, whichever instance changed it, read from the shared store.

import type { AriResources } from '../ari/operations.js';
import { type MailboxAddress, mailboxName } from '../voicemail/ids.js';
import type { MailboxDirectory } from '../voicemail/mailbox.js';
import { publishMwi } from '../voicemail/mwi.js';
import type { PostgresMessageStore } from './store.js';

/** Options of {@link publishMwiOnChanges}. */
export interface MwiOnChangesOptions {
  readonly store: PostgresMessageStore;
  /** The ARI client of this instance's Asterisk. */
  readonly client: Pick<AriResources, 'mailboxes'>;
  /** Every mailbox of it: published at start and after the change feed was lost and came back (and every `sweepMs`). */
  readonly directory?: Pick<MailboxDirectory, 'list'>;
  /** Publishes every mailbox of `directory` again this often, in ms (default: never). */
  readonly sweepMs?: number;
  /** Told when a mailbox could not be published (it is published again on its next change or sweep). */
  readonly onError?: (error: unknown, mailbox?: string) => void;
}

/**
 * Keeps this Asterisk's lamps equal to the shared store: listens to the store's changes and publishes the counts
 * of each changed mailbox (changes to one mailbox are published one after another, the last always read after the
 * last change). Resolves once listening and once every mailbox of `directory` was published.
 */
export async function publishMwiOnChanges(options: MwiOnChangesOptions): Promise<{ stop(): Promise<void> }> {
  const { store, client } = options;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const publish = (address: MailboxAddress): Promise<void> => {
    const key = mailboxName(address);
    const current = running.get(key);
    if (current) {
      again.add(key); // changed while being published: once more when that ends
      return current;
    }
    const work = (async () => {
      do {
        again.delete(key);
        try {
          await publishMwi(client, store, address);
        } catch (error) {
          options.onError?.(error, key);
        }
      } while (again.has(key));
      running.delete(key);
    })();
    running.set(key, work);
    return work;
  };
  const sweep = async (): Promise<void> => {
    if (!options.directory) return;
    try {
      await Promise.all((await options.directory.list()).map((box) => publish(box)));
    } catch (error) {
      options.onError?.(error);
    }
  };
  const watching = await store.watch((address) => void publish(address), {
    onResync: () => void sweep(),
    onError: (error) => options.onError?.(error),
  });
  await sweep();
  const timer = options.sweepMs ? setInterval(() => void sweep(), options.sweepMs) : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await watching.stop();
      await Promise.all(running.values());
    },
  };
}
