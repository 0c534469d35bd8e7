import { createHash } from 'node:crypto';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AriOptionsError } from '../ari/errors.js';
import { oneAtATimePerKey } from '../runtime/one-at-a-time.js';
import { readCheckedJson, readJsonFiles, writeJsonFile } from './files.js';
import {
  type MailboxAddress,
  type MailboxRef,
  toMailboxAddress,
  VoicemailInputError,
  validateContext,
  validateMailboxId,
} from './ids.js';
import type { CallEntry, SaveOnceResult, TakeChange, TakeEntry, TakeIntent, VoicemailJournal } from './journal.js';
import {
  FileNotificationJobs,
  type NotificationJob,
  type NotificationJobChange,
  type NotificationJobStore,
} from './notify-jobs.js';

/**
 * The folders of a mailbox, as app_voicemail names them. A new message goes to `INBOX`, or to `Urgent` when the
 * caller marked it urgent (it also carries `urgent: true`); a listened-to message moves to `Old`.
 */
export const FOLDERS = ['INBOX', 'Old', 'Urgent', 'Work', 'Family', 'Friends'] as const;
/** A mailbox folder: one of {@link FOLDERS}. */
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

/**
 * Where message metadata lives. Every method validates its arguments and throws {@link VoicemailInputError}.
 * The library calls it with a {@link MailboxAddress}; {@link FileMessageStore} also takes `'305'` (context `default`)
 * or `'305@sales'` wherever a mailbox is named ({@link MailboxRef}).
 */
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

/** Checks a folder name. @throws VoicemailInputError */
export function validateFolder(folder: unknown): Folder {
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

/** Counts of zero in every folder (a new mailbox's counts). */
export function emptyCounts(): FolderCounts {
  return Object.fromEntries(FOLDERS.map((f) => [f, 0])) as FolderCounts;
}

/** Something wrong the store found on disk and dealt with (it goes on with the rest). */
export type StoreProblem =
  /** A file that is not a whole message or journal entry (torn by a crash, edited by hand): moved aside to `setAside`. */
  | { readonly kind: 'torn'; readonly path: string; readonly setAside: string; readonly error: unknown }
  /** The temporary file of a write that never finished (the process died): removed. */
  | { readonly kind: 'temp-removed'; readonly path: string };

/** Options of {@link FileMessageStore}. */
export interface FileStoreOptions {
  /** Told of every {@link StoreProblem} (default: nothing; the store deals with them anyway). */
  readonly onProblem?: (problem: StoreProblem) => void;
  /** @internal Test hook: runs between the temp file's fsync and its rename (to simulate a crash there). */
  beforeRename?(tempPath: string, finalPath: string): Promise<void>;
}

const INTENTS: readonly TakeIntent[] = ['recording', 'keep', 'discard'];

/** Checks every field of a journal take. @throws VoicemailInputError */
export function validTake(entry: TakeEntry): TakeEntry {
  if (entry === null || typeof entry !== 'object') throw new VoicemailInputError('take', entry, 'not an object');
  if (typeof entry.recordingName !== 'string' || entry.recordingName.length === 0 || entry.recordingName.includes('..'))
    throw new VoicemailInputError('recordingName', entry.recordingName, 'a recording name without ".."');
  validateMessageId(entry.messageId);
  validateMailboxId(entry.mailbox);
  validateContext(entry.context);
  if (typeof entry.callId !== 'string' || entry.callId.length === 0)
    throw new VoicemailInputError('callId', entry.callId, 'a channel id');
  if (!INTENTS.includes(entry.intent)) throw new VoicemailInputError('intent', entry.intent, INTENTS.join(', '));
  if (typeof entry.urgent !== 'boolean') throw new VoicemailInputError('urgent', entry.urgent, 'a boolean');
  if (typeof entry.startedAt !== 'string' || Number.isNaN(Date.parse(entry.startedAt)))
    throw new VoicemailInputError('startedAt', entry.startedAt, 'an ISO date');
  return entry;
}

/** A journal file name: a hash of the key (recording names hold `/` and may be long). */
const journalFile = (key: string): string => `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`;

/**
 * Keeps message metadata as one JSON file per message under `<directory>/<context>/<mailbox>/<id>.json`, and the
 * voicemail journal ({@link VoicemailJournal}) under `<directory>/.journal/`.
 * Every write goes to a temp file that is fsynced and then renamed over the target, so a crash leaves either the
 * old or the new file, never a partial one; the temp files of writes a crash interrupted are removed the next time
 * the directory is written. A file that is not a whole message (torn, or edited by hand) is reported, moved aside
 * (`.torn-<name>-<time>`) and the rest of the mailbox stays readable. Writes to one mailbox run one after another,
 * so concurrent saves cannot exceed `maxMessages`.
 */
export class FileMessageStore implements MessageStore, VoicemailJournal, NotificationJobStore {
  private readonly queue = oneAtATimePerKey();
  /** Directories whose leftover temp files this instance already removed. */
  private readonly cleaned = new Set<string>();
  private readonly openedAt = Date.now();

  constructor(
    /** The directory (created when missing). */
    readonly directory: string,
    private readonly hooks: FileStoreOptions = {},
  ) {
    if (typeof directory !== 'string' || directory.length === 0)
      throw new AriOptionsError('directory', 'a non-empty path', { factory: 'new FileMessageStore', value: directory });
    if (hooks === null || typeof hooks !== 'object')
      throw new AriOptionsError('options', 'an object', { factory: 'new FileMessageStore', value: hooks });
    for (const name of ['onProblem', 'beforeRename'] as const) {
      if (hooks[name] !== undefined && typeof hooks[name] !== 'function')
        throw new AriOptionsError(name, 'a function', { factory: 'new FileMessageStore', value: hooks[name] });
    }
  }

  private problem(problem: StoreProblem): void {
    try {
      this.hooks.onProblem?.(problem);
    } catch {
      // A listener that throws must not make the store fail.
    }
  }

  /**
   * Removes the temp files of writes that never finished (older than this instance: no write of ours is among
   * them). Run inside the directory's queue, once per directory and instance.
   */
  private async cleanTemps(dir: string): Promise<void> {
    if (this.cleaned.has(dir)) return;
    this.cleaned.add(dir);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith('.') || !name.endsWith('.tmp')) continue;
      const path = join(dir, name);
      try {
        if ((await stat(path)).mtimeMs >= this.openedAt) continue;
        await unlink(path);
        this.problem({ kind: 'temp-removed', path });
      } catch {
        // Gone already, or not ours to remove: left alone.
      }
    }
  }

  private dir(address: MailboxAddress): string {
    return join(this.directory, validateContext(address.context), validateMailboxId(address.mailbox));
  }

  private exclusive<T>(address: MailboxAddress, work: () => Promise<T>): Promise<T> {
    return this.queue(`${address.mailbox}@${address.context}`, work);
  }

  private async writeAtomically(dir: string, id: string, message: unknown): Promise<void> {
    await mkdir(dir, { recursive: true });
    await this.cleanTemps(dir);
    await writeJsonFile(dir, id, message, { beforeRename: this.hooks.beforeRename });
  }

  private async readAll(address: MailboxAddress): Promise<VoicemailMessage[]> {
    const dir = this.dir(address);
    const messages = await readJsonFiles(dir, (name) => this.readFile(join(dir, name)));
    return messages.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
  }

  private async readFile(path: string): Promise<VoicemailMessage | undefined> {
    return this.readJson(path, (value) => validateMessage(value as VoicemailMessage));
  }

  /** Reads one JSON file; a file that does not parse or check is reported and moved aside (`undefined`). */
  private readJson<T>(path: string, check: (value: unknown) => T): Promise<T | undefined> {
    return readCheckedJson(path, check, (setAside, error) => this.problem({ kind: 'torn', path, setAside, error }));
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

  async get(ref: MailboxRef, id: string): Promise<VoicemailMessage | undefined> {
    const address = toMailboxAddress(ref);
    return this.readFile(join(this.dir(address), `${validateMessageId(id)}.json`));
  }

  async list(ref: MailboxRef, folder?: Folder): Promise<VoicemailMessage[]> {
    const address = toMailboxAddress(ref);
    if (folder !== undefined) validateFolder(folder);
    const all = await this.readAll(address);
    return folder === undefined ? all : all.filter((m) => m.folder === folder);
  }

  async count(ref: MailboxRef): Promise<FolderCounts> {
    const address = toMailboxAddress(ref);
    const counts = emptyCounts();
    for (const m of await this.readAll(address)) counts[m.folder] += 1;
    return counts;
  }

  async move(ref: MailboxRef, id: string, folder: Folder): Promise<VoicemailMessage> {
    const address = toMailboxAddress(ref);
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

  async delete(ref: MailboxRef, id: string): Promise<void> {
    const address = toMailboxAddress(ref);
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

  /** @see VoicemailJournal.saveOnce */
  async saveOnce(message: VoicemailMessage, options: { maxMessages?: number } = {}): Promise<SaveOnceResult> {
    validateMessage(message);
    const address = { mailbox: message.mailbox, context: message.context };
    return this.exclusive(address, async () => {
      const existing = await this.readAll(address);
      const same = existing.find((m) => m.id === message.id);
      if (same) {
        if (same.recordingName === message.recordingName) return 'exists';
        throw new VoicemailInputError('message id', message.id, 'already used in this mailbox by another recording');
      }
      const held = existing.filter((m) => m.folder === 'INBOX' || m.folder === 'Urgent' || m.folder === 'Old').length;
      if (options.maxMessages !== undefined && held >= options.maxMessages) {
        throw new MailboxFullError(address, options.maxMessages);
      }
      await this.writeAtomically(this.dir(address), message.id, message);
      return 'saved';
    });
  }

  private journalDir(kind: 'takes' | 'calls'): string {
    return join(this.directory, '.journal', kind);
  }

  /**
   * Writes of one journal entry run one after another (an update reads, then writes); entries of different takes
   * or calls are independent files and never wait for each other (every call writes its takes' entries, and one
   * line for all would make a caller's `*` wait for the disk writes of every other call).
   */
  private journalQueue<T>(kind: 'takes' | 'calls', key: string, work: () => Promise<T>): Promise<T> {
    return this.exclusive({ mailbox: `.journal-${kind}/${journalFile(key)}`, context: '' }, work);
  }

  private async readJournal<T>(kind: 'takes' | 'calls', check: (value: unknown) => T): Promise<T[]> {
    const dir = this.journalDir(kind);
    return readJsonFiles(dir, (name) => this.readJson(join(dir, name), check));
  }

  private async unlinkQuietly(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async putTake(entry: TakeEntry): Promise<void> {
    validTake(entry);
    await this.journalQueue('takes', entry.recordingName, () =>
      this.writeAtomically(this.journalDir('takes'), journalFile(entry.recordingName).slice(0, -5), entry),
    );
  }

  async updateTake(recordingName: string, change: TakeChange): Promise<TakeEntry | undefined> {
    return this.journalQueue('takes', recordingName, async () => {
      const dir = this.journalDir('takes');
      const file = journalFile(recordingName);
      const entry = await this.readJson(join(dir, file), (v) => validTake(v as TakeEntry));
      if (!entry) return undefined;
      const next = validTake({ ...entry, ...change });
      // Already so on disk (a purge after a cancel both say "discard"): nothing to make durable again.
      const same = (Object.keys(change) as (keyof TakeChange)[]).every((k) => entry[k] === next[k]);
      if (!same) await this.writeAtomically(dir, file.slice(0, -5), next);
      return next;
    });
  }

  async forgetTake(recordingName: string): Promise<void> {
    await this.journalQueue('takes', recordingName, () =>
      this.unlinkQuietly(join(this.journalDir('takes'), journalFile(recordingName))),
    );
  }

  takes(): Promise<TakeEntry[]> {
    return this.readJournal('takes', (v) => validTake(v as TakeEntry));
  }

  async putCall(entry: CallEntry): Promise<void> {
    if (typeof entry?.callId !== 'string' || entry.callId.length === 0)
      throw new VoicemailInputError('callId', entry?.callId, 'a channel id');
    await this.journalQueue('calls', entry.callId, () =>
      this.writeAtomically(this.journalDir('calls'), journalFile(entry.callId).slice(0, -5), entry),
    );
  }

  async forgetCall(callId: string): Promise<void> {
    await this.journalQueue('calls', callId, () =>
      this.unlinkQuietly(join(this.journalDir('calls'), journalFile(callId))),
    );
  }

  calls(): Promise<CallEntry[]> {
    return this.readJournal('calls', (v) => {
      const entry = v as CallEntry;
      if (typeof entry?.callId !== 'string') throw new TypeError('not a call entry');
      return entry;
    });
  }

  async messageRecordings(): Promise<Set<string>> {
    const names = new Set<string>();
    let contexts: string[];
    try {
      contexts = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return names;
      throw error;
    }
    for (const context of contexts) {
      if (context.startsWith('.')) continue;
      let boxes: string[];
      try {
        boxes = await readdir(join(this.directory, context));
      } catch {
        continue;
      }
      for (const mailbox of boxes) {
        if (mailbox.startsWith('.')) continue;
        try {
          for (const m of await this.readAll({ mailbox, context })) names.add(m.recordingName);
        } catch (error) {
          if (!(error instanceof VoicemailInputError)) throw error;
        }
      }
    }
    return names;
  }
  async update(ref: MailboxRef, id: string, change: MessageChange): Promise<VoicemailMessage> {
    const address = toMailboxAddress(ref);
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

  // Notification jobs (src/voicemail/notify.ts), kept beside the messages in `<directory>/.notify/`.
  private notifyJobs?: FileNotificationJobs;
  private get notifications(): FileNotificationJobs {
    this.notifyJobs ??= new FileNotificationJobs(join(this.directory, '.notify'));
    return this.notifyJobs;
  }
  /** @see NotificationJobStore.createJob */
  createJob(job: NotificationJob): Promise<boolean> {
    return this.notifications.createJob(job);
  }
  getJob(id: string): Promise<NotificationJob | undefined> {
    return this.notifications.getJob(id);
  }
  updateJob(id: string, change: NotificationJobChange): Promise<NotificationJob | undefined> {
    return this.notifications.updateJob(id, change);
  }
  jobs(): Promise<NotificationJob[]> {
    return this.notifications.jobs();
  }
  forgetJob(id: string): Promise<void> {
    return this.notifications.forgetJob(id);
  }
  notifySince(now: Date): Promise<Date> {
    return this.notifications.notifySince(now);
  }
}
