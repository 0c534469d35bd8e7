import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import ari, { type AriClient } from 'ari-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { apiDocsFor } from '../../src/simulator/api-docs.js';

// A stand-in ARI server: api-docs from apiDocsFor, a few REST answers, one WebSocket. It records what it receives
// so the test can check what ari-client actually sent.
interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

const CHANNEL = {
  id: 'chan-1',
  name: 'Local/305@default-00000001;2',
  state: 'Up',
  protocol_id: '',
  caller: { name: '', number: '' },
  connected: { name: '', number: '' },
  accountcode: '',
  dialplan: { context: 'default', exten: '305', priority: 2, app_name: 'Stasis', app_data: 'vm-record,305' },
  creationtime: '2025-01-01T00:00:00.000+0000',
  language: 'en',
};

let server: Server;
let wss: WebSocketServer;
let baseUrl: string;
let received: Received[];
let sockets: WebSocket[];
let client: AriClient | undefined;
let listening = false;

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://x');
  received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
  const send = (status: number, value?: unknown) => {
    res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
    res.end(value === undefined ? '' : JSON.stringify(value));
  };
  const docs = apiDocsFor(url.pathname, `http://${req.headers.host}`);
  if (docs) send(200, docs);
  else if (req.method === 'GET' && url.pathname === '/ari/channels') send(200, [CHANNEL]);
  else if (req.method === 'POST' && url.pathname === '/ari/channels/chan-1/answer') send(204);
  else if (req.method === 'POST' && url.pathname === '/ari/channels/chan-1/record') {
    send(201, {
      name: url.searchParams.get('name'),
      format: 'wav',
      state: 'queued',
      target_uri: 'channel:chan-1',
    });
  } else if (req.method === 'POST' && url.pathname === '/ari/recordings/live/vm%2Fgone/stop') {
    send(404, { message: 'Recording not found' });
  } else send(404, { message: 'Resource not found' });
}

beforeEach(async () => {
  received = [];
  sockets = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => answer(req, res, body));
  });
  wss = new WebSocketServer({ server, path: '/ari/events' });
  wss.on('connection', (socket, req) => {
    received.push({ method: 'WS', url: req.url ?? '', authorization: undefined, body: '' });
    sockets.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  if (listening) client?.stop();
  listening = false;
  client = undefined;
  for (const socket of sockets) socket.terminate();
  wss.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('apiDocsFor with ari-client 2.2.0', () => {
  it('lets ari-client load the API and list channels as Channel instances', async () => {
    client = await ari.connect(baseUrl, 'asterisk', 'secret');
    const channels = await client.channels.list();

    expect(channels).toHaveLength(1);
    expect(channels[0].id).toBe('chan-1');
    expect(channels[0].dialplan.exten).toBe('305');
    expect(typeof channels[0].answer).toBe('function');
    const docsFetched = received.filter((r) => r.url.startsWith('/ari/api-docs/')).map((r) => r.url);
    expect(docsFetched).toContain('/ari/api-docs/resources.json');
    expect(docsFetched).toContain('/ari/api-docs/channels.json');
    expect(docsFetched).toContain('/ari/api-docs/events.json');
    const list = received.find((r) => r.url === '/ari/channels');
    expect(list?.authorization).toBe(`Basic ${Buffer.from('asterisk:secret').toString('base64')}`);
  });

  it('sends instance operations with path and query parameters where Asterisk expects them', async () => {
    client = await ari.connect(baseUrl, 'asterisk', 'secret');
    const channel = client.Channel('chan-1');
    await channel.answer();
    const recording = client.LiveRecording('vm/305/msg 1');
    const live = await channel.record(
      { name: recording.id, format: 'wav', beep: true, ifExists: 'fail', maxSilenceSeconds: 5, terminateOn: '#' },
      recording,
    );

    expect(live.name).toBe('vm/305/msg 1');
    expect(typeof live.stop).toBe('function');
    expect(received.find((r) => r.url === '/ari/channels/chan-1/answer')?.method).toBe('POST');
    const record = received.find((r) => r.url.startsWith('/ari/channels/chan-1/record?'));
    const query = new URL(record?.url ?? '/', 'http://x').searchParams;
    expect(record?.method).toBe('POST');
    expect(Object.fromEntries(query)).toEqual({
      name: 'vm/305/msg 1',
      format: 'wav',
      beep: 'true',
      ifExists: 'fail',
      maxSilenceSeconds: '5',
      terminateOn: '#',
    });
  });

  it('percent-encodes path parameters and rejects on an ARI error answer', async () => {
    client = await ari.connect(baseUrl, 'asterisk', 'secret');
    await expect(client.recordings.stop({ recordingName: 'vm/gone' })).rejects.toThrow(/Recording not found/);
    expect(received.some((r) => r.method === 'POST' && r.url === '/ari/recordings/live/vm%2Fgone/stop')).toBe(true);
  });

  it('dispatches WebSocket events with their resources promoted to instances', async () => {
    client = await ari.connect(baseUrl, 'asterisk', 'secret');
    await client.start('vm-record');
    listening = true;
    const ws = received.find((r) => r.method === 'WS');
    expect(new URL(ws?.url ?? '/', 'http://x').searchParams.get('app')).toBe('vm-record');

    const started = once(client, 'StasisStart');
    const recordingFinished = once(client, 'RecordingFinished');
    const base = { application: 'vm-record', timestamp: '2025-01-01T00:00:00.000+0000' };
    sockets[0]?.send(JSON.stringify({ type: 'StasisStart', ...base, args: ['305'], channel: CHANNEL }));
    const recording = { name: 'vm/305/msg 1', format: 'wav', state: 'done', target_uri: 'channel:chan-1' };
    sockets[0]?.send(JSON.stringify({ type: 'RecordingFinished', ...base, recording }));

    const [event, channel] = await started;
    expect(event.args).toEqual(['305']);
    expect(channel.id).toBe('chan-1');
    expect(typeof channel.record).toBe('function');
    const [, live] = await recordingFinished;
    expect(live.name).toBe('vm/305/msg 1');
    expect(typeof live.stop).toBe('function');
  });
});
