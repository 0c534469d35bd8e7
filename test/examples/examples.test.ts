// Every example, run as written: a child process (`node --import tsx examples/<x>.ts`) pointed at an ARI simulator
// started here, or, when ARI_URL (ARI_USERNAME, ARI_PASSWORD) is set, at that real Asterisk (the examples as a user
// runs them there), a call placed with the far end, and what a user would look at checked (the message in the store,
// the recordings and mailboxes Asterisk holds, the file at the receiver, the lines printed). Ctrl-C must then stop
// the example cleanly (exit code 0). Examples and the far end share the simulator's real clock (or Asterisk's):
// sessions are short, and every wait is on an event. The examples that bring their own simulator skip on a real
// Asterisk, saying so in one line.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CallEvents, Caller } from '../../examples/demo-callers.js';
import { parseWav } from '../../src/recording/wav.js';
import { createFarEnd, createSimulator, type FarEnd, type Simulator } from '../../src/simulator/index.js';
import { FileMessageStore } from '../../src/voicemail/store.js';
import { type Child, example, killAll, ROOT, run } from './child.js';

const real = process.env.ARI_URL
  ? {
      url: process.env.ARI_URL.replace(/\/+$/, '').replace(/\/ari$/, ''),
      username: process.env.ARI_USERNAME ?? '',
      password: process.env.ARI_PASSWORD ?? '',
    }
  : undefined;
/** For the examples that start their own simulator: they have nothing to show on a real Asterisk. */
const ownSimulator = real ? it.skip : it;
if (real) {
  console.info(
    `examples: against the real Asterisk at ${real.url}; inspect.ts and npm run demo skip (they run on their own simulator)`,
  );
}

const STEP = 60_000;
let sim: Simulator | undefined;
let target: { url: string; username: string; password: string };
let farEnd: FarEnd;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  if (real) target = real;
  else {
    sim = await createSimulator();
    target = { url: sim.url, username: sim.username, password: sim.password };
  }
  env = { ARI_URL: target.url, ARI_USERNAME: target.username, ARI_PASSWORD: target.password };
  farEnd = await createFarEnd({ ...target, timeoutMs: 30_000 });
});

/** What Asterisk (or the simulator) answers to GET `path`, as a user would look at it through ARI. */
async function look<T>(path: string): Promise<T> {
  const auth = Buffer.from(`${target.username}:${target.password}`).toString('base64');
  const res = await fetch(`${target.url}/ari${path}`, { headers: { authorization: `Basic ${auth}` } });
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}
const storedRecordings = async () => (await look<{ name: string }[]>('/recordings/stored')).map((r) => r.name);
const mailboxes = () => look<{ name: string; old_messages: number; new_messages: number }[]>('/mailboxes');

afterAll(async () => {
  await farEnd?.close();
  await sim?.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ari-voicemail-examples-'));
});

afterEach(async () => {
  await killAll();
  await rm(dir, { recursive: true, force: true });
});

const messages = (mailbox: string) => new FileMessageStore(dir).list({ mailbox, context: 'default' });

/** Starts a voicemail example on the simulator and places a call to `mailbox` once it is ready. */
async function voicemailCall(script: string, ready: RegExp, args: string[] = [], mailbox = '305') {
  const child = example(script, ['--store', dir, ...args], env);
  await child.line(ready);
  const call = await farEnd.call(mailbox).catch((error: Error) => {
    throw new Error(`${error.message}; ${script} printed:\n${child.lines.join('\n')}`);
  });
  const caller = new Caller(call, new CallEvents());
  return { child, caller, callId: caller.callId };
}

/** The tutorial has no greeting: the first thing the caller gets is the recording (after its beep). */
async function recordingAtOnce(caller: Caller): Promise<void> {
  const onLine = (e: { type: string; playback?: unknown; recording?: unknown }) =>
    (e.type === 'RecordingStarted' || e.type === 'PlaybackStarted') &&
    ((e.recording ?? e.playback) as { target_uri?: string } | undefined)?.target_uri === `channel:${caller.callId}`;
  // The beep is the library's own playback, queued before the take, so the take starts only once it has played.
  const first = await caller.call.waitFor(onLine, 30_000);
  expect(first.type, JSON.stringify(first)).toBe('PlaybackStarted');
  expect((first.playback as { media_uri?: string }).media_uri).toBe('sound:beep');
  const next = await caller.call.waitFor((e) => e.type === 'RecordingStarted' && onLine(e), 30_000);
  expect(next.type, JSON.stringify(next)).toBe('RecordingStarted');
}

async function endCall(child: Child, caller: Caller): Promise<void> {
  await child.line(new RegExp(`${caller.callId}: voicemail.finished`));
  await caller.call.hangup();
  expect(await child.interrupt()).toBe(0);
}

describe('the tutorial, stage by stage', () => {
  it(
    '1-record: recording at once; * 1 0 do nothing; # stops it and the message is saved at once (no review)',
    async () => {
      const { child, caller, callId } = await voicemailCall('examples/tutorial/1-record.ts', /stage 1 .*vm-record/);
      await recordingAtOnce(caller);
      await caller.call.dtmf('*10');
      await caller.speak(1.5);
      await caller.call.dtmf('#');
      const saved = await child.line(new RegExp(`${callId}: voicemail.saved 305@default`));
      const lines = child.lines.filter((l) => l.startsWith(`${callId}:`));
      expect(lines).toContain(`${callId}: recording.active -> recording.stopping on ChannelDtmfReceived(#)`);
      expect(lines).toContain(`${callId}: recording.stopping -> saving on RecordingFinished`);
      expect(lines.filter((l) => /greeting|reviewing|paused|discard/.test(l))).toEqual([]);
      const [message] = await messages('305');
      expect(saved).toContain(message?.id);
      expect(message).toMatchObject({ folder: 'INBOX', urgent: false });
      expect(message?.recordingName).toMatch(/-1$/);
      await endCall(child, caller);
      expect(child.lines).toContain(`${callId}: voicemail.finished SUCCESS`);
    },
    STEP,
  );

  it(
    '2-cancel: * deletes the take and records again; only the last take is kept',
    async () => {
      const { child, caller, callId } = await voicemailCall('examples/tutorial/2-cancel.ts', /stage 2 .*vm-record/);
      await recordingAtOnce(caller);
      await caller.speak(1);
      await caller.recordAfter(() => caller.call.dtmf('*'));
      await child.line(new RegExp(`${callId}: voicemail.discarded .*-1 \\(record\\)`));
      await caller.speak(1.5);
      await caller.call.dtmf('#');
      await child.line(new RegExp(`${callId}: voicemail.saved`));
      const list = await messages('305');
      expect(list.map((m) => m.recordingName)).toEqual([expect.stringMatching(/-2$/)]);
      const onAsterisk = await storedRecordings();
      expect(onAsterisk).toContain(list[0]?.recordingName);
      expect(onAsterisk).not.toContain(list[0]?.recordingName.replace(/-2$/, '-1'));
      await endCall(child, caller);
    },
    STEP,
  );

  it(
    '3-review: the message is played back; * deletes it and records again, # keeps the new one',
    async () => {
      const { child, caller, callId } = await voicemailCall('examples/tutorial/3-review.ts', /stage 3 .*vm-record/);
      await recordingAtOnce(caller);
      await caller.speak(1);
      await caller.stopAndReview();
      // Stage 3 has no urgent (4) and no copy (8) yet.
      await caller.call.dtmf('48');
      await caller.recordAfter(() => caller.call.dtmf('*'));
      await child.line(new RegExp(`${callId}: voicemail.discarded`));
      await caller.speak(1.5);
      await caller.stopAndReview();
      await caller.call.dtmf('#');
      await child.line(new RegExp(`${callId}: voicemail.saved`));
      expect(await messages('305')).toEqual([
        expect.objectContaining({ recordingName: expect.stringMatching(/-2$/), urgent: false }),
      ]);
      expect(child.lines.filter((l) => l.startsWith(`${callId}:`) && l.includes('copying'))).toEqual([]);
      await endCall(child, caller);
    },
    STEP,
  );

  it(
    '4-copy: 8, 320, # copies the message to 320; # keeps the original',
    async () => {
      const { child, caller, callId } = await voicemailCall('examples/tutorial/4-copy.ts', /stage 4 .*vm-record/);
      await recordingAtOnce(caller);
      await caller.speak(1.5);
      await caller.stopAndReview();
      const asked = caller.next(
        (e) =>
          e.type === 'PlaybackStarted' &&
          String((e.playback as { media_uri: string }).media_uri) === 'sound:vm-extension',
      );
      await caller.call.dtmf('8');
      await asked;
      await caller.call.dtmf('320#');
      await child.line(new RegExp(`${callId}: voicemail.copied 320@default`));
      await caller.call.dtmf('#');
      await child.line(new RegExp(`${callId}: voicemail.saved 305@default`));
      expect(await messages('305')).toHaveLength(1);
      expect(await messages('320')).toHaveLength(1);
      expect(await mailboxes()).toEqual(
        expect.arrayContaining([
          { name: '305@default', old_messages: 0, new_messages: 1 },
          { name: '320@default', old_messages: 0, new_messages: 1 },
        ]),
      );
      await endCall(child, caller);
    },
    STEP,
  );
});

describe('the applications', () => {
  it(
    'voicemail.ts: a message with review, one line per transition, MWI published',
    async () => {
      const { child, caller, callId } = await voicemailCall(
        'examples/voicemail.ts',
        /voicemail on Stasis app vm-record/,
        ['--mailboxes', '305'],
      );
      await caller.skipGreeting();
      await caller.speak(1.5);
      await caller.stopAndReview();
      await caller.call.dtmf('#');
      await child.line(/^voicemail.saved /);
      await child.line(/^voicemail.finished /);
      expect(child.lines).toContainEqual(
        expect.stringMatching(`^${callId}: reviewing\\.\\w+ -> saving on ChannelDtmfReceived\\(#\\)$`),
      );
      expect(await messages('305')).toHaveLength(1);
      expect(await mailboxes()).toContainEqual({ name: '305@default', old_messages: 0, new_messages: 1 });
      await caller.call.hangup();
      expect(await child.interrupt()).toBe(0);
    },
    STEP,
  );

  it(
    'voicemail.ts --live: the printed URL serves the live view, whose socket shows the call as it records',
    async () => {
      const { child, caller, callId } = await voicemailCall(
        'examples/voicemail.ts',
        /voicemail on Stasis app vm-record/,
        ['--mailboxes', '305', '--live', '--live-port', '0'],
      );
      const url = /live view: open (\S+) in a browser/.exec(child.lines.join('\n'))?.[1];
      expect(url, 'the live view URL line').toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{32}$/);
      const page = await fetch(url!.split('#')[0]!);
      expect(page.status).toBe(200);
      // The page carries its charts inline (nothing fetched from outside).
      expect((await page.text()).includes('id="charts"'), 'the charts inline in the page').toBe(true);
      const token = url!.split('#token=')[1]!;
      const ws = new WebSocket(`${url!.split('#')[0]!.replace('http:', 'ws:')}ws`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const updates: string[] = [];
      ws.on('message', (m) => updates.push(String(m)));
      await caller.skipGreeting();
      await caller.speak(1);
      await expect
        .poll(() => updates.some((u) => u.includes(callId) && u.includes('recording')), { timeout: 20_000 })
        .toBe(true);
      ws.close();
      await caller.stopAndReview();
      await caller.call.dtmf('#');
      await child.line(/^voicemail.finished /);
      await caller.call.hangup();
      expect(await child.interrupt()).toBe(0);
    },
    STEP,
  );

  it(
    'record-call.ts and recording-receiver.ts: the call is recorded and PUT to the receiver as wav',
    async () => {
      const received = join(dir, 'received');
      const receiver = example('examples/recording-receiver.ts', ['--port', '0', '--dir', received]);
      const url = /receiving recordings at (\S+)/.exec(await receiver.line(/receiving recordings at/))?.[1] ?? '';
      const recorder = example('examples/record-call.ts', ['--url', url, '--spool', join(dir, 'spool')], env);
      await recorder.line(/recording calls of rec-app/);
      const call = await farEnd.call('401');
      await call.tone(2);
      await call.hangup();
      const name = `call_recording_${call.calleeId}.wav`;
      await receiver.line(new RegExp(`stored ${name} \\(audio/wav`));
      await recorder.line(/recording.uploaded/);
      expect(await readdir(received)).toEqual([name]);
      const wav = parseWav(await readFile(join(received, name)));
      expect(wav.sampleRate).toBe(8000);
      // Two seconds of tone, on the simulator's real clock or a real Asterisk: the take starts only once the
      // recorder's record request is served, a few frames after the far end's tone (1.96 s measured on an idle real
      // Asterisk, 1.978 s on the simulator of a loaded machine): within 100 ms of the call's two seconds.
      expect(wav.durationSeconds).toBeGreaterThanOrEqual(1.9);
      expect(wav.durationSeconds).toBeLessThanOrEqual(2.5);
      expect(await recorder.interrupt()).toBe(0);
      expect(await receiver.interrupt()).toBe(0);
    },
    STEP,
  );

  it(
    'embed-ari-client.ts: the ari-client IVR answers, then the library takes the call and saves the message',
    async () => {
      const { child, caller, callId } = await voicemailCall(
        'examples/embed-ari-client.ts',
        /IVR on Stasis app vm-record/,
      );
      // The app's own welcome first (not voicemail's greeting), then the hand-over.
      await caller.call.waitFor(
        (e) => e.type === 'PlaybackFinished' && (e.playback as { media_uri: string }).media_uri === 'sound:hello-world',
        30_000,
      );
      await child.line(new RegExp(`${callId}: IVR done, handing over to voicemail for 305`));
      await caller.skipGreeting();
      await caller.speak(1.5);
      await caller.stopAndReview();
      await caller.call.dtmf('#');
      await child.line(new RegExp(`${callId}: voicemail.saved 305`));
      expect(await messages('305')).toHaveLength(1);
      await endCall(child, caller);
    },
    STEP,
  );

  ownSimulator(
    'inspect.ts: without --inspect it runs its three calls on its own simulator and exits',
    async () => {
      const child = example('examples/inspect.ts');
      expect(await child.exited).toBe(0);
      expect(child.lines).toContainEqual(expect.stringMatching(/^3 calls done; messages in /));
      expect(child.lines.filter((l) => l.startsWith('voicemail.saved'))).toHaveLength(3);
    },
    STEP,
  );

  ownSimulator(
    'inspect.ts --inspect: serves the inspector page on loopback until Ctrl-C',
    async () => {
      const child = example('examples/inspect.ts', ['--inspect', '--port', '0', '--calls', '1']);
      const page = /open (\S+) in a browser/.exec(await child.line(/inspector: open/))?.[1] ?? '';
      expect(page).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(page);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('stately.ai/inspect');
      await child.line(/Ctrl-C to stop/);
      expect(await child.interrupt(), child.lines.join('\n')).toBe(0);
    },
    STEP,
  );

  ownSimulator(
    'inspect.ts --inspect --inspector-url: embeds that inspector; the page is reached as localhost too; refusals said',
    async () => {
      const mine = 'http://127.0.0.1:21723/my-inspector';
      const child = example('examples/inspect.ts', [
        '--inspect',
        '--port',
        '21724',
        '--calls',
        '1',
        '--inspector-url',
        mine,
      ]);
      const page = /open (\S+) in a browser/.exec(await child.line(/inspector: open/))?.[1] ?? '';
      const port = /:(\d+)\/$/.exec(page)?.[1];
      const html = await (await fetch(`http://localhost:${port}/`)).text();
      expect(html).toContain(`<iframe id="inspector" src="${mine}"></iframe>`);
      expect(html).not.toContain('stately.ai/inspect');
      const socket = (origin: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://localhost:${port}/ui`, { origin });
          ws.on('open', () => {
            resolve(101);
            ws.close();
          });
          ws.on('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            ws.terminate();
          });
          ws.on('error', () => {});
        });
      expect(await socket(`http://localhost:${port}`)).toBe(101);
      expect(await socket(`http://127.0.0.1:${port}`)).toBe(101);
      expect(await socket('https://evil.example')).toBe(403);
      expect(await child.line(/^inspector relay: refused a connection to \/ui: /)).toContain(
        'not https://evil.example',
      );
      await child.line(/Ctrl-C to stop/);
      expect(await child.interrupt(), child.lines.join('\n')).toBe(0);
    },
    STEP,
  );

  it(
    '--inspector-url: the demo and inspect.ts list it, and refuse what is not an http(s) URL in one line',
    async () => {
      for (const script of ['examples/inspect.ts', 'examples/demo.ts']) {
        const help = example(script, ['--help']);
        expect(await help.exited).toBe(0);
        expect(help.lines).toContainEqual(expect.stringMatching(/^ {2}--inspector-url U {2}the inspector UI/));
        const bad = example(script, ['--inspect', '--port', '0', '--inspector-url', 'javascript:alert(1)']);
        expect(await bad.exited).toBe(1);
        expect(bad.lines.filter((l) => l.trim() !== '')).toEqual([
          `${script.slice('examples/'.length)}: --inspector-url: inspector URL: expected an http or https URL, got "javascript:alert(1)"`,
        ]);
      }
    },
    STEP,
  );
});

describe('npm run demo', () => {
  ownSimulator(
    'plays every session, prints the mailboxes and uploads, and exits 0 by itself',
    async () => {
      const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: { demo: string } };
      const [bin, ...args] = pkg.scripts.demo.split(' ');
      expect(bin).toBe('tsx');
      const child = run(process.execPath, ['--import', 'tsx', ...args]);
      expect(await child.exited).toBe(0);
      const out = child.lines.join('\n');
      expect(out).toContain('All sessions ended as scripted.');
      expect(out).toMatch(/305@default: 4 message\(s\)/);
      expect(out).toMatch(/320@default: 1 message\(s\)/);
      expect(out).toContain('305@default new=4 old=0, 320@default new=1 old=0');
      // The conversations last 3 s of real time; a loaded machine stretches them, never shortens them.
      for (const ext of ['wav', 'mp3']) {
        const m = new RegExp(`call_recording_\\S+\\.${ext} {2}\\d+ bytes {2}(\\d+\\.\\d\\d) s`).exec(out);
        expect(m, `no ${ext} upload line`).not.toBeNull();
        expect(Number(m?.[1])).toBeGreaterThanOrEqual(2.9);
      }
      // One line format for both machines, the calls named by caller and mailbox, no XState-internal names.
      expect(out).toMatch(/^2002→305 {3}voicemail {3}recording\.active -> discarding\.cancelling {2}on DTMF \*$/m);
      expect(out).toMatch(/^\S+→401 +recordCall {2}storing -> uploading\.sending {2}on storing done$/m);
      expect(out).not.toMatch(/xstate\./);
      expect(out).toContain('ARI_URL=http://localhost:8088');
      // The owner's side: four emails with their mp3, a message heard and deleted through the API.
      expect(out.match(/to owner-305@example\.com: \S+\.mp3 \(audio\/mpeg, \d+ bytes, [1-9]\.\d\d s\)/g)).toHaveLength(
        4,
      );
      // (The menu call's own transitions are printed between the two lines.)
      expect(out).toMatch(
        /heard \w+'s message \(\S+\) with its envelope\n(?:.*\n)*? {2}deleted from the menu: in the trash yes/,
      );
      expect(out).toMatch(/^305→398 +voicemailMain {2}message\.playing -> message\.deleting {2}on DTMF 7$/m);
      expect(out).toMatch(/DELETE …\/305\/messages\/\S+ -> 200, kept in the trash; MWI new=\d old=\d/);
    },
    120_000,
  );
});
