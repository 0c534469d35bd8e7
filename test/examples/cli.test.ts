// The command lines a new user meets first: every example answers --help and refuses an unknown flag in one line,
// examples/voicemail.ts says what is wrong with a bad ARI_URL and runs on the embedded simulator without one, and
// the package's bin starts the simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CallEvents, Caller } from '../../examples/demo-callers.js';
import { createFarEnd } from '../../src/simulator/index.js';
import { FileMessageStore } from '../../src/voicemail/store.js';
import { example, killAll, run } from './child.js';

const EXAMPLES = [
  'examples/voicemail.ts',
  'examples/record-call.ts',
  'examples/recording-receiver.ts',
  'examples/embed-ari-client.ts',
  'examples/demo.ts',
  'examples/inspect.ts',
  'examples/tutorial/1-record.ts',
  'examples/tutorial/2-cancel.ts',
  'examples/tutorial/3-review.ts',
  'examples/tutorial/4-copy.ts',
];

const dirs: string[] = [];
afterEach(async () => {
  await killAll();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('every example', () => {
  it.each(EXAMPLES)('%s: --help prints its usage (exit 0); an unknown flag is one line (exit 2)', async (script) => {
    const help = example(script, ['--help']);
    expect(await help.exited).toBe(0);
    expect(help.lines.join('\n')).toMatch(/--help +this text/);
    const wrong = example(script, ['--no-such-flag']);
    expect(await wrong.exited).toBe(2);
    const name = script.split('/').at(-1)!;
    expect(wrong.lines.filter((l) => l !== '')).toEqual([
      `${name}: unknown option --no-such-flag (--help lists the options)`,
    ]);
  });
});

describe('examples/voicemail.ts', () => {
  it('with a wrong ARI_URL: one line naming the URL and the likely cause, exit 1', async () => {
    const port = await closedPort();
    const child = example('examples/voicemail.ts', [], {
      ARI_URL: `http://127.0.0.1:${port}`,
      ARI_USERNAME: 'asterisk',
      ARI_PASSWORD: 'asterisk',
    });
    expect(await child.exited).toBe(1);
    expect(child.lines.filter((l) => l !== '')).toEqual([
      `voicemail.ts: cannot connect to ARI at http://127.0.0.1:${port}/ari: connection refused: nothing listens there ` +
        '(is Asterisk running, with http.conf enabled = yes and this bindport?) (3 attempts)',
    ]);
  });

  it('without ARI_URL: says it runs on the embedded simulator, and a call to it leaves a message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ari-voicemail-cli-'));
    dirs.push(dir);
    const child = example('examples/voicemail.ts', ['--store', dir, '--mailboxes', '305', '--no-review'], {
      ARI_URL: '',
    });
    const said = await child.line(/^ARI_URL is not set: running on the embedded ARI simulator at /);
    const url = /at (http:\/\/[^ ]+) /.exec(said)![1]!;
    await child.line(/voicemail on Stasis app vm-record/);
    const farEnd = await createFarEnd({ url, username: 'asterisk', password: 'asterisk', timeoutMs: 30_000 });
    try {
      const caller = new Caller(await farEnd.call('305'), new CallEvents());
      await caller.skipGreeting();
      await caller.speak(1.5);
      await caller.call.dtmf('#');
      await child.line(/^voicemail.saved /);
      await caller.call.hangup().catch(() => {});
    } finally {
      await farEnd.close();
    }
    expect(await new FileMessageStore(dir).list({ mailbox: '305', context: 'default' })).toHaveLength(1);
    expect(await child.interrupt()).toBe(0);
  }, 60_000);
});

describe('the bin: ari-voicemail simulator', () => {
  it('starts the simulator on the port asked for, answers ARI, and stops on Ctrl-C', async () => {
    const child = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'simulator', '--port', '0']);
    const line = await child.line(/^ARI simulator on http:\/\/127\.0\.0\.1:\d+ /);
    const url = /on (http:\/\/[^ ]+) /.exec(line)![1]!;
    const auth = `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}`;
    const info = await fetch(`${url}/ari/asterisk/info`, { headers: { authorization: auth } });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { system: { version: string } }).system.version).toBe('22.10.1');
    expect(await child.interrupt()).toBe(0);
  });

  it('refuses an unknown flag or command in one line (exit 2) and prints its usage on --help', async () => {
    const flag = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'simulator', '--prot', '1']);
    expect(await flag.exited).toBe(2);
    expect(flag.lines.filter((l) => l !== '')).toEqual(['cli.ts: unknown option --prot (--help lists the options)']);
    const command = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'simulate']);
    expect(await command.exited).toBe(2);
    expect(command.lines.filter((l) => l !== '')).toEqual([
      'cli.ts: unknown command simulate (the one command is: simulator)',
    ]);
    const help = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.lines[0]).toBe('Usage: ari-voicemail simulator [options]');
  });
});
