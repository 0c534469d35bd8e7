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
