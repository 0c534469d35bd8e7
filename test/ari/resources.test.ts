// The client's resources are built from the operation table in one place (src/ari/resources/build.ts): each has
// exactly the table's operations, keeps the generated types, and answers as the table says (JSON, nothing, a
// stream, an event socket).
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import type { Channel, LiveRecording } from '../../src/ari/models.js';
import {
  ARI_OPERATIONS,
  ARI_RESOURCES,
  type CallOptions,
  type ChannelsOriginateParams,
  type ChannelsRecordParams,
  type EventsEventWebsocketParams,
} from '../../src/ari/operations.js';
import type { AriFileStream } from '../../src/ari/transport/http.js';
import { EventSocket } from '../../src/ari/transport/socket.js';
import { json, startServer, type TestServer } from './rest-helpers.js';

describe('the resources of a client', () => {
  let server: TestServer;
  let client: AriClient;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url.startsWith('/ari/channels?')) return json(res, 200, { id: 'c1', name: 'Local/305@default-1;1' });
      if (req.url.endsWith('/file')) {
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': '4' }).end('RIFF');
        return;
      }
      json(res, 204);
    });
    client = createAriClient({ url: server.url, username: 'asterisk', password: 'asterisk' });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('have exactly the operations of the table, each its own function', () => {
    for (const resource of ARI_RESOURCES) {
      const api = client[resource] as unknown as Record<string, unknown>;
      const nicknames = ARI_OPERATIONS.filter((o) => o.resource === resource).map((o) => o.nickname);
      expect(Object.keys(api).sort(), resource).toEqual([...nicknames].sort());
      for (const name of nicknames) expect(typeof api[name], `${resource}.${name}`).toBe('function');
    }
    expect(client.channels.answer).not.toBe(client.channels.hangup);
  });

  it('keep the generated parameter and result types', () => {
    expectTypeOf(client.channels.originate).parameters.toEqualTypeOf<
      [params: ChannelsOriginateParams, options?: CallOptions]
    >();
    expectTypeOf(client.channels.originate).returns.toEqualTypeOf<Promise<Channel>>();
    expectTypeOf(client.channels.record).parameter(0).toEqualTypeOf<ChannelsRecordParams>();
    expectTypeOf(client.channels.record).returns.toEqualTypeOf<Promise<LiveRecording>>();
    expectTypeOf(client.channels.list).parameter(0).toEqualTypeOf<Record<string, never> | undefined>();
    expectTypeOf(client.recordings.getStoredFile).returns.toEqualTypeOf<Promise<AriFileStream>>();
    expectTypeOf(client.events.eventWebsocket).parameter(0).toEqualTypeOf<EventsEventWebsocketParams>();
    expectTypeOf(client.events.eventWebsocket).returns.toEqualTypeOf<EventSocket>();
  });

  it('answer as the table says: a model, nothing, a stream, an unconnected socket', async () => {
    const channel = await client.channels.originate({ endpoint: 'Local/305@default', app: 'caller' });
    expect(channel).toEqual({ id: 'c1', name: 'Local/305@default-1;1' });
    await expect(client.channels.answer({ channelId: 'c1' })).resolves.toBeUndefined();
    const file = await client.recordings.getStoredFile({ recordingName: 'voicemail/305/msg1' });
    expect(file.contentType).toBe('audio/wav');
    const chunks: Buffer[] = [];
    for await (const chunk of file) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('RIFF');
    expect(server.requests.at(-1)!.url).toBe('/ari/recordings/stored/voicemail%2F305%2Fmsg1/file');
    const socket = client.events.eventWebsocket({ app: 'vm-record' });
    expect(socket).toBeInstanceOf(EventSocket);
    expect(socket.state).toBe('idle');
    await socket.close();
  });
});
