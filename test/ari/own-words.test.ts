// No sentence of Asterisk's api-docs descriptions stands anywhere in src/, docs/, the README, the changelog or the
// generator's table of docs: our docs are our own words. A sentence here is a piece of a description, summary, note
// or error reason of six words or more; it is looked for in every text file there with comment markers and line
// breaks folded away, so a sentence wrapped over comment lines counts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const API_DOCS = join(REPO, '..', 'shared', 'asterisk', 'api-docs');
const present = existsSync(join(API_DOCS, 'resources.json'));
if (!present) console.warn(`skipped: own words of src/: missing Asterisk's api-docs (${API_DOCS})`);

const PROSE = new Set(['description', 'summary', 'notes', 'reason']);

/** Folds case and white space. */
const fold = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Every sentence of six words or more in the prose fields of the api-docs. */
function sentences(): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (PROSE.has(key) && typeof v === 'string') {
          for (const piece of v.split(/(?<=[.!?;])\s+|\n+|<br \/>/)) {
            const s = fold(piece).replace(/[.;]$/, '');
            if (s.split(' ').length >= 6) found.add(s);
          }
        } else visit(v);
      }
    }
  };
  for (const file of readdirSync(API_DOCS).filter((f) => f.endsWith('.json'))) {
    visit(JSON.parse(readFileSync(join(API_DOCS, file), 'utf8')));
  }
  return found;
}

/** Where our words stand: the code, the docs, the README and the table of docs the ARI generator writes from. */
const OURS = ['src', 'docs', 'README.md', 'CHANGELOG.md', 'scripts/ari-docs.ts'];

/** The text files of {@link OURS}, their text with comment markers (`//`, ` * `) taken off each line and lines joined. */
function sources(): Map<string, string> {
  const out = new Map<string, string>();
  const read = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) read(join(path, entry));
    } else if (/\.(?:ts|md|json|conf)$/.test(path)) {
      out.set(relative(REPO, path), fold(readFileSync(path, 'utf8').replace(/^\s*(?:\/\/+|\/\*\*|\*\/|\*)\s?/gm, '')));
    }
  };
  for (const root of OURS) read(join(REPO, root));
  return out;
}

// What Asterisk 22.10.1 answers on the wire as the `message` of an error, word for word as its api-docs give the
// reason: the simulator must answer the same. Each was seen from the real Asterisk (the first in
// ../shared/asterisk/traces/copy-and-mwi.json, the second on a second POST /channels with a taken channelId; the
// module ones on GET and DELETE /asterisk/modules/{name} of a module not loaded; the claim ones on POST
// /events/claim of a channel not on offer, and of one another app had claimed).
const WIRE_MESSAGES = [
  'a recording with the same name already exists on the system',
  'channel with given unique id already exists',
  'module could not be found in running modules',
  'module not found in running modules',
  'channel not found or not in broadcast state',
  'channel has already been claimed by another application',
];

describe.skipIf(!present)("our code and docs have none of the api-docs' sentences", () => {
  // A skipped describe is still collected: read nothing when the api-docs are not there.
  const all = present ? sentences() : new Set<string>();
  const files = sources();

  it('reads enough of the api-docs and of our files to mean something', () => {
    expect(all.size).toBeGreaterThan(300);
    for (const file of ['src/ari/operations.ts', 'docs/cluster.md', 'README.md', 'scripts/ari-docs.ts']) {
      expect(files.get(file)?.length ?? 0, file).toBeGreaterThan(1000);
    }
  });

  it('finds none in src/, docs/ or the README (but the error messages Asterisk sends, in the simulator and quoted in docs/)', () => {
    const copied: string[] = [];
    for (const [file, text] of files) {
      for (const s of all) {
        const wire = WIRE_MESSAGES.includes(s) && (file.startsWith('src/simulator/') || file.startsWith('docs/'));
        if (text.includes(s) && !wire) {
          copied.push(`${file}: "${s}"`);
        }
      }
    }
    expect(copied).toEqual([]);
  });

  it('finds the wire messages in src/ only as error answers of the simulator', () => {
    for (const message of WIRE_MESSAGES) {
      expect(all, message).toContain(message);
      const where = [...files]
        .filter(([file, text]) => file.startsWith('src/') && text.includes(message))
        .map(([file]) => file);
      expect(where.length, message).toBeGreaterThan(0);
      for (const file of where) {
        const raw = readFileSync(join(REPO, file), 'utf8').toLowerCase();
        const uses = raw.split(message).length - 1;
        const asErrors = raw.split(new RegExp(`simerror\\(\\d{3}, '${message}'\\)`)).length - 1;
        expect(asErrors, `${file}: "${message}" outside a SimError`).toBe(uses);
      }
    }
  });

  it("has not the originate docs' sentence of old", () => {
    const sentence = "mutually exclusive with 'context', 'extension', 'priority', and 'label'";
    expect(all).toContain(sentence);
    expect([...files].filter(([, text]) => text.includes(sentence)).map(([file]) => file)).toEqual([]);
  });
});
