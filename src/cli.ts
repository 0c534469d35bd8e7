#!/usr/bin/env node
// `npx ari-voicemail simulator --port 8088`: the package's command line. It starts the ARI simulator for people who
// want to point their own ARI app (or ari-client, or curl) at something that behaves like Asterisk 22.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createSimulator } from './simulator/index.js';

const USAGE = `
Usage: ari-voicemail simulator [options]

Starts the ARI simulator: HTTP and WebSocket on loopback, behaving like Asterisk 22 (the sample dialplan sends
Local/3XX@default to Stasis(vm-record,3XX) and Local/4XX@default to Stasis(rec-app,4XX)). Ctrl-C stops it.

  --port N           TCP port (default 8088; 0 = any free port)
  --host ADDRESS     interface to listen on (default 127.0.0.1)
  --username NAME    ARI user (default asterisk)
  --password TEXT    ARI password (default asterisk)
  --sounds DIR       a directory of 8 kHz WAV prompts (default: Asterisk's, else built-in stand-ins)
  --help             this text
`;

const OPTIONS = {
  port: { type: 'string', default: '8088' },
  host: { type: 'string', default: '127.0.0.1' },
  username: { type: 'string', default: 'asterisk' },
  password: { type: 'string', default: 'asterisk' },
  sounds: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

/** One line on stderr, exit code `code`: what a user sees for a mistake on the command line. */
function exit(message: string, code: number): never {
  console.error(`${basename(process.argv[1] ?? 'ari-voicemail')}: ${message}`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    exit(`${unknown ? `unknown option ${unknown[1]}` : message.split(/(?<=\.) /)[0]} (--help lists the options)`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(USAGE.trim());
    process.exit(values.help ? 0 : 2);
  }
  if (positionals[0] !== 'simulator' || positionals.length > 1) {
    exit(`unknown command ${positionals.join(' ')} (the one command is: simulator)`, 2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) exit(`--port must be 0..65535, got ${values.port}`, 2);
  const sim = await createSimulator({
    port,
    host: values.host,
    username: values.username,
    password: values.password,
    ...(values.sounds ? { sounds: { dirs: [values.sounds] } } : {}),
  }).catch((error: Error) => exit(`cannot start the simulator: ${error.message}`, 1));
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(
    `ARI simulator on ${sim.url} (ARI at ${sim.url}/ari, events at ${sim.url.replace('http', 'ws')}/ari/events)`,
  );
  console.log(`user ${sim.username}, password ${sim.password}; Ctrl-C stops it`);
}

await main(process.argv.slice(2));
