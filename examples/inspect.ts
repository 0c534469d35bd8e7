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
  /** The inspector UI the page embeds. Default `https://stately.ai/inspect`. */
  readonly inspectorUrl?: string;
  /** How many recent messages a page that connects late is sent first. Default 1000. */
  readonly replay?: number;
}

/** A running relay. */
export interface InspectorRelay {
  /** Where apps send inspection events: `createWebSocketInspector({ url: relay.url })`. */
  readonly url: string;
  /** The page to open in a browser on this machine. */
  readonly pageUrl: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * A small loopback relay between Node apps and the Stately inspector in a browser: apps connect to `/app` (what
 * `createWebSocketInspector` does), the page served at `/` connects to `/ui` and hands every message to the
 * embedded inspector. Browsers' cross-site connections are refused: `/ui` accepts only this page's own origin and
 * `/app` only clients that send no Origin (Node processes), so a web page the user happens to visit cannot read
 * the calls.
 */
export async function startInspectorRelay(options: InspectorRelayOptions = {}): Promise<InspectorRelay> {
  const host = options.host ?? '127.0.0.1';
  const inspectorUrl = options.inspectorUrl ?? 'https://stately.ai/inspect';
  const replay = options.replay ?? 1000;
  let origin = '';
  const recent: string[] = [];
  const pages = new Set<WebSocket>();

  const http = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/') !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(`${origin.replace(/^http/, 'ws')}/ui`, inspectorUrl));
  });
  const wss = new WebSocketServer({
    server: http,
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const from = req.headers.origin;
      if (req.url === '/ui') return from === origin;
      return req.url === '/app' && from === undefined;
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
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  origin = `http://${authority}`;
  return {
    url: `ws://${authority}/app`,
    pageUrl: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

// The page buffers until the embedded inspector says it is ready, then posts each message into it.
function page(socketUrl: string, inspectorUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>ari-voicemail calls</title>
<style>html,body,iframe{margin:0;width:100%;height:100%;border:0}</style></head>
<body><iframe id="inspector" src="${inspectorUrl}"></iframe>
<script>
const frame = document.getElementById('inspector');
const pending = [];
let ready = false;
window.addEventListener('message', (e) => {
  if (e.source !== frame.contentWindow || !e.data || e.data.type !== '@statelyai.connected') return;
  ready = true;
  for (const m of pending.splice(0)) frame.contentWindow.postMessage(m, '*');
});
new WebSocket(${JSON.stringify(socketUrl)}).onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (ready) frame.contentWindow.postMessage(m, '*');
  else pending.push(m);
};
</script></body></html>
`;
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
  --calls N          how many calls, 1 to 99 (default 3)
  --help             this text
`,
    {
      inspect: { type: 'boolean', default: false },
      port: { type: 'string', default: '8787' },
      calls: { type: 'string', default: '3' },
    },
  );
  const calls = Number(values.calls);
  const port = Number(values.port);
  if (!Number.isInteger(calls) || calls < 1 || calls > 99) fail('--calls: expected 1 to 99');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port: expected a TCP port');

  const relay = values.inspect ? await startInspectorRelay({ port }) : undefined;
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
