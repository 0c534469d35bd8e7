// The mailbox HTTP API: what an owner does from the menu, for a web or mobile app. Plain node:http: `api.handle`
// serves a request inside a server you run; `api.listen()` runs one. Its OpenAPI document is src/voicemail/api-openapi.ts.

import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AriOptionsError, checkOptions } from '../ari/errors.js';
import type { AriResources } from '../ari/operations.js';
import { wavToMp3 } from '../recording/mp3.js';
import { parseWav, WavFormatError } from '../recording/wav.js';
import { MAILBOX_OPENAPI } from './api-openapi.js';
import { type MailboxAddress, parseMailboxAddress, VoicemailInputError } from './ids.js';
import type { MailboxDirectory } from './mailbox.js';
import { type MwiCounts, publishMwi } from './mwi.js';
import type { MailboxSettingsStore, StoredGreetings } from './settings.js';
import { FOLDERS, type Folder, MessageNotFoundError, type MessageStore, type VoicemailMessage } from './store.js';
import type { FileMessageTrash } from './trash.js';

/** The greetings the API manages, as the menu records them. */
export const GREETING_KINDS = ['unavailable', 'busy', 'name', 'temporary'] as const;
/** A greeting the API manages: `unavailable`, `busy`, `name` or `temporary`. */
export type ApiGreetingKind = (typeof GREETING_KINDS)[number];

/** Options of {@link createMailboxApi}. */
export interface MailboxApiOptions {
  readonly directory: MailboxDirectory;
  readonly store: MessageStore;
  /** Deleted messages are kept here (purge them with `sweepRetention`); without it a delete removes the message. */
  readonly trash?: FileMessageTrash;
  /** Recorded greetings (needed by the greeting routes). */
  readonly settings?: MailboxSettingsStore;
  /** ARI: message-waiting counts after every change (`mailboxes.update`). */
  readonly client?: Pick<AriResources, 'mailboxes'>;
  /** A message's audio as WAV (bytes or a stream), e.g. `client.recordings.getStoredFile(...)`. */
  readonly audio?: (message: VoicemailMessage) => Promise<Uint8Array | AsyncIterable<Uint8Array>>;
  /** Keeps an uploaded greeting (a checked WAV) where Asterisk can play it; returns its media name for the settings. */
  readonly saveGreeting?: (address: MailboxAddress, kind: ApiGreetingKind, wav: Uint8Array) => Promise<string>;
  /** A request is let in with `Authorization: Bearer <token>`… */
  readonly token?: string;
  /** …or when this says so (a session cookie of your app, say). `mailbox` is the one addressed, when there is one. */
  readonly authorize?: (request: IncomingMessage, mailbox: MailboxAddress | undefined) => boolean | Promise<boolean>;
  /** Where the routes start (`/api/voicemail`). Default: the root. */
  readonly basePath?: string;
  /** Largest greeting upload in bytes. Default 10 MiB. */
  readonly maxUploadBytes?: number;
  readonly now?: () => Date;
  /** Told of failures that did not fail the request (MWI) and of 500s (the client sees only `internal error`). */
  readonly onError?: (error: unknown, during: string) => void;
}

/** The API: a request handler for your server, and a server of its own. */
export interface MailboxApi {
  /** Serves the request when it is one of the API's (returns `true`); else leaves it alone and returns `false`. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** Starts a server of its own (404 for anything else). */
  listen(port?: number, host?: string): Promise<{ url: string; server: Server; close(): Promise<void> }>;
  /** Every route it serves (method and OpenAPI path), for checking against the document. */
  readonly routes: ReadonlyArray<{ readonly method: string; readonly path: string }>;
}

/** An answer with a status and a JSON error body `{ error: { code, message } }`. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
};

async function collect(source: Uint8Array | AsyncIterable<Uint8Array>): Promise<Buffer> {
  if (source instanceof Uint8Array) return Buffer.from(source);
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    throw new ApiError(413, 'too_large', `the body is over ${limit} bytes`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limit) throw new ApiError(413, 'too_large', `the body is over ${limit} bytes`);
    parts.push(part);
  }
  return Buffer.concat(parts);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = String(request.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type))
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
  const text = (await readBody(request, 64 * 1024)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'bad_json', 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ApiError(400, 'bad_json', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` on a body of `size` bytes: the inclusive range, or 416. */
function parseRange(header: string, size: number): { start: number; end: number } {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const bad = () =>
    new ApiError(416, 'bad_range', `range ${header} is not within 0-${size - 1}`, {
      'content-range': `bytes */${size}`,
    });
  if (!m || (m[1] === '' && m[2] === '')) throw bad();
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw bad();
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) throw bad();
  return { start, end };
}

type Handler = (ctx: {
  request: IncomingMessage;
  response: ServerResponse;
  address: MailboxAddress;
  params: Record<string, string>;
  query: URLSearchParams;
}) => Promise<void>;

interface Route {
  readonly method: string;
  /** The OpenAPI path (`/mailboxes/{mailbox}/messages/{id}`). */
  readonly path: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

const route = (method: string, path: string, handler: Handler): Route => {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  return { method, path, pattern, names, handler };
};

const folderOf = (value: unknown, field = 'folder'): Folder => {
  if (!FOLDERS.includes(value as Folder))
    throw new ApiError(400, 'bad_request', `${field} must be one of ${FOLDERS.join(', ')}`);
  return value as Folder;
};

const API_OPTIONS: readonly string[] = [
  'directory',
  'store',
  'trash',
  'settings',
  'client',
  'audio',
  'saveGreeting',
  'token',
  'authorize',
  'basePath',
  'maxUploadBytes',
  'now',
  'onError',
];

function checkApiOptions(options: MailboxApiOptions): void {
  if (options === null || typeof options !== 'object') throw new AriOptionsError('options', 'an object');
  for (const key of Object.keys(options))
    if (!API_OPTIONS.includes(key)) throw new AriOptionsError(key, 'unknown option');
  if (typeof options.directory?.get !== 'function') throw new AriOptionsError('directory', 'a MailboxDirectory');
  if (typeof options.store?.list !== 'function') throw new AriOptionsError('store', 'a MessageStore');
  if (options.token === undefined && options.authorize === undefined)
    throw new AriOptionsError('token', 'a token or an authorize function (the API is never open)');
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token.length < 16))
    throw new AriOptionsError('token', 'a string of at least 16 characters');
  for (const name of ['authorize', 'audio', 'saveGreeting', 'now', 'onError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new AriOptionsError(name, 'a function');
  }
  const base = options.basePath;
  if (base !== undefined && (typeof base !== 'string' || (base.replace(/\/+$/, '') !== '' && !base.startsWith('/'))))
    throw new AriOptionsError('basePath', 'a path starting with /');
  const max = options.maxUploadBytes;
  if (max !== undefined && !(Number.isInteger(max) && max > 0))
    throw new AriOptionsError('maxUploadBytes', 'a positive whole number of bytes');
}

/**
 * The mailbox HTTP API. Routes (under `basePath`; `{mailbox}` is `305` or `305@context`):
 * - `GET /openapi.json` (no authentication): its OpenAPI 3.1 document;
 * - `GET /mailboxes/{mailbox}/messages[?folder=]`: the messages and folder counts;
 * - `GET|DELETE /mailboxes/{mailbox}/messages/{id}`: one message; delete keeps it in the trash when there is one;
 * - `GET /mailboxes/{mailbox}/messages/{id}/audio[?format=mp3]`: its audio, with `Range`;
 * - `POST /mailboxes/{mailbox}/messages/{id}/move` `{ "folder": "Work" }`, `POST …/read` (INBOX and Urgent to Old);
 * - `GET /mailboxes/{mailbox}/greetings`, `PUT|DELETE /mailboxes/{mailbox}/greetings/{kind}` (a WAV body).
 * Every change publishes the mailbox's message-waiting counts (with `client`); they are in the answer as `mwi`.
 * Bad input is a 4xx with `{ "error": { "code", "message" } }`; an unexpected failure is a 500 saying only that.
 * @throws AriOptionsError naming the bad option
 */
export function createMailboxApi(options: MailboxApiOptions): MailboxApi {
  checkOptions('createMailboxApi', options, checkApiOptions);
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const maxUpload = options.maxUploadBytes ?? 10 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  const { store } = options;
  const report = (error: unknown, during: string) => {
    try {
      options.onError?.(error, during);
    } catch {
      // A listener that throws changes nothing.
    }
  };

  const mwi = async (address: MailboxAddress): Promise<MwiCounts | null> => {
    if (!options.client) return null;
    try {
      return await publishMwi(options.client, store, address);
    } catch (error) {
      report(error, 'publishing MWI');
      return null;
    }
  };

  const message = async (address: MailboxAddress, id: string): Promise<VoicemailMessage> => {
    const found = await store.get(address, id);
    if (!found)
      throw new ApiError(404, 'not_found', `no message ${id} in mailbox ${address.mailbox}@${address.context}`);
    return found;
  };

  const settings = (): MailboxSettingsStore => {
    if (!options.settings) throw new ApiError(501, 'not_configured', 'greetings are not managed by this server');
    return options.settings;
  };
  const greetingKind = (value: string | undefined): ApiGreetingKind => {
    if (!GREETING_KINDS.includes(value as ApiGreetingKind))
      throw new ApiError(400, 'bad_request', `greeting kind must be one of ${GREETING_KINDS.join(', ')}`);
    return value as ApiGreetingKind;
  };
  const greetingsBody = (stored: StoredGreetings | undefined) =>
    Object.fromEntries(GREETING_KINDS.map((k) => [k, stored?.[k] ?? null]));

  const routes: Route[] = [
    route('GET', '/mailboxes/{mailbox}/messages', async ({ response, address, query }) => {
      const folder = query.has('folder') ? folderOf(query.get('folder')) : undefined;
      json(response, 200, { messages: await store.list(address, folder), counts: await store.count(address) });
    }),
    route('GET', '/mailboxes/{mailbox}/messages/{id}', async ({ response, address, params }) => {
      json(response, 200, { message: await message(address, params.id ?? '') });
    }),
    route('GET', '/mailboxes/{mailbox}/messages/{id}/audio', async ({ request, response, address, params, query }) => {
      const format = query.get('format') ?? 'wav';
      if (format !== 'wav' && format !== 'mp3') throw new ApiError(400, 'bad_request', 'format must be wav or mp3');
      const found = await message(address, params.id ?? '');
      if (!options.audio) throw new ApiError(501, 'not_configured', 'audio is not served by this server');
      let bytes = await collect(await options.audio(found));
      if (format === 'mp3')
        bytes = await collect(
          wavToMp3(
            (async function* () {
              yield bytes;
            })(),
          ),
        );
      const type = format === 'mp3' ? 'audio/mpeg' : 'audio/wav';
      const headers = {
        'content-type': type,
        'accept-ranges': 'bytes',
        'cache-control': 'private, no-store',
        'content-disposition': `inline; filename="voicemail-${found.mailbox}-${found.id}.${format}"`,
      };
      const range = request.headers.range;
      if (range) {
        const { start, end } = parseRange(range, bytes.length);
        response.writeHead(206, {
          ...headers,
          'content-range': `bytes ${start}-${end}/${bytes.length}`,
          'content-length': String(end - start + 1),
        });
        response.end(bytes.subarray(start, end + 1));
        return;
      }
      response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      response.end(bytes);
    }),
    route('POST', '/mailboxes/{mailbox}/messages/{id}/move', async ({ request, response, address, params }) => {
      const body = await readJson(request);
      const folder = folderOf(body.folder);
      await message(address, params.id ?? '');
      const moved = await store.move(address, params.id ?? '', folder);
      json(response, 200, { message: moved, mwi: await mwi(address) });
    }),
    route('POST', '/mailboxes/{mailbox}/messages/{id}/read', async ({ response, address, params }) => {
      const found = await message(address, params.id ?? '');
      const read =
        found.folder === 'INBOX' || found.folder === 'Urgent' ? await store.move(address, found.id, 'Old') : found;
      json(response, 200, { message: read, mwi: await mwi(address) });
    }),
    route('DELETE', '/mailboxes/{mailbox}/messages/{id}', async ({ response, address, params }) => {
      const found = await message(address, params.id ?? '');
      let deletedAt: string | null = null;
      if (options.trash) deletedAt = (await options.trash.deleteFrom(store, address, found.id, now())).deletedAt;
      else await store.delete(address, found.id);
      json(response, 200, {
        deleted: { id: found.id, deletedAt, kept: options.trash !== undefined },
        mwi: await mwi(address),
      });
    }),
    route('GET', '/mailboxes/{mailbox}/greetings', async ({ response, address }) => {
      json(response, 200, { greetings: greetingsBody((await settings().get(address)).greetings) });
    }),
    route('PUT', '/mailboxes/{mailbox}/greetings/{kind}', async ({ request, response, address, params }) => {
      const kind = greetingKind(params.kind);
      const store = settings();
      if (!options.saveGreeting)
        throw new ApiError(501, 'not_configured', 'greeting uploads are not kept by this server');
      if (!/^audio\/(wav|x-wav|wave)\b/i.test(String(request.headers['content-type'] ?? '')))
        throw new ApiError(415, 'unsupported_media_type', 'send the greeting as audio/wav');
      const body = await readBody(request, maxUpload);
      try {
        const wav = parseWav(body);
        if (wav.channels !== 1 || wav.durationSeconds <= 0)
          throw new WavFormatError('a greeting is mono audio of some length');
      } catch (error) {
        throw new ApiError(400, 'bad_audio', `not a usable WAV file: ${(error as Error).message}`);
      }
      const name = await options.saveGreeting(address, kind, body);
      const record = await store.update(address, { greetings: { [kind]: name } });
      json(response, 200, { greetings: greetingsBody(record.greetings) });
    }),
    route('DELETE', '/mailboxes/{mailbox}/greetings/{kind}', async ({ response, address, params }) => {
      const kind = greetingKind(params.kind);
      const record = await settings().update(address, { greetings: { [kind]: null } });
      json(response, 200, { greetings: greetingsBody(record.greetings) });
    }),
  ];

  const authorized = async (request: IncomingMessage, address: MailboxAddress | undefined): Promise<boolean> => {
    const header = request.headers.authorization;
    if (options.token !== undefined && typeof header === 'string' && header.startsWith('Bearer ')) {
      const given = Buffer.from(header.slice(7));
      const expected = Buffer.from(options.token);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    }
    return options.authorize ? (await options.authorize(request, address)) === true : false;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://api.invalid');
    } catch {
      return false;
    }
    if (base !== '' && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return false;
    const path = url.pathname.slice(base.length) || '/';
    if (path === '/openapi.json') {
      if (request.method !== 'GET') {
        json(response, 405, { error: { code: 'method_not_allowed', message: 'use GET' } }, { allow: 'GET' });
      } else json(response, 200, MAILBOX_OPENAPI);
      return true;
    }
    const matching = routes
      .map((r) => ({ r, m: r.pattern.exec(path) }))
      .filter((x): x is { r: Route; m: RegExpExecArray } => x.m !== null);
    if (matching.length === 0) return false;
    try {
      const found = matching.find((x) => x.r.method === request.method);
      if (!found) {
        const allow = matching.map((x) => x.r.method).join(', ');
        throw new ApiError(405, 'method_not_allowed', `${request.method} is not allowed here (allowed: ${allow})`, {
          allow,
        });
      }
      const params: Record<string, string> = {};
      found.r.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(found.m[i + 1] ?? '');
        } catch {
          throw new ApiError(400, 'bad_request', `${name} is not validly percent-encoded`);
        }
      });
      let address: MailboxAddress;
      try {
        address = parseMailboxAddress(params.mailbox);
      } catch (error) {
        throw new ApiError(400, 'bad_request', (error as Error).message);
      }
      if (!(await authorized(request, address)))
        throw new ApiError(401, 'unauthorized', 'a valid bearer token is needed', {
          'www-authenticate': 'Bearer realm="voicemail"',
        });
      if (!(await options.directory.get(address)))
        throw new ApiError(404, 'not_found', `no mailbox ${address.mailbox}@${address.context}`);
      await found.r.handler({ request, response, address, params, query: url.searchParams });
    } catch (error) {
      if (response.headersSent) {
        report(error, `${request.method} ${path}`);
        response.destroy();
        return true;
      }
      if (error instanceof ApiError) {
        json(response, error.status, { error: { code: error.code, message: error.message } }, error.headers);
      } else if (error instanceof VoicemailInputError) {
        json(response, 400, { error: { code: 'bad_request', message: error.message } });
      } else if (error instanceof MessageNotFoundError) {
        json(response, 404, { error: { code: 'not_found', message: error.message } });
      } else {
        report(error, `${request.method} ${path}`);
        json(response, 500, { error: { code: 'internal', message: 'internal error' } });
      }
    }
    return true;
  }

  return {
    handle,
    routes: [{ method: 'GET', path: '/openapi.json' }, ...routes.map(({ method, path }) => ({ method, path }))],
    async listen(port = 0, host = '127.0.0.1') {
      const server = createServer((request, response) => {
        void handle(request, response).then((served) => {
          if (!served) json(response, 404, { error: { code: 'not_found', message: 'no such route' } });
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const { port: bound } = server.address() as AddressInfo;
      return {
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${base}`,
        server,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  };
}
