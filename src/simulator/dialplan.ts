/**
 * One extension of the simulator's dialplan. The callee half (`;2`) of `Local/<exten>@<context>` runs it:
 * `NoOp()` then `Stasis(<stasis>, <args>)` then `Hangup()`, as the sample extensions.conf does; without `stasis`
 * (nor `broadcast` or `spread`) the channel answers and waits until hung up (`Answer()`, `Wait(3600)`).
 *
 * With `broadcast` and `spread` it runs the cluster dialplan of the README: `StasisBroadcast()` offers the call to
 * every app matching `broadcast.filter` (when the broadcast modules are loaded); when nobody claims it in time
 * (`STASISSTATUS=TIMEOUT`), or without the modules, `Stasis()` tries the apps of `spread` in turn, starting one
 * further each call, until one is registered; then `stasis`, if given; then `Hangup()`.
 */
export interface DialplanEntry {
  context: string;
  /** A literal extension (`s`, `305`) or an Asterisk pattern starting with `_` (`_3XX`, `_4.`, `_NXXNXXXXXX`). */
  exten: string;
  /** The Stasis application the channel enters. */
  stasis?: string;
  /** Its arguments; `${EXTEN}` is replaced by the dialled extension. Default: `['${EXTEN}']`. */
  args?: string[];
  /**
   * `StasisBroadcast(<timeoutMs>,<filter>,<args joined by ':'>,<notifyClaimed>)` before anything else: the call is
   * offered (`CallBroadcast`) to every registered app whose name matches `filter` (a regular expression; default
   * every app), the first `POST /events/claim` gets it. Default timeout 500 ms, as Asterisk's.
   */
  broadcast?: { timeoutMs?: number; filter?: string; notifyClaimed?: boolean };
  /** Apps `Stasis()` tries one after another (round robin over calls) when the call was not claimed. */
  spread?: string[];
}

/** The dialplan of the sample extensions.conf the real-Asterisk traces were made with. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Asterisk's dialplan variable syntax, not a JS template.
const EXTEN = '${EXTEN}';

export const DEFAULT_DIALPLAN: readonly DialplanEntry[] = [
  { context: 'default', exten: '_3XX', stasis: 'vm-record', args: [EXTEN] },
  { context: 'default', exten: '_4XX', stasis: 'rec-app', args: [EXTEN] },
  { context: 'caller', exten: 's' },
];

/** Compiles an Asterisk extension pattern (`_` prefix; X, Z, N, [a-b], `.` and `!`) to a RegExp. */
export function patternToRegExp(exten: string): RegExp {
  if (!exten.startsWith('_')) return new RegExp(`^${exten.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  let re = '^';
  const body = exten.slice(1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === 'X' || c === 'x') re += '[0-9]';
    else if (c === 'Z' || c === 'z') re += '[1-9]';
    else if (c === 'N' || c === 'n') re += '[2-9]';
    else if (c === '.') re += '.+';
    else if (c === '!') re += '.*';
    else if (c === '[') {
      const end = body.indexOf(']', i);
      if (end === -1) throw new Error(`dialplan: unclosed [ in pattern ${exten}`);
      re += `[${body.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

interface Compiled {
  entry: DialplanEntry;
  re: RegExp;
  literal: boolean;
  specificity: number;
}

/** A dialplan table with Asterisk's precedence: a literal extension before patterns, then the most specific pattern. */
export class Dialplan {
  readonly #byContext = new Map<string, Compiled[]>();

  constructor(entries: readonly DialplanEntry[]) {
    for (const [i, entry] of entries.entries()) {
      if (
        !entry ||
        typeof entry.context !== 'string' ||
        !entry.context ||
        typeof entry.exten !== 'string' ||
        !entry.exten
      ) {
        throw new TypeError(`dialplan[${i}]: context and exten must be non-empty strings`);
      }
      if (entry.stasis !== undefined && (typeof entry.stasis !== 'string' || !entry.stasis)) {
        throw new TypeError(`dialplan[${i}]: stasis must be a non-empty application name`);
      }
      if (entry.args !== undefined && (!Array.isArray(entry.args) || entry.args.some((a) => typeof a !== 'string'))) {
        throw new TypeError(`dialplan[${i}]: args must be an array of strings`);
      }
      checkSharing(entry, i);
      const literal = !entry.exten.startsWith('_');
      const list = this.#byContext.get(entry.context) ?? [];
      list.push({ entry, re: patternToRegExp(entry.exten), literal, specificity: specificity(entry.exten) });
      this.#byContext.set(entry.context, list);
    }
    for (const list of this.#byContext.values()) {
      list.sort((a, b) => Number(b.literal) - Number(a.literal) || a.specificity - b.specificity);
    }
  }

  /** The entry that runs `exten` in `context`, if any. */
  match(context: string, exten: string): DialplanEntry | undefined {
    return this.#byContext.get(context)?.find((c) => c.re.test(exten))?.entry;
  }
}

function checkSharing(entry: DialplanEntry, i: number): void {
  const { broadcast, spread } = entry;
  if (spread !== undefined && (!Array.isArray(spread) || spread.some((a) => typeof a !== 'string' || !a))) {
    throw new TypeError(`dialplan[${i}]: spread must be an array of application names`);
  }
  if (broadcast === undefined) return;
  if (broadcast === null || typeof broadcast !== 'object')
    throw new TypeError(`dialplan[${i}]: broadcast must be an object`);
  const { timeoutMs, filter, notifyClaimed } = broadcast;
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 0 && timeoutMs <= 60_000)) {
    throw new TypeError(`dialplan[${i}]: broadcast.timeoutMs must be an integer from 0 to 60000`);
  }
  if (filter !== undefined) {
    if (typeof filter !== 'string' || filter.includes(','))
      throw new TypeError(`dialplan[${i}]: broadcast.filter must be a regular expression without commas`);
    new RegExp(filter);
  }
  if (notifyClaimed !== undefined && typeof notifyClaimed !== 'boolean')
    throw new TypeError(`dialplan[${i}]: broadcast.notifyClaimed must be true or false`);
}

// Smaller = more specific: counts how many digits each pattern character admits, as Asterisk orders patterns.
function specificity(exten: string): number {
  if (!exten.startsWith('_')) return 0;
  let score = 0;
  for (const c of exten.slice(1)) {
    if (c === 'X' || c === 'x') score += 10;
    else if (c === 'Z' || c === 'z') score += 9;
    else if (c === 'N' || c === 'n') score += 8;
    else if (c === '.' || c === '!') score += 1000;
    else score += 1;
  }
  return score;
}

/** Replaces `${EXTEN}` in the entry's args. */
export function stasisArgs(entry: DialplanEntry, exten: string): string[] {
  return (entry.args ?? [EXTEN]).map((a) => a.replaceAll(EXTEN, exten));
}
