// The alternative users pick today: the tutorial's voicemail written on ari-client 2.2.0, in its idiomatic
// style (resource instances, per-instance listeners, Playback/LiveRecording objects created before the request
// so their events can be listened to first). Same session as the other clients: see ./app.ts.

import ari, { type AriResource } from 'ari-client';
import { type AppStarter, BENCH_MAILBOX, GOODBYE_MEDIA, GREETING_MEDIA, recordingNameFor } from './app.js';

type Listener = (...args: unknown[]) => void;

export const startAriClientApp: AppStarter = async ({ url, user, password, app }) => {
  const client = await ari.connect(url, user, password);
  const active = new Set<string>();
  const mailboxName = `${BENCH_MAILBOX.mailbox}@${BENCH_MAILBOX.context}`;
  let messages = 0;
  let completed = 0;
  // A hung-up channel answers 404 to everything; that is the normal end of a call, not an error.
  const ignore = () => {};

  client.on('StasisStart', (_event: unknown, channel: AriResource) => {
    active.add(channel.id);
    const greeting = client.Playback(`greet-${channel.id}`);
    const goodbye = client.Playback(`bye-${channel.id}`);
    const recording = client.LiveRecording(recordingNameFor(channel.id));

    const onDtmf: Listener = (event) => {
      if ((event as { digit: string }).digit === '#') recording.stop().catch(ignore);
    };
    const onGreetingDone: Listener = () => {
      channel
        .record(
          {
            name: recording.name,
            format: 'wav',
            maxDurationSeconds: 0,
            maxSilenceSeconds: 0,
            ifExists: 'fail',
            beep: true,
            terminateOn: 'none',
          },
          recording,
        )
        .catch(ignore);
    };
    const onRecorded: Listener = () => {
      client.recordings
        .getStored({ recordingName: recording.name })
        .then(() => {
          messages++;
          client.mailboxes.update({ mailboxName, oldMessages: 0, newMessages: messages }).catch(ignore);
          return channel.play({ media: GOODBYE_MEDIA }, goodbye);
        })
        .catch(ignore);
    };
    const onGoodbyeDone: Listener = () => {
      channel
        .setChannelVar({ variable: 'VMSTATUS', value: 'SUCCESS' })
        .then(() => channel.hangup({ reason: 'normal' }))
        .catch(ignore);
    };
    const onEnd: Listener = () => {
      // Instance listeners live in the client until removed; without this every call would leak them.
      channel.removeListener('ChannelDtmfReceived', onDtmf);
      greeting.removeListener('PlaybackFinished', onGreetingDone);
      recording.removeListener('RecordingFinished', onRecorded);
      goodbye.removeListener('PlaybackFinished', onGoodbyeDone);
      active.delete(channel.id);
      completed++;
    };

    channel.on('ChannelDtmfReceived', onDtmf);
    channel.once('StasisEnd', onEnd);
    greeting.once('PlaybackFinished', onGreetingDone);
    recording.once('RecordingFinished', onRecorded);
    goodbye.once('PlaybackFinished', onGoodbyeDone);
    channel
      .answer()
      .then(() => channel.play({ media: GREETING_MEDIA }, greeting))
      .catch(ignore);
  });

  await client.start(app);
  return {
    active: () => active.size,
    completed: () => completed,
    close: async () => {
      client.stop();
    },
  };
};
