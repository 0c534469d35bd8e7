// What some tests read from outside the clone, and the one line they print when it is missing and they skip.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SOUND_DIRS } from '../../src/simulator/index.js';

/** Asterisk's English prompts as Debian's `asterisk-core-sounds-en-wav` installs them. */
export const SOUNDS_DIR = DEFAULT_SOUND_DIRS[0]!;

/** Asterisk 22's own Swagger documents, kept beside the clone in `../shared/asterisk/api-docs`. */
export const API_DOCS_DIR = fileURLToPath(new URL('../../../shared/asterisk/api-docs/', import.meta.url));

/**
 * True when `path` exists. Otherwise prints one line naming what is missing and what is skipped, and returns false
 * (for `describe.skipIf(!present(...))`).
 */
export function present(path: string, what: string, skipped: string): boolean {
  if (existsSync(path)) return true;
  console.warn(`skipped: ${skipped}: missing ${what} (${path})`);
  return false;
}

/** True when Asterisk's sound files are installed (else one line is printed). */
export function soundsPresent(skipped: string): boolean {
  return present(
    join(SOUNDS_DIR, 'beep.wav'),
    "Asterisk's sound files (apt-get install asterisk-core-sounds-en-wav)",
    skipped,
  );
}

/** True when the api-docs are beside the clone (else one line is printed). */
export function apiDocsPresent(skipped: string): boolean {
  return present(join(API_DOCS_DIR, 'events.json'), "Asterisk's api-docs", skipped);
}

/**
 * The PostgreSQL server the tests may use (`DATABASE_URL`, as .ci/run exports it from scripts/pg-throwaway.sh), or
 * `undefined` after printing one line (for `describe.skipIf(!url)`). Each test makes its own schema in it.
 */
export function postgresUrl(skipped: string): string | undefined {
  const url = process.env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return url;
  console.warn(
    `skipped: ${skipped}: missing a PostgreSQL server (DATABASE_URL; eval "$(scripts/pg-throwaway.sh start PORT)")`,
  );
  return undefined;
}
