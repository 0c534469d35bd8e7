// The mailbox HTTP API with real requests on loopback, every answer checked against its OpenAPI document (the
// status is documented for the operation, the JSON body has the documented shape), every documented operation and
// status reached; message-waiting counts read back from the ARI simulator.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AriClient,
  createAriClient,
  createMailboxApi,
  encodeWav,
  FileMailboxSettings,
  FileMessageStore,
  FileMessageTrash,
  InMemoryMailboxDirectory,
  MAILBOX_OPENAPI,
  type MailboxApi,
  mp3Info,
  parseWav,
  type VoicemailMessage,
} from '../../src/index.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

const TOKEN = 'test-token-0123456789abcdef';
let dir: string;
let sim: Simulator;
let client: AriClient;
let store: FileMessageStore;
let trash: FileMessageTrash;
let api: MailboxApi;
let bare: MailboxApi;
let url: string;
let bareUrl: string;
let closers: Array<() => Promise<void>> = [];
let wav: Uint8Array;
const saved: string[] = [];

const message = (id: string, extra: Partial<VoicemailMessage> = {}): VoicemailMessage => ({
  id,
  mailbox: '305',
  context: 'default',
  folder: 'INBOX',
  callerId: { number: '5551234', name: 'Alice' },
  receivedAt: `2026-03-04T10:00:0${saved.push(id) % 10}Z`,
  durationSeconds: 3,
  urgent: false,
  recordingName: `voicemail/default/305/${id}`,
  format: 'wav',
  ...extra,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vm-api-'));
  const samples = new Int16Array(24000).map((_, i) => Math.round(6000 * Math.sin(i / 3)));
  wav = encodeWav(samples, 8000);
  await writeFile(join(dir, 'take.wav'), wav);
  sim = await createSimulator();
  client = createAriClient({ url: sim.url, username: sim.username, password: sim.password, apps: ['api-test'] });
  store = new FileMessageStore(join(dir, 'store'));
  trash = new FileMessageTrash(join(dir, 'trash'));
  for (const m of [message('m1'), message('m2', { folder: 'Urgent', urgent: true }), message('m3'), message('m4')])
    await store.save(m);
  const directory = new InMemoryMailboxDirectory([{ mailbox: '305' }]);
  api = createMailboxApi({
    directory,
    store,
    trash,
    settings: new FileMailboxSettings(join(dir, 'settings')),
    client,
    token: TOKEN,
    audio: async (m) => {
      if (m.id === 'm4') throw new Error(`disk error at ${dir}/secret`);
      return readFile(join(dir, 'take.wav'));
    },
    saveGreeting: async (address, kind, bytes) => {
      await writeFile(join(dir, `greeting-${kind}.wav`), bytes);
      return `voicemail/${address.context}/${address.mailbox}/greet-${kind}`;
    },
    maxUploadBytes: 100_000,
    onError: () => {},
  });
  bare = createMailboxApi({ directory, store, authorize: (req) => req.headers['x-app-session'] === 'ok' });
  const a = await api.listen(0);
  const b = await bare.listen(0);
  url = a.url;
  bareUrl = b.url;
  closers = [a.close, b.close];
});

afterAll(async () => {
  for (const close of closers) await close();
  await client.close?.();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: a JSON schema walked by hand
type Schema = any;
const covered = new Set<string>();

/** Checks a value against the subset of JSON Schema the document uses; returns the problems found. */
function check(schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) return check(resolve(schema.$ref), value, at);
  if (schema.oneOf) {
    const matches = schema.oneOf.filter((s: Schema) => check(s, value, at).length === 0).length;
    return matches === 1 ? [] : [`${at}: matches ${matches} of oneOf`];
  }
  const problems: string[] = [];
  if (schema.type) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual =
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'array'
          : Number.isInteger(value) && types.includes('integer')
            ? 'integer'
            : typeof value;
    if (!types.includes(actual)) return [`${at}: ${actual}, expected ${types.join('|')}`];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${String(value)} not in enum`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${at}.${key}: missing`);
    for (const [key, sub] of Object.entries(schema.properties ?? {}))
      if (key in value) problems.push(...check(sub, (value as Record<string, unknown>)[key], `${at}.${key}`));
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) => {
      problems.push(...check(schema.items, item, `${at}[${i}]`));
    });
  return problems;
}
const resolve = (ref: string): Schema =>
  ref
    .slice(2)
    .split('/')
    .reduce((node: Schema, key) => node[key], MAILBOX_OPENAPI);

interface Answer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers
  json: any;
}

/** One real request, its answer checked against the document's operation `method template`. */
async function call(
  method: string,
  template: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Uint8Array; auth?: boolean; base?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== false) headers.authorization = `Bearer ${TOKEN}`;
  const response = await fetch(`${init.base ?? url}${path}`, { method, headers, body: init.body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const json = type.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  const operation = (MAILBOX_OPENAPI.paths as Schema)[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is in the document`).toBeDefined();
  const documented = operation.responses[String(response.status)];
  expect(
    documented,
    `${method} ${template} documents ${response.status} (${bytes.toString('utf8').slice(0, 200)})`,
  ).toBeDefined();
  const mediaType = type.split(';')[0]!;
  expect(Object.keys(documented.content ?? {}), `${method} ${template} ${response.status} content type`).toContain(
    mediaType,
  );
  if (json !== undefined) expect(check(documented.content[mediaType].schema, json)).toEqual([]);
  covered.add(`${method} ${template} ${response.status}`);
  return { status: response.status, headers: response.headers, bytes, json };
}

const mwiOf = async () => {
  const box = await client.mailboxes.get({ mailboxName: '305@default' });
  return { newMessages: box.new_messages, oldMessages: box.old_messages };
};

const M = '/mailboxes/{mailbox}';
const scoped: Array<[string, string, string]> = [
  ['GET', `${M}/messages`, '/messages'],
  ['GET', `${M}/messages/{id}`, '/messages/m1'],
  ['DELETE', `${M}/messages/{id}`, '/messages/m1'],
  ['GET', `${M}/messages/{id}/audio`, '/messages/m1/audio'],
  ['POST', `${M}/messages/{id}/move`, '/messages/m1/move'],
  ['POST', `${M}/messages/{id}/read`, '/messages/m1/read'],
  ['GET', `${M}/greetings`, '/greetings'],
  ['PUT', `${M}/greetings/{kind}`, '/greetings/busy'],
  ['DELETE', `${M}/greetings/{kind}`, '/greetings/busy'],
];

describe('mailbox API against its OpenAPI document', () => {
  it('serves its document, and its routes are exactly the documented operations', async () => {
    const doc = await call('GET', '/openapi.json', '/openapi.json', { auth: false });
    expect(doc.json).toEqual(JSON.parse(JSON.stringify(MAILBOX_OPENAPI)));
    const documented = Object.entries(MAILBOX_OPENAPI.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(api.routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
    const committed = JSON.parse(await readFile(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(committed, 'docs/openapi.json is the served document (npm run openapi)').toEqual(doc.json);
  });

  it('refuses without the token, a malformed mailbox, an unknown mailbox: JSON errors on every route', async () => {
    for (const [method, template, tail] of scoped) {
      const noAuth = await call(method, template, `/mailboxes/305${tail}`, { auth: false });
      expect(noAuth.status).toBe(401);
      expect(noAuth.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await call(method, template, `/mailboxes/30%205${tail}`)).status).toBe(400);
      const unknown = await call(method, template, `/mailboxes/999${tail}`);
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.message).toBe('no mailbox 999@default');
    }
    const wrongToken = await call('GET', `${M}/messages`, '/mailboxes/305/messages', {
      auth: false,
      headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
    });
    expect(wrongToken.status).toBe(401);
  });

  it('lists by folder and gets one message', async () => {
    const all = await call('GET', `${M}/messages`, '/mailboxes/305@default/messages');
    expect(all.status).toBe(200);
    expect(all.json.messages.map((m: VoicemailMessage) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(all.json.counts).toMatchObject({ INBOX: 3, Urgent: 1, Old: 0 });
    const urgent = await call('GET', `${M}/messages`, '/mailboxes/305/messages?folder=Urgent');
    expect(urgent.json.messages.map((m: VoicemailMessage) => m.id)).toEqual(['m2']);
    const badFolder = await call('GET', `${M}/messages`, '/mailboxes/305/messages?folder=Spam');
    expect(badFolder.status).toBe(400);
    expect(badFolder.json.error.message).toMatch(/folder must be one of INBOX/);
    const one = await call('GET', `${M}/messages/{id}`, '/mailboxes/305/messages/m1');
    expect(one.json.message).toMatchObject({ id: 'm1', folder: 'INBOX', callerId: { name: 'Alice' } });
    expect((await call('GET', `${M}/messages/{id}`, '/mailboxes/305/messages/nope')).status).toBe(404);
    expect((await call('GET', `${M}/messages/{id}`, '/mailboxes/305/messages/bad%24id')).status).toBe(400);
  });

  it('serves the audio as wav or mp3, whole or a range; a failure is a bare 500', async () => {
    const A = `${M}/messages/{id}/audio`;
    const whole = await call('GET', A, '/mailboxes/305/messages/m1/audio');
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(parseWav(whole.bytes).durationSeconds).toBe(3);
    const mp3 = await call('GET', A, '/mailboxes/305/messages/m1/audio?format=mp3');
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    expect(mp3Info(mp3.bytes).durationSeconds).toBeCloseTo(3, 0);
    const head = await call('GET', A, '/mailboxes/305/messages/m1/audio', { headers: { range: 'bytes=0-43' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-43/${wav.length}`);
    expect(head.bytes).toEqual(Buffer.from(wav.subarray(0, 44)));
    const tail = await call('GET', A, '/mailboxes/305/messages/m1/audio', { headers: { range: 'bytes=-10' } });
    expect(tail.bytes).toEqual(Buffer.from(wav.subarray(wav.length - 10)));
    const outside = await call('GET', A, '/mailboxes/305/messages/m1/audio', { headers: { range: 'bytes=999999-' } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${wav.length}`);
    expect((await call('GET', A, '/mailboxes/305/messages/m1/audio?format=ogg')).status).toBe(400);
    const none = await call('GET', A, '/mailboxes/305/messages/m1/audio', {
      base: bareUrl,
      auth: false,
      headers: { 'x-app-session': 'ok' },
    });
    expect(none.status).toBe(501);
    // An unexpected failure says nothing of where or why.
    const broken = await fetch(`${url}/mailboxes/305/messages/m4/audio`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(broken.status).toBe(500);
    expect(await broken.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
  });

  it('moves, marks read and deletes, each updating the message-waiting counts', async () => {
    const move = await call('POST', `${M}/messages/{id}/move`, '/mailboxes/305/messages/m3/move', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ folder: 'Work' }),
    });
    expect(move.json.message.folder).toBe('Work');
    expect(move.json.mwi).toEqual({ newMessages: 3, oldMessages: 0 });
    expect(await mwiOf()).toEqual({ newMessages: 3, oldMessages: 0 });
    const notJson = await call('POST', `${M}/messages/{id}/move`, '/mailboxes/305/messages/m3/move', {
      body: 'folder=Old',
    });
    expect(notJson.status).toBe(415);
    for (const body of ['{', '[]', JSON.stringify({ folder: 'Trash' })]) {
      const bad = await call('POST', `${M}/messages/{id}/move`, '/mailboxes/305/messages/m3/move', {
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(bad.status).toBe(400);
    }
    const read = await call('POST', `${M}/messages/{id}/read`, '/mailboxes/305/messages/m2/read');
    expect(read.json.message.folder).toBe('Old');
    expect(await mwiOf()).toEqual({ newMessages: 2, oldMessages: 1 });
    const deleted = await call('DELETE', `${M}/messages/{id}`, '/mailboxes/305/messages/m1');
    expect(deleted.json.deleted).toMatchObject({ id: 'm1', kept: true });
    expect(deleted.json.mwi).toEqual({ newMessages: 1, oldMessages: 1 });
    expect(await mwiOf()).toEqual({ newMessages: 1, oldMessages: 1 });
    expect((await trash.get({ mailbox: '305', context: 'default' }, 'm1'))?.id).toBe('m1');
    expect((await call('GET', `${M}/messages/{id}`, '/mailboxes/305/messages/m1')).status).toBe(404);
    expect((await call('DELETE', `${M}/messages/{id}`, '/mailboxes/305/messages/m1')).status).toBe(404);
    expect((await call('POST', `${M}/messages/{id}/read`, '/mailboxes/305/messages/m1/read')).status).toBe(404);
  });

  it('uploads, lists and removes greetings; refuses what is not a mono WAV', async () => {
    const G = `${M}/greetings/{kind}`;
    const put = await call('PUT', G, '/mailboxes/305/greetings/busy', {
      headers: { 'content-type': 'audio/wav' },
      body: wav,
    });
    expect(put.json.greetings).toEqual({
      unavailable: null,
      busy: 'voicemail/default/305/greet-busy',
      name: null,
      temporary: null,
    });
    expect(await readFile(join(dir, 'greeting-busy.wav'))).toEqual(Buffer.from(wav));
    const list = await call('GET', `${M}/greetings`, '/mailboxes/305/greetings');
    expect(list.json.greetings.busy).toBe('voicemail/default/305/greet-busy');
    expect(
      (await call('PUT', G, '/mailboxes/305/greetings/busy', { headers: { 'content-type': 'text/plain' }, body: 'hi' }))
        .status,
    ).toBe(415);
    const notWav = await call('PUT', G, '/mailboxes/305/greetings/busy', {
      headers: { 'content-type': 'audio/wav' },
      body: 'RIFF not really',
    });
    expect(notWav.status).toBe(400);
    expect(notWav.json.error.message).toMatch(/not a usable WAV file/);
    const big = await call('PUT', G, '/mailboxes/305/greetings/busy', {
      headers: { 'content-type': 'audio/wav' },
      body: new Uint8Array(150_000),
    });
    expect(big.status).toBe(413);
    expect(
      (await call('PUT', G, '/mailboxes/305/greetings/loud', { headers: { 'content-type': 'audio/wav' }, body: wav }))
        .status,
    ).toBe(400);
    const removed = await call('DELETE', G, '/mailboxes/305/greetings/busy');
    expect(removed.json.greetings.busy).toBeNull();
    const session = { base: bareUrl, auth: false, headers: { 'x-app-session': 'ok', 'content-type': 'audio/wav' } };
    expect((await call('GET', `${M}/greetings`, '/mailboxes/305/greetings', session)).status).toBe(501);
    expect((await call('PUT', G, '/mailboxes/305/greetings/busy', { ...session, body: wav })).status).toBe(501);
    expect((await call('DELETE', G, '/mailboxes/305/greetings/busy', session)).status).toBe(501);
  });

  it('answers other methods 405 and other paths 404, in JSON', async () => {
    const wrong = await fetch(`${url}/mailboxes/305/messages`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(((await wrong.json()) as Schema).error.code).toBe('method_not_allowed');
    const nowhere = await fetch(`${url}/nowhere`);
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as Schema).error.code).toBe('not_found');
  });

  it('serves under a base path inside an existing server, and leaves that server’s other routes alone', async () => {
    const mounted = createMailboxApi({
      directory: new InMemoryMailboxDirectory([{ mailbox: '305' }]),
      store,
      basePath: '/api/vm',
      authorize: (req, box) => req.headers['x-app-session'] === 'owner-305' && box?.mailbox === '305',
    });
    const server = createServer(async (req, res) => {
      if (await mounted.handle(req, res)) return;
      res.end('the app itself');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const listed = await fetch(`${at}/api/vm/mailboxes/305/messages`, { headers: { 'x-app-session': 'owner-305' } });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as Schema).messages.length).toBeGreaterThan(0);
      const refused = await fetch(`${at}/api/vm/mailboxes/305/messages`, { headers: { 'x-app-session': 'someone' } });
      expect(refused.status).toBe(401);
      expect((await fetch(`${at}/api/vm/openapi.json`)).status).toBe(200);
      expect(await (await fetch(`${at}/mailboxes/305/messages`)).text()).toBe('the app itself');
      expect(await (await fetch(`${at}/api/vmx/mailboxes/305/messages`)).text()).toBe('the app itself');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  // Every documented operation and status was reached, checked once all the tests above ran: a run of some of them
  // (`-t`) reaches only part and is not checked.
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the first argument as fixtures and wants a pattern.
  afterAll(({}, suite) => {
    if (!suite.tasks.every((task) => task.mode === 'run' && task.result?.state === 'pass')) return;
    const missing: string[] = [];
    for (const [path, item] of Object.entries(MAILBOX_OPENAPI.paths as Schema))
      for (const [method, operation] of Object.entries(item as Schema)) {
        if (method === 'parameters') continue;
        for (const status of Object.keys((operation as Schema).responses)) {
          const key = `${method.toUpperCase()} ${path} ${status}`;
          if (!covered.has(key)) missing.push(key);
        }
      }
    expect(missing).toEqual([]);
  });
});
