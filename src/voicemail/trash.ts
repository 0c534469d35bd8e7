import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AriOptionsError } from '../ari/errors.js';
import { readJsonFiles, writeJsonFile } from './files.js';
import { type MailboxAddress, validateContext, validateMailboxId } from './ids.js';
import { MessageNotFoundError, type MessageStore, type VoicemailMessage, validateMessageId } from './store.js';

/** A deleted message, kept (with its audio) until it is purged. */
export interface DeletedMessage extends VoicemailMessage {
  /** When it was deleted (ISO 8601). */
  readonly deletedAt: string;
}

/**
 * Where deleted messages wait before they are purged: one JSON file per message under
 * `<directory>/<context>/<mailbox>/<id>.json`, written atomically. Their audio stays on Asterisk until
 * {@link FileMessageTrash.purge} removes both.
 */
export class FileMessageTrash {
  constructor(readonly directory: string) {
    if (typeof directory !== 'string' || directory.length === 0)
      throw new AriOptionsError('directory', 'a non-empty path', { factory: 'new FileMessageTrash', value: directory });
  }

  private dir(address: MailboxAddress): string {
    return join(this.directory, validateContext(address.context), validateMailboxId(address.mailbox));
  }

  /** Keeps a copy of `message` as deleted at `deletedAt`. */
  async put(message: VoicemailMessage, deletedAt: Date): Promise<DeletedMessage> {
    const dir = this.dir(message);
    const kept: DeletedMessage = { ...message, deletedAt: deletedAt.toISOString() };
    await writeJsonFile(dir, validateMessageId(message.id), kept);
    return kept;
  }

  async get(address: MailboxAddress, id: string): Promise<DeletedMessage | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir(address), `${validateMessageId(id)}.json`), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** The deleted messages of a mailbox, oldest deletion first. */
  async list(address: MailboxAddress): Promise<DeletedMessage[]> {
    const found = await readJsonFiles(this.dir(address), (name) => this.get(address, name.slice(0, -'.json'.length)));
    return found.sort((a, b) => a.deletedAt.localeCompare(b.deletedAt) || a.id.localeCompare(b.id));
  }

  /** Forgets a deleted message (its audio is the caller's business). @throws MessageNotFoundError */
  async remove(address: MailboxAddress, id: string): Promise<void> {
    try {
      await unlink(join(this.dir(address), `${validateMessageId(id)}.json`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MessageNotFoundError(address, id);
      throw error;
    }
  }

  /**
   * Moves a message from the store to the trash: the trash copy is written first, so a crash in between leaves
   * the message in both places (never in neither).
   * @throws MessageNotFoundError
   */
  async deleteFrom(store: MessageStore, address: MailboxAddress, id: string, now: Date): Promise<DeletedMessage> {
    const message = await store.get(address, id);
    if (!message) throw new MessageNotFoundError(address, id);
    const kept = await this.put(message, now);
    await store.delete(address, id);
    return kept;
  }

  /** Puts a deleted message back in the store, in the folder it was deleted from. @throws MessageNotFoundError */
  async restore(store: MessageStore, address: MailboxAddress, id: string): Promise<VoicemailMessage> {
    const kept = await this.get(address, id);
    if (!kept) throw new MessageNotFoundError(address, id);
    const { deletedAt: _deletedAt, ...message } = kept;
    if (!(await store.get(address, id))) await store.save(message);
    await this.remove(address, id);
    return message;
  }

  /**
   * Purges the messages of `address` deleted at least `keepMs` before `now`: `deleteAudio` first (it must succeed
   * or say the audio is already gone), then the record. Returns the purged messages.
   */
  async purge(
    address: MailboxAddress,
    options: { now: Date; keepMs: number; deleteAudio: (message: DeletedMessage) => Promise<void> },
  ): Promise<DeletedMessage[]> {
    const purged: DeletedMessage[] = [];
    for (const message of await this.list(address)) {
      if (options.now.getTime() - Date.parse(message.deletedAt) < options.keepMs) continue;
      await options.deleteAudio(message);
      await this.remove(address, message.id);
      purged.push(message);
    }
    return purged;
  }
}
