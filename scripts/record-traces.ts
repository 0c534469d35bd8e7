// Records traces of a real Asterisk in the format of test/fixtures/traces (the seven of ../shared/asterisk/traces):
// `{ asterisk, scenario, log: [{ t, kind: 'rest', method, path, status, response } | { t, kind: 'event', event } |
// { t, kind: 'note', text }] }`, t in ms since the scenario began. Plain HTTP and one WebSocket, nothing of the
// library, so a trace shows what Asterisk does and nothing else.
//
//   eval "$(../shared/asterisk/real/start.sh --port 8088 --dir "$(mktemp -d)")"
//   npx tsx scripts/record-traces.ts [scenario ...]     # writes test/fixtures/traces/<scenario>.json
//
// The scenarios are the moments the seven traces do not cover: a stop sent during a recording's own beep, controls
// of a recording queued behind a playback, a hang-up while a recording is queued so, and a `media` list with a tone
// cadence (split at every comma).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const url = (process.env.ARI_URL ?? '').replace(/\/$/, '').replace(/\/ari$/, '');
const user = process.env.ARI_USERNAME ?? 'asterisk';
const password = process.env.ARI_PASSWORD ?? 'asterisk';
if (!url) {
  console.error('record-traces: set ARI_URL (and ARI_USERNAME, ARI_PASSWORD) to a real Asterisk');
  process.exit(2);
}
const OUT = fileURLToPath(new URL('../test/fixtures/traces/', import.meta.url));
const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

type Entry = Record<string, unknown> & { t: number; kind: string };

class Recorder {
  readonly log: Entry[] = [];
  readonly events: Record<string, unknown>[] = [];
  private t0 = Date.now();
  private ws!: WebSocket;
  private waiters: Array<{ test: (e: Record<string, unknown>) => boolean; resolve: () => void }> = [];

  async open(): Promise<void> {
    const ws = new WebSocket(
      `${url.replace(/^http/, 'ws')}/ari/events?app=${encodeURIComponent('vm-record,rec-app,caller')}&subscribeAll=false`,
      { headers: { Authorization: auth } },
    );
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (data) => {
      const event = JSON.parse(String(data)) as Record<string, unknown>;
      this.log.push({ t: this.now(), kind: 'event', event });
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(event)) return true;
        w.resolve();
        return false;
      });
    });
    this.t0 = Date.now();
  }

  now(): number {
    return Date.now() - this.t0;
  }

  note(text: string): void {
    this.log.push({ t: this.now(), kind: 'note', text });
  }

  async rest(method: string, path: string): Promise<{ status: number; json: unknown }> {
    const t = this.now();
    const res = await fetch(`${url}/ari${path}`, { method, headers: { Authorization: auth } });
    const text = await res.text();
    let response: unknown = text;
    try {
      response = text ? JSON.parse(text) : null;
    } catch {
      response = `<${Buffer.byteLength(text)} bytes ${res.headers.get('content-type')}>`;
    }
    this.log.push({ t, kind: 'rest', method, path, status: res.status, response });
    return { status: res.status, json: response };
  }

  /** Waits for an event (bounded: a scenario never hangs). */
  until(test: (e: Record<string, unknown>) => boolean, what: string, ms = 15_000): Promise<void> {
    if (this.events.some(test)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`record-traces: no ${what} within ${ms} ms`)), ms);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const q = encodeURIComponent;
const of = (type: string, key: string, id: string) => (e: Record<string, unknown>) =>
  e.type === type &&
  (e[key] as { id?: string; name?: string } | undefined)?.[key === 'recording' ? 'name' : 'id'] === id;

/** Calls 305 as the traces do: the caller half in app `caller`, in a mixing bridge with a one-item line tone. */
async function dial(r: Recorder, tag: string) {
  const caller = `trace-${tag}-1`;
  const callee = `trace-${tag}-2`;
  await r.rest(
    'POST',
    `/channels/${caller}?endpoint=${q('Local/305@default')}&app=caller&appArgs=far-end&otherChannelId=${callee}`,
  );
  await r.until(of('StasisStart', 'channel', callee), 'StasisStart of the callee');
  await r.rest('POST', `/channels/${callee}/answer`);
  await r.until(of('StasisStart', 'channel', caller), 'StasisStart of the caller');
  const bridge = (await r.rest('POST', `/bridges?type=mixing&name=line-${tag}`)).json as { id: string };
  await r.rest('POST', `/bridges/${bridge.id}/addChannel?channel=${caller}`);
  await r.rest('POST', `/bridges/${bridge.id}/play/line-${tag}?media=${q('tone:425')}`);
  await r.until(of('PlaybackStarted', 'playback', `line-${tag}`), 'the line tone');
  return { caller, callee, bridge: bridge.id };
}

async function hangUp(r: Recorder, call: { caller: string; callee: string; bridge: string }) {
  await r.rest('DELETE', `/channels/${call.caller}`);
  await r.until(of('ChannelDestroyed', 'channel', call.callee), 'the callee gone');
  await r.until(of('ChannelDestroyed', 'channel', call.caller), 'the caller gone');
  await sleep(300);
  await r.rest('DELETE', `/bridges/${call.bridge}`);
  await sleep(500);
}

const SCENARIOS: Record<string, (r: Recorder) => Promise<void>> = {
  async 'beep-window-stop'(r) {
    const call = await dial(r, 'bws');
    const name = 'voicemail/default/305/trace-beep-stop';
    r.note('record with beep=true; the stop is sent as soon as RecordingStarted arrives, while the beep plays');
    await r.rest('POST', `/channels/${call.callee}/record?name=${q(name)}&format=wav&beep=true&maxDurationSeconds=2`);
    await r.until(of('RecordingStarted', 'recording', name), 'RecordingStarted');
    await r.rest('POST', `/recordings/live/${q(name)}/stop`);
    await r.rest('GET', `/recordings/live/${q(name)}`);
    await sleep(700);
    r.note('the beep is over: the stop was answered 204 and lost; the recording still runs, and refuses controls');
    await r.rest('POST', `/recordings/live/${q(name)}/stop`);
    await r.rest('DELETE', `/recordings/live/${q(name)}`);
    await r.until(of('RecordingFinished', 'recording', name), 'RecordingFinished at maxDurationSeconds');
    await r.rest('GET', `/recordings/stored/${q(name)}`);
    await r.rest('DELETE', `/recordings/stored/${q(name)}`);
    await hangUp(r, call);
  },
  async 'queued-recording-controls'(r) {
    const call = await dial(r, 'qrc');
    const name = 'voicemail/default/305/trace-queued';
    r.note('a playback on the callee, then a recording queued behind it');
    await r.rest('POST', `/channels/${call.callee}/play/qrc-prompt?media=${q('sound:vm-intro')}`);
    await r.rest('POST', `/channels/${call.callee}/record?name=${q(name)}&format=wav&beep=false`);
    await r.rest('GET', `/recordings/live/${q(name)}`);
    await r.rest('POST', `/recordings/live/${q(name)}/pause`);
    await r.rest('POST', `/recordings/live/${q(name)}/stop`);
    await r.rest('GET', `/recordings/live/${q(name)}`);
    r.note('the stop only marked it canceled: it starts when the prompt ends, and records');
    await r.until(of('RecordingStarted', 'recording', name), 'RecordingStarted after the prompt');
    await sleep(1000);
    await r.rest('GET', `/recordings/live/${q(name)}`);
    await r.rest('POST', `/recordings/live/${q(name)}/stop`);
    await r.until(of('RecordingFinished', 'recording', name), 'RecordingFinished');
    await r.rest('DELETE', `/recordings/stored/${q(name)}`);
    await hangUp(r, call);
  },
  async 'queued-recording-hangup'(r) {
    const call = await dial(r, 'qrh');
    const name = 'voicemail/default/305/trace-queued-hangup';
    r.note('a recording queued behind a playback on the callee, then the callee hangs up');
    await r.rest('POST', `/channels/${call.callee}/play/qrh-prompt?media=${q('sound:vm-intro')}`);
    await r.rest('POST', `/channels/${call.callee}/record?name=${q(name)}&format=wav&beep=false`);
    await sleep(300);
    await r.rest('DELETE', `/channels/${call.callee}`);
    r.note('the prompt fails, the recording starts, and finishes (duration 0) only some seconds later');
    await r.until(of('RecordingFinished', 'recording', name), 'RecordingFinished after the hang-up');
    await r.until(of('ChannelDestroyed', 'channel', call.caller), 'the caller gone');
    await r.rest('GET', `/recordings/live/${q(name)}`);
    await r.rest('GET', `/recordings/stored/${q(name)}`);
    await r.rest('GET', `/recordings/stored/${q(name)}/file`);
    await r.rest('DELETE', `/recordings/stored/${q(name)}`);
    await sleep(300);
    await r.rest('DELETE', `/bridges/${call.bridge}`);
    await sleep(500);
  },
  async 'media-comma-split'(r) {
    const call = await dial(r, 'mcs');
    r.note('the line tone stops; a cadence is two items, the second an unsupported scheme');
    await r.rest('DELETE', '/playbacks/line-mcs');
    await r.until(of('PlaybackFinished', 'playback', 'line-mcs'), 'the line tone to finish');
    await r.rest('POST', `/bridges/${call.bridge}/play/cadence-mcs?media=${q('tone:425/200,0/200')}`);
    await sleep(500);
    await r.rest('DELETE', '/playbacks/cadence-mcs');
    await sleep(500);
    r.note('a stop ends the current item of a channel playlist too: does the next one play?');
    await r.rest('POST', `/channels/${call.callee}/play/list-mcs?media=${q('sound:vm-intro,sound:vm-goodbye')}`);
    await sleep(300);
    await r.rest('DELETE', '/playbacks/list-mcs');
    await sleep(1500);
    r.note('a timed tone played once never finishes by itself; only the stop ends it');
    await r.rest('POST', `/channels/${call.callee}/play/once-mcs?media=${q('tone:!425/300')}`);
    await sleep(1200);
    await r.rest('GET', '/playbacks/once-mcs');
    await r.rest('DELETE', '/playbacks/once-mcs');
    await r.until(of('PlaybackFinished', 'playback', 'once-mcs'), 'the tone to finish');
    await hangUp(r, call);
  },
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SCENARIOS);
for (const scenario of wanted) {
  const run = SCENARIOS[scenario];
  if (!run)
    throw new Error(`record-traces: unknown scenario ${scenario} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const r = new Recorder();
  await r.open();
  try {
    await run(r);
  } finally {
    r.close();
  }
  const trace = {
    asterisk:
      'real Asterisk 22.10.1, ARI over HTTP and WebSocket on loopback, Local channels; recorded by scripts/record-traces.ts',
    scenario,
    log: r.log,
  };
  writeFileSync(`${OUT}${scenario}.json`, `${JSON.stringify(trace, null, 1)}\n`);
  console.log(`record-traces: ${scenario}: ${r.log.length} entries`);
}
