/**
 * `npm run demo`: the whole library on this machine, with no Asterisk and no network. Starts the embedded ARI
 * simulator on loopback, the voicemail app (Stasis app `vm-record`, mailboxes 305 and 320) and the call recorder
 * (`rec-app`, uploading to a local receiver), then plays the ARI voicemail tutorial's sample sessions and two
 * recorded conversations with scripted callers. Prints one line per transition of every call, then the mailboxes
 * (messages and message-waiting counts as Asterisk holds them), the emails a local SMTP server on loopback received
 * for mailbox 305 (each with its mp3 and its duration), a message heard and deleted through the mailbox API, and the
 * uploaded files. Exits 1 if any session did
 * not end as scripted, so it doubles as a smoke test.
 *
 *   npm run demo [-- --inspect] [-- --live] [-- --keep]
 *
 * `--inspect` shows the calls live in the Stately inspector (see examples/inspect.ts) and waits for Ctrl-C at the
 * end; `--live` shows them in the library's own live view (`startLiveView`, offline) and waits likewise; `--keep` keeps the messages and files in `.vm-data/` instead of a temporary directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createAriClient,
  createMailboxApi,
  createNotifier,
  createRecordCallCalls,
  createStasisApp,
  createVoicemailCalls,
  createVoicemailMainCalls,
  FileMailboxSettings,
  FileMessageStore,
  FileMessageTrash,
  InMemoryMailboxDirectory,
  mp3Info,
  parseWav,
  setPin,
  startLiveView,
  transitionLog,
  Uploader,
} from 'ari-voicemail';
import type { RecordCallStatus } from 'ari-voicemail/machines';
import { createFarEnd, createSimulator, type FarEndCall, type FarEndEvent } from 'ari-voicemail/simulator';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AnyActorRef } from 'xstate';
import { parseCli } from './cli.js';
import { CallEvents, Caller, conversation, VOICEMAIL_SESSIONS } from './demo-callers.js';
import { cliInspectorUrl, startCliRelay } from './inspect.js';
import { startRecordingReceiver } from './recording-receiver.js';

const values = parseCli(
  `
The whole library on the embedded ARI simulator: voicemail and call recording sessions, then what they left.

  npm run demo [-- options]

  --inspect          show the calls live in the Stately inspector (waits for Ctrl-C at the end)
  --port N           the inspector relay's port (default 8787)
  --inspector-url U  the inspector UI the relay's page embeds (default https://stately.ai/inspect, needs internet)
  --live             show the calls live in the library's own page, no internet needed (waits for Ctrl-C at the end)
  --live-port N      the live view's port (default 8788)
  --keep             keep messages and files in .vm-data/ instead of a temporary directory
  --help             this text
`,
  {
    inspect: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    port: { type: 'string', default: '8787' },
    'inspector-url': { type: 'string' },
    live: { type: 'boolean', default: false },
    'live-port': { type: 'string', default: '8788' },
  },
);
// A wrong --inspector-url is said before anything starts.
cliInspectorUrl(values['inspector-url']);
const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
};
// A demo that hangs is a failed smoke test: give up loudly rather than wait forever.
const deadline = setTimeout(() => {
  console.error('demo: did not finish within 90 s');
  process.exit(1);
}, 90_000);
deadline.unref();

const dataDir = values.keep ? resolve('.vm-data') : await mkdtemp(join(tmpdir(), 'ari-voicemail-demo-'));
if (values.keep) await rm(dataDir, { recursive: true, force: true });
await mkdir(dataDir, { recursive: true });

const relay = values.inspect ? await startCliRelay(Number(values.port), values['inspector-url']) : undefined;
// Imported only when asked for: @statelyai/inspect is an optional peer dependency.
const inspector = relay ? (await import('@statelyai/inspect')).createWebSocketInspector({ url: relay.url }) : undefined;
const live = values.live
  ? await startLiveView({ port: Number(values['live-port']), token: randomBytes(16).toString('hex') })
  : undefined;
// Every call of both apps, one line per state change, in one format: `call  machine  from -> to  on event`.
const log = transitionLog((line) => console.log(line));
const observers = { observers: live ? [log, live] : [log] };
const sim = await createSimulator();
const client = createAriClient({
  url: sim.url,
  username: sim.username,
  password: sim.password,
  apps: ['vm-record', 'rec-app'],
});

// Voicemail: the library's application, one line per transition.
const store = new FileMessageStore(join(dataDir, 'voicemail'));
const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }, { mailbox: '320' }]);
const vmEvents = new CallEvents();
// Notifications: every message left for 305 is emailed (mp3 attached) through a local SMTP server on loopback, which
// prints what arrived.
const mails: string[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, done) {
    simpleParser(stream).then(
      (mail) => {
        const files = mail.attachments.map((a) => {
          const seconds = a.contentType === 'audio/mpeg' ? mp3Info(a.content).durationSeconds : 0;
          return `${a.filename} (${a.contentType}, ${a.size} bytes, ${seconds.toFixed(2)} s)`;
        });
        mails.push(
          `  "${mail.subject}" to ${mail.to && !Array.isArray(mail.to) ? mail.to.text : '?'}: ${files.join(', ')}`,
        );
        done();
      },
      (error) => done(error),
    );
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const notifier = createNotifier({
  store,
  directory,
  targets: (box) => (box.mailbox === '305' ? { email: { to: 'owner-305@example.com', format: 'mp3' } } : undefined),
  email: {
    transport: { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, secure: false, ignoreTLS: true },
    from: 'voicemail@example.com',
  },
  audio: (m) => client.recordings.getStoredFile({ recordingName: m.recordingName }),
  retry: { baseMs: 100 },
  onEvent: (e) => {
    if (e.type === 'notify.failed') problems.push(`the ${e.job.kind} of ${e.job.messageId} failed: ${e.job.lastError}`);
  },
});
// The owner's menu (VoiceMailMain) on extension 398 for mailbox 305 (as `Stasis(vm-record,398)` reaches the app,
// with the PIN 1234); deleted messages wait in the trash.
const trash = new FileMessageTrash(join(dataDir, 'trash'));
const settings = new FileMailboxSettings(join(dataDir, 'settings'));
await setPin(settings, { mailbox: '305', context: 'default' }, '1234');
const menu = createVoicemailMainCalls({ directory, store, settings, trash });
const deposit = createVoicemailCalls({
  directory,
  store,
  onEvent: (event) => {
    vmEvents.push(event);
    notifier.onEvent(event);
  },
});
const voicemail = createStasisApp({
  client,
  app: 'vm-record',
  // 398 is the menu; the rest leave messages (the deposit side's recovery stays with it).
  createCall: Object.assign(
    (start: Parameters<typeof deposit>[0], scope: Parameters<typeof deposit>[1]) =>
      start.args[0] === '398' ? menu({ ...start, args: ['305'] }, scope) : deposit(start, scope),
    { recover: deposit.recover },
  ),
  ...observers,
  ...(inspector ? { inspect: inspector.inspect } : {}),
});

// Call recording: A-legs (odd 4XX) record the conversation's bridge; 401 delivers wav, 403 mp3.
const receiver = await startRecordingReceiver({ dir: join(dataDir, 'received') });
const uploader = await Uploader.open({ spoolDir: join(dataDir, 'spool') });
const recorders = new Map<string, AnyActorRef>();
const recordStatuses: Array<RecordCallStatus & { callId: string }> = [];
const recorder = createStasisApp({
  client,
  app: 'rec-app',
  createCall: createRecordCallCalls({
    uploader,
    defaults: { url: receiver.url, action: 'stop' },
    configure: (start) => {
      const exten = Number(start.args[0]);
      if (exten % 2 === 0) return undefined; // B-legs: the A-leg's recorder has them
      return {
        format: exten === 401 ? 'wav' : 'mp3',
        target: { kind: 'bridge', id: `conversation-${start.channel.id}` },
      };
    },
  }),
  ...observers,
  ...(inspector ? { inspect: inspector.inspect } : {}),
  onCallEvent: (event) => {
    if (event.type !== 'call.started') return;
    recorders.set(event.callId, event.actor);
    event.actor.on('*', (status: RecordCallStatus) => recordStatuses.push({ ...status, callId: event.callId }));
  },
});
// The rest of a recording app: the dialplan only does Stasis(rec-app,4XX), so the app answers every party.
client.onEvent((event) => {
  if (event.type === 'StasisStart' && event.application === 'rec-app')
    void client.channels.answer({ channelId: event.channel.id }).catch(() => {});
});

const recorded = (callId: string, type: RecordCallStatus['type']) =>
  new Promise<void>((done) => {
    const poll = () =>
      recordStatuses.some((s) => s.callId === callId && s.type === type) ? done() : setTimeout(poll, 20);
    poll();
  });

await client.connect();
await notifier.start();
await voicemail.start();
await recorder.start();
const farEnd = await createFarEnd({ url: sim.url, username: sim.username, password: sim.password, timeoutMs: 30_000 });
if (relay) console.log(`inspector: open ${relay.pageUrl} in a browser on this machine`);
if (live) console.log(`live view: open ${live.url} in a browser on this machine`);
console.log(`ARI simulator at ${sim.url}; data in ${dataDir}\n`);

// Who the scripted callers are, as the mailboxes will show them.
const DEMO_CALLERS = ['"Alice" <2001>', '"Bob" <2002>', '"Carol" <2003>', '"Dave" <2004>'];
const sessions = VOICEMAIL_SESSIONS.map(async (session, i) => {
  const callerId = DEMO_CALLERS[i % DEMO_CALLERS.length];
  const caller = new Caller(await farEnd.call(session.mailbox, 'default', { callerId }), vmEvents);
  console.log(`call ${i + 1} (${caller.callId}) to ${session.mailbox}: ${session.title}`);
  await session.play(caller);
  await caller.call.hangup();
  return caller.callId;
});
const conversations = ['401', '403'].map((exten) =>
  conversation(farEnd, exten, async (a, b) => {
    const bridgeId = `conversation-${a.calleeId}`;
    console.log(
      `conversation ${exten} <-> ${Number(exten) + 1} (${a.calleeId}), recorded as ${exten === '401' ? 'wav' : 'mp3'}`,
    );
    await client.bridges.createWithId({ bridgeId, type: 'mixing' });
    await client.bridges.addChannel({ bridgeId, channel: [a.calleeId, b.calleeId] });
    recorders.get(a.calleeId)?.send({ type: 'recording.start' });
    await recorded(a.calleeId, 'recording.started');
  }).then(async ({ a }) => {
    await recorded(a.calleeId, 'recording.uploaded');
    await client.bridges.destroy({ bridgeId: `conversation-${a.calleeId}` }).catch(() => {});
    return a.calleeId;
  }),
);
const outcomes = await Promise.allSettled([...sessions, ...conversations]);
for (const outcome of outcomes) if (outcome.status === 'rejected') problems.push(String(outcome.reason));
await voicemail.idle();
await recorder.idle();
const callIds = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));

// What the sessions left behind.
console.log('\nMailboxes');
for (const box of ['305', '320']) {
  const messages = await store.list({ mailbox: box, context: 'default' });
  console.log(`  ${box}@default: ${messages.length} message(s)`);
  for (const m of messages) {
    const { name, number } = m.callerId;
    const caller = name && number ? `${name} <${number}>` : number || name || 'unknown caller';
    console.log(
      `    ${m.folder.padEnd(6)} ${String(m.durationSeconds ?? '?').padStart(3)} s  ${m.urgent ? 'urgent' : '      '}  ${caller}  ${m.id}`,
    );
  }
}
const mwi = await client.mailboxes.list();
console.log(
  `Message waiting (GET /mailboxes): ${mwi.map((m) => `${m.name} new=${m.new_messages} old=${m.old_messages}`).join(', ')}`,
);

const expected305 = VOICEMAIL_SESSIONS.filter((s) => s.mailbox === '305').length;
const expected320 = VOICEMAIL_SESSIONS.filter((s) => s.copies.includes('320')).length;
const inbox305 = await store.list({ mailbox: '305', context: 'default' });
const inbox320 = await store.list({ mailbox: '320', context: 'default' });
check(inbox305.length === expected305, `305 holds ${inbox305.length} messages, expected ${expected305}`);
check(inbox320.length === expected320, `320 holds ${inbox320.length} messages, expected ${expected320}`);
check(
  inbox305.filter((m) => m.urgent).length === VOICEMAIL_SESSIONS.filter((s) => s.urgent).length,
  'urgent messages in 305',
);
check(
  mwi.some((m) => m.name === '305@default' && m.new_messages === expected305) &&
    mwi.some((m) => m.name === '320@default' && m.new_messages === expected320),
  'message-waiting counts',
);
const discards = vmEvents.all.filter((e) => e.type === 'voicemail.discarded').length;
check(discards === VOICEMAIL_SESSIONS.reduce((n, s) => n + s.discards, 0), `${discards} takes deleted`);
const leftOnAsterisk = sim.storedRecordings().filter((r) => r.name.startsWith('voicemail/')).length;
check(leftOnAsterisk === expected305 + expected320, `${leftOnAsterisk} voicemail recordings on Asterisk`);

// The owner's side, out of band: the emails, then the mailbox API (hear the newest message, delete it).
await notifier.idle();
console.log('\nEmails received by the local SMTP server');
for (const line of mails) console.log(line);
check(mails.length === expected305, `${mails.length} emails, expected ${expected305} (one per message for 305)`);
check(
  mails.every((m) => /\.mp3 \(audio\/mpeg, \d+ bytes, \d+\.\d\d s\)/.test(m)),
  'every email carries its mp3',
);

// The owner calls in (398), gives the PIN, hears the first message and deletes it (7), then hangs up (#).
const hears = (call: FarEndCall, media: string, from: number): Promise<FarEndEvent> =>
  call.waitFor((e) => {
    const playback = e.playback as { target_uri?: string; media_uri?: string } | undefined;
    return (
      call.events.indexOf(e) >= from &&
      (e.type === 'PlaybackStarted' || e.type === 'PlaybackContinuing') &&
      playback?.target_uri === `channel:${call.calleeId}` &&
      String(playback.media_uri).startsWith(media)
    );
  }, 30_000);
const before = await store.list({ mailbox: '305', context: 'default' });
console.log('\nThe owner calls the menu (398), PIN 1234');
try {
  const owner = await farEnd.call('398', 'default', { callerId: '"Owner" <305>' });
  await hears(owner, 'sound:vm-password', 0);
  await owner.dtmf('1234#');
  await hears(owner, 'sound:vm-youhave', 0);
  let at = owner.events.length;
  await owner.dtmf('1');
  const playing = await hears(owner, 'recording:', at);
  const heardName = String((playing.playback as { media_uri?: string }).media_uri).slice('recording:'.length);
  const heard = before.find((m) => m.recordingName === heardName);
  console.log(`  heard ${heard?.callerId.name ?? '?'}'s message (${heard?.id}) with its envelope`);
  at = owner.events.length;
  await owner.dtmf('7');
  await hears(owner, 'sound:vm-deleted', at);
  at = owner.events.length;
  await owner.dtmf('#');
  await hears(owner, 'sound:vm-goodbye', at);
  await owner.hangup().catch(() => undefined);
  const inTrash = heard ? await trash.get(heard, heard.id) : undefined;
  const box = await client.mailboxes.get({ mailboxName: '305@default' });
  console.log(
    `  deleted from the menu: in the trash ${inTrash ? 'yes' : 'no'}; MWI new=${box.new_messages} old=${box.old_messages}`,
  );
  // After a delete the menu goes on to the next message, which is then heard (Old) too.
  check(
    inTrash !== undefined && box.new_messages + box.old_messages === expected305 - 1,
    'the menu hears and deletes a message',
  );
} catch (error) {
  check(false, `the menu session: ${(error as Error).message}`);
}

const API_TOKEN = 'demo-token-0123456789abcdef';
const api = await createMailboxApi({
  directory,
  store,
  trash,
  client,
  token: API_TOKEN,
  audio: (m) => client.recordings.getStoredFile({ recordingName: m.recordingName }),
}).listen(0);
const auth = { authorization: `Bearer ${API_TOKEN}` };
console.log(`\nMailbox API at ${api.url} (OpenAPI document at /openapi.json)`);
const listed = (await (await fetch(`${api.url}/mailboxes/305/messages?folder=INBOX`, { headers: auth })).json()) as {
  messages: Array<{ id: string }>;
};
const newest = listed.messages.at(-1);
if (newest) {
  const audio = await fetch(`${api.url}/mailboxes/305/messages/${newest.id}/audio?format=mp3`, { headers: auth });
  const heard = mp3Info(new Uint8Array(await audio.arrayBuffer())).durationSeconds;
  console.log(`  GET  …/305/messages/${newest.id}/audio?format=mp3 -> ${audio.status}, ${heard.toFixed(2)} s of mp3`);
  check(audio.status === 200 && heard > 0, 'the API serves the message as mp3');
  const read = await fetch(`${api.url}/mailboxes/305/messages/${newest.id}/read`, { method: 'POST', headers: auth });
  console.log(
    `  POST …/305/messages/${newest.id}/read -> ${read.status}, now in ${((await read.json()) as { message: { folder: string } }).message.folder}`,
  );
  const gone = await fetch(`${api.url}/mailboxes/305/messages/${newest.id}`, { method: 'DELETE', headers: auth });
  const { mwi: after } = (await gone.json()) as { mwi: { newMessages: number; oldMessages: number } };
  console.log(
    `  DELETE …/305/messages/${newest.id} -> ${gone.status}, kept in the trash; MWI new=${after.newMessages} old=${after.oldMessages}`,
  );
  check(
    gone.status === 200 && after.newMessages + after.oldMessages === expected305 - 2,
    'the API deletes and updates MWI',
  );
} else check(false, 'the API lists the messages of 305');
await api.close();

console.log('\nUploaded recordings');
const files = (await readdir(join(dataDir, 'received'))).sort();
for (const file of files) {
  const bytes = await readFile(join(dataDir, 'received', file));
  const seconds = file.endsWith('.mp3') ? mp3Info(bytes).durationSeconds : parseWav(bytes).durationSeconds;
  const { size } = await stat(join(dataDir, 'received', file));
  console.log(`  ${file}  ${size} bytes  ${seconds.toFixed(2)} s`);
  check(seconds >= 2.9, `${file} lasts ${seconds} s, expected the 3 s conversation`);
}
check(files.length === 2, `${files.length} files uploaded, expected 2 (wav and mp3)`);

const ended = voicemail.stats().ended + recorder.stats().ended;
console.log(`\n${callIds.length} scripted calls, ${ended} call actors ended.`);
async function shutdown(): Promise<void> {
  await notifier.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await voicemail.stop();
  await recorder.stop();
  await uploader.close();
  await farEnd.close();
  await client.close();
  await receiver.close();
  await sim.close();
  inspector?.stop();
  await relay?.close();
  await live?.close();
  if (!values.keep) await rm(dataDir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\nDEMO FAILED:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} else console.log('All sessions ended as scripted.');
console.log(
  `\nSame app on a real Asterisk (dialplan: exten => _3XX,1,Stasis(vm-record,\${EXTEN})):\n` +
    '  ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/voicemail.ts',
);
if (values.keep) console.log(`Messages and files kept in ${dataDir}`);
if (relay || live) {
  // Ctrl-C is handled before the app says it is ready: a signal in between would kill it outright.
  process.once('SIGINT', () => void shutdown());
  console.log(
    relay
      ? 'Ctrl-C to stop (the inspector page replays the calls when opened or reloaded)'
      : 'Ctrl-C to stop (the live view keeps the ended calls for ten minutes)',
  );
} else await shutdown();
