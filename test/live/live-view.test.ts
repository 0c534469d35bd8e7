// The live view in a real browser: Debian's headless Chromium opens the page while the simulator runs a voicemail
// call on its manual clock, and the page's DOM (read with Runtime.evaluate) follows the call through its chart:
// greeting, recording, review, then ended with its path. A wrong token is refused with 4401, another origin with 403.

import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { LIVE_CHARTS } from '../../src/live/charts.generated.js';
import { LIVE_VIEW_UNAUTHORIZED, type LiveView, startLiveView } from '../../src/live/index.js';
import { createHarness, type Harness } from '../e2e/helpers.js';
import { present } from '../helpers/missing.js';
import { type Browser, CHROMIUM, launchChromium, type Tab } from './chromium.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const PORT = 21_700;
const TOKEN = 'k3y-of-the-live-view';
const haveChromium = present(CHROMIUM, "Debian's chromium (apt-get install chromium)", 'the live view in a browser');

/** The SVG titles of the states `paths` of the voicemail chart, as the page must light them. */
function titlesOf(paths: string[]): string[] {
  const chart = LIVE_CHARTS.find((c) => c.id === 'voicemail')!;
  return paths.flatMap((p) => chart.states[p]!).sort();
}

const LIT = `[...document.querySelectorAll('#chart g.on > title')].map((t) => t.textContent).sort()`;
const row = (id: string) =>
  `(() => { const r = document.querySelector('tr[data-call="${id}"]'); return r ? { list: r.parentElement.id, state: r.dataset.state, ended: r.dataset.ended ?? null, text: r.textContent } : null; })()`;

describe.skipIf(!haveChromium)('the live view in Chromium', () => {
  let live: LiveView;
  let h: Harness;
  let browser: Browser;
  let tab: Tab;

  beforeAll(async () => {
    live = await startLiveView({ port: PORT, token: TOKEN });
    h = await createHarness({ observers: [live] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await live?.close();
  });

  it('prints a loopback URL with the token in its fragment', () => {
    expect(live.url).toBe(`http://127.0.0.1:${PORT}/#token=${TOKEN}`);
  });

  it('follows a call through its statechart as it moves, and keeps it once ended', async () => {
    tab = await browser.open(live.url);
    await tab.waitFor<string>(`document.getElementById('status').dataset.status`, (s) => s === 'live', 'live');

    const call = await h.drive(h.farEnd.call('305', 'default', { callerId: '"Alice" <2001>' }), 'the answer');
    await h.until(() => h.app.actor(call.calleeId), 'the app to take the call');
    const id = call.calleeId;
    // The greeting plays on the manual clock: the call stays in it until time passes.
    await tab.waitFor(row(id), (r: { state: string } | null) => r?.state === 'greeting', 'the call in greeting');
    expect(await tab.evaluate(`document.getElementById('chart').dataset.machine`)).toBe('voicemail');
    expect(await tab.evaluate(LIT)).toEqual(titlesOf(['greeting']));
    expect(await tab.evaluate<{ list: string }>(row(id))).toMatchObject({ list: 'live', ended: null });
    expect(await tab.evaluate(`document.getElementById('title').textContent`)).toBe(
      `Call ${id} (voicemail) from Alice <2001> for 305@default: greeting`,
    );

    const take = await h.recordingStarted(call, 1);
    await tab.waitFor<string[]>(LIT, (lit) => lit.includes('active'), 'recording.active lit');
    expect(await tab.evaluate(LIT)).toEqual(titlesOf(['recording', 'recording.active']));
    expect(await tab.evaluate<{ state: string }>(row(id))).toMatchObject({ state: 'recording.active' });
    // The README's picture: LIVE_VIEW_SCREENSHOT=docs/live-view.png npx vitest run test/live/live-view.test.ts
    const shot = process.env.LIVE_VIEW_SCREENSHOT;
    if (shot) await writeFile(shot, await tab.screenshot(1280, 720));

    await h.speak(call, 2);
    await h.press(call, '#');
    await h.reviewStarted(call, take);
    await tab.waitFor<string[]>(LIT, (lit) => lit.includes('playing'), 'reviewing.playing lit');
    expect(await tab.evaluate(LIT)).toEqual(titlesOf(['reviewing', 'reviewing.playing']));
    const log = await tab.evaluate<string[]>(`[...document.querySelectorAll('#log li')].map((li) => li.textContent)`);
    expect(log.some((line) => /recording\.active → recording\.stopping on DTMF #/.test(line))).toBe(true);

    await h.press(call, '#');
    await h.ended(call);
    const ended = await tab.waitFor(
      row(id),
      // XState reports the final state just after the actor completed: two messages, in that order.
      (r: { list: string; state: string } | null) => r?.list === 'ended' && r.state === 'done',
      'the call among the ended ones, in its final state',
    );
    expect(ended).toMatchObject({ list: 'ended', ended: 'done', state: 'done' });
    expect(await tab.evaluate(`document.getElementById('none').hidden`)).toBe(false);
    // Its path stays on the chart: every state it went through is marked.
    const visited = await tab.evaluate<string[]>(
      `[...document.querySelectorAll('#chart g.visited > title')].map((t) => t.textContent)`,
    );
    expect(visited).toEqual(expect.arrayContaining(titlesOf(['greeting', 'recording.active', 'reviewing.playing'])));
    expect(live.calls().find((c) => c.callId === id)).toMatchObject({
      ended: 'done',
      mailbox: '305@default',
      caller: 'Alice <2001>',
    });

    // A page opened now gets the ended call and its transitions from the server.
    const late = await browser.open(live.url);
    await late.waitFor(row(id), (r: { list: string } | null) => r?.list === 'ended', 'the ended call, late');
    const lateLog = await late.evaluate<string[]>(
      `[...document.querySelectorAll('#log li')].map((li) => li.dataset.to)`,
    );
    expect(lateLog).toEqual(expect.arrayContaining(['greeting', 'recording.active', 'reviewing.playing', 'done']));
    await late.close();
  });

  it('refuses a page with a wrong token (4401) and says so, and sends it no call', async () => {
    const wrong = await browser.open(`http://127.0.0.1:${PORT}/#token=not-it`);
    const status = await wrong.waitFor<string>(
      `document.getElementById('status').dataset.status`,
      (s) => s === 'refused',
      'refused',
    );
    expect(status).toBe('refused');
    expect(await wrong.evaluate(`document.querySelectorAll('tbody tr').length`)).toBe(0);
    await wrong.close();

    const ws = new WebSocket(`ws://127.0.0.1:${PORT}/ws`);
    const messages: string[] = [];
    ws.on('message', (m) => messages.push(String(m)));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: `${TOKEN}x` })));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(LIVE_VIEW_UNAUTHORIZED);
    expect(messages).toEqual([]);
  });

  it('refuses a socket from another origin before any token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${PORT}/ws`, { origin: 'http://example.com' });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(403);
  });
});
