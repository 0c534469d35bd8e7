// What a recording hears, rebuilt from the history of what was written where:
// a channel writes its own playbacks plus its bridge's (announcer playbacks and the other members' incoming audio);
// a Local half hears what its peer writes. Recursion stops after two hops, enough for caller-bridge-Local-callee.

import { SAMPLES_PER_MS } from './audio.js';
import type { Membership, Segment, SimBridge, SimChannel, SimRecording, Target } from './model.js';

const MAX_DEPTH = 2;

function mixSegments(segments: readonly Segment[], base: number, a: number, b: number, out: Int32Array): void {
  for (const seg of segments) {
    const s = Math.max(a, seg.start);
    const e = Math.min(b, seg.end);
    if (e <= s) continue;
    const first = Math.round((s - base) * SAMPLES_PER_MS);
    const n = Math.min(out.length, Math.round((e - base) * SAMPLES_PER_MS)) - first;
    if (n > 0) seg.source.mixInto(out, first, seg.offsetMs + (s - seg.start), n);
  }
}

function overlap(m: Membership, a: number, b: number, now: number): [number, number] | undefined {
  const s = Math.max(a, m.start);
  const e = Math.min(b, Math.min(m.end, now));
  return e > s ? [s, e] : undefined;
}

function written(
  ch: SimChannel,
  base: number,
  a: number,
  b: number,
  out: Int32Array,
  now: number,
  depth: number,
): void {
  mixSegments(ch.segments, base, a, b, out);
  for (const m of ch.memberships) {
    const span = overlap(m, a, b, now);
    if (!span) continue;
    mixSegments(m.bridge.segments, base, span[0], span[1], out);
    if (depth >= MAX_DEPTH) continue;
    for (const other of m.bridge.memberships) {
      if (other.channel === ch) continue;
      const inner = overlap(other, span[0], span[1], now);
      if (inner) heard(other.channel, base, inner[0], inner[1], out, now, depth + 1);
    }
  }
}

/** What a channel receives from its far end: for a Local half, what its peer writes. */
function heard(ch: SimChannel, base: number, a: number, b: number, out: Int32Array, now: number, depth: number): void {
  if (ch.peer) written(ch.peer, base, a, b, out, now, depth);
}

function bridgeMix(br: SimBridge, base: number, a: number, b: number, out: Int32Array, now: number): void {
  mixSegments(br.segments, base, a, b, out);
  for (const m of br.memberships) {
    const span = overlap(m, a, b, now);
    if (span) heard(m.channel, base, span[0], span[1], out, now, 1);
  }
}

/** The audio a recording target captures between `a` and `b` (epoch ms), as a 32-bit mix. */
export function renderTarget(target: Target, a: number, b: number, now: number): Int32Array {
  const out = new Int32Array(Math.max(0, Math.round((b - a) * SAMPLES_PER_MS)));
  if (target.kind === 'channel') heard(target.channel, a, a, b, out, now, 0);
  else bridgeMix(target.bridge, a, a, b, out, now);
  return out;
}

function openAudible(segments: readonly Segment[], now: number): boolean {
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i]!;
    if (s.end > now && s.start <= now && s.source.audible) return true;
  }
  return false;
}

function writesAudio(ch: SimChannel, now: number, depth: number): boolean {
  if (openAudible(ch.segments, now)) return true;
  const br = ch.bridge;
  if (!br) return false;
  if (openAudible(br.segments, now)) return true;
  if (depth >= MAX_DEPTH) return false;
  for (const other of br.members)
    if (other !== ch && other.peer && writesAudio(other.peer, now, depth + 1)) return true;
  return false;
}

/** Whether the recording's target hears anything but silence right now (for maxSilenceSeconds). */
export function hearsAudioNow(rec: SimRecording, now: number): boolean {
  const t = rec.target;
  if (t.kind === 'channel') return !!t.channel.peer && writesAudio(t.channel.peer, now, 0);
  if (openAudible(t.bridge.segments, now)) return true;
  for (const m of t.bridge.members) if (m.peer && writesAudio(m.peer, now, 1)) return true;
  return false;
}

/** Recordings whose input may have changed when what `ch` writes changed. */
export function recordingsHearing(ch: SimChannel, into: Set<SimRecording>, depth = 0): void {
  const peer = ch.peer;
  if (!peer) return;
  for (const r of peer.recordings) into.add(r);
  const br = peer.bridge;
  if (!br) return;
  for (const r of br.recordings) into.add(r);
  if (depth >= MAX_DEPTH - 1) return;
  for (const m of br.members) if (m !== peer) recordingsHearing(m, into, depth + 1);
}

/** Recordings whose input may have changed when a bridge's audio or membership changed. */
export function recordingsHearingBridge(br: SimBridge, into: Set<SimRecording>): void {
  for (const r of br.recordings) into.add(r);
  for (const m of br.members) recordingsHearing(m, into, 1);
}
