/**
 * Records every call that enters the Stasis app `rec-app` (extension 4XX in the test dialplan) and PUTs the file to
 * a receiver, as Kazoo's record_call does.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk \
 *     npx tsx examples/record-call.ts --url http://127.0.0.1:8090/ [--format mp3] [--time-limit 600] [--spool ./spool]
 *
 * The sample dialplan only does `Stasis(rec-app,4XX)`, so the example answers each channel; `--no-answer` leaves
 * that to the rest of your app (which bridges the parties of the conversation).
 *
 * Without `--url` the recordings stay on Asterisk. Files not yet accepted by the receiver wait in the spool
 * directory and are sent when the example starts again.
 */
import { createAriClient, createRecordCallCalls, createStasisApp, Uploader } from 'ari-voicemail';
import { fail, LIVE_FLAGS, LIVE_USAGE, parseCli, requiredEnv, startLiveFromCli } from './cli.js';

const values = parseCli(
  `
Records every call of the Stasis app rec-app and PUTs the file to a receiver.

  ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/record-call.ts [options]

  --url URL          where recordings are PUT (default: kept on Asterisk)
  --format wav|mp3   default wav
  --time-limit S     seconds (default 3600)
  --spool DIR        uploads not yet accepted (default ./spool)
  --app NAME         the Stasis app (default rec-app)
  --no-answer        leave answering the channel to the rest of your app
${LIVE_USAGE}
  --help             this text
`,
  {
    url: { type: 'string' },
    format: { type: 'string', default: 'wav' },
    'time-limit': { type: 'string', default: '3600' },
    spool: { type: 'string', default: 'spool' },
    app: { type: 'string', default: 'rec-app' },
    'no-answer': { type: 'boolean', default: false },
    ...LIVE_FLAGS,
  },
);
const format = values.format;
if (format !== 'wav' && format !== 'mp3') fail(`--format must be wav or mp3, got ${format}`);

const client = createAriClient({
  url: requiredEnv('ARI_URL'),
  username: requiredEnv('ARI_USERNAME'),
  password: requiredEnv('ARI_PASSWORD'),
  apps: values.app,
});
const live = await startLiveFromCli(values);
const uploader = await Uploader.open({ spoolDir: values.spool, logger: console });
uploader.subscribe((event) => console.log('upload', event));
const app = createStasisApp({
  client,
  app: values.app,
  logger: console,
  ...(live ? { observers: [live] } : {}),
  createCall: createRecordCallCalls({
    uploader,
    defaults: { format, timeLimitSeconds: Number(values['time-limit']), ...(values.url ? { url: values.url } : {}) },
    // The dialled extension, for urls like http://host/{EXTEN}/.
    configure: (start) => ({ metadata: { EXTEN: start.args[0] ?? '' } }),
  }),
  onCallEvent: (event) => {
    if (event.type !== 'call.started') return console.log(event);
    for (const type of ['recording.started', 'recording.stopped', 'recording.uploaded', 'recording.failed']) {
      event.actor.on(type, (status: unknown) => console.log(event.callId, status));
    }
  },
});
if (!values['no-answer']) {
  client.onEvent((event) => {
    if (event.type === 'StasisStart' && event.application === values.app)
      void client.channels.answer({ channelId: event.channel.id }).catch(() => {});
  });
}
await client.connect().catch(fail);
await app.start();
// Ctrl-C is handled before the app says it is ready: a signal in between would kill it outright.
process.once('SIGINT', async () => {
  await app.stop();
  await uploader.close();
  await client.close();
  await live?.close();
});
console.log(`recording calls of ${values.app}${values.url ? ` to ${values.url}` : ''}`);
