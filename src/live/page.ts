import type { LiveChart } from './types.js';

/**
 * The live view's one page: styles, charts and script inline (the server's Content-Security-Policy allows nothing
 * else to load), no framework. The script reads the token from the URL's fragment, sends it first on the socket,
 * and redraws from the messages: `calls` (everything, with logs), `call` (one call's summary and its new
 * transition), `gone` (ended calls no longer kept).
 */
export function livePage(options: { readonly charts: readonly LiveChart[]; readonly nonce: string }): string {
  // Inside <script>, `</script>` or `<!--` in a chart would end or confuse the element: `<` is escaped in JSON.
  const charts = JSON.stringify(options.charts).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ari-voicemail: live calls</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Live calls</h1><span id="status" data-status="connecting">connecting…</span></header>
<main>
<section id="list">
<table>
<thead><tr><th>call</th><th>caller</th><th>mailbox</th><th>state</th><th>in state</th></tr></thead>
<tbody id="live"></tbody>
</table>
<p id="none">No call right now.</p>
<h2>Ended</h2>
<table>
<thead><tr><th>call</th><th>caller</th><th>mailbox</th><th>last state</th><th>ended</th></tr></thead>
<tbody id="ended"></tbody>
</table>
</section>
<section id="detail">
<h2 id="title">No call selected</h2>
<label><input type="checkbox" id="zoom" checked> chart at full size, following the active state (else the whole chart)</label>
<div id="chart" class="full"></div>
<h3>Transitions</h3>
<ol id="log"></ol>
</section>
</main>
<script type="application/json" id="charts">${charts}</script>
<script nonce="${options.nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { display: flex; gap: 1em; align-items: baseline; padding: .5em 1em; background: #f3f3f3; border-bottom: 1px solid #ddd; }
h1 { font-size: 1.2em; margin: 0; }
h2 { font-size: 1.05em; margin: 1em 0 .4em; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
#status[data-status="live"] { color: #17752f; }
#status[data-status="refused"], #status[data-status="disconnected"] { color: #b00020; font-weight: 600; }
main { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 1.5em; padding: 0 1em 1em; }
main > section { min-width: 0; }
#list { overflow-x: auto; max-width: 48vw; }
th, td { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2em .4em; border-bottom: 1px solid #eee; font-variant-numeric: tabular-nums; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f7f7f7; }
tr.selected { background: #fff3c4 !important; }
#ended tr { color: #666; }
#chart { border: 1px solid #eee; margin-top: .4em; }
#chart svg { width: 100%; height: auto; max-height: 75vh; display: block; }
#chart.full { overflow: auto; max-height: 75vh; }
#chart.full svg { width: auto; max-height: none; }
#chart g.on > path, #chart g.on > polygon, #chart g.on > ellipse { fill: #ffd54a; stroke: #b36b00; stroke-width: 2.5px; }
#chart g.cluster.on > path { fill: rgba(255, 213, 74, .15); }
#chart g.node.visited:not(.on) > path { fill: #dcecff; }
#log { font: 12px/1.5 ui-monospace, monospace; max-height: 30vh; overflow: auto; padding-left: 2.5em; }
#log time { color: #888; margin-right: .6em; }
#log em { color: #555; }
`;

// The browser's side. Plain script, no template placeholders inside (built with string concatenation).
const SCRIPT = `
'use strict';
const charts = new Map(JSON.parse(document.getElementById('charts').textContent).map((c) => [c.id, c]));
const calls = new Map();
const MAX_LOG = 200;
let selected = null;
let chosen = false;
let skew = 0;
let shown = null;
let titles = new Map();

const el = (id) => document.getElementById(id);
function setStatus(status, text) {
  const s = el('status');
  s.dataset.status = status;
  s.textContent = text;
}
function seconds(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
}
function clock(at) {
  return new Date(at + skew).toTimeString().slice(0, 8);
}
function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.appendChild(td);
}
function row(call) {
  const tr = document.createElement('tr');
  tr.dataset.call = call.callId;
  tr.dataset.state = call.state;
  if (call.ended) tr.dataset.ended = call.ended;
  if (call.callId === selected) tr.className = 'selected';
  cell(tr, call.callId);
  cell(tr, call.caller || '');
  cell(tr, call.mailbox || '');
  tr.dataset.machine = call.machine;
  cell(tr, call.state);
  if (call.ended) cell(tr, clock(call.endedAt) + ' (' + call.ended + ')');
  else cell(tr, seconds(Date.now() - skew - call.enteredAt), 'since');
  tr.addEventListener('click', () => {
    selected = call.callId;
    chosen = true;
    render();
  });
  return tr;
}
function pick() {
  if (selected !== null && calls.has(selected) && (chosen || !calls.get(selected).ended)) return;
  if (selected !== null && !calls.has(selected)) chosen = false;
  // Unless one was clicked: the newest live call, else (nothing live) the one that ended last.
  let latest = null;
  let last = null;
  for (const call of calls.values()) {
    if (!call.ended && (!latest || call.startedAt >= latest.startedAt)) latest = call;
    if (call.ended && (!last || call.endedAt >= last.endedAt)) last = call;
  }
  if (latest) selected = latest.callId;
  else if (!calls.has(selected)) selected = last ? last.callId : null;
}
function render() {
  pick();
  const live = [];
  const ended = [];
  for (const call of calls.values()) (call.ended ? ended : live).push(call);
  ended.sort((a, b) => b.endedAt - a.endedAt);
  el('live').replaceChildren(...live.map(row));
  el('ended').replaceChildren(...ended.map(row));
  el('none').hidden = live.length > 0;
  renderDetail();
}
function renderDetail() {
  const call = selected === null ? undefined : calls.get(selected);
  const chart = el('chart');
  if (!call) {
    el('title').textContent = 'No call selected';
    chart.replaceChildren();
    chart.dataset.machine = '';
    shown = null;
    el('log').replaceChildren();
    return;
  }
  el('title').textContent = 'Call ' + call.callId + ' (' + call.machine + ')' + (call.caller ? ' from ' + call.caller : '') +
    (call.mailbox ? ' for ' + call.mailbox : '') + ': ' + call.state + (call.ended ? ' (ended: ' + call.ended + ')' : '');
  const model = charts.get(call.machine);
  if (shown !== call.machine) {
    shown = call.machine;
    titles = new Map();
    if (model) {
      chart.innerHTML = model.svg;
      for (const g of chart.querySelectorAll('g.node, g.cluster')) {
        const t = g.querySelector(':scope > title');
        if (t) titles.set(t.textContent, g);
      }
    } else {
      const p = document.createElement('p');
      p.textContent = 'No chart for the machine "' + call.machine + '".';
      chart.replaceChildren(p);
    }
  }
  chart.dataset.machine = call.machine;
  chart.dataset.active = call.active.join(' ');
  for (const g of titles.values()) g.classList.remove('on', 'visited');
  if (model) {
    for (const entry of call.log) for (const leaf of entry.to.split(',')) mark(model, leaf, 'visited');
    for (const path of call.active) mark(model, path, 'on');
    const leaf = titles.get((model.states[call.active[call.active.length - 1]] || [])[0]);
    if (leaf && chart.classList.contains('full')) {
      // Centre the active state in the chart's own scroll box (scrollIntoView would move the page too).
      const box = chart.getBoundingClientRect();
      const at = leaf.getBoundingClientRect();
      chart.scrollLeft += at.left + at.width / 2 - (box.left + box.width / 2);
      chart.scrollTop += at.top + at.height / 2 - (box.top + box.height / 2);
    }
  }
  const log = el('log');
  log.replaceChildren(...call.log.map((t) => {
    const li = document.createElement('li');
    li.dataset.to = t.to;
    const time = document.createElement('time');
    time.textContent = clock(t.at);
    const on = document.createElement('em');
    on.textContent = ' on ' + t.event;
    li.append(time, (t.from === null ? 'start' : t.from) + ' → ' + t.to, on);
    return li;
  }));
  log.scrollTop = log.scrollHeight;
}
function mark(model, path, cls) {
  for (const title of model.states[path] || []) {
    const g = titles.get(title);
    if (g) g.classList.add(cls);
  }
}
function tick() {
  for (const td of document.querySelectorAll('#live td.since')) {
    const call = calls.get(td.parentElement.dataset.call);
    if (call) td.textContent = seconds(Date.now() - skew - call.enteredAt);
  }
}
function receive(message) {
  if (typeof message.now === 'number') skew = Date.now() - message.now;
  if (message.type === 'calls') {
    calls.clear();
    for (const call of message.calls) calls.set(call.callId, call);
  } else if (message.type === 'call') {
    const before = calls.get(message.call.callId);
    // The same call (not a new one on the same channel id) keeps its log, also past its end.
    const log = before && before.startedAt === message.call.startedAt ? before.log : [];
    if (message.transition) log.push(message.transition);
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    calls.set(message.call.callId, Object.assign({}, message.call, { log }));
  } else if (message.type === 'gone') {
    for (const id of message.callIds) calls.delete(id);
  }
  render();
}
function connect() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: 'hello', token }));
  };
  ws.onmessage = (m) => {
    setStatus('live', 'live');
    receive(JSON.parse(m.data));
  };
  ws.onclose = (e) => {
    if (e.code === 4401) {
      setStatus('refused', 'refused: wrong or missing token (open the address the server printed, #token=... included)');
      return;
    }
    setStatus('disconnected', 'disconnected, retrying…');
    setTimeout(connect, 1000);
  };
}
el('zoom').addEventListener('change', (e) => {
  el('chart').classList.toggle('full', e.target.checked);
  renderDetail();
});
setInterval(tick, 1000);
connect();
`;
