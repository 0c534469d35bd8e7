import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AriClient, createAriClient } from '../../src/ari/client.js';
import {
  AriAbortError,
  AriHttpError,
  AriNetworkError,
  AriParamsError,
  AriProtocolError,
  AriTimeoutError,
} from '../../src/ari/errors.js';
import type { AriFileStream } from '../../src/ari/transport/http.js';
import { json, startServer, type TestServer } from './rest-helpers.js';
import { matchEntry, traceRestEntries } from './rest-traces.js';

type AnyOp = (params?: unknown, options?: unknown) => Promise<unknown>;
const invoke = (client: AriClient, resource: string, nickname: string, params: unknown, options?: unknown) =>
  (client as unknown as Record<string, Record<string, AnyOp>>)[resource]![nickname]!(params, options);

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

let server: TestServer;
let client: AriClient;

beforeEach(async () => {
  server = await startServer();
  client = createAriClient({ url: server.url, username: 'asterisk', password: 'asterisk' });
});

afterEach(async () => {
  vi.useRealTimers();
  await client.close();
  await server.close();
});

describe('replaying the real Asterisk traces', () => {
  const entries = traceRestEntries();

  it('covers the traces (every REST request of every scenario)', () => {
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.filter((e) => e.status >= 400).length).toBeGreaterThanOrEqual(20);
  });

  it('sends every trace request with the same method and percent-encoded path, and returns what Asterisk answered', async () => {
    const refusedBeforeSending: string[] = [];
    const unknown: string[] = [];
    for (const entry of entries) {
      const call = matchEntry(entry);
      if (!call) {
        unknown.push(entry.path);
        continue;
      }
      server.handler = (_req, res) => {
        const binary = typeof entry.response === 'string' && /^<(\d+) bytes (.+)>$/.exec(entry.response);
        if (binary) {
          res.writeHead(entry.status, { 'content-type': binary[2] }).end(Buffer.alloc(Number(binary[1]), 7));
        } else {
          json(res, entry.status, entry.response);
        }
      };
      const before = server.requests.length;
      const outcome = await invoke(client, call.op.resource, call.op.nickname, call.params).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome && outcome.error instanceof AriParamsError) {
        expect(server.requests.length, 'nothing is sent for invalid params').toBe(before);
        refusedBeforeSending.push(`${entry.path} (${outcome.error.param})`);
        continue;
      }
      const sent = server.requests.at(-1)!;
      expect(sent.method, entry.path).toBe(entry.method);
      expect(sent.url, entry.path).toBe(`/ari${call.expectedPath}`);
      if (entry.status >= 400) {
        expect('error' in outcome, entry.path).toBe(true);
        const error = (outcome as { error: AriHttpError }).error;
        expect(error).toBeInstanceOf(AriHttpError);
        expect(error.status).toBe(entry.status);
        expect(error.ariMessage).toBe((entry.response as { message: string }).message);
        expect(error.method).toBe(entry.method);
        expect(error.path).toBe(call.expectedPath);
      } else if (call.op.response === 'binary') {
        const stream = (outcome as { value: AriFileStream }).value;
        expect(stream.contentType).toBe('audio/wav');
        // Every byte Asterisk sent (the traces' files are 34,924 and 653 bytes).
        expect((await readAll(stream)).length).toBe(Number(/^<(\d+) bytes/.exec(String(entry.response))![1]));
      } else {
        expect(outcome, entry.path).toEqual({ value: entry.status === 204 ? undefined : entry.response });
      }
    }
    // Asterisk answered these with 500 "Error parsing request" and 400 "ifExists invalid"; the client refuses them.
    expect(refusedBeforeSending).toEqual([
      '/channels/1795298165.21/record?format=wav (name)',
      '/channels/1795298165.21/record?name=voicemail%2F305%2Fdup2&format=wav&ifExists=bogus (ifExists)',
    ]);
    expect(unknown).toEqual(['/no/such/resource']);
  });

  it('encodes recording names, query values and playlists exactly as the traces show', async () => {
    await client.channels.record({
      channelId: '1795298138.1',
      name: 'voicemail/305/INBOX/msg1',
      format: 'wav',
      beep: true,
      ifExists: 'overwrite',
    });
    await client.channels.originate({ endpoint: 'Local/305@default', app: 'caller', appArgs: 'far-end' });
    await client.channels.playWithId({
      channelId: '1795298152.13',
      playbackId: 'greet-1',
      media: ['sound:vm-theperson', 'digits:305', 'sound:vm-isunavail', 'sound:beep'],
    });
    await client.recording('voicemail/305/INBOX/msg5').copyTo('voicemail/320/INBOX/msg5');
    await client.mailboxes.update({ mailboxName: '320@default', oldMessages: 0, newMessages: 1 });
    await client.channels.sendDTMF({ channelId: '1795298152.12', dtmf: '#' });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /ari/channels/1795298138.1/record?name=voicemail%2F305%2FINBOX%2Fmsg1&format=wav&beep=true&ifExists=overwrite',
      'POST /ari/channels?endpoint=Local%2F305%40default&app=caller&appArgs=far-end',
      'POST /ari/channels/1795298152.13/play/greet-1?media=sound%3Avm-theperson%2Cdigits%3A305%2Csound%3Avm-isunavail%2Csound%3Abeep',
      'POST /ari/recordings/stored/voicemail%2F305%2FINBOX%2Fmsg5/copy?destinationRecordingName=voicemail%2F320%2FINBOX%2Fmsg5',
      'PUT /ari/mailboxes/320%40default?oldMessages=0&newMessages=1',
      'POST /ari/channels/1795298152.12/dtmf?dtmf=%23',
    ]);
  });
});

describe('requests', () => {
  it('authenticates with HTTP Basic and sends no body without body parameters', async () => {
    await client.channels.answer({ channelId: 'c1' });
    const [req] = server.requests;
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from('asterisk:asterisk').toString('base64')}`);
    expect(req!.headers['content-type']).toBeUndefined();
    expect(req!.body).toBe('');
  });

  it('sends containers parameters wrapped and the event filter as the whole JSON body', async () => {
    server.handler = (_req, res) => json(res, 200, {});
    await client.channels.originate({ endpoint: 'PJSIP/305', app: 'vm', variables: { CALLERID: '"A" <1>' } });
    await client.applications.filter({ applicationName: 'vm', filter: { allowed: [{ type: 'StasisStart' }] } });
    await client.asterisk.updateObject({
      configClass: 'res_pjsip',
      objectType: 'endpoint',
      id: '305',
      fields: [{ attribute: 'directmedia', value: 'false' }],
    });
    await client.events.userEvent({
      eventName: 'vm-left',
      application: 'vm',
      source: ['channel:c1', 'bridge:b1'],
      variables: { box: '305' },
    });
    const sent = server.requests.map((r) => ({
      url: r.url,
      type: r.headers['content-type'],
      body: JSON.parse(r.body),
    }));
    expect(sent).toEqual([
      {
        url: '/ari/channels?endpoint=PJSIP%2F305&app=vm',
        type: 'application/json',
        body: { variables: { CALLERID: '"A" <1>' } },
      },
      {
        url: '/ari/applications/vm/eventFilter',
        type: 'application/json',
        body: { allowed: [{ type: 'StasisStart' }] },
      },
      {
        url: '/ari/asterisk/config/dynamic/res_pjsip/endpoint/305',
        type: 'application/json',
        body: { fields: [{ attribute: 'directmedia', value: 'false' }] },
      },
      {
        url: '/ari/events/user/vm-left?application=vm&source=channel%3Ac1%2Cbridge%3Ab1',
        type: 'application/json',
        body: { variables: { box: '305' } },
      },
    ]);
  });

  it('sends every multi-value parameter as one comma-separated value', async () => {
    server.handler = (_req, res) => json(res, 200, {});
    await client.asterisk.getInfo({ only: ['build', 'status'] });
    await client.channels.getChannelVars({ channelId: 'c1', variables: ['A', 'B'] });
    await client.bridges.addChannel({ bridgeId: 'b1', channel: ['c1', 'c2'] });
    await client.applications.subscribe({ applicationName: 'vm', eventSource: ['channel:c1', 'endpoint:PJSIP/305'] });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/ari/asterisk/info?only=build%2Cstatus',
      '/ari/channels/c1/variables?variables=A%2CB',
      '/ari/bridges/b1/addChannel?channel=c1%2Cc2',
      '/ari/applications/vm/subscription?eventSource=channel%3Ac1%2Cendpoint%3APJSIP%2F305',
    ]);
  });

  it('refuses bad parameters with an AriParamsError naming them, before sending anything', async () => {
    const cases: [Promise<unknown>, string][] = [
      [invoke(client, 'channels', 'record', { channelId: 'c1', format: 'wav' }), 'name'],
      [invoke(client, 'channels', 'answer', {}), 'channelId'],
      [invoke(client, 'channels', 'answer', undefined), 'channelId'],
      [
        invoke(client, 'channels', 'record', { channelId: 'c1', name: 'x', format: 'wav', ifExists: 'bogus' }),
        'ifExists',
      ],
      [invoke(client, 'asterisk', 'getInfo', { only: ['build', 'nope'] }), 'only'],
      [invoke(client, 'channels', 'answer', { channelId: 'c1', chanelId: 'typo' }), 'chanelId'],
      [invoke(client, 'mailboxes', 'update', { mailboxName: '305', oldMessages: '1', newMessages: 0 }), 'oldMessages'],
      [invoke(client, 'mailboxes', 'update', { mailboxName: '305', oldMessages: 1.5, newMessages: 0 }), 'oldMessages'],
      [invoke(client, 'channels', 'record', { channelId: 'c1', name: 'x', format: 'wav', beep: 'yes' }), 'beep'],
      [invoke(client, 'channels', 'answer', { channelId: '' }), 'channelId'],
      [invoke(client, 'recordings', 'getStored', { recordingName: '..' }), 'recordingName'],
      [invoke(client, 'channels', 'answer', 'c1'), 'params'],
      [invoke(client, 'channels', 'originate', { endpoint: 'x', variables: 'A=1' }), 'variables'],
    ];
    for (const [promise, param] of cases) {
      const error = await promise.catch((e: unknown) => e);
      expect(error, param).toBeInstanceOf(AriParamsError);
      expect((error as AriParamsError).param).toBe(param);
    }
    expect(server.requests).toEqual([]);
  });

  it('resolves undefined for an empty 2xx answer and parses JSON results', async () => {
    server.handler = (req, res) => (req.url.endsWith('/ping') ? json(res, 200, { ping: 'pong' }) : json(res, 200));
    await expect(client.asterisk.ping()).resolves.toEqual({ ping: 'pong' });
    await expect(client.channels.list()).resolves.toBeUndefined();
  });

  it('accepts the url with /ari, a trailing slash, or a path prefix', async () => {
    for (const [url, path] of [
      [`${server.url}/ari/`, '/ari/asterisk/ping'],
      [`${server.url}/`, '/ari/asterisk/ping'],
      [`${server.url}/pbx1`, '/pbx1/ari/asterisk/ping'],
    ] as const) {
      const other = createAriClient({ url, username: 'u', password: 'p' });
      await other.asterisk.ping();
      await other.close();
      expect(server.requests.at(-1)!.url).toBe(path);
    }
  });
});

describe('errors', () => {
  it('uses the body text when an error answer is not JSON, and the status when it is empty', async () => {
    server.handler = (_req, res) => res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway!');
    const e1 = (await client.asterisk.ping().catch((e: unknown) => e)) as AriHttpError;
    expect([e1.status, e1.ariMessage, e1.body]).toEqual([502, 'Bad gateway!', 'Bad gateway!']);
    server.handler = (_req, res) => res.writeHead(503).end();
    const e2 = (await client.asterisk.ping().catch((e: unknown) => e)) as AriHttpError;
    expect([e2.status, e2.ariMessage, e2.body]).toEqual([503, 'HTTP 503', undefined]);
    server.handler = (_req, res) => json(res, 404, { message: 'Resource not found' });
    const e3 = (await client.asterisk.ping().catch((e: unknown) => e)) as AriHttpError;
    expect(e3.message).toBe('GET /asterisk/ping -> 404: Resource not found');
  });

  it('reads an answer that arrives in several chunks whole, for a result and for the error of a void operation', async () => {
    const chunked = (status: number, text: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      const parts = [text.slice(0, 5), text.slice(5, 12), text.slice(12)];
      const next = () => {
        const part = parts.shift();
        if (part === undefined) res.end();
        else res.write(part, () => setTimeout(next, 5));
      };
      next();
    };
    server.handler = chunked(200, JSON.stringify({ id: 'c1', name: 'PJSIP/305-0001', state: 'Up' }));
    await expect(client.channels.get({ channelId: 'c1' })).resolves.toMatchObject({ id: 'c1', state: 'Up' });
    server.handler = chunked(409, JSON.stringify({ message: 'Channel not in Stasis application' }));
    const error = (await client.channels.answer({ channelId: 'c1' }).catch((e: unknown) => e)) as AriHttpError;
    expect([error.status, error.ariMessage]).toEqual([409, 'Channel not in Stasis application']);
  });

  it('rejects a 2xx answer that is not JSON with an AriProtocolError', async () => {
    server.handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    await expect(client.asterisk.ping()).rejects.toBeInstanceOf(AriProtocolError);
  });

  it('times out (default 10 s) when the server accepts the request and never answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server.handler = () => {};
    const arrived = server.nextRequest();
    const result = client.channels.answer({ channelId: 'c1' }).catch((e: unknown) => e);
    await arrived;
    await vi.advanceTimersByTimeAsync(9_999);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await result) as AriTimeoutError;
    expect(error).toBeInstanceOf(AriTimeoutError);
    expect([error.timeoutMs, error.method, error.path]).toEqual([10_000, 'POST', '/channels/c1/answer']);
  });

  it('times out per call (options.timeoutMs) when the body stalls after the headers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
    };
    const arrived = server.nextRequest();
    const result = client.channels.get({ channelId: 'c1' }, { timeoutMs: 500 }).catch((e: unknown) => e);
    await arrived;
    await vi.advanceTimersByTimeAsync(500);
    const error = await result;
    expect(error).toBeInstanceOf(AriTimeoutError);
    expect((error as AriTimeoutError).timeoutMs).toBe(500);
  });

  it('aborts an in-flight request through options.signal and closes its connection', async () => {
    server.handler = () => {};
    const controller = new AbortController();
    const arrived = server.nextRequest();
    const result = client.recordings
      .stop({ recordingName: 'a/b' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await arrived;
    controller.abort(new Error('caller hung up'));
    const error = (await result) as AriAbortError;
    expect(error).toBeInstanceOf(AriAbortError);
    expect(error.path).toBe('/recordings/live/a%2Fb/stop');
    expect((error.cause as Error).message).toBe('caller hung up');
  });

  it('one signal over many requests: its abort fails those in flight only, and those after it at once', async () => {
    const pending: Array<() => void> = [];
    server.handler = (req, res) => {
      // The hang-up is answered at once; the others wait until the test lets them go.
      if (req.url?.endsWith('/c0/answer')) json(res, 204);
      else pending.push(() => json(res, 204));
    };
    const controller = new AbortController();
    const { signal } = controller;
    await client.channels.answer({ channelId: 'c0' }, { signal });
    const inFlight = [1, 2, 3].map((i) =>
      client.channels.answer({ channelId: `c${i}` }, { signal }).catch((e: unknown) => e),
    );
    while (pending.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    // Another request on its own signal is not touched by this one's abort.
    const other = client.channels.answer({ channelId: 'c9' }, { signal: new AbortController().signal });
    while (pending.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('the call ended'));
    const errors = (await Promise.all(inFlight)) as AriAbortError[];
    expect(errors.map((e) => [e instanceof AriAbortError, e.path, (e.cause as Error).message])).toEqual([
      [true, '/channels/c1/answer', 'the call ended'],
      [true, '/channels/c2/answer', 'the call ended'],
      [true, '/channels/c3/answer', 'the call ended'],
    ]);
    for (const answer of pending) answer();
    await expect(other).resolves.toBeUndefined();
    await expect(client.channels.answer({ channelId: 'c4' }, { signal })).rejects.toBeInstanceOf(AriAbortError);
  });

  it('rejects at once for an already aborted signal, sending nothing', async () => {
    await expect(client.channels.answer({ channelId: 'c1' }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AriAbortError,
    );
    expect(server.requests).toEqual([]);
  });

  it('gives AriNetworkError when nothing listens, or when the server drops the connection', async () => {
    const gone = await startServer();
    const url = gone.url;
    await gone.close();
    const lonely = createAriClient({ url, username: 'u', password: 'p' });
    const refused = await lonely.asterisk.ping().catch((e: unknown) => e);
    await lonely.close();
    expect(refused).toBeInstanceOf(AriNetworkError);
    expect((refused as AriNetworkError).message).toMatch(/ECONNREFUSED/);

    server.handler = (_req, res) => res.socket?.destroy();
    await expect(client.asterisk.ping()).rejects.toBeInstanceOf(AriNetworkError);
  });

  it('rejects calls after close()', async () => {
    await client.close();
    await expect(client.asterisk.ping()).rejects.toThrow(/closed/);
  });
});

describe('stored recording files', () => {
  it('streams the bytes with their content type and length, with backpressure', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(bytes.length) });
      res.end(bytes);
    };
    const stream = await client.recording('voicemail/305/INBOX/msg1').file();
    expect(server.requests[0]!.url).toBe('/ari/recordings/stored/voicemail%2F305%2FINBOX%2Fmsg1/file');
    expect([stream.contentType, stream.contentLength]).toEqual(['audio/wav', bytes.length]);
    expect((await readAll(stream)).equals(bytes)).toBe(true);
  });

  it('errors the stream with AriTimeoutError when the download stalls', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': '1000' });
      res.write(Buffer.alloc(10));
    };
    const stream = await client.recordings.getStoredFile({ recordingName: 'm1' }, { timeoutMs: 2_000 });
    const failed = new Promise<unknown>((resolve) => stream.on('error', resolve));
    stream.resume();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await failed).toBeInstanceOf(AriTimeoutError);
  });

  it('rejects with AriHttpError when the recording is missing', async () => {
    server.handler = (_req, res) => json(res, 404, { message: 'Recording not found' });
    const error = await client.recordings.getStoredFile({ recordingName: 'nosuch' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AriHttpError);
    expect((error as AriHttpError).ariMessage).toBe('Recording not found');
  });
});

describe('connections', () => {
  it('keeps connections alive and never opens more than `connections`', async () => {
    const pooled = createAriClient({ url: server.url, username: 'u', password: 'p', connections: 2 });
    let open = 0;
    let most = 0;
    server.handler = (_req, res) => {
      open++;
      most = Math.max(most, open);
      setImmediate(() => {
        open--;
        json(res, 200, { ping: 'pong' });
      });
    };
    await Promise.all(Array.from({ length: 20 }, () => pooled.asterisk.ping()));
    for (let i = 0; i < 5; i++) await pooled.asterisk.ping();
    await pooled.close();
    expect(server.requests.length).toBe(25);
    expect(most).toBeLessThanOrEqual(2);
    expect(server.connections).toBe(2);
  });
});
