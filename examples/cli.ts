/**
 * The command line of the examples: `--help` prints the usage and exits 0; an unknown or malformed flag prints one
 * line saying which (and how to get help) and exits 2, never a stack trace. A setup failure (no ARI_URL, Asterisk
 * unreachable) is printed as one line by {@link fail}, exit 1.
 */
import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';

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
