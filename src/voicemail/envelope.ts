import type { VoicemailMessage } from './store.js';

// The envelope of a message as app_voicemail says it by default ("received <when> at <time> from <caller>"),
// built only from core prompts and ARI's `digits:`/`number:` media (ARI has no date media of its own).

/** Options of {@link envelopeMedia}. */
export interface EnvelopeOptions {
  /** Now, to say "today" and "yesterday". */
  readonly now: Date;
  /** The IANA time zone the owner hears times in. Default: the process's. */
  readonly timeZone?: string;
}

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function partsOf(date: Date, timeZone: string | undefined): Parts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  const get = (type: string) => format.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: WEEKDAYS.indexOf(get('weekday')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
  };
}

/** "first" .. "thirty first": `digits/h-N` exists for 1-20 and 30; 21-29 and 31 are "twenty"/"thirty" + "first".. */
export function ordinalMedia(day: number): string[] {
  if (day <= 20 || day === 30) return [`sound:digits/h-${day}`];
  const tens = Math.floor(day / 10) * 10;
  return [`sound:digits/${tens}`, `sound:digits/h-${day - tens}`];
}

/** "10 15 a.m.", "3 o'clock p.m.", "9 oh 5 a.m.". */
export function timeMedia(hour: number, minute: number): string[] {
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  const minutes =
    minute === 0
      ? ['sound:digits/oclock']
      : minute < 10
        ? ['sound:digits/oh', `sound:digits/${minute}`]
        : [`number:${minute}`];
  return [`number:${twelve}`, ...minutes, hour < 12 ? 'sound:digits/a-m' : 'sound:digits/p-m'];
}

function dayNumber(p: Parts): number {
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

/** "today", "yesterday", "Tuesday" (within a week), else "Tuesday, March first". */
export function dateMedia(when: Date, options: EnvelopeOptions): string[] {
  const at = partsOf(when, options.timeZone);
  const days = dayNumber(partsOf(options.now, options.timeZone)) - dayNumber(at);
  if (days === 0) return ['sound:digits/today'];
  if (days === 1) return ['sound:digits/yesterday'];
  if (days > 1 && days < 7) return [`sound:digits/day-${at.weekday}`];
  return [`sound:digits/day-${at.weekday}`, `sound:digits/mon-${at.month - 1}`, ...ordinalMedia(at.day)];
}

/** "from extension 2001" (up to 6 digits), "from phone number 5551234", or "unknown caller". */
export function callerMedia(callerId: VoicemailMessage['callerId']): string[] {
  const digits = callerId.number.replace(/[^0-9]/g, '');
  if (digits.length === 0) return ['sound:vm-unknown-caller'];
  return digits.length <= 6
    ? ['sound:vm-from-extension', `digits:${digits}`]
    : ['sound:vm-from-phonenumber', `digits:${digits}`];
}

/** The whole envelope: "received today at 10 15 a.m. from extension 2001". */
export function envelopeMedia(message: Pick<VoicemailMessage, 'receivedAt' | 'callerId'>, options: EnvelopeOptions) {
  const when = new Date(message.receivedAt);
  const at = partsOf(when, options.timeZone);
  return [
    'sound:vm-received',
    ...dateMedia(when, options),
    'sound:digits/at',
    ...timeMedia(at.hour, at.minute),
    ...callerMedia(message.callerId),
  ];
}
