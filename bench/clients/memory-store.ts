// A MessageStore in memory, so that the library's client does no disk I/O the other clients do not do. It is made
// from the library it runs with (the compiled `dist/` in the benchmark, the sources in the tests), so the errors it
// throws are that library's own classes.

import type { MailboxAddress } from '../../src/voicemail/ids.js';
import type { Folder, FolderCounts, MessageStore, VoicemailMessage } from '../../src/voicemail/store.js';
import type { OursLibrary } from './ours.js';

const key = (a: MailboxAddress) => `${a.mailbox}@${a.context}`;

export function createMemoryMessageStore(lib: OursLibrary): MessageStore {
  const { emptyCounts, MessageNotFoundError, VoicemailInputError } = lib;
  const boxes = new Map<string, Map<string, VoicemailMessage>>();
  // Kept up to date on every change: count() runs twice a call and must not grow with the mailbox.
  const tallies = new Map<string, FolderCounts>();

  const tally = (address: MailboxAddress): FolderCounts => {
    let counts = tallies.get(key(address));
    if (!counts) {
      counts = emptyCounts();
      tallies.set(key(address), counts);
    }
    return counts;
  };
  const boxOf = (address: MailboxAddress): Map<string, VoicemailMessage> => {
    let box = boxes.get(key(address));
    if (!box) {
      box = new Map();
      boxes.set(key(address), box);
    }
    return box;
  };

  return {
    async save(message) {
      const box = boxOf(message);
      if (box.has(message.id)) throw new VoicemailInputError('message id', message.id, 'already used in this mailbox');
      box.set(message.id, message);
      tally(message)[message.folder]++;
    },
    async get(address, id) {
      return boxOf(address).get(id);
    },
    async list(address, folder?: Folder) {
      return [...boxOf(address).values()].filter((m) => folder === undefined || m.folder === folder);
    },
    async count(address) {
      return { ...tally(address) };
    },
    async move(address, id, folder) {
      const box = boxOf(address);
      const message = box.get(id);
      if (!message) throw new MessageNotFoundError(address, id);
      const moved = { ...message, folder };
      box.set(id, moved);
      const counts = tally(address);
      counts[message.folder]--;
      counts[folder]++;
      return moved;
    },
    async delete(address, id) {
      const box = boxOf(address);
      const message = box.get(id);
      if (!message) throw new MessageNotFoundError(address, id);
      box.delete(id);
      tally(address)[message.folder]--;
    },
  };
}
