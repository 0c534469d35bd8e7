/**
 * The command line of the examples: `--help` prints the usage and exits 0; an unknown or malformed flag prints one
 * line saying which (and how to get help) and exits 2, never a stack trace. A setup failure (no ARI_URL, Asterisk
 * unreachable) is printed as one line by {@link fail}, exit 1.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type LiveView, startLiveView } from 'ari-voicemail';

const SCRIPT = basename(process.argv[1] ?? 'example');

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'];

/** The flags of an example, parsed strictly from `argv` (default: the process's own). */
export function parseCli<const O extends Options>(
  usage: string,
  options: O,
  argv: string[] = process.argv.slice(2),
): Values<O> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage.trim());
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options, strict: true }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    const unexpected = /^Unexpected argument '([^']+)'/.exec(message);
    const why = unknown
      ? `unknown option ${unknown[1]}`
      : unexpected
        ? `unexpected argument ${unexpected[1]}`
        : message.split(/(?<=\.) /)[0]!;
    console.error(`${SCRIPT}: ${why} (--help lists the options)`);
    process.exit(2);
  }
}

/** Prints `${script}: message` on one line and exits 1: what a user sees when the example cannot start. */
export function fail(error: unknown): never {
  console.error(`${SCRIPT}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/** The value of an environment variable, or a one-line failure naming it. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) fail(`set ${name} (ARI_URL, ARI_USERNAME, ARI_PASSWORD)`);
  return value;
}

/** The live-view flags every long-running example takes (`--live`, `--live-port N`). */
export const LIVE_FLAGS = {
  live: { type: 'boolean', default: false },
  'live-port': { type: 'string', default: '8788' },
} as const;

/** Their lines of `--help`. */
export const LIVE_USAGE = `  --live             show the calls in the library's own live view (offline, on 127.0.0.1; URL printed)
  --live-port N      the live view's port (default 8788; 0 takes a free one)`;

/**
 * Starts the live view when `--live` was given (a fresh random token in its URL), prints where to open it, and
 * returns it to be passed in the app's `observers`; a bad `--live-port` or a port in use is one line, exit 1.
 */
export async function startLiveFromCli(values: {
  live?: boolean;
  'live-port'?: string;
}): Promise<LiveView | undefined> {
  if (!values.live) return undefined;
  const text = values['live-port'] ?? '8788';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) fail(`--live-port must be a port number (0 to 65535), got ${text}`);
  const view = await startLiveView({ port, token: randomBytes(16).toString('hex') }).catch(fail);
  console.log(`live view: open ${view.url} in a browser on this machine`);
  return view;
}
