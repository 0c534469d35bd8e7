import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AppStarter, BenchApp } from '../../bench/clients/app.js';
import { startAriClientApp } from '../../bench/clients/ari-client-app.js';
import { startFloor } from '../../bench/clients/floor.js';
import { oursStarter } from '../../bench/clients/ours.js';
import * as library from '../../src/index.js';
import { apiDocsFor } from '../../src/simulator/api-docs.js';

// A scripted Asterisk for one voicemail call: it answers each request of the session and sends the events
// Asterisk would send in reply (missing media ends at once with `failed`; `#` comes once the recording started),
// and keeps the requests it got, so the three benchmark clients can be shown to do the very same session.

const APP = 'vm-record';
const CHANNEL_ID = 'callee-1';
const channel = {
  id: CHANNEL_ID,
  name: 'Local/305@bench-00000001;2',
  state: 'Up',
  protocol_id: '',
  caller: { name: '', number: '' },
  connected: { name: '', number: '' },
  accountcode: '',
  dialplan: { context: 'bench', exten: '305', priority: 2, app_name: 'Stasis', app_data: 'vm-record,s305' },
  creationtime: '2025-01-01T00:00:00.000+0000',
  language: 'en',
};

let server: Server;
let wss: WebSocketServer;
let url: string;
let socket: WebSocket | undefined;
let requests: string[];
// Requests are compared from the call's start on (the library looks for channels already in the app when it starts).
let started: boolean;
let app: BenchApp | undefined;
let ended: Promise<void>;
let endCall: () => void;

function send(type: string, fields: Record<string, unknown>): void {
  socket?.send(JSON.stringify({ type, application: APP, timestamp: '2025-01-01T00:00:00.000+0000', ...fields }));
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

// Answers first, then sends the events that follow, as Asterisk does.
function handle(req: IncomingMessage, res: ServerResponse) {
  const u = new URL(req.url ?? '/', 'http://x');
  const docs = apiDocsFor(u.pathname, `http://${req.headers.host}`);
  if (docs) return reply(res, 200, docs);
  const path = decodeURIComponent(u.pathname.replace(/^\/ari/, ''));
  const q = u.searchParams;
  // playWithId (id in the path) and play with a playbackId query parameter are the same request to Asterisk.
  const playbackId = /^\/channels\/[^/]+\/play\/(.+)$/.exec(path)?.[1] ?? q.get('playbackId');
  const route = `${req.method} ${path.replace(/\/play\/.+$/, '/play')}`;
  if (started) requests.push(route.replace(CHANNEL_ID, '{channel}'));
  if (route === `POST /channels/${CHANNEL_ID}/answer`) return reply(res, 204);
  if (route === `POST /channels/${CHANNEL_ID}/play`) {
    const playback = {
      id: playbackId,
      media_uri: q.get('media'),
      target_uri: `channel:${CHANNEL_ID}`,
      language: 'en',
      state: 'queued',
    };
    reply(res, 201, playback);
    send('PlaybackStarted', { playback: { ...playback, state: 'playing' } });
    return send('PlaybackFinished', { playback: { ...playback, state: 'failed' } });
  }
  if (route === `POST /channels/${CHANNEL_ID}/record`) {
    const recording = {
      name: q.get('name'),
      format: q.get('format'),
      state: 'queued',
      target_uri: `channel:${CHANNEL_ID}`,
    };
    reply(res, 201, recording);
    send('RecordingStarted', { recording: { ...recording, state: 'recording' } });
    return send('ChannelDtmfReceived', { digit: '#', duration_ms: 100, channel });
  }
  const stop = /^POST \/recordings\/live\/(.+)\/stop$/.exec(route);
  if (stop) {
    reply(res, 204);
    const recording = { name: stop[1], format: 'wav', state: 'done', target_uri: `channel:${CHANNEL_ID}`, duration: 3 };
    return send('RecordingFinished', { recording });
  }
  const stored = /^GET \/recordings\/stored\/(.+)$/.exec(route);
  if (stored) return reply(res, 200, { name: stored[1], format: 'wav' });
  if (route === 'PUT /mailboxes/305@default') return reply(res, 204);
  if (route === `POST /channels/${CHANNEL_ID}/variable`) return reply(res, 204);
  if (route === `DELETE /channels/${CHANNEL_ID}`) {
    reply(res, 204);
    send('ChannelHangupRequest', { cause: 16, channel });
    send('StasisEnd', { channel });
    return endCall();
  }
  reply(res, 404, { message: 'Resource not found' });
}

beforeEach(async () => {
  requests = [];
  started = false;
  ended = new Promise((resolve) => {
    endCall = resolve;
  });
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  wss = new WebSocketServer({ server, path: '/ari/events' });
  wss.on('connection', (ws) => {
    socket = ws;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  socket?.terminate();
  socket = undefined;
  wss.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// The session of bench/clients/app.ts, as the requests arrive.
const SESSION = [
  'POST /channels/{channel}/answer',
  'POST /channels/{channel}/play',
  'POST /channels/{channel}/record',
  expect.stringMatching(/^POST \/recordings\/live\/.+\/stop$/),
  expect.stringMatching(/^GET \/recordings\/stored\/.+$/),
  'PUT /mailboxes/305@default',
  'POST /channels/{channel}/play',
  'POST /channels/{channel}/variable',
  'DELETE /channels/{channel}',
];

// This library sounds the beep itself, as a playback queued before the take (Asterisk drops a stop or cancel sent
// while its own beep plays); the tutorial's clients leave the beep to the record request. One request more.
const OURS = [...SESSION.slice(0, 2), 'POST /channels/{channel}/play', ...SESSION.slice(2)];

const CLIENTS: [string, AppStarter, readonly unknown[]][] = [
  // The benchmark runs the compiled package; the sources are the same code.
  ['this library', oursStarter(library), OURS],
  ['ari-client 2.2.0', startAriClientApp, SESSION],
  ['the floor', startFloor, SESSION],
];

describe('benchmark clients', () => {
  it.each(CLIENTS)('%s runs the voicemail session with the same REST requests', async (_name, start, session) => {
    app = await start({ url, user: 'asterisk', password: 'asterisk', app: APP });
    started = true;
    send('StasisStart', { args: ['s305'], channel });
    await ended;
    // The channel has left Stasis; the client must count the call as complete and hold nothing for it.
    await expect.poll(() => app?.completed()).toBe(1);
    expect(app.active()).toBe(0);
    expect(requests).toEqual(session);
  });
});
