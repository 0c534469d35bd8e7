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

/**
 * Publishes a mailbox's message-waiting counts through `PUT /mailboxes/<mailbox>@<context>` (res_mwi_external),
 * read from the store so they always equal it. Returns the counts sent.
 * @throws the client's errors (AriHttpError, ...): the caller decides whether MWI failing matters.
 */
export async function publishMwi(
  client: Pick<AriResources, 'mailboxes'>,
  store: MessageStore,
  address: MailboxAddress,
  options?: CallOptions,
): Promise<MwiCounts> {
  const counts = mwiCounts(await store.count(address));
  await client.mailboxes.update({ mailboxName: mailboxName(address), ...counts }, options);
  return counts;
}
