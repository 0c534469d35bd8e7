// Conformance: every scenario a real Asterisk 22.10.1 answered (test/fixtures/traces: the seven of
// ../shared/asterisk/traces and the project's own, recorded with scripts/record-traces.ts) is replayed with the same
// REST requests (the trace's ids mapped to the ones given this time) against the simulator, on a manual clock
// advanced by the trace's own timing, or, when ARI_URL (ARI_USERNAME, ARI_PASSWORD) is set, against that real
// Asterisk in real time, each request sent once the events the trace had before it have arrived. Compared, per app:
// the order of event types for each resource (channel, playback, recording, bridge), the REST statuses and error
// messages, and the field set of every payload. On a real Asterisk this checks the traces still say what Asterisk
// does (and so that the simulator is held to Asterisk, not to an old recording).

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { type AriEventFrame, type AriTarget, ari, EventLog, fence, withoutFences } from './helpers.js';

const realAsterisk: AriTarget | undefined = process.env.ARI_URL
  ? {
      url: process.env.ARI_URL.replace(/\/+$/, '').replace(/\/ari$/, ''),
      username: process.env.ARI_USERNAME ?? '',
      password: process.env.ARI_PASSWORD ?? '',
    }
  : undefined;
const TRACES = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
const APPS = ['vm-record', 'rec-app', 'caller'];

type Entry =
  | { kind: 'rest'; t: number; method: string; path: string; status: number; response: unknown }
  | { kind: 'event'; t: number; event: AriEventFrame }
  | { kind: 'note'; t: number; text: string };

interface Difference {
  scenario: string | '*';
  what: string;
  reason: string;
  /** Resources (subjects) whose events the trace cut short: the simulator may send more after the trace's last. */
  truncated?: (subject: string, trace: string[]) => boolean;
  /** REST requests whose answer differs in content (but not in status or fields). */
  restContent?: (method: string, path: string) => boolean;
}

/**
 * Where the simulator knowingly differs from the traces, in one place (docs/simulator-differences.md says more). The
 * project's own traces (beep-window-stop, queued-recording-controls, queued-recording-hangup, media-comma-split)
 * replay with no entry here: what they showed became simulator behaviour. What stays is not a behaviour of Asterisk but of how a trace was taken: cut short, an Asterisk that
 * held earlier state, a file size that depends on thread timing, a prompt missing on the traced box.
 * (Timing is never compared: the simulator's durations are exact where Asterisk's drift by a few ms, and several
 * happenings that Asterisk runs on different threads interleave differently between apps from one run to the next,
 * which is why events are compared per resource and per app.)
 */
const KNOWN_DIFFERENCES: Difference[] = [
  {
    scenario: 'review-playback-delete',
    what: "the caller half's teardown (and its line tone's end) after the last DELETE",
    reason: 'the trace was cut at the answer of its last request; Asterisk tore the caller half down after that',
    truncated: () => true,
  },
  {
    scenario: 'copy-and-mwi',
    what: 'contents of GET /mailboxes and GET /recordings/stored',
    reason:
      'the traced Asterisk still held mailboxes and recordings of the earlier scenarios; the simulator starts empty',
    restContent: (method, path) => method === 'GET' && (path === '/mailboxes' || path === '/recordings/stored'),
  },
  {
    scenario: '*',
    what: 'size of GET /recordings/stored/{name}/file',
    reason:
      'Asterisk stops a recording a few ms after the request and starts it after the beep as its threads allow; the simulator cuts exactly',
    restContent: (method, path) => method === 'GET' && path.endsWith('/file'),
  },
  {
    scenario: '*',
    what: 'the `sound:vm-intro` the caller says in the traces',
    reason:
      'absent on the traced Asterisk but installed here; it never plays either way, queued behind the endless line tone `tone:425/200,0/200` (split at its comma into `tone:425/200` and `0/200`, as Asterisk does), so it starts and fails when the bridge empties',
  },
];

function differencesFor(scenario: string): Difference[] {
  return KNOWN_DIFFERENCES.filter((d) => d.scenario === '*' || d.scenario === scenario);
}

/** The shape of a payload: its keys, recursively (arrays by their first element). */
function shape(v: unknown): unknown {
  // Arrays by their first element when it is an object; a list of ids is a list, however long (its length races).
  if (Array.isArray(v)) return v.length && v[0] && typeof v[0] === 'object' ? [shape(v[0])] : 'array';
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  }
  return typeof v;
}

function subjectOf(e: AriEventFrame): string {
  const o = e as Record<string, { id?: string; name?: string }>;
  if (o.playback) return `playback:${o.playback.id}`;
  if (o.recording) return `recording:${o.recording.name}`;
  if (e.type === 'Dial') return `channel:${o.peer!.id}`;
  if (o.channel) return `channel:${o.channel.id}`;
  if (o.bridge) return `bridge:${o.bridge.id}`;
  return e.type;
}

function bySubject(frames: AriEventFrame[], app: string): Map<string, AriEventFrame[]> {
  const out = new Map<string, AriEventFrame[]>();
  for (const f of frames) {
    if (f.application !== app) continue;
    const key = subjectOf(f);
    out.set(key, [...(out.get(key) ?? []), f]);
  }
  return out;
}

/** Learns real-id -> simulator-id pairs by walking a traced answer and ours side by side. */
function learnIds(real: unknown, ours: unknown, ids: Map<string, string>): void {
  if (Array.isArray(real) && Array.isArray(ours)) {
    for (const [i, r] of real.entries()) learnIds(r, ours[i], ids);
  } else if (real && ours && typeof real === 'object' && typeof ours === 'object') {
    const r = real as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    if (typeof r.id === 'string' && typeof o.id === 'string') ids.set(r.id, o.id);
  }
}

const scenarios = readdirSync(TRACES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with what `p` gives, or with undefined after `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * For each REST entry of a trace, how many events each app had received before the request could have been sent
 * (events that cannot be its answer). scripts/record-traces.ts stamps a request with the time it was sent; the seven
 * traces of ../shared stamp it when its answer came, so there only the events before the previous answer count.
 */
function gatesOf(entries: Entry[], stampedAtSend: boolean): Map<Entry, Map<string, number>> {
  const out = new Map<Entry, Map<string, number>>();
  let beforePrevious = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const e of entries) {
    if (e.kind === 'event') seen.set(e.event.application, (seen.get(e.event.application) ?? 0) + 1);
    if (e.kind !== 'rest') continue;
    if (stampedAtSend) {
      const counts = new Map<string, number>();
      for (const x of entries) {
        if (x.kind === 'event' && x.t < e.t)
          counts.set(x.event.application, (counts.get(x.event.application) ?? 0) + 1);
      }
      out.set(e, counts);
    } else out.set(e, beforePrevious);
    beforePrevious = new Map(seen);
  }
  return out;
}

/** The recording names a trace stores (so a real Asterisk that ran it before can be cleared of them first). */
function recordingNames(entries: Entry[]): string[] {
  const names = new Set<string>();
  for (const e of entries) {
    if (e.kind !== 'rest') continue;
    const [path, query = ''] = e.path.split('?');
    const params = new URLSearchParams(query);
    const name = params.get('name');
    if (name && path!.endsWith('/record')) names.add(name);
    const copy = params.get('destinationRecordingName');
    if (copy) names.add(copy);
    const stored = /^\/recordings\/(?:stored|live)\/([^/]+)/.exec(path!);
    if (stored) names.add(decodeURIComponent(stored[1]!));
  }
  return [...names].filter((n) => !n.split('/').includes('..'));
}

let sim: Simulator | undefined;
let log: EventLog | undefined;
afterEach(async () => {
  await log?.close();
  await sim?.close();
  log = undefined;
  sim = undefined;
});

describe(`replaying the real-Asterisk traces against ${realAsterisk ? `the real Asterisk at ${realAsterisk.url}` : 'the simulator'}`, () => {
  it('has scenarios to replay', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(7);
  });

  it.each(scenarios)(
    '%s',
    async (scenario) => {
      const trace = JSON.parse(readFileSync(`${TRACES}${scenario}.json`, 'utf8')) as { asterisk: string; log: Entry[] };
      const diffs = differencesFor(scenario);
      const traceEvents = trace.log.filter((e): e is Extract<Entry, { kind: 'event' }> => e.kind === 'event');
      let target: AriTarget;
      if (realAsterisk) {
        target = realAsterisk;
        // A real Asterisk keeps what an earlier run stored: the trace's names start absent, as they did when traced.
        for (const name of recordingNames(trace.log)) {
          await ari(target, 'DELETE', `/recordings/stored/${encodeURIComponent(name)}`);
        }
      } else {
        sim = await createSimulator({ clock: 'manual' });
        target = sim;
      }
      const events = await EventLog.open(target, APPS);
      log = events;
      const ids = new Map<string, string>();
      const mapPath = (path: string): string => {
        let out = path;
        for (const [from, to] of [...ids].sort((a, b) => b[0].length - a[0].length)) out = out.split(from).join(to);
        return out;
      };
      const gates = gatesOf(trace.log, trace.asterisk.includes('scripts/record-traces.ts'));
      /** Real time only: waits (bounded) until each app has had as many events as `want` says. */
      const gate = async (want: Map<string, number>, ms: number): Promise<void> => {
        const got = (app: string) => events.frames.filter((f) => f.application === app).length;
        const deadline = Date.now() + ms;
        while ([...want].some(([app, n]) => got(app) < n) && Date.now() < deadline) await sleep(5);
      };
      /** The id of our callee half, paired with the trace's by the ";2" of its name. */
      const calleeOf = async (name: string): Promise<string | undefined> => {
        if (sim) return sim.channels().find((c) => c.name === name)?.id;
        const half = (f: AriEventFrame | undefined) =>
          [f?.channel, f?.peer].find((c) => (c as { name?: string } | undefined)?.name === name) as
            | { id: string }
            | undefined;
        return half(
          await within(
            events.next((f) => half(f) !== undefined),
            5_000,
          ),
        )?.id;
      };
      let now = 0;
      let sentAt = Date.now();
      let previous = 0;
      for (const entry of trace.log) {
        if (entry.kind !== 'rest') continue;
        if (sim) {
          sim.clock.advance(Math.max(0, entry.t - now));
          now = Math.max(now, entry.t);
        } else {
          // Asterisk's pace: the events the trace had first, then at least the trace's gap since the last request.
          const gap = Math.max(0, entry.t - previous);
          await gate(gates.get(entry)!, gap + 5_000);
          await sleep(Math.max(0, sentAt + gap - Date.now()));
          sentAt = Date.now();
          previous = entry.t;
        }
        const r = await ari(target, entry.method, mapPath(entry.path));
        const where = `${scenario}: ${entry.method} ${entry.path}`;
        expect(r.status, where).toBe(entry.status);
        const traced = entry.response;
        if (typeof traced === 'string' && traced.startsWith('<')) {
          const [, , type] = /^<(\d+) bytes ([^>]+)>$/.exec(traced) ?? [];
          expect(r.type, where).toBe(type);
          expect(r.bytes!.subarray(0, 4).toString('ascii'), where).toBe('RIFF');
          const restContent = diffs.some((d) => d.restContent?.(entry.method, entry.path));
          if (!restContent) expect(r.bytes!.length, where).toBe(Number(/^<(\d+)/.exec(traced)![1]));
          continue;
        }
        if (traced && typeof traced === 'object' && 'message' in traced) {
          expect(r.json, where).toEqual(traced);
          continue;
        }
        expect(shape(r.json), where).toEqual(shape(traced));
        learnIds(traced, r.json, ids);
        if (
          entry.method === 'POST' &&
          /^\/channels(\?|\/[^/?]+\?)/.test(entry.path) &&
          /endpoint=Local/.test(entry.path)
        ) {
          // The callee half's id comes first in events: pair the halves by name.
          const realOne = traced as { name: string };
          const realTwo = traceEvents.find(
            (e) => (e.event.channel as { name?: string } | undefined)?.name === realOne.name.replace(/;1$/, ';2'),
          );
          const oursTwo = await calleeOf((r.json as { name: string }).name.replace(/;1$/, ';2'));
          if (realTwo && oursTwo) ids.set((realTwo.event.channel as { id: string }).id, oursTwo);
        }
      }
      if (!sim) {
        const all = new Map<string, number>();
        for (const e of traceEvents) all.set(e.event.application, (all.get(e.event.application) ?? 0) + 1);
        await gate(all, 5_000);
      }
      await fence(target, events, APPS);
      const reverse = new Map([...ids].map(([traceId, ourId]) => [ourId, traceId]));
      const ours = withoutFences(events.frames).map(
        (f) =>
          JSON.parse(JSON.stringify(f), (_k, v) =>
            typeof v === 'string' ? (reverse.get(v) ?? v) : v,
          ) as AriEventFrame,
      );
      const traced = traceEvents.map((e) => e.event);
      let compared = 0;
      for (const app of APPS) {
        const want = bySubject(traced, app);
        const got = bySubject(ours, app);
        for (const [subject, subjectEvents] of want) {
          const types = subjectEvents.map((e) => e.type);
          const ourEvents = got.get(subject) ?? [];
          const ourTypes = ourEvents.map((e) => e.type);
          const truncated = diffs.some((d) => d.truncated?.(subject, types));
          const where = `${scenario} / ${app} / ${subject}`;
          expect(truncated ? ourTypes.slice(0, types.length) : ourTypes, where).toEqual(types);
          subjectEvents.forEach((e, i) => {
            expect(shape(ourEvents[i]), `${where} #${i} ${e.type}`).toEqual(shape(e));
            compared++;
          });
        }
        for (const subject of got.keys()) {
          const allowed = want.has(subject) || diffs.some((d) => d.truncated?.(subject, []));
          expect(
            allowed,
            `${scenario} / ${app}: ${realAsterisk ? 'Asterisk' : 'the simulator'} sent events for ${subject}, the trace has none`,
          ).toBe(true);
        }
      }
      expect(compared).toBe(traced.length);
    },
    realAsterisk ? 90_000 : 30_000,
  );
});
