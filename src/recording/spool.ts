/**
 * The upload spool: every file not yet accepted by the customer's server lives here, so it survives a crash or a
 * restart. Layout of the directory:
 * - `pending/<id>.data` + `pending/<id>.json`: waiting for upload. The JSON is written last (and removed first):
 *   it is the commit mark, so a `.data` without its `.json` is an interrupted write and is removed on open;
 * - `failed/<id>.data` + `failed/<id>.json`: refused by the server (a 4xx), kept for an operator, never retried;
 * - `tmp/`: files being written; both files are written there, flushed, and renamed into place (atomic).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** What the spool remembers of a file. */
export interface SpoolEntry {
  readonly id: string;
  /** The full PUT URL. */
  readonly url: string;
  readonly contentType: string;
  readonly bytes: number;
  /** ISO time it entered the spool. */
  readonly createdAt: string;
  /** Free-form data kept with the file (call id, recording name, placeholders). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Set on an entry moved to `failed/`. */
  readonly failure?: { readonly status?: number; readonly reason: string; readonly at: string };
}

/** Where entries are: waiting for upload, or refused. */
export type SpoolState = 'pending' | 'failed';

/** A durable spool directory. */
export class Spool {
  private constructor(readonly dir: string) {}

  /** Opens (creating) the spool and removes interrupted writes. */
  static async open(dir: string): Promise<Spool> {
    const spool = new Spool(dir);
    for (const sub of ['pending', 'failed', 'tmp']) await mkdir(join(dir, sub), { recursive: true });
    await rm(join(dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(dir, 'tmp'));
    const names = await readdir(join(dir, 'pending'));
    for (const name of names) {
      if (name.endsWith('.data') && !names.includes(`${name.slice(0, -5)}.json`)) {
        await rm(join(dir, 'pending', name), { force: true });
      }
    }
    return spool;
  }

  /** Writes a file and its metadata durably; resolves once both are on disk. */
  async add(
    source: AsyncIterable<Uint8Array> | Uint8Array,
    meta: { url: string; contentType: string; metadata?: Record<string, unknown> },
  ): Promise<SpoolEntry> {
    const id = randomUUID();
    const tmpData = join(this.dir, 'tmp', `${id}.data`);
    try {
      await pipeline(source instanceof Uint8Array ? [source] : source, createWriteStream(tmpData, { flags: 'wx' }));
      await fsync(tmpData);
      const { size } = await stat(tmpData);
      const entry: SpoolEntry = {
        id,
        url: meta.url,
        contentType: meta.contentType,
        bytes: size,
        createdAt: new Date().toISOString(),
        metadata: meta.metadata ?? {},
      };
      await rename(tmpData, this.path('pending', id, 'data'));
      await this.writeJson('pending', entry);
      return entry;
    } catch (error) {
      await rm(tmpData, { force: true });
      throw error;
    }
  }

  /**
   * The entries in a state, oldest first. A record that cannot be read is left on disk for an operator and passed to
   * `onUnreadable` (the uploader logs it as an error).
   */
  async list(
    state: SpoolState = 'pending',
    onUnreadable?: (path: string, error: unknown) => void,
  ): Promise<SpoolEntry[]> {
    const names = (await readdir(join(this.dir, state))).filter((name) => name.endsWith('.json'));
    const entries: SpoolEntry[] = [];
    for (const name of names) {
      try {
        entries.push(JSON.parse(await readFile(join(this.dir, state, name), 'utf8')) as SpoolEntry);
      } catch (error) {
        // A corrupt record cannot be uploaded; it stays on disk for an operator rather than being deleted.
        onUnreadable?.(join(this.dir, state, name), error);
      }
    }
    return entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The entry with this id, if it is in that state. */
  async get(id: string, state: SpoolState = 'pending'): Promise<SpoolEntry | undefined> {
    try {
      return JSON.parse(await readFile(this.path(state, id, 'json'), 'utf8')) as SpoolEntry;
    } catch {
      return undefined;
    }
  }

  /** The path of an entry's bytes. */
  dataPath(id: string, state: SpoolState = 'pending'): string {
    return this.path(state, id, 'data');
  }

  /** Forgets an accepted file: the commit mark goes first. */
  async remove(id: string): Promise<void> {
    await rm(this.path('pending', id, 'json'), { force: true });
    await rm(this.path('pending', id, 'data'), { force: true });
  }

  /** Moves a refused file to `failed/` with the reason. */
  async fail(entry: SpoolEntry, failure: { status?: number; reason: string }): Promise<SpoolEntry> {
    const failed: SpoolEntry = { ...entry, failure: { ...failure, at: new Date().toISOString() } };
    await rename(this.path('pending', entry.id, 'data'), this.path('failed', entry.id, 'data'));
    await this.writeJson('failed', failed);
    await rm(this.path('pending', entry.id, 'json'), { force: true });
    return failed;
  }

  private path(state: SpoolState, id: string, ext: 'data' | 'json'): string {
    if (!/^[A-Za-z0-9-]+$/.test(id)) throw new TypeError(`invalid spool id: ${id}`);
    return join(this.dir, state, `${id}.${ext}`);
  }

  private async writeJson(state: SpoolState, entry: SpoolEntry): Promise<void> {
    const tmp = join(this.dir, 'tmp', `${entry.id}.${state}.json`);
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(entry, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.path(state, entry.id, 'json'));
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
