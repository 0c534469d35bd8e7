// The floor: the voicemail session hand-inlined on ws + JSON.parse + undici, no framework. Anything slower than
// this is overhead of the library in use.

import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { type AppStarter, BENCH_MAILBOX, GOODBYE_MEDIA, GREETING_MEDIA, recordingNameFor } from './app.js';

interface FloorCall {
  readonly channel: string;
  readonly recording: string;
  readonly greeting: string;
  readonly goodbye: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export const startFloor: AppStarter = async ({ url, user, password, app }) => {
  const origin = new URL(url).origin;
  const dispatcher = new Agent({ connections: 64 });
  const headers = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  const byChannel = new Map<string, FloorCall>();
  const byPlayback = new Map<string, FloorCall>();
  const byRecording = new Map<string, FloorCall>();
  const mailbox = encodeURIComponent(`${BENCH_MAILBOX.mailbox}@${BENCH_MAILBOX.context}`);
  let messages = 0;
  let completed = 0;

  const call = async (method: Method, path: string): Promise<number> => {
    const res = await request(`${origin}/ari${path}`, { method, headers, dispatcher });
    await res.body.dump();
    return res.statusCode;
  };
  // A hung-up channel answers 404 to everything; that is the normal end of a call, not an error.
  const fire = (method: Method, path: string): void => {
    call(method, path).catch(() => {});
  };
  const play = (c: FloorCall, playbackId: string, media: string) =>
    fire('POST', `/channels/${c.channel}/play/${playbackId}?media=${encodeURIComponent(media)}`);

  const onStart = async (channelId: string) => {
    const id = encodeURIComponent(channelId);
    const c: FloorCall = {
      channel: id,
      recording: recordingNameFor(channelId),
      greeting: `greet-${channelId}`,
      goodbye: `bye-${channelId}`,
    };
    byChannel.set(channelId, c);
    byPlayback.set(c.greeting, c);
    byRecording.set(c.recording, c);
    if ((await call('POST', `/channels/${id}/answer`)) >= 300) return;
    play(c, encodeURIComponent(c.greeting), GREETING_MEDIA);
  };
  const onRecorded = async (c: FloorCall) => {
    if ((await call('GET', `/recordings/stored/${encodeURIComponent(c.recording)}`)) >= 300) return;
    messages++;
    fire('PUT', `/mailboxes/${mailbox}?oldMessages=0&newMessages=${messages}`);
    byPlayback.set(c.goodbye, c);
    play(c, encodeURIComponent(c.goodbye), GOODBYE_MEDIA);
  };
  const onGoodbye = async (c: FloorCall) => {
    if ((await call('POST', `/channels/${c.channel}/variable?variable=VMSTATUS&value=SUCCESS`)) >= 300) return;
    fire('DELETE', `/channels/${c.channel}?reason=normal`);
  };

  const socket = new WebSocket(
    `${origin.replace(/^http/, 'ws')}/ari/events?app=${encodeURIComponent(app)}&api_key=${encodeURIComponent(`${user}:${password}`)}`,
  );
  socket.on('message', (data) => {
    const event = JSON.parse(data.toString());
    if (event.application !== app) return;
    switch (event.type) {
      case 'StasisStart':
        onStart(event.channel.id).catch(() => {});
        break;
      case 'PlaybackFinished': {
        const c = byPlayback.get(event.playback.id);
        if (!c) break;
        byPlayback.delete(event.playback.id);
        if (event.playback.id === c.greeting) {
          const query = `name=${encodeURIComponent(c.recording)}&format=wav&maxDurationSeconds=0&maxSilenceSeconds=0&ifExists=fail&beep=true&terminateOn=none`;
          fire('POST', `/channels/${c.channel}/record?${query}`);
        } else onGoodbye(c).catch(() => {});
        break;
      }
      case 'ChannelDtmfReceived': {
        const c = byChannel.get(event.channel.id);
        if (event.digit === '#' && c) fire('POST', `/recordings/live/${encodeURIComponent(c.recording)}/stop`);
        break;
      }
      case 'RecordingFinished': {
        const c = byRecording.get(event.recording.name);
        if (!c) break;
        byRecording.delete(event.recording.name);
        onRecorded(c).catch(() => {});
        break;
      }
      case 'StasisEnd': {
        const c = byChannel.get(event.channel.id);
        if (!c) break;
        byChannel.delete(event.channel.id);
        byPlayback.delete(c.greeting);
        byPlayback.delete(c.goodbye);
        byRecording.delete(c.recording);
        completed++;
        break;
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  return {
    active: () => byChannel.size,
    completed: () => completed,
    close: async () => {
      socket.close();
      await dispatcher.close();
    },
  };
};
