// Ids the client chooses itself, so that a call can route a resource's events before the request that creates it
// is answered (Asterisk often sends the first event first).

import { randomBytes, randomUUID } from 'node:crypto';
import { AriParamsError } from './errors.js';

/** A fresh id for `channels.playWithId` / `bridges.playWithId` (a UUID). */
export function newPlaybackId(): string {
  return randomUUID();
}

/** A fresh id for `channels.originateWithId` / `channels.createWithId` / `snoopChannelWithId` (a UUID). */
export function newChannelId(): string {
  return randomUUID();
}

/** A fresh id for `bridges.createWithId` (a UUID). */
export function newBridgeId(): string {
  return randomUUID();
}

const SEGMENT = /^[A-Za-z0-9_@+=-][A-Za-z0-9._@+=-]*$/;
const MAX_SEGMENT = 200;

/**
 * Checks a recording name (`voicemail/305/INBOX/msg1`): `/`-separated segments of letters, digits and `. _ - @ + =`,
 * none empty, `.` or `..`, none starting with a dot, at most 200 characters each; no leading or trailing `/`.
 * Asterisk stores the recording at that path under its recordings directory.
 * @throws AriParamsError naming `param` when it is not.
 */
export function assertRecordingName(name: string, param = 'recordingName'): void {
  if (typeof name !== 'string' || name === '') throw new AriParamsError(param, 'expected a non-empty string');
  for (const segment of name.split('/')) {
    if (segment === '') {
      throw new AriParamsError(param, `"${name}" has an empty segment (a leading, trailing or double "/")`);
    }
    if (segment.length > MAX_SEGMENT) {
      throw new AriParamsError(param, `"${name}" has a segment longer than ${MAX_SEGMENT} characters`);
    }
    if (!SEGMENT.test(segment)) {
      throw new AriParamsError(
        param,
        `"${name}": segment "${segment}" may only hold letters, digits and . _ - @ + = and must not start with "."`,
      );
    }
  }
}

/** True when {@link assertRecordingName} accepts `name`. */
export function isValidRecordingName(name: string): boolean {
  try {
    assertRecordingName(name);
    return true;
  } catch {
    return false;
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A fresh recording name under `prefix`: `voicemail/305/INBOX` gives `voicemail/305/INBOX/20261121-215605-025-9f3ac2e1`
 * (UTC time to the millisecond, then 8 random hex digits), so names sort by time and never collide.
 *
 * @param prefix the folder, `/`-separated; a valid recording name (segments of letters, digits and `. _ - @ + =`).
 * @param now the time to put in the name, in ms since the epoch. Default `Date.now()`.
 * @throws AriParamsError (param `prefix`) when the prefix is not a valid recording name.
 */
export function newRecordingName(prefix: string, now: number = Date.now()): string {
  assertRecordingName(prefix, 'prefix');
  const d = new Date(now);
  if (Number.isNaN(d.getTime())) throw new AriParamsError('now', `expected a time in ms, got ${String(now)}`);
  const stamp =
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}-` +
    `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}-${pad(d.getUTCMilliseconds(), 3)}`;
  return `${prefix}/${stamp}-${randomBytes(4).toString('hex')}`;
}
