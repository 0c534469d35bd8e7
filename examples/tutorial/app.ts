/**
 * What every stage of the tutorial shares: connect to Asterisk (`ARI_URL`, `ARI_USERNAME`, `ARI_PASSWORD`), run the
 * library's voicemail on the Stasis app `vm-record` (the dialplan sends 3XX there: `Stasis(vm-record,${EXTEN})`),
 * print one line per transition and every voicemail event, stop on Ctrl-C. A stage only chooses options: the
 * tutorial has no greeting (the beep sounds at once) and only the keys of its stage.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk \
 *     npx tsx examples/tutorial/<stage>.ts [--store ./voicemail] [--mailboxes 305,320]
 */
import {
  createAriClient,
  createStasisApp,
  createVoicemailCalls,
  FileMessageStore,
  InMemoryMailboxDirectory,
  type VoicemailCallsOptions,
  voicemailTransitionLog,
} from 'ari-voicemail';
import { fail, parseCli, requiredEnv } from '../cli.js';

/** What makes a stage: no greeting, and the keys it has (the others switched off with `null`). */
export type StageCall = Pick<VoicemailCallsOptions, 'greeting' | 'keys'>;

/**
 * Runs one stage: the voicemail calls with these options and the stage's greeting and keys (directory and store
 * come from the command line).
 */
export async function runStage(
  stage: string,
  options: Omit<VoicemailCallsOptions, 'directory' | 'store' | 'keys'>,
  call: StageCall,
) {
  const values = parseCli(
    `
The voicemail tutorial, ${stage}.

  ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/tutorial/<stage>.ts [options]

  --store DIR        where messages are kept (default ./voicemail)
  --mailboxes LIST   comma-separated mailboxes (default 305,320)
  --app NAME         the Stasis app (default vm-record)
  --help             this text
`,
    {
      store: { type: 'string', default: 'voicemail' },
      mailboxes: { type: 'string', default: '305,320' },
      app: { type: 'string', default: 'vm-record' },
    },
  );
  const client = createAriClient({
    url: requiredEnv('ARI_URL'),
    username: requiredEnv('ARI_USERNAME'),
    password: requiredEnv('ARI_PASSWORD'),
    apps: values.app,
  });
  const voicemailCalls = createVoicemailCalls({
    ...options,
    ...call,
    directory: new InMemoryMailboxDirectory(values.mailboxes.split(',').map((m) => ({ mailbox: m.trim() }))),
    store: new FileMessageStore(values.store),
    onEvent: (event) => {
      const detail =
        event.type === 'voicemail.saved' || event.type === 'voicemail.copied'
          ? `${event.message.mailbox}@${event.message.context} ${event.message.id}`
          : event.type === 'voicemail.discarded'
            ? `${event.recordingName} (${event.reason})`
            : event.type === 'voicemail.finished'
              ? `${event.status}`
              : String(event.error);
      console.log(`${event.callId}: ${event.type} ${detail}`);
    },
  });
  const app = createStasisApp({
    client,
    app: values.app,
    createCall: voicemailCalls,
    inspect: voicemailTransitionLog((line) => console.log(line)),
  });
  await client.connect().catch(fail);
  await app.start();
  // Ctrl-C is handled before the app says it is ready: a signal in between would kill it outright.
  process.once('SIGINT', async () => {
    await app.stop();
    await client.close();
  });
  console.log(`${stage}: voicemail on Stasis app ${values.app}, messages in ${values.store}/`);
}
