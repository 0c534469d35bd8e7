/**
 * ARI's voicemail tutorial ("ARI and Media", parts 1 and 2) on this library: every channel entering the Stasis app
 * `vm-record` with its mailbox as first argument (`Stasis(vm-record,${EXTEN})`, extension 3XX in the test
 * dialplan) leaves a message in that mailbox, and one line is printed per transition of its statechart.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk \
 *     npx tsx examples/voicemail.ts [--store ./voicemail] [--mailboxes 305,306,307] [--no-review]
 *
 * Greeting: `#` to the beep, `0` operator, `*` exit. Recording: `#` done, `*` again, `1` pause, `0` cancel and hang
 * up. Review: `#` keep, `*` record again, `2` listen, `4` urgent, `8` + mailbox + `#` copy.
 */
import { parseArgs } from 'node:util';
import {
  createAriClient,
  createStasisApp,
  createVoicemailCalls,
  FileMessageStore,
  InMemoryMailboxDirectory,
  publishMwi,
  voicemailTransitionLog,
} from 'ari-voicemail';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'voicemail' },
    mailboxes: { type: 'string', default: '305,306,307' },
    'no-review': { type: 'boolean', default: false },
    app: { type: 'string', default: 'vm-record' },
  },
});
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (ARI_URL, ARI_USERNAME, ARI_PASSWORD)`);
  return value;
};

const client = createAriClient({
  url: env('ARI_URL'),
  username: env('ARI_USERNAME'),
  password: env('ARI_PASSWORD'),
  apps: values.app,
});
const directory = new InMemoryMailboxDirectory(
  values.mailboxes.split(',').map((mailbox) => ({ mailbox: mailbox.trim() })),
);
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
});
await client.connect();
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
});
console.log(`voicemail on Stasis app ${values.app}, messages in ${values.store}/`);
