// The command line of the bench scripts: `--name NUMBER` pairs, each name mapped to an option of the run.

/**
 * Reads `args` as `--name NUMBER` pairs into the options `known` maps the names to; an unknown name or a value that
 * is not a finite number prints what `tool` accepts and exits with status 2.
 */
export function numberOptions<K extends string>(tool: string, known: Readonly<Record<string, K>>, args: string[]) {
  const options: Partial<Record<K, number>> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = known[args[i] ?? ''];
    const value = Number(args[i + 1]);
    if (!name || !Number.isFinite(value)) {
      console.error(`${tool}: unknown or malformed option ${args[i]} ${args[i + 1] ?? ''}`);
      console.error(`options: ${Object.keys(known).join(' ')} (each with a number)`);
      process.exit(2);
    }
    options[name] = value;
  }
  return options;
}

/** The names of the options of `T` that take a number. */
export type NumberOption<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T] & string;
