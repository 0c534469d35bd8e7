import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type MailboxAddress, VoicemailInputError, validateContext, validateMailboxId } from './ids.js';

/**
 * The folders of a mailbox, as app_voicemail names them. A new message goes to `INBOX`, or to `Urgent` when the
 * caller marked it urgent (it also carries `urgent: true`); a listened-to message moves to `Old`.
 */
export const FOLDERS = ['INBOX', 'Old', 'Urgent', 'Work', 'Family', 'Friends'] as const;
export type Folder = (typeof FOLDERS)[number];

/** One message left in a mailbox. */
export interface VoicemailMessage {
  /** Unique in its mailbox: 1 to 100 of `0-9 A-Z a-z _ -`. */
  readonly id: string;
  readonly mailbox: string;
  readonly context: string;
  readonly folder: Folder;
  /** The caller, from the channel's caller id (empty strings when unknown). */
  readonly callerId: { readonly number: string; readonly name: string };
  /** When the message was left (ISO 8601). */
  readonly receivedAt: string;
  /** Length in seconds as Asterisk reported it; `null` when it did not (a hang-up before the recording finished). */
  readonly durationSeconds: number | null;
  readonly urgent: boolean;
  /** The ARI stored recording holding the audio (`recording:<name>` plays it). */
  readonly recordingName: string;
  /** Its format (`wav`). */
  readonly format: string;
  /** What a transcription hook made of the audio, once it ran (optional; absent until then). */
  readonly transcription?: string;
}

/** What {@link MessageStore.update} may change on a message (its folder through `move`). */
export interface MessageChange {
  readonly urgent?: boolean;
  readonly transcription?: string;
}

/** Messages per folder (every folder is present, 0 when empty). */
export type FolderCounts = Record<Folder, number>;

/** The mailbox holds `maxMessages` messages already: nothing was saved. */
export class MailboxFullError extends Error {
  readonly code = 'VOICEMAIL_MAILBOX_FULL';
  constructor(
    readonly address: MailboxAddress,
    readonly maxMessages: number,
  ) {
    super(`mailbox ${address.mailbox}@${address.context} is full (${maxMessages} messages)`);
    this.name = 'MailboxFullError';
  }
}

/** No such message. */
export class MessageNotFoundError extends Error {
  readonly code = 'VOICEMAIL_MESSAGE_NOT_FOUND';
  constructor(
    readonly address: MailboxAddress,
    readonly id: string,
  ) {
    super(`no message ${id} in mailbox ${address.mailbox}@${address.context}`);
    this.name = 'MessageNotFoundError';
  }
}

/** Where message metadata lives. Every method validates its arguments and throws {@link VoicemailInputError}. */
export interface MessageStore {
  /**
   * Saves a new message. With `maxMessages`, refuses (atomically with respect to other saves of the same mailbox)
   * when the mailbox already holds that many messages in INBOX, Urgent and Old together.
   * @throws MailboxFullError, VoicemailInputError (malformed message or an id already used)
   */
  save(message: VoicemailMessage, options?: { maxMessages?: number }): Promise<void>;
  /** The message, or `undefined`. */
  get(address: MailboxAddress, id: string): Promise<VoicemailMessage | undefined>;
  /** The messages of a mailbox, oldest first; of one folder when given. */
  list(address: MailboxAddress, folder?: Folder): Promise<VoicemailMessage[]>;
  /** How many messages each folder holds. */
  count(address: MailboxAddress): Promise<FolderCounts>;
  /** Moves a message to another folder. @throws MessageNotFoundError */
  move(address: MailboxAddress, id: string, folder: Folder): Promise<VoicemailMessage>;
  /** Deletes a message's metadata (not its recording). @throws MessageNotFoundError */
  delete(address: MailboxAddress, id: string): Promise<void>;
  /**
   * Changes a message's urgent flag or transcription (atomically, like `move`); optional for other stores.
   * @throws MessageNotFoundError
   */
  update?(address: MailboxAddress, id: string, change: MessageChange): Promise<VoicemailMessage>;
}

const ID_RE = /^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/;

/** Checks a message id. @throws VoicemailInputError */
export function validateMessageId(id: unknown): string {
  if (typeof id !== 'string' || !ID_RE.test(id)) {
    throw new VoicemailInputError(
      'message id',
      id,
      'only 0-9, A-Z, a-z, "_" and "-" (1 to 100), starting with a letter or digit',
    );
  }
  return id;
}

function validateFolder(folder: unknown): Folder {
  if (!FOLDERS.includes(folder as Folder))
    throw new VoicemailInputError('folder', folder, `one of ${FOLDERS.join(', ')}`);
  return folder as Folder;
}

/** Checks every field of a message. @throws VoicemailInputError */
export function validateMessage(message: VoicemailMessage): VoicemailMessage {
  if (message === null || typeof message !== 'object')
    throw new VoicemailInputError('message', message, 'not an object');
  validateMessageId(message.id);
  validateMailboxId(message.mailbox);
  validateContext(message.context);
  validateFolder(message.folder);
  const { callerId } = message;
  if (!callerId || typeof callerId.number !== 'string' || typeof callerId.name !== 'string') {
    throw new VoicemailInputError('callerId', callerId, 'needs string number and name');
  }
  if (typeof message.receivedAt !== 'string' || Number.isNaN(Date.parse(message.receivedAt))) {
    throw new VoicemailInputError('receivedAt', message.receivedAt, 'not an ISO date');
  }
  const d = message.durationSeconds;
  if (d !== null && (typeof d !== 'number' || !Number.isFinite(d) || d < 0)) {
    throw new VoicemailInputError('durationSeconds', d, 'a non-negative number or null');
  }
  if (typeof message.urgent !== 'boolean') throw new VoicemailInputError('urgent', message.urgent, 'not a boolean');
  if (
    typeof message.recordingName !== 'string' ||
    message.recordingName.length === 0 ||
    message.recordingName.includes('..')
  ) {
    throw new VoicemailInputError('recordingName', message.recordingName, 'a recording name without ".."');
  }
  if (typeof message.format !== 'string' || !/^[a-z0-9]{1,16}$/.test(message.format)) {
    throw new VoicemailInputError('format', message.format, 'a format such as "wav"');
  }
  return message;
}

export function emptyCounts(): FolderCounts {
  return Object.fromEntries(FOLDERS.map((f) => [f, 0])) as FolderCounts;
}

/** @internal Test hooks: run between the temp file's fsync and its rename (to simulate a crash there). */
export interface FileStoreHooks {
  beforeRename?(tempPath: string, finalPath: string): Promise<void>;
}

/**
 * Keeps message metadata as one JSON file per message under `<directory>/<context>/<mailbox>/<id>.json`.
 * Every write goes to a temp file that is fsynced and then renamed over the target, so a crash leaves either the
 * old or the new file, never a partial one (temp files are ignored when reading). Writes to one mailbox run one
 * after another, so concurrent saves cannot exceed `maxMessages`.
 */
export class FileMessageStore implements MessageStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    /** The directory (created when missing). */
    readonly directory: string,
    private readonly hooks: FileStoreHooks = {},
  ) {
    if (typeof directory !== 'string' || directory.length === 0) {
      throw new VoicemailInputError('directory', directory, 'a non-empty path');
    }
  }

  private dir(address: MailboxAddress): string {
    return join(this.directory, validateContext(address.context), validateMailboxId(address.mailbox));
  }

  private exclusive<T>(address: MailboxAddress, work: () => Promise<T>): Promise<T> {
    const key = `${address.mailbox}@${address.context}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  private async writeAtomically(dir: string, id: string, message: VoicemailMessage): Promise<void> {
    await mkdir(dir, { recursive: true });
    const finalPath = join(dir, `${id}.json`);
    const tempPath = join(dir, `.${id}.${randomUUID()}.tmp`);
    const handle = await open(tempPath, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(message, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await this.hooks.beforeRename?.(tempPath, finalPath);
      await rename(tempPath, finalPath);
    } catch (error) {
      await unlink(tempPath).catch(() => undefined);
      throw error;
    }
    // The rename is durable only once the directory entry is.
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  private async readAll(address: MailboxAddress): Promise<VoicemailMessage[]> {
    const dir = this.dir(address);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const messages: VoicemailMessage[] = [];
    for (const name of names) {
      if (name.startsWith('.') || !name.endsWith('.json')) continue;
      const message = await this.readFile(join(dir, name));
      if (message) messages.push(message);
    }
    return messages.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
  }

  private async readFile(path: string): Promise<VoicemailMessage | undefined> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as VoicemailMessage;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async save(message: VoicemailMessage, options: { maxMessages?: number } = {}): Promise<void> {
    validateMessage(message);
    const address = { mailbox: message.mailbox, context: message.context };
    const dir = this.dir(address);
    await this.exclusive(address, async () => {
      const existing = await this.readAll(address);
      if (existing.some((m) => m.id === message.id)) {
        throw new VoicemailInputError('message id', message.id, 'already used in this mailbox');
      }
      const held = existing.filter((m) => m.folder === 'INBOX' || m.folder === 'Urgent' || m.folder === 'Old').length;
      if (options.maxMessages !== undefined && held >= options.maxMessages) {
        throw new MailboxFullError(address, options.maxMessages);
      }
      await this.writeAtomically(dir, message.id, message);
    });
  }

  async get(address: MailboxAddress, id: string): Promise<VoicemailMessage | undefined> {
    return this.readFile(join(this.dir(address), `${validateMessageId(id)}.json`));
  }

  async list(address: MailboxAddress, folder?: Folder): Promise<VoicemailMessage[]> {
    if (folder !== undefined) validateFolder(folder);
    const all = await this.readAll(address);
    return folder === undefined ? all : all.filter((m) => m.folder === folder);
  }

  async count(address: MailboxAddress): Promise<FolderCounts> {
    const counts = emptyCounts();
    for (const m of await this.readAll(address)) counts[m.folder] += 1;
    return counts;
  }

  async move(address: MailboxAddress, id: string, folder: Folder): Promise<VoicemailMessage> {
    validateMessageId(id);
    validateFolder(folder);
    return this.exclusive(address, async () => {
      const message = await this.get(address, id);
      if (!message) throw new MessageNotFoundError(address, id);
      const moved = { ...message, folder };
      await this.writeAtomically(this.dir(address), id, moved);
      return moved;
    });
  }

  async delete(address: MailboxAddress, id: string): Promise<void> {
    validateMessageId(id);
    await this.exclusive(address, async () => {
      try {
        await unlink(join(this.dir(address), `${id}.json`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MessageNotFoundError(address, id);
        throw error;
      }
    });
  }

  async update(address: MailboxAddress, id: string, change: MessageChange): Promise<VoicemailMessage> {
    validateMessageId(id);
    if (change.urgent !== undefined && typeof change.urgent !== 'boolean') {
      throw new VoicemailInputError('urgent', change.urgent, 'not a boolean');
    }
    if (change.transcription !== undefined && typeof change.transcription !== 'string') {
      throw new VoicemailInputError('transcription', change.transcription, 'not a string');
    }
    return this.exclusive(address, async () => {
      const message = await this.get(address, id);
      if (!message) throw new MessageNotFoundError(address, id);
      const updated = { ...message, ...change };
      await this.writeAtomically(this.dir(address), id, updated);
      return updated;
    });
  }
}
