import { assign, fromPromise, setup } from 'xstate';
import type { PlaybackFinished } from '../src/ari/events.js';
import type { HangupEvent } from './hangup.js';
import type { FinishCallInput, PlayMediaInput } from './voicemail.js';

// A voicemail call taken up again after the process that ran it died (or lost it in a gap): its journal says a
// take was under way. The take is settled first (stopped and kept as a message, or deleted when the caller had
// discarded it), then the caller is told how it ended and the channel is sent on, as the voicemail machine's own
// ending does. Pure: the actors are provided by `src/voicemail/`.

export interface VoicemailResumeInput {
  readonly callId: string;
  /** A token unique to this call, safe in ids: the farewell's playback id derives from it. */
  readonly tag: string;
  /** What the caller hears when a message was kept, and otherwise. */
  readonly saved: readonly string[];
  readonly goodbye: readonly string[];
  /** A call that had already finished voicemail (VMSTATUS chosen) and only needs sending on. */
  readonly finished: FinishCallInput | null;
}

/** What settling the call's takes did: how many became messages. */
export interface SettledCall {
  readonly saved: number;
}

export interface VoicemailResumeContext {
  readonly callId: string;
  readonly tag: string;
  readonly media: { readonly saved: readonly string[]; readonly goodbye: readonly string[] };
  readonly finished: FinishCallInput | null;
  readonly saved: number;
  readonly playbackId: string | null;
  readonly hungUp: boolean;
}

export type VoicemailResumeEvent = Pick<PlaybackFinished, 'type' | 'playback'> | Pick<HangupEvent, 'type'>;

const notProvided = (name: string) => () => {
  throw new Error(`voicemail resume machine: "${name}" is not provided`);
};

export const voicemailResumeMachine = setup({
  types: {
    context: {} as VoicemailResumeContext,
    events: {} as VoicemailResumeEvent,
    input: {} as VoicemailResumeInput,
  },
  actors: {
    settleCall: fromPromise<SettledCall, { callId: string }>(notProvided('settleCall')),
    playMedia: fromPromise<void, PlayMediaInput>(notProvided('playMedia')),
    finishCall: fromPromise<void, FinishCallInput>(notProvided('finishCall')),
  },
  actions: {
    markHungUp: assign({ hungUp: true }),
    keepSettled: assign((_, { settled }: { settled: SettledCall }) => ({ saved: settled.saved })),
    nameNextPlayback: assign(({ context }) => ({ playbackId: `${context.tag}-resume` })),
  },
  guards: {
    hasHungUp: ({ context }) => context.hungUp,
    isOnlySendingOn: ({ context }) => context.finished !== null,
    isCurrentPlayback: ({ context, event }) =>
      event.type === 'PlaybackFinished' && event.playback.id === context.playbackId,
  },
}).createMachine({
  id: 'voicemailResume',
  context: ({ input }) => ({
    callId: input.callId,
    tag: input.tag,
    media: { saved: input.saved, goodbye: input.goodbye },
    finished: input.finished,
    saved: 0,
    playbackId: null,
    hungUp: false,
  }),
  initial: 'settling',
  on: {
    hangup: { actions: 'markHungUp' },
  },
  states: {
    settling: {
      description: 'Stops the take if still live; keeps it as a message, or deletes it when it was discarded.',
      invoke: {
        src: 'settleCall',
        input: ({ context }) => ({ callId: context.callId }),
        onDone: [
          {
            guard: 'hasHungUp',
            target: 'hungUp',
            actions: { type: 'keepSettled', params: ({ event }) => ({ settled: event.output }) },
          },
          {
            guard: 'isOnlySendingOn',
            target: 'finishing',
            actions: { type: 'keepSettled', params: ({ event }) => ({ settled: event.output }) },
          },
          { target: 'telling', actions: { type: 'keepSettled', params: ({ event }) => ({ settled: event.output }) } },
        ],
        onError: [{ guard: 'hasHungUp', target: 'hungUp' }, { target: 'telling' }],
      },
    },
    telling: {
      description: 'Tells the caller the message was saved (or goodbye).',
      entry: 'nameNextPlayback',
      invoke: {
        src: 'playMedia',
        input: ({ context }) => ({
          playbackId: context.playbackId as string,
          media: context.saved > 0 ? context.media.saved : context.media.goodbye,
        }),
        onError: { target: 'finishing' },
      },
      on: {
        PlaybackFinished: { guard: 'isCurrentPlayback', target: 'finishing' },
        hangup: { target: 'hungUp', actions: 'markHungUp' },
      },
    },
    finishing: {
      description: 'Sets VMSTATUS and sends the channel back to the dialplan (or hangs up).',
      invoke: {
        src: 'finishCall',
        input: ({ context }) =>
          context.finished ?? { status: context.saved > 0 ? ('SUCCESS' as const) : ('FAILED' as const), exit: null },
        onDone: 'done',
        onError: 'done',
      },
    },
    hungUp: { type: 'final' },
    done: { type: 'final' },
  },
});
