/**
 * Watch every live call in the Stately inspector.
 *
 *   npx tsx examples/inspect.ts --inspect [--port 8787] [--calls 3]
 *
 * Starts a relay on loopback (http://127.0.0.1:8787), the embedded ARI simulator, and a voicemail app whose call
 * actors report to the relay through `@statelyai/inspect`'s `createWebSocketInspector`. Open the printed address in
 * a browser on this machine: the page embeds the Stately inspector and feeds it the calls as they happen. Without
 * `--inspect` it runs the same calls with no inspector. See docs/inspect.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createAriClient,
  createStasisApp,
  createVoicemailCalls,
  FileMessageStore,
  InMemoryMailboxDirectory,
} from 'ari-voicemail';
import { createSimulator } from 'ari-voicemail/simulator';
import { type WebSocket, WebSocketServer } from 'ws';
import { fail, parseCli } from './cli.js';

/** Options of {@link startInspectorRelay}. */
export interface InspectorRelayOptions {
  /** The interface to listen on. Default `127.0.0.1`: call data (caller ids, mailboxes) never leaves the machine. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** The inspector UI the page embeds (an http or https URL). Default `https://stately.ai/inspect`. */
  readonly inspectorUrl?: string;
  /** How many recent messages a page that connects late is sent first. Default 1000. */
  readonly replay?: number;
  /**
   * How long the page waits for the embedded inspector to say it is ready before it says, on the page, that the
   * inspector could not load (it needs internet) and where the offline live view is. Default 15_000 ms.
   */
  readonly loadTimeoutMs?: number;
  /** What the page suggests instead when the inspector cannot load. Default: the demo's `--live` flag. */
  readonly offlineHint?: string;
  /** Told of every WebSocket the relay refused (another web page, a wrong path): the origin and why. */
  readonly onRefused?: (refusal: { origin: string | undefined; path: string; reason: string }) => void;
}

/** A running relay. */
export interface InspectorRelay {
  /** Where apps send inspection events: `createWebSocketInspector({ url: relay.url })`. */
  readonly url: string;
  /** The page to open in a browser on this machine. */
  readonly pageUrl: string;
  /** The origins whose pages may connect (`http://127.0.0.1:8787`, and `http://localhost:8787` on loopback). */
  readonly origins: readonly string[];
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

const DEFAULT_OFFLINE_HINT =
  'No internet here? The library has its own live view, which needs none: run the demo with --live ' +
  "(npm run demo -- --live), or pass startLiveView() to your app's observers (docs/inspect.md).";

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * A small loopback relay between Node apps and the Stately inspector in a browser: apps connect to `/app` (what
 * `createWebSocketInspector` does), the page served at `/` connects to `/ui` and hands every message to the
 * embedded inspector. Browsers' cross-site connections are refused: `/ui` accepts only this page's own origins
 * (on loopback both `127.0.0.1` and `localhost`) and `/app` only clients that send no Origin (Node processes), so a
 * web page the user happens to visit cannot read the calls. A refusal is answered 403 with the reason, and told to
 * `onRefused`.
 */
export async function startInspectorRelay(options: InspectorRelayOptions = {}): Promise<InspectorRelay> {
  const host = options.host ?? '127.0.0.1';
  const inspectorUrl = checkInspectorUrl(options.inspectorUrl ?? 'https://stately.ai/inspect');
  const replay = options.replay ?? 1000;
  const loadTimeoutMs = options.loadTimeoutMs ?? 15_000;
  if (!(Number.isFinite(loadTimeoutMs) && loadTimeoutMs > 0))
    throw new TypeError('startInspectorRelay: loadTimeoutMs must be a positive number');
  const offlineHint = options.offlineHint ?? DEFAULT_OFFLINE_HINT;
  const origins = new Set<string>();
  const recent: string[] = [];
  const pages = new Set<WebSocket>();

  const http = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/') !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(inspectorUrl, loadTimeoutMs, offlineHint));
  });
  const wss = new WebSocketServer({
    server: http,
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      const from = req.headers.origin;
      const path = req.url ?? '';
      let reason: string | undefined;
      if (path === '/ui') {
        if (from === undefined || !origins.has(from))
          reason = `the page must come from ${[...origins].join(' or ')}, not ${from ?? 'no origin'}`;
      } else if (path === '/app') {
        if (from !== undefined) reason = `apps connect without an Origin (a web page from ${from} may not)`;
      } else reason = `no WebSocket at ${path}`;
      if (reason === undefined) return done(true);
      try {
        options.onRefused?.({ origin: from, path, reason });
      } catch {
        // A throwing listener must not keep the refusal from being sent.
      }
      done(false, 403, `refused: ${reason}`);
    },
  });
  wss.on('connection', (socket, req) => {
    if (req.url === '/ui') {
      pages.add(socket);
      socket.on('close', () => pages.delete(socket));
      for (const message of recent) socket.send(message);
      return;
    }
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = data.toString();
      recent.push(message);
      if (recent.length > replay) recent.shift();
      for (const pageSocket of pages) pageSocket.send(message);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const authority = (name: string) => (name.includes(':') ? `[${name}]:${port}` : `${name}:${port}`);
  origins.add(`http://${authority(host)}`);
  // On loopback the same page is reached as 127.0.0.1 or localhost: both are this machine, both are accepted.
  if (LOOPBACK.has(host)) for (const name of ['127.0.0.1', 'localhost']) origins.add(`http://${authority(name)}`);
  return {
    url: `ws://${authority(host)}/app`,
    pageUrl: `http://${authority(host)}/`,
    origins: [...origins],
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

/** @throws TypeError unless an absolute http(s) URL (the page embeds it as is). */
export function checkInspectorUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`inspector URL: expected an http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`inspector URL: expected an http or https URL, got ${JSON.stringify(value)}`);
  return url.href;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// A JSON string that cannot end the script element it sits in.
const scriptString = (text: string): string => JSON.stringify(text).replace(/</g, '\\u003c');

// The page buffers until the embedded inspector says it is ready, then posts each message into it. If the inspector
// does not say so in time (no internet, a blocked host), or the relay's socket fails, the page says so in words.
function page(inspectorUrl: string, loadTimeoutMs: number, offlineHint: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>ari-voicemail calls</title>
<style>html,body,iframe{margin:0;width:100%;height:100%;border:0}
#notice{position:fixed;top:1em;left:1em;right:1em;padding:1em;font:16px/1.4 sans-serif;background:#fff3cd;
color:#3b2f00;border:1px solid #c9a227;border-radius:6px}#notice[hidden]{display:none}</style></head>
<body><div id="notice" role="alert" hidden></div>
<iframe id="inspector" src="${escapeHtml(inspectorUrl)}"></iframe>
<script>
const frame = document.getElementById('inspector');
const notice = document.getElementById('notice');
const inspectorUrl = ${scriptString(inspectorUrl)};
const pending = [];
let ready = false;
const say = (kind, text) => {
  notice.dataset.kind = kind;
  notice.textContent = text;
  notice.hidden = false;
};
const timer = setTimeout(() => {
  if (ready) return;
  document.body.dataset.inspector = 'unreachable';
  say('inspector', 'The Stately inspector (' + inspectorUrl + ') did not load within ${Math.round(loadTimeoutMs / 1000)} s. ' +
    'It is a hosted page: this browser needs internet access to reach it. ' + ${scriptString(offlineHint)});
}, ${loadTimeoutMs});
window.addEventListener('message', (e) => {
  if (e.source !== frame.contentWindow || !e.data || e.data.type !== '@statelyai.connected') return;
  ready = true;
  document.body.dataset.inspector = 'ready';
  clearTimeout(timer);
  if (notice.dataset.kind === 'inspector') notice.hidden = true;
  for (const m of pending.splice(0)) frame.contentWindow.postMessage(m, '*');
});
// The relay is the server of this very page: its socket is on the same host, whichever name the browser used.
const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ui');
socket.onopen = () => { document.body.dataset.relay = 'open'; };
socket.onclose = () => {
  document.body.dataset.relay = 'closed';
  say('relay', 'Lost the connection to the relay at ' + location.host + ' (refused, or the app stopped). ' +
    'Open the address the app printed, on the machine it runs on.');
};
socket.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (ready) frame.contentWindow.postMessage(m, '*');
  else pending.push(m);
};
</script></body></html>
`;
}

/** `--inspector-url` as given, or a one-line failure (exit 1) unless an http(s) URL. */
export function cliInspectorUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return checkInspectorUrl(value);
  } catch (error) {
    fail(`--inspector-url: ${(error as Error).message}`);
  }
}

/**
 * The relay as the examples' `--inspect` starts it: `--inspector-url` checked (a bad one is a one-line failure), and
 * every refused connection said on stderr, with the addresses that work.
 */
export async function startCliRelay(port: number, inspectorUrl: string | undefined): Promise<InspectorRelay> {
  cliInspectorUrl(inspectorUrl);
  return startInspectorRelay({
    port,
    ...(inspectorUrl !== undefined ? { inspectorUrl } : {}),
    onRefused: ({ path, reason }) => console.error(`inspector relay: refused a connection to ${path}: ${reason}`),
  });
}

// Callers ring mailboxes 305, 306, 307... on the simulator (the sample dialplan sends 3XX to Stasis(vm-record,3XX)),
// talk for a moment and hang up: each call leaves a message, and each call is one actor in the inspector.
async function main(): Promise<void> {
  const values = parseCli(
    `
Calls on the embedded simulator, each one an actor you can watch in the Stately inspector.

  npx tsx examples/inspect.ts [options]

  --inspect          relay the calls to the Stately inspector
  --port N           the relay's port (default 8787)
  --inspector-url U  the inspector UI the page embeds (default https://stately.ai/inspect, which needs internet)
  --calls N          how many calls, 1 to 99 (default 3)
  --help             this text
`,
    {
      inspect: { type: 'boolean', default: false },
      port: { type: 'string', default: '8787' },
      'inspector-url': { type: 'string' },
      calls: { type: 'string', default: '3' },
    },
  );
  const calls = Number(values.calls);
  const port = Number(values.port);
  if (!Number.isInteger(calls) || calls < 1 || calls > 99) fail('--calls: expected 1 to 99');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port: expected a TCP port');

  const relay = values.inspect ? await startCliRelay(port, values['inspector-url']) : undefined;
  // Imported only when asked for: @statelyai/inspect is an optional peer dependency.
  const inspector = relay
    ? (await import('@statelyai/inspect')).createWebSocketInspector({ url: relay.url })
    : undefined;
  const sim = await createSimulator();
  const client = createAriClient({
    url: sim.url,
    username: sim.username,
    password: sim.password,
    apps: ['vm-record', 'vm-caller'],
  });
  const storeDir = await mkdtemp(join(tmpdir(), 'ari-voicemail-inspect-'));
  const boxes = Array.from({ length: calls }, (_, i) => ({ mailbox: String(305 + i) }));
  const app = createStasisApp({
    client,
    app: 'vm-record',
    createCall: createVoicemailCalls({
      directory: new InMemoryMailboxDirectory(boxes),
      store: new FileMessageStore(storeDir),
      review: false,
      onEvent: (event) => console.log(event.type, event.callId),
    }),
    ...(inspector ? { inspect: inspector.inspect } : {}),
  });
  await client.connect();
  await app.start();
  if (relay) console.log(`inspector: open ${relay.pageUrl} in a browser on this machine`);

  const callers = await Promise.all(
    boxes.map((box) => client.channels.originate({ endpoint: `Local/${box.mailbox}@default`, app: 'vm-caller' })),
  );
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // `#` skips the greeting (to the beep); then a few seconds of message on the simulator's real-time clock.
  await pause(1500);
  for (const caller of callers) await client.channels.sendDTMF({ channelId: caller.id, dtmf: '#' });
  await pause(4000);
  for (const caller of callers) await client.channels.hangup({ channelId: caller.id }).catch(() => {});
  await app.idle();
  console.log(`${app.stats().ended} calls done; messages in ${storeDir}`);

  const shutdown = async () => {
    await app.stop();
    await client.close();
    await sim.close();
    inspector?.stop();
    await relay?.close();
    await rm(storeDir, { recursive: true, force: true });
  };
  if (!relay) return shutdown();
  // Ctrl-C is handled before the app says it is ready: a signal in between would kill it outright.
  process.once('SIGINT', () => void shutdown());
  console.log('Ctrl-C to stop (the page replays the calls when it is opened or reloaded)');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
