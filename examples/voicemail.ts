/**
 * ARI's voicemail tutorial ("ARI and Media", parts 1 and 2) on this library: every channel entering the Stasis app
 * `vm-record` with its mailbox as first argument (`Stasis(vm-record,${EXTEN})`, extension 3XX in the test
 * dialplan) leaves a message in that mailbox, and one line is printed per transition of its statechart.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk \
 *     npx tsx examples/voicemail.ts [--store ./voicemail] [--mailboxes 305,306,307] [--no-review]
 *
 * Without ARI_URL it runs on the embedded ARI simulator (and says so); point a far end at the URL it prints.
 *
 * Greeting: `#` to the beep, `0` operator, `*` exit. Recording: `#` done, `*` again, `1` pause, `0` cancel and hang
 * up. Review: `#` keep, `*` record again, `2` listen, `4` urgent, `8` + mailbox + `#` copy.
 */
import {
  createAriClient,
  createStasisApp,
  createVoicemailCalls,
  FileMessageStore,
  InMemoryMailboxDirectory,
  publishMwi,
  voicemailTransitionLog,
} from 'ari-voicemail';
import { createSimulator, type Simulator } from 'ari-voicemail/simulator';
import { fail, LIVE_FLAGS, LIVE_USAGE, parseCli, requiredEnv, startLiveFromCli } from './cli.js';

const values = parseCli(
  `
Leave-a-message voicemail on the Stasis app vm-record (one line per statechart transition).

  ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/voicemail.ts [options]

Without ARI_URL it runs on the embedded ARI simulator (a free port on 127.0.0.1, user asterisk/asterisk).

  --store DIR        where messages are kept (default ./voicemail)
  --mailboxes LIST   comma-separated mailboxes (default 305,306,307)
  --app NAME         the Stasis app (default vm-record)
  --no-review        save at once, without playing the message back
${LIVE_USAGE}
  --help             this text
`,
  {
    store: { type: 'string', default: 'voicemail' },
    mailboxes: { type: 'string', default: '305,306,307' },
    'no-review': { type: 'boolean', default: false },
    app: { type: 'string', default: 'vm-record' },
    ...LIVE_FLAGS,
  },
);
const live = await startLiveFromCli(values);

// No ARI_URL: the embedded simulator stands in for Asterisk, so the example runs anywhere.
let sim: Simulator | undefined;
if (!process.env.ARI_URL) {
  sim = await createSimulator();
  console.log(`ARI_URL is not set: running on the embedded ARI simulator at ${sim.url} (user asterisk/asterisk)`);
}
const client = createAriClient({
  url: sim?.url ?? requiredEnv('ARI_URL'),
  username: sim?.username ?? requiredEnv('ARI_USERNAME'),
  password: sim?.password ?? requiredEnv('ARI_PASSWORD'),
  apps: values.app,
});
const directory = (() => {
  try {
    return new InMemoryMailboxDirectory(values.mailboxes.split(',').map((mailbox) => ({ mailbox: mailbox.trim() })));
  } catch (error) {
    return fail(error); // a malformed --mailboxes: one line naming it
  }
})();
const store = new FileMessageStore(values.store);
const app = createStasisApp({
  client,
  app: values.app,
  createCall: createVoicemailCalls({
    directory,
    store,
    review: !values['no-review'],
    onEvent: (event) =>
      console.log(event.type, 'message' in event ? event.message.id : '', 'error' in event ? event.error : ''),
  }),
  inspect: voicemailTransitionLog((line) => console.log(line)),
  ...(live ? { observers: [live] } : {}),
});
// A wrong ARI_URL, port or password ends here with one line naming the URL and the likely cause.
await client.connect().catch(fail);
await app.start();
// Message-waiting lamps start from what the store holds (needs res_mwi_external; a failure is only reported).
for (const box of await directory.list()) {
  await publishMwi(client, store, box).catch((error) =>
    console.warn(`MWI for ${box.mailbox}@${box.context}:`, error.message),
  );
}
// Ctrl-C is handled before the app says it is ready: a signal in between would kill it outright.
process.once('SIGINT', async () => {
  await app.stop();
  await client.close();
  await live?.close();
  await sim?.close();
});
console.log(`voicemail on Stasis app ${values.app}, messages in ${values.store}/`);
