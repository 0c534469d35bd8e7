// One durable write of a JSON file, shared by the message store, the mailbox settings and the trash: written to a
// temporary file beside it, flushed, renamed over the old one, then the directory flushed so the rename survives a
// crash. A reader sees the old file or the new one, never a torn one.

import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files are `.<name>.<uuid>.tmp`: hidden from listings, recognisable to clean after a crash. */
export const tempFileName = (name: string): string => `.${name}.${randomUUID()}.tmp`;

export interface JsonWriteOptions {
  /** Called between the flushed temporary file and the rename (tests use it to crash at that moment). */
  readonly beforeRename?: (tempPath: string, finalPath: string) => Promise<void> | void;
}

/** Writes `value` as `<dir>/<name>.json`, atomically and durably; the directory is created when missing. */
export async function writeJsonFile(
  dir: string,
  name: string,
  value: unknown,
  options: JsonWriteOptions = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const finalPath = join(dir, `${name}.json`);
  const tempPath = join(dir, tempFileName(name));
  const handle = await open(tempPath, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await options.beforeRename?.(tempPath, finalPath);
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

/**
 * Reads every `<name>.json` of `dir` with `read` (given the file name), keeping what it returns but `undefined`;
 * hidden files (temporary ones among them) are passed over, and a missing directory holds none.
 */
export async function readJsonFiles<T>(dir: string, read: (name: string) => Promise<T | undefined>): Promise<T[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: T[] = [];
  for (const name of names) {
    if (name.startsWith('.') || !name.endsWith('.json')) continue;
    const value = await read(name);
    if (value !== undefined) found.push(value);
  }
  return found;
}

/**
 * Reads `path` as JSON through `check`; `undefined` when the file is missing. A file that does not parse or check is
 * moved aside as `.torn-<name>-<ms>` beside it, `onTorn` told where (unless another reader moved it first), and
 * read as `undefined`.
 */
export async function readCheckedJson<T>(
  path: string,
  check: (value: unknown) => T,
  onTorn: (setAside: string, error: unknown) => void = () => undefined,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return check(JSON.parse(text));
  } catch (error) {
    const setAside = join(dirname(path), `.torn-${basename(path)}-${Date.now()}`);
    try {
      await rename(path, setAside);
    } catch (renameError) {
      // Another reader set it aside first: the same problem, already told.
      if ((renameError as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw renameError;
    }
    onTorn(setAside, error);
    return undefined;
  }
}
