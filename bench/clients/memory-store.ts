// A MessageStore in memory, so that the library's client does no disk I/O the other clients do not do.

import type { MailboxAddress } from '../../src/voicemail/ids.js';
import { VoicemailInputError } from '../../src/voicemail/ids.js';
import {
  emptyCounts,
  type Folder,
  type FolderCounts,
  MessageNotFoundError,
  type MessageStore,
  type VoicemailMessage,
} from '../../src/voicemail/store.js';

const key = (a: MailboxAddress) => `${a.mailbox}@${a.context}`;

export class MemoryMessageStore implements MessageStore {
  readonly #boxes = new Map<string, Map<string, VoicemailMessage>>();
  // Kept up to date on every change: count() runs twice a call and must not grow with the mailbox.
  readonly #counts = new Map<string, FolderCounts>();

  #tally(address: MailboxAddress): FolderCounts {
    let counts = this.#counts.get(key(address));
    if (!counts) {
      counts = emptyCounts();
      this.#counts.set(key(address), counts);
    }
    return counts;
  }

  #box(address: MailboxAddress): Map<string, VoicemailMessage> {
    let box = this.#boxes.get(key(address));
    if (!box) {
      box = new Map();
      this.#boxes.set(key(address), box);
    }
    return box;
  }

  async save(message: VoicemailMessage): Promise<void> {
    const box = this.#box(message);
    if (box.has(message.id)) throw new VoicemailInputError('message id', message.id, 'already used in this mailbox');
    box.set(message.id, message);
    this.#tally(message)[message.folder]++;
  }

  async get(address: MailboxAddress, id: string): Promise<VoicemailMessage | undefined> {
    return this.#box(address).get(id);
  }

  async list(address: MailboxAddress, folder?: Folder): Promise<VoicemailMessage[]> {
    return [...this.#box(address).values()].filter((m) => folder === undefined || m.folder === folder);
  }

  async count(address: MailboxAddress): Promise<FolderCounts> {
    return { ...this.#tally(address) };
  }

  async move(address: MailboxAddress, id: string, folder: Folder): Promise<VoicemailMessage> {
    const box = this.#box(address);
    const message = box.get(id);
    if (!message) throw new MessageNotFoundError(address, id);
    const moved = { ...message, folder };
    box.set(id, moved);
    const counts = this.#tally(address);
    counts[message.folder]--;
    counts[folder]++;
    return moved;
  }

  async delete(address: MailboxAddress, id: string): Promise<void> {
    const box = this.#box(address);
    const message = box.get(id);
    if (!message) throw new MessageNotFoundError(address, id);
    box.delete(id);
    this.#tally(address)[message.folder]--;
  }
}
