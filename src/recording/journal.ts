/**
 * The recorder's journal: every recording it starts is written down before the record request, and forgotten once
 * its file is in the upload spool (or kept, or discarded), so a process killed while calls were being recorded can
 * be finished by the next one: the recordings left on Asterisk are found, spooled and uploaded. It lives in a
 * directory of its own (by default `journal/` in the uploader's spool, so it moves with the files it leads to); one
 * JSON file an entry, written atomically (temporary file, fsync, rename). Upload credentials are never written.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordFormat, RecordTarget } from '../../machines/record-call.js';

/** A recording under way, from just before its record request until its file is safe. */
export interface RecorderTake {
  /** The Stasis app of the call (a restart recovers only its own app's recordings). */
  readonly app: string;
  readonly recordingName: string;
  /** The recorded A-leg's channel id. */
  readonly callId: string;
  readonly target: RecordTarget;
  readonly format: RecordFormat;
  /** The uploaded file's name (`call_recording_<callId>.wav`). */
  readonly fileName: string;
  /** The PUT target without credentials; none when the recording is kept on Asterisk or discarded. */
  readonly uploadUrl?: string;
  /** Whether the url had `user:pass@` (sent again from the credentials the uploader knows for its origin). */
  readonly credentialed?: boolean;
  readonly keep: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  /** ISO time the record request was made. */
  readonly startedAt: string;
}

/** A call whose recording is over (its file safe) while its channel may still be in the app: never recorded again. */
export interface RecorderDoneCall {
  readonly callId: string;
  readonly at: string;
}

interface Stored {
  readonly kind: 'take' | 'done';
  readonly entry: RecorderTake | RecorderDoneCall;
}

/** A problem found while reading the journal (an entry that cannot be parsed is set aside, never deleted). */
export interface RecorderJournalProblem {
  readonly file: string;
  readonly error: unknown;
}

const key = (kind: 'take' | 'done', id: string) =>
  `${kind}-${createHash('sha256').update(id).digest('hex').slice(0, 40)}.json`;

/** The journal of one recorder, in a directory. */
export class RecorderJournal {
  #ready: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    private readonly onProblem?: (problem: RecorderJournalProblem) => void,
  ) {}

  /** Writes (or replaces) a take's entry; durable when it resolves. */
  putTake(take: RecorderTake): Promise<void> {
    return this.#write(key('take', take.recordingName), { kind: 'take', entry: take });
  }

  /** Forgets a take (its file is safe, or it left nothing). */
  forgetTake(recordingName: string): Promise<void> {
    return this.#remove(key('take', recordingName));
  }

  /** Marks a call whose recording is over, so a restart never records it again while its channel stays. */
  markDone(callId: string, at = new Date()): Promise<void> {
    return this.#write(key('done', callId), { kind: 'done', entry: { callId, at: at.toISOString() } });
  }

  forgetDone(callId: string): Promise<void> {
    return this.#remove(key('done', callId));
  }

  /** Every take of the journal, oldest first. */
  async takes(): Promise<RecorderTake[]> {
    const takes = (await this.#read('take')) as RecorderTake[];
    return takes.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** Every call marked done. */
  async doneCalls(): Promise<RecorderDoneCall[]> {
    return (await this.#read('done')) as RecorderDoneCall[];
  }

  #prepare(): Promise<void> {
    if (this.#ready === undefined) {
      this.#ready = (async () => {
        await mkdir(join(this.dir, 'tmp'), { recursive: true });
        await mkdir(join(this.dir, 'unreadable'), { recursive: true });
        // Temporary files are interrupted writes of an earlier run: their entry was never committed.
        for (const name of await readdir(join(this.dir, 'tmp'))) await rm(join(this.dir, 'tmp', name), { force: true });
      })();
      this.#ready.catch(() => {
        this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  async #write(name: string, value: Stored): Promise<void> {
    await this.#prepare();
    const tmp = join(this.dir, 'tmp', `${name}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(value));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(this.dir, name));
  }

  async #remove(name: string): Promise<void> {
    await this.#prepare();
    await rm(join(this.dir, name), { force: true });
  }

  async #read(kind: 'take' | 'done'): Promise<Array<RecorderTake | RecorderDoneCall>> {
    await this.#prepare();
    const found: Array<RecorderTake | RecorderDoneCall> = [];
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(`${kind}-`) || !name.endsWith('.json')) continue;
      const path = join(this.dir, name);
      try {
        const stored = JSON.parse(await readFile(path, 'utf8')) as Stored;
        if (stored?.kind !== kind || typeof stored.entry !== 'object' || stored.entry === null)
          throw new Error(`not a ${kind} entry`);
        found.push(stored.entry);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        // A torn or foreign file: set aside for an operator, the rest of the journal stays readable.
        await rename(path, join(this.dir, 'unreadable', name)).catch(() => {});
        this.onProblem?.({ file: name, error });
      }
    }
    return found;
  }
}
