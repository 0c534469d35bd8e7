/**
 * Embedding the voicemail runtime in an app already written on `ari-client` 2.2.0. The app keeps its own Stasis
 * app, WebSocket and call handling: here a small IVR answers, plays a welcome and then hands the call to this
 * library's voicemail for the mailbox the dialplan named (`Stasis(vm-record,305)`). The library gets a REST-only
 * client (no second WebSocket) and `subscribe: false`; the app feeds it events with `handle()`.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk \
 *     npx tsx examples/embed-ari-client.ts [--store ./voicemail] [--mailboxes 305,320] [--welcome sound:hello-world]
 *
 * Which events to forward: every event of the app once the runtime has a call, except `StasisStart` (a call starts
 * in the runtime only when the app calls `adopt`). The runtime routes each event by the ids its calls registered
 * (channel, playbacks, recordings) and ignores the rest, so the app need not know which belong to voicemail.
 */

import ari from 'ari-client';
import {
  type Channel,
  createAriClient,
  createStasisApp,
  createVoicemailCalls,
  FileMessageStore,
  InMemoryMailboxDirectory,
  type RoutableEvent,
  voicemailTransitionLog,
} from 'ari-voicemail';
import { fail, parseCli, requiredEnv } from './cli.js';

const values = parseCli(
  `
An IVR written on ari-client that hands calls over to this library's voicemail.

  ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/embed-ari-client.ts [options]

  --store DIR        where messages are kept (default ./voicemail)
  --mailboxes LIST   comma-separated mailboxes (default 305,320)
  --app NAME         the Stasis app (default vm-record)
  --welcome MEDIA    what the IVR plays first (default sound:hello-world)
  --help             this text
`,
  {
    store: { type: 'string', default: 'voicemail' },
    mailboxes: { type: 'string', default: '305,320' },
    app: { type: 'string', default: 'vm-record' },
    welcome: { type: 'string', default: 'sound:hello-world' },
  },
);
const [url, username, password] = [requiredEnv('ARI_URL'), requiredEnv('ARI_USERNAME'), requiredEnv('ARI_PASSWORD')];

// The existing app: ari-client, its own WebSocket for the Stasis app.
const legacy = await ari.connect(url, username, password).catch(fail);

// The library: REST only, fed by the existing app.
const rest = createAriClient({ url, username, password });
const voicemail = createStasisApp({
  client: rest,
  app: values.app,
  subscribe: false,
  createCall: createVoicemailCalls({
    directory: new InMemoryMailboxDirectory(values.mailboxes.split(',').map((m) => ({ mailbox: m.trim() }))),
    store: new FileMessageStore(values.store),
    onEvent: (event) =>
      console.log(
        `${event.callId}: ${event.type}${'message' in event ? ` ${event.message.mailbox} ${event.message.id}` : ''}`,
      ),
  }),
  inspect: voicemailTransitionLog((line) => console.log(line)),
});
await voicemail.start();

legacy.on('*', (event: { type: string }) => {
  if (event.type !== 'StasisStart') voicemail.handle(event as unknown as RoutableEvent);
});

// The app's own IVR step, in ari-client's style: answer, play a welcome, then hand over to voicemail.
legacy.on('StasisStart', (event: { channel: Channel; args: string[] }, channel) => {
  const welcome = legacy.Playback();
  welcome.once('PlaybackFinished', () => {
    console.log(`${channel.id}: IVR done, handing over to voicemail for ${event.args[0]}`);
    voicemail.adopt(event.channel, event.args);
  });
  channel
    .answer()
    .then(() => channel.play({ media: values.welcome }, welcome))
    .catch((error: Error) => console.warn(`${channel.id}: IVR failed: ${error.message}`));
});

await legacy.start(values.app);
// Ctrl-C is handled before the app says it is ready: a signal in between would kill it outright.
process.once('SIGINT', async () => {
  legacy.stop();
  await voicemail.stop();
  await rest.close();
});
console.log(`IVR on Stasis app ${values.app} (ari-client), voicemail on this library, messages in ${values.store}/`);
