// The Stately inspector relay of examples/inspect.ts, as a user meets it: the page opened as 127.0.0.1 or as
// localhost connects (another origin is refused with 403 and the reason, and the app is told), and when the hosted
// inspector cannot load, the page says so in words and points to the offline live view. The page is opened in
// Debian's headless Chromium, with the "hosted" inspector played by pages on loopback.

import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { checkInspectorUrl, type InspectorRelay, startInspectorRelay } from '../../examples/inspect.js';
import { present } from '../helpers/missing.js';
import { type Browser, CHROMIUM, launchChromium } from '../live/chromium.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const RELAY_PORT = 21_721;
const INSPECTOR_PORT = 21_722;

interface Handshake {
  status: number;
  body: string;
}

// Opens the page's socket from `origin`: the status it is answered with (101 when accepted) and why.
function handshake(url: string, origin?: string): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        socket.terminate();
      });
    });
    socket.on('open', () => {
      resolve({ status: 101, body: '' });
      socket.close();
    });
    socket.on('error', () => {});
  });
}

describe('the inspector relay', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('accepts the page from 127.0.0.1 and from localhost, refuses other origins with 403 and says why', async () => {
    const refused: Array<{ origin: string | undefined; path: string; reason: string }> = [];
    const relay = await startInspectorRelay({ port: RELAY_PORT, onRefused: (r) => refused.push(r) });
    cleanups.push(() => relay.close());
    expect(relay.pageUrl).toBe(`http://127.0.0.1:${RELAY_PORT}/`);
    expect([...relay.origins].sort()).toEqual([`http://127.0.0.1:${RELAY_PORT}`, `http://localhost:${RELAY_PORT}`]);
    const ui = `ws://127.0.0.1:${RELAY_PORT}/ui`;
    expect((await handshake(ui, `http://127.0.0.1:${RELAY_PORT}`)).status).toBe(101);
    expect((await handshake(`ws://localhost:${RELAY_PORT}/ui`, `http://localhost:${RELAY_PORT}`)).status).toBe(101);
    expect(refused).toEqual([]);

    const evil = await handshake(ui, 'https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.body).toContain(
      `the page must come from http://127.0.0.1:${RELAY_PORT} or http://localhost:${RELAY_PORT}`,
    );
    // Another port of this machine is another origin.
    expect((await handshake(ui, `http://localhost:${RELAY_PORT + 1}`)).status).toBe(403);
    expect((await handshake(relay.url, `http://localhost:${RELAY_PORT}`)).status).toBe(403);
    expect(refused.map((r) => [r.path, r.origin])).toEqual([
      ['/ui', 'https://evil.example'],
      ['/ui', `http://localhost:${RELAY_PORT + 1}`],
      ['/app', `http://localhost:${RELAY_PORT}`],
    ]);
    expect(refused[2]?.reason).toMatch(/apps connect without an Origin/);
  });

  it('embeds only an http(s) inspector URL, escaped', async () => {
    expect(() => checkInspectorUrl('javascript:alert(1)')).toThrow(/http or https/);
    expect(() => checkInspectorUrl('stately.ai/inspect')).toThrow(/http or https/);
    await expect(startInspectorRelay({ inspectorUrl: 'file:///etc/passwd' })).rejects.toThrow(/http or https/);
    const relay = await startInspectorRelay({ port: RELAY_PORT, inspectorUrl: 'http://127.0.0.1:9/x?a="b"&c=<d>' });
    cleanups.push(() => relay.close());
    const html = await (await fetch(relay.pageUrl)).text();
    expect(html).toContain('<iframe id="inspector" src="http://127.0.0.1:9/x?a=%22b%22&#38;c=%3Cd%3E"></iframe>');
  });
});

const haveChromium = present(
  CHROMIUM,
  "Debian's chromium (apt-get install chromium)",
  'the inspector page in a browser',
);

describe.skipIf(!haveChromium)('the inspector page in Chromium', () => {
  let browser: Browser;
  let inspector: Server;
  let relay: InspectorRelay | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    // Stand-ins for the hosted inspector: `/ready` says it is connected as Stately's does, `/silent` never does
    // (what a browser shows when the host cannot be reached).
    inspector = createServer((req, res) => {
      const script =
        req.url === '/ready' ? `<script>parent.postMessage({ type: '@statelyai.connected' }, '*')</script>` : '';
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><body>inspector${script}</body>`);
    });
    await new Promise<void>((resolve) => inspector.listen(INSPECTOR_PORT, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => inspector?.close(resolve));
  });

  const NOTICE = `(() => { const n = document.getElementById('notice'); return { hidden: n.hidden, text: n.textContent, relay: document.body.dataset.relay ?? null, inspector: document.body.dataset.inspector ?? null }; })()`;
  type Notice = { hidden: boolean; text: string; relay: string | null; inspector: string | null };

  it('opened as localhost, connects to the relay; says in words when the inspector does not load', async () => {
    relay = await startInspectorRelay({
      port: RELAY_PORT,
      inspectorUrl: `http://127.0.0.1:${INSPECTOR_PORT}/silent`,
      loadTimeoutMs: 500,
    });
    const tab = await browser.open(`http://localhost:${RELAY_PORT}/`);
    const shown = await tab.waitFor<Notice>(NOTICE, (n) => n.inspector === 'unreachable', 'the notice');
    expect(shown.relay).toBe('open');
    expect(shown.hidden).toBe(false);
    expect(shown.text).toContain(`The Stately inspector (http://127.0.0.1:${INSPECTOR_PORT}/silent) did not load`);
    expect(shown.text).toContain('needs internet access');
    expect(shown.text).toContain('--live');
    // The words are on screen, not only in the DOM.
    const box = await tab.evaluate<{ width: number; height: number }>(
      `(() => { const r = document.getElementById('notice').getBoundingClientRect(); return { width: r.width, height: r.height }; })()`,
    );
    expect(box.width).toBeGreaterThan(200);
    expect(box.height).toBeGreaterThan(20);
    await tab.close();
  });

  it('shows no notice once the inspector says it is ready', async () => {
    relay = await startInspectorRelay({
      port: RELAY_PORT,
      inspectorUrl: `http://127.0.0.1:${INSPECTOR_PORT}/ready`,
      loadTimeoutMs: 500,
    });
    const tab = await browser.open(`http://127.0.0.1:${RELAY_PORT}/`);
    const ready = await tab.waitFor<Notice>(NOTICE, (n) => n.inspector === 'ready' && n.relay === 'open', 'ready');
    expect(ready.hidden).toBe(true);
    await tab.close();
  });

  it('says so when the relay is gone', async () => {
    relay = await startInspectorRelay({ port: RELAY_PORT, inspectorUrl: `http://127.0.0.1:${INSPECTOR_PORT}/ready` });
    const tab = await browser.open(`http://127.0.0.1:${RELAY_PORT}/`);
    await tab.waitFor<Notice>(NOTICE, (n) => n.relay === 'open', 'the relay open');
    await relay.close();
    relay = undefined;
    const lost = await tab.waitFor<Notice>(NOTICE, (n) => n.relay === 'closed', 'the relay closed');
    expect(lost.hidden).toBe(false);
    expect(lost.text).toContain('Lost the connection to the relay');
    await tab.close();
  });
});
