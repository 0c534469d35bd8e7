// A promise actor logic for the implementations a call factory provides once for all calls. XState's `fromPromise`
// makes an AbortController for every invoked actor and aborts it, without a reason (a DOMException with a stack),
// whenever the invoking state is left before the promise settles: a cost paid on every REST request of every call,
// for a signal the call's implementations never read, since their requests already carry the call's own
// `scope.signal`. This logic behaves the same in the machine (the answer of a stopped actor is dropped) without it.

import type { AnyActorRef, EventObject, PromiseActorLogic, PromiseSnapshot } from 'xstate';

type AnyActorSystem = AnyActorRef['system'];

/** The one internal of the actor system used (as `fromPromise` does): an event from an actor to itself, inspected as such. */
interface Relay {
  _relay(source: AnyActorRef, target: AnyActorRef, event: EventObject): void;
}

const RESOLVE = 'xstate.promise.resolve';
const REJECT = 'xstate.promise.reject';
const STOP = 'xstate.stop';

/** What the promise creator of {@link fromCallPromise} receives. */
export interface CallPromiseArgs<TInput, TEmitted extends EventObject> {
  readonly input: TInput;
  /** The invoking call's actor system: `callScopeOf(system)` finds the call. */
  readonly system: AnyActorSystem;
  readonly emit: (emitted: TEmitted) => void;
}

function snapshot<TOutput, TInput>(
  status: PromiseSnapshot<TOutput, TInput>['status'],
  output: TOutput | undefined,
  error: unknown,
  input: TInput | undefined,
): PromiseSnapshot<TOutput, TInput> {
  // One shape for every snapshot of this logic (object literals with the same keys in the same order).
  return { status, output, error, input } as PromiseSnapshot<TOutput, TInput>;
}

/**
 * Like XState's `fromPromise`, for a promise that needs no signal of its own: the invoked actor is done with the
 * promise's value or fails with its rejection, and once the actor is stopped (its state left) a late answer is
 * ignored. Work that must end with the call takes the call's `scope.signal` (through `callScopeOf(system)`).
 */
export function fromCallPromise<TOutput, TInput = unknown, TEmitted extends EventObject = EventObject>(
  create: (args: CallPromiseArgs<TInput, TEmitted>) => PromiseLike<TOutput>,
): PromiseActorLogic<TOutput, TInput, TEmitted> {
  const logic: PromiseActorLogic<TOutput, TInput, TEmitted> = {
    config: create,
    transition: (state, event) => {
      if (state.status !== 'active') return state;
      switch (event.type) {
        case RESOLVE:
          return snapshot<TOutput, TInput>('done', (event as { data?: TOutput }).data, undefined, undefined);
        case REJECT:
          return snapshot<TOutput, TInput>('error', undefined, (event as { data?: unknown }).data, undefined);
        case STOP:
          return snapshot<TOutput, TInput>('stopped', undefined, undefined, undefined);
        default:
          return state;
      }
    },
    start: (state, { self, system, emit }) => {
      if (state.status !== 'active') return;
      Promise.resolve(create({ input: state.input as TInput, system, emit })).then(
        (data) => {
          if (self.getSnapshot().status !== 'active') return;
          (system as unknown as Relay)._relay(self, self, { type: RESOLVE, data } as EventObject);
        },
        (data: unknown) => {
          if (self.getSnapshot().status !== 'active') return;
          (system as unknown as Relay)._relay(self, self, { type: REJECT, data } as EventObject);
        },
      );
    },
    getInitialSnapshot: (_, input) => snapshot<TOutput, TInput>('active', undefined, undefined, input),
    getPersistedSnapshot: (s) => s,
    restoreSnapshot: (s) => s as PromiseSnapshot<TOutput, TInput>,
  };
  return logic;
}
