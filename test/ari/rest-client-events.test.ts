import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createAriClient } from '../../src/ari/client.js';
import type { AriEvent } from '../../src/ari/events.js';
import type { ConnectionState } from '../../src/ari/transport/socket.js';

let wss: WebSocketServer | undefined;

afterEach(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  wss = undefined;
});

it('connects the event socket of the apps with the credentials and delivers events until close()', async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const { port } = wss.address() as AddressInfo;
  const upgrades: { url: string; authorization: string | undefined }[] = [];
  wss.on('connection', (ws, req) => {
    upgrades.push({ url: req.url ?? '', authorization: req.headers.authorization });
    ws.send(
      JSON.stringify({
        type: 'StasisStart',
        application: 'vm-record',
        timestamp: '2026-11-21T21:56:05.026+0000',
        args: ['305'],
        channel: { id: 'c1', name: 'Local/305@default-0000000a;2', state: 'Ring' },
      }),
    );
  });
  const client = createAriClient({
    url: `http://127.0.0.1:${port}/ari/`,
    username: 'asterisk',
    password: 'secret',
    apps: ['vm-record', 'rec-app'],
    reconnect: false,
    heartbeat: false,
  });
  const states: ConnectionState[] = [];
  client.onConnectionState((c) => states.push(c.state));
  const received = new Promise<AriEvent>((resolve) => client.onEvent(resolve));
  await client.connect();
  expect(client.connectionState).toBe('connected');
  const event = await received;
  expect(event).toMatchObject({ type: 'StasisStart', application: 'vm-record', args: ['305'] });
  expect(upgrades).toEqual([
    {
      url: '/ari/events?app=vm-record,rec-app',
      authorization: `Basic ${Buffer.from('asterisk:secret').toString('base64')}`,
    },
  ]);
  await client.close();
  expect(client.connectionState).toBe('closed');
  expect(states).toEqual(['connecting', 'connected', 'closed']);
  await expect(client.asterisk.ping()).rejects.toThrow(/closed/);
});
