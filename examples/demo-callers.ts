/**
 * The scripted callers of `npm run demo` (examples/demo.ts): the ARI voicemail tutorial's sample sessions and a
 * recorded conversation, played by the simulator's far end over ARI only, so the same scripts could call a real
 * Asterisk. Each step waits for what the caller would hear (a prompt starting, the beep) before pressing a key.
 */
import type { VoicemailLibraryEvent } from 'ari-voicemail';
import type { FarEnd, FarEndCall, FarEndEvent } from 'ari-voicemail/simulator';

/** Library events of the voicemail app, awaited per call. */
export class CallEvents {
  readonly #seen: VoicemailLibraryEvent[] = [];
  readonly #waiters: Array<{ test: (e: VoicemailLibraryEvent) => boolean; resolve: () => void }> = [];

  readonly push = (event: VoicemailLibraryEvent): void => {
    this.#seen.push(event);
    for (const waiter of this.#waiters.filter((w) => w.test(event))) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  /** Every event so far. */
  get all(): readonly VoicemailLibraryEvent[] {
    return this.#seen;
  }

  /** Resolves when the call has had `count` events of that type (counting those already seen). */
  reached(callId: string, type: VoicemailLibraryEvent['type'], count = 1): Promise<void> {
    const test = () => this.#seen.filter((e) => e.callId === callId && e.type === type).length >= count;
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }
}

/** A voicemail caller's script. */
export interface VoicemailSession {
  readonly title: string;
  readonly mailbox: string;
  /** Takes thrown away by the caller (`*`). */
  readonly discards: number;
  /** Mailboxes the message is copied to. */
  readonly copies: readonly string[];
  readonly urgent: boolean;
  play(caller: Caller): Promise<void>;
}

/** One call to voicemail, with the steps the scripts are made of. */
export class Caller {
  constructor(
    readonly call: FarEndCall,
    readonly events: CallEvents,
  ) {}

  get callId(): string {
    return this.call.calleeId;
  }

  /** Resolves on the next event of this call (after now) that passes `test`. */
  next(test: (e: FarEndEvent) => boolean): Promise<FarEndEvent> {
    const from = this.call.events.length;
    return this.call.waitFor((e) => this.call.events.indexOf(e) >= from && test(e), 30_000);
  }

  /** The voicemail app starts a playback on the caller's line (a prompt, the greeting, the message in review). */
  #playback(media?: string) {
    return (e: FarEndEvent) => {
      const playback = e.playback as { target_uri?: string; media_uri?: string } | undefined;
      return (
        e.type === 'PlaybackStarted' &&
        playback?.target_uri === `channel:${this.callId}` &&
        (media === undefined || String(playback.media_uri).startsWith(media))
      );
    };
  }

  /** Presses `keys` once `before` has happened (registered first: Asterisk may be quicker than us). */
  async press(keys: string, after?: Promise<unknown>): Promise<void> {
    await after;
    await this.call.dtmf(keys);
  }

  /** Waits for the greeting and skips it with `#`; resolves when recording started (after the beep). */
  async skipGreeting(): Promise<void> {
    await this.call.waitFor(this.#playback(), 30_000);
    await this.recordAfter(() => this.call.dtmf('#'));
  }

  /** Runs `action` and resolves once a new take is being recorded. */
  async recordAfter(action: () => Promise<unknown>): Promise<void> {
    const started = this.next((e) => e.type === 'RecordingStarted');
    await action();
    await started;
  }

  /** Speaks for `seconds` (a tone into the line). */
  speak(seconds: number): Promise<void> {
    return this.call.tone(seconds, 440);
  }

  /** Presses `#` to stop recording; resolves when the message is played back for review. */
  async stopAndReview(): Promise<void> {
    const review = this.next(this.#playback('recording:'));
    await this.call.dtmf('#');
    await review;
  }

  /** Presses `*`; resolves when the take was deleted and a new one is being recorded. */
  async rerecord(): Promise<void> {
    const count = this.events.all.filter((e) => e.callId === this.callId && e.type === 'voicemail.discarded').length;
    await this.recordAfter(() => this.call.dtmf('*'));
    await this.events.reached(this.callId, 'voicemail.discarded', count + 1);
  }

  /** In review: `4`, marked urgent. */
  async markUrgent(): Promise<void> {
    const notice = this.next(this.#playback('sound:vm-marked-urgent'));
    await this.call.dtmf('4');
    await notice;
  }

  /** In review: `8`, the mailbox's digits, `#`; resolves when the copy is made. */
  async copyTo(mailbox: string): Promise<void> {
    const asked = this.next(this.#playback('sound:vm-extension'));
    await this.call.dtmf('8');
    await asked;
    const copies = this.events.all.filter((e) => e.callId === this.callId && e.type === 'voicemail.copied').length;
    await this.call.dtmf(`${mailbox}#`);
    await this.events.reached(this.callId, 'voicemail.copied', copies + 1);
  }

  /** In review: `#` keeps the message; resolves when voicemail is over (goodbye played, VMSTATUS set). */
  async keep(): Promise<void> {
    await this.call.dtmf('#');
    await this.events.reached(this.callId, 'voicemail.finished');
  }

  /** Hangs up; resolves when the message is saved. */
  async hangUpAndKeep(): Promise<void> {
    await this.call.hangup();
    await this.events.reached(this.callId, 'voicemail.saved');
  }
}

/** The tutorial's sample sessions, on mailbox 305. */
export const VOICEMAIL_SESSIONS: readonly VoicemailSession[] = [
  {
    title: 'record, # to stop, hang up while it plays back: kept',
    mailbox: '305',
    discards: 0,
    copies: [],
    urgent: false,
    async play(c) {
      await c.skipGreeting();
      await c.speak(2);
      await c.stopAndReview();
      await c.hangUpAndKeep();
    },
  },
  {
    title: '* twice (each take deleted, recording again), then # and # to keep',
    mailbox: '305',
    discards: 2,
    copies: [],
    urgent: false,
    async play(c) {
      await c.skipGreeting();
      await c.speak(1);
      await c.rerecord();
      await c.speak(1);
      await c.rerecord();
      await c.speak(2);
      await c.stopAndReview();
      await c.keep();
    },
  },
  {
    title: 'record, #, review, * (deleted), record again, #, # to keep',
    mailbox: '305',
    discards: 1,
    copies: [],
    urgent: false,
    async play(c) {
      await c.skipGreeting();
      await c.speak(2);
      await c.stopAndReview();
      await c.rerecord();
      await c.speak(3);
      await c.stopAndReview();
      await c.keep();
    },
  },
  {
    title: 'record, #, 4 (urgent), 8 320 # (copied to 320), # to keep',
    mailbox: '305',
    discards: 0,
    copies: ['320'],
    urgent: true,
    async play(c) {
      await c.skipGreeting();
      await c.speak(2);
      await c.stopAndReview();
      await c.markUrgent();
      await c.copyTo('320');
      await c.keep();
    },
  },
];

/** A conversation between two parties handed to `rec-app` (A on `aExten`, B on `aExten + 1`), both speaking. */
export async function conversation(
  farEnd: FarEnd,
  aExten: string,
  bridge: (a: FarEndCall, b: FarEndCall) => Promise<void>,
): Promise<{ a: FarEndCall; b: FarEndCall }> {
  const a = await farEnd.call(aExten);
  const b = await farEnd.call(String(Number(aExten) + 1));
  await bridge(a, b);
  await a.tone(1.5, 523);
  await b.tone(1.5, 392);
  await a.hangup();
  await b.hangup();
  return { a, b };
}
